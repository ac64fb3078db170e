"""Which neighbouring blocks each point of a horizon must be raised with.

:func:`pairs_in_view` gives the (point, block) pairs :func:`scenarios.horizon.horizon_tangents`
works on: blocks whose bounding box comes within reach and that may rise above the lowest
elevation counted, never the point's own. Roof points are paired block by block (a roof's
points share their neighbours, found with one spatial query per roof), and tested one by one
only where the roof's points do not all pass for sure (its farthest point and its highest
point, with a margin for rounding), so the pairs are exactly those a point-by-point test keeps.
"""

from __future__ import annotations

import numpy as np
import shapely

from scenarios.shadow_map import Obstacles


class Points:
    """Points as contiguous x, y, z columns (gathers from them are several times faster)."""

    def __init__(self, points: np.ndarray) -> None:
        self.x, self.y, self.z = (np.ascontiguousarray(points[:, i]) for i in range(3))


def columns(array: np.ndarray) -> tuple[np.ndarray, ...]:
    """The columns of a 2-D array, each contiguous."""
    return tuple(np.ascontiguousarray(array[:, i]) for i in range(array.shape[1]))


def unique_inverse(values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``numpy.unique(values, return_inverse=True)`` for integers in ``0 .. n - 1`` (no sort)."""
    present = np.zeros(n, dtype=bool)
    present[values] = True
    rank = np.cumsum(present) - 1
    return np.flatnonzero(present), rank[values]


def pairs_in_view(
    points: Points, owner: np.ndarray, obstacles: Obstacles, reach: float, steepness: float
) -> tuple[np.ndarray, np.ndarray]:
    """The (point, block) pairs to raise the horizons with: blocks that may rise above
    ``steepness`` (judged from their bounding box) within ``reach``, not the point's own.

    Roof points are paired block by block (a roof's points share their neighbours); the test
    is made per point only where the roof's points do not all pass it for sure.
    """
    if len(owner) == 0 or (owner < 0).any():
        x, y = points.x, points.y
        point, block = _near_boxes(obstacles, np.column_stack([x, y, x, y]), reach)
        return _steep(points, owner, obstacles, point, block, reach, steepness)
    order = np.argsort(owner, kind="stable")
    roofs, first, count = np.unique(owner[order], return_index=True, return_counts=True)
    z, x, y = points.z[order], points.x[order], points.y[order]
    lowest, highest = np.minimum.reduceat(z, first), np.maximum.reduceat(z, first)
    roof_box = obstacles.bounds[roofs]
    roof, block = _near_boxes(obstacles, roof_box, reach)
    top = obstacles.top_m[block]
    with np.errstate(invalid="ignore"):
        rising = np.flatnonzero(top - lowest[roof] > 0.01)  # the test below needs it: first
    roof, block, top = roof[rising], block[rising], top[rising]
    box = tuple(column[block] for column in columns(obstacles.bounds))
    gap = _gap(tuple(column[roof] for column in columns(roof_box)), box)
    with np.errstate(invalid="ignore"):
        keep = (top - lowest[roof] > steepness * gap + 0.01) & (gap <= reach)
    keep &= block != roofs[roof]
    roof, block, top = roof[keep], block[keep], top[keep]
    box = tuple(column[keep] for column in box)
    # The farthest any point of the roof is from the block's box, and the least it rises:
    # when they pass (with a margin for rounding), every point of the roof does.
    spread = (
        np.minimum.reduceat(x, first)[roof],
        np.minimum.reduceat(y, first)[roof],
        np.maximum.reduceat(x, first)[roof],
        np.maximum.reduceat(y, first)[roof],
    )
    far = np.hypot(
        np.maximum(np.maximum(box[0] - spread[0], spread[2] - box[2]), 0.0),
        np.maximum(np.maximum(box[1] - spread[1], spread[3] - box[3]), 0.0),
    )
    with np.errstate(invalid="ignore"):
        sure = (top - highest[roof] > steepness * far * (1 + 1e-9) + 0.01 + 1e-9) & (
            far < reach - 1e-6
        )
    sure &= obstacles.casting[block]
    point, pair = _expand(order, first, count, roof[sure])
    maybe_point, maybe_pair = _expand(order, first, count, roof[~sure])
    maybe_point, maybe_block = _steep(
        points, owner, obstacles, maybe_point, block[~sure][maybe_pair], reach, steepness
    )
    return np.concatenate([point, maybe_point]), np.concatenate([block[sure][pair], maybe_block])


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
    """The pairs whose block may rise above ``steepness`` seen from the point, within
    ``reach``, not the point's own. The distance is the bounding box's: never more than the
    block's, so no block that could rise that high is dropped."""
    x, y = points.x[point], points.y[point]
    distance = _gap((x, y, x, y), tuple(column[block] for column in columns(obstacles.bounds)))
    rise = obstacles.top_m[block] - points.z[point]
    with np.errstate(invalid="ignore"):
        steep = (rise > steepness * distance + 0.01) & (distance <= reach)  # NaN tops: False
    keep = obstacles.casting[block] & steep & (block != owner[point])
    return point[keep], block[keep]


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


def _gap(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> np.ndarray:
    """Distance between bounding boxes given as aligned columns (minx, miny, maxx, maxy)."""
    dx = np.maximum(np.maximum(b[0] - a[2], a[0] - b[2]), 0.0)
    dy = np.maximum(np.maximum(b[1] - a[3], a[1] - b[3]), 0.0)
    return np.hypot(dx, dy)
