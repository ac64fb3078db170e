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

from scenarios.horizon_pairs import Points, pairs_in_view, unique_inverse
from scenarios.shadow_map import Obstacles
from scenarios.sun import SunPositions

logger = logging.getLogger(__name__)

DEFAULT_SECTORS = 72
DEFAULT_RADIUS_M = 150.0
"""Blocks further away are ignored: 20 m above a roof at 150 m is 7.6° up."""
MIN_ELEVATION_DEG = 5.0
"""Blocks seen lower than this are ignored: at Rodez the sun below 5° brings 0.07 % of a
year's clear-sky irradiation on a horizontal roof."""
_CHUNK = 1 << 17  # (point, wall) pairs at a time: their temporaries stay in the cache
_SHARE_ROWS = 1 << 14  # horizons at a time for the shares


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
    owner = np.asarray(owner)
    xyz = Points(points)
    point_index, block = pairs_in_view(xyz, owner, obstacles, reach, steepness)
    seen, block = unique_inverse(block, len(obstacles))  # walls of the blocks in view only
    walls = _Walls(obstacles, seen, n_sectors)
    counts = walls.offsets[block + 1] - walls.offsets[block]
    flat = horizon.reshape(-1)
    bounds = np.searchsorted(np.cumsum(counts), np.arange(_CHUNK, counts.sum() + _CHUNK, _CHUNK))
    first = 0
    for last in np.append(bounds, len(counts)):
        if last > first:
            _scatter(
                flat, xyz, point_index[first:last], block[first:last], counts[first:last], walls
            )
        first = max(first, last)
    return horizon


class _Walls:
    """The outer walls of some blocks as columns: start, edge (end − start), the offsets of
    each block's walls, its top; and the sector centres' directions (sin, cos), by sector."""

    def __init__(self, obstacles: Obstacles, blocks: np.ndarray, n_sectors: int) -> None:
        start, end, self.offsets = outer_walls(obstacles, blocks)
        self.sx, self.sy = np.ascontiguousarray(start[:, 0]), np.ascontiguousarray(start[:, 1])
        self.ex, self.ey = end[:, 0] - start[:, 0], end[:, 1] - start[:, 1]
        self.top_m = obstacles.top_m[blocks]
        self.n_sectors = n_sectors
        self.width = 2 * math.pi / n_sectors
        self.first_k = -n_sectors - 2  # sector numbers k run from -n to n - 1 (no wrap yet)
        centre = (np.arange(self.first_k, n_sectors + 3) + 0.5) * self.width
        self.ray_x, self.ray_y = np.sin(centre), np.cos(centre)


def _scatter(
    flat: np.ndarray,
    points: Points,
    point_index: np.ndarray,
    block: np.ndarray,
    counts: np.ndarray,
    walls: _Walls,
) -> None:
    """Raise ``flat`` (the horizons, raveled) with the walls of (point, block) pairs.

    Every array is one column and each quantity is computed once per (point, wall): a quarter
    of a million pairs at a time stay in the processor's cache.
    """
    n = walls.n_sectors
    total = int(counts.sum())
    pair = np.repeat(np.arange(len(block)), counts)
    wall = np.repeat(walls.offsets[block] - np.cumsum(counts) + counts, counts)
    wall += np.arange(total)
    p = point_index[pair]
    ax = walls.sx[wall] - points.x[p]
    ay = walls.sy[wall] - points.y[p]
    ex, ey = walls.ex[wall], walls.ey[wall]
    cross = ax * ey - ay * ex
    facing = np.flatnonzero(cross < 0)  # the point sees the wall's face
    p, ax, ay, ex, ey, cross = (v[facing] for v in (p, ax, ay, ex, ey, cross))
    rise = walls.top_m[block[pair[facing]]] - points.z[p]
    bx, by = ax + ex, ay + ey
    angle_a = np.arctan2(ax, ay)
    angle_b = np.arctan2(bx, by)
    code = p * n
    width = walls.width
    for cx, cy, angle in ((ax, ay, angle_a), (bx, by, angle_b)):  # the corners themselves
        turned = np.where(angle < 0, angle + 2 * math.pi, angle)  # angle % 2π, faster
        sector = np.minimum((turned / width).astype(np.int64), n - 1)
        np.maximum.at(flat, code + sector, (rise / np.hypot(cx, cy)).astype("f4"))
    # Sector centres seen across the wall: intersect their rays with it.
    turn = (angle_b - angle_a + math.pi) % (2 * math.pi) - math.pi
    low = angle_a + np.minimum(turn, 0.0)
    k0 = np.ceil(low / width - 0.5).astype(np.int64)
    k1 = np.floor((low + np.abs(turn)) / width - 0.5).astype(np.int64)
    count = np.maximum(k1 - k0 + 1, 0)
    rays = int(count.sum())
    if rays == 0:
        return
    which = np.repeat(np.arange(len(p)), count)
    k = np.repeat(k0 - np.cumsum(count) + count, count)
    k += np.arange(rays)
    ray_x, ray_y = walls.ray_x[k - walls.first_k], walls.ray_y[k - walls.first_k]
    e_x, e_y = ex[which], ey[which]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = cross[which] / (ray_x * e_y - ray_y * e_x)
    ok = np.flatnonzero(np.isfinite(t) & (t > 1e-6))
    hit = which[ok]
    np.maximum.at(flat, code[hit] + k[ok] % n, (rise[hit] / t[ok]).astype("f4"))


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
    by_sector = []  # per sector with sun: its tangents sorted, the beam below each, at 0
    for s in np.unique(sector):
        members = np.flatnonzero(sector == s)
        order = members[np.argsort(tangent[members])]
        cumulative = np.concatenate([[0.0], np.cumsum(beam[order])])
        at_zero = cumulative[np.searchsorted(tangent[order], np.float32(0.0), side="left")]
        by_sector.append((int(s), tangent[order], cumulative, float(at_zero)))
    hidden = np.zeros(n_points)
    sky_view = np.ones(n_points)  # 1 − mean(sin² h), 1 where the sky is open all round
    for first in range(0, n_points, _SHARE_ROWS):  # rows by blocks that stay in the cache
        block = horizon[first : first + _SHARE_ROWS]
        part = hidden[first : first + _SHARE_ROWS]
        for s, tangents, cumulative, at_zero in by_sector:
            column = block[:, s]
            raised = np.flatnonzero(column)  # most horizons are open sky (0): not looked up
            found = cumulative[np.searchsorted(tangents, column[raised], side="left")]
            if at_zero == 0.0:  # adding 0.0 changes nothing
                part[raised] += found
            else:
                values = np.full(len(block), at_zero)
                values[raised] = found
                part += values
        rows = np.flatnonzero(block.any(axis=1))
        squared = block[rows].astype("float64") ** 2
        sky_view[first + rows] = 1.0 - np.mean(squared / (1.0 + squared), axis=1)
    return np.clip((beam.sum() - hidden + diffuse * sky_view) / total, 0.0, 1.0)
