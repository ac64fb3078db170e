"""Colour the buildings by a column: one colour per object and the legend that explains it.

No Qt here (numpy, pandas, matplotlib's colormaps), so it is tested without a display.
Three kinds of column:

- categorical (``use`` with :data:`twin.snapshot.USE_COLOURS`, ``height_source``, ``source``);
- numeric in classes (``height_m``, ``floors``, ``dwellings``, ``floor_area_m2``,
  ``inhabitants``, ``households``): up to 5 classes cut at rounded quantiles, a sequential
  colormap (:func:`gui.colour_classes.numeric_classes`);
- construction period for ``construction_year``
  (:data:`gui.colour_classes.PERIOD_STARTS`: avant 1919 ... après 2012).

Missing values get the grey "non renseigné" entry, and so do objects absent from the buildings
layer. Texts come from the ``text`` (``tr``-like) and ``number`` (``format_number``-like)
callables, French by default, so labels follow the app's language.

Colourings, the columns offered and the rows of the objects are kept by the buffers of the
columns they were made from (:mod:`gui.colour_memo`): after an edit that leaves the coloured
column alone (raising buildings coloured by use), colouring them again is a look-up, not
100 000 rows read again on the GUI thread. A colouring's ``rgb`` is shared, hence read-only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from gui.colour_classes import (
    MISSING_COLOUR,
    Number,
    Text,
    category_classes,
    numeric_classes,
    period_classes,
)
from gui.colour_memo import Memo, ObjectIds, column_token
from gui.object_rows import object_rows
from gui.scene import hex_to_rgb
from gui.strings import FR
from twin.catalogue import BUILDINGS

logger = logging.getLogger(__name__)

DEFAULT_COLUMN = "use"  # the view's own colours
NUMERIC_COLUMNS = ("height_m", "floors", "dwellings", "floor_area_m2", "inhabitants", "households")
PERIOD_COLUMN = "construction_year"
#: Columns offered in the layers panel, in menu order.
COLOUR_COLUMNS = ("use", "height_m", PERIOD_COLUMN, *NUMERIC_COLUMNS[1:], "height_source", "source")
#: Units shown beside the values (counts such as floors or dwellings are named by the title).
MEASURE_UNITS = ("m", "m2")

_COLOURINGS: Memo[Colouring] = Memo(8)
_PRESENT: Memo[bool] = Memo(32)
_ROWS: Memo[np.ndarray] = Memo(4)
_OBJECT_IDS = ObjectIds()


class LegendEntry(NamedTuple):
    """One row of the legend: its label, ``#rrggbb`` colour and number of buildings."""

    label: str
    colour: str
    n_buildings: int


@dataclass(frozen=True)
class Colouring:
    """Colours of the objects of a scene layer for one column, and their legend.

    Attributes:
        column: the buildings column coloured by.
        title: the column's title in the current language.
        unit: the unit shown beside values (``"m"``, ``"m²"``), empty for counts and categories.
        entries: legend rows, missing values last; empty when there is nothing to colour.
        rgb: (n_objects, 3) uint8 colours, in the order of the object ids given.
        message: why there is nothing to colour (empty otherwise).
    """

    column: str
    title: str
    unit: str
    entries: tuple[LegendEntry, ...]
    rgb: np.ndarray
    message: str = ""

    @property
    def is_empty(self) -> bool:
        """True when the column is absent or has no value: nothing to colour."""
        return not self.entries

    @property
    def heading(self) -> str:
        """The legend's title with its unit, e.g. ``"Hauteur (m)"``."""
        return f"{self.title} ({self.unit})" if self.unit else self.title


def colour_columns(
    buildings: pd.DataFrame, object_ids: Sequence[str] | np.ndarray | None = None
) -> list[str]:
    """The columns the buildings can be coloured by: those present with at least one value
    (among the objects ``object_ids`` when given: the buildings the view draws).

    Example:
        >>> colour_columns(pd.DataFrame({"use": ["residential"], "height_m": [None]}))
        ['use']
    """
    if object_ids is None:
        rows, rows_key = None, None
    else:
        rows, rows_key = _rows_kept(buildings, object_ids)
    offered = []
    for column in (c for c in COLOUR_COLUMNS if c in buildings):
        series = buildings[column]
        token = column_token(series)
        key = None if token is None or rows_key is None else (column, token, rows_key)
        if _PRESENT.get(key, partial(_any_present, series, rows), series):
            offered.append(column)
    return offered


def _any_present(series: pd.Series, rows: np.ndarray | None) -> bool:
    """Whether a value is given at one of ``rows`` (-1: none; None: any row): the column's
    values read once, not taken row by row first."""
    present = _present(series).to_numpy()
    if rows is None:
        return bool(present.any())
    return bool(present[rows[rows >= 0]].any()) if len(present) else False


def colour_buildings(
    buildings: pd.DataFrame,
    object_ids: Sequence[str] | np.ndarray,
    column: str,
    *,
    text: Text | None = None,
    number: Number | None = None,
) -> Colouring:
    """Colour the objects ``object_ids`` (building ids) by ``column`` of ``buildings``.

    Classes and legend counts cover these objects (what the view draws); an object absent
    from the buildings layer counts as not given. A column absent or without values gives
    an empty Colouring with a :attr:`Colouring.message`, never an error.

    Example:
        >>> layer = pd.DataFrame({"id": ["a", "b", "c"], "construction_year": [1918, 1919, None]})
        >>> colouring = colour_buildings(layer, ["a", "b", "c"], "construction_year")
        >>> [(e.label, e.n_buildings) for e in colouring.entries if e.n_buildings]
        [('avant 1919', 1), ('1919 – 1945', 1), ('non renseigné', 1)]
    """
    text = text or _french_text
    number = number or _french_number
    rows, rows_key = _rows_kept(buildings, object_ids)
    series = buildings.get(column)
    token = column_token(series) if series is not None else ("absent",)
    key = None
    if token is not None and rows_key is not None:  # the language: what the texts say now
        key = (column, token, rows_key, id(text), id(number), text("colour.missing"))
    return _COLOURINGS.get(
        key,
        lambda: _colour(buildings, rows, len(object_ids), column, text, number),
        (series, text, number),
    )


def _colour(
    buildings: pd.DataFrame,
    rows: np.ndarray,
    n_objects: int,
    column: str,
    text: Text,
    number: Number,
) -> Colouring:
    title = text(f"colour.col.{column}") if _has(f"colour.col.{column}") else column
    unit_code = _unit_code(column)
    unit = text(f"unit.{unit_code}") if unit_code in MEASURE_UNITS else ""
    grey = np.array(hex_to_rgb(MISSING_COLOUR), dtype=np.uint8)
    if column in buildings:
        series = _take(buildings[column], rows)
    else:
        series = pd.Series([None] * n_objects, dtype=object)
    present = _present(series).to_numpy()
    if not present.any():
        logger.debug("nothing to colour by %s", column)
        rgb = _read_only(np.tile(grey, (n_objects, 1)))
        return Colouring(column, title, unit, (), rgb, text("colour.nothing", title=title))

    if column in NUMERIC_COLUMNS or column == PERIOD_COLUMN:  # numbers, not objects: faster
        numbers = pd.to_numeric(series, errors="coerce")
        values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = series.to_numpy(dtype=object)
    if column == DEFAULT_COLUMN:  # the view draws a missing use as unknown: so does the legend
        values = np.where(present, values, "unknown").astype(object)
        present = np.ones(len(values), dtype=bool)
    if column in NUMERIC_COLUMNS:
        integer = _integer_column(column)
        codes, labels, table = numeric_classes(
            values, present, integer=integer, unit=unit, number=number
        )
    elif column == PERIOD_COLUMN:
        codes, labels, table = period_classes(values, present, text)
    else:
        codes, labels, table = category_classes(values, present, column, text, _has)

    counts = np.bincount(codes[codes >= 0], minlength=len(labels))
    entries = [LegendEntry(labels[i], table[i], int(counts[i])) for i in range(len(labels))]
    entries = [e for e in entries if e.n_buildings or column == PERIOD_COLUMN]
    missing = int((codes < 0).sum())
    if missing:
        entries.append(LegendEntry(text("colour.missing"), MISSING_COLOUR, missing))
    palette = np.array([hex_to_rgb(c) for c in table] + [tuple(grey)], dtype=np.uint8)
    rgb = palette[np.where(codes >= 0, codes, len(table))]
    return Colouring(column, title, unit, tuple(entries), _read_only(rgb))


# -- helpers -------------------------------------------------------------------------------------
def _present(series: pd.Series) -> pd.Series:
    """True where a value is given (not NA, not an empty string)."""
    given = series.notna().to_numpy(dtype=bool)
    if isinstance(series.dtype, pd.StringDtype):  # Arrow strings: stripped without copies
        given = given & series.str.strip().ne("").fillna(False).to_numpy(dtype=bool)
    elif not pd.api.types.is_numeric_dtype(series.dtype):
        given = given & series.astype(str).str.strip().ne("").to_numpy(dtype=bool)
    return pd.Series(given, index=series.index)


def _rows_kept(
    buildings: pd.DataFrame, object_ids: Sequence[str] | np.ndarray
) -> tuple[np.ndarray, tuple[object, ...] | None]:
    """:func:`~gui.object_rows.object_rows`, kept by the buffers of the ids (None as key: not
    kept)."""
    objects, kept_ids = _OBJECT_IDS.token(object_ids)
    ids = buildings.get("id")
    token = column_token(ids) if ids is not None else None
    key = None if token is None else (token, objects)
    rows = _ROWS.get(key, lambda: object_rows(buildings, kept_ids), (ids, kept_ids))
    return rows, key


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _take(series: pd.Series, rows: np.ndarray | None) -> pd.Series:
    """The values at ``rows`` (NA where -1; all of them for None), keeping the dtype."""
    if rows is None:
        return series
    if not len(series):
        return pd.Series([None] * len(rows), dtype=object)
    if len(rows) == len(series) and (rows == np.arange(len(rows))).all():
        return series.reset_index(drop=True)  # every row, in order: nothing to take
    taken = series.iloc[np.maximum(rows, 0)].reset_index(drop=True)
    return taken.where(pd.Series(rows >= 0))


def _unit_code(column: str) -> str:
    spec = next((c for c in BUILDINGS.columns if c.name == column), None)
    return spec.unit if spec is not None else ""


def _integer_column(column: str) -> bool:
    spec = next((c for c in BUILDINGS.columns if c.name == column), None)
    return spec is not None and spec.dtype == "Int64"


def _has(key: str) -> bool:
    return key in FR


def _french_text(key: str, **values: Any) -> str:
    text = FR.get(key, key)
    return text.format(**values) if values else text


def _french_number(value: float, decimals: int = 2) -> str:
    """Like :func:`gui.i18n.format_number` in French (that module needs Qt)."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")
