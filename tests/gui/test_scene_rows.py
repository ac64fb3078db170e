"""Buildings added to or removed from the City spliced into the 3D view instead of a rebuild of
the layer: the same objects, meshes, colours and boxes as a layer built anew, in tiles or in
one mesh, picked, coloured and undone in the view (the tile thresholds are lowered so that a
town of a few hundred buildings is tiled)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely

import gui.scene_tiles
import gui.scene_update
from gui.main_window import MainWindow
from gui.scenario_marks import NEW_COLOUR
from gui.scene import SCENE_LAYERS, VERTEX_RGB, hex_to_rgb
from gui.scene_lod import BOX_VERTICES
from gui.scene_pick import object_boxes
from gui.scene_rows import IFC_HIDDEN, TILE_GROWTH
from gui.scene_update import build_scene, scene_plan
from tests.gui.conftest import synthetic_window
from tests.gui.test_scene_updates import synthetic_city
from twin.city import City
from twin.mesh import MeshStore

N_BUILDINGS = 600
PER_TILE = 60
BUILD_TIMEOUT_MS = 30_000


def new_buildings(city: City, copies_of: list[str], shift_m: tuple[float, float]) -> Any:
    """Rows copying the buildings ``copies_of``, moved by ``shift_m``, 33 m high, ids NEW<k>."""
    buildings = city.layer("buildings").set_index("id", drop=False)
    rows = buildings.loc[copies_of].reset_index(drop=True)
    rows["id"] = [f"NEW{k}" for k in range(len(rows))]
    rows["height_m"] = 33.0
    shift = np.array(shift_m)
    rows["geometry"] = shapely.transform(rows.geometry.to_numpy(), lambda xy: xy + shift)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=city.crs)


def objects_of(layer: Any) -> dict[str, tuple[Any, ...]]:
    """Each object's vertex box, face count, colour, pick box and coarse box, by id."""
    store = layer.store
    boxes = object_boxes(store)
    corners = np.asarray(layer.coarse.points).reshape(-1, BOX_VERTICES, 3)
    faces = np.diff(store.face_offsets)
    return {
        str(object_id): (
            tuple(np.nan_to_num(boxes[k], nan=-1.0).tolist()),
            int(faces[k]),
            tuple(layer.base_rgb[k].tolist()),
            tuple(np.nan_to_num(layer.pick_boxes[k], nan=-1.0).tolist()),
            corners[k].round(4).tobytes(),
        )
        for k, object_id in enumerate(store.object_ids)
    }


def shapes_of(layer: Any) -> dict[str, tuple[Any, ...]]:
    """:func:`objects_of` without the colours."""
    return {key: value[:2] + value[3:] for key, value in objects_of(layer).items()}


def assert_same_objects(ours: Any, fresh: Any) -> None:
    """``ours`` draws the objects of ``fresh`` (a layer built anew), in any order."""
    assert sorted(ours.object_ids.tolist()) == sorted(fresh.object_ids.tolist())
    assert objects_of(ours) == objects_of(fresh)
    assert ours.store.n_faces == fresh.store.n_faces


def assert_tiles_hold_their_runs(layer: Any) -> None:
    """Each tile draws the run of objects its starts say, numbered and coloured so."""
    store, starts = layer.store, layer.tile_starts
    assert starts[0] == 0 and starts[-1] == store.n_objects == len(layer.object_ids)
    assert (np.diff(starts) > 0).all()
    for index, tile in enumerate(layer.tiles):
        first, stop = int(starts[index]), int(starts[index + 1])
        cells = np.asarray(tile.cell_data["object_index"])
        points = np.asarray(tile.point_data["object_index"])
        assert np.array_equal(
            cells, np.repeat(np.arange(first, stop), np.diff(store.face_offsets[first : stop + 1]))
        )
        assert np.array_equal(
            points,
            np.repeat(np.arange(first, stop), np.diff(store.vertex_offsets[first : stop + 1])),
        )
        vertices = store.vertices[store.vertex_offsets[first] : store.vertex_offsets[stop]]
        assert np.array_equal(np.asarray(tile.points), vertices)
        assert np.array_equal(np.asarray(tile.point_data[VERTEX_RGB]), layer.drawn_rgb[points])


def made_anew(layer: Any, before: Any) -> list[int]:
    """The tiles of ``layer`` that ``before`` has not (by identity)."""
    old = {id(tile) for tile in before.tiles}
    return [index for index, tile in enumerate(layer.tiles) if id(tile) not in old]


def tile_of(layer: Any, object_id: str) -> int:
    position = int(np.flatnonzero(layer.object_ids == object_id)[0])
    return int(np.searchsorted(layer.tile_starts, position, side="right") - 1)


# -- plans ----------------------------------------------------------------------------------------
def test_rows_added_or_removed_are_planned_by_id_and_too_many_rebuild_the_layer() -> None:
    assert scene_plan("buildings", ("NEW0", "SYN0000001"), ()) == {
        "buildings": frozenset({"NEW0", "SYN0000001"})
    }
    many = tuple(f"b{k}" for k in range(gui.scene_update.ROW_SPLICE_MAX + 1))
    assert scene_plan("buildings", many, ()) == {"buildings": None}
    assert scene_plan("buildings", (), ()) == {"buildings": None}  # the layer replaced
    assert scene_plan("ifc", (), ()) == {"ifc": None, "buildings": frozenset({IFC_HIDDEN})}


# -- in the worker --------------------------------------------------------------------------------
def test_a_building_added_then_some_demolished_in_a_tiled_town_are_those_of_a_full_rebuild(
    small_tiles: None,
) -> None:
    city = synthetic_city(N_BUILDINGS, with_terrain=True)
    before = build_scene(city, dict.fromkeys(SCENE_LAYERS), {})["buildings"]
    city.append_rows("buildings", new_buildings(city, ["SYN0000300"], (23.0, 0.0)))

    added = build_scene(city, scene_plan("buildings", ("NEW0",), ()), {"buildings": before})
    layer = added["buildings"]

    assert layer is not None and layer.tiled
    new_tiles = made_anew(layer, before)
    assert new_tiles == [tile_of(layer, "NEW0")]  # one tile made again, the others shared
    home = layer.tile_starts[new_tiles[0]], layer.tile_starts[new_tiles[0] + 1]
    others = layer.pick_boxes[home[0] : home[1]][layer.object_ids[home[0] : home[1]] != "NEW0"]
    centre = layer.pick_boxes[layer.object_ids == "NEW0"][0]
    centre = (centre[:2] + centre[3:5]) / 2
    assert (np.nanmin(others[:, :2], axis=0) <= centre).all()  # in its tile's box
    assert (centre <= np.nanmax(others[:, 3:5], axis=0)).all()
    assert_same_objects(layer, build_scene(city, {"buildings": None}, {})["buildings"])
    assert_tiles_hold_their_runs(layer)

    gone = ("SYN0000010", "SYN0000400", "SYN0000401")
    touched = {tile_of(layer, object_id) for object_id in gone}
    city.drop_rows("buildings", gone)
    dropped = build_scene(city, scene_plan("buildings", gone, ()), {"buildings": layer})
    after = dropped["buildings"]

    assert after is not None and not set(gone) & set(after.object_ids.tolist())
    assert set(made_anew(layer, after)) == touched  # the tiles they left, made anew
    assert_same_objects(after, build_scene(city, {"buildings": None}, {})["buildings"])
    assert_tiles_hold_their_runs(after)  # the tiles after them renumbered in place


def test_a_build_thrown_away_leaves_no_wrong_numbers_in_the_tiles_the_next_one_shares(
    small_tiles: None,
) -> None:
    city = synthetic_city(N_BUILDINGS)
    before = build_scene(city, {"buildings": None}, {})
    edited = city.copy(share_layers=True)
    edited.drop_rows("buildings", ["SYN0000001"])  # every tile after its own shifts
    build_scene(edited, scene_plan("buildings", ("SYN0000001",), ()), before)  # superseded
    city.update_values("buildings", ["SYN0000590"], {"height_m": [40.0]})

    layer = build_scene(city, {"buildings": frozenset({"SYN0000590"})}, before)["buildings"]

    assert len(made_anew(layer, before["buildings"])) == 1
    assert_tiles_hold_their_runs(layer)


def test_a_tile_grown_past_twice_its_size_is_cut_again(small_tiles: None) -> None:
    city = synthetic_city(N_BUILDINGS)
    before = build_scene(city, {"buildings": None}, {})["buildings"]
    first, stop = before.tile_starts[3], before.tile_starts[4]
    neighbours = before.object_ids[first:stop].tolist()
    copies = (neighbours * 3)[: TILE_GROWTH * PER_TILE + 10 - (stop - first)]
    city.append_rows("buildings", new_buildings(city, copies, (0.5, 0.5)))
    ids = tuple(f"NEW{k}" for k in range(len(copies)))

    layer = build_scene(city, scene_plan("buildings", ids, ()), {"buildings": before})["buildings"]

    assert layer is not None
    assert np.diff(layer.tile_starts).max() <= TILE_GROWTH * PER_TILE
    assert len(layer.tiles) > len(before.tiles)
    assert len(made_anew(layer, before)) >= 2  # that tile, cut
    assert_same_objects(layer, build_scene(city, {"buildings": None}, {})["buildings"])
    assert_tiles_hold_their_runs(layer)


def test_more_buildings_added_than_the_limit_rebuild_the_whole_layer_rightly(
    small_tiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gui.scene_update, "ROW_SPLICE_MAX", 5)
    city = synthetic_city(N_BUILDINGS)
    before = build_scene(city, {"buildings": None}, {})["buildings"]
    copies = [f"SYN{k:07d}" for k in range(0, 80, 10)]
    city.append_rows("buildings", new_buildings(city, copies, (0.0, 60.0)))
    ids = tuple(f"NEW{k}" for k in range(len(copies)))

    plan = scene_plan("buildings", ids, ())
    merged = build_scene(city, {"buildings": frozenset(ids)}, {"buildings": before})["buildings"]
    layer = build_scene(city, plan, {"buildings": before})["buildings"]

    assert plan == {"buildings": None}
    fresh = build_scene(city, {"buildings": None}, {})["buildings"]
    for rebuilt in (layer, merged):  # a plan of ids too big (merged) is rebuilt whole too
        assert not set(map(id, rebuilt.tiles)) & set(map(id, before.tiles))
        assert np.array_equal(rebuilt.object_ids, fresh.object_ids)
        assert np.array_equal(rebuilt.store.vertices, fresh.store.vertices)
    assert_same_objects(layer, fresh)


def test_a_small_town_in_one_mesh_splices_rows_in_the_order_of_a_full_rebuild() -> None:
    city = synthetic_city(120, with_terrain=True)
    before = build_scene(city, {"buildings": None}, {})["buildings"]
    assert not before.tiled
    city.append_rows("buildings", new_buildings(city, ["SYN0000050", "SYN0000051"], (23.0, 0.0)))
    city.drop_rows("buildings", ["SYN0000003"])
    plan = scene_plan("buildings", ("NEW0", "NEW1", "SYN0000003"), ())

    layer = build_scene(city, plan, {"buildings": before})["buildings"]
    fresh = build_scene(city, {"buildings": None}, {})["buildings"]

    for name in ("vertices", "faces", "vertex_offsets", "face_offsets", "object_ids"):
        assert np.array_equal(getattr(layer.store, name), getattr(fresh.store, name)), name
    assert np.array_equal(layer.mesh.cell_data["rgb"], fresh.mesh.cell_data["rgb"])
    assert np.array_equal(layer.mesh.point_data[VERTEX_RGB], fresh.mesh.point_data[VERTEX_RGB])
    assert_same_objects(layer, fresh)


def test_the_buildings_an_ifc_model_stands_for_leave_and_come_back_with_its_meshes(
    small_tiles: None,
) -> None:
    city = synthetic_city(N_BUILDINGS)
    city.update_values("buildings", ["SYN0000020", "SYN0000500"], {"source": "ifc"})
    before = build_scene(city, {"buildings": None}, {})["buildings"]
    assert {"SYN0000020", "SYN0000500"} <= set(before.object_ids.tolist())
    triangle = MeshStore(
        np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], np.float32),
        np.array([[0, 1, 2]], np.int32),
        np.array([0, 3]),
        np.array([0, 1]),
        np.array(["wall"]),
        city.ensure_origin(),
    )
    state = city.snapshot()
    city.set_meshes("ifc", triangle)

    hidden = build_scene(city, scene_plan("ifc", (), ()), {"buildings": before})
    assert hidden["ifc"] is not None
    layer = hidden["buildings"]
    assert not {"SYN0000020", "SYN0000500"} & set(layer.object_ids.tolist())
    assert len(made_anew(layer, before)) <= 2
    assert_same_objects(layer, build_scene(city, {"buildings": None}, {})["buildings"])

    city.restore(state)  # the meshes gone: the LoD1 blocks are back
    back = build_scene(city, scene_plan("ifc", (), ()), {"buildings": layer})["buildings"]
    assert_same_objects(back, before)


# -- in the view ----------------------------------------------------------------------------------
@pytest.fixture
def tiled_window(qtbot: Any, settings: Any, small_tiles: None) -> MainWindow:
    """A main window on a synthetic town of 600 buildings drawn as 10 tiles (not saved)."""
    window = synthetic_window(qtbot, settings, N_BUILDINGS, shown=True)
    return window


def roof_pixel(view: Any, object_id: str) -> tuple[int, int]:
    """Look down at a roof triangle of ``object_id``; the pixel at the view's centre."""
    vertices, faces = view.layers["buildings"].store.mesh_of(object_id)
    corners = vertices[faces].astype(np.float64)
    flat_top = np.flatnonzero((corners[:, :, 2] >= vertices[:, 2].max() - 1e-3).all(axis=1))
    roof = corners[flat_top[0]].mean(axis=0)
    view.look_at(view._origin + roof + [0.0, -1.0, 80.0], view._origin + roof, (0.0, 1.0, 0.0))
    view.render_now()
    return view.plotter.width() // 2, view.plotter.height() // 2


def test_a_building_added_in_the_view_swaps_one_tile_is_picked_and_undone(
    tiled_window: MainWindow, qtbot: Any
) -> None:
    view, city = tiled_window.view, tiled_window.document.city
    before = view.layers["buildings"]
    actors = list(view._tile_actors["buildings"])
    view.set_marks("buildings", {"NEW0": NEW_COLOUR, "SYN0000100": NEW_COLOUR})
    uploads = [t.GetPointData().GetArray(VERTEX_RGB).GetMTime() for t in before.tiles]
    marked_before = view.layers["buildings"].base_rgb.copy()
    state = city.snapshot()

    with qtbot.waitSignal(view.layer_rebuilt, timeout=BUILD_TIMEOUT_MS):
        city.append_rows("buildings", new_buildings(city, ["SYN0000321"], (23.0, 0.0)))

    layer = view.layers["buildings"]
    home = tile_of(layer, "NEW0")
    tile_actors = view._tile_actors["buildings"]
    assert [i for i, actor in enumerate(tile_actors) if actor not in actors] == [home]
    assert len(tile_actors) == len(layer.tiles) == len(before.tiles)
    was = {id(tile): index for index, tile in enumerate(before.tiles)}
    kept = [tile for tile in layer.tiles if id(tile) in was]
    assert len(kept) == len(layer.tiles) - 1
    assert all(  # kept tiles were neither painted nor uploaded again
        tile.GetPointData().GetArray(VERTEX_RGB).GetMTime() == uploads[was[id(tile)]]
        for tile in kept
    )
    fresh = build_scene(city, {"buildings": None}, {})["buildings"]
    assert shapes_of(layer) == shapes_of(fresh)  # colours: the marks' tint besides
    new_colour = layer.base_rgb[layer.object_ids == "NEW0"][0]
    own = layer.default_rgb[layer.object_ids == "NEW0"][0]
    assert (
        np.abs(new_colour.astype(int) - hex_to_rgb(NEW_COLOUR)).sum()
        < np.abs(own.astype(int) - hex_to_rgb(NEW_COLOUR)).sum()
    )  # the mark set before it came tints it
    old = before.object_ids == "SYN0000100"
    assert np.array_equal(layer.base_rgb[layer.object_ids == "SYN0000100"], marked_before[old])
    assert_tiles_hold_their_runs(layer)

    assert view.pick_at(*roof_pixel(view, "NEW0")) == "NEW0"
    assert tiled_window.selected_id == "NEW0"
    assert view.highlighted_ids("buildings") == ["NEW0"]

    with qtbot.waitSignal(view.layer_rebuilt, timeout=BUILD_TIMEOUT_MS):
        city.restore(state, events=[("buildings", ("NEW0",), ())])  # as an undo does

    undone = view.layers["buildings"]
    assert "NEW0" not in set(undone.object_ids.tolist())
    assert objects_of(undone) == objects_of(before)  # the marked one still tinted
    assert view.highlighted_ids("buildings") == []
    assert_tiles_hold_their_runs(undone)


def test_a_building_demolished_in_the_view_then_undone_comes_back_as_it_was(
    tiled_window: MainWindow, qtbot: Any
) -> None:
    view, city = tiled_window.view, tiled_window.document.city
    assert tiled_window.layers_panel.set_colour_column("height_m")
    before = view.layers["buildings"]
    original = objects_of(before)
    target = "SYN0000250"
    view.set_selection({"buildings": [target]})
    state = city.snapshot()

    with qtbot.waitSignal(view.layer_rebuilt, timeout=BUILD_TIMEOUT_MS):
        city.drop_rows("buildings", [target])

    layer = view.layers["buildings"]
    assert target not in set(layer.object_ids.tolist())
    assert view.highlighted_ids("buildings") == []
    assert len(made_anew(layer, before)) == 1
    assert_tiles_hold_their_runs(layer)

    with qtbot.waitSignal(view.layer_rebuilt, timeout=BUILD_TIMEOUT_MS):
        city.restore(state, events=[("buildings", (target,), ())])  # as an undo does

    back = view.layers["buildings"]
    assert objects_of(back) == original  # the same meshes, boxes and colours (by height)
    assert view.highlighted_ids("buildings") == [target]  # still selected: highlighted again
    assert_tiles_hold_their_runs(back)
    assert view.pick_at(*roof_pixel(view, target)) == target
