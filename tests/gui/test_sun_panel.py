"""The sun panel on the sample town: the light comes from pvlib's sun at the chosen date and
time, the time slider spans the day's daylight, shadows darken the ground on the side away from
the sun, and the winter-solstice study of "Densifier le centre" colours the neighbours that lose
sun with the numbers of the scenarios' sunlight functions; screenshots of a shadow study."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from PySide6.QtGui import QAction, QKeySequence
from vtkmodules.vtkRenderingCore import vtkCoordinate

from gui.i18n import translator
from gui.sun_clock import direction_angles, local_time
from gui.sun_scene import GROUND_HOURS, SHADOWS
from gui.sun_study import (
    GROUND_RADIUS_M,
    GROUND_STEP_M,
    PROJECT_COLOUR,
    lost_class,
    lost_colour_table,
)
from scenarios.scenario import BASELINE
from scenarios.shadow_map import Obstacles, shaded_points
from scenarios.sun import city_lat_lon, day_positions, sun_positions
from scenarios.sun_loss import changed_buildings, sun_hours_lost
from scenarios.sunlight_hours import facade_sun_hours, ground_sun_hours

DENSIFY = "Densifier le centre"
WINTER = dt.date(2025, 12, 21)
WAIT_MS = 180_000


@pytest.fixture
def app(shown: Any) -> Any:
    """The window on screen (errors fail the test), the view built."""
    assert shown.view.wait_for_scene(WAIT_MS)
    yield shown
    translator().set_language("fr")


def show_scenario(window: Any, name: str) -> None:
    assert window.scenarios.show(name)
    assert window.view.wait_for_scene(WAIT_MS)


def sun_on(window: Any, day: dt.date, minutes: int) -> None:
    window.action_set.trigger("sun.toggle")
    window.sun.set_time(day, minutes)
    assert window.sun.wait_for_shadows(WAIT_MS)


def pvlib_sun(window: Any, when: dt.datetime) -> tuple[float, float]:
    latitude, longitude = city_lat_lon(window.document.city)
    sun = sun_positions(latitude, longitude, pd.DatetimeIndex([pd.Timestamp(when)]), np.ones(1))
    return float(sun.azimuth_deg[0]), float(sun.elevation_deg[0])


def test_the_sun_is_off_by_default_and_reachable_from_the_view_menu_with_free_shortcuts(
    window: Any,
) -> None:
    toggle = window.action_set["sun.toggle"]
    study = window.action_set["sun.study"]
    assert not window.sun.enabled and not toggle.isChecked()
    assert window.sun.scene.light_direction() is None  # the view keeps its light kit
    assert toggle.text() == "&Soleil et ombres" and toggle.isCheckable()
    assert {toggle, study} <= set(window.menus["menu.view"].actions())
    assert toggle in window.toolbar.actions()
    assert toggle.shortcut().toString() == "Ctrl+Shift+O"
    assert study.shortcut().toString() == "Ctrl+Shift+H"
    mine = {"sun.toggle", "sun.study", "file.export_study"}
    others = [
        key.toString()
        for action in window.findChildren(QAction)
        if action.objectName() not in mine
        for key in action.shortcuts()
    ]
    for action_id in mine:
        key = window.action_set[action_id].shortcut()
        assert key != QKeySequence() and key.toString() not in others, action_id
    assert window.docks["sun.dock"].isHidden()


@pytest.mark.parametrize(
    ("day", "minutes"), [(WINTER, 10 * 60), (dt.date(2025, 6, 21), 14 * 60 + 30)]
)
def test_the_light_comes_from_pvlibs_sun_position_at_the_chosen_local_time(
    app: Any, day: dt.date, minutes: int
) -> None:
    sun_on(app, day, minutes)
    assert not app.docks["sun.dock"].isHidden()
    azimuth, elevation = pvlib_sun(app, local_time(day, minutes))
    light_azimuth, light_elevation = direction_angles(app.sun.scene.light_direction())
    assert light_azimuth == pytest.approx(azimuth, abs=0.5)
    assert light_elevation == pytest.approx(elevation, abs=0.5)
    assert app.sun.scene.sun_light in list(app.view.plotter.renderer.lights)
    assert not app.sun.scene.sun_light.positional  # a directional light
    label = app.sun.panel.position_label.text()
    assert f"{azimuth:.1f}".replace(".", ",") in label and "hauteur" in label

    app.action_set.trigger("sun.toggle")  # off: the light kit and no shadows
    assert app.sun.scene.light_direction() is None and not app.sun.scene.has(SHADOWS)


def test_the_time_slider_runs_from_sunrise_to_sunset_and_quick_buttons_pick_the_days(
    app: Any,
) -> None:
    panel = app.sun.panel
    panel.quick_buttons["winter"].click()
    assert panel.day() == dt.date(panel.day().year, 12, 21)
    latitude, longitude = city_lat_lon(app.document.city)
    up = day_positions(latitude, longitude, panel.day(), 1.0).times.tz_convert("Europe/Paris")
    rise, sunset = up[0].hour * 60 + up[0].minute, up[-1].hour * 60 + up[-1].minute
    assert abs(panel.time_slider.minimum() - rise) <= 5
    assert abs(panel.time_slider.maximum() - sunset) <= 5
    panel.time_slider.setValue(12 * 60)
    assert app.sun.state.when.hour == 12 and panel.time_label.text() == "12:00"
    winter_noon = app.sun.state.elevation_deg
    panel.quick_buttons["summer"].click()
    assert panel.day().month == 6 and app.sun.state.elevation_deg > winter_noon + 30
    panel.quick_buttons["equinox"].click()
    assert (panel.day().month, panel.day().day) == (3, 20)
    assert winter_noon + 10 < app.sun.state.elevation_deg < winter_noon + 30


def shadow_probe(city: Any, azimuth: float, elevation: float) -> tuple[np.ndarray, str]:
    """A ground point beyond a tall building on the side away from the sun, that the project's
    shadow map says is shaded (and the building's id)."""
    buildings = city.layer("buildings").sort_values("height_m", ascending=False)
    origin = np.asarray(city.ensure_origin())
    obstacles = Obstacles.from_buildings(city.layer("buildings"), tuple(origin[:2]))
    away = -np.array([math.sin(math.radians(azimuth)), math.cos(math.radians(azimuth))])
    footprints = city.layer("buildings").geometry.to_numpy()
    for _, row in buildings.head(20).iterrows():
        centre = np.array(row.geometry.centroid.coords[0])
        reach = row["height_m"] / math.tan(math.radians(elevation))
        radius = math.sqrt(row.geometry.area) / 2 + 3.0
        xy = centre + away * min(radius + 0.3 * reach, radius + 12.0)
        if shapely.intersects(footprints, shapely.Point(xy).buffer(2.0)).any():
            continue
        z = city.rasters["terrain"].sample(np.array([xy[0]]), np.array([xy[1]]))[0]
        local = np.array([[xy[0] - origin[0], xy[1] - origin[1], z]])
        if shaded_points(local, azimuth, elevation, obstacles, cell_m=1.0)[0]:
            return np.array([xy[0], xy[1], z]), str(row["id"])
    raise AssertionError("no tall building with free ground behind it")


def brightness(view: Any, point: np.ndarray, origin: np.ndarray) -> float:
    """Mean brightness of the 5 x 5 pixels where a project-CRS point is drawn."""
    view.render_now()
    image = np.asarray(view.plotter.screenshot(return_img=True), dtype=float)[..., :3]
    coordinate = vtkCoordinate()
    coordinate.SetCoordinateSystemToWorld()
    coordinate.SetValue(*(point - origin))  # the scene is relative to the City's origin
    x, y = coordinate.GetComputedDoubleDisplayValue(view.plotter.renderer)
    row, column = image.shape[0] - 1 - round(y), round(x)
    assert 2 <= row < image.shape[0] - 2 and 2 <= column < image.shape[1] - 2
    return float(image[row - 2 : row + 3, column - 2 : column + 3].mean())


def test_shadows_at_the_winter_solstice_at_ten_darken_the_ground_north_west_of_tall_buildings(
    app: Any, qtbot: Any, screenshots_dir: Path
) -> None:
    sun_on(app, WINTER, 10 * 60)
    state = app.sun.state
    assert 120 < state.azimuth_deg < 160  # south-east: shadows fall to the north-west
    city = app.shown_city()
    probe, building = shadow_probe(city, state.azimuth_deg, state.elevation_deg)
    overlay = app.sun.overlay
    origin = np.asarray(city.ensure_origin())
    corners = overlay.points[overlay.quads].astype(float)  # (m, 4, 3), local
    low, high = corners.min(axis=1), corners.max(axis=1)
    local = probe - origin
    covered = (
        (low[:, 0] <= local[0])
        & (local[0] <= high[:, 0])
        & (low[:, 1] <= local[1])
        & (local[1] <= high[:, 1])
    )
    assert covered.any(), f"the ground north-west of {building} is not drawn in shadow"
    assert np.all(np.abs(high[covered, 2] - local[2]) < 3.0)  # draped on the ground

    top = probe + np.array([0.0, 0.0, 350.0])
    app.view.look_at(top, probe, up=(0.0, 1.0, 0.0))
    shaded = brightness(app.view, probe, origin)
    app.sun.scene.actor(SHADOWS).SetVisibility(False)
    lit = brightness(app.view, probe, origin)
    app.sun.scene.actor(SHADOWS).SetVisibility(True)
    print(f"\nground brightness NW of {building}: {lit:.0f} lit, {shaded:.0f} in shadow")
    assert shaded < 0.8 * lit
    app.view.look_at(probe + np.array([120.0, -260.0, 230.0]), probe)
    qtbot.wait(300)
    app.view.render_now()
    assert app.grab().save(str(screenshots_dir / "sun-shadows-21-december-10h.png"))


def test_the_solstice_study_of_densifier_le_centre_colours_the_neighbours_that_lose_sun(
    app: Any, qtbot: Any, screenshots_dir: Path
) -> None:
    show_scenario(app, DENSIFY)
    sun_on(app, WINTER, 10 * 60)
    app.action_set.trigger("sun.study")
    assert app.sun.study.running
    assert app.sun.study.wait(WAIT_MS)
    study = app.sun.study.result
    assert study is not None and study.project.source == "scenario"

    city, baseline = app.shown_city(), app.document.city
    assert sorted(study.project.ids) == sorted(changed_buildings(city, baseline))
    expected = sun_hours_lost(city, baseline=baseline)
    pd.testing.assert_frame_equal(study.neighbours, expected.buildings)
    standing = [i for i in study.project.ids if i in set(city.layer("buildings")["id"])]
    ground = ground_sun_hours(city, standing, radius_m=GROUND_RADIUS_M, step_m=GROUND_STEP_M)
    np.testing.assert_array_equal(study.ground["sun_hours"], ground["sun_hours"])
    facades = facade_sun_hours(city, standing)
    np.testing.assert_array_equal(study.facades["sun_hours"], facades["sun_hours"])

    affected = expected.buildings[expected.buildings["max_lost_hours"] > 0]
    assert len(affected) > 0
    figures = study.figures()
    assert figures["affected"] == len(affected)
    assert figures["max_lost_hours"] == expected.buildings["max_lost_hours"].max()
    summary = app.sun.panel.summary.text()
    assert f"; {len(affected)} perdent du soleil" in summary
    assert f"{figures['max_lost_hours']:.1f} h".replace(".", ",") in summary

    layer = app.view.layers["buildings"]
    table = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in lost_colour_table()])
    position = pd.Index(layer.object_ids).get_indexer(affected.index)
    drawn = layer.base_rgb[position[position >= 0]]
    classes = lost_class(affected["max_lost_hours"].to_numpy())[position >= 0]
    np.testing.assert_array_equal(drawn, table[classes + 1])
    project = np.isin(layer.object_ids, list(study.project.ids))
    assert "NEW-1" in study.project.ids and project.sum() == len(standing)
    purple = [int(PROJECT_COLOUR[i : i + 2], 16) for i in (1, 3, 5)]
    assert (layer.base_rgb[project] == purple).all()
    entries = app.sun.panel.lost_legend.colouring.entries
    labels = [entry.label for entry in entries]
    assert labels[0] == "aucune perte" and labels[-1] == "bâtiments du projet"
    assert sum(entry.n_buildings for entry in entries[1:-1]) == len(affected)
    assert app.sun.scene.has(GROUND_HOURS)

    worst = affected["max_lost_hours"].idxmax()
    centre = np.array(
        city.layer("buildings").set_index("id").loc[worst].geometry.centroid.coords[0]
    )
    z = float(city.rasters["terrain"].sample(centre[:1], centre[1:])[0])
    target = np.array([centre[0], centre[1], z])
    app.view.look_at(target + np.array([90.0, -230.0, 200.0]), target)
    qtbot.wait(300)  # the legends' rows are shown by queued events
    app.view.render_now()
    assert app.grab().save(str(screenshots_dir / "sun-study-densifier-le-centre.png"))

    show_scenario(app, BASELINE)  # the study was of the scenario: taken off the view
    assert app.sun.study.result is None and not app.sun.scene.has(GROUND_HOURS)
    assert "relancez" in app.sun.panel.summary.text()


def test_the_study_of_a_selected_building_compares_with_the_town_without_it(app: Any) -> None:
    city = app.document.city
    tallest = str(city.layer("buildings").sort_values("height_m").iloc[-1]["id"])
    app.select_object(tallest)
    assert app.sun.study.run()
    assert app.sun.study.wait(WAIT_MS)
    study = app.sun.study.result
    assert study.project.ids == (tallest,) and study.project.source == "selection"
    pd.testing.assert_frame_equal(study.neighbours, sun_hours_lost(city, [tallest]).buildings)
    assert "de la sélection" in app.sun.panel.project_label.text()
    app.sun.panel.clear_button.click()
    assert app.sun.study.result is None and app.sun.panel.lost_legend.isHidden()


def test_without_a_project_the_study_says_what_to_do_and_cancel_stops_it(app: Any) -> None:
    app.select_object(None)
    assert not app.sun.study.run()
    assert "sélectionnez un bâtiment" in app.sun.panel.summary.text()

    show_scenario(app, DENSIFY)
    assert app.sun.study.run()
    app.sun.panel.cancel_button.click()
    assert app.sun.study.wait(WAIT_MS)
    assert app.sun.study.result is None
    assert app.sun.panel.summary.text() == "Étude d'ensoleillement annulée"
    assert app.action_set["sun.study"].isEnabled()


def test_the_panel_speaks_english(app: Any) -> None:
    sun_on(app, WINTER, 12 * 60)
    translator().set_language("en")
    panel = app.sun.panel
    assert panel.toggle.text() == "Show the sun and shadows"
    assert panel.quick_buttons["winter"].text() == "21 December"
    assert panel.position_label.text().startswith("Azimuth ")
    assert app.docks["sun.dock"].windowTitle() == "Sun"
    assert app.action_set["sun.toggle"].text() == "&Sun and shadows"
