"""Dasymetric allocation: the inhabitants of gridded population cells shared among buildings.

INSEE's Filosofi grid says how many people and households live in each 200 m cell, not in
which building. Each cell's inhabitants and households are shared among the residential
buildings in it in proportion to their residential floor area; a building straddling cells
takes part in each cell with the share of its footprint lying in it. Totals are conserved:
what a cell holds goes to its buildings, and a cell with people but no residential building
keeps them as *unallocated*, listed in the issues (allocated + unallocated = total).

Pure geopandas/numpy; :func:`apply_population` writes the result into a City through
:meth:`~twin.city.City.update_values`, so the change events fire.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from twin.city import City
from twin.issues import Issue, Severity
from twin.uses import BuildingUse

logger = logging.getLogger(__name__)

#: Share of a building's floor area that is housing, by use. A mixed building (BD TOPO: two
#: main usages, e.g. shops below flats) is assumed to be half housing; other uses house nobody.
RESIDENTIAL_SHARE: dict[str, float] = {BuildingUse.RESIDENTIAL: 1.0, BuildingUse.MIXED: 0.5}
#: Storey height used to estimate floors from a height when the floors are unknown (m).
STOREY_HEIGHT_M = 3.0
SOURCE = "population allocation"
CELLS_LAYER = "population_cells"


@dataclass(frozen=True)
class Allocation:
    """The result of :func:`allocate_population`.

    Attributes:
        buildings: per building id: ``residential_floor_area_m2`` (the weight),
            ``inhabitants`` and ``households`` (floats, 0 for buildings that house nobody).
        cells: per cell id: ``inhabitants``, ``households`` (the grid's, missing as 0),
            ``residential_buildings`` (how many share it), ``residential_floor_area_m2``,
            ``allocated_inhabitants``, ``allocated_households``, ``unallocated_inhabitants``,
            ``unallocated_households``.
        issues: one ``population_cell_without_housing`` warning per cell with people and no
            residential building (its amounts), one info per residential building outside
            every cell.
    """

    buildings: pd.DataFrame
    cells: pd.DataFrame
    issues: list[Issue]

    @property
    def total_inhabitants(self) -> float:
        """Inhabitants of all cells."""
        return float(self.cells["inhabitants"].sum())

    @property
    def allocated_inhabitants(self) -> float:
        """Inhabitants given to buildings."""
        return float(self.cells["allocated_inhabitants"].sum())

    @property
    def unallocated_inhabitants(self) -> float:
        """Inhabitants of cells without a residential building."""
        return float(self.cells["unallocated_inhabitants"].sum())

    @property
    def cells_without_housing(self) -> list[str]:
        """Ids of the cells with inhabitants and no residential building."""
        cells = self.cells
        return [str(i) for i in cells.index[cells["unallocated_inhabitants"] > 0]]

    def summary(self) -> str:
        """One line: allocated + unallocated = total, in inhabitants and households."""
        cells = self.cells
        return (
            f"{self.allocated_inhabitants:,.1f} of {self.total_inhabitants:,.1f} inhabitants "
            f"({cells['allocated_households'].sum():,.1f} of {cells['households'].sum():,.1f} "
            f"households) shared among {int((self.buildings['inhabitants'] > 0).sum())} "
            f"residential buildings; {self.unallocated_inhabitants:,.1f} inhabitants left in "
            f"{len(self.cells_without_housing)} cell(s) without housing"
        )


def residential_floor_area_m2(
    buildings: gpd.GeoDataFrame,
    *,
    storey_height_m: float = STOREY_HEIGHT_M,
    shares: Mapping[str, float] = RESIDENTIAL_SHARE,
) -> np.ndarray:
    """Residential floor area of each building, the weight of the allocation (m²).

    The floor area is ``floor_area_m2`` where known (> 0), else footprint area × floors; when
    the floors are unknown they are estimated as ``height_m / storey_height_m`` rounded, at
    least 1 (an estimate: roofs make heights a little more than floors × 3 m). The floor area
    is then multiplied by the use's residential share (:data:`RESIDENTIAL_SHARE`).

    >>> from shapely.geometry import box
    >>> frame = gpd.GeoDataFrame({"use": ["residential", "mixed", "residential", "retail"],
    ...     "floors": [2, None, None, 1], "height_m": [7.0, 9.0, None, 4.0],
    ...     "floor_area_m2": [None, None, 50.0, None]}, geometry=[box(0, 0, 10, 10)] * 4)
    >>> residential_floor_area_m2(frame).tolist()
    [200.0, 150.0, 50.0, 0.0]
    """
    index = buildings.index
    footprint = shapely.area(buildings.geometry.to_numpy())
    floors = _floats(buildings, "floors", index)
    height = _floats(buildings, "height_m", index)
    estimated = np.maximum(1.0, np.floor(np.nan_to_num(height / storey_height_m) + 0.5))
    floors = np.where(floors > 0, floors, estimated)
    floor_area = _floats(buildings, "floor_area_m2", index)
    area = np.where(floor_area > 0, floor_area, footprint * floors)
    uses = buildings["use"] if "use" in buildings else pd.Series(None, index=index, dtype=object)
    share = uses.astype(object).map(dict(shares)).astype("float64").fillna(0.0).to_numpy()
    return np.nan_to_num(area * share)


def _floats(frame: pd.DataFrame, name: str, index: pd.Index) -> np.ndarray:
    if name not in frame:
        return np.full(len(index), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def allocate_population(
    buildings: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    storey_height_m: float = STOREY_HEIGHT_M,
    shares: Mapping[str, float] = RESIDENTIAL_SHARE,
) -> Allocation:
    """Share each cell's inhabitants and households among its residential buildings.

    A building's weight in a cell is its residential floor area
    (:func:`residential_floor_area_m2`) times the share of its footprint inside the cell
    (intersection areas, vectorised); the part of a footprint outside every cell counts for
    nothing. Each cell gives its buildings ``inhabitants × weight / sum of the cell's weights``.
    Missing counts count as 0. ``cells`` is reprojected to the buildings' CRS if needed.
    """
    weights = residential_floor_area_m2(buildings, storey_height_m=storey_height_m, shares=shares)
    cell_ids = cells["id"].astype(str).to_numpy()
    building_ids = buildings["id"].astype(str).to_numpy()
    if (
        cells.crs is not None
        and buildings.crs is not None
        and not CRS(cells.crs).equals(buildings.crs)
    ):
        cells = cells.to_crs(buildings.crs)
    building_index, cell_index, pair_weight = _pair_weights(buildings, cells, weights)
    inhabitants = _counts(cells, "inhabitants")
    households = _counts(cells, "households")
    cell_weight = np.bincount(cell_index, weights=pair_weight, minlength=len(cells))
    share = pair_weight / cell_weight[cell_index]
    pair_inhabitants = inhabitants[cell_index] * share
    pair_households = households[cell_index] * share
    per_building = pd.DataFrame(
        {
            "residential_floor_area_m2": weights,
            "inhabitants": np.bincount(
                building_index, weights=pair_inhabitants, minlength=len(buildings)
            ),
            "households": np.bincount(
                building_index, weights=pair_households, minlength=len(buildings)
            ),
        },
        index=pd.Index(building_ids, name="id"),
    )
    housed = cell_weight > 0
    per_cell = pd.DataFrame(
        {
            "inhabitants": inhabitants,
            "households": households,
            "residential_buildings": np.bincount(cell_index, minlength=len(cells)),
            "residential_floor_area_m2": cell_weight,
            "allocated_inhabitants": np.where(housed, inhabitants, 0.0),
            "allocated_households": np.where(housed, households, 0.0),
            "unallocated_inhabitants": np.where(housed, 0.0, inhabitants),
            "unallocated_households": np.where(housed, 0.0, households),
        },
        index=pd.Index(cell_ids, name="id"),
    )
    outside = (weights > 0) & (np.bincount(building_index, minlength=len(buildings)) == 0)
    issues = _cell_issues(per_cell) + _outside_issues(building_ids[outside])
    allocation = Allocation(per_building, per_cell, issues)
    logger.info("population allocation: %s", allocation.summary())
    return allocation


def _counts(cells: pd.DataFrame, name: str) -> np.ndarray:
    if name not in cells:
        return np.zeros(len(cells))
    values = pd.to_numeric(cells[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isfinite(values) & (values > 0), values, 0.0)


def _pair_weights(
    buildings: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(building row, cell row, weight) for every residential building part inside a cell."""
    footprints = buildings.geometry.to_numpy()
    squares = cells.geometry.to_numpy()
    candidates = np.flatnonzero((weights > 0) & ~shapely.is_missing(footprints))
    if not len(candidates) or not len(squares):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0)
    tree = shapely.STRtree(squares)
    found, cell_index = tree.query(footprints[candidates], predicate="intersects")
    building_index = candidates[found]
    parts, whole = footprints[building_index], squares[cell_index]
    shapely.prepare(whole)
    fraction = np.ones(len(parts))
    cut = ~shapely.covers(whole, parts)
    if cut.any():
        pieces, blocks = parts[cut], whole[cut]
        invalid = ~shapely.is_valid(pieces)
        pieces[invalid] = shapely.make_valid(pieces[invalid])
        area = shapely.area(parts[cut])
        inside = shapely.area(shapely.intersection(pieces, blocks))
        fraction[cut] = np.divide(inside, area, out=np.zeros(len(area)), where=area > 0)
    pair_weight = weights[building_index] * np.clip(fraction, 0.0, 1.0)
    keep = pair_weight > 0
    return building_index[keep], cell_index[keep], pair_weight[keep]


def _cell_issues(cells: pd.DataFrame) -> list[Issue]:
    lost = cells[(cells["unallocated_inhabitants"] > 0) | (cells["unallocated_households"] > 0)]
    return [
        Issue(
            Severity.WARNING,
            "population_cell_without_housing",
            f"{people:g} inhabitants and {homes:g} households not allocated: no residential "
            "building in this cell (they stay counted in the cell)",
            SOURCE,
            str(cell),
        )
        for cell, people, homes in zip(
            lost.index,
            lost["unallocated_inhabitants"],
            lost["unallocated_households"],
            strict=True,
        )
    ]


def _outside_issues(building_ids: np.ndarray) -> list[Issue]:
    return [
        Issue(
            Severity.INFO,
            "residential_building_outside_grid",
            "residential building in no inhabited cell of the grid: 0 inhabitants",
            SOURCE,
            str(building),
        )
        for building in building_ids
    ]


def apply_population(city: City, *, storey_height_m: float = STOREY_HEIGHT_M) -> list[Issue]:
    """Allocate the City's ``population_cells`` to its ``buildings`` and write the result.

    Sets ``buildings.inhabitants`` and ``households`` and
    ``population_cells.allocated_inhabitants`` with :meth:`City.update_values` (so listeners
    hear of it), and returns the allocation's issues followed by one ``population_allocated``
    summary (allocated + unallocated = total). Does nothing (no issues) when the City lacks
    either layer.
    """
    if "buildings" not in city or CELLS_LAYER not in city:
        return []
    buildings, cells = city.layer("buildings"), city.layer(CELLS_LAYER)
    allocation = allocate_population(buildings, cells, storey_height_m=storey_height_m)
    per_building = allocation.buildings
    city.update_values(
        "buildings",
        per_building.index.tolist(),
        {
            "inhabitants": per_building["inhabitants"].to_numpy(),
            "households": per_building["households"].to_numpy(),
        },
    )
    city.update_values(
        CELLS_LAYER,
        allocation.cells.index.tolist(),
        {"allocated_inhabitants": allocation.cells["allocated_inhabitants"].to_numpy()},
    )
    summary = Issue(Severity.INFO, "population_allocated", allocation.summary(), SOURCE)
    return [*allocation.issues, summary]
