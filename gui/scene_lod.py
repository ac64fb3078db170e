"""Coarse stand-ins drawn while the camera moves in a big scene (no Qt here).

Software OpenGL draws ~5 million LoD1 triangles (100 000 buildings) in about half a second, so
an orbit would crawl. While the camera moves, the view draws instead:

- the buildings as boxes: the oriented envelope of each footprint from its base to its roof,
  a roof and four walls (10 triangles, 8 vertices per building, always in the same place, so
  the boxes of a few edited buildings are replaced in place);
- the terrain decimated to :data:`COARSE_TERRAIN_VERTICES` vertices;
- and it hides the parcels' fine lines (see :func:`hidden_while_moving`).

At rest the full meshes come back. The stand-ins share the full layer's ``object_index`` cell
data (position in the layer's object ids), so they take the same colours.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import pyvista as pv
import shapely

from twin.city import City
from twin.mesh import Origin
from twin.terrain import terrain_mesh

logger = logging.getLogger(__name__)

#: Vertices of the terrain drawn while the camera moves.
COARSE_TERRAIN_VERTICES = 20_000
#: An IFC mesh set bigger than this is hidden while the camera moves.
IFC_MOVING_MAX_CELLS = 100_000
BOX_VERTICES = 8
#: Footprints per shapely call (each holds the GIL for a few milliseconds).
CHUNK_FOOTPRINTS = 2_500
BOX_FACES = 10
# Roof (counter-clockwise seen from above), then one quad per side of the footprint: bottom i,
# bottom j, top j, top i is counter-clockwise seen from outside when the corners go
# counter-clockwise seen from above.
_BOX_TRIANGLES = np.array(
    [[4, 5, 6], [4, 6, 7]]
    + [[i, (i + 1) % 4, 4 + (i + 1) % 4] for i in range(4)]
    + [[i, 4 + (i + 1) % 4, 4 + i] for i in range(4)],
    dtype=np.int64,
)


def box_points(footprints: Any, base_m: Any, height_m: Any, origin: Origin) -> np.ndarray:
    """(n * 8, 3) float32 corners of each footprint's box, relative to ``origin``.

    The box is the footprint's bounding rectangle along its longest exterior edge (for the
    rectilinear plans of buildings, the smallest rotated rectangle), from ``base_m`` to
    ``base_m + height_m``. A footprint without a box (empty, no height) gets its 8 corners at
    one point, so its triangles have no area. Shapely is called on chunks of
    :data:`CHUNK_FOOTPRINTS` (each call holds the GIL: the GUI thread must get it back soon).

    Example:
        >>> from shapely.geometry import Polygon
        >>> diamond = Polygon([(0, 0), (3, 3), (1, 5), (-2, 2)])  # a rotated 4.2 x 2.8 m box
        >>> corners = box_points([diamond], [100.0], [6.0], (0.0, 0.0, 0.0))
        >>> corners.shape, float(corners[:, 2].max())
        ((8, 3), 106.0)
        >>> sorted((corners[:4, :2].round(6) + 0.0).tolist())  # the diamond's own corners
        [[-2.0, 2.0], [0.0, 0.0], [1.0, 5.0], [3.0, 3.0]]
    """
    geoms = np.asarray(footprints, dtype=object)
    n = len(geoms)
    base = np.asarray(base_m, dtype=np.float64).reshape(-1)
    height = np.asarray(height_m, dtype=np.float64).reshape(-1)
    corners = np.zeros((n, 4, 2))
    found = np.zeros(n, dtype=bool)
    for first in range(0, n, CHUNK_FOOTPRINTS):
        chunk = slice(first, min(n, first + CHUNK_FOOTPRINTS))
        corners[chunk], found[chunk] = _rectangles(geoms[chunk], origin)
    ok = found & np.isfinite(base) & (height > 0)
    bottom = np.where(ok, base - origin[2], 0.0)
    top = np.where(ok, bottom + height, 0.0)
    points = np.empty((n, BOX_VERTICES, 3))
    points[:, :4, :2] = corners
    points[:, 4:, :2] = corners
    points[:, :4, 2] = bottom[:, None]
    points[:, 4:, 2] = top[:, None]
    points[~ok] = 0.0
    return points.reshape(-1, 3).astype(np.float32)


def _rectangles(geoms: np.ndarray, origin: Origin) -> tuple[np.ndarray, np.ndarray]:
    """(n, 4, 2) counter-clockwise corners relative to ``origin`` of each footprint's rectangle
    along its longest exterior edge, and whether it has one."""
    n = len(geoms)
    corners = np.zeros((n, 4, 2))
    parts, owner_of_part = shapely.get_parts(geoms, return_index=True)
    rings = shapely.get_exterior_ring(parts)  # None for what is not a polygon
    coords, ring_of_coord = shapely.get_coordinates(rings, return_index=True)
    if not len(coords):
        return corners, np.zeros(n, dtype=bool)
    coords = coords - np.array(origin[:2])
    owner = owner_of_part[ring_of_coord]
    same_ring = ring_of_coord[1:] == ring_of_coord[:-1]
    edge = np.diff(coords, axis=0)
    length2 = np.where(same_ring, (edge**2).sum(axis=1), -1.0)
    edge_owner = owner[1:]
    # The longest edge of each footprint: sort by (owner, length), keep each owner's last.
    order = np.lexsort((length2, edge_owner))
    last = order[np.r_[edge_owner[order][1:] != edge_owner[order][:-1], True]]
    found = np.zeros(n, dtype=bool)
    found[edge_owner[last]] = length2[last] > 0
    angle = np.zeros(n)
    angle[edge_owner[last]] = np.arctan2(edge[last, 1], edge[last, 0])
    cos, sin = np.cos(angle)[owner], np.sin(angle)[owner]
    u = coords[:, 0] * cos + coords[:, 1] * sin
    v = -coords[:, 0] * sin + coords[:, 1] * cos
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    has = owner[starts]
    low_u, high_u = np.minimum.reduceat(u, starts), np.maximum.reduceat(u, starts)
    low_v, high_v = np.minimum.reduceat(v, starts), np.maximum.reduceat(v, starts)
    box_u = np.stack([low_u, high_u, high_u, low_u], axis=1)  # counter-clockwise in (u, v)
    box_v = np.stack([low_v, low_v, high_v, high_v], axis=1)
    c, s = np.cos(angle[has])[:, None], np.sin(angle[has])[:, None]
    corners[has, :, 0] = box_u * c - box_v * s  # a rotation keeps the turning direction
    corners[has, :, 1] = box_u * s + box_v * c
    return corners, found


def box_proxy(points: np.ndarray) -> pv.PolyData:
    """The boxes of :func:`box_points` as one PolyData, cell data ``object_index``."""
    n = len(points) // BOX_VERTICES
    triangles = (_BOX_TRIANGLES[None, :, :] + BOX_VERTICES * np.arange(n)[:, None, None]).reshape(
        -1, 3
    )
    mesh = pv.PolyData.from_regular_faces(points, triangles)
    mesh.cell_data["object_index"] = np.repeat(np.arange(n, dtype=np.int32), BOX_FACES)
    return mesh


def building_boxes(city: City, object_ids: np.ndarray) -> np.ndarray:
    """:func:`box_points` of the buildings ``object_ids`` (in that order) of ``city``."""
    buildings = city.layer("buildings")
    position = _positions(buildings["id"].to_numpy(dtype=str), object_ids)
    known = position >= 0
    rows = buildings.iloc[position[known]]
    footprints = np.full(len(object_ids), None, dtype=object)
    base = np.zeros(len(object_ids))
    height = np.zeros(len(object_ids))
    footprints[known] = rows.geometry.to_numpy()
    base[known] = rows["base_elevation_m"].to_numpy(dtype="float64", na_value=0.0)
    height[known] = rows["height_m"].to_numpy(dtype="float64", na_value=np.nan)
    return box_points(footprints, base, height, city.ensure_origin())


def replace_boxes(proxy: pv.PolyData, positions: np.ndarray, points: np.ndarray) -> pv.PolyData:
    """A new proxy whose boxes at ``positions`` have the corners ``points`` (the faces and the
    untouched corners are shared with or copied from ``proxy``, which is not changed)."""
    corners = np.array(proxy.points, dtype=np.float32).reshape(-1, BOX_VERTICES, 3)
    corners[positions] = points.reshape(-1, BOX_VERTICES, 3)
    mesh = pv.PolyData()
    mesh.points = corners.reshape(-1, 3)
    mesh.SetPolys(proxy.GetPolys())  # shared, never changed
    mesh.cell_data["object_index"] = np.asarray(proxy.cell_data["object_index"])
    return mesh


def coarse_terrain(city: City, n_cells: int) -> pv.PolyData | None:
    """The terrain decimated for moving, or None when the full one is not much bigger."""
    raster = city.rasters.get("terrain")
    if raster is None or n_cells < 4 * COARSE_TERRAIN_VERTICES:
        return None
    store = terrain_mesh(raster, city.ensure_origin(), max_vertices=COARSE_TERRAIN_VERTICES)
    return with_normals(store.to_pyvista()) if store.n_faces else None


def with_normals(mesh: pv.PolyData) -> pv.PolyData:
    """``mesh`` with point normals for smooth shading (computed here, not while drawing)."""
    return mesh.compute_normals(cell_normals=False, point_normals=True, split_vertices=False)


def hidden_while_moving(name: str, line_width: int, n_cells: int) -> bool:
    """Whether a layer is hidden while the camera moves: fine lines (parcels) and big IFC sets.

    Example:
        >>> hidden_while_moving("parcels", 1, 10), hidden_while_moving("roads", 3, 10)
        (True, False)
    """
    if line_width:
        return line_width <= 1
    return name == "ifc" and n_cells > IFC_MOVING_MAX_CELLS


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position of each ``wanted`` id in ``ids`` (first occurrence), -1 when absent."""
    index = pd.Index(ids)
    if not index.is_unique:
        index = index[~index.duplicated()]
        lookup = pd.Series(np.flatnonzero(~pd.Index(ids).duplicated()), index=index)
        return lookup.reindex(wanted).fillna(-1).to_numpy(dtype=np.int64)
    return index.get_indexer(wanted)
