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
the vertices the colour drawn (:data:`VERTEX_RGB`). Buildings added or removed
(:mod:`gui.scene_rows`) go into (:func:`nearest_tiles`) or leave their tile only: the tiles
after it keep their meshes, their ``object_index`` shifted in place (:func:`renumber_tile`).
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import vtk_to_numpy

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


def nearest_tiles(points: np.ndarray, boxes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """For each object box of ``points`` ((m, 6), as :func:`gui.scene_pick.object_boxes`),
    the tile whose box (of the ``boxes`` of its objects, tiles as ``starts``) holds its
    centre, else the nearest; among several, the one with the fewest objects. An object
    without a box goes to the last tile with objects.

    Example:
        >>> boxes = np.array([[0, 0, 0, 1, 1, 5], [10, 0, 0, 11, 1, 5]], np.float32)
        >>> nearest_tiles(np.array([[9, 0, 0, 9.5, 1, 5]]), boxes, np.array([0, 1, 2])).tolist()
        [1]
    """
    n_tiles = len(starts) - 1
    low = np.full((n_tiles, 2), np.inf)
    high = np.full((n_tiles, 2), -np.inf)
    filled = np.diff(starts) > 0
    if filled.any():
        with np.errstate(invalid="ignore"):
            low[filled] = np.fmin.reduceat(boxes[:, :2], starts[:-1][filled], axis=0)
            high[filled] = np.fmax.reduceat(boxes[:, 3:5], starts[:-1][filled], axis=0)
    centre = (points[:, None, :2] + points[:, None, 3:5]) / 2.0
    gap = np.maximum(np.maximum(low[None] - centre, centre - high[None]), 0.0)
    distance = np.hypot(gap[..., 0], gap[..., 1])
    distance[np.isnan(distance)] = np.inf
    closest = distance <= distance.min(axis=1, keepdims=True)
    chosen = np.argmin(np.where(closest, np.diff(starts)[None, :], np.iinfo(np.int64).max), axis=1)
    last = np.flatnonzero(filled)[-1] if filled.any() else 0
    unplaced = ~np.isfinite(distance).any(axis=1)
    return np.where(unplaced, last, chosen).astype(np.int64)


def renumber_tile(tile: pv.PolyData, store: MeshStore, first: int, stop: int) -> None:
    """Number the ``object_index`` arrays of a tile shared with an older layer from object
    position ``first`` (its objects, those it had, are ``first`` to ``stop - 1`` of ``store``),
    if they are not, without telling VTK (the mapper would upload the tile again). The older
    layer's tile changes too: nothing reads these numbers on the GUI thread, and every build
    sharing the tile numbers it again (a build thrown away may have numbered it for its own
    layer)."""
    for data, offsets in (
        (tile.GetCellData(), store.face_offsets),
        (tile.GetPointData(), store.vertex_offsets),
    ):
        numbers = vtk_to_numpy(data.GetArray("object_index"))
        owner = first + int(np.argmax(np.diff(offsets[first : stop + 1]) > 0))  # numbered first
        if len(numbers) and numbers[0] != owner:
            numbers += np.int32(owner - int(numbers[0]))  # its objects: the same, shifted


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
        first, stop = int(starts[index]), int(starts[index + 1])
        if objects is None:  # by the offsets: a tile's object_index may be rewritten meanwhile
            counts = np.diff(vertex_offsets[first : stop + 1])
            vertex_rgb[:] = np.repeat(per_object[first:stop], counts, axis=0)
        else:
            mine = objects[(objects >= first) & (objects < stop)]
            begin = vertex_offsets[mine] - vertex_offsets[first]  # a tile's vertices: its objects'
            counts = vertex_offsets[mine + 1] - vertex_offsets[mine]
            vertex_rgb[_ranges(begin, counts)] = np.repeat(per_object[mine], counts, axis=0)
        painted.append(mesh)
    return painted


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``starts[k] + arange(counts[k])`` for every k, concatenated."""
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return (shift + np.arange(int(counts.sum()))).astype(np.int64)
