"""File ▸ « Exporter l'étude d'impact numérique… » (Ctrl+Shift+E): the study of a scenario of the
open project, as HTML or PDF, produced in the background with progress and Cancel, then opened.

The study is computed from the City in memory (unsaved edits included): the worker hands a
snapshot of it to a child process that computes and writes the file
(:mod:`gui.study_export_worker`, :mod:`gui.study_process`), so the window never waits for it.
The study functions report no progress: the dialog shows their stages (copy, computation, 3D
views, layout) and the seconds elapsed.
The file is written into a hidden staging folder beside the target and moved into place by the
GUI thread only if the user did not cancel: Cancel leaves no file, even right at the end.

The dialogs are attributes tests replace (``ask_request``, ``ask_open``, ``show_error``,
``open_url``).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QMessageBox, QProgressDialog, QPushButton

from gui.actions import ActionSpec
from gui.error_texts import error_text, refusal_text
from gui.i18n import format_number, tr
from gui.study_export_dialog import ExportDialog
from gui.study_export_worker import ExportOutcome, ExportRequest, StudyExportWorker
from gui.threads import FreshThreads
from scenarios.report.output import check_output, output_format
from scenarios.report.typography import check_lang
from scenarios.scenario import BASELINE, scenarios_of
from twin.errors import TwinError

if TYPE_CHECKING:
    from gui.main_window import MainWindow

logger = logging.getLogger(__name__)

#: Progress shown at the start of each stage (out of 100): the stages' usual shares of the time.
STAGE_PROGRESS = {"copy": 2, "start": 6, "compute": 25, "views": 50, "write": 55}
ELAPSED_TICK_MS = 500


class StudyExporter(QObject):
    """Exports studies for one window, one at a time.

    Signals:
        stage_changed(stage): the export reached a stage (``copy`` … ``write``).
        finished(written): an export ended; True when the file is in place.
        message(text): a line for the status bar.
    """

    stage_changed = Signal(str)
    finished = Signal(bool)
    message = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.threads = FreshThreads("study-export")
        self.worker: StudyExportWorker | None = None
        self.staging: Path | None = None
        self.progress: QProgressDialog | None = None
        self.cancel_button: QPushButton | None = None
        self.written: Path | None = None
        self._stage = "copy"
        self._started = 0.0
        self._ticker = QTimer(self)
        self._ticker.setInterval(ELAPSED_TICK_MS)
        self._ticker.timeout.connect(self._show_stage)
        self.ask_request = self._ask_request
        self.ask_open = self._ask_open
        self.show_error = self._show_error
        self.open_url = QDesktopServices.openUrl

    @property
    def running(self) -> bool:
        """Whether a study is being produced."""
        return self.worker is not None

    def action_specs(self) -> list[ActionSpec]:
        """File ▸ Export the digital-impact study… (Ctrl+Shift+E)."""

        def can_export() -> bool:
            return self.window.document.city is not None and not self.running

        return [
            ActionSpec(
                "file.export_study",
                "action.file.export_study",
                self.export_dialog,
                "Ctrl+Shift+E",
                "tip.file.export_study",
                can_export,
            )
        ]

    def export_dialog(self) -> bool:
        """Ask what to export, then start; False when nothing started."""
        city = self.window.document.city
        if city is None:
            return False
        if self.running:
            self.message.emit(tr("export.busy"))
            return False
        try:
            names = list(scenarios_of(city))
        except TwinError as error:
            self.show_error(tr("export.failed", error=error_text(error)))
            return False
        if not names:
            self.show_error(tr("export.no_scenario"))
            return False
        shown = self.window.scenarios.shown_name
        default = shown if shown != BASELINE else names[0]
        request = self.ask_request(names, default)
        return request is not None and self.start(request)

    def start(self, request: ExportRequest) -> bool:
        """Produce the study ``request`` asks for in the background."""
        city = self.window.document.city
        if city is None or self.running:
            return False
        try:
            output_format(request.path)
            check_lang(request.lang)
            check_output(request.path)
        except TwinError as error:
            self.show_error(tr("export.failed", error=error_text(error)))
            return False
        self.staging = Path(
            tempfile.mkdtemp(prefix=f".{request.path.name}.", dir=request.path.parent)
        )
        staged = self.staging / f"study{request.path.suffix.lower()}"
        self.written = None
        self.worker = StudyExportWorker(city.copy(share_layers=True), request, staged)
        self.worker.signals.stage.connect(self._on_stage)
        self.worker.signals.finished.connect(self._on_finished)
        self._open_progress(request)
        self._started = time.perf_counter()
        self._stage = "copy"
        self._show_stage()
        self._ticker.start()
        self.threads.start(self.worker)
        self.window.action_set.update_enabled()
        return True

    def cancel(self) -> None:
        """Stop the export; no file is written."""
        if self.worker is not None:
            self.worker.cancel()

    def wait(self, timeout_ms: int = 180_000) -> bool:
        """Wait until the export ended and was handled (tests); runs the event loop."""
        from PySide6.QtCore import QCoreApplication

        deadline = time.perf_counter() + timeout_ms / 1000
        while self.running and time.perf_counter() < deadline:
            self.threads.waitForDone(5)
            QCoreApplication.processEvents()
        return not self.running

    def shutdown(self) -> None:
        """Cancel and clean up (the window closes)."""
        self.cancel()
        self.threads.waitForDone(30_000)
        self._remove_staging()

    # -- internals ------------------------------------------------------------------------------
    def _open_progress(self, request: ExportRequest) -> None:
        dialog = QProgressDialog(self.window)
        dialog.setWindowTitle(tr("export.progress", name=request.scenario))
        self.cancel_button = QPushButton(tr("export.cancel"))
        self.cancel_button.setToolTip(tr("export.tip.cancel"))
        dialog.setCancelButton(self.cancel_button)
        dialog.setRange(0, 100)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumWidth(460)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self.progress = dialog

    def _on_stage(self, stage: str) -> None:
        self._stage = stage
        if self.progress is not None:
            self.progress.setValue(STAGE_PROGRESS.get(stage, self.progress.value()))
        self._show_stage()
        self.stage_changed.emit(stage)

    def _show_stage(self) -> None:
        if self.progress is None or self.worker is None:
            return
        key = self._stage
        if key == "write":
            key = "write_pdf" if self.worker.request.path.suffix.lower() == ".pdf" else "write_html"
        seconds = format_number(time.perf_counter() - self._started, 0)
        self.progress.setLabelText(
            tr("export.elapsed", stage=tr(f"export.stage.{key}"), seconds=seconds)
        )

    def _on_finished(self, outcome: ExportOutcome) -> None:
        self._ticker.stop()
        worker, self.worker = self.worker, None
        if worker is not None and worker.is_cancelled():  # Cancel after the child's last word
            outcome.cancelled = True
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
            self.cancel_button = None
        path = outcome.request.path
        written = False
        if outcome.cancelled:
            self.message.emit(tr("export.cancelled"))
        elif outcome.error or outcome.written is None:
            reason = refusal_text(outcome.refusal) if outcome.refusal else outcome.error
            self.show_error(tr("export.failed", error=reason or "?"))
        else:
            try:
                outcome.written.replace(path)
                written = True
            except OSError as error:
                self.show_error(tr("export.failed", error=error.strerror or error))
        self._remove_staging()
        self.window.action_set.update_enabled()
        if written:
            self.written = path
            logger.info("study written to %s in %.1f s", path, outcome.seconds)
            self.message.emit(tr("export.done", path=path))
        self.finished.emit(written)
        if written and self.ask_open(path):
            self.open_url(QUrl.fromLocalFile(str(path)))

    def _remove_staging(self) -> None:
        if self.staging is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(self.staging)
            self.staging = None

    # -- default dialogs ----------------------------------------------------------------------
    def _ask_request(self, scenarios: list[str], shown: str) -> ExportRequest | None:
        path = self.window.document.path
        folder = path.parent if path is not None else Path.home()
        dialog = ExportDialog(scenarios, shown, folder, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request()

    def _ask_open(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.window,
            tr("export.open_title"),
            tr("export.open_text", path=path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, text: str) -> None:
        QMessageBox.warning(self.window, tr("export.error_title"), text)
