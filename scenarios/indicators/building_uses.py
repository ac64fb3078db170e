"""How a building's floor area splits among uses, and how many storeys it has when unknown.

**Shares by use.** A building's ``use_mix`` (JSON ``{"residential": 0.8, "retail": 0.2}``)
gives the shares of its floor area; they are divided by their sum, and keys that are not a use
of :class:`twin.uses.BuildingUse` count as ``unknown``. Without a valid mix the whole floor area
has the building's ``use``, except for ``mixed`` buildings: BD TOPO calls a building mixed when
it has two main uses (housing over a shop, the usual case), so its **ground floor is counted as
retail and the floors above as housing** (a one-storey mixed building half and half).

**Storeys when unknown.** ``floors = ⌊height / storey height + 0.05⌋``, at least 1, with the
storey height of the use from the assumptions (``storey.housing_height_m`` for housing, annexes
and unknown uses, ``storey.office_height_m`` for offices, public and industrial buildings,
``storey.shop_ground_floor_height_m`` for a shop's ground floor). The height runs to the top of
the roof, so a part storey under the roof is not counted; the 0.05 lets a 14.9 m building of
3 m storeys keep its fifth storey.
"""

from __future__ import annotations

import json
import logging
import math

import numpy as np
import pandas as pd

from scenarios.assumptions import Assumptions
from twin.uses import BuildingUse

logger = logging.getLogger(__name__)

#: The uses floor area is split into (``mixed`` is split into its parts).
AREA_USES: tuple[str, ...] = (
    BuildingUse.RESIDENTIAL.value,
    BuildingUse.OFFICE.value,
    BuildingUse.RETAIL.value,
    BuildingUse.PUBLIC.value,
    BuildingUse.INDUSTRIAL.value,
    BuildingUse.ANNEX.value,
    BuildingUse.UNKNOWN.value,
)
_COLUMN = {use: i for i, use in enumerate(AREA_USES)}
_RESIDENTIAL, _RETAIL, _UNKNOWN = _COLUMN["residential"], _COLUMN["retail"], _COLUMN["unknown"]
_STOREY_TOLERANCE = 0.05

HOUSING_STOREY = "storey.housing_height_m"
OFFICE_STOREY = "storey.office_height_m"
SHOP_GROUND_FLOOR = "storey.shop_ground_floor_height_m"
STOREY_ASSUMPTIONS = (HOUSING_STOREY, OFFICE_STOREY, SHOP_GROUND_FLOOR)


Categories = tuple[np.ndarray, list[str]]
"""A text column as integer codes (-1: missing) and the distinct texts they point to."""


def categories(values: pd.Series | Categories) -> Categories:
    """Codes and distinct texts of a text column (passed through when already split)."""
    if isinstance(values, tuple):
        return values
    codes, uniques = pd.factorize(values)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def _per_row(values: list[object], codes: np.ndarray, missing: object) -> np.ndarray:
    """``values[code]`` for each row (``missing`` where the code is -1)."""
    return np.array([*values, missing])[codes]


def estimated_floors(
    height_m: np.ndarray, use: pd.Series | Categories, assumptions: Assumptions
) -> np.ndarray:
    """Storeys above ground from the height and the use's storey height (NaN without height).

    Example:
        >>> from scenarios.assumptions import defaults
        >>> uses = pd.Series(["residential", "office", "mixed", "retail"])
        >>> estimated_floors(np.array([14.9, 7.0, 10.25, 5.0]), uses, defaults()).tolist()
        [5.0, 2.0, 3.0, 1.0]
    """
    housing = assumptions.value(HOUSING_STOREY)
    office = assumptions.value(OFFICE_STOREY)
    shop = assumptions.value(SHOP_GROUND_FLOOR)
    codes, texts = categories(use)
    storey = _per_row(
        [office if t in ("office", "public", "industrial") else housing for t in texts],
        codes,
        housing,
    )
    upper = _per_row([office if t == "retail" else housing for t in texts], codes, housing)
    over_a_shop = _per_row([t in ("retail", "mixed") for t in texts], codes, False)
    with np.errstate(invalid="ignore"):
        plain = np.floor(height_m / storey + _STOREY_TOLERANCE)
        over_shop = 1.0 + np.floor(np.maximum(height_m - shop, 0.0) / upper + _STOREY_TOLERANCE)
    floors = np.where(over_a_shop.astype(bool), over_shop, plain)
    return np.where(np.isfinite(height_m), np.maximum(floors, 1.0), np.nan)


def use_shares(
    use: pd.Series | Categories, use_mix: pd.Series | Categories, floors: np.ndarray
) -> np.ndarray:
    """Shares of floor area by use, one row per building and one column per :data:`AREA_USES`.

    Example:
        >>> shares = use_shares(
        ...     pd.Series(["residential", "mixed", "office"]),
        ...     pd.Series([None, None, '{"office": 3, "retail": 1}']),
        ...     np.array([2.0, 4.0, 1.0]),
        ... )
        >>> shares.round(2).tolist()[1:]
        [[0.75, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0], [0.0, 0.75, 0.25, 0.0, 0.0, 0.0, 0.0]]
    """
    codes, texts = categories(use)
    n = len(codes)
    columns = _per_row([_COLUMN.get(t, _UNKNOWN) for t in texts], codes, _UNKNOWN)
    shares = np.zeros((n, len(AREA_USES)))
    shares[np.arange(n), columns.astype(np.int64)] = 1.0
    mixed = _per_row([t == BuildingUse.MIXED.value for t in texts], codes, False).astype(bool)
    if mixed.any():
        storeys = floors[mixed]
        ground = np.full(len(storeys), 0.5)
        several = np.isfinite(storeys) & (storeys >= 2)
        ground[several] = 1.0 / storeys[several]
        shares[mixed] = 0.0
        shares[mixed, _RETAIL] = ground
        shares[mixed, _RESIDENTIAL] = 1.0 - ground
    mix_codes, mix_texts = categories(use_mix)
    if mix_texts:
        table = np.vstack([_parse_mix(text) for text in mix_texts])
        valid = ~np.isnan(table[:, 0])
        rows = (mix_codes >= 0) & valid[np.maximum(mix_codes, 0)]
        shares[rows] = table[mix_codes[rows]]
        bad = [t for t, ok in zip(mix_texts, valid, strict=True) if not ok and t.strip()]
        if bad:
            logger.warning(
                "%d use mix value(s) unreadable, the building's use was taken instead: %s",
                len(bad),
                "; ".join(bad[:3]),
            )
    return shares


def _parse_mix(text: str) -> np.ndarray:
    """One use mix as shares (NaN row when it is not a JSON object of non-negative numbers)."""
    row = np.zeros(len(AREA_USES))
    try:
        mix = json.loads(text)
    except ValueError:
        mix = None
    if not isinstance(mix, dict):
        return np.full(len(AREA_USES), np.nan)
    for key, value in mix.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            return np.full(len(AREA_USES), np.nan)
        if not math.isfinite(value) or value < 0:
            return np.full(len(AREA_USES), np.nan)
        row[_COLUMN.get(str(key).strip().lower(), _UNKNOWN)] += float(value)
    total = row.sum()
    return row / total if total > 0 else np.full(len(AREA_USES), np.nan)
