"""File commands of the app: open, save, save as, recent files, and the prompt before losing edits.

Errors from the model (a missing or broken project, a folder that cannot be written) are shown
in a dialog with the model's own one-line message; nothing is raised into Qt. The dialogs are
attributes (``ask_unsaved``, ``show_error``, ``ask_open_path``, ``ask_save_path``) so tests
can answer them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from gui.document import Document
from gui.error_texts import error_text
from gui.i18n import tr
from twin.errors import TwinError
from twin.project import project_path

logger = logging.getLogger(__name__)

RECENT_KEY = "recent_files"
MAX_RECENT = 8
Button = QMessageBox.StandardButton


class ProjectFiles(QObject):
    """Open and save the :class:`~gui.document.Document` of a window.

    Signals:
        message(text): a line for the status bar.
        recent_changed(): the recent-files list changed.
    """

    message = Signal(str)
    recent_changed = Signal()

    def __init__(self, window: QWidget, document: Document, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self.document = document
        self.settings = settings
        self.ask_unsaved: Callable[[], Button] = self._ask_unsaved
        self.show_error: Callable[[str], None] = self._show_error
        self.ask_open_path: Callable[[], str] = self._ask_open_path
        self.ask_save_path: Callable[[], str] = self._ask_save_path

    # -- commands ---------------------------------------------------------------------------
    def open_dialog(self) -> bool:
        """Ask which project to open, then open it."""
        if not self.maybe_save():
            return False
        chosen = self.ask_open_path()
        return bool(chosen) and self.open(Path(chosen), ask=False)

    def open(self, path: Path, *, ask: bool = True) -> bool:
        """Open ``path`` (after the unsaved-changes prompt); False if cancelled or it failed."""
        if ask and not self.maybe_save():
            return False
        try:
            self.document.open(path)
        except (TwinError, OSError) as exc:
            logger.info("could not open %s: %s", path, exc)
            self.show_error(tr("dialog.open_failed", error=error_text(exc)))
            return False
        self.add_recent(self.document.path)
        self.message.emit(tr("status.opened", path=self.document.path))
        return True

    def save(self) -> bool:
        """Save to the current file (ask for one if the project has none)."""
        if self.document.city is None:
            return False
        if self.document.path is None:
            return self.save_as()
        return self._save_to(None)

    def save_as(self, path: Path | None = None) -> bool:
        """Save to ``path``, or to a file the user chooses."""
        if self.document.city is None:
            return False
        if path is None:
            chosen = self.ask_save_path()
            if not chosen:
                return False
            path = project_path(chosen)
        return self._save_to(path)

    def maybe_save(self) -> bool:
        """Before losing unsaved changes: save, discard or cancel. True to go on."""
        if not self.document.dirty:
            return True
        answer = self.ask_unsaved()
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    # -- recent files -----------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """Recently opened or saved projects, most recent first."""
        value = self.settings.value(RECENT_KEY, [])
        files = [value] if isinstance(value, str) else list(value or [])
        return [str(f) for f in files if f]

    def add_recent(self, path: Path | None) -> None:
        """Put ``path`` first in the recent files."""
        if path is None:
            return
        text = str(Path(path).resolve())
        files = [text] + [f for f in self.recent_files() if f != text]
        self.settings.setValue(RECENT_KEY, files[:MAX_RECENT])
        self.recent_changed.emit()

    def fill_recent_menu(self, menu: QMenu) -> None:
        """Rebuild the recent-files submenu."""
        menu.clear()
        files = self.recent_files()
        if not files:
            menu.addAction(tr("recent.empty")).setEnabled(False)
        for number, name in enumerate(files, start=1):
            action = menu.addAction(f"&{number} {Path(name).name}")
            action.setToolTip(name)
            action.setStatusTip(name)
            action.triggered.connect(lambda _checked=False, n=name: self.open(Path(n)))

    # -- internals --------------------------------------------------------------------------
    def _save_to(self, path: Path | None) -> bool:
        try:
            saved = self.document.save(path)
        except (TwinError, OSError) as exc:
            logger.info("could not save: %s", exc)
            self.show_error(tr("dialog.save_failed", error=error_text(exc)))
            return False
        self.add_recent(saved)
        self.message.emit(tr("status.saved", path=saved))
        return True

    def _ask_unsaved(self) -> Button:
        return QMessageBox.question(
            self._window,
            tr("dialog.unsaved_title"),
            tr("dialog.unsaved_text", name=self.document.title),
            Button.Save | Button.Discard | Button.Cancel,
            Button.Save,
        )

    def _show_error(self, text: str) -> None:
        QMessageBox.critical(self._window, tr("dialog.error_title"), text)

    def _ask_open_path(self) -> str:
        start = str(self.document.path.parent) if self.document.path else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self._window, tr("dialog.open_title"), start, tr("dialog.filter")
        )
        return chosen

    def _ask_save_path(self) -> str:
        start = str(self.document.path) if self.document.path else ""
        chosen, _ = QFileDialog.getSaveFileName(
            self._window, tr("dialog.save_title"), start, tr("dialog.filter")
        )
        return chosen
