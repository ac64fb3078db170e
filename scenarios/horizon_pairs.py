"""Which neighbouring blocks each point of a horizon must be raised with.

:func:`pairs_in_view` gives the (point, block) pairs :func:`scenarios.horizon.horizon_tangents`
works on: blocks whose bounding box comes within reach and that may rise above the lowest
elevation counted, never the point's own. Roof points are paired block by block (a roof's
points share their neighbours, found once per roof from its lowest point), then each point is
tested on its own, so the pairs are exactly those a point-by-point search keeps. The search
(:func:`rising_blocks`) runs by classes of height through :func:`scenarios.box_join.boxes_within`:
a class of low blocks is only searched as far as its tallest can rise above the elevation.
"""

from __future__ import annotations

import numpy as np

from scenarios.box_join import boxes_within
from scenarios.shadow_map import Obstacles

_HEIGHT_CLASSES = 4
"""Blocks are searched in this many classes of height (quartiles of their tops)."""
_ROOF_PAIRS = 1 << 14  # (roof, block) pairs whose points are tested at a time


class Points:
    """Points as contiguous x, y, z columns (gathers from them are several times faster)."""

    def __init__(self, points: np.ndarray) -> None:
        self.x, self.y, self.z = (np.ascontiguousarray(points[:, i]) for i in range(3))


def pairs_in_view(
    points: Points, owner: np.ndarray, obstacles: Obstacles, reach: float, steepness: float
) -> tuple[np.ndarray, np.ndarray]:
    """The (point, block) pairs to raise the horizons with: blocks that may rise above
    ``steepness`` (judged from their bounding box) within ``reach``, not the point's own.

    Roof points are paired block by block (a roof's points share their neighbours), then
    tested one by one.
    """
    if len(owner) == 0 or (owner < 0).any():
        x, y = points.x, points.y
        point, block = rising_blocks(
            np.column_stack([x, y, x, y]), points.z, obstacles, reach, steepness
        )
        return _steep(points, owner, obstacles, point, block, reach, steepness)
    order = None if (owner[1:] >= owner[:-1]).all() else np.argsort(owner, kind="stable")
    by_roof = owner if order is None else owner[order]
    first = np.flatnonzero(np.concatenate([[True], by_roof[1:] != by_roof[:-1]]))
    count = np.diff(np.append(first, len(by_roof)))
    roofs = by_roof[first]
    z = points.z if order is None else points.z[order]
    lowest = np.minimum.reduceat(z, first)
    roof, block = rising_blocks(obstacles.bounds[roofs], lowest, obstacles, reach, steepness)
    keep = np.flatnonzero(block != roofs[roof])
    roof, block = roof[keep], block[keep]
    rank = np.arange(len(by_roof)) if order is None else order
    found = [(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))]
    for start in range(0, len(roof), _ROOF_PAIRS):  # then each point on its own
        point, pair = _expand(rank, first, count, roof[start : start + _ROOF_PAIRS])
        pair += start
        found.append(_steep(points, owner, obstacles, point, block[pair], reach, steepness))
    point, block = (np.concatenate(column) for column in zip(*found, strict=True))
    return point, block


def rising_blocks(
    boxes: np.ndarray, lowest_m: np.ndarray, obstacles: Obstacles, reach: float, steepness: float
) -> tuple[np.ndarray, np.ndarray]:
    """(box, block) of the casting blocks within ``reach`` of each box whose top rises above
    ``lowest_m`` (the box's) by more than ``steepness`` × the boxes' distance + 1 cm (a box's
    own block never does).

    The blocks are taken in a few classes of height: a class whose tallest block cannot rise
    that high at ``reach`` is searched only as far as it can.
    """
    casting = np.flatnonzero(obstacles.casting)
    if len(boxes) and len(boxes) * 8 < len(casting):  # a few boxes: the blocks around them
        x0, y0, x1, y1 = (column[casting] for column in obstacles.bound_columns)
        with np.errstate(invalid="ignore"):
            casting = casting[
                (x0 <= np.nanmax(boxes[:, 2]) + reach)
                & (x1 >= np.nanmin(boxes[:, 0]) - reach)
                & (y0 <= np.nanmax(boxes[:, 3]) + reach)
                & (y1 >= np.nanmin(boxes[:, 1]) - reach)
            ]
    parts = []
    if len(casting) and len(boxes) and steepness > 0:
        tops = obstacles.top_m[casting]
        edges = np.unique(np.quantile(tops, np.linspace(0, 1, _HEIGHT_CLASSES + 1)[1:-1]))
        klass = np.searchsorted(edges, tops, side="right")
        for k in range(len(edges) + 1):
            members = casting[klass == k]
            if len(members) == 0:
                continue
            top = obstacles.top_m[members]
            with np.errstate(invalid="ignore"):
                far = np.minimum((float(top.max()) - lowest_m - 0.01) / steepness, reach)
            climb = (top - 0.01, lowest_m, steepness)
            q, b = boxes_within(
                boxes, np.nan_to_num(far, nan=-1.0), obstacles.bounds[members], climb
            )
            parts.append((q, members[b]))
    elif len(casting) and len(boxes):  # no slope: every block higher, within reach
        q, b = boxes_within(boxes, reach, obstacles.bounds[casting])
        with np.errstate(invalid="ignore"):
            rising = obstacles.top_m[casting[b]] - lowest_m[q] > 0.01
        parts.append((q[rising], casting[b[rising]]))
    if not parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    q, b = (np.concatenate(column) for column in zip(*parts, strict=True))
    return q, b


def _expand(
    order: np.ndarray, first: np.ndarray, count: np.ndarray, roof: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every point of each roof of a list (roofs by rank): (point, position in the list)."""
    n = count[roof]
    pair = np.repeat(np.arange(len(roof)), n)
    return order[np.repeat(first[roof] - np.cumsum(n) + n, n) + np.arange(len(pair))], pair


def _steep(
    points: Points,
    owner: np.ndarray,
    obstacles: Obstacles,
    point: np.ndarray,
    block: np.ndarray,
    reach: float,
    steepness: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (of casting blocks) whose block may rise above ``steepness`` seen from the
    point, within ``reach``, not the point's own. The distance is the bounding box's: never
    more than the block's, so no block that could rise that high is dropped."""
    x, y = points.x[point], points.y[point]
    x0, y0, x1, y1 = (column[block] for column in obstacles.bound_columns)
    dx = np.maximum(x0 - x, x - x1)
    dy = np.maximum(y0 - y, y - y1)
    np.maximum(dx, 0.0, out=dx)
    np.maximum(dy, 0.0, out=dy)
    squared = dx * dx + dy * dy  # the distance to the box, squared
    rise = obstacles.top_m[block] - points.z[point] - 0.01
    with np.errstate(invalid="ignore", divide="ignore"):
        if steepness > 0:  # rise > steepness × distance, without square roots
            rise /= steepness
            keep = (rise > 0) & (squared < rise * rise)
        else:
            keep = rise > 0
    keep &= (squared <= reach * reach) & (block != owner[point])
    return point[keep], block[keep]
