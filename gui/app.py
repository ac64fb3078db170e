"""Start the desktop app: ``twin gui [PROJECT] [--screenshot FILE.png]`` and ``twin demo``.

The project is loaded before any window exists, so a missing or broken file ends the command
with the model's one-line error (the CLI prints it, exit status 2) instead of a dialog. Without
a display Qt would abort the whole process, so that is checked first and reported the same way.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.i18n import install_qt_translations, translator
from gui.main_window import MainWindow
from twin.cli import register_model_readers
from twin.errors import TwinError
from twin.project import load_project, project_path

logger = logging.getLogger(__name__)

ORGANISATION = "urban-twin"
APPLICATION = "urban-twin"
EXPOSE_TIMEOUT_MS = 5000


def run_app(project: Path | None = None, screenshot: Path | None = None) -> int:
    """Open the main window on ``project``; with ``screenshot``, save a PNG of it and return.

    Once the window shows, autosaved copies left by a session that crashed are offered back
    (:meth:`gui.autosave.Autosaver.offer_recovery`); not when taking a screenshot.

    Returns:
        The exit status: 0, or the Qt event loop's status.

    Raises:
        TwinError: the project cannot be opened, or there is no display to show the app on.
    """
    city, path = None, None
    if project is not None:
        path = project_path(project)
        city = load_project(path)
    check_display()
    app = application()
    window = MainWindow(QSettings())
    window.set_city(city, path)
    if screenshot is not None:
        try:
            save_screenshot(window, screenshot)
        finally:
            window.close()
            window.deleteLater()
        return 0
    window.show()
    window.autosave.offer_recovery()  # copies left by a session that crashed
    return int(app.exec())


def application() -> QApplication:
    """The QApplication (created once, named so QSettings has a home)."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    register_model_readers()
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    install_qt_translations(translator().language)
    return app


def check_display() -> None:
    """Refuse to start Qt where it would abort the process for want of a display.

    Raises:
        TwinError: on Linux with neither DISPLAY, WAYLAND_DISPLAY nor QT_QPA_PLATFORM set.
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    raise TwinError(
        "no display to show the app on (DISPLAY is not set); run it from a desktop session, "
        "or under a virtual display (`xvfb-run -a twin gui ...`), or use "
        "`twin demo --headless OUTDIR` for a picture without a display."
    )


def save_screenshot(window: MainWindow, path: Path) -> Path:
    """Show ``window``, let the 3D view render, and save a PNG of the whole window.

    Raises:
        TwinError: the picture cannot be written.
    """
    window.show()
    QTest.qWaitForWindowExposed(window, EXPOSE_TIMEOUT_MS)
    QApplication.processEvents()
    window.view.render_now()
    QApplication.processEvents()
    picture = window.grab()
    path = Path(path)
    if not picture.save(str(path), "PNG"):
        raise TwinError(
            f"could not write the screenshot {path}; check that the folder exists and is "
            "writable, and that the name ends in .png."
        )
    logger.info("screenshot of %dx%d written to %s", picture.width(), picture.height(), path)
    return path
