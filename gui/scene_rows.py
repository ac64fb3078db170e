"""Buildings added to or removed from the City spliced into the 3D view's buildings layer,
instead of rebuilding the layer (no Qt, no OpenGL: runs in the scene worker).

A plan (:data:`gui.scene_update.Plan`) names the buildings a change touched by id.
:func:`row_moves` compares them with the layer drawn: an id the City no longer has, or one an
IFC model now stands for, is *removed*; an id the City draws that the layer lacks is *added*;
the others are extruded again. :func:`spliced_rows` then makes the new layer from the old one:

- the store: the objects kept are copied run by run (a few slices, not a gather over millions
  of vertices), the buildings added or re-extruded are extruded alone, standing on their
  ``base_elevation_m`` (the ground under them) like the others;
- a one-mesh layer: the buildings added go last, and the mesh is made again from the store;
- a tiled layer (:mod:`gui.scene_tiles`): each building added goes at the end of the tile whose
  box holds its centre (else the nearest), so a tile stays a run of object positions; only the
  tiles that lost, gained, re-extruded or recoloured a building are made again, the others are
  shared with the old layer, their ``object_index`` arrays rewritten in place for the new
  positions (VTK is not told: nothing is uploaded again); a tile grown past
  :data:`TILE_GROWTH` times :data:`gui.scene_tiles.TILE_OBJECTS` is cut again, tiles left
  empty go;
- the per-object arrays (pick boxes, coarse boxes, the colours drawn and those the view was
  given) follow their objects; the buildings added get their own colours (use).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyvista as pv

from gui import scene_tiles
from gui.scene import IFC_MESHES, VERTEX_RGB, SceneLayer, building_colours
from gui.scene_lod import BOX_VERTICES, box_points, box_proxy, building_boxes
from gui.scene_meshes import extruded_buildings
from gui.scene_pick import object_boxes
from gui.scene_tiles import nearest_tiles, renumber_tile, tile_mesh, tile_order
from twin.city import City
from twin.mesh import MeshStore

logger = logging.getLogger(__name__)

#: A change adding or removing more buildings than this rebuilds the whole layer.
ROW_SPLICE_MAX = 500
#: A tile grown past this many times :data:`gui.scene_tiles.TILE_OBJECTS` is cut again.
TILE_GROWTH = 2
#: In a plan's ids: "the buildings an IFC model stands for" (the IFC meshes were replaced, so
#: those buildings may have to go or come back). Never a building id.
IFC_HIDDEN = "\x00ifc-hidden"


@dataclass(frozen=True)
class RowMoves:
    """How the buildings drawn differ from the City's, for the ids of a plan.

    Attributes:
        removed: positions in the layer's store of buildings no longer drawn (sorted).
        added: ids of buildings drawn that the layer lacks, in the City's row order.
        redrawn: positions of the other buildings of the plan (extruded again).
    """

    removed: np.ndarray
    added: np.ndarray
    redrawn: np.ndarray

    @property
    def count(self) -> int:
        """Buildings added or removed."""
        return len(self.removed) + len(self.added)


def row_moves(city: City, store: MeshStore, ids: frozenset[str]) -> RowMoves:
    """What the buildings ``ids`` of ``city`` change in the layer drawn from ``store``."""
    wanted = np.array(sorted(ids - {IFC_HIDDEN}), dtype=str)
    drawn = looked = np.empty(0, dtype=str)
    if "buildings" in city:
        buildings = city.layer("buildings")
        hit = buildings["id"].isin(wanted.tolist()).to_numpy(dtype=bool)
        if IFC_HIDDEN in ids:
            hit = hit | (buildings["source"].astype(object) == "ifc").to_numpy(dtype=bool)
        rows = buildings.loc[hit, ["id", "source"]]
        looked = rows["id"].to_numpy(dtype=str)
        hidden = (rows["source"].astype(object) == "ifc").to_numpy(dtype=bool)
        drawn = pd.unique(looked[~(hidden & ifc_hides_buildings(city))]).astype(str)
    positions = np.flatnonzero(np.isin(store.object_ids, np.union1d(wanted, looked)))
    present = np.isin(store.object_ids[positions], drawn)
    added = drawn[~np.isin(drawn, store.object_ids[positions])]
    return RowMoves(positions[~present], added, positions[present])


def ifc_hides_buildings(city: City) -> bool:
    """Whether the buildings imported from IFC are left out of the LoD1 layer (as
    :func:`gui.scene.lod1_store` does: the City has IFC meshes, the model shows instead)."""
    store = city.meshes.get(IFC_MESHES)
    return store is not None and store.n_objects > 0


def spliced_rows(city: City, before: SceneLayer, moves: RowMoves) -> SceneLayer | None:
    """``before`` with ``moves`` made (see the module's docstring); ``before`` is left as it
    is, but for the ``object_index`` of the tiles it shares. None: no building left to draw."""
    store = before.store
    assert store is not None
    n = store.n_objects
    rows = _rows(city, np.concatenate([store.object_ids[moves.redrawn], moves.added]))
    update = extruded_buildings(rows, store.origin)
    index_in_update = pd.Index(update.object_ids).get_indexer
    source = np.arange(n)  # each new object's index in [store objects, update objects]
    source[moves.redrawn] = n + index_in_update(store.object_ids[moves.redrawn])
    kept = np.ones(n, dtype=bool)
    kept[moves.removed] = False
    source, old = source[kept], np.flatnonzero(kept)  # old: position in before (-1: added)
    tiled = before.tiled and before.tile_starts is not None
    starts = before.tile_starts if tiled and before.tile_starts is not None else np.array([0, n])
    starts = starts - np.searchsorted(moves.removed, starts)
    boxes = before.pick_boxes if before.pick_boxes is not None else object_boxes(store)
    all_boxes = np.concatenate([boxes, object_boxes(update)])
    added = n + index_in_update(moves.added)
    tile = (
        nearest_tiles(all_boxes[added], all_boxes[source], starts)
        if tiled
        else np.zeros(len(added), dtype=np.int64)
    )
    order = np.argsort(tile, kind="stable")
    tile, added = tile[order], added[order]
    source = np.insert(source, starts[tile + 1], added)
    old = np.insert(old, starts[tile + 1], -1)
    per_tile = np.bincount(tile, minlength=len(starts) - 1)
    starts = starts + np.concatenate([[0], np.cumsum(per_tile)])
    was_tile = np.arange(len(starts) - 1)  # each tile's tile in before (-1: cut again)
    if tiled:
        starts, was_tile = _cut_grown_tiles(source, old, starts, was_tile, all_boxes)
    filled = np.diff(starts) > 0
    was_tile, starts = was_tile[filled], np.append(starts[:-1][filled], starts[-1])
    new_store = spliced_store(store, update, source)
    if not new_store.n_faces:
        return None
    layer = _coloured_layer(city, before, new_store, old)
    layer.pick_boxes = all_boxes[source]
    if before.coarse is not None:
        layer.coarse = _coarse(city, before, rows, source)
    if tiled:
        _tiles(layer, before, old, source >= n, starts, was_tile)
    else:
        layer.mesh = new_store.to_pyvista()
        colour_mesh(layer)
    logger.debug(
        "buildings: %d added, %d removed, %d extruded again, %d of %d tiles made",
        len(moves.added),
        len(moves.removed),
        len(moves.redrawn),
        len({id(t) for t in layer.tiles} - {id(t) for t in before.tiles}),
        len(layer.tiles),
    )
    return layer


def spliced_store(store: MeshStore, update: MeshStore, source: np.ndarray) -> MeshStore:
    """The objects ``source`` of ``store`` followed by those of ``update`` (index ``k`` at or
    past ``store.n_objects``: object ``k - store.n_objects`` of ``update``), in that order,
    copied run by run of consecutive objects (faces renumbered).

    Example:
        >>> def one(object_id):
        ...     return MeshStore(np.zeros((3, 3), np.float32), np.array([[0, 1, 2]], np.int32),
        ...                      np.array([0, 3]), np.array([0, 1]), np.array([object_id]))
        >>> both = MeshStore.concat([one("a"), one("b")])
        >>> spliced = spliced_store(both, one("c"), np.array([2, 1]))
        >>> spliced.object_ids.tolist(), spliced.faces.tolist()
        (['c', 'b'], [[0, 1, 2], [3, 4, 5]])
    """
    update = update.rebased(store.origin)
    n = store.n_objects
    source = np.asarray(source, dtype=np.int64)
    vertex_counts = np.concatenate([np.diff(store.vertex_offsets), np.diff(update.vertex_offsets)])
    face_counts = np.concatenate([np.diff(store.face_offsets), np.diff(update.face_offsets)])
    vertex_offsets = np.concatenate([[0], np.cumsum(vertex_counts[source])]).astype(np.int64)
    face_offsets = np.concatenate([[0], np.cumsum(face_counts[source])]).astype(np.int64)
    breaks = np.flatnonzero((np.diff(source) != 1) | (source[1:] == n)) + 1
    vertices = np.empty((vertex_offsets[-1], 3), dtype=np.float32)  # written into: no
    faces = np.empty((face_offsets[-1], 3), dtype=np.int32)  # concatenation of copies
    for first, stop in itertools.pairwise([0, *breaks.tolist(), len(source)]):
        begin, end = int(source[first]), int(source[stop - 1]) + 1
        mesh, shift = (store, 0) if begin < n else (update, n)
        v0, v1 = mesh.vertex_offsets[begin - shift], mesh.vertex_offsets[end - shift]
        f0, f1 = mesh.face_offsets[begin - shift], mesh.face_offsets[end - shift]
        to_v, to_f = vertex_offsets[first], face_offsets[first]
        vertices[to_v : to_v + v1 - v0] = mesh.vertices[v0:v1]
        np.add(mesh.faces[f0:f1], np.int32(to_v - v0), out=faces[to_f : to_f + f1 - f0])
    return MeshStore(
        vertices,
        faces,
        vertex_offsets,
        face_offsets,
        np.concatenate([store.object_ids, update.object_ids])[source],
        store.origin,
    )


def colour_mesh(layer: SceneLayer) -> None:
    """Cell and vertex colours of a one-mesh pickable layer (no highlight: the view adds it)."""
    layer.mesh.cell_data["rgb"] = layer.colours()
    if layer.store is not None:
        counts = np.diff(layer.store.vertex_offsets)
        vertex_object = np.repeat(np.arange(layer.store.n_objects, dtype=np.int32), counts)
        layer.mesh.point_data["object_index"] = vertex_object
        layer.mesh.point_data[VERTEX_RGB] = layer.base_rgb[vertex_object]
    layer.drawn_rgb = layer.base_rgb


# -- the parts of the new layer ---------------------------------------------------------------
def _rows(city: City, object_ids: np.ndarray) -> pd.DataFrame:
    """The rows of the buildings ``object_ids`` of ``city``, in the City's row order."""
    buildings = city.layer("buildings")
    rows = buildings[buildings["id"].isin(object_ids.tolist()).to_numpy(dtype=bool)]
    return rows[~rows["id"].duplicated()]


def _cut_grown_tiles(
    source: np.ndarray, old: np.ndarray, starts: np.ndarray, was_tile: np.ndarray, boxes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cut the tiles grown too big again (``source`` and ``old`` reordered in place inside
    them, as :func:`gui.scene_tiles.tile_order` orders a layer); the new starts and tiles."""
    limit = TILE_GROWTH * scene_tiles.TILE_OBJECTS
    for index in np.flatnonzero(np.diff(starts) > limit)[::-1]:  # from the last: starts hold
        first, stop = int(starts[index]), int(starts[index + 1])
        mine = boxes[source[first:stop]]
        order, cut = tile_order((mine[:, 0] + mine[:, 3]) / 2, (mine[:, 1] + mine[:, 4]) / 2)
        source[first:stop], old[first:stop] = source[first:stop][order], old[first:stop][order]
        starts = np.concatenate([starts[:index], first + cut[:-1], starts[index + 1 :]])
        was_tile = np.concatenate(
            [was_tile[:index], np.full(len(cut) - 1, -1), was_tile[index + 1 :]]
        )
        logger.debug("a tile of %d buildings cut into %d", stop - first, len(cut) - 1)
    return starts, was_tile


def _relaid(per_object: np.ndarray | None, old: np.ndarray, fill: np.ndarray) -> np.ndarray:
    """``per_object`` (rows of the old objects) for the new objects; ``fill``'s rows where
    an object is new or ``per_object`` does not fit."""
    out = np.array(fill, copy=True)
    if per_object is not None and len(per_object) > int(old.max(initial=-1)):
        was = old >= 0
        out[was] = per_object[old[was]]
    return out


def _coloured_layer(
    city: City, before: SceneLayer, store: MeshStore, old: np.ndarray
) -> SceneLayer:
    """The new layer's colours: those ``before`` was drawn and given in, for the objects it
    had (their own colours where those changed and the view shows their own); the buildings
    added in their own colours (as :func:`gui.scene_update.carried_colours`)."""
    default = building_colours(city, store.object_ids)
    rgb = _relaid(before.base_rgb, old, default)
    if before.given_rgb is None:
        moved = (default != _relaid(before.default_rgb, old, default)).any(axis=1)
        rgb[moved] = default[moved]
    given = None if before.given_rgb is None else _relaid(before.given_rgb, old, default)
    return SceneLayer(
        "buildings",
        None,
        object_ids=store.object_ids,
        base_rgb=rgb,
        default_rgb=default,
        store=store,
        frame=before.frame,
        given_rgb=given,
    )


def _coarse(city: City, before: SceneLayer, rows: pd.DataFrame, source: np.ndarray) -> pv.PolyData:
    """The coarse boxes of the new objects: the old ones moved along, new ones for the
    buildings extruded (``rows``), as :func:`gui.scene_lod.building_boxes` makes them."""
    assert before.store is not None
    corners = np.asarray(before.coarse.points, dtype=np.float32)
    if len(corners) != before.store.n_objects * BOX_VERTICES:
        corners = building_boxes(city, before.store.object_ids)
    fresh = box_points(
        rows.geometry.to_numpy(),
        rows["base_elevation_m"].to_numpy(dtype="float64", na_value=0.0),
        rows["height_m"].to_numpy(dtype="float64", na_value=np.nan),
        city.ensure_origin(),
    )
    every = np.concatenate([corners, fresh]).reshape(-1, BOX_VERTICES, 3)
    return box_proxy(every[source].reshape(-1, 3))


def _tiles(
    layer: SceneLayer,
    before: SceneLayer,
    old: np.ndarray,
    extruded: np.ndarray,
    starts: np.ndarray,
    was_tile: np.ndarray,
) -> None:
    """The new layer's tiles: the tiles of ``before`` whose objects are the same, none of them
    ``extruded`` again nor recoloured, are kept (renumbered in place); the others made anew."""
    store, rgb = layer.store, layer.base_rgb
    assert store is not None and before.tile_starts is not None
    before_starts = before.tile_starts
    drawn_before = before.drawn_rgb if before.drawn_rgb is not None else before.base_rgb
    drawn = _relaid(drawn_before, old, rgb)
    remade = extruded | (old < 0) | (rgb != _relaid(before.base_rgb, old, rgb)).any(axis=1)
    tiles = []
    for index, (first, stop) in enumerate(itertools.pairwise(starts.tolist())):
        was = int(was_tile[index])
        kept = (
            was >= 0
            and not remade[first:stop].any()
            and np.array_equal(
                old[first:stop], np.arange(before_starts[was], before_starts[was + 1])
            )
        )
        if kept:
            tile = before.tiles[was]
            renumber_tile(tile, store, first, stop)
        else:
            tile = tile_mesh(store, first, stop, rgb)
            drawn[first:stop] = rgb[first:stop]
        tiles.append(tile)
    layer.tiles, layer.tile_starts, layer.drawn_rgb = tiles, starts, drawn
    layer.mesh = pv.MultiBlock(tiles)
