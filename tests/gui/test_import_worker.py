"""Importing files in the app: read in a worker, progress and Cancel, merge, report."""

from __future__ import annotations

import math
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from gui.i18n import translator
from gui.main_window import MainWindow
from twin.city import City

IMPORT_TIMEOUT_MS = 120_000


@pytest.fixture
def cadastre(shared_data: Path) -> Path:
    return shared_data / "cadastre" / "cadastre-91216-parcelles.json"


@pytest.fixture
def empty_window(qtbot: Any, settings: Any) -> MainWindow:
    """A window on a new, empty Lambert-93 project; dialogs fail the test unless answered."""
    translator().set_language("fr")
    window = MainWindow(settings)
    qtbot.addWidget(
        window,
        before_close_func=lambda w: setattr(
            w.files, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard
        ),
    )
    window.set_city(City("EPSG:2154", name="Épinay"), None)
    window.imports.show_error = _unexpected("error dialog")
    window.imports.show_report = _unexpected("report")
    window.imports.ask_placement = _unexpected("placement dialog")
    return window


def _unexpected(what: str) -> Any:
    def fail(*args: Any) -> None:
        raise AssertionError(f"unexpected {what}: {args}")

    return fail


def capture(target: Any, name: str) -> list[tuple[Any, ...]]:
    """Replace the dialog ``target.name`` by a recorder of its arguments."""
    calls: list[tuple[Any, ...]] = []
    setattr(target, name, lambda *args: calls.append(args))
    return calls


def test_the_import_command_is_in_the_file_menu_and_the_toolbar_with_ctrl_i(
    empty_window: MainWindow,
) -> None:
    action = empty_window.action_set["file.import"]
    assert action.text() == "&Importer des fichiers…"
    assert action.shortcut().toString() == "Ctrl+I"
    assert action in empty_window.menus["menu.file"].actions()
    assert action in empty_window.toolbar.actions()
    assert action.isEnabled()


def test_importing_the_cadastre_in_a_worker_adds_its_parcels_and_shows_the_report(
    empty_window: MainWindow, qtbot: Any, cadastre: Path
) -> None:
    reports = capture(empty_window.imports, "show_report")
    with qtbot.waitSignal(empty_window.imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        assert empty_window.import_files([cadastre])
        assert empty_window.imports.running
        assert not empty_window.action_set["file.import"].isEnabled()  # one import at a time
    assert done.args == [True]
    city = empty_window.document.city
    assert len(city.layer("parcels")) == 4241
    assert len(reports) == 1
    text, details = reports[0]
    assert "1 fichier(s) importé(s) : cadastre-91216-parcelles.json" in text
    assert "Parcelles : 4\u202f241 lu(s), 4\u202f241 ajouté(s), 0 remplacé(s)" in details
    assert "modifications non enregistrées" in empty_window.windowTitle()
    assert "parcels" in empty_window.view.layers
    assert empty_window.action_set["file.import"].isEnabled()


def test_the_window_stays_responsive_while_files_are_read(
    empty_window: MainWindow, qtbot: Any, cadastre: Path, capsys: Any
) -> None:
    capture(empty_window.imports, "show_report")
    ticks: list[float] = []
    read_end: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    with qtbot.waitSignal(empty_window.imports.finished, timeout=IMPORT_TIMEOUT_MS):
        ticks.append(time.perf_counter())
        timer.start()
        empty_window.import_files([cadastre] * 4)
        empty_window.imports.worker.signals.finished.connect(
            lambda _outcome: read_end.append(time.perf_counter()),
            Qt.ConnectionType.DirectConnection,  # in the worker: when reading ends, not merging
        )
    timer.stop()
    reading = [t for t in ticks if t <= read_end[0]]
    worst_ms = 1000 * max(b - a for a, b in pairwise(reading))
    with capsys.disabled():
        print(
            f"\nevent-loop max gap while reading: {worst_ms:.0f} ms over {len(reading)} ticks "
            f"({1000 * (read_end[0] - reading[0]):.0f} ms of reading)"
        )
    assert len(reading) >= 10
    assert worst_ms < 500
    assert len(empty_window.document.city.layer("parcels")) == 4241  # re-imports replace


def test_cancel_right_after_the_start_merges_nothing(
    empty_window: MainWindow, qtbot: Any, cadastre: Path
) -> None:
    imports = empty_window.imports
    with qtbot.waitSignal(imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        imports.import_files([cadastre, cadastre])
        with qtbot.waitSignal(imports.worker.signals.progress, timeout=IMPORT_TIMEOUT_MS):
            pass
        assert imports.cancel_button.isVisible() or not empty_window.isVisible()
        qtbot.mouseClick(imports.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args == [False]
    assert "parcels" not in empty_window.document.city
    assert not empty_window.document.dirty
    assert empty_window.statusBar().currentMessage() == "Import annulé"
    assert not imports.running


def test_a_file_that_cannot_be_read_leaves_the_project_unchanged_and_says_which(
    empty_window: MainWindow, qtbot: Any, cadastre: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "parcelles-cassees.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    errors = capture(empty_window.imports, "show_error")
    with qtbot.waitSignal(empty_window.imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        empty_window.import_files([cadastre, broken])
    assert done.args == [False]
    assert len(errors) == 1
    message = errors[0][0]
    assert message.startswith("Impossible d'importer « parcelles-cassees.geojson »")
    assert "le projet n'a pas été modifié" in message
    assert "parcels" not in empty_window.document.city  # the good file is not merged either
    assert not empty_window.document.dirty


def test_an_ifc_model_without_georeferencing_asks_where_it_goes_then_imports(
    window: MainWindow, qtbot: Any, shared_data: Path
) -> None:
    city = window.document.city
    minx, miny, maxx, maxy = city.extent()
    asked: list[tuple[str, tuple[float, float]]] = []

    def place(name: str, default: tuple[float, float]) -> tuple[float, float, float, float]:
        asked.append((name, default))
        return (default[0], default[1], math.nan, 30.0)

    window.imports.ask_placement = place
    reports = capture(window.imports, "show_report")
    model = shared_data / "ifc" / "IfcOpenHouse_IFC4.ifc"
    with qtbot.waitSignal(window.imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        window.import_files([model])
    assert done.args == [True]
    assert [name for name, _ in asked] == ["IfcOpenHouse_IFC4.ifc"]
    x, y = asked[0][1]
    assert minx <= x <= maxx and miny <= y <= maxy  # pre-filled with the view's centre
    assert city.provenance[-1].source.endswith("IfcOpenHouse_IFC4.ifc")
    assert len(reports) == 1 and "IfcOpenHouse_IFC4.ifc" in reports[0][1]
    assert window.document.dirty


def test_refusing_the_placement_cancels_the_import(
    empty_window: MainWindow, qtbot: Any, shared_data: Path
) -> None:
    empty_window.imports.ask_placement = lambda _name, _default: None
    with qtbot.waitSignal(empty_window.imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        empty_window.import_files([shared_data / "ifc" / "IfcOpenHouse_IFC4.ifc"])
    assert done.args == [False]
    assert not empty_window.document.dirty
    assert empty_window.statusBar().currentMessage() == "Import annulé"


def test_files_dropped_on_the_window_are_imported(empty_window: MainWindow, tmp_path: Path) -> None:
    started: list[list[Any]] = []
    empty_window.imports.import_files = lambda paths: started.append(list(paths)) or True
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.geojson"))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    empty_window.dropEvent(event)
    assert started == [[tmp_path / "a.geojson"]]


def test_two_imports_in_a_row_that_reproject_both_succeed(
    empty_window: MainWindow, qtbot: Any, cadastre: Path
) -> None:
    # pyproj 3.7 crashed when a pool thread reprojected twice: each import has its own thread
    reports = capture(empty_window.imports, "show_report")
    for _ in range(2):
        with qtbot.waitSignal(empty_window.imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
            assert empty_window.import_files([cadastre])
        assert done.args == [True]
    assert len(reports) == 2
    assert len(empty_window.document.city.layer("parcels")) == 4241  # the same ids replaced
