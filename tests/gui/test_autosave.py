"""Autosave and crash recovery: edits are copied to the recovery folder in a worker thread,
never over the project file; a copy left by a crashed session is offered back at start-up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

import gui.autosave
import gui.autosave_worker
from gui.autosave import Autosaver, RecoveryChoice, recovery_question
from gui.document import Document
from gui.i18n import translator
from gui.main_window import MainWindow
from gui.recovery_store import (
    SET_ASIDE,
    UNTITLED,
    Recovery,
    RecoveryStore,
    SessionMarker,
    recovery_key,
)
from samples.synthetic import synthetic_buildings
from twin.city import City
from twin.project import load_project, save_project
from twin.provenance import utc_now_iso

SAVE_TIMEOUT_MS = 60_000


@pytest.fixture
def recovery_dir(tmp_path: Path) -> Path:
    return tmp_path / "recovery"


@pytest.fixture
def project(tmp_path: Path, sample_project: Path) -> Path:
    """The user's project: a copy of the sample town in the test's folder."""
    return Path(shutil.copy(sample_project, tmp_path / "valmont.twin.gpkg"))


def make_window(qtbot: Any, settings: Any, recovery_dir: Path) -> MainWindow:
    """A French window autosaving to ``recovery_dir``; dialogs fail the test unless answered."""
    translator().set_language("fr")
    window = MainWindow(settings, recovery_dir=recovery_dir)
    qtbot.addWidget(
        window,
        before_close_func=lambda w: setattr(
            w.files, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard
        ),
    )
    window.files.show_error = _unexpected("error dialog")
    window.autosave.show_error = _unexpected("recovery error dialog")
    window.autosave.ask_recover = _unexpected("recovery prompt")
    return window


@pytest.fixture
def editing(qtbot: Any, settings: Any, recovery_dir: Path, project: Path) -> MainWindow:
    """A window on the project, autosaving 0.2 s after the first change."""
    settings.setValue("autosave/first_delay_s", 0.2)
    window = make_window(qtbot, settings, recovery_dir)
    assert window.files.open(project)
    return window


@pytest.fixture
def save_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the threads autosaves ran in."""
    names: list[str] = []
    real_save = gui.autosave_worker.save_project

    def recording_save(*args: Any, **kwargs: Any) -> Path:
        names.append(threading.current_thread().name)
        return real_save(*args, **kwargs)

    monkeypatch.setattr(gui.autosave_worker, "save_project", recording_save)
    return names


def _unexpected(what: str) -> Any:
    def fail(*args: Any) -> None:
        raise AssertionError(f"unexpected {what}: {args}")

    return fail


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def first_building(window: MainWindow) -> str:
    return str(window.document.city.layer("buildings")["id"].iloc[0])


def height_m(city: City, building: str) -> float:
    return float(city.layer("buildings").set_index("id").loc[building, "height_m"])


def simulate_crash(
    recovery_dir: Path, city: City, project: Path | None, name: str = "Valmont"
) -> Path:
    """What a crashed session leaves: the autosaved copy and a marker naming a dead process."""
    store = RecoveryStore(recovery_dir)
    key = recovery_key(project)
    store.claim(key, SessionMarker(dead_pid(), project, name, utc_now_iso()))
    return save_project(city, store.file_for(key))


def test_an_edit_is_autosaved_shortly_after_in_a_worker_to_the_recovery_folder(
    editing: MainWindow, qtbot: Any, project: Path, recovery_dir: Path, save_threads: list[str]
) -> None:
    before = project.read_bytes()
    building = first_building(editing)
    with qtbot.waitSignal(editing.autosave.saved, timeout=SAVE_TIMEOUT_MS) as saved:
        editing.document.city.update_values("buildings", [building], {"height_m": 27.5})
        editing.document.city.update_values("buildings", [building], {"floors": 9})
    recovery = Path(saved.args[0])
    assert recovery.parent == recovery_dir
    assert recovery.name == f"{recovery_key(project)}.twin.gpkg"
    assert save_threads and all(name != threading.main_thread().name for name in save_threads)
    assert len(save_threads) == 1  # the two edits were saved together
    copy = load_project(recovery)
    assert height_m(copy, building) == 27.5
    marker = RecoveryStore(recovery_dir).marker(recovery_key(project))
    assert marker is not None
    assert (marker.pid, marker.project_path) == (os.getpid(), project)
    assert project.read_bytes() == before  # the user's file is never written by autosave
    assert editing.document.dirty


def test_the_window_stays_responsive_while_a_20k_building_city_is_autosaved(
    qtbot: Any, settings: Any, recovery_dir: Path, save_threads: list[str], capsys: Any
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    document = Document(parent)
    autosave = Autosaver(parent, document, settings, recovery_dir)
    city = City(name="synthétique")
    city.set_layer("buildings", synthetic_buildings(20_000, seed=3))
    document.set_city(city, None)
    city.update_values("buildings", [str(city.layer("buildings")["id"].iloc[0])], {"floors": 4})
    ticks: list[float] = []
    done: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    autosave.saved.connect(lambda _path: done.append(time.perf_counter()))
    timer.start()
    qtbot.wait(50)
    with qtbot.waitSignal(autosave.saved, timeout=SAVE_TIMEOUT_MS):
        started = time.perf_counter()
        assert autosave.autosave_now()
        ticks.append(time.perf_counter())
    timer.stop()
    during = [t for t in ticks if started - 0.05 <= t <= done[0]]
    gaps_ms = [1000 * (b - a) for a, b in pairwise(during)]
    saving_ms = 1000 * (done[0] - started)
    with capsys.disabled():
        print(
            f"\nautosave of 20 000 buildings: {saving_ms:.0f} ms in a worker, event-loop max gap "
            f"{max(gaps_ms):.0f} ms over {len(during)} ticks"
        )
    assert save_threads[0] != threading.main_thread().name
    assert len(during) >= 5  # the event loop kept running while the file was written
    assert max(gaps_ms) < saving_ms  # no single stall as long as the whole save
    assert len(load_project(recovery_dir / f"{UNTITLED}.twin.gpkg").layer("buildings")) == 20_000
    autosave.end_session()


def test_saving_the_project_removes_its_recovery_file(
    editing: MainWindow, qtbot: Any, project: Path
) -> None:
    building = first_building(editing)
    with qtbot.waitSignal(editing.autosave.saved, timeout=SAVE_TIMEOUT_MS) as saved:
        editing.document.city.update_values("buildings", [building], {"height_m": 33.0})
    assert Path(saved.args[0]).exists()
    assert editing.files.save()
    assert not Path(saved.args[0]).exists()
    assert height_m(load_project(project), building) == 33.0


def test_a_clean_close_leaves_no_recovery_file(
    editing: MainWindow, qtbot: Any, recovery_dir: Path
) -> None:
    with qtbot.waitSignal(editing.autosave.saved, timeout=SAVE_TIMEOUT_MS):
        editing.document.city.update_values("buildings", [first_building(editing)], {"floors": 2})
    assert list(recovery_dir.glob("*.twin.gpkg"))
    editing.files.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    assert editing.close()
    assert list(recovery_dir.iterdir()) == []


def test_after_a_crash_recovering_opens_the_edited_city_unsaved_under_the_project_path(
    qtbot: Any, settings: Any, recovery_dir: Path, project: Path
) -> None:
    before = project.read_bytes()
    edited = load_project(project)
    building = str(edited.layer("buildings")["id"].iloc[2])
    edited.update_values("buildings", [building], {"height_m": 41.0})
    simulate_crash(recovery_dir, edited, project)
    settings.setValue("autosave/first_delay_s", 0.2)
    window = make_window(qtbot, settings, recovery_dir)
    asked: list[Recovery] = []
    window.autosave.ask_recover = lambda r: asked.append(r) or RecoveryChoice.RECOVER

    assert window.autosave.offer_recovery()

    assert len(asked) == 1
    assert asked[0].project_path == project
    question = recovery_question(asked[0])
    assert "Le projet « Valmont » n'a pas été fermé correctement." in question
    assert asked[0].saved_at.strftime("%d/%m/%Y à %H:%M") in question
    assert window.document.path == project
    assert window.document.dirty
    assert height_m(window.document.city, building) == 41.0
    assert window.windowTitle().startswith("* ")
    assert project.read_bytes() == before  # written only when the user saves
    marker = window.autosave.store.marker(recovery_key(project))
    assert marker is not None and marker.pid == os.getpid()  # the copy is ours now
    with qtbot.waitSignal(window.autosave.saved, timeout=SAVE_TIMEOUT_MS) as saved:
        window.document.city.update_values("buildings", [building], {"floors": 12})
    assert Path(saved.args[0]) == window.autosave.store.file_for(recovery_key(project))
    autosaved = load_project(Path(saved.args[0])).layer("buildings").set_index("id")
    assert autosaved.loc[building, ["height_m", "floors"]].tolist() == [41.0, 12]
    assert window.files.save()
    assert height_m(load_project(project), building) == 41.0
    assert not window.autosave.store.file_for(recovery_key(project)).exists()


def test_ignoring_sets_the_copy_aside_and_later_keeps_it_for_the_next_start(
    qtbot: Any, settings: Any, recovery_dir: Path, project: Path
) -> None:
    copy = simulate_crash(recovery_dir, load_project(project), project)
    window = make_window(qtbot, settings, recovery_dir)
    window.autosave.ask_recover = lambda _r: RecoveryChoice.LATER
    assert not window.autosave.offer_recovery()
    assert copy.exists()
    window.autosave.ask_recover = lambda _r: RecoveryChoice.IGNORE
    assert not window.autosave.offer_recovery()
    assert not copy.exists()
    assert len(list((recovery_dir / SET_ASIDE).glob("*.twin.gpkg"))) == 1
    window.autosave.ask_recover = _unexpected("prompt for a copy set aside")
    assert not window.autosave.offer_recovery()
    assert window.document.city is None


def test_a_corrupt_recovery_file_is_reported_once_and_set_aside(
    qtbot: Any, settings: Any, recovery_dir: Path, project: Path
) -> None:
    copy = simulate_crash(recovery_dir, load_project(project), project)
    copy.write_bytes(b"SQLite format 3\x00" + b"\x17" * 4000)  # a torn write
    window = make_window(qtbot, settings, recovery_dir)
    window.autosave.ask_recover = lambda _r: RecoveryChoice.RECOVER
    errors: list[str] = []
    window.autosave.show_error = errors.append

    assert not window.autosave.offer_recovery()

    assert len(errors) == 1
    assert "« Valmont » est illisible" in errors[0]
    assert "ressemble à un projet urban-twin mais il est endommagé" in errors[0]  # not English
    assert SET_ASIDE in errors[0]
    assert not copy.exists()
    assert list((recovery_dir / SET_ASIDE).glob("*.twin.gpkg"))
    assert window.document.city is None
    window.autosave.ask_recover = _unexpected("second prompt")
    assert not window.autosave.offer_recovery()


def test_a_copy_held_by_a_running_app_is_not_offered(recovery_dir: Path, project: Path) -> None:
    store = RecoveryStore(recovery_dir)
    key = recovery_key(project)
    alive = SessionMarker(os.getppid(), project, "Valmont", utc_now_iso())
    store.claim(key, alive)
    save_project(City(name="Valmont"), store.file_for(key))
    assert store.crashed() == []
    assert store.free_key(project) == f"{key}-{os.getpid()}"  # this app writes elsewhere
    store.claim(key, SessionMarker(dead_pid(), project, "Valmont", utc_now_iso()))
    assert [r.key for r in store.crashed()] == [key]
    assert store.free_key(project) == key


def test_each_project_has_its_own_recovery_file_and_new_projects_are_untitled(
    editing: MainWindow, qtbot: Any, sample_project: Path
) -> None:
    with qtbot.waitSignal(editing.autosave.saved, timeout=SAVE_TIMEOUT_MS) as first:
        editing.document.city.update_values("buildings", [first_building(editing)], {"floors": 5})
    editing.files.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    assert editing.files.open(sample_project)
    assert not Path(first.args[0]).exists()  # changes discarded: their copy goes too
    with qtbot.waitSignal(editing.autosave.saved, timeout=SAVE_TIMEOUT_MS) as second:
        editing.document.city.update_values("buildings", [first_building(editing)], {"floors": 6})
    assert Path(second.args[0]).name == f"{recovery_key(sample_project)}.twin.gpkg"
    assert second.args[0] != first.args[0]
    editing.set_city(City(name="Nouveau"), None)
    editing.document.city.set_layer(
        "buildings", load_project(sample_project).layer("buildings").head(3)
    )
    with qtbot.waitSignal(editing.autosave.saved, timeout=SAVE_TIMEOUT_MS) as third:
        pass
    assert Path(third.args[0]).name == f"{UNTITLED}.twin.gpkg"


def test_the_recovery_folder_is_under_the_apps_data_folder(qapp: Any) -> None:
    folder = gui.autosave.default_recovery_dir()
    assert folder.parts[-3:] == ("urban-twin", "urban-twin", "recovery")


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    translator().set_language("fr")
    yield
    translator().set_language("fr")
