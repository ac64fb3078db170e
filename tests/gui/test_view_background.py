"""The 3D view on a town of a few thousand buildings: edits rebuilt in a worker thread, newer
edits superseding older builds, failures as messages, coarse detail while the camera moves, and
picks by ray casting."""

from __future__ import annotations

import threading
import time
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from vtkmodules.vtkRenderingCore import vtkCellPicker

import gui.scene_worker
from gui.main_window import MainWindow
from gui.scene_lod import BOX_FACES
from gui.view_lod import WHEEL_REST_MS
from tests.gui.conftest import synthetic_window

N_BUILDINGS = 4_000
BUILD_TIMEOUT_MS = 30_000


@pytest.fixture
def town_window(qtbot: Any, settings: Any) -> MainWindow:
    """A main window on a synthetic town of 4 000 buildings and their parcels (not saved)."""
    return synthetic_window(qtbot, settings, N_BUILDINGS)


def roof_m(window: MainWindow, building: str) -> float:
    """Altitude of a building's highest drawn vertex (project CRS)."""
    store = window.view.layers["buildings"].store
    return float(store.mesh_of(building)[0][:, 2].max()) + window.view._origin[2]


def base_m(window: MainWindow, building: str) -> float:
    buildings = window.document.city.layer("buildings").set_index("id")
    return float(buildings.loc[building, "base_elevation_m"])


class Ticks:
    """A 10 ms timer: its ticks show the event loop ran; long gaps, that it was blocked."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def __enter__(self) -> Ticks:
        self.times.append(time.perf_counter())
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()
        self.times.append(time.perf_counter())

    def worst_ms(self) -> float:
        return 1000 * max(b - a for a, b in pairwise(self.times))


def test_a_height_edit_is_extruded_in_the_worker_and_shown_without_blocking(
    town_window: MainWindow, qtbot: Any, capsys: Any
) -> None:
    view, city = town_window.view, town_window.document.city
    before = view.layers["buildings"]
    edited = ["SYN0000012", "SYN0002500"]
    with Ticks() as ticks:
        start = time.perf_counter()
        city.update_values("buildings", edited, {"height_m": [27.5, 3.5]})
        edit_ms = 1000 * (time.perf_counter() - start)
        assert view.layers["buildings"] is before  # nothing rebuilt on the GUI thread
        assert view.scene_busy()
        with qtbot.waitSignal(view.layer_rebuilt, timeout=BUILD_TIMEOUT_MS):
            pass
    with capsys.disabled():
        print(
            f"\n{N_BUILDINGS} buildings, 2 heights edited: {edit_ms:.0f} ms in the edit, "
            f"event-loop max gap until shown {ticks.worst_ms():.0f} ms"
        )
    assert roof_m(town_window, "SYN0000012") == pytest.approx(
        base_m(town_window, "SYN0000012") + 27.5, abs=1e-3
    )
    assert roof_m(town_window, "SYN0002500") == pytest.approx(
        base_m(town_window, "SYN0002500") + 3.5, abs=1e-3
    )
    after = view.layers["buildings"]
    assert after.store.faces is before.store.faces  # only the two buildings were extruded
    assert ticks.worst_ms() < 1000


def test_a_whole_rebuild_runs_in_the_worker_while_the_event_loop_keeps_ticking(
    town_window: MainWindow, qtbot: Any, capsys: Any
) -> None:
    view, city = town_window.view, town_window.document.city
    with Ticks() as ticks:
        city.drop_rows("buildings", ["SYN0000100"])  # rows change: the layer is built anew
        started = time.perf_counter()
        with qtbot.waitSignal(view.layer_rebuilt, timeout=BUILD_TIMEOUT_MS):
            pass
        built_s = time.perf_counter() - started
    during = [t for t in ticks.times if started < t < started + built_s]
    with capsys.disabled():
        print(
            f"\n{N_BUILDINGS} buildings rebuilt in {1000 * built_s:.0f} ms: {len(during)} "
            f"event-loop ticks meanwhile, max gap {ticks.worst_ms():.0f} ms"
        )
    assert "SYN0000100" not in view.layers["buildings"].object_ids
    assert len(view.layers["buildings"].object_ids) == N_BUILDINGS - 1
    assert len(during) >= 3  # the loop ran while the worker built (a GUI-thread build: none)


def test_a_newer_edit_supersedes_the_build_in_flight(
    town_window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, city = town_window.view, town_window.document.city
    gate = threading.Event()
    real_build = gui.scene_worker.build_scene
    calls: list[int] = []

    def slow_first_build(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            gate.wait(10)  # the first build is still running when the second edit comes
        return real_build(*args, **kwargs)

    monkeypatch.setattr(gui.scene_worker, "build_scene", slow_first_build)
    shown: list[Any] = []
    view._builder.built.connect(shown.append)
    city.update_values("buildings", ["SYN0000001"], {"height_m": 11.0})
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=BUILD_TIMEOUT_MS)
    city.update_values("buildings", ["SYN0000002"], {"height_m": 22.0})
    gate.set()
    qtbot.waitUntil(lambda: not view.scene_busy(), timeout=BUILD_TIMEOUT_MS)

    assert view._builder.superseded == 1
    assert len(calls) == 2
    assert len(shown) == 1 and shown[0].generation == 2  # the first result was discarded
    assert shown[0].plan["buildings"] == {"SYN0000001", "SYN0000002"}
    assert roof_m(town_window, "SYN0000001") == pytest.approx(
        base_m(town_window, "SYN0000001") + 11.0, abs=1e-3
    )
    assert roof_m(town_window, "SYN0000002") == pytest.approx(
        base_m(town_window, "SYN0000002") + 22.0, abs=1e-3
    )


def test_a_failed_build_becomes_a_status_message(
    town_window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(gui.scene_worker, "build_scene", broken)
    before = town_window.view.layers["buildings"]
    with qtbot.waitSignal(town_window.view.message, timeout=BUILD_TIMEOUT_MS) as message:
        town_window.document.city.update_values("buildings", ["SYN0000003"], {"height_m": 9.0})
    assert "disk on fire" in message.args[0]
    assert "La vue 3D n'a pas pu être mise à jour" in town_window.statusBar().currentMessage()
    assert town_window.view.layers["buildings"] is before
    assert not town_window.view.scene_busy()


def test_edits_of_columns_the_view_does_not_draw_rebuild_nothing(town_window: MainWindow) -> None:
    before = town_window.view.layers["buildings"]
    town_window.document.city.update_values("buildings", ["SYN0000004"], {"floors": 7})
    assert not town_window.view.scene_busy()
    assert town_window.view.layers["buildings"] is before


def test_coarse_boxes_are_drawn_while_the_camera_moves_and_full_detail_at_rest(
    town_window: MainWindow,
) -> None:
    view = town_window.view
    style = view.plotter.iren.interactor.GetInteractorStyle()
    buildings, parcels = view._actors["buildings"], view._actors["parcels"]
    n_objects = len(view.layers["buildings"].object_ids)

    full_cells = view.layers["buildings"].mesh.n_cells
    style.InvokeEvent("StartInteractionEvent")  # 4 000 buildings: below the threshold
    assert not view.lod.coarse
    assert buildings.GetMapper().GetInput().GetNumberOfCells() == full_cells
    style.InvokeEvent("EndInteractionEvent")

    view.lod.min_cells = 1  # as if the town were big
    style.InvokeEvent("StartInteractionEvent")
    assert view.lod.coarse
    assert buildings.GetMapper().GetInput().GetNumberOfCells() == BOX_FACES * n_objects
    assert not parcels.GetVisibility()
    assert view.is_layer_visible("parcels")  # still the user's choice
    view.render_now()
    style.InvokeEvent("EndInteractionEvent")
    assert not view.lod.coarse
    assert buildings.GetMapper().GetInput().GetNumberOfCells() == full_cells
    assert parcels.GetVisibility()


def test_after_a_wheel_turn_full_detail_comes_back_once_the_wheel_rests(
    town_window: MainWindow, qtbot: Any
) -> None:
    view = town_window.view
    view.lod.min_cells = 1
    style = view.plotter.iren.interactor.GetInteractorStyle()
    view.lod.wheel_turned()
    style.InvokeEvent("StartInteractionEvent")
    style.InvokeEvent("EndInteractionEvent")
    assert view.lod.coarse  # a quick zoom stays coarse...
    qtbot.waitUntil(lambda: not view.lod.coarse, timeout=4 * WHEEL_REST_MS)
    drawn = view._actors["buildings"].GetMapper().GetInput()
    assert drawn.GetNumberOfCells() == view.layers["buildings"].mesh.n_cells


def test_a_click_on_empty_ground_picks_nothing_quickly(
    town_window: MainWindow, qtbot: Any, capsys: Any
) -> None:
    town_window.show()
    qtbot.waitExposed(town_window)
    view = town_window.view
    corner = view.layers["buildings"].pick_boxes[:, :3].min(axis=0) + view._origin
    away = corner - np.array([300.0, 300.0, 0.0])
    view.look_at(away + np.array([0.0, -1.0, 200.0]), away, (0.0, 1.0, 0.0))
    view.render_now()
    centre = (view.plotter.width() // 2, view.plotter.height() // 2)
    start = time.perf_counter()
    assert view.pick_at(*centre) is None
    with capsys.disabled():
        print(
            f"\nclick on empty ground among {N_BUILDINGS} buildings: "
            f"{1000 * (time.perf_counter() - start):.1f} ms"
        )
    assert town_window.selected_id is None


def test_the_ray_cast_picks_what_vtk_s_cell_picker_picks(
    town_window: MainWindow, qtbot: Any
) -> None:
    town_window.show()
    qtbot.waitExposed(town_window)
    view = town_window.view
    view.render_now()
    picker = vtkCellPicker()
    picker.SetTolerance(0.0)
    width, height = view.plotter.width(), view.plotter.height()
    compared = 0
    for x in np.linspace(0.2 * width, 0.8 * width, 7).astype(int):
        for y in np.linspace(0.3 * height, 0.8 * height, 5).astype(int):
            display_x, display_y = view._display_xy(int(x), int(y))
            vtk_hit = None  # VTK's picker sees pickable actors only: here the buildings
            if picker.Pick(display_x, display_y, 0, view.plotter.renderer):
                layer = view.layers["buildings"]
                cell = picker.GetCellId()
                vtk_hit = str(layer.object_ids[layer.mesh.cell_data["object_index"][cell]])
            ours = view.object_at(int(x), int(y))
            assert (ours[1] if ours else None) == vtk_hit, (x, y)
            compared += 1
    assert compared >= 20
