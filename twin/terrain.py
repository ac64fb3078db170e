"""The terrain as a triangle mesh for the 3D view: a decimated regular grid of the DEM.

Vertices sit on pixel centres of the ``"terrain"`` raster, every ``stride``-th row and column
(plus the last ones, so the mesh covers the whole grid), with the stride chosen to stay under a
vertex budget. A cell of the decimated grid is left out when any source pixel it spans is NaN,
so holes in the DEM stay holes. Everything is vectorised: no Python loop over cells.
"""

from __future__ import annotations

import logging
import math

import numpy as np

from twin.mesh import MeshStore, Origin
from twin.raster import Raster

logger = logging.getLogger(__name__)

TERRAIN_ID = "terrain"
DEFAULT_MAX_VERTICES = 250_000


def terrain_mesh(
    raster: Raster, origin: Origin, max_vertices: int = DEFAULT_MAX_VERTICES
) -> MeshStore:
    """A triangle mesh of ``raster`` (one object, id ``"terrain"``) relative to ``origin``.

    Two triangles per kept cell, counter-clockwise seen from above (normals point up);
    vertices are float32 metres relative to ``origin``, only those used by a face are kept.

    Example:
        >>> from affine import Affine
        >>> from pyproj import CRS
        >>> flat = Raster("terrain", np.full((3, 4), 100.0), Affine(10, 0, 0, 0, -10, 30),
        ...               CRS.from_epsg(2154))
        >>> mesh = terrain_mesh(flat, origin=(0.0, 0.0, 0.0))
        >>> mesh.n_vertices, mesh.n_faces, float(mesh.vertices[:, 2].max())
        (12, 12, 100.0)

    Raises:
        ValueError: ``max_vertices`` is below 4 (one cell).
    """
    if max_vertices < 4:
        raise ValueError(f"max_vertices must be at least 4 (one cell), got {max_vertices}")
    rows, columns = raster.shape
    stride = _stride(rows, columns, max_vertices)
    row_index = _decimated(rows, stride)
    column_index = _decimated(columns, stride)
    n_rows, n_columns = len(row_index), len(column_index)
    if n_rows < 2 or n_columns < 2:
        return _store(np.empty((0, 3)), np.empty((0, 3), dtype=np.int64), origin)

    grid_columns, grid_rows = np.meshgrid(column_index + 0.5, row_index + 0.5)
    col, row = grid_columns.ravel(), grid_rows.ravel()
    t = raster.transform  # pixel centres → map, in float64, then relative to the origin
    x = t.c - origin[0] + t.a * col + t.b * row
    y = t.f - origin[1] + t.d * col + t.e * row
    z = raster.values[np.ix_(row_index, column_index)].ravel().astype(np.float64) - origin[2]
    points = np.column_stack([x, y, z])

    keep = ~_cells_touching_nan(raster.values, row_index, column_index)
    cell_rows, cell_columns = np.nonzero(keep)
    top_left = cell_rows * n_columns + cell_columns
    top_right, bottom_left = top_left + 1, top_left + n_columns
    bottom_right = bottom_left + 1
    # Rows run south and columns east on a north-up grid (determinant < 0): bottom-left,
    # bottom-right, top-right is counter-clockwise seen from above.
    first = np.column_stack([bottom_left, bottom_right, top_right])
    second = np.column_stack([bottom_left, top_right, top_left])
    faces = np.concatenate([first, second])
    if raster.transform.determinant > 0:  # a south-up grid mirrors the cells
        faces = faces[:, ::-1]
    points, faces = _compact(points, faces)
    logger.debug("terrain mesh: stride %d, %d vertices, %d faces", stride, len(points), len(faces))
    return _store(points, faces, origin)


def _stride(rows: int, columns: int, max_vertices: int) -> int:
    """The smallest stride whose decimated grid has at most ``max_vertices`` vertices."""
    stride = max(1, math.ceil(math.sqrt(rows * columns / max_vertices)) - 1)
    while len(_decimated(rows, stride)) * len(_decimated(columns, stride)) > max_vertices:
        stride += 1
    return stride


def _decimated(size: int, stride: int) -> np.ndarray:
    """0, stride, 2 stride ... and the last index, so the mesh reaches the grid's edge."""
    index = np.arange(0, size, stride)
    if size and index[-1] != size - 1:
        index = np.append(index, size - 1)
    return index


def _cells_touching_nan(
    values: np.ndarray, row_index: np.ndarray, column_index: np.ndarray
) -> np.ndarray:
    """(n_rows - 1, n_columns - 1) True where a decimated cell spans any NaN pixel.

    ``logical_or.reduceat`` ORs the NaN mask over each band of rows ``[r_i, r_i+1)``, then of
    columns; OR-ing the closing row and column in makes both cell edges count.
    """
    nan = np.isnan(values)
    if not nan.any():
        return np.zeros((len(row_index) - 1, len(column_index) - 1), dtype=bool)
    bands = np.logical_or.reduceat(nan, row_index[:-1], axis=0) | nan[row_index[1:], :]
    cells = np.logical_or.reduceat(bands, column_index[:-1], axis=1)
    return np.asarray(cells | bands[:, column_index[1:]])


def _compact(points: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep only the vertices used by a face (NaN vertices go) and renumber the faces."""
    used = np.zeros(len(points), dtype=bool)
    used[faces.ravel()] = True
    new_index = np.cumsum(used) - 1
    return points[used], new_index[faces]


def _store(points: np.ndarray, faces: np.ndarray, origin: Origin) -> MeshStore:
    return MeshStore(
        vertices=points.astype(np.float32),
        faces=faces.astype(np.int32),
        vertex_offsets=np.array([0, len(points)]),
        face_offsets=np.array([0, len(faces)]),
        object_ids=np.array([TERRAIN_ID]),
        origin=(float(origin[0]), float(origin[1]), float(origin[2])),
    )
