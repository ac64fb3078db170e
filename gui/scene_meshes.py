"""The big meshes of the 3D view built in chunks, so that the worker thread building them never
holds Python's GIL for long (no Qt here).

Shapely and some numpy calls keep the GIL for their whole duration: one call over 100 000
footprints would stall the GUI thread for a few hundred milliseconds. The same work done on
chunks of :data:`CHUNK_ROWS` rows gives the same result, about as fast, with stalls of a few
tens of milliseconds.

- :func:`extruded_buildings`: LoD1 prisms (:func:`twin.extrude.extrude_footprints`).
- :func:`outline_lines`: lines and polygon boundaries draped on the terrain, the same lines as
  :func:`twin.snapshot.outline_polydata` (whose per-line Python loop is vectorised here).
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import pyvista as pv
import shapely

from twin.city import City
from twin.extrude import extrude_footprints
from twin.mesh import MeshStore, Origin
from twin.snapshot import OUTLINE_LIFT_M

logger = logging.getLogger(__name__)

#: Rows per chunk (a few to 20 ms of GIL-holding work each for the synthetic town).
CHUNK_ROWS = 2_500


def extruded_buildings(buildings: gpd.GeoDataFrame, origin: Origin) -> MeshStore:
    """LoD1 prisms of ``buildings`` (as :func:`twin.lod1.building_meshes`), chunk by chunk.

    Example:
        >>> import geopandas as gpd
        >>> from shapely.geometry import box
        >>> rows = gpd.GeoDataFrame({"id": ["a", "b"], "base_elevation_m": [10.0, None],
        ...                          "height_m": [6.0, 3.0]}, geometry=[box(0, 0, 4, 4)] * 2)
        >>> store = extruded_buildings(rows, (0.0, 0.0, 0.0))
        >>> store.object_ids.tolist(), float(store.vertices[:, 2].max())
        (['a', 'b'], 16.0)
    """
    geometry = buildings.geometry.to_numpy()
    base = buildings["base_elevation_m"].to_numpy(dtype="float64", na_value=0.0)
    height = buildings["height_m"].to_numpy(dtype="float64", na_value=np.nan)
    ids = buildings["id"].to_numpy(dtype=str)
    stores = [
        extrude_footprints(
            geometry[first : first + CHUNK_ROWS],
            base[first : first + CHUNK_ROWS],
            height[first : first + CHUNK_ROWS],
            ids[first : first + CHUNK_ROWS],
            origin,
        )
        for first in range(0, len(geometry), CHUNK_ROWS)
    ]
    return MeshStore.concat(stores) if stores else MeshStore.empty(origin)


def outline_lines(city: City, layer: str, geometry: np.ndarray | None = None) -> Any:
    """The lines of a line layer, or the boundaries of a polygon layer, on the ground: one
    PolyData of polylines relative to the City's origin, or None when there is nothing.
    ``geometry`` draws those shapes instead of the whole layer's."""
    if geometry is None:
        geometry = city.layer(layer).geometry.to_numpy()
    terrain = city.rasters.get("terrain")
    origin = city.ensure_origin()
    flat_z = _lowest_base(city)
    points: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for first in range(0, len(geometry), CHUNK_ROWS):
        chunk = geometry[first : first + CHUNK_ROWS]
        linear = np.isin(shapely.get_type_id(chunk), [1, 5])  # LineString, MultiLineString
        boundaries = np.where(linear, chunk, shapely.boundary(chunk))
        if terrain is not None:  # vertices every pixel, so the lines follow the ground
            boundaries = shapely.segmentize(boundaries, max(terrain.pixel_size_m))
        parts = shapely.get_parts(boundaries)
        coords, part_of_coord = shapely.get_coordinates(parts, return_index=True)
        z = np.full(len(coords), flat_z)
        if terrain is not None and len(coords):
            ground = terrain.sample(coords[:, 0], coords[:, 1]) + OUTLINE_LIFT_M
            z = np.where(np.isfinite(ground), ground, z)
        local = np.column_stack([coords[:, 0] - origin[0], coords[:, 1] - origin[1], z - origin[2]])
        points.append(local.astype(np.float32))
        counts.append(np.bincount(part_of_coord, minlength=len(parts)))
    if not points or not sum(len(p) for p in points):
        return None
    per_line = np.concatenate(counts)
    per_line = per_line[per_line > 0]
    polydata: Any = pv.PolyData
    return polydata(np.concatenate(points), lines=line_cells(per_line))


def line_cells(counts: np.ndarray) -> np.ndarray:
    """VTK's line connectivity [n, i0 .. in-1, m, j0 ...] for consecutive runs of points.

    Example:
        >>> line_cells(np.array([2, 3])).tolist()
        [2, 0, 1, 3, 2, 3, 4]
    """
    headers = np.cumsum(counts) - counts + np.arange(len(counts))
    cells = np.empty(int(counts.sum()) + len(counts), dtype=np.int64)
    is_point = np.ones(len(cells), dtype=bool)
    is_point[headers] = False
    cells[headers] = counts
    cells[is_point] = np.arange(int(counts.sum()))
    return cells


def _lowest_base(city: City) -> float:
    """Where lines lie without a terrain: the lowest building base, else 0 m."""
    if "buildings" in city:
        base = city.layer("buildings")["base_elevation_m"].dropna()
        if len(base):
            return float(base.min())
    return 0.0


def ground_points(city: City, geometry: np.ndarray, lift_m: float) -> Any:
    """Point geometries (and the points of multipoints) ``lift_m`` above the ground: one
    PolyData of vertices relative to the City's origin, or None when there is none."""
    parts = shapely.get_parts(geometry[shapely.get_type_id(geometry) >= 0])
    coords = shapely.get_coordinates(parts[np.isin(shapely.get_type_id(parts), [0])])
    if not len(coords):
        return None
    origin = city.ensure_origin()
    z = np.full(len(coords), _lowest_base(city))
    terrain = city.rasters.get("terrain")
    if terrain is not None:
        ground = terrain.sample(coords[:, 0], coords[:, 1])
        z = np.where(np.isfinite(ground), ground, z)
    local = np.column_stack(
        [coords[:, 0] - origin[0], coords[:, 1] - origin[1], z + lift_m - origin[2]]
    ).astype(np.float32)
    polydata: Any = pv.PolyData
    return polydata(local)
