"""CityJSON attributes → the buildings layer's columns (floors, year, use, roof type, extras).

CityJSON leaves attributes free. This module reads the CityGML names most writers use
(``storeysAboveGround``, ``yearOfConstruction``, ``function``, ``roofType``, ``measuredHeight``)
and the 3D BAG's own (``b3_bouwlagen``, ``oorspronkelijkbouwjaar``, ``b3_dak_type``); other flat
attributes are kept as extra columns for the inspector. docs/formats/cityjson.md lists them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from twin.catalogue import BUILDINGS
from twin.issues import Issue, Severity
from twin.uses import BuildingUse as U

FLOOR_KEYS = ("storeysAboveGround", "b3_bouwlagen")
YEAR_KEYS = ("yearOfConstruction", "oorspronkelijkbouwjaar")
USE_KEYS = ("function", "usage")
ROOF_KEYS = ("roofType", "b3_dak_type")
HEIGHT_KEYS = ("measuredHeight",)
ROOF_ALTITUDE_KEYS = ("b3_h_dak_max",)
GROUND_ALTITUDE_KEYS = ("b3_h_maaiveld",)
NAME_KEYS = ("name",)

#: The BAG writes 1005 for "construction year unknown" (3D BAG ``oorspronkelijkbouwjaar``).
BAG_UNKNOWN_YEAR = 1005

#: ``function`` / ``usage`` values whose meaning is plain, lower-cased. Codes: only 1000 and
#: 1010, "residential building" in both the CityGML 2.0 informative code list and German ALKIS
#: (also written 31001_1000); other codes differ between code lists and stay unknown.
FUNCTION_USES: dict[str, str] = {
    **dict.fromkeys(
        [
            "1000",
            "1010",
            "31001_1000",
            "31001_1010",
            "residential",
            "residential building",
            "housing",
            "dwelling",
            "dwellings",
            "house",
            "apartments",
            "habitation",
            "logement",
            "logements",
            "résidentiel",
            "residentiel",
            "wonen",
            "woonfunctie",
            "wohngebäude",
            "wohnhaus",
        ],
        U.RESIDENTIAL,
    ),
    **dict.fromkeys(
        ["office", "offices", "office building", "bureau", "bureaux", "kantoor", "kantoorfunctie"],
        U.OFFICE,
    ),
    **dict.fromkeys(
        ["retail", "commercial", "shop", "commerce", "commerces", "winkelfunctie"], U.RETAIL
    ),
    **dict.fromkeys(
        ["industrial", "industry", "industriel", "industriefunctie", "warehouse"], U.INDUSTRIAL
    ),
    **dict.fromkeys(
        [
            "public",
            "school",
            "education",
            "hospital",
            "church",
            "onderwijsfunctie",
            "gezondheidszorgfunctie",
        ],
        U.PUBLIC,
    ),
    **dict.fromkeys(["annex", "annexe", "garage", "shed"], U.ANNEX),
    **dict.fromkeys(["mixed", "mixed use", "gemengd"], U.MIXED),
}

#: Columns this importer writes itself besides the declared ones.
OWN_COLUMNS = ("lod", "roof_type", "measured_height_m", "roof_altitude_m", "ground_altitude_m")

_SCALARS = (str, int, float, bool)


def first_value(attributes: Mapping[str, Any], keys: Sequence[str]) -> tuple[str, Any]:
    """The first of ``keys`` present (not null) in ``attributes``: (key, value), else ("", None).

    A list gives its first element; ``{"value": 12.5, "uom": "m"}`` gives 12.5.

    >>> first_value({"usage": ["1000", "2000"]}, USE_KEYS)
    ('usage', '1000')
    """
    for key in keys:
        value = attributes.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("value")
        if value is not None:
            return key, value
    return "", None


def attribute_columns(
    attributes: Sequence[Mapping[str, Any]],
    ids: Sequence[str],
    source: str,
    issues: list[Issue],
    use_values: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Declared columns (name, use, floors, construction_year) and roof type, then
    ``measured_height_m``, ``roof_altitude_m`` and ``ground_altitude_m`` (for the height
    fallbacks) and flat extra attributes, one row per building; unusable values are left
    empty and reported. ``use_values`` adds or overrides function → use translations.
    """
    index = pd.RangeIndex(len(ids))
    picked = {
        name: [first_value(a, keys) for a in attributes]
        for name, keys in (
            ("floors", FLOOR_KEYS),
            ("year", YEAR_KEYS),
            ("use", USE_KEYS),
            ("roof", ROOF_KEYS),
            ("height", HEIGHT_KEYS),
            ("name", NAME_KEYS),
            ("roof_altitude", ROOF_ALTITUDE_KEYS),
            ("ground_altitude", GROUND_ALTITUDE_KEYS),
        )
    }
    values = {
        name: pd.Series([v for _, v in pairs], index=index, dtype=object)
        for name, pairs in picked.items()
    }
    out = pd.DataFrame(index=index)
    out["name"] = values["name"].where(values["name"].map(lambda v: isinstance(v, str)))
    out["use"] = uses(values["use"], source, issues, use_values)
    out["floors"] = _whole_numbers(values["floors"], 0, 200, "floors", ids, source, issues)
    years = _years(values["year"])
    bag_unknown = years.eq(BAG_UNKNOWN_YEAR) & pd.Series(
        [key == "oorspronkelijkbouwjaar" for key, _ in picked["year"]], index=index
    )
    out["construction_year"] = _whole_numbers(
        years.where(~bag_unknown), 1000, 2100, "construction_year", ids, source, issues
    )
    out["roof_type"] = values["roof"].map(lambda v: None if v is None else str(v)).astype(object)
    for column, name in (
        ("measured_height_m", "height"),
        ("roof_altitude_m", "roof_altitude"),
        ("ground_altitude_m", "ground_altitude"),
    ):
        out[column] = pd.to_numeric(values[name], errors="coerce").astype("float64")
    consumed = [
        {
            "name": picked["name"][i][0],
            "f": picked["floors"][i][0],
            "y": picked["year"][i][0],
            "r": picked["roof"][i][0],
            "h": picked["height"][i][0],
        }
        for i in range(len(ids))
    ]
    extras = extra_columns(attributes, consumed)
    return pd.concat([out, extras.set_axis(index)], axis=1)


def uses(
    values: pd.Series, source: str, issues: list[Issue], extra: Mapping[str, str] | None = None
) -> pd.Series:
    """``function`` / ``usage`` values as twin uses; values without a plain meaning → unknown.

    ``extra`` (the user's ``use`` translations) is read before the built-in table.

    >>> uses(pd.Series(["1000", "Woonfunctie", None, "1120"]), "x", []).tolist()
    ['residential', 'residential', 'unknown', 'unknown']
    """
    text = values.map(lambda v: None if v is None else str(v).strip().lower())
    table = {**FUNCTION_USES, **{str(k).strip().lower(): v for k, v in (extra or {}).items()}}
    mapped = text.map(table)
    unmapped = text.notna() & mapped.isna()
    for value, count in values[unmapped].astype(str).value_counts().items():
        issues.append(
            Issue(
                Severity.INFO,
                "use_unmapped",
                f"{count} building(s) with function '{value}' have no known use; left unknown",
                source,
            )
        )
    return mapped.fillna(U.UNKNOWN).astype(str)


def _years(values: pd.Series) -> pd.Series:
    """Years from numbers, "1985" or dates such as "1985-06-01"."""
    numeric = pd.to_numeric(values, errors="coerce")
    text = values.where(numeric.isna() & values.map(lambda v: isinstance(v, str)))
    from_text = pd.to_numeric(
        text.dropna().astype(str).str.extract(r"^\s*(\d{4})\b", expand=False), errors="coerce"
    )
    return numeric.astype("float64").fillna(from_text.reindex(values.index)).astype("float64")


def _whole_numbers(
    values: pd.Series,
    low: int,
    high: int,
    column: str,
    ids: Sequence[str],
    source: str,
    issues: list[Issue],
) -> pd.Series:
    number = pd.to_numeric(values, errors="coerce").astype("float64")
    given = values.notna().to_numpy()
    array = number.to_numpy()
    usable = np.isfinite(array) & (np.floor(array) == array) & (array >= low) & (array <= high)
    for row in np.flatnonzero(given & ~usable).tolist():
        issues.append(
            Issue(
                Severity.INFO,
                f"{column}_unusable",
                f"{column} value {values.iloc[row]!r} is not usable; left empty",
                source,
                str(ids[row]),
            )
        )
    return pd.Series(np.where(usable, array, np.nan), index=values.index).astype("Int64")


def extra_columns(
    attributes: Sequence[Mapping[str, Any]], consumed: Sequence[Mapping[str, str]]
) -> pd.DataFrame:
    """Flat (scalar) attributes not already read into a declared column, one column each.

    Names that would clash with the layer's columns (GeoPackage names ignore case) get an
    ``attr_`` prefix. A column mixing text and numbers becomes text.
    """
    records = [
        {k: v for k, v in a.items() if isinstance(v, _SCALARS) and k not in used.values()}
        for a, used in zip(attributes, consumed, strict=True)
    ]
    frame = pd.DataFrame.from_records(records, columns=_ordered_keys(records))
    taken = {c.lower() for c in [*BUILDINGS.column_names, *OWN_COLUMNS, "geometry"]}
    renamed: dict[str, str] = {}
    for column in frame.columns:
        name = str(column)
        while name.lower() in taken:
            name = f"attr_{name}"
        taken.add(name.lower())
        renamed[column] = name
    frame = frame.rename(columns=renamed)
    for column in frame.columns:
        frame[column] = _one_kind(frame[column])
    return frame


def _ordered_keys(records: Sequence[Mapping[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    return list(keys)


def _one_kind(values: pd.Series) -> pd.Series:
    present = values.dropna()
    kinds = {type(v) for v in present}
    if not kinds:
        return values.astype(object)
    if kinds == {bool}:
        return values.astype("boolean")
    if kinds <= {int, float}:
        return pd.to_numeric(values)
    return values.map(lambda v: None if v is None or v != v else str(v)).astype(object)
