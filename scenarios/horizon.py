"""Horizon profiles: how high neighbouring buildings rise around a point, ray by ray.

For a year of sun the roof solar potential needs, for every roof point, whether each of a few
hundred sun positions is hidden. Rather than casting one ray per position, each point gets its
**horizon**: on the centre ray of each of ``n_sectors`` azimuth sectors (36: every 10°), the
tangent of the elevation angle under which the neighbouring LoD1 blocks rise highest,
``(top − z) / distance`` to the first wall the ray meets. A sun position is hidden when its
elevation is below the horizon of its sector (the ray nearest to it, at most half a sector
away).

Each front wall of a block is intersected with the rays that cross it (back walls are further
away on the same rays and are skipped), so the horizon is exact on the rays; between them it
is sampled, not bounded: a block narrower than a sector is seen by one ray or none, so the
errors of neighbouring sun positions tend to cancel out rather than add up. Only blocks within
``radius_m`` that can rise ``min_elevation_deg`` above the point (10°: lower ones hide only
the low sun, which brings little on a horizontal roof) count; courtyards (holes) are ignored
(they only matter for a point inside them). The walls are taken from padded vertex tables
(:mod:`scenarios.horizon_rings`), a group of (point, ring) pairs at a time, in float32.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator

import numpy as np

from scenarios.horizon_pairs import Points, pairs_in_view
from scenarios.horizon_rings import outer_rings
from scenarios.shadow_map import Obstacles
from scenarios.sun import SunPositions

logger = logging.getLogger(__name__)

DEFAULT_SECTORS = 36
"""Rays (sectors of 10°): against a fine reference (1,440 sectors, every block) the roof shares
of the sample town, Olemps and a synthetic town differ by 0.10-0.12 percentage points on
average, as with 72 sectors taking the highest wall in each (0.07-0.17 points), but by at most
2.2 points (against 2.7): docs/indicators.md."""
DEFAULT_RADIUS_M = 150.0
"""Blocks further away are ignored: 20 m above a roof at 150 m is 7.6° up."""
MIN_ELEVATION_DEG = 10.0
"""Blocks that cannot rise this high above a point are ignored: at Rodez the sun below 10°
brings 1 % of a year's clear-sky irradiation on a horizontal roof (0.07 % below 5°), and a
horizon of 10° all round takes 0.5 % of the diffuse light; the blocks to search are a third
of those above 5°."""
_CHUNK = 1 << 15  # (point, vertex) pairs at a time: their temporaries stay in the cache
_SHARE_ROWS = 1 << 12  # horizons at a time for the shares
_BATCH = 1 << 14  # points whose horizons are raised together
_STEEPEST = np.float32(1e6)  # the tangent of a wall touching the point


def horizon_tangents(
    points_xyz: np.ndarray,
    owner: np.ndarray,
    obstacles: Obstacles,
    *,
    n_sectors: int = DEFAULT_SECTORS,
    radius_m: float = DEFAULT_RADIUS_M,
    min_elevation_deg: float = MIN_ELEVATION_DEG,
) -> np.ndarray:
    """(n_points, n_sectors) float32: tangent of the horizon on each sector's centre ray
    (0: open sky).

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
        >>> np.round(tangents.astype(float), 3).tolist()  # the 45° ray: 20 m up, 14.1 m away
        [[1.414, 0.0, 0.0, 0.0]]
    """
    points = np.asarray(points_xyz, dtype="float64").reshape(-1, 3)
    horizon = np.zeros((len(points), n_sectors), dtype=np.float32)
    batches = horizons_by_batch(
        points,
        owner,
        obstacles,
        n_sectors=n_sectors,
        radius_m=radius_m,
        min_elevation_deg=min_elevation_deg,
    )
    for first, part in batches:
        horizon[first : first + len(part)] = part
    return horizon


def horizons_by_batch(
    points_xyz: np.ndarray,
    owner: np.ndarray,
    obstacles: Obstacles,
    *,
    n_sectors: int = DEFAULT_SECTORS,
    radius_m: float = DEFAULT_RADIUS_M,
    min_elevation_deg: float = MIN_ELEVATION_DEG,
) -> Iterator[tuple[int, np.ndarray]]:
    """The horizons of :func:`horizon_tangents`, a slice of consecutive points at a time:
    (first point, (points, n_sectors) float32). Each array is overwritten by the next one
    (a slice stays in the processor's cache while it is raised and read)."""
    points = np.asarray(points_xyz, dtype="float64").reshape(-1, 3)
    n_points = len(points)
    buffer = np.zeros(min(n_points, _BATCH) * n_sectors, dtype=np.float32)
    pairs = None
    if n_points and obstacles.casting.any():
        pairs = _Pairs(Points(points), np.asarray(owner), obstacles, radius_m, min_elevation_deg)
    rays = _Rays(n_sectors)
    for first in range(0, n_points, _BATCH):
        size = min(_BATCH, n_points - first)
        flat = buffer[: size * n_sectors]
        flat.fill(0.0)
        if pairs is not None:  # sector by sector: each sector's column is contiguous
            pairs.raise_batch(flat, rays, first // _BATCH, first, size)
        yield first, flat.reshape(n_sectors, size).T


class _Pairs:
    """The (point, ring) pairs of some points, sorted by slice of points and group of rings."""

    def __init__(
        self,
        xyz: Points,
        owner: np.ndarray,
        obstacles: Obstacles,
        radius_m: float,
        min_elevation_deg: float,
    ) -> None:
        steepness = math.tan(math.radians(min_elevation_deg))
        highest = float(np.nanmax(obstacles.top_m)) - float(xyz.z.min())
        reach = min(radius_m, highest / steepness) if steepness > 0 else radius_m
        point, block = pairs_in_view(xyz, owner, obstacles, max(reach, 0.0), steepness)
        seen = np.zeros(len(obstacles), dtype=bool)
        seen[block] = True
        if 2 * seen.sum() > len(obstacles):  # most blocks: all of them, no selection to make
            seen[:] = True
        minx, miny, maxx, maxy = obstacles.bound_columns
        origin = (  # the middle of the whole town, whichever points are redone (a partial
            # recomputation then rounds as the full one); float32 is precise to 1 mm at 10 km
            float(np.nanmin(minx) + np.nanmax(maxx)) / 2,
            float(np.nanmin(miny) + np.nanmax(maxy)) / 2,
        )
        self.table = table = outer_rings(obstacles, np.flatnonzero(seen), origin)
        position, ring = table.rings_of(block)
        point = point if len(position) == len(point) else point[position]
        key = point // _BATCH * len(table.groups) + table.group[ring]
        key = key.astype(np.int16 if key.max(initial=0) < 1 << 15 else np.int64)
        order = np.argsort(key, kind="stable")  # a radix sort for 16-bit keys
        self.ends = np.searchsorted(key[order], np.arange(key.max(initial=0) + 2))
        self.point, ring = point[order], ring[order]  # by slice and group: runs, not gathers
        self.row = table.row[ring]
        self.rise = (obstacles.top_m[table.block[ring]] - xyz.z[self.point]).astype(np.float32)
        self.x = (xyz.x - origin[0]).astype(np.float32)
        self.y = (xyz.y - origin[1]).astype(np.float32)

    def raise_batch(self, flat: np.ndarray, rays: _Rays, batch: int, first: int, size: int) -> None:
        """Raise ``flat`` (the horizons of the ``size`` points from ``first`` on, sector
        after sector) with the pairs of slice number ``batch``."""
        table = self.table
        for g, part in enumerate(table.groups):
            at = batch * len(table.groups) + g
            if at + 1 >= len(self.ends):
                break
            step = max(_CHUNK // (part.walls + 1), 1)
            for start in range(self.ends[at], self.ends[at + 1], step):
                chosen = slice(start, min(start + step, self.ends[at + 1]))
                p = self.point[chosen]
                rows = self.row[chosen]
                ring_x, ring_y = part.x[rows], part.y[rows]
                ring_x -= self.x[p, None]  # the vertices seen from the point
                ring_y -= self.y[p, None]
                _raise(flat, rays, ring_x, ring_y, p - first, self.rise[chosen], size)


class _Rays:
    """The sectors' centre rays by ray number ``k`` (stored at ``k - first``, for ``k`` from
    ``-n - 1`` to ``2n + 1``): direction (sin, cos of the azimuth) and sector (``k mod n``)."""

    def __init__(self, n_sectors: int) -> None:
        self.n = n_sectors
        self.per_radian = np.float32(n_sectors / (2 * math.pi))
        self.first = -n_sectors - 1
        k = np.arange(self.first, 2 * n_sectors + 2)
        centre = (k + 0.5) * (2 * math.pi / n_sectors)
        self.x = np.sin(centre).astype(np.float32)
        self.y = np.cos(centre).astype(np.float32)
        self.sector = (k % n_sectors).astype(np.int64)


def _raise(
    flat: np.ndarray,
    rays: _Rays,
    x: np.ndarray,
    y: np.ndarray,
    point: np.ndarray,
    rise: np.ndarray,
    n_points: int,
) -> None:
    """Raise ``flat`` (the horizons of ``n_points`` points, sector after sector) with the
    rings of some (point, ring) pairs.

    ``x``, ``y``: (pairs × vertices) the ring's vertices relative to the point; ``rise``: how
    high the ring's block rises above the point. Only the walls the point faces count (the
    back walls are further on the same rays); each sector's centre ray that crosses one is
    intersected with it.
    """
    n = rays.n
    cross = x[:, :-1] * y[:, 1:]  # start × end: < 0 when the point faces the wall
    cross -= y[:, :-1] * x[:, 1:]
    last = np.arctan2(x, y)  # azimuth of each vertex, clockwise from north
    last *= rays.per_radian
    last -= np.float32(0.5 + rays.first - 1)
    np.floor(last, out=last)  # the first ray after each vertex, as a position in ``rays``
    turn = last[:, 1:] - last[:, :-1]  # rays a facing wall crosses, clockwise (or that − n)
    crossed = np.flatnonzero((cross < 0) & (turn != 0))
    walls = x.shape[1] - 1
    pair = crossed // walls
    start = crossed + pair  # the wall's first vertex in the (pairs × vertices) arrays
    ray = last.reshape(-1)[start].astype(np.intp)
    times = turn.reshape(-1)[crossed].astype(np.intp)
    times[times < 0] += n  # across the south, where the azimuths turn round
    if not times.all():  # a wall within the sector astride the south: no ray crosses it
        keep = np.flatnonzero(times)
        pair, start, crossed, ray, times = (v[keep] for v in (pair, start, crossed, ray, times))
    if (times > 1).any():
        which = np.repeat(np.arange(len(ray)), times)
        ray = np.repeat(ray - np.cumsum(times) + times, times) + np.arange(len(which))
        pair, start, crossed = pair[which], start[which], crossed[which]
    flat_x, flat_y = x.reshape(-1), y.reshape(-1)
    ex = flat_x[start + 1] - flat_x[start]
    ey = flat_y[start + 1] - flat_y[start]
    tangent = rays.x[ray] * ey  # rise / distance along the ray to the wall
    tangent -= rays.y[ray] * ex
    tangent *= rise[pair]
    tangent /= cross.reshape(-1)[crossed]
    np.minimum(tangent, _STEEPEST, out=tangent)  # a point on the wall: no infinity
    np.maximum.at(flat, rays.sector[ray] * n_points + point[pair], tangent)


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
    by_sector = []  # per sector with sun: its tangents sorted, the beam below each but 0°'s
    below = 0.0
    for s in np.unique(sector):
        members = np.flatnonzero(sector == s)
        order = members[np.argsort(tangent[members])]
        cumulative = np.concatenate([[0.0], np.cumsum(beam[order])])
        at_zero = cumulative[np.searchsorted(tangent[order], np.float32(0.0), side="left")]
        by_sector.append((int(s), tangent[order], cumulative - at_zero))
        below += float(at_zero)
    hidden = np.full(n_points, below)  # the beam an open sky hides: the sun below 0°
    shade = np.zeros(n_points)  # sum over the sectors of sin² of the horizon
    by_columns = horizon.flags.f_contiguous  # each sector's column contiguous: as it is
    rows = n_points if by_columns else _SHARE_ROWS
    for first in range(0, n_points, rows):  # rows by blocks that stay in the cache
        block = horizon.T if by_columns else np.ascontiguousarray(horizon[first : first + rows].T)
        part = hidden[first : first + rows]
        for s, tangents, cumulative in by_sector:
            column = block[s]
            raised = np.flatnonzero(column)  # most horizons are open sky (0): not looked up
            part[raised] += cumulative[np.searchsorted(tangents, column[raised], side="left")]
        squared = block * block
        squared /= 1.0 + squared  # sin² of the horizon's elevation
        shade[first : first + rows] = squared.sum(axis=0, dtype=np.float64)
    sky_view = 1.0 - shade / n_sectors  # 1 where the sky is open all round
    return np.clip((beam.sum() - hidden + diffuse * sky_view) / total, 0.0, 1.0)
