"""The 3D view: one merged mesh per layer, real picking, camera views, layers panel, cursor."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import pyvista as pv
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def screen_position(window: Any, local_xyz: np.ndarray) -> QPoint:
    """Widget pixel (top-left origin) where a scene point is drawn."""
    renderer = window.view.plotter.renderer
    renderer.SetWorldPoint(*local_xyz, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return QPoint(round(x), round(window.view.plotter.height() - 1 - y))


def test_buildings_are_one_mesh_coloured_by_use_with_one_actor_per_layer(window: Any) -> None:
    view = window.view
    city = window.document.city
    expected = {"terrain", "buildings", "ifc", "parcels", "roads", "communes"}
    expected |= {"transit_routes", "transit_stops"}  # the sample's bus network (GTFS)
    if "digital_assets" in city:
        expected |= {"fibre", "digital_points"}
    assert set(view.layers) == expected
    meshes = [a for a in view.plotter.renderer.actors.values() if isinstance(a, pv.Actor)]
    assert len(meshes) == len(view.layers)  # one actor per layer, never one per building
    layer = view.layers["buildings"]
    from_blocks = city.layer("buildings")["source"] != "ifc"  # the town hall is its IFC model
    assert list(layer.object_ids) == list(city.layer("buildings")["id"][from_blocks])
    assert layer.mesh.cell_data["rgb"].shape == (layer.mesh.n_cells, 3)
    residential = int(np.flatnonzero(city.layer("buildings")["use"] == "residential")[0])
    cell = int(np.flatnonzero(np.asarray(layer.mesh.cell_data["object_index"]) == residential)[0])
    assert tuple(layer.mesh.cell_data["rgb"][cell]) == (0xE8, 0xC0, 0x7D)


def test_clicking_a_roof_in_the_top_view_picks_that_building(shown: Any, qtbot: Any) -> None:
    view = shown.view
    view.view_top()
    view.render_now()
    layer = view.layers["buildings"]
    tallest = int(np.argmax(shown.document.city.layer("buildings")["height_m"]))
    expected = str(shown.document.city.layer("buildings")["id"].iloc[tallest])
    position = int(np.flatnonzero(layer.object_ids == expected)[0])
    cells = np.flatnonzero(np.asarray(layer.mesh.cell_data["object_index"]) == position)
    roof = layer.mesh.extract_cells(cells)
    top = roof.points[roof.points[:, 2] > roof.points[:, 2].max() - 0.01]
    point = screen_position(shown, top.mean(axis=0))
    QTest.mouseClick(view.plotter, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: shown.selected_id == expected, timeout=2000)
    assert shown.hierarchy.selected_id() == expected


def test_the_status_bar_shows_lambert_93_coordinates_under_the_cursor(
    shown: Any, qtbot: Any
) -> None:
    view = shown.view
    centre = QPoint(view.plotter.width() // 2, view.plotter.height() // 2)
    x, y, z = view.point_at(centre.x(), centre.y())
    minx, miny, maxx, maxy = shown.document.city.extent()
    assert minx <= x <= maxx and miny <= y <= maxy
    assert 300 < z < 700  # the sample town's ground and roofs, in metres NGF
    QTest.mouseMove(view.plotter, centre)
    qtbot.waitUntil(lambda: shown.status_xyz.text().startswith("X "), timeout=2000)
    assert shown.status_xyz.text().endswith(" m")
    assert "EPSG:2154" in shown.status_crs.text()


def test_the_layers_panel_hides_layers_and_sets_their_opacity(window: Any) -> None:
    panel = window.layers_panel
    panel.checkboxes["buildings"].setChecked(False)
    assert not window.view.is_layer_visible("buildings")
    panel.checkboxes["buildings"].setChecked(True)
    assert window.view.is_layer_visible("buildings")
    panel.sliders["terrain"].setValue(40)
    terrain = window.view._actors["terrain"]
    assert terrain.GetProperty().GetOpacity() == 0.4
    drawn = {name for name, box in panel.checkboxes.items() if box.isEnabled()}
    assert drawn == set(window.view.layers)  # rows of the layers the sample has are enabled
    assert panel.checkboxes["roads"].text() == "Voirie"


def test_camera_actions_look_down_north_up_and_from_each_side(window: Any) -> None:
    camera = window.view.plotter.camera
    window.action_set.trigger("view.top")
    assert camera.up == (0.0, 1.0, 0.0)
    assert camera.position[2] > camera.focal_point[2] + 100
    window.action_set.trigger("view.north")
    assert camera.position[1] > camera.focal_point[1]
    window.action_set.trigger("view.west")
    assert camera.position[0] < camera.focal_point[0]
    window.action_set.trigger("view.reset")
    assert camera.position[1] < camera.focal_point[1]  # the overview looks from the south


def test_render_requests_are_coalesced_into_one_render(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.wait(100)
    renders: list[int] = []
    monkeypatch.setattr(window.view.plotter, "render", lambda: renders.append(1))
    for name in ("terrain", "parcels", "roads"):
        window.view.set_layer_opacity(name, 0.5)
    window.select_object("12990")
    window.view.set_layer_visible("roads", False)
    qtbot.wait(200)
    assert renders == [1]


def test_object_colours_replace_the_use_colours_and_go_back(window: Any) -> None:
    view = window.view
    layer = view.layers["buildings"]
    own = layer.mesh.cell_data["rgb"].copy()
    red = np.tile(np.array([[200, 0, 0]], dtype=np.uint8), (len(layer.object_ids), 1))
    view.set_object_colours("buildings", red)
    assert (layer.mesh.cell_data["rgb"] == (200, 0, 0)).all()
    with pytest.raises(ValueError, match="must be"):
        view.set_object_colours("buildings", red[:1])
    view.set_object_colours("buildings", None)
    assert (layer.mesh.cell_data["rgb"] == own).all()


def test_a_cut_hides_what_lies_above_it_and_survives_a_rebuild(window: Any) -> None:
    view = window.view
    view.set_clip_height("ifc", 510.0)
    planes = view._actors["ifc"].GetMapper().GetClippingPlanes()
    assert planes.GetNumberOfItems() == 1
    assert planes.GetItem(0).GetOrigin()[2] == pytest.approx(510.0 - view._origin[2])
    assert planes.GetItem(0).GetNormal() == (0.0, 0.0, -1.0)
    view.rebuild(window.document.city, ["ifc"])
    assert view._actors["ifc"].GetMapper().GetClippingPlanes().GetNumberOfItems() == 1
    view.set_clip_height("ifc", None)
    assert view._actors["ifc"].GetMapper().GetClippingPlanes().GetNumberOfItems() == 0
    assert view.clip_height("ifc") is None


def test_labels_are_one_actor_per_set_and_can_be_removed(window: Any) -> None:
    view = window.view
    origin = np.asarray(view._origin)
    points = origin + np.array([[0.0, 0.0, 10.0], [5.0, 5.0, 10.0]])
    before = len(view.plotter.renderer.actors)
    view.set_labels("rooms", points, ["Séjour", "Cuisine"])
    assert view.label_keys() == ["rooms"]
    assert len(view.plotter.renderer.actors) == before + 1
    view.set_labels("rooms", None)
    assert view.label_keys() == []
    assert len(view.plotter.renderer.actors) == before


def test_transit_stops_are_drawn_as_points_just_above_the_ground(window: Any) -> None:
    city = window.document.city
    stops = window.view.layers["transit_stops"]
    assert stops.mesh.n_points == len(city.layer("transit_stops"))
    assert stops.point_size > 0 and stops.mesh.n_cells == stops.mesh.n_points  # vertices
    points = np.asarray(stops.mesh.points, dtype=float) + window.view._origin
    ground = city.rasters["terrain"].sample(points[:, 0], points[:, 1])
    assert np.allclose(points[:, 2] - ground, 3.0, atol=0.01)  # 3 m up, visible over roads
    routes = window.view.layers["transit_routes"]
    assert routes.line_width > 0 and routes.mesh.n_lines >= len(city.layer("transit_routes"))
