"""Floors, floor areas, dwellings and people of buildings, as the building edits change them.

The rules, in one place (docs/scenario-file.md repeats them for planners); floors and shares by
use are those of the indicators (:mod:`scenarios.indicators.building_uses`), so an edit and the
indicators count the same storeys:

- Storey height by use from the assumptions: housing ``storey.housing_height_m`` (3 m), offices,
  public and industrial buildings ``storey.office_height_m`` (3.5 m); a shop has a ground floor
  of ``storey.shop_ground_floor_height_m`` (4.25 m) and office-height storeys above; other uses
  take the housing height. A storey added on top has the upper-storey height of the use.
- Floors where unknown: estimated from the height as the indicators do, at least 1.
- Gross floor area (surface de plancher): ``floor_area_m2`` where known, else footprint area ×
  floors.
- Residential share: from ``use_mix`` where it is set, else 1 for residential buildings, the
  floors above a shop for mixed ones and 0 for the others.
- Dwellings of new housing: residential floor area / ``people.floor_area_per_dwelling_m2``
  (92.5 m²), rounded half up.
- People follow dwellings: each dwelling added houses one household of
  ``people.persons_per_household`` (2.16) persons; when dwellings are removed, the building's
  inhabitants and households shrink in proportion. The population grid is not re-allocated
  (that would take the newcomers' numbers from their neighbours: a scenario adds people).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import shapely

from scenarios.assumptions import Assumptions
from scenarios.edits.refusals import refuse
from scenarios.indicators.building_uses import AREA_USES, estimated_floors, use_shares
from twin.uses import ALL_USES, BuildingUse

HOUSING_STOREY = "storey.housing_height_m"
OFFICE_STOREY = "storey.office_height_m"
SHOP_GROUND_FLOOR = "storey.shop_ground_floor_height_m"
#: Uses whose storeys (above a shop's ground floor, for retail) have the office height.
OFFICE_HEIGHT_USES = ("office", "public", "industrial", "retail")
#: Uses a share of a use mix may name ("mixed" and "unknown" say nothing about the floor area).
MIX_USES: tuple[str, ...] = tuple(u for u in ALL_USES if u not in ("mixed", "unknown"))
SHARE_TOLERANCE = 0.001
_RESIDENTIAL_COLUMN = AREA_USES.index(BuildingUse.RESIDENTIAL.value)


def storey_height_m(use: str, assumptions: Assumptions) -> float:
    """The height of a storey of a use above the ground floor (m).

    Example:
        >>> from scenarios.assumptions import defaults
        >>> storey_height_m("office", defaults()), storey_height_m("residential", defaults())
        (3.5, 3.0)
    """
    key = OFFICE_STOREY if str(use) in OFFICE_HEIGHT_USES else HOUSING_STOREY
    return assumptions.value(key)


def storey_heights_m(uses: pd.Series, assumptions: Assumptions) -> np.ndarray:
    """:func:`storey_height_m` of each row."""
    heights = {use: storey_height_m(use, assumptions) for use in ALL_USES}
    housing = assumptions.value(HOUSING_STOREY)
    return uses.astype(object).map(heights).astype("float64").fillna(housing).to_numpy()


def building_height_m(use: str, floors: int, assumptions: Assumptions) -> float:
    """Height of a new building of ``floors`` storeys of a use: a shop's ground floor is
    higher.

    Example:
        >>> from scenarios.assumptions import defaults
        >>> building_height_m("retail", 3, defaults())  # 4.25 m + 2 × 3.5 m
        11.25
        >>> building_height_m("residential", 3, defaults())
        9.0
    """
    storey = storey_height_m(use, assumptions)
    if use == BuildingUse.RETAIL:
        return assumptions.value(SHOP_GROUND_FLOOR) + (floors - 1) * storey
    return floors * storey


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64, NaN where missing (or absent)."""
    if column not in frame:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[column], errors="coerce")
    return values.to_numpy(dtype="float64", na_value=np.nan)


def floors_of(rows: pd.DataFrame, assumptions: Assumptions) -> np.ndarray:
    """Floors of each building: known, else estimated from the height as the indicators do
    (:func:`~scenarios.indicators.building_uses.estimated_floors`), else 1."""
    floors = numbers(rows, "floors")
    estimated = estimated_floors(numbers(rows, "height_m"), rows["use"], assumptions)
    return np.where(floors > 0, floors, np.nan_to_num(estimated, nan=1.0))


def gross_floor_area_m2(rows: pd.DataFrame, floors: np.ndarray) -> np.ndarray:
    """Gross floor area: ``floor_area_m2`` where known, else footprint area × floors."""
    known = numbers(rows, "floor_area_m2")
    footprint = shapely.area(rows.geometry.to_numpy())
    return np.where(known > 0, known, footprint * floors)


def parse_use_mix(text: object) -> dict[str, float] | None:
    """A ``use_mix`` JSON text as ``{use: share}``, None where missing or unreadable."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}


def residential_shares(rows: pd.DataFrame, floors: np.ndarray) -> np.ndarray:
    """Share of each building's floor area that is housing (use mix, else by use; a mixed
    building houses people above its ground-floor shop), as the indicators count it."""
    mix = rows["use_mix"] if "use_mix" in rows else pd.Series(None, index=rows.index)
    shares = use_shares(rows["use"].astype(object), mix.astype(object), floors)
    return np.asarray(shares[:, _RESIDENTIAL_COLUMN], dtype="float64")


def check_use_mix(shares: Mapping[str, float], field: str = "use_mix") -> None:
    """Refuse shares that name an unknown use, are not in (0, 1] or do not sum to 1.

    Example:
        >>> check_use_mix({"residential": 0.7, "retail": 0.2})
        Traceback (most recent call last):
        scenarios.edits.refusals.RefusedError: use_mix shares sum to 0.9, not 1; ...
    """
    if not shares:
        raise refuse(
            "mix_empty",
            f"{field} is empty; give shares such as {{residential = 1.0}}.",
            field=field,
        )
    for use, share in shares.items():
        if use not in MIX_USES:
            raise refuse(
                "use_unknown",
                f"{field}: unknown use '{use}'; use one of {', '.join(MIX_USES)}.",
                use=use,
                uses=list(MIX_USES),
            )
        if not 0 < share <= 1:
            raise refuse(
                "share_range",
                f"{field}: the share of '{use}' is {share:g}, not in (0, 1].",
                use=use,
                share=share,
            )
    total = math.fsum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise refuse(
            "shares_total",
            f"{field} shares sum to {total:g}, not 1; make them add up to 1 "
            "(e.g. residential = 0.75, retail = 0.25).",
            total=total,
        )


def main_use(shares: Mapping[str, float]) -> str:
    """The use with the largest share (the first one listed among equals).

    Example:
        >>> main_use({"retail": 0.25, "residential": 0.75})
        'residential'
    """
    return max(shares, key=lambda use: shares[use])


def use_mix_json(shares: Mapping[str, float]) -> str:
    """``{use: share}`` as the buildings' ``use_mix`` JSON, largest share first.

    Example:
        >>> use_mix_json({"retail": 0.25, "residential": 0.75})
        '{"residential": 0.75, "retail": 0.25}'
    """
    ordered = sorted(shares.items(), key=lambda item: -item[1])
    return json.dumps({use: round(share, 4) for use, share in ordered})


def half_up(values: np.ndarray) -> np.ndarray:
    """Round halves up, as a planner does (1.5 → 2, 2.5 → 3), forgiving float noise
    (1.4999999999 from 1 × 3/2 counts as 1.5).

    Example:
        >>> half_up(np.array([1.5, 2.5, 32.43, 1 * (3 * 200.0 / 2) / 200.0])).tolist()
        [2.0, 3.0, 32.0, 2.0]
    """
    return np.floor(np.asarray(values, dtype="float64") + 0.5 + 1e-9)


def dwellings_for(residential_area_m2: np.ndarray, assumptions: Assumptions) -> np.ndarray:
    """Dwellings of a residential floor area: area / floor area per dwelling, rounded half up.

    Example:
        >>> from scenarios.assumptions import defaults
        >>> dwellings_for(np.array([3000.0, 0.0]), defaults()).tolist()
        [32, 0]
    """
    per_dwelling = assumptions.value("people.floor_area_per_dwelling_m2")
    return half_up(np.nan_to_num(residential_area_m2) / per_dwelling).astype(np.int64)


def people_after(
    rows: pd.DataFrame,
    old_dwellings: np.ndarray,
    new_dwellings: np.ndarray,
    assumptions: Assumptions,
) -> tuple[np.ndarray, np.ndarray]:
    """Inhabitants and households once the buildings go from ``old_dwellings`` to
    ``new_dwellings`` (NaN counts as 0).

    Added dwellings each house one household of ``people.persons_per_household`` persons;
    removed dwellings take their share of the building's inhabitants and households with them.

    Example:
        >>> from scenarios.assumptions import defaults
        >>> rows = pd.DataFrame({"inhabitants": [4.0, 8.0, None], "households": [2.0, 4.0, None]})
        >>> people, homes = people_after(rows, np.array([2, 4, np.nan]), np.array([3, 2, 10]),
        ...                              defaults())
        >>> people.round(2).tolist(), homes.tolist()
        ([6.16, 4.0, 21.6], [3.0, 2.0, 10.0])
    """
    persons = assumptions.value("people.persons_per_household")
    old = np.nan_to_num(np.asarray(old_dwellings, dtype="float64"))
    new = np.nan_to_num(np.asarray(new_dwellings, dtype="float64"))
    inhabitants = numbers(rows, "inhabitants")
    households = numbers(rows, "households")
    added = np.maximum(new - old, 0.0)
    kept = np.divide(new, old, out=np.ones_like(new), where=(new < old) & (old > 0))
    grown = new != old
    out_people = np.where(grown, np.nan_to_num(inhabitants) * kept + added * persons, inhabitants)
    out_homes = np.where(grown, np.nan_to_num(households) * kept + added, households)
    return out_people, out_homes


def dwellings_after(
    rows: pd.DataFrame,
    old_area_m2: np.ndarray,
    new_area_m2: np.ndarray,
    old_share: np.ndarray,
    new_share: np.ndarray,
    assumptions: Assumptions,
) -> tuple[np.ndarray, np.ndarray]:
    """(old, new) dwellings of buildings whose floor area or residential share changes.

    Known dwellings scale with the residential floor area (the building keeps its dwelling
    size); unknown ones are estimated from the floor area (:func:`dwellings_for`). Buildings
    without housing before and after keep their value (NaN where unknown).
    """
    known = numbers(rows, "dwellings")
    old_housing = old_area_m2 * old_share
    new_housing = new_area_m2 * new_share
    old = np.where(np.isnan(known), dwellings_for(old_housing, assumptions), known)
    ratio = np.divide(
        new_housing, old_housing, out=np.zeros_like(new_housing), where=old_housing > 0
    )
    scaled = half_up(old * ratio)
    new = np.where((old > 0) & (old_housing > 0), scaled, dwellings_for(new_housing, assumptions))
    untouched = (old_share <= 0) & (new_share <= 0)
    return np.where(untouched, known, old), np.where(untouched, known, new)


def int_values(values: np.ndarray) -> list[object]:
    """Whole numbers for an Int64 column, NA where NaN."""
    return [pd.NA if math.isnan(v) else int(v) for v in np.asarray(values, dtype="float64")]
