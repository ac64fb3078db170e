"""The study's tables as rows of printed cells: numbers with their unit, text keys translated,
lists of numbers joined, missing values as ``—``.

Conventions for the computation (docs/study-report.md):

- a column's unit comes from ``Table.units`` and is printed once, in its header; a column
  named ``unit`` gives the unit of each row's numbers where the column has none (it is not
  printed: those numbers carry their unit);
- a column named ``title`` is printed as the row's label in French, in place of the index (and
  a ``measure`` column beside it is left out); in English the index is printed instead;
- a column named ``baseline`` is headed "État actuel"; columns named ``delta``, ``Δ`` or
  starting with ``delta_`` / ``Δ`` are signed (``+12``, ``−3``);
- a named or non-integer index is printed as the first column; text cells that are text keys
  are translated, indicator names get the indicator's French title;
- ``year`` and ``number`` columns are plain integers; the numbers of an ``assumptions`` table
  are printed as given (not rounded to their unit), shares (unit ``share``) as percentages;
- a column ``<name>_fr`` holds the French words of column ``<name>``: the French report prints
  them in its place (English where empty); such columns are never printed themselves;
- an :class:`~scenarios.edits.Edit` in a cell is printed as its one-line description
  (:func:`scenarios.edit_texts.describe_edit`); an ``inputs`` column (keys joined by commas)
  names each input as the figures' sources do;
- differences in % are printed in points (``+0,1 point``).

Each numeric cell keeps the number as the Study holds it (:attr:`TableView.raw`), which the
page writes as ``data-value`` beside the row's and the column's keys.
"""

from __future__ import annotations

import json
import numbers
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from scenarios.assumptions import defaults
from scenarios.edit_texts import describe_edit
from scenarios.edits import Edit
from scenarios.report.texts import (
    has_text,
    indicator_title,
    inputs_text,
    label,
    number_text,
    text,
    unit_text,
)
from scenarios.report.typography import NBSP, NNBSP, exact_number, french_spacing
from scenarios.study.model import Study, Table

MISSING = "—"
#: Columns printed as plain integers (no separator, no unit): years, numbers in a list.
PLAIN_COLUMNS = ("year", "number")
#: Tables whose numbers are printed as given, not rounded to their unit.
EXACT_TABLES = ("assumptions",)
#: More columns than this: the table is printed smaller; more than VERY_WIDE: on a landscape
#: page of its own in the PDF.
WIDE_COLUMNS = 7
VERY_WIDE_COLUMNS = 10
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
#: A column named ``<name>_fr`` gives the French words of column ``<name>``.
FRENCH_SUFFIX = "_fr"


@dataclass(frozen=True)
class TableView:
    """A table as printed: title, header cells, rows of cells, which columns are numbers;
    the key of each column (``""`` for the row labels) and row, and each cell's number as the
    Study holds it (``repr``; ``""`` for text)."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    columns: list[str] = field(default_factory=list)
    row_keys: list[str] = field(default_factory=list)
    raw: list[list[str]] = field(default_factory=list)

    @property
    def wide(self) -> bool:
        """Too many columns for the normal size."""
        return len(self.header) > WIDE_COLUMNS

    @property
    def very_wide(self) -> bool:
        """Too many columns for a portrait page."""
        return len(self.header) > VERY_WIDE_COLUMNS


def is_delta(column: str) -> bool:
    """True for a column of differences (printed with a sign).

    Example:
        >>> is_delta("delta"), is_delta("Δ scénario"), is_delta("deltas_total")
        (True, True, False)
    """
    return column in ("delta", "Δ") or column.startswith(("delta_", "Δ"))


def table_view(table: Table, lang: str) -> TableView:
    """Format every cell of ``table`` for ``lang``."""
    frame = table.frame
    titles = frame["title"] if "title" in frame.columns and lang == "fr" else None
    row_units = frame["unit"] if "unit" in frame.columns else None
    hidden = {"unit", *(("title", "measure") if "title" in frame.columns else ())}
    hidden |= {str(c) for c in frame.columns if str(c).endswith(FRENCH_SUFFIX)}
    show_index = titles is not None or (
        frame.index.name is not None or not pd.api.types.is_integer_dtype(frame.index)
    )
    index_name = str(frame.index.name) if frame.index.name is not None else ""
    header = [label(index_name, lang) if index_name else ""] if show_index else []
    numeric = [False] * len(header)
    keys = [""] * len(header)
    columns = []
    for column in frame.columns:
        name = str(column)
        if name in hidden:
            continue
        is_number = pd.api.types.is_numeric_dtype(frame[column]) and not (
            pd.api.types.is_bool_dtype(frame[column])
        )
        unit = table.units.get(name, "")
        title = text("report.baseline_name", lang) if name == "baseline" else label(name, lang)
        shown = unit_text(unit, lang) if unit and is_number else ""
        if is_number and is_delta(name) and unit == "%":
            unit = "pt"  # a difference of percentages is in points
        shown = unit_text(unit, lang) if unit and is_number else ""
        header.append(
            f"{title} ({shown})" if shown and shown.lower() not in title.lower() else title
        )
        numeric.append(is_number)
        keys.append(name)
        french = f"{name}{FRENCH_SUFFIX}" if lang == "fr" else ""
        columns.append((column, name, unit, french if french in frame.columns else ""))
    rows, raw = [], []
    for position, (index, row) in enumerate(frame.iterrows()):
        cells = []
        if show_index:
            own_title = titles.iloc[position] if titles is not None else None
            cells.append(
                french_spacing(str(own_title)) if _present(own_title) else cell_text(index, lang)
            )
        row_unit = str(row_units.iloc[position]) if row_units is not None else ""
        row_unit = row_unit if _present(row_unit) else ""
        numbers_of_row = [""] * len(cells)
        for column, name, unit, french in columns:  # a column's unit is in its header, once
            value = row[column]
            numbers_of_row.append(_raw(value))
            if french and _present(row[french]) and str(row[french]):
                value = row[french]
            if name in PLAIN_COLUMNS and _is_number(value) and _present(value):
                cells.append(f"{float(value):.0f}")
                continue
            if name == "inputs" and isinstance(value, str):
                cells.append(inputs_text(value.split(","), lang))
                continue
            shown_unit = row_unit if not unit else unit if not _is_number(value) else ""
            signed = is_delta(name)
            if signed and shown_unit == "%":
                shown_unit = "pt"
            exact = table.key in EXACT_TABLES
            cells.append(cell_text(value, lang, shown_unit, signed=signed, exact=exact))
        rows.append(cells)
        raw.append(numbers_of_row)
    row_keys = [str(index) for index in frame.index]
    return TableView(table.key, label(table.key, lang), header, rows, numeric, keys, row_keys, raw)


def _raw(value: Any) -> str:
    """A cell's number as the Study holds it (``repr``), a list of them as JSON, else ``""``."""
    if isinstance(value, list | tuple) and all(_is_number(v) for v in value):
        return json.dumps([float(v) for v in value])
    return repr(float(value)) if _is_number(value) else ""


def cell_text(
    value: Any, lang: str, unit: str = "", *, signed: bool = False, exact: bool = False
) -> str:
    """One cell: a number with ``unit`` (``exact``: as given, not rounded), a list of numbers,
    a translated key or the text."""
    if exact and unit == "share":  # a fraction 0..1 read as a percentage
        return cell_text(_percent(value), lang, "%", exact=True)
    if isinstance(value, list | tuple):
        if all(isinstance(v, numbers.Real) for v in value):
            joined = " ; ".join(
                exact_number(v, lang) if exact else number_text(v, "", lang) for v in value
            )
            joined = french_spacing(joined) if lang == "fr" else joined.replace(" ; ", "; ")
            return _with_unit(joined, unit, lang)
        return ", ".join(cell_text(v, lang) for v in value)
    if isinstance(value, Edit):
        described = describe_edit(value, lang)
        return french_spacing(described) if lang == "fr" else described
    if not _present(value):
        return MISSING
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if exact:
            return _with_unit(exact_number(value, lang), unit, lang)
        return number_text(value, unit, lang, signed=signed)
    shown = str(value)
    if has_text(shown):
        return text(shown, lang)
    if _IDENTIFIER.match(shown):
        return indicator_title(shown, lang) or label(shown, lang)
    return french_spacing(shown) if lang == "fr" else shown


def assumptions_view(study: Study, lang: str) -> TableView | None:
    """Every assumption the study used (key, value with unit, status, source), unless the
    methods section has its own ``assumptions`` table. In French, a source that is a default's
    (English) source is printed as that default's ``source_fr``; any other as it is."""
    methods = study.sections.get("methods")
    if methods is not None and any(table.key == "assumptions" for table in methods.tables):
        return None
    if not study.assumptions:
        return None
    header = [
        text("report.assumption", lang),
        text("report.value", lang),
        text("report.status", lang),
        text("report.source", lang),
    ]
    french = _french_sources() if lang == "fr" else {}
    rows = [
        [
            key,
            cell_text(value, lang, unit, exact=True),
            text(status, lang),
            cell_text(french.get(source) or source, lang),
        ]
        for key, (value, unit, source, status) in sorted(study.assumptions.items())
    ]
    return TableView(
        "assumptions",
        text("report.assumptions_table", lang),
        header,
        rows,
        [False, True, False, False],
    )


def _french_sources() -> dict[str, str]:
    """The shipped defaults' sources, English → French (where a French text is given)."""
    return {a.source: a.source_fr for a in defaults().values() if a.source_fr}


def _with_unit(number: str, unit: str, lang: str) -> str:
    """A number already written, then its unit (not rounded: the exact tables' way)."""
    shown = unit_text(unit, lang) if unit else ""
    if not shown:
        return number
    if shown == "%":
        return f"{number}{NNBSP}%" if lang == "fr" else f"{number}%"
    return f"{number}{NBSP}{shown}"


def _percent(value: Any) -> Any:
    """A share (or a list of shares) × 100, rounded off the float noise (0.35 → 35)."""
    if isinstance(value, list | tuple):
        return [_percent(v) for v in value]
    return round(float(value) * 100, 6) if _is_number(value) else value


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _present(value: Any) -> bool:
    if value is None:
        return False
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True
