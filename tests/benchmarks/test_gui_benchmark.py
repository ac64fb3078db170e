"""Benchmark: the desktop app on a synthetic town of 100 000 buildings, their parcels and a DEM.

Figures (printed, never asserted): time to open the project and to the first frame, the
longest stall of the GUI thread meanwhile, frame time at rest and while orbiting (coarse level
of detail on and off), time for an edit of 10 buildings to show and the longest GUI-thread
stall meanwhile (the buildings coloured by use, then by height, then seen from close by: the
time the GUI thread spent colouring them, swapping the new meshes in and rendering is
printed too), the same figures for adding one building and for demolishing one (rows appended
to and dropped from the City), showing a scenario that raises 10 buildings and back (the
buildings that differ spliced in), picks on nothing and on a building, and the process's
peak memory.

The app runs in a fresh process (its VmHWM is then the app's alone) on the display pytest-xvfb
started. Run with::

    .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/test_gui_benchmark.py \\
        -p no:cacheprovider
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

N_BUILDINGS = 100_000
TERRAIN_PIXEL_M = 25.0


def write_project(path: Path, n_buildings: int) -> Path:
    """A project with ``n_buildings`` synthetic buildings, their parcels and a matching DEM."""
    from affine import Affine
    from pyproj import CRS

    from samples.synthetic import synthetic_buildings, synthetic_parcels
    from twin.city import City
    from twin.project import save_project
    from twin.raster import Raster

    city = City(name=f"synthetic {n_buildings}")
    city.set_layer("parcels", synthetic_parcels(n_buildings))
    city.set_layer("buildings", synthetic_buildings(n_buildings, seed=7))
    minx, miny, maxx, maxy = city.extent()  # type: ignore[misc]
    west, north = minx - 200.0, maxy + 200.0
    columns = int((maxx - west + 200.0) // TERRAIN_PIXEL_M)
    rows = int((north - miny + 200.0) // TERRAIN_PIXEL_M)
    east_m = west + TERRAIN_PIXEL_M * (np.arange(columns) + 0.5) - 650000.0
    north_m = north - TERRAIN_PIXEL_M * (np.arange(rows) + 0.5) - 6860000.0
    x, y = np.meshgrid(east_m, north_m)
    # The synthetic buildings' base elevation function, half a metre lower.
    ground = 35.0 + 12.0 * np.sin(x / 700.0) * np.cos(y / 900.0) + 0.002 * y - 0.5
    transform = Affine(TERRAIN_PIXEL_M, 0, west, 0, -TERRAIN_PIXEL_M, north)
    city.set_raster(Raster("terrain", ground.astype(np.float32), transform, CRS.from_epsg(2154)))
    return save_project(city, path)


@pytest.fixture
def x_display() -> str:
    """The X display pytest-xvfb started (skip without one, as the app's tests do)."""
    name = os.environ.get("DISPLAY", "")
    if not name:
        pytest.skip("no X display (install Xvfb so that pytest-xvfb can start one)")
    return name


@pytest.mark.benchmark
def test_gui_on_a_100k_building_town_figures(x_display: str, tmp_path: Path) -> None:
    start = time.perf_counter()
    project = write_project(tmp_path / "town.twin.gpkg", N_BUILDINGS)
    made_s = time.perf_counter() - start
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.test_gui_benchmark", str(project), str(tmp_path)],
        capture_output=True,
        text=True,
        # Settings, autosave and recovery files stay in tmp_path.
        env={**os.environ, "QT_QPA_PLATFORM": "xcb", "XDG_DATA_HOME": str(tmp_path)},
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["buildings_drawn"] == N_BUILDINGS
    assert figures["edit_shown"]  # the edited heights reached the mesh
    assert figures["add_edit_shown"] and figures["demolish_edit_shown"]
    assert figures["switch_edit_shown"] and figures["back_edit_shown"]
    assert figures["pick_building_id"] == figures["pick_building_expected"]
    assert figures["pick_nothing_id"] is None
    print(f"\n{N_BUILDINGS} synthetic buildings + parcels + DEM (project made in {made_s:.1f} s)")
    print(report(figures))


def report(f: dict[str, Any]) -> str:
    """The figures as lines of text."""
    ms = 1000.0
    lines = [
        f"  open (load + start of the view, GUI thread): {f['open_s']:.2f} s",
        f"  time to first frame: {f['first_frame_s']:.2f} s "
        f"(meshes built in the worker in {f['scene_build_s']:.2f} s; first render "
        f"{f['first_render_s'] * ms:.0f} ms)",
        "  longest GUI-thread stalls from open to first frame: "
        + ", ".join(f"{g * ms:.0f}" for g in f["open_gaps_s"])
        + f" ms (while the worker built: at most {f['open_worker_gap_s'] * ms:.0f} ms)",
        f"  cells drawn at rest: {f['cells']:,}; coarse level while moving: {f['coarse_cells']:,}",
        f"  frame at rest: median {f['rest_ms']:.0f} ms (CPU {f['rest_cpu_ms']:.0f} ms)",
        f"  frame while orbiting, coarse level on: median {f['orbit_lod_ms']:.0f} ms "
        f"(CPU {f['orbit_lod_cpu_ms']:.0f} ms); off: {f['orbit_full_ms']:.0f} ms "
        f"(CPU {f['orbit_full_cpu_ms']:.0f} ms); first frame back at rest "
        f"{f['back_to_rest_ms']:.0f} ms (CPU {f['back_to_rest_cpu_ms']:.0f} ms)",
        f"  edit of 10 buildings' heights: City.update_values {f['update_values_s'] * ms:.0f} ms,"
        f" shown after {f['edit_to_show_s']:.2f} s (worker {f['edit_build_s']:.2f} s); "
        f"longest GUI-thread stalls meanwhile: "
        + ", ".join(f"{g * ms:.0f}" for g in f["edit_gaps_s"])
        + f" ms (while the worker built: at most {f['edit_worker_gap_s'] * ms:.0f} ms); "
        f"colouring the buildings by use: "
        + ", ".join(f"{s * ms:.0f}" for s in f["edit_colour_s"])
        + " ms",
        "    on the GUI thread: swapping the new meshes in "
        + ", ".join(f"{s * ms:.0f}" for s in f["edit_swap_s"])
        + " ms; renders "
        + ", ".join(f"{s * ms:.0f}" for s in f["edit_render_s"])
        + " ms",
        *(
            f"  {what}: City.{call} {f[key + '_update_values_s'] * ms:.0f} ms, shown after "
            f"{f[key + '_edit_to_show_s']:.2f} s (worker {f[key + '_edit_build_s']:.2f} s); "
            "longest GUI-thread stalls meanwhile: "
            + ", ".join(f"{g * ms:.0f}" for g in f[key + "_edit_gaps_s"])
            + f" ms (while the worker built: at most {f[key + '_edit_worker_gap_s'] * ms:.0f} ms);"
            " colouring "
            + ", ".join(f"{s * ms:.0f}" for s in f[key + "_edit_colour_s"])
            + " ms; swapping "
            + ", ".join(f"{s * ms:.0f}" for s in f[key + "_edit_swap_s"])
            + " ms; renders "
            + ", ".join(f"{s * ms:.0f}" for s in f[key + "_edit_render_s"])
            + " ms"
            for what, call, key in (
                ("add one building", "append_rows", "add"),
                ("demolish one building", "drop_rows", "demolish"),
            )
        ),
        *(
            f"  {what}: shown after {f[key + '_edit_to_show_s']:.2f} s (worker "
            f"{f[key + '_edit_build_s']:.2f} s; on the GUI thread: showing it "
            f"{f[key + '_update_values_s'] * ms:.0f} ms, colouring "
            + ", ".join(f"{s * ms:.0f}" for s in f[key + "_edit_colour_s"])
            + " ms, swapping "
            + ", ".join(f"{s * ms:.0f}" for s in f[key + "_edit_swap_s"])
            + " ms); longest GUI-thread stalls: "
            + ", ".join(f"{g * ms:.0f}" for g in f[key + "_edit_gaps_s"])
            + " ms"
            for what, key in (
                ("switch to a scenario with 10 edited buildings", "switch"),
                ("back to the current situation", "back"),
            )
        ),
        f"  the same edit, buildings coloured by height: shown after "
        f"{f['height_edit_to_show_s']:.2f} s; longest GUI-thread stalls: "
        + ", ".join(f"{g * ms:.0f}" for g in f["height_edit_gaps_s"])
        + " ms; colouring them: "
        + ", ".join(f"{s * ms:.0f}" for s in f["height_edit_colour_s"])
        + " ms; swapping "
        + ", ".join(f"{s * ms:.0f}" for s in f["height_edit_swap_s"])
        + " ms; renders "
        + ", ".join(f"{s * ms:.0f}" for s in f["height_edit_render_s"])
        + " ms",
        f"  the same edit seen from close by (250 m away; frame at rest there: median "
        f"{f['close_rest_ms']:.0f} ms, CPU {f['close_rest_cpu_ms']:.0f} ms): shown after "
        f"{f['close_edit_to_show_s']:.2f} s; longest GUI-thread stalls: "
        + ", ".join(f"{g * ms:.0f}" for g in f["close_edit_gaps_s"])
        + " ms; colouring: "
        + ", ".join(f"{s * ms:.0f}" for s in f["close_edit_colour_s"])
        + " ms; swapping "
        + ", ".join(f"{s * ms:.0f}" for s in f["close_edit_swap_s"])
        + " ms; renders "
        + ", ".join(f"{s * ms:.0f}" for s in f["close_edit_render_s"])
        + " ms",
        f"  pick on nothing: {f['pick_nothing_ms']:.1f} ms (VTK cell picker "
        f"{f['vtk_pick_nothing_ms']:.0f} ms); on a building: {f['pick_building_ms']:.1f} ms "
        f"(VTK {f['vtk_pick_building_ms']:.0f} ms), the whole click with the window following "
        f"the selection {f['click_building_ms']:.0f} ms; at the overview's centre "
        f"{f['pick_overview_ms']:.1f} ms (VTK {f['vtk_pick_overview_ms']:.0f} ms)",
        f"  memory: peak {f['vm_hwm_mib']:.0f} MiB (VmHWM), {f['vm_rss_mib']:.0f} MiB at the end",
    ]
    return "\n".join(lines)


# -- the app, in its own process ------------------------------------------------------------------
def drive(project: Path, folder: Path) -> dict[str, Any]:
    """Open ``project`` in the main window and measure (see the module docstring)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from gui.app import application
    from gui.main_window import MainWindow

    app = application()
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("autosave/interval_min", 0)  # no autosave in the middle of the figures
    window = MainWindow(settings)
    window.show()
    ticks = Ticks()
    spin(lambda: window.isVisible() and window.view.plotter.isVisible(), 10.0)
    spin(lambda: False, 0.3)
    view = window.view
    figures: dict[str, Any] = {}

    builds = Builds(view)
    ticks.start()
    start = time.perf_counter()
    assert window.files.open(project, ask=False)
    figures["open_s"] = time.perf_counter() - start
    busy_since = time.perf_counter()
    spin(lambda: "buildings" in view.layers and not view.scene_busy(), 600.0)
    figures["scene_build_s"] = time.perf_counter() - busy_since
    render = time.perf_counter()
    view.render_now()
    figures["first_render_s"] = time.perf_counter() - render
    figures["first_frame_s"] = time.perf_counter() - start
    figures["open_gaps_s"] = ticks.stop()
    figures["open_worker_gap_s"] = ticks.worst_between(*builds.last_window())
    window.statusBar().clearMessage()
    spin(lambda: False, 0.5)
    figures["buildings_drawn"] = len(view.layers["buildings"].object_ids)

    lod = view.lod
    figures["cells"] = lod.scene_cells()
    figures["coarse_cells"] = coarse_cells(view)
    rest = frame_times(view, steps=9, azimuth=0.0)
    figures["rest_ms"], figures["rest_cpu_ms"] = rest
    figures.update(orbit(view, lod_on=True))
    full = orbit(view, lod_on=False)
    figures["orbit_full_ms"], figures["orbit_full_cpu_ms"] = (
        full["orbit_lod_ms"],
        full["orbit_lod_cpu_ms"],
    )
    lod.enabled = True

    figures.update(picks(view))
    figures.update(edit(window))
    figures.update({f"add_{key}": value for key, value in add_building(window).items()})
    figures.update({f"demolish_{key}": value for key, value in demolish(window).items()})
    figures.update(switch_scenario(window))
    assert window.layers_panel.set_colour_column("height_m")
    spin(lambda: False, 0.5)
    figures.update({f"height_{key}": value for key, value in edit(window).items()})
    look_close(view, window.document.city)
    figures["close_rest_ms"], figures["close_rest_cpu_ms"] = frame_times(view, 5, azimuth=0.0)
    figures.update({f"close_{key}": value for key, value in edit(window).items()})
    status = Path("/proc/self/status").read_text().splitlines()
    figures["vm_hwm_mib"] = _status_kib(status, "VmHWM") / 1024
    figures["vm_rss_mib"] = _status_kib(status, "VmRSS") / 1024
    window.files.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    window.close()
    app.processEvents()
    return figures


def look_close(view: Any, city: Any) -> None:
    """Look at the town's middle building from 250 m south, 200 m up (a street's view: most
    of the town out of sight)."""
    buildings = city.layer("buildings")
    middle = str(buildings["id"].iloc[len(buildings) // 2])
    centre = view.layers["buildings"].store.mesh_of(middle)[0].astype(np.float64).mean(axis=0)
    target = view._origin + centre
    view.look_at(target + np.array([0.0, -250.0, 200.0]), target)
    view.render_now()


def coarse_cells(view: Any) -> int:
    """Cells drawn while the camera moves (stand-ins, hidden layers left out)."""
    total = 0
    for name, layer in view.layers.items():
        if not view.is_layer_visible(name):
            continue
        tracked = view.lod._tracked.get(name)
        if tracked is not None and view.lod._hidden_when_moving(tracked):
            continue
        total += int((layer.coarse if layer.coarse is not None else layer.mesh).n_cells)
    return total


def frame_times(view: Any, steps: int, azimuth: float) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``steps`` renders turning by ``azimuth`` degrees."""
    camera = view.plotter.renderer.GetActiveCamera()
    walls, cpus = [], []
    for _ in range(steps):
        camera.Azimuth(azimuth)
        view.plotter.renderer.ResetCameraClippingRange()
        wall, cpu = time.perf_counter(), time.process_time()
        view.render_now()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return float(np.median(walls) * 1000), float(np.median(cpus) * 1000)


def orbit(view: Any, lod_on: bool) -> dict[str, float]:
    """Orbit as VTK's trackball does: start an interaction, turn and draw, end it."""
    view.lod.enabled = lod_on
    style = view.plotter.iren.interactor.GetInteractorStyle()
    style.InvokeEvent("StartInteractionEvent")
    coarse = view.lod.coarse
    wall, cpu = frame_times(view, steps=12, azimuth=3.0)
    style.InvokeEvent("EndInteractionEvent")
    back, back_cpu = time.perf_counter(), time.process_time()
    view.render_now()
    return {
        "orbit_lod_ms": wall,
        "orbit_lod_cpu_ms": cpu,
        "back_to_rest_ms": (time.perf_counter() - back) * 1000,
        "back_to_rest_cpu_ms": (time.process_time() - back_cpu) * 1000,
        "coarse_while_orbiting": coarse,
    }


def picks(view: Any) -> dict[str, Any]:
    """Rays cast under three pixels: the overview's centre, one building seen from close by,
    and ground away from the town (nothing to pick); then a click on that building (the ray,
    and the whole window following the selection). VTK's cell picker, for comparison."""
    from vtkmodules.vtkRenderingCore import vtkCellPicker

    figures: dict[str, Any] = {}
    width, height = view.plotter.width(), view.plotter.height()
    centre = (width // 2, height // 2)
    layer = view.layers["buildings"]
    target = str(layer.object_ids[len(layer.object_ids) // 2])
    vertices, _ = layer.store.mesh_of(target)
    roof = vertices.astype(np.float64).mean(axis=0)
    roof[2] = vertices[:, 2].max()
    origin = view._origin
    town_min = view.layers["buildings"].pick_boxes[:, :3].min(axis=0).astype(np.float64)
    away = town_min - np.array([150.0, 150.0, 0.0])  # south-west of the town, ground only
    places = {
        "overview": None,
        "building": (origin + roof + np.array([0.0, -1.0, 120.0]), origin + roof),
        "nothing": (origin + away + np.array([0.0, -1.0, 150.0]), origin + away),
    }
    picker = vtkCellPicker()
    picker.SetTolerance(0.0005)
    for key, place in places.items():
        if place is None:
            view.reset_view()
        else:
            view.look_at(place[0], place[1], (0.0, 1.0, 0.0))
        view.render_now()
        start = time.perf_counter()
        found = view.object_at(*centre)
        figures[f"pick_{key}_ms"] = (time.perf_counter() - start) * 1000
        figures[f"pick_{key}_id"] = found[1] if found else None
        display_x, display_y = view._display_xy(*centre)
        start = time.perf_counter()
        picker.Pick(display_x, display_y, 0, view.plotter.renderer)
        figures[f"vtk_pick_{key}_ms"] = (time.perf_counter() - start) * 1000
        if key == "building":
            start = time.perf_counter()
            view.pick_at(*centre)  # a click: the window selects it everywhere
            figures["click_building_ms"] = (time.perf_counter() - start) * 1000
    figures["pick_building_expected"] = target
    view.reset_view()
    view.render_now()
    return figures


def edit(window: Any) -> dict[str, Any]:
    """Raise 10 buildings by 7.5 m; time until the mesh shows it, and the GUI's stalls."""
    view, city = window.view, window.document.city
    buildings = city.layer("buildings")
    rows = np.linspace(0, len(buildings) - 1, 10).astype(int)
    ids = [str(i) for i in buildings["id"].iloc[rows]]
    heights = buildings["height_m"].iloc[rows].to_numpy() + 7.5
    watched, wanted_top = ids[0], float(buildings["base_elevation_m"].iloc[rows[0]] + heights[0])

    def shown(layer: Any) -> bool:
        top = float(layer.store.mesh_of(watched)[0][:, 2].max()) + view._origin[2]
        return abs(top - wanted_top) < 0.01

    return timed_change(
        window, lambda: city.update_values("buildings", ids, {"height_m": heights}), shown
    )


def switch_scenario(window: Any) -> dict[str, Any]:
    """Show a scenario raising 10 buildings to 60 m (applied on the click), then the current
    situation again; time until the view draws each, and the GUI's stalls."""
    from scenarios.edits import SetHeight
    from scenarios.scenario import BASELINE, Scenario, store_scenario

    city = window.document.city
    buildings = city.layer("buildings")
    rows = np.linspace(0, len(buildings) - 1, 10).astype(int)
    ids = tuple(str(i) for i in buildings["id"].iloc[rows])
    store_scenario(city, Scenario("Bench", edits=(SetHeight(ids, 60.0),)))
    window.scenarios.refresh()
    view, base_m = window.view, float(buildings["base_elevation_m"].iloc[rows[0]])

    def top_m(layer: Any) -> float:
        return float(layer.store.mesh_of(ids[0])[0][:, 2].max()) + view._origin[2]

    wanted = base_m + 60.0
    there = timed_change(
        window,
        lambda: window.scenarios.show("Bench"),
        lambda layer: abs(top_m(layer) - wanted) < 0.01,
    )
    back = timed_change(
        window,
        lambda: window.scenarios.show(BASELINE),
        lambda layer: abs(top_m(layer) - wanted) > 0.01,
    )
    return {
        **{f"switch_{key}": value for key, value in there.items()},
        **{f"back_{key}": value for key, value in back.items()},
    }


def add_building(window: Any) -> dict[str, Any]:
    """Append one building (a copy of the middle one, half a lot east, 30 m high); time until
    the view draws it, and the GUI's stalls."""
    import shapely

    city = window.document.city
    buildings = city.layer("buildings")
    row = buildings.iloc[[len(buildings) // 2]].copy()
    row["id"] = "BENCH_NEW"
    row["height_m"] = 30.0
    east = np.array([23.0, 0.0])
    row["geometry"] = shapely.transform(row.geometry.to_numpy(), lambda xy: xy + east)

    def shown(layer: Any) -> bool:
        return bool((layer.object_ids == "BENCH_NEW").any())

    return timed_change(window, lambda: city.append_rows("buildings", row), shown)


def demolish(window: Any) -> dict[str, Any]:
    """Drop one building (a third of the way through the rows); time until the view no longer
    draws it, and the GUI's stalls."""
    city = window.document.city
    buildings = city.layer("buildings")
    gone = str(buildings["id"].iloc[len(buildings) // 3])

    def shown(layer: Any) -> bool:
        return not (layer.object_ids == gone).any()

    return timed_change(window, lambda: city.drop_rows("buildings", [gone]), shown)


def timed_change(window: Any, change: Any, shown_in: Any) -> dict[str, Any]:
    """Run ``change()`` (a change of the City's buildings); time until the view's buildings
    layer satisfies ``shown_in(layer)`` and is drawn, and the GUI's stalls meanwhile."""
    view = window.view
    before = view.layers["buildings"]

    def shown() -> bool:
        layer = view.layers.get("buildings")
        if layer is None or layer is before or view.scene_busy():
            return False
        return bool(shown_in(layer))

    colour_s: list[float] = []
    colour = window._colour_buildings

    def timed_colour(*args: Any, **kwargs: Any) -> None:  # how long the GUI thread colours
        started = time.perf_counter()
        colour(*args, **kwargs)
        colour_s.append(time.perf_counter() - started)

    window._colour_buildings = timed_colour
    swap_s: list[float] = []  # the swap of the new meshes, colouring inside it excluded
    swap = view._apply_layers

    swapped_at: list[float] = []

    def timed_swap(*args: Any, **kwargs: Any) -> None:
        started, coloured = time.perf_counter(), sum(colour_s)
        swap(*args, **kwargs)
        swapped_at.append(time.perf_counter())
        swap_s.append(swapped_at[-1] - started - (sum(colour_s) - coloured))

    view._apply_layers = timed_swap
    renders = RenderTimes(view)
    ticks, builds = Ticks(), Builds(view)
    ticks.start()
    start = time.perf_counter()
    change()
    update_s = time.perf_counter() - start
    spin(shown, 120.0)
    # The view renders the swap itself (its render timer): wait for that frame rather than
    # drawing one more (a full frame is half a second here).
    spin(lambda: any(end > swapped_at[-1] for end in renders.ends), 5.0)
    if not any(end > swapped_at[-1] for end in renders.ends):
        view.render_now()
    shown_s = max(renders.ends) - start
    spin(lambda: False, 0.3)  # renders and paints that follow the swap
    gaps = ticks.stop()
    renders.stop()
    del window._colour_buildings
    del view._apply_layers
    return {
        "edit_swap_s": swap_s,
        "edit_render_s": renders.seconds,
        "edit_colour_s": colour_s,
        "update_values_s": update_s,
        "edit_to_show_s": shown_s,
        "edit_build_s": builds.seconds[-1] if builds.seconds else float("nan"),
        "edit_gaps_s": gaps,
        "edit_worker_gap_s": ticks.worst_between(*builds.last_window()),
        "edit_shown": shown(),
    }


class Builds:
    """When the view's background builds started, and how long they ran in the worker."""

    def __init__(self, view: Any) -> None:
        self.started: list[float] = []
        self.seconds: list[float] = []
        builder = view._builder
        builder.busy_changed.connect(
            lambda busy: self.started.append(time.perf_counter()) if busy else None
        )
        builder.built.connect(lambda outcome: self.seconds.append(outcome.seconds))

    def last_window(self) -> tuple[float, float]:
        """(start, end) of the last build's time in the worker ((0, 0) without any)."""
        if not self.started or not self.seconds:
            return 0.0, 0.0
        return self.started[-1], self.started[-1] + self.seconds[-1]


class RenderTimes:
    """How long each render of the view's window took (VTK's Start and End events)."""

    def __init__(self, view: Any) -> None:
        self.seconds: list[float] = []
        self.ends: list[float] = []
        self._window = view.plotter.ren_win
        self._started = 0.0
        self._tags = [
            self._window.AddObserver("StartEvent", self._start),
            self._window.AddObserver("EndEvent", self._end),
        ]

    def _start(self, *_args: Any) -> None:
        self._started = time.perf_counter()

    def _end(self, *_args: Any) -> None:
        self.ends.append(time.perf_counter())
        self.seconds.append(self.ends[-1] - self._started)

    def stop(self) -> None:
        for tag in self._tags:
            self._window.RemoveObserver(tag)


class Ticks:
    """A 5 ms timer on the GUI thread; the longest gaps between its ticks are GUI stalls."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def start(self) -> None:
        self.times = [time.perf_counter()]
        self.timer.start()

    def stop(self, top: int = 3) -> list[float]:
        """The ``top`` longest gaps (seconds), the stall up to now included."""
        self.timer.stop()
        self.times.append(time.perf_counter())
        return sorted(np.diff(self.times).tolist(), reverse=True)[:top]

    def worst_between(self, start: float, end: float) -> float:
        """The longest gap (seconds) starting between ``start`` and ``end``."""
        times = np.asarray(self.times)
        gaps = np.diff(times)
        inside = (times[:-1] >= start) & (times[:-1] < end)
        return float(gaps[inside].max()) if inside.any() else float("nan")


def spin(done: Any, timeout_s: float) -> None:
    """Run the event loop until ``done()`` or the timeout."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    poll.start()
    if not done():
        loop.exec()
    poll.stop()


def _status_kib(lines: list[str], key: str) -> float:
    return float(next(line.split()[1] for line in lines if line.startswith(key + ":")))


if __name__ == "__main__":
    print(json.dumps(drive(Path(sys.argv[1]), Path(sys.argv[2])), default=str))
