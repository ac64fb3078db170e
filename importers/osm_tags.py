"""OpenStreetMap tag values as numbers and flags: lengths, levels, years, oneway, walkable.

OSM values are free text typed by people ("12", "12 m", "12.5m", "40'", "2;3"). Each parser here
works on a whole pandas Series at once and returns the parsed values plus a mask of the values
that were present but could not be read, so the importer can report them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FOOT_M = 0.3048
INCH_M = 0.0254

#: A length: a number (decimal point or comma) and an optional unit (m, metres, ft, feet, ').
_LENGTH = (
    r"^\s*(?P<number>[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)\s*"
    r"(?P<unit>m|metres?|meters?|ft|feet|foot|')?\s*$"
)
#: Feet and inches: 12'6" (the OSM wiki's form).
_FEET_INCHES = r"^\s*(?P<feet>[0-9]+)\s*'\s*(?P<inches>[0-9]+(?:\.[0-9]+)?)\s*\"\s*$"

#: Road classes pedestrians may not use (motorways and trunk roads).
NOT_WALKABLE_HIGHWAYS = ("motorway", "motorway_link", "trunk", "trunk_link")

_ONEWAY_TRUE = ("yes", "1", "true", "-1")
_ONEWAY_FALSE = ("no", "0", "false")


def parse_length_m(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Lengths in metres from OSM text, and a mask of values present but unreadable.

    Metres are the default unit; feet (``ft``, ``'``) and feet-inches (``12'6"``) are converted.

    >>> lengths, bad = parse_length_m(pd.Series(["12", "12 m", "12,5m", "40'", "10'6\\"", "tall",
    ...                                         None]))
    >>> [round(v, 3) for v in lengths.dropna()], bad.tolist()
    ([12.0, 12.0, 12.5, 12.192, 3.2], [False, False, False, False, False, True, False])
    """
    text = values.astype("string")
    simple = text.str.extract(_LENGTH)
    number = pd.to_numeric(simple["number"].str.replace(",", ".", regex=False), errors="coerce")
    feet = simple["unit"].isin(["ft", "feet", "foot", "'"]).to_numpy()
    metres = number.to_numpy(dtype="float64", na_value=np.nan)
    metres = np.where(feet, metres * FOOT_M, metres)
    imperial = text.str.extract(_FEET_INCHES)
    feet_inches = (
        pd.to_numeric(imperial["feet"], errors="coerce") * FOOT_M
        + pd.to_numeric(imperial["inches"], errors="coerce") * INCH_M
    ).to_numpy(dtype="float64", na_value=np.nan)
    metres = np.where(np.isnan(metres), feet_inches, metres)
    parsed = pd.Series(metres, index=values.index, dtype="float64")
    return parsed, _unreadable(values, parsed)


def parse_count(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole non-negative counts (levels, lanes) from OSM text, and a mask of unreadable values.

    >>> counts, bad = parse_count(pd.Series(["2", " 3 ", "2.5", "2;3", None]))
    >>> counts.tolist(), bad.tolist()
    ([2, 3, <NA>, <NA>, <NA>], [False, False, True, True, False])
    """
    number = pd.to_numeric(values.astype("string").str.strip(), errors="coerce")
    number = number.astype("float64")
    whole = number.where((number >= 0) & (np.floor(number) == number))
    parsed = whole.astype("Int64")
    return parsed, _unreadable(values, parsed)


def parse_year(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The year of an OSM date (``1975``, ``1975-06``, ``1975-06-30``), and unreadable values.

    Approximate dates (``C12``, ``~1850``, ``1850..1860``) are not years: they count as
    unreadable, so the importer can say so.

    >>> years, bad = parse_year(pd.Series(["1975", "1975-06-30", "C12", None]))
    >>> years.tolist(), bad.tolist()
    ([1975, 1975, <NA>, <NA>], [False, False, True, False])
    """
    found = values.astype("string").str.extract(r"^\s*([0-9]{4})(?:-[0-9]{2}(?:-[0-9]{2})?)?\s*$")
    parsed = pd.to_numeric(found[0], errors="coerce").astype("Int64")
    parsed.index = values.index
    return parsed, _unreadable(values, parsed)


def parse_oneway(oneway: pd.Series, highway: pd.Series, junction: pd.Series) -> pd.Series:
    """Whether traffic goes one way: ``yes``/``1``/``true``/``-1``, implied on motorways and
    roundabouts, False when the tag is absent; unknown (NA) for other values (``reversible``).

    >>> parse_oneway(pd.Series(["yes", "-1", None, None, "reversible"]),
    ...              pd.Series(["primary", "primary", "residential", "motorway", "primary"]),
    ...              pd.Series([None, None, None, None, None])).tolist()
    [True, True, False, True, <NA>]
    """
    text = oneway.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=oneway.index, dtype="boolean")
    out[text.isin(_ONEWAY_TRUE).fillna(False).to_numpy()] = True
    out[text.isin(_ONEWAY_FALSE).fillna(False).to_numpy()] = False
    implied = highway.isin(["motorway", "motorway_link"]) | junction.isin(
        ["roundabout", "circular"]
    )
    absent = text.isna().to_numpy()
    out[absent] = implied.to_numpy()[absent]
    return out


def is_walkable(highway: pd.Series, foot: pd.Series) -> pd.Series:
    """Pedestrians may walk there: not on motorways and trunk roads, nor where ``foot=no``.

    >>> is_walkable(pd.Series(["motorway", "residential", "footway"]),
    ...             pd.Series([None, "no", "designated"])).tolist()
    [False, False, True]
    """
    forbidden = highway.isin(NOT_WALKABLE_HIGHWAYS) | foot.astype("string").str.strip().eq("no")
    return (~forbidden.fillna(False)).astype("boolean")


def join_address(housenumber: pd.Series, street: pd.Series) -> pd.Series:
    """``addr:housenumber`` and ``addr:street`` as one French-style address ("32 Grande Rue").

    >>> join_address(pd.Series(["32", None, None]), pd.Series(["Grande Rue", "Rue Nantes",
    ...              None])).tolist()
    ['32 Grande Rue', 'Rue Nantes', None]
    """
    number = housenumber.astype("string").str.strip()
    name = street.astype("string").str.strip()
    both = number.str.cat(name, sep=" ")
    joined = both.fillna(name)
    return joined.astype(object).where(joined.notna(), None)


def _unreadable(values: pd.Series, parsed: pd.Series) -> pd.Series:
    present = values.notna() & values.astype("string").str.strip().ne("").fillna(False)
    return (present & parsed.isna()).astype(bool)
