"""Premises to connect: the dwellings and business premises of new and changed buildings.

Per building, from the indicator engine's building values before and after the scenario
(``dwellings_building``, ``floor_area_<use>_m2_building``):

- new dwellings = dwellings after − dwellings before (never below 0; all of them for a new
  building);
- new business floor area = Σ over office, retail, public and industrial uses of
  max(area after − area before, 0): floor area that is new *in its use* (built, or turned from
  another use: a town hall turned into offices and shops opens new premises);
- new business premises = new business floor area / ``fibre.business_premise_m2``, rounded,
  at least 1 where there is any;
- premises to connect = new dwellings + new business premises;
- premises after = all dwellings + business premises of the building after the scenario: those
  the smart-energy equipment (meters) is counted for.

Example:
    >>> business_premises(np.array([0.0, 30.0, 522.2, 1000.0]), 100.0).tolist()
    [0.0, 1.0, 5.0, 10.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scenarios.study.changes import Changes

BUSINESS_USES = ("office", "retail", "public", "industrial")
AREA_INDICATORS = tuple(f"floor_area_{use}_m2_building" for use in BUSINESS_USES)
DWELLINGS = "dwellings_building"
ENERGY = "final_energy_kwh_building"
BUILDING_INDICATORS = (*AREA_INDICATORS, DWELLINGS, ENERGY)
PREMISE_M2 = "fibre.business_premise_m2"


def business_premises(area_m2: np.ndarray, m2_per_premise: float) -> np.ndarray:
    """Business premises on a floor area: area / m² per premise, rounded, ≥ 1 where area > 0."""
    area = np.nan_to_num(np.asarray(area_m2, dtype="float64"))
    return np.where(area > 0, np.maximum(np.round(area / m2_per_premise), 1.0), 0.0)


def premises_table(
    changes: Changes, before: pd.DataFrame, after: pd.DataFrame, m2_per_premise: float
) -> pd.DataFrame:
    """One row per new or changed building (index: building id, new ones first).

    ``before`` and ``after`` are the engine's building values (:data:`BUILDING_INDICATORS`
    columns, index building id) of the compared City and of the scenario's.
    """
    ids = pd.Index(changes.studied_ids, name="id")
    rows = changes.after.set_index(changes.after["id"].astype(str)).reindex(ids)
    was = before.reindex(ids).astype("float64").fillna(0.0)
    now = after.reindex(ids).astype("float64").fillna(0.0)
    area_before = was[list(AREA_INDICATORS)].to_numpy()
    area_after = now[list(AREA_INDICATORS)].to_numpy()
    new_area = np.clip(area_after - area_before, 0.0, None).sum(axis=1)
    new_dwellings = np.clip(now[DWELLINGS].to_numpy() - was[DWELLINGS].to_numpy(), 0.0, None)
    new_business = business_premises(new_area, m2_per_premise)
    business_after = business_premises(area_after.sum(axis=1), m2_per_premise)
    frame = pd.DataFrame(
        {
            "status": [changes.status_of()[i] for i in ids],
            "name": rows["name"].to_numpy() if "name" in rows.columns else None,
            "use": rows["use"].to_numpy() if "use" in rows.columns else None,
            "dwellings_before": was[DWELLINGS].to_numpy(),
            "dwellings_after": now[DWELLINGS].to_numpy(),
            "new_dwellings": new_dwellings,
            "business_area_before_m2": area_before.sum(axis=1),
            "business_area_after_m2": area_after.sum(axis=1),
            "new_business_area_m2": new_area,
            "new_business_premises": new_business,
            "premises_to_connect": new_dwellings + new_business,
            "premises_after": now[DWELLINGS].to_numpy() + business_after,
            "final_energy_before_kwh": was[ENERGY].to_numpy(),
            "final_energy_after_kwh": now[ENERGY].to_numpy(),
        },
        index=ids,
    )
    return frame


PREMISES_UNITS = {
    "dwellings_before": "dwellings",
    "dwellings_after": "dwellings",
    "new_dwellings": "dwellings",
    "business_area_before_m2": "m2",
    "business_area_after_m2": "m2",
    "new_business_area_m2": "m2",
    "new_business_premises": "premises",
    "premises_to_connect": "premises",
    "premises_after": "premises",
    "final_energy_before_kwh": "kWh/yr",
    "final_energy_after_kwh": "kWh/yr",
}
