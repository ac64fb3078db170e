"""The buildings' LoD1 blocks for roof shading, carried over from one frame to the next by rows.

Roof shading (:mod:`scenarios.roof_shading`) reads every building as an
:class:`~scenarios.shadow_map.Obstacles` (footprints, roof and base altitudes, bounding boxes,
areas). Reading 100 000 footprints again after one edit costs tens of milliseconds, so the
last few are kept: when the City tells how the rows of a new buildings frame relate to those of
a kept one (:meth:`twin.city.City.row_source`), the rows whose footprint is still the very same
object (frames share their unchanged geometries) keep their boxes, areas and emptiness, and
only the others are read. Heights and altitudes are read again for every row (a column
read, cheap), and a missing base altitude is filled as
:meth:`~scenarios.shadow_map.Obstacles.from_buildings` fills it (nearest building with one),
searching only the rows that need it while the buildings with a base stay the same. The result
is the Obstacles :meth:`~scenarios.shadow_map.Obstacles.from_buildings` gives (origin 0, 0),
value for value.
"""

from __future__ import annotations

import ctypes
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from scenarios.indicators.measure_context import rows_of
from scenarios.indicators.row_move import RowMove
from scenarios.shadow_map import Obstacles, base_tree, nearest_bases

KEPT_FRAMES = 4
"""Buildings frames whose obstacles are kept (a scenario's and its baseline's, a few edits)."""


@dataclass(frozen=True)
class Derivation:
    """How an Obstacles was carried over: from the obstacles of ``frame`` (weak reference),
    ``source`` giving each row's row there (-1: added) and ``same_footprint`` the rows whose
    footprint is the very same object."""

    frame: weakref.ref
    source: np.ndarray
    same_footprint: np.ndarray


@dataclass(frozen=True)
class _Entry:
    frame: weakref.ref
    obstacles: Obstacles
    raw_base: np.ndarray  # the frame's base_elevation_m, NaN where missing
    tree: shapely.STRtree | None  # base_tree of the footprints with a base, when built
    derivation: Derivation | None


_ENTRIES: list[_Entry] = []
_LOCK = threading.Lock()


def forget_kept_obstacles() -> None:
    """Drop the kept obstacles (benchmarks, memory)."""
    with _LOCK:
        _ENTRIES.clear()


def roof_obstacles(
    buildings: gpd.GeoDataFrame,
    rows_since: Callable[[object], np.ndarray | None] | None = None,
) -> tuple[Obstacles, Derivation | None]:
    """The Obstacles of a buildings frame (origin 0, 0), and how they were carried over (None
    when read whole).

    The same object for the same frame; ``rows_since(frame)`` (each row's row in an earlier
    frame, -1: new; :meth:`twin.city.City.row_source`) lets a kept frame's obstacles be
    carried over.

    Example:
        >>> from shapely.geometry import box
        >>> frame = gpd.GeoDataFrame({"id": ["a"], "height_m": [6.0], "base_elevation_m": [1.0]},
        ...                          geometry=[box(0, 0, 10, 10)])
        >>> obstacles, how = roof_obstacles(frame)
        >>> obstacles.top_m.tolist(), how is None, roof_obstacles(frame)[0] is obstacles
        ([7.0], True, True)
    """
    with _LOCK:
        entries = [e for e in _ENTRIES if e.frame() is not None]
    for known in entries:
        if known.frame() is buildings:
            return known.obstacles, known.derivation
    entry = _carried_from(entries, buildings, rows_since) if rows_since is not None else None
    if entry is None:
        obstacles = Obstacles.from_buildings(buildings, (0.0, 0.0))
        entry = _Entry(weakref.ref(buildings), obstacles, _raw_base(buildings), None, None)
    with _LOCK:
        _ENTRIES[:] = [e for e in _ENTRIES if e.frame() is not None][-(KEPT_FRAMES - 1) :]
        _ENTRIES.append(entry)
    return entry.obstacles, entry.derivation


def _carried_from(
    entries: list[_Entry],
    buildings: gpd.GeoDataFrame,
    rows_since: Callable[[object], np.ndarray | None],
) -> _Entry | None:
    """The entry of ``buildings`` carried over from the most recent kept frame the City
    relates it to; None when it relates it to none."""
    for kept in reversed(entries):
        before = kept.frame()
        source = None if before is None else rows_since(before)
        if source is not None and len(source) == len(buildings):
            return _carried(kept, before, buildings, np.asarray(source, dtype=np.int64))
    return None


def same_objects(new: np.ndarray, old: np.ndarray, move: RowMove | None = None) -> np.ndarray:
    """Row by row, whether ``new`` holds the very same object as ``old`` held (compared by
    address: a few hundred microseconds for 100 000 rows, where comparing geometries takes
    milliseconds); with ``move``, against the row each row was (False for added rows).

    Example:
        >>> a, b = object(), object()
        >>> same_objects(np.array([a, b], dtype=object), np.array([a, a], dtype=object)).tolist()
        [True, False]
    """
    new_array = np.ascontiguousarray(new, dtype=object)
    old_array = np.ascontiguousarray(old, dtype=object)
    before = _addresses(old_array)
    if move is not None:
        before = move.carry(before, move.added, np.zeros(len(move.added), dtype=np.uintp))
    elif len(new_array) != len(old_array):
        raise ValueError(f"{len(new_array)} objects compared with {len(old_array)}")
    same = _addresses(new_array) == before  # both arrays hold their objects meanwhile
    if move is not None:
        same[move.added] = False
    return same


def _addresses(objects: np.ndarray) -> np.ndarray:
    """The addresses of the objects a contiguous object array refers to: a view of the array's
    own memory, valid while the array lives."""
    if len(objects) == 0:
        return np.empty(0, dtype=np.uintp)
    if objects.itemsize != ctypes.sizeof(ctypes.c_size_t) or not objects.flags.c_contiguous:
        raise TypeError("object references are not pointer-sized here")
    words = (ctypes.c_size_t * len(objects)).from_address(objects.ctypes.data)
    return np.ctypeslib.as_array(words).view(np.uintp)


def _same_array(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two arrays are views of the very same memory (a frame's column shared by its
    next version, copy-on-write)."""
    return a is b or (
        a.shape == b.shape
        and a.dtype == b.dtype
        and a.strides == b.strides
        and a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    )


def _raw_base(buildings: gpd.GeoDataFrame) -> np.ndarray:
    if "base_elevation_m" not in buildings:
        return np.full(len(buildings), np.nan)
    column = buildings["base_elevation_m"]
    return np.asarray(column.to_numpy(dtype="float64", na_value=np.nan))


def _carried(
    kept: _Entry, before: object, buildings: gpd.GeoDataFrame, source: np.ndarray
) -> _Entry:
    """The entry of ``buildings``, carried over from ``kept`` (of the frame ``before``)."""
    old = kept.obstacles
    geoms = buildings.geometry.to_numpy()
    move = RowMove.of(source, len(old))
    if move.same_rows and _same_array(geoms, old.footprints):  # the geometry column shared
        same = np.ones(len(geoms), dtype=bool)
    else:
        same = same_objects(geoms, old.footprints, move)
    fresh = np.flatnonzero(~same)  # rows added, or whose footprint changed: read them
    if move.same_rows and not len(fresh):  # the same footprints: their arrays (never changed)
        bounds, empty, areas, ids = old.bounds, old.empty, old.areas, old.ids
    else:
        part = geoms[fresh]
        bounds = move.carry(old.bounds, fresh, shapely.bounds(part))
        empty = move.carry(old.empty, fresh, shapely.is_empty(part))
        areas = move.carry(old.areas, fresh, shapely.area(part))
        ids = move.carry(old.ids.astype(object, copy=False), fresh, _ids(buildings, fresh))
    height = (
        buildings["height_m"].to_numpy(dtype="float64", na_value=np.nan)
        if "height_m" in buildings
        else np.full(len(geoms), np.nan)
    )
    raw = _raw_base(buildings)
    base, tree = _bases(kept, move, same, geoms, raw)
    top = np.where(height > 0, base + height, np.nan)
    obstacles = Obstacles(geoms, base, top, ids, (0.0, 0.0))
    obstacles.known(bounds=bounds, empty=empty, areas=areas)
    derivation = Derivation(weakref.ref(before), source, same)
    return _Entry(weakref.ref(buildings), obstacles, raw, tree, derivation)


def _ids(buildings: gpd.GeoDataFrame, rows: np.ndarray) -> np.ndarray:
    """The ids of some rows as Python strings (an object array: carried over cheaply)."""
    if "id" not in buildings:
        return rows.astype(str).astype(object)
    return np.asarray(rows_of(buildings["id"], rows).astype(str), dtype=object)


def _bases(
    kept: _Entry, move: RowMove, same: np.ndarray, geoms: np.ndarray, raw: np.ndarray
) -> tuple[np.ndarray, shapely.STRtree | None]:
    """Base altitudes, missing ones filled from the nearest building with one, as
    ``Obstacles.from_buildings`` fills them; and the tree of the buildings with a base."""
    missing = ~np.isfinite(raw)
    if not missing.any():
        return raw, None
    nan = np.full(len(move.added), np.nan)
    was = move.carry(kept.raw_base, move.added, nan)  # each row's base before (NaN: added)
    # The same buildings with a base, in the same order, with the same bases and shapes: the
    # same tree, and the rows missing a base before and after keep their nearest building.
    unchanged = (
        move.in_order
        and int((~missing).sum()) == int(np.isfinite(kept.raw_base).sum())
        and bool((missing | (same & (was == raw))).all())
    )
    tree = kept.tree if unchanged else None
    if tree is None:
        tree = base_tree(geoms, raw)
    filled = raw.copy()
    carried = np.zeros(len(raw), dtype=bool)
    if unchanged:
        carried = missing & same & np.isnan(was)
        filled[carried] = move.carry(kept.obstacles.base_m, move.added, nan)[carried]
    lost = np.flatnonzero(missing & ~carried)
    if len(lost):
        filled[lost] = nearest_bases(geoms, raw, lost, tree)
    return filled, tree
