"""Building scene layers from a City for a :data:`Plan`: whole layers, or only the buildings
edited, put in place of their old meshes (no Qt, no OpenGL: runs in a worker thread).

:func:`scene_plan` says what a change of the City redraws: a new height or footprint re-extrudes
only the buildings edited, a new use only recolours them, and columns the view does not draw
(floors, names...) redraw nothing. Buildings added or removed (up to
:data:`~gui.scene_rows.ROW_SPLICE_MAX`) are spliced in or out by :mod:`gui.scene_rows`, and so
are the buildings an IFC model stands for when the IFC meshes change. Showing another
scenario splices the buildings too when few differ (:func:`differing_buildings`).

Everything a layer needs before it is drawn is made here, off the GUI thread: the cell colours
(a splice keeps the colours the view was given: no repaint after it), the terrain's normals,
the coarse stand-ins of :mod:`gui.scene_lod`, the per-object boxes of :mod:`gui.scene_pick`
and the town's frame. The GUI thread then only swaps actors; for a tiled buildings layer
(:mod:`gui.scene_tiles`), only those of the tiles whose buildings were extruded or recoloured.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import pyvista as pv

from gui.scenario_marks import compare_rows
from gui.scene import (
    IFC_MESHES,
    SCENE_LAYERS,
    SceneLayer,
    build_layer,
    building_colours,
    scene_layers_for,
    town_frame,
)
from gui.scene_lod import (
    box_proxy,
    building_boxes,
    coarse_terrain,
    replace_boxes,
    with_normals,
)
from gui.scene_pick import object_boxes
from gui.scene_rows import IFC_HIDDEN, ROW_SPLICE_MAX, colour_mesh, row_moves, spliced_rows
from gui.scene_tiles import renumber_tile, tile_mesh, tiles_of
from twin.city import City
from twin.errors import CancelledError
from twin.extrude import extrude_footprints
from twin.mesh import MeshStore

logger = logging.getLogger(__name__)

#: Layers whose vertices frame the town, in order of preference.
FRAME_LAYERS = ("buildings", "ifc", "terrain")

#: Columns of the buildings whose change moves LoD1 vertices: the buildings edited are extruded
#: again and put in place of their old meshes.
MESH_COLUMNS = frozenset({"geometry", "height_m", "base_elevation_m"})
#: Columns of the buildings that only recolour them.
COLOUR_COLUMNS = frozenset({"use"})
#: Columns of the buildings that change which buildings are drawn: the whole layer is rebuilt.
MEMBERSHIP_COLUMNS = frozenset({"id", "source"})
#: Columns of the buildings the LoD1 layer is drawn from (meshes, own colours, rows drawn).
DRAWN_BUILDING_COLUMNS = ("id", "source", *sorted(MESH_COLUMNS), *sorted(COLOUR_COLUMNS))
#: Columns the other City layers are drawn from (a change of any other column redraws nothing).
DRAWN_COLUMNS: dict[str, frozenset[str]] = {
    "parcels": frozenset({"geometry"}),
    "roads": frozenset({"geometry"}),
    "communes": frozenset({"geometry"}),
    "ifc_elements": frozenset({"id", "ifc_class"}),
}

#: What to redraw: scene layer → ids of the buildings to extrude again, add or remove (an
#: empty set: only their colours; :data:`~gui.scene_rows.IFC_HIDDEN`: also those an IFC model
#: stands for), or None for the whole layer.
Plan = dict[str, frozenset[str] | None]


def scene_plan(city_layer: str, ids: tuple[str, ...], columns: tuple[str, ...]) -> Plan:
    """What the 3D view must redraw after ``City.changed(city_layer, ids, columns)``.

    Rows of the buildings added or removed (ids, no columns) are spliced in or out when there
    are at most :data:`~gui.scene_rows.ROW_SPLICE_MAX` of them.

    Example:
        >>> scene_plan("buildings", ("b1",), ("height_m",))
        {'buildings': frozenset({'b1'})}
        >>> scene_plan("buildings", ("b1",), ("floors",)), scene_plan("parcels", (), ())
        ({}, {'parcels': None})
        >>> scene_plan("buildings", ("new",), ()), scene_plan("buildings", (), ())
        ({'buildings': frozenset({'new'})}, {'buildings': None})
    """
    names = scene_layers_for(city_layer)
    if not names:
        return {}
    if not columns:  # rows added or removed, or a whole layer, raster or mesh set replaced
        if city_layer == "buildings" and ids and len(ids) <= ROW_SPLICE_MAX:
            return {"buildings": frozenset(str(i) for i in ids)}
        if city_layer == IFC_MESHES and "buildings" in names:  # only the IFC buildings move
            return {**dict.fromkeys(names), "buildings": frozenset({IFC_HIDDEN})}
        return dict.fromkeys(names)
    changed = set(columns)
    if city_layer == "buildings":
        if changed & MEMBERSHIP_COLUMNS:
            return {"buildings": None}
        if changed & MESH_COLUMNS:
            return {"buildings": frozenset(str(i) for i in ids)}
        return {"buildings": frozenset()} if changed & COLOUR_COLUMNS else {}
    drawn = DRAWN_COLUMNS.get(city_layer)
    return dict.fromkeys(names) if drawn is None or changed & drawn else {}


def differing_buildings(before: City, after: City) -> frozenset[str] | None:
    """Ids of the buildings drawn differently from ``after`` than from ``before`` (only on one
    side, or other :data:`DRAWN_BUILDING_COLUMNS`: geometries by identity, then WKB), compared
    as :func:`gui.scenario_marks.compare_rows` compares a scenario's rows (~0.1 s for 100 000
    buildings; copy-on-write Cities share their geometries). None: more than
    :data:`~gui.scene_rows.ROW_SPLICE_MAX` differ, or a City has no buildings (redraw the
    layer whole).

    Example:
        >>> city = City()
        >>> differing_buildings(city, city.copy(share_layers=True)) is None
        True
    """
    if "buildings" not in before or "buildings" not in after:
        return None
    old, new = before.layer("buildings"), after.layer("buildings")
    if old is new:
        return frozenset()
    marks = compare_rows(
        old[[c for c in DRAWN_BUILDING_COLUMNS if c in old]],
        new[[c for c in DRAWN_BUILDING_COLUMNS if c in new]],
    )
    ids = marks.new | marks.changed | marks.removed
    return ids if len(ids) <= ROW_SPLICE_MAX else None


def merge_plans(first: Plan, second: Plan) -> Plan:
    """Both plans in one: ids are joined, a whole layer wins.

    Example:
        >>> merge_plans({"buildings": frozenset({"a"})}, {"buildings": frozenset({"b"}),
        ...              "parcels": None}) == {"buildings": frozenset({"a", "b"}), "parcels": None}
        True
    """
    merged = dict(first)
    for name, ids in second.items():
        if name not in merged:
            merged[name] = ids
        else:
            before = merged[name]
            merged[name] = None if before is None or ids is None else before | ids
    return merged


def build_scene(
    city: City,
    plan: Plan,
    previous: Mapping[str, SceneLayer],
    cancelled: Callable[[], bool] = lambda: False,
) -> dict[str, SceneLayer | None]:
    """The layers of ``plan`` built from ``city`` (None: nothing to draw there any more).

    A building layer planned with ids is spliced: only those buildings are extruded again,
    added or removed (:mod:`gui.scene_rows`), and the rest comes from ``previous["buildings"]``
    (an empty set of ids: only the colours); more than
    :data:`~gui.scene_rows.ROW_SPLICE_MAX` buildings added or removed rebuild the layer.

    Raises:
        CancelledError: ``cancelled()`` became true (checked between layers).
    """
    built: dict[str, SceneLayer | None] = {}
    for name in [name for name in SCENE_LAYERS if name in plan]:
        if cancelled():
            raise CancelledError("the scene build was superseded")
        ids = plan[name]
        before = previous.get(name)
        store = before.store if before is not None else None
        if name == "buildings" and ids is not None and before is not None and store is not None:
            moves = row_moves(city, store, ids) if ids else None
            if moves is None or not moves.count:
                built[name] = spliced_buildings(city, before, ids - {IFC_HIDDEN})
                continue
            if moves.count <= ROW_SPLICE_MAX:
                built[name] = spliced_rows(city, before, moves)
                continue
        layer = build_layer(city, name)
        built[name] = prepare_layer(city, layer) if layer is not None else None
    return built


def prepare_layer(city: City, layer: SceneLayer) -> SceneLayer:
    """Make what drawing ``layer`` needs: colours, normals, coarse stand-in, pick boxes."""
    if layer.store is not None:
        layer.pick_boxes = object_boxes(layer.store)
    if layer.pickable and not layer.tiled:  # tiles are coloured when made
        colour_mesh(layer)
    if layer.name == "buildings":
        layer.coarse = box_proxy(building_boxes(city, layer.object_ids))
    elif layer.name == "terrain":
        layer.coarse = coarse_terrain(city, layer.mesh.n_cells)
        layer.mesh = with_normals(layer.mesh)
    if layer.name in FRAME_LAYERS:
        points = layer.store.vertices if layer.tiled and layer.store else layer.mesh.points
        layer.frame = town_frame(np.asarray(points))
    return layer


def spliced_buildings(city: City, before: SceneLayer, ids: frozenset[str]) -> SceneLayer:
    """``before`` with the buildings ``ids`` extruded again from ``city``, in the colours the
    view draws ``before`` in (:func:`carried_colours`); ``before`` is left as it is: it may be
    on screen. A tiled layer shares the tiles nothing changed in with ``before``."""
    store = before.store
    assert store is not None
    positions = np.flatnonzero(np.isin(store.object_ids, np.array(sorted(ids), dtype=str)))
    coarse, frame, boxes = before.coarse, before.frame, before.pick_boxes
    if len(positions):
        changed_ids = store.object_ids[positions]
        store = replace_objects(store, _extruded(city, changed_ids, store.origin))
        boxes = object_boxes(store)  # ~40 ms for 100 000 buildings
        if coarse is not None:
            coarse = replace_boxes(coarse, positions, building_boxes(city, changed_ids))
    default = building_colours(city, store.object_ids)
    rgb = carried_colours(before, default)
    layer = SceneLayer(
        "buildings",
        before.mesh,
        object_ids=store.object_ids,
        base_rgb=rgb,
        default_rgb=default,
        store=store,
        coarse=coarse,
        pick_boxes=boxes,
        frame=frame,
        given_rgb=before.given_rgb,
    )
    if before.tiled and before.tile_starts is not None:
        recoloured = np.flatnonzero((rgb != before.base_rgb).any(axis=1))
        starts = before.tile_starts
        tiles = list(before.tiles)
        drawn = (before.drawn_rgb if before.drawn_rgb is not None else before.base_rgb).copy()
        remade = tiles_of(starts, np.union1d(positions, recoloured))
        for tile in range(len(tiles)):
            first, stop = int(starts[tile]), int(starts[tile + 1])
            if tile in remade:
                tiles[tile] = tile_mesh(store, first, stop, rgb)
                drawn[first:stop] = rgb[first:stop]
            else:
                renumber_tile(tiles[tile], store, first, stop)
        layer.tiles, layer.tile_starts, layer.drawn_rgb = tiles, starts, drawn
        layer.mesh = pv.MultiBlock(tiles)
    else:
        # its own colours; without new vertices, points and triangles shared
        layer.mesh = store.to_pyvista() if len(positions) else before.mesh.copy(deep=False)
        colour_mesh(layer)
    logger.debug("spliced %d of %d buildings", len(positions), store.n_objects)
    return layer


def carried_colours(before: SceneLayer, default: np.ndarray) -> np.ndarray:
    """The colours of a spliced layer (same objects as ``before``): those the view draws
    ``before`` in (without highlight), the layer's own colours ``default`` (uses) replacing
    the old ones where they changed and the view shows the own colours.

    Example:
        >>> grey, red = [9, 9, 9], [200, 0, 0]
        >>> before = SceneLayer("buildings", None, object_ids=np.array(["a", "b"]),
        ...                     base_rgb=np.array([grey, grey], np.uint8))
        >>> carried_colours(before, np.array([grey, red], np.uint8)).tolist()
        [[9, 9, 9], [200, 0, 0]]
    """
    rgb = np.array(before.base_rgb, dtype=np.uint8, copy=True)
    if rgb.shape != default.shape:
        return default.copy()
    if before.given_rgb is None and before.default_rgb.shape == default.shape:
        changed = (default != before.default_rgb).any(axis=1)
        rgb[changed] = default[changed]
    return rgb


def replace_objects(store: MeshStore, update: MeshStore) -> MeshStore:
    """``store`` with each object of ``update`` in place of the object with the same id (ids
    absent from ``store`` are ignored); vertex and face counts may differ.

    Example:
        >>> import numpy as np
        >>> def one(z, object_id):
        ...     return MeshStore(np.array([[0, 0, z], [1, 0, z], [0, 1, z]], np.float32),
        ...                      np.array([[0, 1, 2]], np.int32), np.array([0, 3]),
        ...                      np.array([0, 1]), np.array([object_id]))
        >>> both = MeshStore.concat([one(0, "a"), one(0, "b")])
        >>> replaced = replace_objects(both, one(7, "b"))
        >>> replaced.vertices[:, 2].tolist(), replaced.faces.tolist()
        ([0.0, 0.0, 0.0, 7.0, 7.0, 7.0], [[0, 1, 2], [3, 4, 5]])
    """
    if store.origin != update.origin:
        update = update.rebased(store.origin)
    target = pd.Index(store.object_ids).get_indexer(update.object_ids)
    keep = target >= 0
    if _same_counts(store, update, target, keep):  # new heights: only vertices move
        vertices = store.vertices.copy()
        moved = _ranges(store.vertex_offsets[target[keep]], np.diff(update.vertex_offsets)[keep])
        vertices[moved] = update.vertices[
            _ranges(update.vertex_offsets[:-1][keep], np.diff(update.vertex_offsets)[keep])
        ]
        same = (store.faces, store.vertex_offsets, store.face_offsets, store.object_ids)
        return MeshStore(vertices, *same, origin=store.origin)
    order = np.arange(store.n_objects)
    order[target[keep]] = store.n_objects + np.flatnonzero(keep)
    return take_objects(MeshStore.concat([store, update]), order)


def take_objects(store: MeshStore, order: np.ndarray) -> MeshStore:
    """The objects of ``store`` at positions ``order``, in that order (faces renumbered)."""
    vertex_counts = np.diff(store.vertex_offsets)[order]
    face_counts = np.diff(store.face_offsets)[order]
    vertex_index = _ranges(store.vertex_offsets[order], vertex_counts)
    face_index = _ranges(store.face_offsets[order], face_counts)
    new_vertex = np.empty(store.n_vertices, dtype=np.int32)
    new_vertex[vertex_index] = np.arange(len(vertex_index), dtype=np.int32)
    return MeshStore(
        vertices=store.vertices[vertex_index],
        faces=new_vertex[store.faces[face_index]],
        vertex_offsets=np.concatenate([[0], np.cumsum(vertex_counts)]).astype(np.int64),
        face_offsets=np.concatenate([[0], np.cumsum(face_counts)]).astype(np.int64),
        object_ids=store.object_ids[order],
        origin=store.origin,
    )


def _same_counts(store: MeshStore, update: MeshStore, target: np.ndarray, keep: np.ndarray) -> bool:
    """Whether each replacing object has the vertex and face counts of the one it replaces
    and its faces numbered alike (then the faces of ``store`` stay valid)."""
    old, new = target[keep], np.flatnonzero(keep)
    if not np.array_equal(np.diff(store.vertex_offsets)[old], np.diff(update.vertex_offsets)[new]):
        return False
    if not np.array_equal(np.diff(store.face_offsets)[old], np.diff(update.face_offsets)[new]):
        return False
    old_faces = store.faces[_ranges(store.face_offsets[old], np.diff(store.face_offsets)[old])]
    new_faces = update.faces[_ranges(update.face_offsets[new], np.diff(update.face_offsets)[new])]
    old_local = (
        old_faces - np.repeat(store.vertex_offsets[old], np.diff(store.face_offsets)[old])[:, None]
    )
    new_local = (
        new_faces
        - np.repeat(update.vertex_offsets[new], np.diff(update.face_offsets)[new])[:, None]
    )
    return bool(np.array_equal(old_local, new_local))


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``starts[k] + arange(counts[k])`` for every k, concatenated."""
    total = int(counts.sum())
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return (shift + np.arange(total)).astype(np.int64)


def _extruded(city: City, object_ids: np.ndarray, origin: tuple[float, float, float]) -> MeshStore:
    """LoD1 meshes of the buildings ``object_ids`` of ``city`` (as :func:`lod1_store`)."""
    buildings = city.layer("buildings")
    rows = buildings[buildings["id"].astype(str).isin(object_ids)]
    rows = rows[~rows["id"].astype(str).duplicated()]
    return extrude_footprints(
        rows.geometry.to_numpy(),
        rows["base_elevation_m"].to_numpy(dtype="float64", na_value=0.0),
        rows["height_m"].to_numpy(dtype="float64", na_value=np.nan),
        rows["id"].to_numpy(dtype=str),
        origin,
    )
