"""A big buildings layer cut into spatial tiles, one PolyData (one actor) each (no Qt here).

One merged mesh of 100 000 buildings (~5.5 M triangles) is uploaded whole by VTK whenever it
changes: an edit of one building, a new selection colour. Tiles of :data:`TILE_OBJECTS`
neighbouring buildings make those changes touch a few tiles only (the others keep their
OpenGL buffers), and VTK skips the tiles outside the view when zoomed in.

The layer's objects are put in tile order (:func:`tile_order`: strips of equal counts along
x, cut along y into tiles of equal counts), so a tile is a run of object positions
``[starts[k], starts[k + 1])``, hence a run of the store's vertices and faces: picking (a face
of the store → its object) and colouring (one colour per object position) work as for one
mesh. Each tile's cells and vertices carry ``object_index`` (the layer's object positions) and
the vertices the colour drawn (:data:`VERTEX_RGB`).
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import numpy as np
import pyvista as pv

from twin.mesh import MeshStore

logger = logging.getLogger(__name__)

#: A buildings layer with more objects than this is drawn as tiles.
TILE_MIN_OBJECTS = 20_000
#: Objects per tile (about 140 000 triangles of LoD1 buildings).
TILE_OBJECTS = 2_500
#: Point data of a pickable mesh: the colour drawn at each vertex (each vertex belongs to one
#: object, so it is the object's colour).
VERTEX_RGB = "vertex_rgb"


def tile_order(x: np.ndarray, y: np.ndarray, per_tile: int | None = None) -> tuple[Any, Any]:
    """(order, starts): the objects at points (x, y) in tile order, and where each tile starts
    in that order (``starts[-1] == len(x)``). Tiles are compact: strips of equal counts along
    x, each cut along y into tiles of equal counts (NaN coordinates go last); ``per_tile``
    objects a tile (default :data:`TILE_OBJECTS`).

    Example:
        >>> x = np.array([0.0, 10, 0, 10]); y = np.array([0.0, 0, 10, 10])
        >>> order, starts = tile_order(x, y, per_tile=1)
        >>> order.tolist(), starts.tolist()
        ([0, 2, 1, 3], [0, 1, 2, 3, 4])
    """
    n = len(x)
    per_tile = per_tile or TILE_OBJECTS
    if not n:
        return np.empty(0, dtype=np.int64), np.zeros(1, dtype=np.int64)
    n_tiles = max(1, -(-n // per_tile))
    columns = max(1, round(float(np.sqrt(n_tiles))))
    rows = -(-n_tiles // columns)
    rank_x = np.empty(n, dtype=np.int64)
    rank_x[np.argsort(x, kind="stable")] = np.arange(n)
    strip = rank_x * columns // n
    order = np.lexsort((y, strip))
    strip_sizes = np.bincount(strip, minlength=columns)
    strip_starts = np.concatenate([[0], np.cumsum(strip_sizes)[:-1]])
    in_strip = np.arange(n) - strip_starts[strip[order]]
    tile = strip[order] * rows + in_strip * rows // np.maximum(strip_sizes[strip[order]], 1)
    starts = np.flatnonzero(np.r_[True, tile[1:] != tile[:-1]])
    return order.astype(np.int64), np.append(starts, n).astype(np.int64)


def tile_mesh(store: MeshStore, first: int, stop: int, rgb: np.ndarray) -> pv.PolyData:
    """The objects ``first`` to ``stop - 1`` of ``store`` as one PolyData of their own (points
    copied: a tile never keeps an older store alive), coloured per vertex by ``rgb`` ((n_objects,
    3) uint8, by object position)."""
    v0, v1 = int(store.vertex_offsets[first]), int(store.vertex_offsets[stop])
    f0, f1 = int(store.face_offsets[first]), int(store.face_offsets[stop])
    mesh = pv.PolyData.from_regular_faces(
        np.array(store.vertices[v0:v1], dtype=np.float32), store.faces[f0:f1] - v0
    )
    objects = np.arange(first, stop, dtype=np.int32)
    mesh.cell_data["object_index"] = np.repeat(
        objects, np.diff(store.face_offsets[first : stop + 1])
    )
    vertex_object = np.repeat(objects, np.diff(store.vertex_offsets[first : stop + 1]))
    mesh.point_data["object_index"] = vertex_object
    mesh.point_data[VERTEX_RGB] = rgb[vertex_object]
    return mesh


def tile_meshes(store: MeshStore, starts: np.ndarray, rgb: np.ndarray) -> list[pv.PolyData]:
    """:func:`tile_mesh` of every tile."""
    return [tile_mesh(store, int(a), int(b), rgb) for a, b in itertools.pairwise(starts)]


def tiles_of(starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The distinct tiles holding the objects at ``positions``.

    Example:
        >>> tiles_of(np.array([0, 3, 5, 9]), np.array([4, 0, 8, 3])).tolist()
        [0, 1, 2]
    """
    positions = np.asarray(positions, dtype=np.int64)
    return np.unique(np.searchsorted(starts, positions, side="right") - 1)


def paint_tiles(
    tiles: list[Any],
    starts: np.ndarray,
    vertex_offsets: np.ndarray,
    per_object: np.ndarray,
    objects: np.ndarray | None,
) -> list[Any]:
    """Write the vertex colours of ``objects`` (positions; None: all) from ``per_object`` into
    their tiles (``vertex_offsets``: the store's, object by object); returns the tiles painted
    (the caller marks their colours modified)."""
    if objects is None:
        touched = np.arange(len(tiles))
    else:
        touched = tiles_of(starts, objects) if len(objects) else np.empty(0, dtype=np.int64)
    painted = []
    for index in touched:
        mesh = tiles[int(index)]
        vertex_rgb = mesh.point_data[VERTEX_RGB]
        if objects is None:
            vertex_rgb[:] = per_object[np.asarray(mesh.point_data["object_index"])]
        else:
            first = int(starts[index])
            mine = objects[(objects >= first) & (objects < starts[index + 1])]
            begin = vertex_offsets[mine] - vertex_offsets[first]  # a tile's vertices: its objects'
            counts = vertex_offsets[mine + 1] - vertex_offsets[mine]
            vertex_rgb[_ranges(begin, counts)] = np.repeat(per_object[mine], counts, axis=0)
        painted.append(mesh)
    return painted


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``starts[k] + arange(counts[k])`` for every k, concatenated."""
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return (shift + np.arange(int(counts.sum()))).astype(np.int64)
