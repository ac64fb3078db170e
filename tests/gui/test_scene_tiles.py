"""A big town's buildings drawn as spatial tiles: built and spliced tile by tile in the worker,
swapped tile by tile in the view, picked, coloured and drawn like one mesh (the thresholds
are lowered so that a town of a few hundred buildings is tiled)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import gui.scene_tiles
from gui.colouring import colour_buildings
from gui.main_window import MainWindow
from gui.scene import SCENE_LAYERS, USE_COLOURS, VERTEX_RGB, hex_to_rgb
from gui.scene_tiles import tiles_of
from gui.scene_update import build_scene
from tests.gui.conftest import synthetic_window
from tests.gui.test_scene_updates import synthetic_city

N_BUILDINGS = 600
PER_TILE = 60
BUILD_TIMEOUT_MS = 30_000


def changed_tiles(before: Any, after: Any) -> list[int]:
    return [i for i, (a, b) in enumerate(zip(before.tiles, after.tiles, strict=True)) if a is not b]


def test_a_big_layer_is_cut_into_compact_tiles_holding_every_building(small_tiles: None) -> None:
    city = synthetic_city(N_BUILDINGS)
    layer = build_scene(city, {"buildings": None}, {})["buildings"]

    assert layer is not None and layer.tiled and layer.store is not None
    starts = layer.tile_starts
    assert starts[0] == 0 and starts[-1] == len(layer.object_ids) == N_BUILDINGS
    assert len(layer.tiles) == len(starts) - 1 >= N_BUILDINGS // PER_TILE
    assert sum(tile.n_cells for tile in layer.tiles) == layer.store.n_faces == layer.n_cells
    assert sorted(layer.object_ids) == sorted(city.layer("buildings")["id"])
    town = np.ptp(layer.store.vertices[:, :2], axis=0).prod()
    for index, tile in enumerate(layer.tiles):
        first, stop = starts[index], starts[index + 1]
        objects = np.asarray(tile.cell_data["object_index"])
        assert objects.min() == first and objects.max() == stop - 1
        vertices = layer.store.vertices[
            layer.store.vertex_offsets[first] : layer.store.vertex_offsets[stop]
        ]
        assert np.array_equal(np.asarray(tile.points), vertices)
        assert np.ptp(vertices[:, :2], axis=0).prod() < town / 4  # neighbours, not a stripe
        expected = layer.base_rgb[np.asarray(tile.point_data["object_index"])]
        assert np.array_equal(np.asarray(tile.point_data[VERTEX_RGB]), expected)


def test_an_edit_rebuilds_only_the_tiles_of_the_edited_buildings(small_tiles: None) -> None:
    city = synthetic_city(N_BUILDINGS)
    before = build_scene(city, dict.fromkeys(SCENE_LAYERS), {})
    ids = ["SYN0000007", "SYN0000450"]
    city.update_values("buildings", ids, {"height_m": [4.0, 31.5]})

    spliced = build_scene(city, {"buildings": frozenset(ids)}, before)["buildings"]
    full = build_scene(city, {"buildings": None}, {})["buildings"]

    assert spliced is not None and full is not None
    positions = np.flatnonzero(np.isin(spliced.object_ids, ids))
    assert (
        changed_tiles(before["buildings"], spliced)
        == tiles_of(spliced.tile_starts, positions).tolist()
    )
    assert len(changed_tiles(before["buildings"], spliced)) == 2
    assert np.array_equal(spliced.object_ids, full.object_ids)
    for ours, fresh in zip(spliced.tiles, full.tiles, strict=True):
        assert np.array_equal(np.asarray(ours.points), np.asarray(fresh.points))
    assert np.array_equal(spliced.pick_boxes, full.pick_boxes)


def test_a_new_use_rebuilds_its_tile_in_the_new_colour_and_given_colours_stay(
    small_tiles: None,
) -> None:
    city = synthetic_city(N_BUILDINGS)
    before = build_scene(city, {"buildings": None}, {})
    layer = before["buildings"]
    position = int(np.flatnonzero(layer.object_ids == "SYN0000010")[0])
    city.update_values("buildings", ["SYN0000010"], {"use": "industrial"})

    recoloured = build_scene(city, {"buildings": frozenset()}, before)["buildings"]

    assert changed_tiles(layer, recoloured) == tiles_of(layer.tile_starts, [position]).tolist()
    tile = recoloured.tiles[changed_tiles(layer, recoloured)[0]]
    mine = np.asarray(tile.point_data["object_index"]) == position
    industrial = hex_to_rgb(USE_COLOURS["industrial"])
    assert (np.asarray(tile.point_data[VERTEX_RGB])[mine] == industrial).all()

    layer.given_rgb = np.full((len(layer.object_ids), 3), 7, dtype=np.uint8)  # a colour-by
    layer.base_rgb = layer.given_rgb.copy()
    kept = build_scene(city, {"buildings": frozenset()}, before)["buildings"]
    assert changed_tiles(layer, kept) == []  # the colours drawn stay: no tile is rebuilt
    assert np.array_equal(kept.base_rgb, layer.given_rgb)
    assert kept.given_rgb is layer.given_rgb


# -- in the view ----------------------------------------------------------------------------------
@pytest.fixture
def tiled_window(qtbot: Any, settings: Any, small_tiles: None) -> MainWindow:
    """A main window on a synthetic town of 600 buildings drawn as 10 tiles (not saved)."""
    window = synthetic_window(qtbot, settings, N_BUILDINGS, shown=True)
    assert window.view.plotter.width() > 300
    return window


def draws(actor: Any, tile: Any) -> bool:
    """Whether ``actor`` draws ``tile`` (pyvista may draw a shallow copy: the same arrays)."""
    drawn = actor.GetMapper().GetInput().GetPointData().GetArray(VERTEX_RGB)
    return drawn.GetAddressAsString("") == tile.GetPointData().GetArray(
        VERTEX_RGB
    ).GetAddressAsString("")


def tile_colours_match(layer: Any, per_object: np.ndarray) -> bool:
    return all(
        np.array_equal(
            np.asarray(tile.point_data[VERTEX_RGB]),
            per_object[np.asarray(tile.point_data["object_index"])],
        )
        for tile in layer.tiles
    )


def test_the_view_draws_one_actor_per_tile_and_an_edit_swaps_only_those_it_touches(
    tiled_window: MainWindow, qtbot: Any
) -> None:
    view, city = tiled_window.view, tiled_window.document.city
    before = view.layers["buildings"]
    actors = list(view._tile_actors["buildings"])
    assert before.tiled and len(actors) == len(before.tiles) >= 10
    assert all(draws(a, t) for a, t in zip(actors, before.tiles, strict=True))
    props = view.plotter.renderer.GetActors().GetNumberOfItems()

    with qtbot.waitSignal(view.layer_rebuilt, timeout=BUILD_TIMEOUT_MS):
        city.update_values("buildings", ["SYN0000321"], {"height_m": [42.0]})

    after = view.layers["buildings"]
    swapped = [
        i
        for i, (a, b) in enumerate(zip(actors, view._tile_actors["buildings"], strict=True))
        if a is not b
    ]
    position = int(np.flatnonzero(after.object_ids == "SYN0000321")[0])
    assert swapped == tiles_of(after.tile_starts, [position]).tolist()
    assert view.plotter.renderer.GetActors().GetNumberOfItems() == props
    top = after.store.mesh_of("SYN0000321")[0][:, 2].max() + view._origin[2]
    base = city.layer("buildings").set_index("id").loc["SYN0000321", "base_elevation_m"]
    assert top == pytest.approx(base + 42.0, abs=1e-3)


def test_a_click_on_a_building_of_a_tile_picks_its_id(tiled_window: MainWindow) -> None:
    view = tiled_window.view
    layer = view.layers["buildings"]
    target = str(layer.object_ids[int(layer.tile_starts[5]) + 3])  # in the sixth tile
    vertices, faces = layer.store.mesh_of(target)
    corners = vertices[faces].astype(np.float64)  # (n, 3, 3)
    flat_top = np.flatnonzero((corners[:, :, 2] >= vertices[:, 2].max() - 1e-3).all(axis=1))
    roof = corners[flat_top[0]].mean(axis=0)  # inside a roof triangle (courtyards exist)
    view.look_at(view._origin + roof + [0.0, -1.0, 80.0], view._origin + roof, (0.0, 1.0, 0.0))
    view.render_now()
    centre = (view.plotter.width() // 2, view.plotter.height() // 2)

    assert view.pick_at(*centre) == target
    assert tiled_window.selected_id == target
    assert view.highlighted_ids("buildings") == [target]


def test_colour_by_and_selection_colour_every_tile_and_re_upload_only_those_touched(
    tiled_window: MainWindow,
) -> None:
    view, city = tiled_window.view, tiled_window.document.city
    layer = view.layers["buildings"]
    assert tiled_window.layers_panel.set_colour_column("height_m")

    expected = colour_buildings(city.layer("buildings"), layer.object_ids, "height_m").rgb
    assert not np.array_equal(expected, layer.default_rgb)
    assert tile_colours_match(layer, expected)
    times = [t.GetPointData().GetArray(VERTEX_RGB).GetMTime() for t in layer.tiles]

    chosen = str(layer.object_ids[int(layer.tile_starts[2])])
    view.set_selection({"buildings": [chosen]})

    after = [t.GetPointData().GetArray(VERTEX_RGB).GetMTime() for t in layer.tiles]
    assert [i for i, (a, b) in enumerate(zip(times, after, strict=True)) if a != b] == [2]
    cyan = expected.copy()
    cyan[int(layer.tile_starts[2])] = hex_to_rgb("#00c8ff")
    assert tile_colours_match(layer, cyan)


def test_tiles_draw_the_same_picture_as_one_mesh(
    tiled_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, city = tiled_window.view, tiled_window.document.city

    def picture() -> np.ndarray:
        view.reset_view()
        view.render_now()
        return np.asarray(view.plotter.screenshot(return_img=True), dtype=np.int16)

    tiled = picture()
    monkeypatch.setattr(gui.scene_tiles, "TILE_MIN_OBJECTS", 10 * N_BUILDINGS)
    view.set_city(city)
    assert view.wait_for_scene() and not view.layers["buildings"].tiled
    one_mesh = picture()

    differs = np.abs(tiled - one_mesh).max(axis=-1) > 24
    assert tiled.std() > 10  # a town was drawn
    assert differs.mean() < 0.002


def test_the_coarse_level_draws_one_stand_in_over_every_tile(tiled_window: MainWindow) -> None:
    view = tiled_window.view
    actors = view._tile_actors["buildings"]
    view.lod.min_cells = 1

    view.lod.begin()
    assert actors[0].GetMapper().GetInput() is view.layers["buildings"].coarse
    assert not any(actor.GetVisibility() for actor in actors[1:])
    view.lod.restore()

    assert all(actor.GetVisibility() for actor in actors)
    assert all(draws(a, t) for a, t in zip(actors, view.layers["buildings"].tiles, strict=True))
