"""Fixtures of the app's tests: a display, one sample project per session, a main window on it.

The pytest-xvfb plugin starts Xvfb for the session and sets DISPLAY. Without any display the
Qt tests are skipped with the reason (Qt would abort the whole process), except in CI, where
they must run. pyvistaqt needs Qt's xcb platform: ``offscreen`` draws a black 3D view.
"""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from samples.build import build_sample_project
from twin.project import load_project


@pytest.fixture(scope="session")
def display() -> str:
    """The X display the tests draw on (skip, or fail in CI, without one)."""
    name = os.environ.get("DISPLAY", "")
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    problem = ""
    if not name:
        problem = "no X display (install Xvfb so that pytest-xvfb can start one)"
    elif platform and platform != "xcb":
        problem = f"QT_QPA_PLATFORM={platform}: the 3D view (pyvistaqt) only draws with xcb"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem + " (CI is set: the app's tests must run there)")
        pytest.skip(problem)
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return name


_app: Any = None  # keeps the QApplication alive for the whole session


@pytest.fixture(scope="session")
def qapp(display: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The QApplication (replaces pytest-qt's: a display first, settings kept out of $HOME)."""
    global _app
    from PySide6.QtCore import QSettings

    from gui.app import application

    settings_dir = tmp_path_factory.mktemp("qsettings")
    # Autosave and crash-recovery files go under the app data folder: keep them out of $HOME.
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg_data"))
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(settings_dir))
    _app = application()
    return _app


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample town's project, built once per session through the importers."""
    return build_sample_project(tmp_path_factory.mktemp("gui_sample"))


@pytest.fixture
def settings(tmp_path: Path, qapp: Any) -> Any:
    """Fresh settings for one window (recent files, language) in the test's folder."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: Any, settings: Any, sample_project: Path) -> Iterator[Any]:
    """A main window (1600 x 1000, French) showing the sample project, closed afterwards."""
    from PySide6.QtWidgets import QMessageBox

    from gui.i18n import translator
    from gui.main_window import MainWindow

    def discard_changes(widget: Any) -> None:  # pytest-qt closes the window after the test
        widget.files.ask_unsaved = lambda: QMessageBox.StandardButton.Discard

    translator().set_language("fr")
    main = MainWindow(settings)
    qtbot.addWidget(main, before_close_func=discard_changes)
    main.files.show_error = _unexpected_dialog
    assert main.files.open(sample_project)
    yield main
    translator().set_language("fr")


def synthetic_window(qtbot: Any, settings: Any, n_buildings: int, *, shown: bool = False) -> Any:
    """A main window on a synthetic town of ``n_buildings`` and their parcels (not saved: its
    changes are discarded when pytest-qt closes it); ``shown``: on screen at 1600 × 1000 with
    its scene built."""
    from PySide6.QtWidgets import QMessageBox

    from gui.main_window import MainWindow
    from samples.synthetic import synthetic_buildings, synthetic_parcels
    from twin.city import City

    city = City(name="synthetic")
    city.set_layer("parcels", synthetic_parcels(n_buildings))
    city.set_layer("buildings", synthetic_buildings(n_buildings, seed=2))
    main = MainWindow(settings)
    qtbot.addWidget(
        main,
        before_close_func=lambda w: setattr(
            w.files, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard
        ),
    )
    if shown:
        main.resize(1600, 1000)
        main.show()
        qtbot.waitExposed(main)
    main.set_city(city, None)
    if shown:
        assert main.view.wait_for_scene()
    return main


@pytest.fixture
def small_tiles(monkeypatch: pytest.MonkeyPatch) -> int:
    """Tile layers of more than 100 buildings, 60 buildings a tile (the number returned)."""
    import gui.scene_tiles

    monkeypatch.setattr(gui.scene_tiles, "TILE_MIN_OBJECTS", 100)
    monkeypatch.setattr(gui.scene_tiles, "TILE_OBJECTS", 60)
    return 60


@pytest.fixture
def shown(window: Any, qtbot: Any) -> Any:
    """The window on screen, its 3D view drawn."""
    window.show()
    qtbot.waitExposed(window)
    window.view.render_now()
    return window


@pytest.fixture
def sample_city(sample_project: Path) -> Any:
    """A fresh City of the sample project."""
    return load_project(sample_project)


def _unexpected_dialog(text: str) -> None:
    raise AssertionError(f"unexpected error dialog: {text}")


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Where tests save the app's screenshots for people to look at: build/screenshots/ at the
    project root (ignored by git), or $TWIN_SCREENSHOTS."""
    folder = Path(
        os.environ.get("TWIN_SCREENSHOTS", Path(__file__).parents[2] / "build" / "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """End the process without the interpreter's final garbage collection when Qt was used.

    With the scenario panel's windows created and closed many times in one process, the final
    collection at interpreter exit (after every test has passed) aborts in ``none_dealloc``:
    a reference-count error in a C extension (PySide6 6.12 or psygnal; not found yet, see the
    session notes). Skipping that collection keeps the tests' own status as the exit status;
    a real failure still fails. Registered last, so it runs first among the exit handlers,
    after pytest (and pytest-xvfb) have finished everything.
    """
    if _app is None:
        return
    status = int(exitstatus)

    def leave() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)

    atexit.register(leave)
