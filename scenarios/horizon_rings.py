"""The outer rings of LoD1 blocks as padded vertex tables, for :mod:`scenarios.horizon`.

A horizon is raised wall by wall for every (point, block) pair. Rather than one row per
(point, wall) built with index arithmetic, the rings are grouped by their number of walls
(rounded up to a few widths) into 2-D tables, so a group of pairs becomes a
(pairs × vertices) array with the point subtracted by broadcasting. Rings are turned
counter-clockwise (the block on the left of each wall) and padded with their closing vertex
(zero-length walls, which face nothing). Coordinates are float32 relative to ``origin``
(a millimetre at 10 km: plenty for walls seen from 150 m at most). Courtyards (holes) are left
out: they only matter for a point inside them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.shadow_map import Obstacles

_WIDTHS = np.array([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 24, 28, 32, 40, 48, 64])
"""Numbers of walls the tables are padded to (larger rings: the next multiple of 32)."""


@dataclass(frozen=True)
class RingGroup:
    """Rings padded to ``walls`` walls: ``x``, ``y`` (rings × walls + 1) float32 closed rings."""

    walls: int
    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class RingTable:
    """The outer rings of some blocks, by group of width.

    Attributes:
        groups: the padded tables.
        group: for each ring, its group; ``row``: its row there; ``block``: its block
            (index into the obstacles). Rings are sorted by block.
        first: for each obstacle, its first ring (``first[b]:first[b + 1]``; none when equal).
        origin: what was subtracted from the coordinates.
    """

    groups: list[RingGroup]
    group: np.ndarray
    row: np.ndarray
    block: np.ndarray
    first: np.ndarray
    origin: tuple[float, float]

    def rings_of(self, blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rings of each block of a list: (position in the list, ring)."""
        start, stop = self.first[blocks], self.first[blocks + 1]
        count = stop - start
        if (count == 1).all():
            return np.arange(len(blocks)), start
        position = np.repeat(np.arange(len(blocks)), count)
        ring = np.repeat(start - np.cumsum(count) + count, count) + np.arange(len(position))
        return position, ring


def outer_rings(obstacles: Obstacles, blocks: np.ndarray, origin: tuple[float, float]) -> RingTable:
    """The outer rings of ``blocks`` (indices into ``obstacles``), counter-clockwise.

    Example:
        >>> import geopandas as gpd
        >>> from shapely.geometry import box
        >>> frame = gpd.GeoDataFrame({"height_m": [6.0]}, geometry=[box(0, 0, 10, 4).reverse()])
        >>> table = outer_rings(Obstacles.from_buildings(frame, (0.0, 0.0)), np.array([0]), (0, 0))
        >>> group = table.groups[table.group[0]]
        >>> group.walls, group.x[0].tolist(), group.y[0].tolist()  # turned counter-clockwise
        (4, [10.0, 10.0, 0.0, 0.0, 10.0], [0.0, 4.0, 4.0, 0.0, 0.0])
    """
    blocks = np.asarray(blocks, dtype=np.int64)
    rings = obstacles.rings_of(blocks)
    if rings.exterior.all():
        x, y, ring, owner = rings.x, rings.y, rings.ring, rings.owner
    else:
        outer = rings.exterior[rings.ring]
        ring = (np.cumsum(rings.exterior) - 1)[rings.ring[outer]]  # outer rings numbered anew
        x, y, owner = rings.x[outer], rings.y[outer], rings.owner[rings.exterior]
    n_rings = len(owner)
    count = np.bincount(ring, minlength=n_rings)  # vertices, the closing one included
    start = np.cumsum(count) - count
    x, y = x - origin[0], y - origin[1]
    cross = np.append(x[:-1] * y[1:] - x[1:] * y[:-1], 0.0)  # shoelace terms
    twice_area = np.add.reduceat(cross, start) - cross[start + count - 1] if n_rings else cross[:0]
    x32, y32 = x.astype(np.float32), y.astype(np.float32)
    walls = np.maximum(count - 1, 1)
    widths = np.concatenate([_WIDTHS, np.arange(_WIDTHS[-1] + 32, walls.max(initial=0) + 32, 32)])
    group = np.searchsorted(widths, walls)
    by_group = np.argsort(group.astype(np.int16), kind="stable")  # a radix sort
    n_group = np.bincount(group, minlength=len(widths))
    ends = np.cumsum(n_group)
    row = np.empty(n_rings, dtype=np.int64)
    row[by_group] = np.arange(n_rings) - np.repeat(ends - n_group, n_group)
    groups = []
    for g in np.flatnonzero(n_group).tolist():
        w = int(widths[g])
        members = by_group[ends[g] - n_group[g] : ends[g]]
        last = (count[members] - 1)[:, None]
        rank = np.minimum(np.arange(w + 1), last)  # padded with the closing vertex
        rank = np.where(twice_area[members, None] < 0, last - rank, rank)  # clockwise: backwards
        vertex = start[members, None] + rank
        groups.append(RingGroup(w, x32[vertex], y32[vertex]))
    group_number = np.zeros(len(widths), dtype=np.int64)
    group_number[np.flatnonzero(n_group)] = np.arange(len(groups))
    block = blocks[owner]
    order = np.argsort(block, kind="stable")
    first = np.searchsorted(block[order], np.arange(len(obstacles) + 1))
    return RingTable(groups, group_number[group[order]], row[order], block[order], first, origin)
