"""Where sunlight is measured: points on facades, on the ground and on roofs of LoD1 blocks.

All points are (x, y, z): x, y in metres relative to the :class:`~scenarios.shadow_map.Obstacles`
origin, z an altitude (NGF metres), with the index of the block they belong to.

- **Facade points**: every ``spacing_m`` along each wall (outer walls and courtyard walls),
  ``height_above_ground_m`` (1.5 m: a window sill, a person's eyes) above the block's base, or
  one per storey at that height above each floor; set ``offset_m`` in front of the wall so the
  shadow map reads the air in front of it, not the block itself. Points in front of a party
  wall (the offset point falls inside another block) are dropped: no sun reaches them.
- **Ground points**: a square grid ``step_m`` apart within ``radius_m`` of some blocks,
  outside every block.
- **Roof points**: the footprint's representative point and up to four more at the centres of
  the quarters of its bounding box that fall inside it (even-odd rule, numpy: courtyards are
  out), at the roof's altitude.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from scenarios.polygon_rings import inside_at
from scenarios.shadow_map import Obstacles

DEFAULT_SPACING_M = 2.0
DEFAULT_HEIGHT_ABOVE_GROUND_M = 1.5
DEFAULT_OFFSET_M = 0.4
DEFAULT_STOREY_M = 3.0
ROOF_WITHOUT_HEIGHT_M = 3.0
"""Roof altitude above the base taken for blocks without a height."""
_QUARTERS = ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))
"""Roof points at these fractions of the bounding box (the centres of its quarters)."""


@dataclass(frozen=True)
class FacadePoints:
    """Points in front of walls.

    Attributes:
        xyz: (n, 3) points, ``offset_m`` in front of the wall.
        normal: (n, 2) outward horizontal unit normal of the wall.
        block: (n,) index of the block (row of the obstacles) the wall belongs to.
        storey: (n,) storey number (0: ground floor).
    """

    xyz: np.ndarray
    normal: np.ndarray
    block: np.ndarray
    storey: np.ndarray

    def __len__(self) -> int:
        return len(self.block)

    def facing(self, azimuth_deg: float) -> np.ndarray:
        """Which walls face the sun's horizontal direction (the others are in their own shade)."""
        azimuth = np.radians(azimuth_deg)
        return self.normal[:, 0] * np.sin(azimuth) + self.normal[:, 1] * np.cos(azimuth) > 0


def facade_points(
    obstacles: Obstacles,
    blocks: np.ndarray,
    *,
    spacing_m: float = DEFAULT_SPACING_M,
    height_above_ground_m: float = DEFAULT_HEIGHT_ABOVE_GROUND_M,
    storeys: np.ndarray | None = None,
    offset_m: float = DEFAULT_OFFSET_M,
) -> FacadePoints:
    """Points along the walls of ``blocks`` (indices into ``obstacles``).

    Args:
        storeys: storeys of each block (same length as ``blocks``): one point per storey at
            ``height_above_ground_m`` above its floor (storey height = height / storeys);
            None: one point per wall position, at ``height_above_ground_m`` above the base.

    Example:
        >>> import geopandas as gpd
        >>> from shapely.geometry import box
        >>> block = gpd.GeoDataFrame({"id": ["b"], "height_m": [6.0], "base_elevation_m": [100.0]},
        ...                          geometry=[box(0, 0, 10, 4)])
        >>> points = facade_points(Obstacles.from_buildings(block, (0.0, 0.0)), np.array([0]))
        >>> len(points), sorted(set(points.xyz[:, 2].tolist()))  # 5 + 2 + 5 + 2 points
        (14, [101.5])
    """
    blocks = np.asarray(blocks, dtype=np.int64)
    geoms = shapely.orient_polygons(obstacles.footprints[blocks], exterior_cw=False)
    parts, part_block = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[:-1] == ring[1:]
    start, end = coords[:-1][same], coords[1:][same]
    wall_block = blocks[part_block[ring_part[ring[:-1][same]]]]
    edge = end - start
    length = np.hypot(edge[:, 0], edge[:, 1])
    usable = length > 1e-6
    start, edge, length, wall_block = (
        start[usable],
        edge[usable],
        length[usable],
        wall_block[usable],
    )
    count = np.maximum(np.rint(length / spacing_m).astype(np.int64), 1)
    wall = np.repeat(np.arange(len(length)), count)
    rank = np.arange(len(wall)) - np.repeat(np.cumsum(count) - count, count)
    along = (rank + 0.5) / count[wall]
    normal = np.stack([edge[:, 1], -edge[:, 0]], axis=1) / length[:, None]  # right of the wall
    xy = start[wall] + edge[wall] * along[:, None] + normal[wall] * offset_m
    block = wall_block[wall]
    base = obstacles.base_m[block]
    height = obstacles.top_m[block] - base
    if storeys is None:
        floors = np.ones(len(block), dtype=np.int64)
    else:
        per_block = np.zeros(len(obstacles), dtype=np.int64)
        per_block[blocks] = np.maximum(np.nan_to_num(np.asarray(storeys, float), nan=1.0), 1)
        floors = per_block[block]
    repeat = np.repeat(np.arange(len(block)), floors)
    level = np.arange(len(repeat)) - np.repeat(np.cumsum(floors) - floors, floors)
    storey_m = (height / floors)[repeat]
    z = base[repeat] + level * storey_m + np.minimum(height_above_ground_m, storey_m / 2)
    keep = np.isfinite(z) & (z < obstacles.top_m[block][repeat])
    xy, z, block, level, normal_out = (
        xy[repeat][keep],
        z[keep],
        block[repeat][keep],
        level[keep],
        normal[wall][repeat][keep],
    )
    inside = obstacles.tree.query(shapely.points(xy), predicate="within")[0]
    open_air = np.ones(len(z), dtype=bool)
    open_air[inside] = False
    return FacadePoints(
        xyz=np.column_stack([xy, z])[open_air],
        normal=normal_out[open_air],
        block=block[open_air],
        storey=level[open_air],
    )


def ground_points(
    obstacles: Obstacles,
    around: np.ndarray,
    *,
    radius_m: float = 50.0,
    step_m: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Grid points (x, y) within ``radius_m`` of the blocks ``around``, outside every block.

    Returns the (n, 2) points and, for each, the index of the nearest block (to give it an
    altitude when there is no terrain).
    """
    footprints = obstacles.footprints[np.asarray(around, dtype=np.int64)]
    if len(footprints) == 0:
        return np.empty((0, 2)), np.empty(0, dtype=np.int64)
    minx, miny, maxx, maxy = shapely.total_bounds(footprints)
    xs = np.arange(np.floor((minx - radius_m) / step_m), np.ceil((maxx + radius_m) / step_m) + 1)
    ys = np.arange(np.floor((miny - radius_m) / step_m), np.ceil((maxy + radius_m) / step_m) + 1)
    gx, gy = np.meshgrid(xs * step_m, ys * step_m)
    grid = shapely.points(gx.ravel(), gy.ravel())
    near = np.unique(shapely.STRtree(footprints).query(grid, "dwithin", distance=radius_m)[0])
    inside = np.unique(obstacles.tree.query(grid[near], predicate="within")[0])
    near = np.delete(near, inside)
    nearest = obstacles.tree.query_nearest(grid[near], all_matches=False)[1]
    xy = np.column_stack([gx.ravel()[near], gy.ravel()[near]])
    return xy, np.asarray(nearest, dtype=np.int64)


def roof_points(obstacles: Obstacles, blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Up to five points on the flat roof of each block: ((n, 3) points, (n,) block index).

    The points of a block follow each other, blocks in the order given.

    Example:
        >>> import geopandas as gpd
        >>> from shapely.geometry import Polygon
        >>> ell = Polygon([(0, 0), (4, 0), (4, 2), (2, 2), (2, 4), (0, 4)])
        >>> block = gpd.GeoDataFrame({"height_m": [6.0]}, geometry=[ell])
        >>> points, owner = roof_points(Obstacles.from_buildings(block, (0, 0)), np.array([0]))
        >>> points.tolist()  # a point on its surface, then 3 of the 4 quarters' centres
        [[1.0, 3.0, 6.0], [1.0, 1.0, 6.0], [3.0, 1.0, 6.0], [1.0, 3.0, 6.0]]
    """
    blocks = np.asarray(blocks, dtype=np.int64)
    geoms = obstacles.footprints[blocks]
    rings = obstacles.rings_of(blocks)
    present = np.zeros(len(blocks), dtype=bool)
    present[rings.owner] = True  # missing or empty footprints have no ring
    bounds = obstacles.bounds[blocks]
    fx, fy = (np.array(column) for column in zip(*_QUARTERS, strict=True))
    x = np.empty((len(blocks), 5))
    y = np.empty((len(blocks), 5))
    x[:, 1:] = bounds[:, 0, None] + fx * (bounds[:, 2] - bounds[:, 0])[:, None]
    y[:, 1:] = bounds[:, 1, None] + fy * (bounds[:, 3] - bounds[:, 1])[:, None]
    inside = np.zeros((len(blocks), 5), dtype=bool)
    inside[:, 1:] = inside_at(rings, bounds, _QUARTERS)
    inside[:, 0] = present
    centre = shapely.get_coordinates(shapely.point_on_surface(geoms[present]))
    x[present, 0], y[present, 0] = centre[:, 0], centre[:, 1]
    owner = np.repeat(blocks, inside.sum(axis=1))
    top = obstacles.top_m[owner]
    z = np.where(np.isfinite(top), top, obstacles.base_m[owner] + ROOF_WITHOUT_HEIGHT_M)
    points = np.column_stack([x[inside], y[inside], z])
    valid = np.isfinite(points).all(axis=1)
    return points[valid], owner[valid]
