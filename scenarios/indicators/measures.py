"""The measures urbanism and people indicators are made of, one value per row of a base layer.

Buildings:

- ``footprint_m2``: area of the footprint polygon (outer walls, holes excluded).
- ``storeys``: ``floors`` where known (> 0), else estimated from the height
  (:func:`~scenarios.indicators.building_uses.estimated_floors`), else 1.
- ``floor_area_m2``: **gross floor area**: the building's ``floor_area_m2`` where known (IFC
  models, new buildings), else footprint × storeys; ``floor_area_<use>_m2`` splits it by use
  (:func:`~scenarios.indicators.building_uses.use_shares`).
- ``surface_de_plancher_m2``: an estimate of the *surface de plancher* (Code de l'urbanisme,
  article R111-22): gross floor area without annexes (garages and sheds are parking and storage
  areas the article deducts), minus ``land.housing_floor_area_deduction`` (10 %) of the housing
  floor area (the article's deduction for collective housing served by common parts, applied
  here to all housing). Not deducted: wall thickness (the footprint runs to the outer face of
  the walls, the surface de plancher to the inner one: a few % more), stairwells, heights under
  1.80 m, cellars and technical rooms, which the data does not describe.
- ``height_m`` (NaN where unknown) and ``height_known`` (1 where known), ``dwellings``,
  ``inhabitants``, ``households``.
- ``jobs`` and ``jobs_<use>``: office, retail and industrial floor area divided by
  ``people.office_m2_per_job``, ``people.retail_m2_per_job`` and
  ``people.industry_m2_per_job``. Logistics is not told apart from industry by the use
  classification, so warehouses count at the industry ratio (override it where the industrial
  areas are mostly warehouses: ``people.logistics_m2_per_job``). Public facilities (schools,
  town hall, health, worship, sport) count **no jobs**: their jobs per m² range from none (a
  church) to office-like (a town hall) and the assumptions give no ratio; their floor area is
  shown beside. Housing, annexes and unknown uses count none either (home workers are not
  counted).

Parcels: ``parcel_area_m2``: the cadastral area ``contenance_m2`` where known, else the area of
the polygon. Storeys: ``storey_floor_area_m2`` (``area_m2``). Spaces: ``net_floor_area_m2`` and
``net_floor_area_<use>_m2`` (``area_m2`` by the room's use).
"""

from __future__ import annotations

import numpy as np
import shapely

from scenarios.indicators.building_uses import (
    AREA_USES,
    STOREY_ASSUMPTIONS,
    estimated_floors,
    use_shares,
)
from scenarios.indicators.measure_context import MeasureContext
from scenarios.indicators.plans import measure_group

HOUSING_DEDUCTION = "land.housing_floor_area_deduction"
#: Jobs: use → the assumption giving its m² per job.
M2_PER_JOB = {
    "office": "people.office_m2_per_job",
    "retail": "people.retail_m2_per_job",
    "industrial": "people.industry_m2_per_job",
}
FLOOR_AREA_BY_USE = tuple(f"floor_area_{use}_m2" for use in AREA_USES)
NET_AREA_BY_USE = tuple(f"net_floor_area_{use}_m2" for use in AREA_USES)


def _areas(geometry: np.ndarray) -> np.ndarray:
    areas = shapely.area(geometry).astype("float64") if len(geometry) else np.empty(0)
    return np.nan_to_num(areas)


@measure_group("footprint", "buildings", ("footprint_m2",), ("buildings.geometry",), rowwise=True)
def footprint(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Footprint area of each building (m²)."""
    return {"footprint_m2": _areas(ctx.geometry())}


@measure_group(
    "floor_area",
    "buildings",
    ("storeys", "floor_area_m2", *FLOOR_AREA_BY_USE),
    (
        "buildings.floors",
        "buildings.height_m",
        "buildings.use",
        "buildings.use_mix",
        "buildings.floor_area_m2",
    ),
    needs=("footprint",),
    assumptions=STOREY_ASSUMPTIONS,
    rowwise=True,
)
def floor_area(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Storeys and gross floor area, in all and by use, of each building."""
    use = ctx.categories("use")
    known = ctx.numbers("floors")
    estimate = estimated_floors(ctx.numbers("height_m"), use, ctx.assumptions)
    storeys = np.where(known > 0, known, np.where(np.isfinite(estimate), estimate, 1.0))
    given = ctx.numbers("floor_area_m2")
    gross = np.where(given > 0, given, ctx.measure("footprint_m2") * storeys)
    by_use = gross[:, None] * use_shares(use, ctx.categories("use_mix"), storeys)
    out = {name: by_use[:, i] for i, name in enumerate(FLOOR_AREA_BY_USE)}
    out["storeys"] = storeys
    out["floor_area_m2"] = gross
    return out


@measure_group(
    "surface_de_plancher",
    "buildings",
    ("surface_de_plancher_m2",),
    (),
    needs=("floor_area",),
    assumptions=(HOUSING_DEDUCTION,),
    rowwise=True,
)
def surface_de_plancher(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Estimated surface de plancher (R111-22) of each building."""
    deduction = ctx.assumptions.value(HOUSING_DEDUCTION)
    gross = ctx.measure("floor_area_m2") - ctx.measure("floor_area_annex_m2")
    return {"surface_de_plancher_m2": gross - deduction * ctx.measure("floor_area_residential_m2")}


@measure_group(
    "jobs",
    "buildings",
    ("jobs", *(f"jobs_{use}" for use in M2_PER_JOB)),
    (),
    needs=("floor_area",),
    assumptions=tuple(M2_PER_JOB.values()),
    rowwise=True,
)
def jobs(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Jobs from office, retail and industrial floor area (m² per job from the assumptions)."""
    out = {
        f"jobs_{use}": ctx.measure(f"floor_area_{use}_m2") / ctx.assumptions.value(key)
        for use, key in M2_PER_JOB.items()
    }
    out["jobs"] = np.sum(list(out.values()), axis=0) if ctx.n else np.empty(0)
    return out


@measure_group(
    "heights", "buildings", ("height_m", "height_known"), ("buildings.height_m",), rowwise=True
)
def heights(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Heights (NaN where unknown or 0) and whether each is known."""
    height = ctx.numbers("height_m")
    height = np.where(height > 0, height, np.nan)
    return {"height_m": height, "height_known": np.isfinite(height).astype("float64")}


@measure_group("dwellings", "buildings", ("dwellings",), ("buildings.dwellings",), rowwise=True)
def dwellings(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Dwellings of each building (NaN where unknown)."""
    return {"dwellings": ctx.numbers("dwellings")}


@measure_group(
    "inhabitants", "buildings", ("inhabitants",), ("buildings.inhabitants",), rowwise=True
)
def inhabitants(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Inhabitants allocated to each building (twin.population)."""
    return {"inhabitants": ctx.numbers("inhabitants")}


@measure_group("households", "buildings", ("households",), ("buildings.households",), rowwise=True)
def households(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Households allocated to each building (twin.population)."""
    return {"households": ctx.numbers("households")}


@measure_group(
    "parcel_area",
    "parcels",
    ("parcel_area_m2",),
    ("parcels.contenance_m2", "parcels.geometry"),
    rowwise=True,
)
def parcel_area(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Cadastral area of each parcel (m²), the polygon's where the cadastre gives none."""
    legal = ctx.numbers("contenance_m2")
    return {"parcel_area_m2": np.where(legal > 0, legal, _areas(ctx.geometry()))}


@measure_group(
    "storey_area", "storeys", ("storey_floor_area_m2",), ("storeys.area_m2",), rowwise=True
)
def storey_area(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Gross floor area of each storey (IFC), NaN where the model gives none."""
    return {"storey_floor_area_m2": ctx.numbers("area_m2")}


@measure_group(
    "space_area",
    "spaces",
    ("net_floor_area_m2", *NET_AREA_BY_USE),
    ("spaces.area_m2", "spaces.use"),
    rowwise=True,
)
def space_area(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Net floor area of each room, and the same split by the room's use."""
    area = ctx.numbers("area_m2")
    no_mix: tuple[np.ndarray, list[str]] = (np.full(ctx.n, -1, dtype=np.int64), [])
    shares = use_shares(ctx.categories("use"), no_mix, np.ones(ctx.n))
    out = {name: area * shares[:, i] for i, name in enumerate(NET_AREA_BY_USE)}
    out["net_floor_area_m2"] = area
    return out
