"""Autosave and crash recovery: while the project has unsaved changes, a copy of the City is
written to the recovery folder (:mod:`gui.recovery_store`) in a worker thread, never over the
user's project file; at start-up, copies left by a session that crashed are offered back.

Timing (QSettings): a first autosave ``autosave/first_delay_s`` seconds after the first
change (default 30; the changes of that while are saved together), then every
``autosave/interval_min`` minutes (default 5; 0 turns autosave off) as long as something
changed since the last one. The GUI thread only copies the City
(:meth:`twin.city.City.copy`, about 12 ms for 100 000 buildings); the save runs in a thread
(:mod:`gui.autosave_worker`). An explicit save, a clean exit, or replacing the project after
the unsaved-changes prompt removes the copy.

The prompt and the error dialog are attributes (``ask_recover``, ``show_error``) so tests can
answer them, like :class:`gui.project_files.ProjectFiles`.
"""

from __future__ import annotations

import enum
import logging
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from gui.autosave_worker import AutosaveOutcome, AutosaveWorker
from gui.document import Document
from gui.error_texts import error_text
from gui.i18n import tr
from gui.recovery_store import Recovery, RecoveryStore, SessionMarker
from twin.project import load_project
from twin.provenance import utc_now_iso

logger = logging.getLogger(__name__)

INTERVAL_KEY = "autosave/interval_min"
DEFAULT_INTERVAL_MIN = 5.0
FIRST_DELAY_KEY = "autosave/first_delay_s"
DEFAULT_FIRST_DELAY_S = 30.0
SHUTDOWN_WAIT_MS = 10_000


class RecoveryChoice(enum.Enum):
    """The user's answer to the recovery prompt."""

    RECOVER = "recover"
    IGNORE = "ignore"  # set the copy aside: never offered again, removed after 30 days
    LATER = "later"  # keep it and ask again at the next start (also Esc / closing the dialog)


def default_recovery_dir() -> Path:
    """``recovery/`` under the app's data folder (``~/.local/share/urban-twin/urban-twin``)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) / "recovery"


def _setting_float(settings: QSettings, key: str, default: float) -> float:
    """A number of the settings (INI files give text), never negative; ``default`` if bad."""
    value = settings.value(key, default)
    try:
        return max(0.0, float(value))  # type: ignore[arg-type]  # QSettings gives object
    except (TypeError, ValueError):
        return default


def recovery_question(recovery: Recovery) -> str:
    """The prompt's question: which project was not closed properly, and when it was saved."""
    when = recovery.saved_at.strftime(tr("autosave.date_format"))
    return tr("autosave.question", name=recovery.name or tr("autosave.unnamed"), date=when)


class Autosaver(QObject):
    """Autosave the :class:`~gui.document.Document` of a window and offer recoveries.

    Signals:
        saved(path): a recovery file was written.
        message(text): a line for the status bar.
    """

    saved = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        window: QWidget,
        document: Document,
        settings: QSettings,
        directory: Path | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self.document = document
        self.settings = settings
        self.store = RecoveryStore(directory if directory is not None else default_recovery_dir())
        self.ask_recover: Callable[[Recovery], RecoveryChoice] = self._ask_recover
        self.show_error: Callable[[str], None] = self._show_error
        self.confirm_replace: Callable[[], bool] = lambda: True
        self.worker: AutosaveWorker | None = None
        self._key: str | None = None
        self._generation = 0
        self._changed = False  # the City changed since the last autosave
        self._saved_once = False  # an autosave holds the current edits (else: first delay)
        self._pending = False
        self._started_at = utc_now_iso()
        self._first = QTimer(self, singleShot=True)
        self._first.timeout.connect(self.autosave_now)
        self._periodic = QTimer(self)
        self._periodic.timeout.connect(self.autosave_now)
        document.city_changed.connect(self._on_city_changed)
        document.dirty_changed.connect(self._on_dirty_changed)
        document.path_changed.connect(self._retire)

    @property
    def interval_min(self) -> float:
        """Minutes between autosaves (QSettings ``autosave/interval_min``); 0: autosave off."""
        return _setting_float(self.settings, INTERVAL_KEY, DEFAULT_INTERVAL_MIN)

    @property
    def first_delay_s(self) -> float:
        """Seconds from the first change to the first autosave (``autosave/first_delay_s``)."""
        return _setting_float(self.settings, FIRST_DELAY_KEY, DEFAULT_FIRST_DELAY_S)

    @property
    def recovery_file(self) -> Path | None:
        """The file the current project is autosaved to (None before its first autosave)."""
        return self.store.file_for(self._key) if self._key is not None else None

    def autosave_now(self) -> bool:
        """Start an autosave if something changed since the last one; True if started."""
        city = self.document.city
        if city is None or not self.document.dirty or not self._changed:
            return False
        if self.worker is not None:
            self._pending = True
            return False
        try:
            if self._key is None:
                key = self.store.free_key(self.document.path)
                self.store.claim(key, self._marker())
                self._key = key
        except OSError as exc:
            logger.warning("cannot write to %s: %s", self.store.directory, exc)
            self.message.emit(tr("autosave.failed", error=error_text(exc)))
            return False
        self._changed = False
        self.worker = AutosaveWorker(
            city.copy(), self.store.file_for(self._key), self._key, self._generation
        )
        self.worker.signals.finished.connect(self._on_finished)
        self.worker.start()
        return True

    def end_session(self) -> None:
        """The window closes cleanly: stop autosaving and remove the current copy."""
        worker = self.worker
        self._retire()
        if worker is not None:  # it may rename its file into place after the cancel
            worker.thread.join(SHUTDOWN_WAIT_MS / 1000)
            self.store.release(worker.key)

    # -- recovery ---------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """Offer each copy left by a crashed session, newest first; True if one was recovered."""
        for recovery in self.store.crashed():
            if recovery.key == self._key:
                continue
            choice = self.ask_recover(recovery)
            if choice is RecoveryChoice.RECOVER and self.recover(recovery):
                return True
            if choice is RecoveryChoice.IGNORE:
                self._set_aside(recovery)
        return False

    def recover(self, recovery: Recovery) -> bool:
        """Open the copy as the project: unsaved, with the original file as its path."""
        if not self.confirm_replace():
            return False
        try:
            city = load_project(recovery.file)
        except Exception as exc:  # a damaged copy must give a message, never a crash
            logger.info("cannot read the recovery file %s: %s", recovery.file, exc)
            moved = self._set_aside(recovery, announce=False)
            name = recovery.name or tr("autosave.unnamed")
            error = error_text(exc)
            self.show_error(tr("autosave.corrupt", name=name, error=error, path=moved or ""))
            return False
        self.document.set_city(city, recovery.project_path)
        self._key = recovery.key
        try:
            self.store.claim(recovery.key, self._marker())
        except OSError as exc:
            logger.warning("cannot write the session marker: %s", exc)
        self.document.mark_unsaved()
        where = recovery.project_path or tr("autosave.unnamed")
        self.message.emit(tr("autosave.recovered", path=where))
        return True

    # -- internals --------------------------------------------------------------------------
    def _on_city_changed(self, *_args: object) -> None:
        self._changed = True
        if not self._saved_once and not self._first.isActive() and self.interval_min > 0:
            self._first.start(int(self.first_delay_s * 1000))

    def _on_dirty_changed(self, dirty: bool) -> None:
        if not dirty:
            self._retire()
        elif self.interval_min > 0:
            self._periodic.start(int(self.interval_min * 60_000))

    def _retire(self) -> None:
        """Forget the current copy: saved, discarded or another project opened."""
        self._first.stop()
        self._periodic.stop()
        self._generation += 1
        self._pending = False
        self._changed = False
        self._saved_once = False
        if self.worker is not None:
            self.worker.feedback.cancel()
        if self._key is not None:
            self.store.release(self._key)
            self._key = None

    def _on_finished(self, outcome: AutosaveOutcome) -> None:
        self.worker = None
        if outcome.generation != self._generation:  # saved or discarded meanwhile
            if outcome.key != self._key:
                self.store.release(outcome.key)
            return
        if outcome.error is not None:
            logger.warning("autosave failed: %s", outcome.error)
            error = outcome.error
            text = error_text(error) if isinstance(error, BaseException) else error
            self.message.emit(tr("autosave.failed", error=text))
        else:
            logger.info("autosaved to %s in %.2f s", outcome.path, outcome.elapsed_s)
            self._saved_once = True
            self.saved.emit(str(outcome.path))
        if self._pending:
            self._pending = False
            self.autosave_now()

    def _marker(self) -> SessionMarker:
        return SessionMarker(os.getpid(), self.document.path, self.document.title, self._started_at)

    def _set_aside(self, recovery: Recovery, announce: bool = True) -> Path | None:
        try:
            moved = self.store.set_aside(recovery)
        except OSError as exc:
            logger.warning("cannot set %s aside: %s", recovery.file, exc)
            return None
        if announce:
            self.message.emit(tr("autosave.set_aside", path=moved))
        return moved

    def _ask_recover(self, recovery: Recovery) -> RecoveryChoice:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("autosave.title"))
        box.setText(recovery_question(recovery))
        path = recovery.project_path
        box.setInformativeText(
            tr("autosave.details", path=path) if path else tr("autosave.details_untitled")
        )
        choices: dict[object, RecoveryChoice] = {
            box.addButton(tr("autosave.recover"), QMessageBox.ButtonRole.AcceptRole): (
                RecoveryChoice.RECOVER
            ),
            box.addButton(tr("autosave.ignore"), QMessageBox.ButtonRole.DestructiveRole): (
                RecoveryChoice.IGNORE
            ),
        }
        later = box.addButton(tr("autosave.later"), QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(later)
        box.exec()
        return choices.get(box.clickedButton(), RecoveryChoice.LATER)

    def _show_error(self, text: str) -> None:
        QMessageBox.warning(self._window, tr("autosave.title"), text)
