"""Building heights: measured, else roof minus ground, else floors x storey height, else a
default for the use. Every building records where its height came from (``height_source``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.issues import Issue, Severity
from twin.uses import BuildingUse as U

DEFAULT_STOREY_HEIGHT_M = 3.0

#: Height given to a building with no height and no floors, by use (metres). Estimates:
#: typical French buildings of each use (a two-storey house, a one-level shed ...).
DEFAULT_HEIGHT_BY_USE_M: dict[str, float] = {
    U.RESIDENTIAL: 6.0,
    U.OFFICE: 9.0,
    U.RETAIL: 4.5,
    U.PUBLIC: 7.0,
    U.INDUSTRIAL: 7.0,
    U.ANNEX: 3.0,
    U.MIXED: 9.0,
    U.UNKNOWN: 5.0,
}

#: Heights above this are treated as errors in the source, not as buildings (m).
MAX_PLAUSIBLE_HEIGHT_M = 350.0


def complete_heights(
    buildings: pd.DataFrame,
    *,
    source: str,
    storey_height_m: float = DEFAULT_STOREY_HEIGHT_M,
    roof_altitude_m: pd.Series | None = None,
    ground_altitude_m: pd.Series | None = None,
    issues: list[Issue] | None = None,
) -> pd.DataFrame:
    """Fill ``height_m`` and ``height_source`` for every building, best source first.

    Reads ``height_m`` (measured; 0 or implausible values count as missing and are reported),
    ``floors`` and ``use``. Returns a copy; the original columns are not modified.

    >>> frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "height_m": [7.5, 0.0, None, None],
    ...                       "floors": [2, 3, None, None], "use": ["residential"] * 3 + ["annex"]})
    >>> done = complete_heights(frame, source="bati.shp")
    >>> done["height_m"].tolist(), done["height_source"].tolist()
    ([7.5, 9.0, 6.0, 3.0], ['measured', 'floors', 'use_default', 'use_default'])
    """
    out = buildings.copy()
    measured = pd.to_numeric(out.get("height_m"), errors="coerce").astype("float64")
    if measured is None or not isinstance(measured, pd.Series):
        measured = pd.Series(np.nan, index=out.index)
    bad = measured.notna() & ((measured <= 0) | (measured > MAX_PLAUSIBLE_HEIGHT_M))
    if issues is not None:
        for row in np.flatnonzero(bad.to_numpy()):
            issues.append(
                Issue(
                    Severity.INFO,
                    "height_unusable",
                    f"height {measured.iloc[row]:g} m is not a real height; derived instead",
                    source,
                    str(out["id"].iloc[row]) if "id" in out else str(row),
                )
            )
    height = measured.where(~bad)
    kind = pd.Series(np.where(height.notna(), "measured", None), index=out.index, dtype=object)

    if roof_altitude_m is not None and ground_altitude_m is not None:
        difference = (
            pd.to_numeric(roof_altitude_m, errors="coerce")
            - pd.to_numeric(ground_altitude_m, errors="coerce")
        ).to_numpy()
        usable = (
            height.isna().to_numpy() & (difference > 0) & (difference <= MAX_PLAUSIBLE_HEIGHT_M)
        )
        height[usable] = difference[usable]
        kind[usable] = "roof_minus_ground"

    floors = pd.to_numeric(out.get("floors"), errors="coerce") if "floors" in out else None
    if floors is not None:
        usable = (height.isna() & floors.gt(0).fillna(False)).to_numpy()
        height[usable] = floors.to_numpy(dtype="float64", na_value=np.nan)[usable] * storey_height_m
        kind[usable] = "floors"

    missing = height.isna().to_numpy()
    uses = out["use"] if "use" in out else pd.Series(U.UNKNOWN, index=out.index)
    defaults = uses.map(DEFAULT_HEIGHT_BY_USE_M).fillna(DEFAULT_HEIGHT_BY_USE_M[U.UNKNOWN])
    height[missing] = defaults.to_numpy(dtype="float64")[missing]
    kind[missing] = "use_default"

    out["height_m"] = height.astype("float64")
    out["height_source"] = kind.astype(str)
    return out


def count_height_sources(buildings: pd.DataFrame) -> dict[str, int]:
    """How many buildings got their height from each source."""
    return {str(k): int(v) for k, v in buildings["height_source"].value_counts().items()}
