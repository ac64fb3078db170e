"""The editing tools on the sample town: in a new scenario, demolish the buildings of a parcel
and build on it through the dialog, change the use of two town-hall rooms chosen in the
storeys panel, add floors, place a stop and a sensor by clicking the ground, draw a footprint,
retrofit a district; Ctrl+Z / Ctrl+Y undo and redo exactly; refused inputs are one line and
change nothing; a screenshot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from gui.building_dialog import BuildingDialog
from gui.edit_dialogs import FloorsDialog, RetrofitDialog, SpaceUseDialog
from gui.edit_palette import TOOL_IDS
from gui.edit_targets import footprint_on_parcel
from gui.i18n import translator
from gui.place_dialogs import DigitalDialog, StopDialog
from gui.scenario_marks import NEW_COLOUR
from gui.scene import hex_to_rgb
from twin.levels import Level

PARCEL = "12990000AE0057"  # a house and two annexes on the town's main square
SCENARIO = "Projet place du Marché"
CENTRE_DISTRICT = "129900101"


@pytest.fixture
def app(shown: Any) -> Iterator[Any]:
    """The window on screen, its dialogs answered by the test (an error dialog fails it)."""

    def unexpected(text: str) -> None:
        raise AssertionError(f"unexpected error dialog: {text}")

    shown.scenarios.commands.show_error = unexpected
    shown.edit_tools.confirm = lambda _title, _text: True
    yield shown
    translator().set_language("fr")


def new_scenario(app: Any) -> Any:
    """Create a scenario as the user does; its City."""
    app.scenarios.commands.ask_name = lambda _title, _default: SCENARIO
    app.action_set.trigger("scenario.new")
    assert app.scenarios.shown_name == SCENARIO and app.view.wait_for_scene()
    return app.shown_city()


def rows(city: Any, layer: str) -> pd.DataFrame:
    frame = city.layer(layer)
    return frame.set_index(frame["id"].astype(str))


def town_hall(city: Any) -> str:
    buildings = city.layer("buildings")
    return str(buildings.loc[buildings["source"] == "ifc", "id"].iloc[0])


def ok(dialog: Any) -> None:
    """Press the dialog's OK button."""
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def screen_position(app: Any, xyz: tuple[float, float, float]) -> QPoint:
    """Widget pixel (top-left origin) where a project-CRS point is drawn."""
    local = np.asarray(xyz, dtype=float) - np.asarray(app.shown_city().ensure_origin())
    renderer = app.view.plotter.renderer
    renderer.SetWorldPoint(*local, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    ratio = app.view.plotter.devicePixelRatioF()
    return QPoint(round(x / ratio), round(app.view.plotter.height() - 1 - y / ratio))


def settle(app: Any) -> None:
    """Wait for the 3D view's rebuilds, then draw a frame (point_at reads its depth buffer)."""
    assert app.view.wait_for_scene()
    app.view.render_now()


def demolish_parcel(app: Any) -> list[str]:
    """Select the parcel and demolish its buildings with the tool; their ids."""
    app.select_object(PARCEL)
    before = set(rows(app.shown_city(), "buildings").index)
    app.action_set.trigger("edit.demolish")
    gone = sorted(before - set(rows(app.shown_city(), "buildings").index))
    assert len(gone) == 3
    return gone


def build_on_parcel(app: Any, floors: int = 4) -> str:
    """Add a building on the selected parcel through the dialog; its id."""
    app.action_set.trigger("edit.add_building")
    dialog = app.edit_tools.dialog
    assert isinstance(dialog, BuildingDialog) and dialog.isVisible()
    dialog.floors.setValue(floors)
    dialog.mix.set_shares({"residential": 75.0, "retail": 25.0})
    dialog.setback.setValue(3.0)
    dialog.name.setText("Immeuble de la place")
    ok(dialog)
    assert not dialog.isVisible(), dialog.error_text
    new = set(rows(app.shown_city(), "buildings").index) - set(
        rows(app.document.city, "buildings").index
    )
    assert len(new) == 1
    return new.pop()


def choose_rooms(app: Any, room_ids: list[str]) -> None:
    """Click the rooms in the storeys panel's list, Ctrl held for the second and next."""
    table = app.drill.space_list
    for number, room in enumerate(room_ids):
        item = next(i for i in table._items() if i.data(0, Qt.ItemDataRole.UserRole) == room)
        table.scrollToItem(item)
        modifier = Qt.KeyboardModifier.ControlModifier if number else Qt.KeyboardModifier(0)
        centre = table.visualItemRect(item).center()
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, centre)


def ground_pixel(app: Any) -> tuple[QPoint, tuple[float, float, float]]:
    """A pixel of the top view showing the ground near the centre, and its point."""
    app.view.view_top()
    settle(app)
    plotter = app.view.plotter
    for dx, dy in ((0, 0), (40, 0), (0, 40), (-40, 0), (0, -40), (80, 80)):
        pixel = QPoint(plotter.width() // 2 + dx, plotter.height() // 2 + dy)
        point = app.view.point_at(pixel.x(), pixel.y())
        if point is not None and app.view.object_at(pixel.x(), pixel.y()) is None:
            return pixel, point
    raise AssertionError("no bare ground near the centre of the top view")


# -- tests ----------------------------------------------------------------------------------------
def test_the_tools_wait_for_a_scenario_and_their_tooltips_say_so(app: Any) -> None:
    tools = [app.action_set[action_id] for action_id in TOOL_IDS]
    assert all(not action.isEnabled() for action in tools)
    assert all("créez ou choisissez d'abord un scénario" in a.toolTip() for a in tools)
    assert all(a in app.menus["menu.edit"].actions() for a in tools)
    palette = [a for a in app.edit_tools.toolbar.actions() if a.objectName() in TOOL_IDS]
    assert palette == tools and app.edit_tools.palette.title.text() == "Édition"
    assert [a.iconText() for a in palette][:2] == ["Bâtiment sur parcelle", "Dessiner une emprise"]

    new_scenario(app)

    assert all(action.isEnabled() for action in tools)
    demolish = app.action_set["edit.demolish"]
    assert "scénario" not in demolish.toolTip() and demolish.toolTip().endswith(")")
    translator().set_language("en")
    assert demolish.text() == "&Demolish the selection…"
    assert app.action_set["edit.add_building"].iconText() == "Building on parcel"
    app.action_set.trigger("scenario.baseline")
    assert not demolish.isEnabled() and "create or choose a scenario" in demolish.toolTip()


def test_a_building_added_on_a_parcel_has_footprint_times_floors_and_is_marked_new(
    app: Any,
) -> None:
    city = new_scenario(app)
    baseline_buildings = app.document.city.layer("buildings")
    demolished = demolish_parcel(app)
    assert set(demolished) <= set(rows(app.document.city, "buildings").index)

    new_id = build_on_parcel(app, floors=4)

    building = rows(city, "buildings").loc[new_id]
    parcel = rows(city, "parcels").loc[PARCEL, "geometry"]
    footprint_m2 = float(footprint_on_parcel(parcel, 3.0).area)
    assert building["floors"] == 4 and building["parent_id"] == PARCEL
    assert building["floor_area_m2"] == pytest.approx(footprint_m2 * 4)
    assert building["floor_area_m2"] == pytest.approx(building.geometry.area * 4)
    assert building["name"] == "Immeuble de la place" and building["use"] == "residential"
    assert building["dwellings"] == app.edit_tools.dialog.computed_dwellings() > 0
    settle(app)
    layer = app.view.layers["buildings"]
    drawn = layer.object_ids.astype(str)
    assert new_id in drawn and not set(demolished) & set(drawn)
    marks = app.scenarios.marks()
    assert marks.new == {new_id} and marks.removed == set(demolished)
    rgb = layer.base_rgb[int(np.flatnonzero(drawn == new_id)[0])].astype(int)
    green = np.array(hex_to_rgb(NEW_COLOUR))
    assert np.abs(rgb - green).sum() < np.abs(layer.default_rgb[0].astype(int) - green).sum()
    stored = app.document.city.scenarios[SCENARIO]["edits"]
    assert [edit["kind"] for edit in stored] == ["demolish", "add_building"]
    assert stored[1]["parcel_id"] == PARCEL and stored[1]["use_mix"] == {
        "residential": 0.75,
        "retail": 0.25,
    }
    assert app.document.dirty
    assert app.document.city.layer("buildings") is baseline_buildings  # the baseline untouched
    lines = app.scenarios.panel.edit_lines()
    assert lines[0].startswith("1. Démolir 3 bâtiments") and lines[1].startswith("2. Ajouter")


def test_two_town_hall_rooms_chosen_in_the_storeys_panel_change_use(app: Any) -> None:
    city = new_scenario(app)
    hall = town_hall(city)
    app.select_object(hall)
    assert app.drill.open_building(hall)
    spaces = rows(city, "spaces")
    listed = app.drill.space_ids()
    public = [i for i in listed if spaces.loc[i, "use"] == "public"]
    assert len(public) >= 2
    chosen = public[:2]
    others = [i for i in spaces.index if i not in chosen]

    choose_rooms(app, chosen)

    assert app.drill.space_list.selected_ids() == chosen
    assert app.selected_id == chosen[1]
    app.action_set.trigger("edit.change_use")
    dialog = app.edit_tools.dialog
    assert isinstance(dialog, SpaceUseDialog) and dialog.space_ids == tuple(chosen)
    dialog.set_use("retail")
    dialog.long_name.setText("Café associatif")
    ok(dialog)

    after = rows(app.shown_city(), "spaces")
    assert after.loc[chosen, "use"].tolist() == ["retail", "retail"]
    assert after.loc[chosen, "long_name"].tolist() == ["Café associatif"] * 2
    assert after.loc[others, "use"].tolist() == spaces.loc[others, "use"].tolist()
    assert rows(app.document.city, "spaces").loc[chosen, "use"].tolist() == ["public"] * 2
    mix = rows(app.shown_city(), "buildings").loc[hall, "use_mix"]
    assert '"retail"' in mix  # the town hall's mix follows its rooms
    assert app.scenarios.marks().changed == {hall}


def test_floors_added_to_a_selected_building_raise_it(app: Any) -> None:
    city = new_scenario(app)
    buildings = rows(city, "buildings")
    target = str(buildings.index[buildings["source"] != "ifc"][0])
    app.select_object(target)

    app.action_set.trigger("edit.add_floors")
    dialog = app.edit_tools.dialog
    assert isinstance(dialog, FloorsDialog)
    dialog.floors.setValue(2)
    ok(dialog)

    after = rows(app.shown_city(), "buildings").loc[target]
    assert after["floors"] == buildings.loc[target, "floors"] + 2
    assert after["height_m"] > buildings.loc[target, "height_m"]
    assert app.scenarios.marks().changed == {target}


def test_a_stop_goes_where_the_ground_is_clicked(app: Any, qtbot: Any) -> None:
    city = new_scenario(app)
    stops_before = len(city.layer("transit_stops"))
    pixel, point = ground_pixel(app)

    app.action_set.trigger("edit.add_stop")
    assert app.edit_tools.clicker.active
    assert "arrêt" in app.statusBar().currentMessage()
    QTest.mouseClick(app.view.plotter, Qt.MouseButton.LeftButton, pos=pixel)
    qtbot.waitUntil(lambda: app.edit_tools.dialog is not None)
    dialog = app.edit_tools.dialog
    dialog.name.setText("Place du Marché")
    dialog.departures.setValue(6.0)
    ok(dialog)

    stops = app.shown_city().layer("transit_stops")
    assert len(stops) == stops_before + 1
    stop = stops.iloc[-1]
    assert stop["name"] == "Place du Marché" and stop["departures_peak_per_h"] == 6.0
    assert stop.geometry.distance(shapely.Point(point[0], point[1])) < 0.01
    assert app.selected_id is None  # the click placed the stop, it picked nothing


def test_a_sensor_goes_where_the_ground_is_clicked(app: Any, qtbot: Any) -> None:
    city = new_scenario(app)
    assets_before = len(city.layer("digital_assets"))
    pixel, point = ground_pixel(app)

    app.action_set.trigger("edit.add_digital")
    dialog = app.edit_tools.dialog
    assert isinstance(dialog, DigitalDialog)
    dialog.set_kind("sensor")
    dialog.count.setValue(3)
    ok(dialog)
    assert app.edit_tools.clicker.active and app.edit_tools.clicker.mode == "point"
    QTest.mouseClick(app.view.plotter, Qt.MouseButton.LeftButton, pos=pixel)

    assets = app.shown_city().layer("digital_assets")
    assert len(assets) == assets_before + 1
    asset = assets.iloc[-1]
    assert (asset["kind"], asset["status"], asset["count"]) == ("sensor", "planned", 3)
    assert asset.geometry.distance(shapely.Point(point[0], point[1])) < 0.01


def test_a_drawn_footprint_is_previewed_then_built(app: Any, qtbot: Any) -> None:
    city = new_scenario(app)
    demolish_parcel(app)
    app.view.view_top()
    settle(app)
    centre = rows(city, "parcels").loc[PARCEL, "geometry"].centroid
    ground_z = float(np.nanmin(city.rasters["terrain"].sample([centre.x], [centre.y])))
    corners = [(-6, -5), (6, -5), (6, 5), (-6, 5)]
    pixels = [screen_position(app, (centre.x + dx, centre.y + dy, ground_z)) for dx, dy in corners]

    app.action_set.trigger("edit.draw_footprint")
    clicker = app.edit_tools.clicker
    for pixel in pixels:
        QTest.mouseClick(app.view.plotter, Qt.MouseButton.LeftButton, pos=pixel)
    assert len(clicker.points) == 4 and clicker.preview_shown()
    QTest.keyClick(app.view.plotter, Qt.Key.Key_Return)

    assert not clicker.active and not clicker.preview_shown()
    dialog = app.edit_tools.dialog
    assert isinstance(dialog, BuildingDialog) and dialog.parcel_id == ""
    assert dialog.shape.area == pytest.approx(120.0, rel=0.1)  # 12 m × 10 m, as drawn
    dialog.floors.setValue(2)
    ok(dialog)
    added = app.shown_city().layer("buildings").iloc[-1]
    assert added["floor_area_m2"] == pytest.approx(added.geometry.area * 2)
    assert added.geometry.centroid.distance(centre) < 1.0

    app.action_set.trigger("edit.draw_footprint")  # Esc cancels, nothing added
    QTest.mouseClick(app.view.plotter, Qt.MouseButton.LeftButton, pos=pixels[0])
    QTest.keyClick(app.view.plotter, Qt.Key.Key_Escape)
    assert not clicker.active and app.edit_tools.dialog is dialog
    assert app.statusBar().currentMessage() == "Outil annulé"


def test_a_district_is_retrofitted_housing_only(app: Any) -> None:
    city = new_scenario(app)
    app.select_object(CENTRE_DISTRICT)

    app.action_set.trigger("edit.retrofit")
    dialog = app.edit_tools.dialog
    assert isinstance(dialog, RetrofitDialog) and dialog.within_id == CENTRE_DISTRICT
    dialog.target.setCurrentText("B")
    ok(dialog)

    buildings = rows(app.shown_city(), "buildings")
    inside = city.hierarchy.descendants_at(CENTRE_DISTRICT, Level.BUILDING)
    targeted = buildings.loc[inside]
    housing = targeted["use"] == "residential"
    assert housing.any() and (targeted.loc[housing, "retrofit_target"] == "B").all()
    assert targeted.loc[~housing, "retrofit_target"].isna().all()


def test_refused_inputs_are_one_line_in_the_dialog_and_change_nothing(app: Any) -> None:
    city = new_scenario(app)
    frames = {name: city.layer(name) for name in city.layer_names}
    app.select_object(PARCEL)
    app.action_set.trigger("edit.add_building")
    dialog = app.edit_tools.dialog

    dialog.mix.set_shares({"residential": 70.0, "retail": 20.0})  # 90 %
    ok(dialog)

    assert dialog.isVisible() and "90" in dialog.error_text and "100" in dialog.error_text
    assert "\n" not in dialog.error_text and dialog.mix.total.text() == "Total : 90 %"
    assert all(city.layer(name) is frame for name, frame in frames.items())

    dialog.mix.set_shares({"residential": 100.0})
    dialog.setback.setValue(0.0)  # the parcel's own buildings are still there
    ok(dialog)

    assert dialog.isVisible() and "chevauche le bâtiment" in dialog.error_text
    assert dialog.error_text.startswith("Opération impossible")
    assert all(city.layer(name) is frame for name, frame in frames.items())
    assert app.document.city.scenarios[SCENARIO]["edits"] == []
    dialog.reject()

    app.select_object(None)
    app.action_set.trigger("edit.demolish")  # nothing selected: one line in the status bar
    assert app.statusBar().currentMessage().startswith("Sélectionnez d'abord")
    assert app.document.city.scenarios[SCENARIO]["edits"] == []


def test_a_whole_session_undoes_and_redoes_exactly_with_ctrl_z_and_ctrl_y(
    app: Any, qtbot: Any, screenshots_dir: Path
) -> None:
    city = new_scenario(app)
    before = {name: city.layer(name) for name in city.layer_names}
    demolish_parcel(app)
    new_id = build_on_parcel(app, floors=5)
    hall = town_hall(city)
    app.select_object(hall)
    assert app.drill.open_building(hall)
    rooms = app.drill.space_ids()[:2]
    choose_rooms(app, rooms)
    app.action_set.trigger("edit.change_use")
    app.edit_tools.dialog.set_use("office")
    ok(app.edit_tools.dialog)
    app.drill.leave()
    raised = str(rows(city, "buildings").query("source != 'ifc'").index[5])
    app.select_object(raised)
    app.action_set.trigger("edit.add_floors")
    ok(app.edit_tools.dialog)
    pixel, _point = ground_pixel(app)
    app.action_set.trigger("edit.add_stop")
    QTest.mouseClick(app.view.plotter, Qt.MouseButton.LeftButton, pos=pixel)
    qtbot.waitUntil(lambda: isinstance(app.edit_tools.dialog, StopDialog))
    ok(app.edit_tools.dialog)
    stored = app.document.city.scenarios[SCENARIO]["edits"]
    kinds = ["demolish", "add_building", "change_space_use", "add_floors", "add_transit_stop"]
    assert [edit["kind"] for edit in stored] == kinds
    after = {name: city.layer(name) for name in city.layer_names}
    settle(app)
    marks = app.scenarios.marks()
    assert new_id in marks.new and {hall, raised} <= marks.changed

    app.select_object(None)  # the raised building shows its mark, not the selection's cyan
    app.view.reset_view()
    settle(app)
    qtbot.wait(100)
    app.view.render_now()
    path = screenshots_dir / "edit_tools.png"
    assert app.grab().save(str(path))

    app.activateWindow()  # window shortcuts need the active window
    qtbot.waitUntil(app.isActiveWindow)
    app.view.plotter.setFocus()
    for _ in kinds:
        QTest.keyClick(app.view.plotter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert app.view.wait_for_scene()
    assert city.layer_names == list(before)
    assert all(city.layer(name) is frame for name, frame in before.items())
    assert app.document.city.scenarios[SCENARIO]["edits"] == []
    assert not app.scenarios.marks().any

    for _ in kinds:
        QTest.keyClick(app.view.plotter, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert city.layer_names == list(after)
    for name, frame in after.items():
        pd.testing.assert_frame_equal(city.layer(name), frame)
    assert app.document.city.scenarios[SCENARIO]["edits"] == stored
    settle(app)
    assert new_id in app.view.layers["buildings"].object_ids.astype(str)
