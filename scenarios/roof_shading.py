"""The share of a year's sun each flat roof receives, shaded by its neighbours, kept between edits.

For every building, roof points (:func:`scenarios.sample_points.roof_points`) get their horizon
(:mod:`scenarios.horizon`, a slice of points at a time) and the share of a year of clear-sky
irradiation on a horizontal plane they receive (:func:`scenarios.horizon.unshaded_share`),
averaged over the roof. The sun is sampled hourly on the 21st of each month at the town's
latitude (:mod:`scenarios.sun`).

A big town is cut into west-to-east strips shared with forked helper processes
(:class:`twin.side_by_side.SharedParts`; :func:`start_roof_shares` starts them before the
caller's other work). A town of 100 000 buildings still takes ~1.1 s of CPU (0.6 s on two
cores), so the last result is kept: the next call
matches the buildings with it (by the City's row mapping, else by ids), compares footprints
(the same objects, else the same shapes), roof and base altitudes, and recomputes only the
roofs within the horizon radius of a building added, removed or changed; the others keep their
share. The buildings' blocks themselves are carried over by rows too
(:mod:`scenarios.obstacle_rows`): after one edit of a 100 000-building town, about 15 ms in
all, a third of it the horizons of the roofs around.
"""

from __future__ import annotations

import functools
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scenarios.horizon import (
    DEFAULT_RADIUS_M,
    DEFAULT_SECTORS,
    horizons_by_batch,
    unshaded_share,
)
from scenarios.indicators.row_move import RowMove
from scenarios.obstacle_rows import Derivation, forget_kept_obstacles, roof_obstacles, same_objects
from scenarios.sample_points import roof_points
from scenarios.shadow_map import Obstacles
from scenarios.sun import SunPositions, yearly_positions
from twin.side_by_side import SharedParts, usable_cores

logger = logging.getLogger(__name__)

LOCATION_STEP_DEG = 0.05
"""Latitude and longitude are rounded to this for the sun's path (5 km: the same sun)."""
_FEW = 16
_MAX_STRIPS = 4
_ROOFS_PER_STRIP = 10_000
"""Fewer roofs than this per strip are computed in one piece, in the calling thread."""
_PARTS_PER_CORE_STARTED = 3
"""Roof strips per core when started early (:func:`start_roof_shares`): smaller parts balance
the work whatever the calling process did meanwhile (each costs ~2 % more)."""
FULL_RECOMPUTE_SHARE = 0.5
"""When more than this share of the roofs is touched, everything is recomputed."""


@dataclass(frozen=True)
class _Kept:
    obstacles: Obstacles  # the buildings the shares were computed for (ids unique)
    shares: np.ndarray
    frame: weakref.ref[pd.DataFrame] | None = None  # the buildings frame they came from


@dataclass(frozen=True)
class _Started:
    frame: weakref.ref[pd.DataFrame]  # the buildings frame the computation was started for
    obstacles: Obstacles
    shared: SharedParts


_KEPT: dict[tuple[object, ...], _Kept] = {}
_STARTED: dict[tuple[object, ...], _Started] = {}
_LOCK = threading.Lock()


class StartedRoofShares:
    """A computation of roof shares from scratch started early (:func:`start_roof_shares`):
    :func:`roof_unshaded_shares` called for the same buildings takes it up; :meth:`cancel`
    stops it when it is not wanted."""

    def __init__(self, key: tuple[object, ...], started: _Started) -> None:
        self._key, self._started = key, started

    def cancel(self) -> None:
        """Stop the helpers if :func:`roof_unshaded_shares` did not take the work up."""
        with _LOCK:
            if _STARTED.get(self._key) is self._started:
                del _STARTED[self._key]
        self._started.shared.cancel()  # nothing once finished


@functools.lru_cache(maxsize=8)
def year_of_sun(latitude: float, longitude: float) -> SunPositions:
    """Hourly sun on the 21st of each month (kept per rounded place)."""
    return yearly_positions(latitude, longitude)


def rounded_place(latitude: float, longitude: float) -> tuple[float, float]:
    """Latitude and longitude rounded to :data:`LOCATION_STEP_DEG`."""
    step = LOCATION_STEP_DEG
    return round(round(latitude / step) * step, 4), round(round(longitude / step) * step, 4)


def forget_kept_roofs() -> None:
    """Drop the kept results and obstacles (benchmarks, memory)."""
    with _LOCK:
        _KEPT.clear()
        started = list(_STARTED.values())
        _STARTED.clear()
    for each in started:
        each.shared.cancel()
    forget_kept_obstacles()


def start_roof_shares(
    buildings: gpd.GeoDataFrame,
    latitude: float,
    longitude: float,
    *,
    n_sectors: int = DEFAULT_SECTORS,
    radius_m: float = DEFAULT_RADIUS_M,
    rows_since: Callable[[object], np.ndarray | None] | None = None,
) -> StartedRoofShares | None:
    """Start computing the roofs' shares from scratch in helper processes, when nothing is
    kept for this place and the town is large enough to be cut into strips; None otherwise.

    The caller goes on with other work; :func:`roof_unshaded_shares` called later with the
    same ``buildings`` frame computes the strips the helpers have not taken and gathers theirs
    (:class:`twin.side_by_side.SharedParts`). The shares are the same as without it.
    """
    key = (rounded_place(latitude, longitude), n_sectors, radius_m)
    with _LOCK:
        if key in _KEPT or key in _STARTED:
            return None  # an edit's partial recomputation, or already started
    obstacles, _ = roof_obstacles(buildings, rows_since)
    todo = np.arange(len(obstacles))
    strips = _strips(obstacles, todo, per_core=_PARTS_PER_CORE_STARTED)
    if len(strips) == 1:
        return None
    sun = year_of_sun(*rounded_place(latitude, longitude))
    shared = SharedParts.start(
        lambda strip: _strip_shares(obstacles, strip, sun, n_sectors, radius_m),
        strips,
        len(todo),
    )
    started = _Started(weakref.ref(buildings), obstacles, shared)
    with _LOCK:
        _STARTED[key] = started
    return StartedRoofShares(key, started)


def roof_unshaded_shares(
    buildings: gpd.GeoDataFrame,
    latitude: float,
    longitude: float,
    *,
    n_sectors: int = DEFAULT_SECTORS,
    radius_m: float = DEFAULT_RADIUS_M,
    rows_since: Callable[[object], np.ndarray | None] | None = None,
) -> np.ndarray:
    """For each building, the share of a year's clear-sky sun its flat roof receives (0..1).

    1 for a roof no neighbour shades; NaN for buildings without a footprint.
    ``rows_since(frame)``, when given, says for each building its row in an earlier frame
    (-1: new; :meth:`twin.city.City.row_source`): the kept result, and the buildings' blocks
    (:func:`scenarios.obstacle_rows.roof_obstacles`), are matched without comparing every id
    or footprint.
    """
    place = rounded_place(latitude, longitude)
    key = (place, n_sectors, radius_m)
    obstacles, derivation = roof_obstacles(buildings, rows_since)
    with _LOCK:
        kept = _KEPT.get(key)
        started = _STARTED.pop(key, None)
    if started is not None and (
        started.frame() is not buildings or started.obstacles is not obstacles or kept is not None
    ):
        started.shared.cancel()  # started for other buildings: not what is asked now
        started = None
    match = _matched(kept, buildings, obstacles, derivation, rows_since)
    todo = move = None
    if match is not None:
        assert kept is not None
        move = RowMove.of(match[0], len(kept.obstacles))
        todo = _touched(kept, obstacles, move, match[1], radius_m)
    if todo is None or move is None:
        todo, move = np.arange(len(obstacles)), None
    logger.debug("roof shading: %d of %d roofs computed", len(todo), len(obstacles))
    computed = np.empty(0)
    if started is not None:  # from scratch (nothing was kept), as it was started
        computed = started.shared.finish()
    elif len(todo):
        computed = _computed_shares(obstacles, todo, year_of_sun(*place), n_sectors, radius_m)
    if move is None:
        shares = np.full(len(obstacles), np.nan)
        shares[todo] = computed
    else:
        assert kept is not None
        shares = move.carry(kept.shares, todo, computed)  # every row not computed was kept
    if match is not None or pd.Index(obstacles.ids).is_unique:
        with _LOCK:
            _KEPT[key] = _Kept(obstacles, shares, weakref.ref(buildings))
    return shares


def _computed_shares(
    obstacles: Obstacles,
    todo: np.ndarray,
    sun: SunPositions,
    n_sectors: int,
    radius_m: float,
) -> np.ndarray:
    """The unshaded share of the roofs ``todo``, in west-to-east strips computed side by side.

    The strips are shared with forked helper processes where possible
    (:mod:`twin.side_by_side`: the horizons are many operations on small arrays, which
    threads cannot share well); each roof's share does not depend on the others computed with
    it (the horizon's float32 origin is the town's middle), so the result is the same in one
    piece or in strips.
    """
    strips = _strips(obstacles, todo)
    if len(strips) == 1:
        return _strip_shares(obstacles, todo, sun, n_sectors, radius_m)
    obstacles.keep_rings()  # what every strip reads, computed once before they part
    for prepared in (obstacles.bounds, obstacles.bound_columns, obstacles.casting):
        assert prepared is not None
    shared = SharedParts.start(
        lambda strip: _strip_shares(obstacles, todo[strip], sun, n_sectors, radius_m),
        strips,
        len(todo),
    )
    return shared.finish()


def _strips(obstacles: Obstacles, todo: np.ndarray, per_core: int = 1) -> list[np.ndarray]:
    """Positions in ``todo`` cut into west-to-east strips, ``per_core`` per core (one for few
    roofs)."""
    n = min(usable_cores(), _MAX_STRIPS, len(todo) // _ROOFS_PER_STRIP)
    if n <= 1:
        return [np.arange(len(todo))]
    n *= per_core
    west = obstacles.bounds[todo, 0]
    order = np.argsort(np.nan_to_num(west), kind="stable")
    return [np.sort(part) for part in np.array_split(order, n)]


def _strip_shares(
    obstacles: Obstacles,
    blocks: np.ndarray,
    sun: SunPositions,
    n_sectors: int,
    radius_m: float,
) -> np.ndarray:
    """The unshaded share of each roof in ``blocks`` (NaN for a roof without points)."""
    points, owner = roof_points(obstacles, blocks)  # owner: the block of each point
    per_point = np.ones(len(points))
    batches = horizons_by_batch(points, owner, obstacles, n_sectors=n_sectors, radius_m=radius_m)
    for first, horizon in batches:  # a slice of points at a time: it stays in the cache
        per_point[first : first + len(horizon)] = unshaded_share(horizon, sun)
    sums = np.bincount(owner, weights=per_point, minlength=len(obstacles))[blocks]
    counts = np.bincount(owner, minlength=len(obstacles))[blocks]
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def _matched(
    kept: _Kept | None,
    buildings: gpd.GeoDataFrame,
    obstacles: Obstacles,
    derivation: Derivation | None,
    rows_since: Callable[[object], np.ndarray | None] | None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Each building's row among the kept ones (-1: new) and whether its footprint is the
    same; None when they cannot be matched (nothing kept, or repeated ids)."""
    if kept is None or len(obstacles) == 0:
        return None
    before = kept.frame() if kept.frame is not None else None
    old_footprints = kept.obstacles.footprints
    if before is buildings:
        return np.arange(len(obstacles)), np.ones(len(obstacles), dtype=bool)
    if derivation is not None and before is not None and derivation.frame() is before:
        old, same = derivation.source, derivation.same_footprint.copy()
    else:
        source = None
        if rows_since is not None and before is not None and len(before) == len(kept.shares):
            source = rows_since(before)  # rows added or removed, as the City tells
        if source is not None and len(source) == len(obstacles):
            old = np.asarray(source, dtype=np.int64)
        elif np.array_equal(obstacles.ids, kept.obstacles.ids):  # same rows, same order
            old = np.arange(len(obstacles))
        else:
            index = pd.Index(obstacles.ids)
            if not index.is_unique:
                return None
            old = np.asarray(pd.Index(kept.obstacles.ids).get_indexer(index), dtype=np.int64)
        move = RowMove.of(old, len(old_footprints))
        same = same_objects(obstacles.footprints, old_footprints, move)
    other = np.flatnonzero(~same & (old >= 0))  # other objects: perhaps the same shape
    if len(other):
        footprints = obstacles.footprints[other]
        same[other] = shapely.equals_identical(footprints, old_footprints[old[other]])
    return old, same


def _touched(
    kept: _Kept, obstacles: Obstacles, move: RowMove, same_shape: np.ndarray, radius_m: float
) -> np.ndarray | None:
    """Rows whose roof share must be computed again, or None for all of them."""
    before = kept.obstacles
    added = move.added
    nan = np.full(len(added), np.nan)
    if move.same_rows:
        top_before, base_before = before.top_m, before.base_m
    else:
        top_before = move.carry(before.top_m, added, nan)
        base_before = move.carry(before.base_m, added, nan)
    top, base = obstacles.top_m, obstacles.base_m
    same = same_shape & (move.source >= 0) & (base == base_before)
    same &= (top == top_before) | (np.isnan(top) & np.isnan(top_before))
    changed = np.flatnonzero(~same)
    was = move.source[changed]  # the rows before of those changed, and the rows removed
    changed_before = np.concatenate([was[was >= 0], move.removed])
    dirty = np.concatenate([obstacles.footprints[changed], before.footprints[changed_before]])
    dirty = dirty[~(shapely.is_missing(dirty) | shapely.is_empty(dirty))]
    if len(dirty) == 0:
        return changed
    if len(dirty) <= _FEW:  # a few edited buildings: boxes within reach, no tree to build
        box = shapely.bounds(dirty)
        minx, miny, maxx, maxy = obstacles.bound_columns
        gap_x = np.maximum(box[:, None, 0] - maxx[None, :], minx[None, :] - box[:, None, 2])
        gap_y = np.maximum(box[:, None, 1] - maxy[None, :], miny[None, :] - box[:, None, 3])
        gap = np.hypot(np.maximum(gap_x, 0.0), np.maximum(gap_y, 0.0))
        near = np.flatnonzero((gap <= radius_m).any(axis=0))
    else:
        near = obstacles.tree.query(dirty, predicate="dwithin", distance=radius_m)[1]
    todo = np.union1d(changed, near)
    return None if len(todo) > FULL_RECOMPUTE_SHARE * len(same) else todo
