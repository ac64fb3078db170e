"""Filosofi field names across vintages, and Filosofi tables delivered as CSV.

INSEE changes the case and names of the fields from one vintage to the next: ``ind``/``Ind``,
``men``/``Men``, ``men_pauv``/``Men_pauv``, and the cell id is ``IdINSPIRE`` (2015),
``Idcar_200m`` (2017), ``idcar_200m`` (2019), ``id_car2010`` in some extracts, ``Idcar_1km`` for
1 km cells. Names are matched without regard to case. CSV files use ``;`` or ``,`` and French
decimal commas (``12,5``); numbers are recognised column by column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from importers.inspire_grid import parse_cell_ids
from importers.sniffing import head
from twin.errors import InvalidInputError

#: Cell id fields, preferred first: a 200 m file also names the 1 km cell each cell lies in.
ID_FIELDS = (
    "idcar_200m",
    "idinspire",
    "id_inspire",
    "id_carr200",
    "id_carr_200m",
    "idcar_1km",
    "id_carr1km",
    "id_carr_1km",
    "id_car2010",
    "id",
)
INHABITANT_FIELDS = ("ind", "ind_c")
HOUSEHOLD_FIELDS = ("men", "nbmen")
POOR_HOUSEHOLD_FIELDS = ("men_pauv",)
#: Columns that hold codes, kept as text even when they look like numbers (``01001``).
TEXT_FIELDS = frozenset({"depcom", "lcog_geo", "codgeo", "code_insee", "idcar_nat", "groupe"})
SEPARATORS = (";", ",", "\t", "|")
_YEAR = re.compile(r"(?:filosofi|rfl)\D{0,3}((?:19|20)\d\d)(?!\d)", re.IGNORECASE)


def looks_like_filosofi(fields: list[str]) -> bool:
    """True for field names of a Filosofi grid: inhabitants, and a cell id (or households).

    >>> looks_like_filosofi(["Idcar_200m", "Ind", "Men"]), looks_like_filosofi(["id", "ind"])
    (True, False)
    >>> looks_like_filosofi(["IDENT", "IND", "MEN"]), looks_like_filosofi(["id", "nom"])
    (True, False)
    """
    lower = {field.strip().lower() for field in fields}
    if not lower & set(INHABITANT_FIELDS):
        return False
    if lower & (set(ID_FIELDS) - {"id"}):
        return True
    return bool(lower & set(HOUSEHOLD_FIELDS)) and any(name.startswith("id") for name in lower)


def id_column(frame: pd.DataFrame) -> str | None:
    """The column holding the cell ids: a known name with parseable ids, else any text column
    whose values are grid cell ids, else the first known id name; None when there is none."""
    by_lower = {str(name).lower(): str(name) for name in frame.columns}
    candidates = [by_lower[name] for name in ID_FIELDS if name in by_lower]
    candidates += [
        str(name)
        for name in frame.columns
        if str(name) not in candidates and frame[name].dtype.kind in "OSUT"
    ]
    for name in candidates:
        sample = frame[name].dropna().head(200)
        if len(sample) and parse_cell_ids(sample)["size_m"].notna().mean() >= 0.5:
            return name
    named = [by_lower[name] for name in ID_FIELDS if name in by_lower]
    return named[0] if named else None  # ids of another form, kept as they are


def year_from_names(*names: str | None) -> int | None:
    """The vintage named in a file, folder or layer name (``Filosofi2017_carreaux``).

    >>> year_from_names("population", "olemps_filosofi2015_200m"), year_from_names("grid")
    (2015, None)
    """
    for name in names:
        found = _YEAR.search(name or "")
        if found:
            return int(found.group(1))
    return None


def csv_fields(path: Path) -> list[str]:
    """The header fields of a CSV text file (empty for binary content or no separator)."""
    data = head(path)
    if not data or b"\x00" in data:
        return []
    lines = data.decode("utf-8-sig", errors="replace").splitlines()  # none for a lone BOM
    line = lines[0] if lines else ""
    separator = _separator(line)
    if separator is None:
        return []
    return [field.strip().strip('"').strip("'").strip() for field in line.split(separator)]


def _separator(line: str) -> str | None:
    counts = {separator: line.count(separator) for separator in SEPARATORS}
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] else None


def read_csv_table(path: Path) -> pd.DataFrame:
    """Read a Filosofi CSV: separator from the header, UTF-8 (or Windows-1252), numbers with
    decimal commas turned into floats, code columns kept as text.

    Raises:
        InvalidInputError: the file has no header with a separator, or cannot be parsed.
    """
    data = head(path)
    lines = data.decode("utf-8-sig", errors="replace").splitlines()  # none for a lone BOM
    first = lines[0] if lines else ""
    separator = _separator(first)
    if separator is None:
        raise InvalidInputError(
            f"{path.name}: no ';' or ',' separator in its first line; check that it is a "
            "Filosofi CSV: it starts with a header such as Idcar_200m;Ind;Men.",
            code="csv_no_separator",
            values={"file": path.name},
        )
    try:
        try:
            frame = _read_csv(path, separator, "utf-8-sig")
        except UnicodeDecodeError:  # INSEE's older files are Windows-1252
            frame = _read_csv(path, separator, "cp1252")
    except (pd.errors.ParserError, ValueError) as exc:
        raise InvalidInputError(
            f"{path.name} cannot be read as a '{separator}'-separated table "
            f"({str(exc).splitlines()[0]}); check that every line has the same number of fields.",
            code="csv_unreadable",
            values={"file": path.name, "separator": separator, "detail": str(exc).splitlines()[0]},
        ) from exc
    frame.columns = [str(name).strip().strip('"') for name in frame.columns]
    return frame.apply(_typed_column)


def _read_csv(path: Path, separator: str, encoding: str) -> pd.DataFrame:
    return pd.read_csv(path, sep=separator, dtype=str, encoding=encoding, keep_default_na=False)


def _typed_column(values: pd.Series) -> pd.Series:
    """A text column as numbers when every filled value is one (``12,5`` → 12.5)."""
    text = values.astype("string").str.strip()
    text = text.where(text.str.len() > 0)
    name = str(values.name).lower()
    if name in TEXT_FIELDS or name.startswith("id") or name in ID_FIELDS:
        return text
    filled = text.dropna()
    if filled.str.match(r"^0\d").any():  # a code with leading zeros, not a number
        return text
    cleaned = text.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(",", ".")
    numbers = pd.to_numeric(cleaned, errors="coerce")
    if len(filled) and numbers.notna().sum() == len(filled):
        return numbers.astype("float64")
    return text


def numbers(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Counts as float64: text with decimal commas read too, anything else NaN."""
    if values is None:
        return pd.Series(np.nan, index=index, dtype="float64")
    if not pd.api.types.is_numeric_dtype(values):
        values = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(values, errors="coerce").astype("float64")
