"""Drill-down: an IFC building storey by storey, its rooms coloured by use and named.

On the sample town hall (mairie.ifc) and on a real model, the KIT FZK-Haus, imported into a
fresh project in the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from gui.app import save_screenshot
from gui.drill_lists import ID_ROLE
from gui.drill_panel import LABELS_KEY
from gui.drilldown import CUT_ABOVE_FLOOR_M, DrillMode
from gui.drilldown_rows import LABEL_ABOVE_FLOOR_M
from gui.i18n import tr, translator
from gui.main_window import MainWindow
from gui.scene import hex_to_rgb
from importers.base import ImportOptions
from importers.merge import merge_result
from importers.registry import read_file
from twin.city import City
from twin.snapshot import USE_COLOURS


def town_hall(window: MainWindow) -> str:
    buildings = window.document.city.layer("buildings")
    return str(buildings.loc[buildings["source"] == "ifc", "id"].iloc[0])


def storeys_of(city: City, building: str) -> Any:
    storeys = city.layer("storeys")
    return storeys[storeys["parent_id"] == building].sort_values("elevation_m")


def spaces_of(city: City, storey: str) -> Any:
    spaces = city.layer("spaces")
    return spaces[spaces["parent_id"] == storey]


def floor_altitude(city: City, building: str, storey: str) -> float:
    buildings = city.layer("buildings").set_index("id")
    storeys = city.layer("storeys").set_index("id")
    return float(buildings.loc[building, "base_elevation_m"] + storeys.loc[storey, "elevation_m"])


def choose_storey_row(window: MainWindow, storey: str) -> None:
    """Click a storey in the panel's list, as the user does."""
    panel = window.drill
    panel.storey_list.setCurrentRow(panel.storey_ids().index(storey))


def record_labels(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    calls: list[tuple] = []
    original = window.view.set_labels

    def spy(key: str, points: Any, texts: Any = None) -> None:
        calls.append((key, points, texts))
        original(key, points, texts)

    monkeypatch.setattr(window.view, "set_labels", spy)
    return calls


def test_selecting_the_town_hall_offers_its_storeys_top_first(window: MainWindow) -> None:
    city = window.document.city
    assert window.drill.candidate is None and not window.drill.open_action.isEnabled()
    assert window.docks["drill.dock"].isHidden()
    hall = town_hall(window)
    window.select_object(hall)
    assert window.drill.candidate == hall
    assert window.drill.open_action.isEnabled() and not window.drill.drilled
    assert not window.docks["drill.dock"].isHidden()
    expected = storeys_of(city, hall)["id"].tolist()[::-1]
    assert len(expected) == 3
    assert window.drill.storey_ids() == expected
    assert window.view.clip_height("ifc") is None  # offered, not yet drilled


def test_a_lod1_building_offers_no_drill_down(window: MainWindow) -> None:
    buildings = window.document.city.layer("buildings")
    window.select_object(str(buildings.loc[buildings["source"] != "ifc", "id"].iloc[0]))
    assert window.drill.candidate is None
    assert not window.drill.open_action.isEnabled()


def test_choosing_a_storey_cuts_the_model_and_colours_and_names_exactly_its_rooms(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    city, view = window.document.city, window.view
    hall = town_hall(window)
    storeys = storeys_of(city, hall)
    first, second, third = storeys["id"].tolist()
    labels = record_labels(window, monkeypatch)
    window.select_object(hall)
    choose_storey_row(window, second)
    panel = window.drill
    assert panel.drilled and panel.storey_id == second
    rooms = spaces_of(city, second)
    assert set(panel.space_ids()) == set(rooms["id"]) and len(panel.space_ids()) == len(rooms)

    floor, next_floor = floor_altitude(city, hall, second), floor_altitude(city, hall, third)
    clip = view.clip_height("ifc")
    assert floor + 1.5 < clip <= next_floor  # hides the storeys above, the whole storey shown

    layer = view.layers["ifc"]
    position = {object_id: k for k, object_id in enumerate(layer.object_ids)}
    for room, use in zip(rooms["id"], rooms["use"], strict=True):
        assert tuple(layer.base_rgb[position[room]]) == hex_to_rgb(USE_COLOURS[use])
    others = ~np.isin(layer.object_ids, rooms["id"].to_numpy())
    assert (layer.base_rgb[others] == layer.default_rgb[others]).all()
    assert (layer.base_rgb[~others] != layer.default_rgb[~others]).any(axis=1).all()

    key, points, texts = labels[-1]
    assert key == LABELS_KEY and LABELS_KEY in view.label_keys()
    assert sorted(texts) == sorted(rooms["long_name"])
    assert np.allclose(points[:, 2], floor + LABEL_ABOVE_FLOOR_M, atol=0.01)
    outlines = rooms.set_index("long_name").geometry
    for (x, y, _z), text in zip(points, texts, strict=True):
        assert outlines[text].buffer(0.01).contains(shapely.Point(x, y))
    assert view.highlighted_ids("ifc") == []  # the building is selected: no cyan over the rooms

    panel.set_mode(DrillMode.CUT)
    assert view.clip_height("ifc") == pytest.approx(floor + CUT_ABOVE_FLOOR_M, abs=0.01)
    choose_storey_row(window, first)
    assert view.clip_height("ifc") == pytest.approx(
        floor_altitude(city, hall, first) + CUT_ABOVE_FLOOR_M, abs=0.01
    )
    assert set(panel.space_ids()) == set(spaces_of(city, first)["id"])


def test_leaving_the_storey_view_restores_cut_colours_labels_and_highlight(
    window: MainWindow,
) -> None:
    view, hall = window.view, town_hall(window)
    window.select_object(hall)
    assert window.drill.open_building()
    assert view.clip_height("ifc") is not None and LABELS_KEY in view.label_keys()
    window.drill.leave_action.trigger()
    layer = view.layers["ifc"]
    assert not window.drill.drilled and view.clip_height("ifc") is None
    assert (layer.base_rgb == layer.default_rgb).all()
    assert LABELS_KEY not in view.label_keys()
    assert set(view.highlighted_ids("ifc")) == set(layer.object_ids)  # the model selected again
    assert window.drill.space_ids() == []


def test_opening_the_building_starts_on_the_ground_floor(window: MainWindow) -> None:
    city, hall = window.document.city, town_hall(window)
    window.select_object(hall)
    window.drill.open_action.trigger()
    storeys = storeys_of(city, hall)
    ground = storeys["id"].iloc[int(np.argmin(np.abs(storeys["elevation_m"])))]
    assert window.drill.storey_id == ground
    assert not window.drill.open_action.isEnabled() and window.drill.leave_action.isEnabled()
    camera, origin = window.view.plotter.camera, np.array(city.ensure_origin())
    focal = np.array(camera.focal_point) + origin
    position = np.array(camera.position) + origin
    footprint = city.layer("buildings").set_index("id").geometry[hall]
    assert footprint.buffer(1.0).contains(shapely.Point(focal[:2]))  # framed on the hall
    assert position[2] - focal[2] > 20.0  # looking down on it


def test_choosing_a_room_in_the_list_selects_it_in_the_tree_view_and_inspector(
    window: MainWindow,
) -> None:
    hall = town_hall(window)
    window.select_object(hall)
    window.drill.open_building()
    panel = window.drill
    room = panel.space_ids()[2]
    panel.space_list.setCurrentItem(panel.space_list.topLevelItem(2))
    assert window.selected_id == room
    assert window.hierarchy.selected_id() == room
    assert window.inspector.object_id == room
    assert window.inspector.description.title.startswith("Pièce ")
    assert window.view.highlighted_ids("ifc") == [room]
    assert panel.drilled  # choosing a room keeps the storey view


def test_selecting_a_room_of_another_storey_elsewhere_shows_that_storey(
    window: MainWindow,
) -> None:
    city, hall = window.document.city, town_hall(window)
    window.select_object(hall)
    window.drill.open_building()
    top = storeys_of(city, hall)["id"].iloc[-1]
    room = spaces_of(city, top)["id"].iloc[0]
    window.select_object(room)  # as from the tree or the 3D view
    assert window.drill.storey_id == top
    assert set(window.drill.space_ids()) == set(spaces_of(city, top)["id"])
    selected = window.drill.space_list.selectedItems()
    assert [item.data(0, ID_ROLE) for item in selected] == [room]


def test_a_rebuilt_ifc_layer_is_painted_again(window: MainWindow) -> None:
    hall = town_hall(window)
    window.select_object(hall)
    window.drill.open_building()
    clip = window.view.clip_height("ifc")
    window.view.rebuild(window.document.city, ["ifc"])
    layer = window.view.layers["ifc"]
    assert (layer.base_rgb != layer.default_rgb).any()
    assert window.view.clip_height("ifc") == clip


def test_renaming_a_room_shows_in_the_list_and_its_label(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    city, hall = window.document.city, town_hall(window)
    labels = record_labels(window, monkeypatch)
    window.select_object(hall)
    window.drill.open_building()
    room = window.drill.space_ids()[0]
    city.update_values("spaces", [room], {"long_name": "Bureau du directeur"})
    names = [window.drill.space_list.topLevelItem(r).text(0) for r in range(3)]
    assert any(name.endswith("Bureau du directeur") for name in names)
    assert "Bureau du directeur" in labels[-1][2]


def test_the_panel_speaks_english_after_a_language_switch(window: MainWindow) -> None:
    window.select_object(town_hall(window))
    window.drill.open_building()
    translator().set_language("en")
    assert window.docks["drill.dock"].windowTitle() == "Storeys"
    assert window.drill.leave_action.text() == "Leave the storey view"
    assert window.drill.space_list.headerItem().text(2) == "Area (m²)"
    uses = {window.drill.space_list.topLevelItem(r).text(1) for r in range(3)}
    assert uses <= {tr(f"use.{use}") for use in USE_COLOURS}


def use_pixels(path: Path, use: str) -> int:
    """How many pixels of a PNG are near a use's colour (shaded faces included)."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    pixels = (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine())[:, : 3 * image.width()]
        .reshape(image.height(), image.width(), 3)
    )
    colour = np.array(hex_to_rgb(USE_COLOURS[use]), dtype=int)
    return int((np.abs(pixels.astype(int) - colour).sum(axis=2) < 60).sum())


def test_a_screenshot_of_the_drilled_town_hall_shows_its_rooms_in_use_colours(
    shown: MainWindow, tmp_path: Path
) -> None:
    hall = town_hall(shown)
    shown.select_object(hall)
    first_floor = storeys_of(shown.document.city, hall)["id"].iloc[1]
    shown.drill.set_mode(DrillMode.CUT)
    shown.drill.open_building(hall, first_floor)
    drilled = save_screenshot(shown, tmp_path / "drilldown.png")
    shown.drill.leave()  # the same camera, the model whole again
    whole = save_screenshot(shown, tmp_path / "whole.png")
    # the council room (public) and the offices, seen from above, only while drilled
    assert use_pixels(drilled, "public") > use_pixels(whole, "public") + 2000
    assert use_pixels(drilled, "office") > use_pixels(whole, "office") + 2000


# -- a real model: the KIT FZK-Haus ------------------------------------------------------------
@pytest.fixture(scope="module")
def fzk_city(shared_data: Path) -> City:
    """A fresh project holding only the FZK-Haus, placed by hand (it has no IfcMapConversion)."""
    city = City("EPSG:2154", name="FZK-Haus")
    options = ImportOptions(placement_xyz=(700000.0, 6600000.0, 100.0))
    result = read_file(
        shared_data / "ifc" / "AC20-FZK-Haus.ifc", target_crs=city.crs, options=options
    )
    merge_result(city, result)
    return city


@pytest.fixture
def fzk_window(qtbot: Any, settings: Any, fzk_city: City) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(
        window,
        before_close_func=lambda w: setattr(
            w.files, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard
        ),
    )
    window.set_city(fzk_city, None)
    return window


def test_the_fzk_haus_drills_into_its_two_storeys_and_seven_rooms(
    fzk_window: MainWindow,
) -> None:
    city = fzk_window.document.city
    building = str(city.layer("buildings")["id"].iloc[0])
    fzk_window.select_object(building)
    panel = fzk_window.drill
    assert panel.candidate == building
    expected = storeys_of(city, building)["id"].tolist()
    assert len(expected) == 2 and panel.storey_ids() == expected[::-1]
    rooms: list[str] = []
    for storey in expected:
        choose_storey_row(fzk_window, storey)
        assert set(panel.space_ids()) == set(spaces_of(city, storey)["id"])
        clip = fzk_window.view.clip_height("ifc")
        assert clip > floor_altitude(city, building, storey)
        rooms += panel.space_ids()
    assert len(rooms) == len(set(rooms)) == 7
    panel.leave()
    assert fzk_window.view.clip_height("ifc") is None
