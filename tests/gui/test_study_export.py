"""File ▸ Export the digital-impact study on the sample town: the HTML then the PDF of a scenario
are written in the background with progress while the window stays responsive (figures
printed), then opened; Cancel leaves no file; unsaved scenarios are studied as they are in the
app; a bad folder is one line in a dialog."""

from __future__ import annotations

import dataclasses
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl

from gui.study_export_dialog import ExportDialog, with_suffix
from gui.study_export_worker import ExportRequest
from gui.study_process import read_city, write_city_state
from scenarios.scenario import BASELINE, scenarios_of, store_scenario

DENSIFY = "Densifier le centre"
EXPORT_MS = 300_000


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder for the studies (the test's folder holds the window's settings)."""
    path = tmp_path / "etudes"
    path.mkdir()
    return path


@pytest.fixture
def app(shown: Any) -> Any:
    """The window on screen; unexpected dialogs fail the test, opening is recorded."""
    exporter = shown.study_export

    def unexpected(text: str) -> None:
        raise AssertionError(f"unexpected error dialog: {text}")

    exporter.show_error = unexpected
    exporter.opened = []
    exporter.ask_open = lambda _path: True
    exporter.open_url = exporter.opened.append
    return shown


def export(window: Any, qtbot: Any, request: ExportRequest, capsys: Any) -> tuple[bool, list[str]]:
    """Run an export through the File menu's action, measuring the event loop's gaps (the
    event loop runs freely meanwhile: ``qtbot.waitSignal``)."""
    exporter = window.study_export
    exporter.ask_request = lambda _names, _shown: request
    stages: list[str] = []
    exporter.stage_changed.connect(stages.append)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    started = time.perf_counter()
    timer.start()
    with qtbot.waitSignal(exporter.finished, timeout=EXPORT_MS) as done:
        window.action_set.trigger("file.export_study")
        assert exporter.running and exporter.progress.isVisible()
        assert not window.action_set["file.export_study"].isEnabled()  # one at a time
    timer.stop()
    worst_ms = 1000 * max(b - a for a, b in pairwise(ticks))
    with capsys.disabled():
        print(
            f"\n{request.path.suffix} study: {time.perf_counter() - started:.1f} s, stages "
            f"{stages}, event-loop max gap {worst_ms:.0f} ms over {len(ticks)} ticks"
        )
    assert len(ticks) >= 20
    assert worst_ms < 300  # the goal is ~100 ms; this machine runs other tests on 2 cores
    return bool(done.args[0]), stages


def test_the_export_command_is_in_the_file_menu_with_ctrl_shift_e(window: Any) -> None:
    action = window.action_set["file.export_study"]
    assert action.text() == "Exporter l'étude d'impact &numérique…"
    assert action in window.menus["menu.file"].actions()
    assert action.shortcut().toString() == "Ctrl+Shift+E"
    assert action.isEnabled()


def test_exporting_a_scenario_writes_the_html_then_the_pdf_with_progress_and_opens_them(
    app: Any, qtbot: Any, folder: Path, capsys: Any
) -> None:
    html = folder / "etude.html"
    written, stages = export(app, qtbot, ExportRequest(DENSIFY, html), capsys)
    assert written and html.is_file()
    assert stages == ["copy", "start", "compute", "views", "write"]
    text = html.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html") and DENSIFY in text
    assert app.study_export.opened == [QUrl.fromLocalFile(str(html))]
    assert app.study_export.progress is None  # closed
    assert app.statusBar().currentMessage() == f"Étude enregistrée : {html}"

    pdf = folder / "etude.pdf"
    written, _stages = export(app, qtbot, ExportRequest(DENSIFY, pdf, lang="en"), capsys)
    assert written and pdf.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in folder.iterdir()) == ["etude.html", "etude.pdf"]
    assert app.action_set["file.export_study"].isEnabled()


def test_cancel_during_the_computation_leaves_no_file(app: Any, qtbot: Any, folder: Path) -> None:
    exporter = app.study_export
    target = folder / "etude.html"
    with qtbot.waitSignal(exporter.finished, timeout=EXPORT_MS) as done:
        assert exporter.start(ExportRequest(DENSIFY, target))
        with qtbot.waitSignal(
            exporter.stage_changed, timeout=EXPORT_MS, check_params_cb=lambda s: s == "compute"
        ):
            pass
        qtbot.mouseClick(exporter.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args == [False]
    assert not target.exists() and list(folder.iterdir()) == []
    assert exporter.opened == []
    assert app.statusBar().currentMessage() == "Export de l'étude annulé : aucun fichier écrit"


def test_an_unsaved_scenario_is_studied_as_the_app_holds_it(
    app: Any, qtbot: Any, tmp_path: Path, capsys: Any
) -> None:
    city = app.document.city
    copy = dataclasses.replace(scenarios_of(city)[DENSIFY], name="Densifier sans enregistrer")
    store_scenario(city, copy)
    app.scenarios.after_scenarios_changed()  # listed, not shown: nothing to redraw
    assert app.document.dirty
    target = tmp_path / "etude-non-enregistree.html"
    written, _stages = export(app, qtbot, ExportRequest(copy.name, target, compare=DENSIFY), capsys)
    assert written
    text = target.read_text(encoding="utf-8")
    assert "Densifier sans enregistrer" in text and DENSIFY in text


def test_the_city_handed_to_the_child_is_the_one_in_the_app(app: Any, tmp_path: Path) -> None:
    city = app.document.city
    state = write_city_state(city, tmp_path / "city.city-state")
    again = read_city(state)
    assert again.crs == city.crs and again.origin == city.origin
    assert set(again.layer_names) == set(city.layer_names)
    assert again.layer("buildings").equals(city.layer("buildings"))
    assert again.scenarios == city.scenarios and set(again.files) == set(city.files)


def test_a_missing_folder_is_one_line_in_a_dialog_and_nothing_starts(
    app: Any, tmp_path: Path
) -> None:
    errors: list[str] = []
    app.study_export.show_error = errors.append
    assert not app.study_export.start(ExportRequest(DENSIFY, tmp_path / "absent" / "e.html"))
    assert len(errors) == 1 and "n'existe pas" in errors[0]  # in French, as the app
    assert errors[0].startswith("Impossible d'exporter l'étude")
    assert not app.study_export.running


def test_the_dialog_offers_the_scenarios_and_names_the_file_by_the_format(
    app: Any, tmp_path: Path
) -> None:
    names = ["Densifier le centre", "Nouvelle ligne de bus"]
    dialog = ExportDialog(names, "Nouvelle ligne de bus", tmp_path, app)
    assert dialog.scenario.currentText() == "Nouvelle ligne de bus"
    compared = [dialog.compare.itemData(i) for i in range(dialog.compare.count())]
    assert compared == [BASELINE, "Densifier le centre"]
    dialog.formats["pdf"].setChecked(True)
    request = dialog.request()
    assert request is not None
    assert request.path == tmp_path / "etude-nouvelle-ligne-de-bus.pdf"
    assert request.lang == "fr" and request.compare == BASELINE
    assert with_suffix(Path("x/etude.html"), "pdf") == Path("x/etude.pdf")
    dialog.file.setText("")
    assert dialog.request() is None


def test_cancel_after_the_file_is_made_but_before_it_is_published_leaves_no_file(
    app: Any, qtbot: Any, folder: Path
) -> None:
    exporter = app.study_export
    target = folder / "etude.html"
    with qtbot.waitSignal(exporter.finished, timeout=EXPORT_MS) as done:
        assert exporter.start(ExportRequest(DENSIFY, target))
        assert exporter.threads.waitForDone(EXPORT_MS)  # the worker is done, its news queued
        exporter.cancel()
    assert done.args == [False]
    assert not target.exists() and list(folder.iterdir()) == []
