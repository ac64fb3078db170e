"""Horizon profiles: how high neighbouring buildings rise around a point, sector by sector.

For a year of sun the roof solar potential needs, for every roof point, whether each of a few
hundred sun positions is hidden. Rather than casting one ray per position, each point gets its
**horizon**: in each of ``n_sectors`` azimuth sectors (72: 5° each), the tangent of the
highest elevation angle under which a neighbouring LoD1 block is seen, ``(top − z) / distance``.
A sun position is hidden when its elevation is below the horizon of its sector.

The horizon is exact at each sector's centre direction and at the corners of the blocks (the
front walls are intersected with the sector's centre ray; back walls are always further away
on the same ray and are skipped); a sun position counts as hidden when it is below the
highest value found in its sector, so the error is conservative and within one sector.
Only blocks within ``radius_m`` and taller than the point count; courtyards (holes) are
ignored (they only matter for a point inside them). Everything runs on (point, wall) pairs
with numpy, in chunks.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import shapely

from scenarios.shadow_map import Obstacles
from scenarios.sun import SunPositions

logger = logging.getLogger(__name__)

DEFAULT_SECTORS = 72
DEFAULT_RADIUS_M = 150.0
"""Blocks further away are ignored: 20 m above a roof at 150 m is 7.6° up."""
MIN_ELEVATION_DEG = 5.0
"""Blocks seen lower than this are ignored: at Rodez the sun below 5° brings 0.07 % of a
year's clear-sky irradiation on a horizontal roof."""
_CHUNK = 2_000_000  # (point, wall) pairs at a time: ~0.3 GB of temporaries


def outer_walls(
    obstacles: Obstacles, blocks: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The outer walls of some blocks as segments: start (E, 2), end (E, 2), offsets.

    Rings run counter-clockwise (the block on the left of each wall); the walls of
    ``blocks[k]`` are ``offsets[k]:offsets[k + 1]``.
    """
    oriented = shapely.orient_polygons(obstacles.footprints[blocks], exterior_cw=False)
    parts, owner = shapely.get_parts(oriented, return_index=True)
    keep = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    parts, owner = parts[keep], owner[keep]
    coords, ring = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
    same = ring[:-1] == ring[1:]
    start, end = coords[:-1][same], coords[1:][same]
    wall_owner = owner[ring[:-1][same]]
    offsets = np.searchsorted(wall_owner, np.arange(len(blocks) + 1))
    return start, end, offsets.astype(np.int64)


def horizon_tangents(
    points_xyz: np.ndarray,
    owner: np.ndarray,
    obstacles: Obstacles,
    *,
    n_sectors: int = DEFAULT_SECTORS,
    radius_m: float = DEFAULT_RADIUS_M,
    min_elevation_deg: float = MIN_ELEVATION_DEG,
) -> np.ndarray:
    """(n_points, n_sectors) float32: tangent of the horizon in each sector (0: open sky).

    Args:
        points_xyz: points (x, y relative to the obstacles' origin; z altitude).
        owner: for each point, the index of the obstacle it stands on (-1: none); a building
            never hides its own flat roof.
        obstacles: the blocks that may rise above the points.
        radius_m: blocks further away are ignored.
        min_elevation_deg: blocks that cannot rise this high above the point (judged from
            their bounding box) are ignored.

    Example:
        >>> import geopandas as gpd
        >>> from shapely.geometry import box
        >>> tower = gpd.GeoDataFrame({"id": ["t"], "height_m": [20.0], "base_elevation_m": [0.0]},
        ...                          geometry=[box(10, 10, 20, 20)])  # to the north-east
        >>> tangents = horizon_tangents(np.array([[0.0, 0.0, 0.0]]), np.array([-1]),
        ...                             Obstacles.from_buildings(tower, (0.0, 0.0)), n_sectors=4)
        >>> np.round(tangents.astype(float), 3).tolist()  # 0-90°: 20 m up, 14.1 m away
        [[1.414, 0.0, 0.0, 0.0]]
    """
    points = np.asarray(points_xyz, dtype="float64").reshape(-1, 3)
    horizon = np.zeros((len(points), n_sectors), dtype=np.float32)
    casting = obstacles.casting
    if len(points) == 0 or not casting.any():
        return horizon
    steepness = math.tan(math.radians(min_elevation_deg))
    highest = float(np.nanmax(obstacles.top_m)) - float(points[:, 2].min())
    reach = min(radius_m, highest / steepness) if steepness > 0 else radius_m
    reach = max(reach, 0.0)
    point_index, block = _candidates(points, np.asarray(owner), obstacles, reach, steepness)
    # Distance to the block's bounding box: never more than to the block, so no block that
    # could rise above min_elevation_deg is dropped.
    x, y = points[point_index, 0], points[point_index, 1]
    distance = _gap(np.column_stack([x, y, x, y]), obstacles.bounds[block])
    rise = obstacles.top_m[block] - points[point_index, 2]
    with np.errstate(invalid="ignore"):
        steep = (rise > steepness * distance + 0.01) & (distance <= reach)  # NaN tops: False
    keep = casting[block] & steep & (block != np.asarray(owner)[point_index])
    point_index, block = point_index[keep], block[keep]
    seen, block = np.unique(block, return_inverse=True)  # walls of the blocks in view only
    start, end, offsets = outer_walls(obstacles, seen)
    walls = offsets[block + 1] - offsets[block]
    flat = horizon.reshape(-1)
    bounds = np.searchsorted(np.cumsum(walls), np.arange(_CHUNK, walls.sum() + _CHUNK, _CHUNK))
    first = 0
    for last in np.append(bounds, len(walls)):
        if last > first:
            _scatter(
                flat,
                points,
                point_index[first:last],
                block[first:last],
                walls[first:last],
                start,
                end,
                offsets,
                obstacles.top_m[seen],
                n_sectors,
            )
        first = max(first, last)
    return horizon


def _candidates(
    points: np.ndarray, owner: np.ndarray, obstacles: Obstacles, reach: float, steepness: float
) -> tuple[np.ndarray, np.ndarray]:
    """(point, block) pairs that may matter: a superset, found block by block for roof points
    (a roof's bounding box holds its points, and its lowest point sets the rise)."""
    if len(owner) == 0 or (owner < 0).any():
        x, y = points[:, 0], points[:, 1]
        return _near_boxes(obstacles, np.column_stack([x, y, x, y]), reach)
    order = np.argsort(owner, kind="stable")
    roofs, first, count = np.unique(owner[order], return_index=True, return_counts=True)
    lowest = np.minimum.reduceat(points[order, 2], first)
    roof_box = obstacles.bounds[roofs]
    roof, block = _near_boxes(obstacles, roof_box, reach)
    gap = _gap(roof_box[roof], obstacles.bounds[block])
    rise = obstacles.top_m[block] - lowest[roof]
    with np.errstate(invalid="ignore"):
        keep = (rise > steepness * gap + 0.01) & (gap <= reach) & (block != roofs[roof])
    roof, block = roof[keep], block[keep]
    n = count[roof]
    pair = np.repeat(np.arange(len(roof)), n)
    point = order[np.repeat(first[roof] - np.cumsum(n) + n, n) + np.arange(len(pair))]
    return point, block[pair]


def _near_boxes(
    obstacles: Obstacles, box: np.ndarray, reach: float
) -> tuple[np.ndarray, np.ndarray]:
    """(row of ``box``, block) pairs whose bounding boxes come within ``reach``."""
    grown = shapely.box(box[:, 0] - reach, box[:, 1] - reach, box[:, 2] + reach, box[:, 3] + reach)
    every = obstacles.bounds
    near = np.flatnonzero(  # blocks within reach of the boxes' extent: all, or a few
        (every[:, 0] <= box[:, 2].max() + reach)
        & (every[:, 2] >= box[:, 0].min() - reach)
        & (every[:, 1] <= box[:, 3].max() + reach)
        & (every[:, 3] >= box[:, 1].min() - reach)
    )
    if len(near) > len(obstacles) // 2:
        row, block = obstacles.tree.query(grown)
        return row, block
    row, local = shapely.STRtree(obstacles.footprints[near]).query(grown)  # after an edit
    return row, near[local]


def _gap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance between the bounding boxes (minx, miny, maxx, maxy) of two aligned arrays."""
    dx = np.maximum(np.maximum(b[:, 0] - a[:, 2], a[:, 0] - b[:, 2]), 0.0)
    dy = np.maximum(np.maximum(b[:, 1] - a[:, 3], a[:, 1] - b[:, 3]), 0.0)
    return np.hypot(dx, dy)


def _scatter(
    flat: np.ndarray,
    points: np.ndarray,
    point_index: np.ndarray,
    block: np.ndarray,
    walls: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    offsets: np.ndarray,
    top_m: np.ndarray,
    n_sectors: int,
) -> None:
    """Raise ``flat`` (the horizons, raveled) with the walls of (point, block) pairs."""
    pair = np.repeat(np.arange(len(block)), walls)
    first_wall = np.repeat(offsets[block] - np.cumsum(walls) + walls, walls)
    wall = first_wall + np.arange(len(pair))
    p = point_index[pair]
    a = start[wall] - points[p, :2]
    edge = end[wall] - start[wall]
    facing = a[:, 0] * edge[:, 1] - a[:, 1] * edge[:, 0] < 0  # the point sees the wall's face
    p, a, edge = p[facing], a[facing], edge[facing]
    rise = top_m[block[pair[facing]]] - points[p, 2]
    width = 2 * math.pi / n_sectors
    b = a + edge
    angle_a = np.arctan2(a[:, 0], a[:, 1])
    angle_b = np.arctan2(b[:, 0], b[:, 1])
    code = p * n_sectors
    for corner, angle in ((a, angle_a), (b, angle_b)):  # the corners themselves
        sector = np.minimum(((angle % (2 * math.pi)) / width).astype(np.int64), n_sectors - 1)
        np.maximum.at(flat, code + sector, (rise / np.hypot(*corner.T)).astype("f4"))
    # Sector centres seen across the wall: intersect their rays with it.
    turn = (angle_b - angle_a + math.pi) % (2 * math.pi) - math.pi
    low = angle_a + np.minimum(turn, 0.0)
    k0 = np.ceil(low / width - 0.5).astype(np.int64)
    k1 = np.floor((low + np.abs(turn)) / width - 0.5).astype(np.int64)
    count = np.maximum(k1 - k0 + 1, 0)
    if count.sum() == 0:
        return
    which = np.repeat(np.arange(len(p)), count)
    k = np.repeat(k0 - np.cumsum(count) + count, count) + np.arange(len(which))
    centre = (k + 0.5) * width
    ray = np.stack([np.sin(centre), np.cos(centre)], axis=1)
    e, s = edge[which], a[which]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (s[:, 0] * e[:, 1] - s[:, 1] * e[:, 0]) / (ray[:, 0] * e[:, 1] - ray[:, 1] * e[:, 0])
    ok = np.isfinite(t) & (t > 1e-6)
    np.maximum.at(
        flat,
        code[which][ok] + k[ok] % n_sectors,
        (rise[which][ok] / t[ok]).astype("f4"),
    )


def unshaded_share(horizon: np.ndarray, sun: SunPositions) -> np.ndarray:
    """Share of the horizontal irradiation a point receives given its horizon (0..1).

    Direct light counts for the sun positions above the horizon of their sector; diffuse light
    is reduced by the sky view factor of a horizontal surface, ``1 − mean(sin² h)`` over the
    sectors (isotropic sky). An open point gets 1.

    Example:
        >>> import pandas as pd
        >>> sun = SunPositions(pd.DatetimeIndex([], tz="UTC"), np.array([180.0, 90.0]),
        ...                    np.array([30.0, 10.0]), np.ones(2), np.array([3.0, 1.0]),
        ...                    np.zeros(2))
        >>> walls = np.zeros((2, 4), dtype=np.float32)
        >>> walls[1, 1] = 1.0  # 45° up towards the east hides the morning sun at 10°
        >>> unshaded_share(walls, sun).tolist()
        [1.0, 0.75]
    """
    n_points, n_sectors = horizon.shape
    beam = np.asarray(sun.beam_wh_m2, dtype="float64")
    diffuse = float(np.sum(sun.diffuse_wh_m2))
    total = float(beam.sum()) + diffuse
    if n_points == 0 or total <= 0:
        return np.ones(n_points)
    width = 360.0 / n_sectors
    sector = np.minimum(
        (np.asarray(sun.azimuth_deg) % 360.0 / width).astype(np.int64), n_sectors - 1
    )
    tangent = np.tan(np.radians(np.asarray(sun.elevation_deg)))
    hidden = np.zeros(n_points)
    for s in np.unique(sector):
        members = np.flatnonzero(sector == s)
        order = members[np.argsort(tangent[members])]
        cumulative = np.concatenate([[0.0], np.cumsum(beam[order])])
        hidden += cumulative[np.searchsorted(tangent[order], horizon[:, s], side="left")]
    squared = horizon.astype("float64") ** 2
    sky_view = 1.0 - np.mean(squared / (1.0 + squared), axis=1)
    return np.clip((beam.sum() - hidden + diffuse * sky_view) / total, 0.0, 1.0)
