"""Pairs of bounding boxes within a distance of each other, by a grid (numpy only).

:func:`boxes_within` answers "which boxes come within ``reach`` of each query box" for many
queries at once, as a spatial index would, without building one geometry per box: the boxes
are sorted into the rows and columns of a grid by their centres, so the boxes a query may meet
in one grid row are one contiguous run. Boxes larger than a cell go to a coarser grid (tiers of
size). The answer is exact: every pair whose boxes are at most ``reach`` apart, and no other.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

_CHUNK = 1 << 17  # candidate pairs tested at a time
_FEW = 64  # boxes left over that join the last grid rather than make their own


def boxes_within(
    query: np.ndarray,
    reach: np.ndarray | float,
    boxes: np.ndarray,
    climb: tuple[np.ndarray, np.ndarray, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(query row, box row) of the pairs whose boxes (minx, miny, maxx, maxy) are at most
    ``reach`` (per query, or one for all) apart. Boxes with NaN bounds meet nothing.

    ``climb = (box heights, query heights, slope)``, when given, keeps only the pairs whose
    box is higher than the query by more than ``slope`` × their distance (tested slice by
    slice, before the pairs are gathered).

    Example:
        >>> boxes = np.array([[0.0, 0, 10, 10], [30, 0, 40, 10], [500, 0, 510, 10]])
        >>> q, b = boxes_within(np.array([[12.0, 0, 14, 2]]), 20.0, boxes)
        >>> sorted(b.tolist())  # 2 m and 16 m away; the third is far
        [0, 1]
        >>> heights = np.array([1.0, 9.0, 9.0])  # the first is too low, seen 2 m away
        >>> boxes_within(np.array([[12.0, 0, 14, 2]]), 20.0, boxes, (heights, np.zeros(1), 0.5))[1]
        array([1])
    """
    query = np.asarray(query, dtype="float64").reshape(-1, 4)
    reach = np.broadcast_to(np.asarray(reach, dtype="float64"), (len(query),))
    asked = np.flatnonzero(np.isfinite(query).all(axis=1) & (reach >= 0))
    found = [(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))]
    usable = np.empty(0, dtype=np.int64)
    if len(asked):  # the boxes within reach of the queries' extent (all, or a few)
        far = float(reach[asked].max())
        with np.errstate(invalid="ignore"):
            usable = np.flatnonzero(
                (boxes[:, 0] <= query[asked, 2].max() + far)
                & (boxes[:, 2] >= query[asked, 0].min() - far)
                & (boxes[:, 1] <= query[asked, 3].max() + far)
                & (boxes[:, 3] >= query[asked, 1].min() - far)
            )  # NaN bounds: never
    if len(usable):
        queries = _Boxes(query[asked], reach[asked])
        if climb is not None:
            queries.height = climb[1][asked]
        box = boxes[usable]
        size = np.maximum(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1])
        cell = max(float(np.median(reach[asked])) / 2.0, 1.0)
        left = np.arange(len(box))
        while len(left):  # boxes by tiers of size, each through its own grid
            cell = max(cell, float(np.percentile(size[left], 99)))
            fits = size[left] <= 2 * cell
            tier, left = left[fits], left[~fits]
            if len(left) <= _FEW:
                tier, left = np.concatenate([tier, left]), left[:0]
            rows = usable[tier]
            grid = _Grid(box[tier], None if climb is None else climb[0][rows], cell)
            for q, b in grid.pairs(queries, None if climb is None else climb[2]):
                found.append((asked[q], rows[b]))
            cell *= 4.0
    q, b = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return q, b


class _Boxes:
    """Boxes as contiguous columns, with their reach and height (queries) when they have one."""

    def __init__(self, boxes: np.ndarray, reach: np.ndarray | None = None) -> None:
        self.x0, self.y0, self.x1, self.y1 = (np.ascontiguousarray(boxes[:, i]) for i in range(4))
        self.reach = reach
        self.height: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.x0)


class _Grid:
    """Boxes no larger than twice ``cell`` sorted into a grid of ``cell`` metres by centre
    (their columns kept in that order, so a run of the grid is a run of the columns)."""

    def __init__(self, boxes: np.ndarray, height: np.ndarray | None, cell: float) -> None:
        x0, y0, x1, y1 = (boxes[:, i] for i in range(4))
        self.cell, self.left, self.bottom = cell, float(x0.min()), float(y0.min())
        self.half = float(np.max(np.maximum(x1 - x0, y1 - y0))) / 2
        column = ((x0 + x1) / 2 - self.left) // cell
        row = ((y0 + y1) / 2 - self.bottom) // cell
        self.n_columns, self.n_rows = int(column.max()) + 1, int(row.max()) + 1
        number = (row * self.n_columns + column).astype(np.int64)
        self.order = np.argsort(number, kind="stable")
        self.start = np.searchsorted(
            number[self.order], np.arange(self.n_rows * self.n_columns + 1)
        )
        self.box = _Boxes(boxes[self.order])
        self.height = None if height is None else height[self.order]

    def pairs(self, query: _Boxes, slope: float | None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(query, box) pairs within reach (and climbing, with a slope), slice by slice."""
        box, height = self.box, self.height
        assert query.reach is not None
        for q, run in self._candidates(query, query.reach):
            dx = np.maximum(box.x0[run] - query.x1[q], query.x0[q] - box.x1[run])
            dy = np.maximum(box.y0[run] - query.y1[q], query.y0[q] - box.y1[run])
            np.maximum(dx, 0.0, out=dx)
            np.maximum(dy, 0.0, out=dy)
            squared = dx * dx
            squared += dy * dy
            reach = query.reach[q]
            near = squared <= reach * reach
            if height is not None and query.height is not None and slope is not None:
                with np.errstate(invalid="ignore"):
                    allowed = (height[run] - query.height[q]) / slope  # NaN: never
                near &= (allowed > 0) & (squared < allowed * allowed)
            kept = np.flatnonzero(near)
            yield q[kept], self.order[run[kept]]

    def _candidates(
        self, query: _Boxes, reach: np.ndarray
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(query, position in the grid's columns) pairs whose grid cells may hold boxes
        within reach, slice by slice: the boxes of each grid row the query's reach spans,
        from its first column to its last (one contiguous run)."""
        cell, n_columns = self.cell, self.n_columns
        margin = reach + self.half  # a box's centre is at most half its size inside it
        c0 = np.clip((query.x0 - margin - self.left) // cell, 0, n_columns - 1).astype(np.int64)
        c1 = np.clip((query.x1 + margin - self.left) // cell, 0, n_columns - 1).astype(np.int64)
        r0 = np.clip((query.y0 - margin - self.bottom) // cell, 0, self.n_rows).astype(np.int64)
        r1 = np.clip((query.y1 + margin - self.bottom) // cell, -1, self.n_rows - 1)
        rows = np.maximum(r1.astype(np.int64) - r0 + 1, 0)
        asking = np.repeat(np.arange(len(query)), rows)  # one (query, grid row) per run
        grid_row = np.repeat(r0 - np.cumsum(rows) + rows, rows) + np.arange(len(asking))
        first = self.start[grid_row * n_columns + c0[asking]]
        count = self.start[grid_row * n_columns + c1[asking] + 1] - first
        ends = np.searchsorted(np.cumsum(count), np.arange(_CHUNK, count.sum() + _CHUNK, _CHUNK))
        done = 0
        for last in np.append(ends + 1, len(count)).tolist():
            if last > done:  # the runs of a slice: their boxes stay in the cache
                n = count[done:last]
                q = np.repeat(asking[done:last], n)
                yield q, np.repeat(first[done:last] - np.cumsum(n) + n, n) + np.arange(len(q))
                done = last
