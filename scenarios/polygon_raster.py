"""Burn polygons into a grid, keeping the largest value per cell, with numpy scanlines.

A cell belongs to a polygon when its centre is inside (even-odd rule, so holes stay empty),
the rule GDAL's rasterisation follows. Edges are cut by the rows' centre lines (half-open in
y, so a vertex on a centre line is counted once), crossings are sorted per polygon and row and
paired into spans, and the spans' cells take the polygon's value with ``numpy.maximum.at``.
No Python loop runs over polygons: 1,000 footprints burn in a few milliseconds.
"""

from __future__ import annotations

import numpy as np
import shapely


def polygon_edges(polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All ring edges of (multi)polygons: start (E, 2), end (E, 2) and the polygon index (E,).

    Example:
        >>> from shapely.geometry import box
        >>> start, end, owner = polygon_edges(np.array([box(0, 0, 1, 1)]))
        >>> len(start), owner.tolist()
        (4, [0, 0, 0, 0])
    """
    parts, part_owner = shapely.get_parts(polygons, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[:-1] == ring[1:]
    owner = part_owner[ring_part[ring[:-1][same]]]
    return coords[:-1][same], coords[1:][same], owner.astype(np.int64)


def burn_max(
    start: np.ndarray,
    end: np.ndarray,
    owner: np.ndarray,
    values: np.ndarray,
    *,
    origin: tuple[float, float],
    cell: float,
    shape: tuple[int, int],
    fill: float,
    dtype: type = np.float32,
) -> np.ndarray:
    """A (rows, columns) grid holding, in each cell, the largest value of the polygons covering
    its centre (``fill`` elsewhere).

    Args:
        start, end: edges in grid-aligned coordinates: x along columns, y along rows.
        owner: polygon index of each edge; ``values[owner]`` is burnt.
        origin: (x, y) of the grid's corner (cell (0, 0) spans origin .. origin + cell).

    Example:
        >>> from shapely.geometry import box
        >>> s, e, o = polygon_edges(np.array([box(1, 0, 3, 2)]))
        >>> burn_max(s, e, o, np.array([5.0]), origin=(0, 0), cell=1.0, shape=(3, 4), fill=0)
        array([[0., 5., 5., 0.],
               [0., 5., 5., 0.],
               [0., 0., 0., 0.]], dtype=float32)
    """
    rows, columns = shape
    grid: np.ndarray = np.full(rows * columns, fill, dtype=dtype)
    if len(start) == 0:
        return grid.reshape(shape)
    y0, y1 = (start[:, 1] - origin[1]) / cell - 0.5, (end[:, 1] - origin[1]) / cell - 0.5
    low, high = np.minimum(y0, y1), np.maximum(y0, y1)
    first = np.clip(np.ceil(low), 0, rows).astype(np.int64)
    last = np.clip(np.ceil(high), 0, rows).astype(np.int64)  # exclusive
    count = np.maximum(last - first, 0)
    edge = np.repeat(np.arange(len(start)), count)
    row = np.repeat(first - np.cumsum(count) + count, count) + np.arange(len(edge))
    # x where the edge meets the row's centre line, in cell units.
    t = (row - y0[edge]) / (y1[edge] - y0[edge])
    x0 = (start[edge, 0] - origin[0]) / cell - 0.5
    x1 = (end[edge, 0] - origin[0]) / cell - 0.5
    x = x0 + t * (x1 - x0)
    polygon = owner[edge]
    order = np.lexsort((x, row, polygon))
    x, row, polygon = x[order], row[order], polygon[order]
    left, right = x[0::2], x[1::2]  # crossings pair up within each polygon's row
    row, polygon = row[0::2], polygon[0::2]
    c0 = np.clip(np.ceil(left), 0, columns).astype(np.int64)
    c1 = np.clip(np.ceil(right), 0, columns).astype(np.int64)
    width = np.maximum(c1 - c0, 0)
    span = np.repeat(np.arange(len(width)), width)
    cells = (
        row[span] * columns + np.repeat(c0 - np.cumsum(width) + width, width) + np.arange(len(span))
    )
    np.maximum.at(grid, cells, np.asarray(values, dtype=dtype)[polygon[span]])
    return grid.reshape(shape)
