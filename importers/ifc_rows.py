"""Rows of the IFC layers: spaces, storeys, buildings (with their uses, floors, areas) and
ifc_elements (property and quantity sets as JSON)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import ifcopenshell
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from importers.ifc_crs import Georeference
from importers.ifc_hierarchy import Hierarchy
from importers.ifc_properties import Sets, to_json
from importers.ifc_spatial_rows import SpatialRows
from importers.ifc_uses import building_use, declared_building_use
from twin.issues import Issue, Severity

NAME = "ifc"
#: A storey this close (m) below the ground floor still counts as a floor.
FLOOR_TOLERANCE_M = 0.05


@dataclass(frozen=True)
class Context:
    """What every layer needs: the model, its tree, georeference and property tables, and the
    columns of the spaces and storeys read without geometry."""

    model: ifcopenshell.file
    tree: Hierarchy
    georef: Georeference
    psets: dict[int, Sets]
    qtos: dict[int, Sets]
    spatial: SpatialRows
    crs: CRS
    source: str


def _gdf(columns: dict, geometry: np.ndarray, crs: CRS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(columns), geometry=list(geometry), crs=crs)


def space_rows(
    context: Context, shapes: np.ndarray, mesh_volumes: np.ndarray
) -> tuple[gpd.GeoDataFrame, dict[str, np.ndarray]]:
    """The spaces layer, and per space the position of its storey and of its building.

    ``shapes`` and ``mesh_volumes`` are aligned with ``context.tree.spaces``; they give the
    area and volume of the spaces whose quantity sets have none.
    """
    table = context.spatial.spaces
    shape_area = np.where(shapely.is_empty(shapes), np.nan, shapely.area(shapes)).tolist()
    columns = {name: table[name] for name in _SPACE_COLUMNS if name in table}
    columns["area_m2"] = [
        area if area is not None else fallback
        for area, fallback in zip(table["qto_area_m2"], shape_area, strict=True)
    ]
    columns["volume_m3"] = [
        volume if volume is not None else (mesh_volume if mesh_volume > 0 else np.nan)
        for volume, mesh_volume in zip(table["qto_volume_m3"], mesh_volumes, strict=True)
    ]
    frame = _gdf({name: columns[name] for name in _SPACE_COLUMNS}, shapes, context.crs)
    return frame, {name: np.array(table[name]) for name in ("storey_pos", "building_pos")}


_SPACE_COLUMNS = [
    "id",
    "parent_id",
    "name",
    "long_name",
    "use",
    "area_m2",
    "volume_m3",
    "ifc_global_id",
    "object_type",
]
_STOREY_COLUMNS = [
    "id",
    "parent_id",
    "name",
    "elevation_m",
    "area_m2",
    "ifc_global_id",
]


def storey_rows(
    context: Context, shapes: np.ndarray, bottom: np.ndarray, space_area_m2: np.ndarray
) -> tuple[gpd.GeoDataFrame, dict[str, np.ndarray]]:
    """The storeys layer, and per storey its building's position, its model height and
    whether it is marked the entrance level. Elevations come from the storeys' placements,
    relative to their building's lowest z; ``space_area_m2`` is the area of each storey's
    spaces (NaN without any)."""
    table = context.spatial.storeys
    columns = {name: table[name] for name in _STOREY_COLUMNS if name in table}
    elevations, areas = [], []
    for row, position in enumerate(table["building_pos"]):
        base = bottom[position] if position >= 0 and np.isfinite(bottom[position]) else np.nan
        elevations.append(table["absolute_z_m"][row] - base)
        area = table["qto_area_m2"][row]
        areas.append(area if area is not None else space_area_m2[row])
    columns["elevation_m"], columns["area_m2"] = elevations, areas
    frame = _gdf({name: columns[name] for name in _STOREY_COLUMNS}, shapes, context.crs)
    helpers = {name: np.array(table[name]) for name in ("building_pos", "model_z_m", "entrance")}
    return frame, helpers


def building_rows(
    context: Context,
    footprints: np.ndarray,
    bottom: np.ndarray,
    top: np.ndarray,
    storey_layer: tuple[gpd.GeoDataFrame, dict[str, np.ndarray]],
    space_layer: tuple[gpd.GeoDataFrame, dict[str, np.ndarray]],
    issues: list[Issue],
) -> gpd.GeoDataFrame:
    """The buildings layer; buildings without a footprint are reported and left out.

    ``storey_layer`` and ``space_layer`` are what :func:`storey_rows` and :func:`space_rows`
    return.
    """
    (storeys, storey_helpers), (spaces, space_helpers) = storey_layer, space_layer
    storey_of = _members(storey_helpers["building_pos"], len(footprints))
    spaces_of = _members(space_helpers["building_pos"], len(footprints))
    storey_z = storey_helpers["model_z_m"].astype(float)
    entrance = storey_helpers["entrance"].astype(bool)
    storey_area = storeys["area_m2"].to_numpy(dtype=float)
    space_area = spaces["area_m2"].to_numpy(dtype=float)
    space_use_ = spaces["use"].to_numpy(dtype=str)
    rows = []
    for position, building in enumerate(context.tree.buildings):
        mine, own_spaces = storey_of[position], spaces_of[position]
        floors = _floors(storey_z[mine], entrance[mine]) if len(mine) else None
        common = (context.psets.get(building.id()) or {}).get("Pset_BuildingCommon", {})
        declared = declared_building_use(building[4], common.get("OccupancyType"))
        footprint = footprints[position]
        area = _total(storey_area[mine])
        if not area > 0:
            area = _total(space_area[own_spaces])
        if not area > 0 and footprint is not None:
            area = footprint.area * (floors or 1)
        known = np.isfinite(bottom[position])
        rows.append(
            {
                "id": context.tree.guid[building.id()],
                "parent_id": None,
                "name": building[2] or building[7],  # Name, else LongName
                "use": building_use(space_use_[own_spaces], space_area[own_spaces], declared),
                "height_m": top[position] - bottom[position] if known else np.nan,
                "height_source": "ifc",
                "floors": floors,
                "base_elevation_m": bottom[position]
                if known and context.georef.height_known
                else np.nan,
                "construction_year": _year(common.get("YearOfConstruction")),
                "floor_area_m2": area,
                "source": NAME,
                "source_file": context.source,
            }
        )
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=list(footprints), crs=context.crs)
    frame["floors"] = frame["floors"].astype("Int64")
    frame["construction_year"] = frame["construction_year"].astype("Int64")
    missing = frame.geometry.isna().to_numpy()
    for row in np.flatnonzero(missing):
        issues.append(
            Issue(
                Severity.ERROR,
                "footprint_missing",
                "no wall, slab, roof or other element of it could be tessellated to make its "
                "footprint; left out (its storeys and spaces are kept)",
                context.source,
                str(frame["id"].iloc[row]),
            )
        )
    return frame[~missing].reset_index(drop=True)


def _floors(z: np.ndarray, entrance: np.ndarray) -> int:
    """Storeys (model heights ``z``) at or above the ground floor: the one marked
    EntranceLevel (Pset_BuildingStoreyCommon) if any, else the one nearest the model's zero.

    >>> _floors(np.array([-1.25, 0.0, 3.1, 6.0]), np.zeros(4, bool))
    3
    """
    ground = z[entrance].min() if entrance.any() else z[np.argmin(np.abs(z))]
    return int((z >= ground - FLOOR_TOLERANCE_M).sum())


def _members(owner: np.ndarray, n: int) -> list[np.ndarray]:
    """Row positions of each owner 0..n-1 (-1: none)."""
    owner = owner.astype(np.int64).reshape(-1)
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(n + 1))
    return [order[bounds[k] : bounds[k + 1]] for k in range(n)]


def area_by_owner(area_m2: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """(n,) sum of the finite areas of each owner 0..n-1, NaN for owners without any.

    >>> area_by_owner(np.array([10.0, np.nan, 5.0, 2.0]), np.array([0, 0, 2, -1]), 3).tolist()
    [10.0, nan, 5.0]
    """
    owner = owner.astype(np.int64)
    use = np.isfinite(area_m2) & (owner >= 0)
    total = np.bincount(owner[use], weights=area_m2[use], minlength=n)[:n]
    counted = np.bincount(owner[use], minlength=n)[:n]
    return np.where(counted > 0, total, np.nan)


def _total(values: np.ndarray) -> float:
    """Sum of the finite values, NaN if there are none."""
    finite = values[np.isfinite(values)]
    return float(finite.sum()) if len(finite) else np.nan


def _year(value: object) -> int | None:
    try:
        year = int(str(value).strip()[:4])
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 2100 else None


def element_rows(
    tree: Hierarchy, psets: dict[int, Sets], qtos: dict[int, Sets], source: str
) -> gpd.GeoDataFrame:
    """One row per building, storey, space and element, with property and quantity sets.

    It needs no geometry: the import builds it while the meshes are being made.
    """
    rows = []
    for kind, items in (
        ("building", tree.buildings),
        ("storey", tree.storeys),
        ("space", tree.spaces),
        ("element", tree.elements),
    ):
        parent_kinds = {
            "building": (),
            "storey": ("building",),
            "space": ("storey", "building"),
            "element": ("storey", "space", "building"),
        }[kind]
        for item in items:
            step_id = item.id()
            parent = tree.ancestor(step_id, parent_kinds) if parent_kinds else None
            building = step_id if kind == "building" else tree.ancestor(step_id, ("building",))
            rows.append(
                (
                    tree.guid[step_id],
                    tree.global_id(parent),
                    tree.global_id(building),
                    item.is_a(),
                    item[2],  # Name
                    to_json(psets.get(step_id)),
                    to_json(qtos.get(step_id)),
                    source,
                )
            )
    columns = "id parent_id building_id ifc_class name properties_json quantities_json source_file"
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns.split()))
