"""The share of a year's sun each flat roof receives, shaded by its neighbours, kept between edits.

For every building, roof points (:func:`scenarios.sample_points.roof_points`) get their horizon
(:mod:`scenarios.horizon`, a slice of points at a time) and the share of a year of clear-sky
irradiation on a horizontal plane they receive (:func:`scenarios.horizon.unshaded_share`),
averaged over the roof. The sun is sampled hourly on the 21st of each month at the town's
latitude (:mod:`scenarios.sun`).

A town of 100 000 buildings takes about a second, so the last result is kept: the next call compares
the buildings with it (ids, footprints, roof altitudes) and recomputes only the roofs within
the horizon radius of a building added, removed or changed; the others keep their share.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
from scenarios.sample_points import roof_points
from scenarios.shadow_map import Obstacles
from scenarios.sun import SunPositions, yearly_positions

logger = logging.getLogger(__name__)

LOCATION_STEP_DEG = 0.05
"""Latitude and longitude are rounded to this for the sun's path (5 km: the same sun)."""
_FEW = 16
_MAX_THREADS = 4
_ROOFS_PER_THREAD = 10_000
"""Fewer roofs than this per thread are computed on the calling thread alone."""
FULL_RECOMPUTE_SHARE = 0.5
"""When more than this share of the roofs is touched, everything is recomputed."""


@dataclass(frozen=True)
class _Kept:
    ids: np.ndarray  # unique
    footprints: np.ndarray  # absolute coordinates
    tops: np.ndarray
    shares: np.ndarray
    frame: weakref.ref[pd.DataFrame] | None = None  # the buildings frame they came from


_KEPT: dict[tuple[object, ...], _Kept] = {}
_LOCK = threading.Lock()


@functools.lru_cache(maxsize=8)
def year_of_sun(latitude: float, longitude: float) -> SunPositions:
    """Hourly sun on the 21st of each month (kept per rounded place)."""
    return yearly_positions(latitude, longitude)


def rounded_place(latitude: float, longitude: float) -> tuple[float, float]:
    """Latitude and longitude rounded to :data:`LOCATION_STEP_DEG`."""
    step = LOCATION_STEP_DEG
    return round(round(latitude / step) * step, 4), round(round(longitude / step) * step, 4)


def forget_kept_roofs() -> None:
    """Drop the kept results (benchmarks, memory)."""
    with _LOCK:
        _KEPT.clear()


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
    (-1: new; :meth:`twin.city.City.row_source`): the kept result is matched without
    comparing every id.
    """
    place = rounded_place(latitude, longitude)
    key = (place, n_sectors, radius_m)
    obstacles = Obstacles.from_buildings(buildings, (0.0, 0.0))  # float64 is precise enough
    ids = obstacles.ids
    with _LOCK:
        kept = _KEPT.get(key)
    old = _old_positions(kept, ids, rows_since)
    todo = None if kept is None or old is None else _touched(kept, old, obstacles, radius_m)
    shares = np.full(len(ids), np.nan)
    if todo is None:
        todo = np.arange(len(ids))
    else:
        assert kept is not None and old is not None
        reuse = np.ones(len(ids), dtype=bool)
        reuse[todo] = False
        shares[reuse] = kept.shares[old[reuse]]
    logger.debug("roof shading: %d of %d roofs computed", len(todo), len(ids))
    if len(todo):
        shares[todo] = _computed_shares(obstacles, todo, year_of_sun(*place), n_sectors, radius_m)
    if old is not None or pd.Index(ids).is_unique:
        with _LOCK:
            frame = weakref.ref(buildings)
            _KEPT[key] = _Kept(ids, obstacles.footprints, obstacles.top_m, shares, frame)
    return shares


def _computed_shares(
    obstacles: Obstacles,
    todo: np.ndarray,
    sun: SunPositions,
    n_sectors: int,
    radius_m: float,
) -> np.ndarray:
    """The unshaded share of the roofs ``todo``, in west-to-east strips on worker threads.

    numpy and shapely release the GIL on whole arrays, so the strips run side by side; each
    roof's share does not depend on the others computed with it (the horizon's float32
    origin is the town's middle), so the result is the same on one thread or several.
    """
    strips = _strips(obstacles, todo)
    if len(strips) == 1:
        return _strip_shares(obstacles, todo, sun, n_sectors, radius_m)
    for prepared in (obstacles.bounds, obstacles.bound_columns, obstacles.casting):
        assert prepared is not None  # computed once here, not raced for by the threads
    obstacles.rings_of(todo[:1])
    out = np.empty(len(todo))
    with ThreadPoolExecutor(len(strips), thread_name_prefix="roof-shading") as pool:
        parts = pool.map(
            lambda strip: _strip_shares(obstacles, todo[strip], sun, n_sectors, radius_m),
            strips,
        )
        for strip, part in zip(strips, parts, strict=True):
            out[strip] = part
    return out


def _strips(obstacles: Obstacles, todo: np.ndarray) -> list[np.ndarray]:
    """Positions in ``todo`` cut into west-to-east strips, one per core (one for few roofs)."""
    n = min(os.cpu_count() or 1, _MAX_THREADS, len(todo) // _ROOFS_PER_THREAD)
    if n <= 1:
        return [np.arange(len(todo))]
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


def _old_positions(
    kept: _Kept | None,
    ids: np.ndarray,
    rows_since: Callable[[object], np.ndarray | None] | None = None,
) -> np.ndarray | None:
    """Position of each id among the kept ones (-1: new), or None when they cannot be matched
    (nothing kept, or repeated ids)."""
    if kept is None or len(ids) == 0:
        return None
    if len(ids) == len(kept.ids) and np.array_equal(ids, kept.ids):
        return np.arange(len(ids))  # the usual case: same rows, same order
    before = kept.frame() if kept.frame is not None else None
    if rows_since is not None and before is not None and len(before) == len(kept.ids):
        source = rows_since(before)  # rows added or removed, as the City tells
        if source is not None and len(source) == len(ids):
            return np.asarray(source, dtype=np.int64)
    index = pd.Index(ids)
    if not index.is_unique:
        return None
    return np.asarray(pd.Index(kept.ids).get_indexer(index), dtype=np.int64)


def _touched(
    kept: _Kept, old: np.ndarray, obstacles: Obstacles, radius_m: float
) -> np.ndarray | None:
    """Rows whose roof share must be computed again, or None for all of them."""
    footprints, tops = obstacles.footprints, obstacles.top_m
    found = old >= 0
    same = np.zeros(len(old), dtype=bool)
    in_place = found.all() and np.array_equal(old, np.arange(len(old)))
    if in_place and _same_objects(footprints, kept.footprints):  # an edit of heights only
        same_shape: np.ndarray | bool = True
    else:
        same_shape = shapely.equals_identical(footprints[found], kept.footprints[old[found]])
    same[found] = same_shape & (
        (tops[found] == kept.tops[old[found]])
        | (np.isnan(tops[found]) & np.isnan(kept.tops[old[found]]))
    )
    unchanged_old = np.zeros(len(kept.ids), dtype=bool)
    unchanged_old[old[same]] = True
    dirty = np.concatenate([footprints[~same], kept.footprints[~unchanged_old]])
    dirty = dirty[~(shapely.is_missing(dirty) | shapely.is_empty(dirty))]
    if len(dirty) == 0:
        return np.flatnonzero(~same)
    if len(dirty) <= _FEW:  # a few edited buildings: boxes within reach, no tree to build
        box = shapely.bounds(dirty)
        every = obstacles.bounds
        gap_x = np.maximum(box[:, None, 0] - every[None, :, 2], every[None, :, 0] - box[:, None, 2])
        gap_y = np.maximum(box[:, None, 1] - every[None, :, 3], every[None, :, 1] - box[:, None, 3])
        gap = np.hypot(np.maximum(gap_x, 0.0), np.maximum(gap_y, 0.0))
        near = np.flatnonzero((gap <= radius_m).any(axis=0))
    else:
        near = obstacles.tree.query(dirty, predicate="dwithin", distance=radius_m)[1]
    todo = np.union1d(np.flatnonzero(~same), near)
    return None if len(todo) > FULL_RECOMPUTE_SHARE * len(old) else todo


def _same_objects(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two arrays of geometries hold the very same objects (a frame's geometry column
    shared by its next version, copy-on-write): then the footprints are the same."""
    return a is b or (
        a.shape == b.shape
        and a.dtype == object
        and b.dtype == object
        and a.__array_interface__["data"] == b.__array_interface__["data"]
        and a.strides == b.strides
    )
