"""Importing files into the open project: read in a worker, merge in the GUI thread, report.

The files are read by :class:`~gui.import_worker.ImportWorker` while a progress bar with a
Cancel button shows in the status bar (the window stays responsive). When every file is read,
all results are checked (:func:`~importers.merge.check_result`) and only then merged, all
together or not at all (:func:`~importers.merge.merge_results`), so a bad file, a cancel, a
refused placement or a merge failing half-way leaves the project unchanged (and not dirty).
IFC models without georeferencing are read again once the user has said where they go.
"Importer avec options…" asks the options of ``twin import`` first
(:mod:`gui.import_options_dialog`). The report is written in the app's language
(:mod:`gui.import_report`).

The dialogs are attributes (``ask_paths``, ``ask_options``, ``ask_placement``, ``show_report``,
``show_error``) so tests can answer them without a modal loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressBar, QPushButton, QTextEdit

from gui.error_texts import error_text
from gui.i18n import tr
from gui.import_options_dialog import ask_import_options
from gui.import_report import FileReport, file_report, format_report
from gui.import_worker import ImportJob, ImportOutcome, ImportWorker
from gui.placement_dialog import Placement, ask_placement
from gui.threads import FreshThreads
from importers.base import ImportOptions, ImportResult
from twin.errors import TwinError

if TYPE_CHECKING:
    from gui.main_window import MainWindow

logger = logging.getLogger(__name__)

PROGRESS_STEPS = 1000
#: Width and height (pixels) of the report's details area.
REPORT_SIZE = (720, 320)


class FileImporter(QObject):
    """The window's import command.

    Signals:
        message(text): a line for the status bar.
        finished(merged): an import ended; True when something was merged.
    """

    message = Signal(str)
    finished = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._pool = FreshThreads("import")  # not a QThreadPool: see gui/threads.py
        self.worker: ImportWorker | None = None
        self._results: list[tuple[ImportJob, ImportResult]] = []
        self.ask_paths: Callable[[], list[str]] = self._ask_paths
        self.ask_options: Callable[[list[Path]], ImportOptions | None] = lambda paths: (
            ask_import_options(paths, self._window)
        )
        #: The data of the last report shown (to write it again in another language).
        self.last_report: list[FileReport] = []
        self.ask_placement: Callable[[str, tuple[float, float]], Placement | None] = (
            lambda name, default: ask_placement(name, default, self._window)
        )
        self.show_report: Callable[[str, str], None] = self._show_report
        self.show_error: Callable[[str], None] = self._show_error
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setMaximumWidth(240)
        self.cancel_button = QPushButton(tr("import.cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        status = window.statusBar()
        status.addWidget(self.progress_bar)
        status.addWidget(self.cancel_button)
        self._show_progress(False)

    @property
    def running(self) -> bool:
        """Whether files are being read now."""
        return self.worker is not None

    # -- commands ---------------------------------------------------------------------------
    def import_dialog(self) -> bool:
        """Ask which files to import, then import them."""
        chosen = self.ask_paths()
        return bool(chosen) and self.import_files([Path(p) for p in chosen])

    def import_with_options(self) -> bool:
        """Ask which files to import, then how to read them (the CLI's options), then import."""
        paths = [Path(p) for p in self.ask_paths()]
        if not paths:
            return False
        options = self.ask_options(paths)
        return options is not None and self.import_files(paths, options)

    def import_files(
        self, paths: Iterable[str | Path], options: ImportOptions | None = None
    ) -> bool:
        """Start reading ``paths`` in the background with ``options`` (default: detected from
        the content); False if nothing was started."""
        files = [Path(p) for p in paths]
        if not files:
            return False
        if self.running:
            self.message.emit(tr("import.busy"))
            return False
        if self._window.document.city is None:
            self.show_error(tr("import.no_project"))
            return False
        self._results = []
        self._start([ImportJob(path, options or ImportOptions()) for path in files])
        return True

    def cancel(self) -> None:
        """Stop the running import: nothing will be merged."""
        if self.worker is not None:
            logger.info("import cancelled by the user")
            self.worker.cancel()
            self.cancel_button.setEnabled(False)

    def shutdown(self) -> None:
        """Cancel any import and wait for its thread (when the window closes)."""
        self.cancel()
        self._pool.waitForDone()

    # -- worker -----------------------------------------------------------------------------
    def _start(self, jobs: list[ImportJob]) -> None:
        city = self._window.document.city
        assert city is not None
        worker = ImportWorker(jobs, city.crs)
        worker.signals.progress.connect(self._on_progress)
        worker.signals.file_started.connect(self._on_file_started)
        worker.signals.finished.connect(self._on_finished)
        self.worker = worker
        self.progress_bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self._show_progress(True)
        self._window.action_set.update_enabled()
        self._pool.start(worker)

    def _on_progress(self, fraction: float) -> None:
        self.progress_bar.setValue(round(fraction * PROGRESS_STEPS))

    def _on_file_started(self, _index: int, name: str) -> None:
        self.progress_bar.setFormat(f"{name} — %p %")
        self.message.emit(tr("import.reading", name=name))

    def _on_finished(self, outcome: ImportOutcome) -> None:
        worker = self.worker
        self.worker = None
        self._show_progress(False)
        self._window.action_set.update_enabled()
        if worker is None or outcome.cancelled or worker.feedback.is_cancelled():
            self._stop(tr("import.cancelled"))
            return
        if outcome.error is not None:
            path, error = outcome.error
            self._stop("")
            self.show_error(tr("import.read_failed", name=path.name, error=error_text(error)))
            return
        self._results += outcome.results
        if outcome.needs_placement:
            jobs = self._placed(outcome.needs_placement)
            if jobs is None:
                self._stop(tr("import.cancelled"))
            else:
                self._start(jobs)
            return
        self._merge()

    def _placed(self, jobs: list[ImportJob]) -> list[ImportJob] | None:
        placed = []
        for job in jobs:
            answer = self.ask_placement(job.path.name, self.default_placement())
            if answer is None:
                return None
            x, y, z, rotation = answer
            options = replace(job.options, placement_xyz=(x, y, z), rotation_deg=rotation)
            placed.append(ImportJob(job.path, options))
        return placed

    def default_placement(self) -> tuple[float, float]:
        """The centre of the 3D view, else of the project's extent, else (0, 0)."""
        city = self._window.document.city
        extent = city.extent() if city is not None else None
        if city is None or extent is None:
            return (0.0, 0.0)
        if self._window.view.layers:
            fx, fy, _fz = self._window.view.plotter.camera.focal_point
            ox, oy, _oz = city.ensure_origin()
            return (round(fx + ox, 2), round(fy + oy, 2))
        return ((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2)

    def _stop(self, text: str) -> None:
        self._results = []
        if text:
            self.message.emit(text)
        self.finished.emit(False)

    # -- merge ------------------------------------------------------------------------------
    def _merge(self) -> None:
        from importers.merge import MergeError, check_result, merge_results

        city = self._window.document.city
        results, self._results = self._results, []
        if city is None or not results:
            self._stop(tr("import.nothing"))
            return
        for job, result in results:
            try:
                check_result(city, result)
            except TwinError as exc:
                self._stop("")
                self.show_error(tr("import.read_failed", name=job.path.name, error=error_text(exc)))
                return
        was_empty = city.extent() is None
        try:  # all or nothing: a merge failing half-way puts the City back, with no event
            merged = merge_results(city, [result for _job, result in results])
        except TwinError as exc:  # e.g. a second file far from the first one, or out of memory
            failed = exc.source if isinstance(exc, MergeError) else ""
            name = failed or ", ".join(job.path.name for job, _ in results)
            logger.warning("could not merge %s: %s", name, exc)
            self._stop("")
            self.show_error(tr("import.read_failed", name=name, error=error_text(exc)))
            return
        self.last_report = [
            file_report(result, report)
            for (_job, result), report in zip(results, merged, strict=True)
        ]
        self._window.after_import(was_empty)
        names = ", ".join(job.path.name for job, _ in results)
        self.message.emit(tr("import.done", count=len(results)))
        self.finished.emit(True)
        self.show_report(
            tr("import.report_text", count=len(results), names=names),
            format_report(self.last_report),
        )

    # -- dialogs ----------------------------------------------------------------------------
    def _show_progress(self, visible: bool) -> None:
        self.progress_bar.setVisible(visible)
        self.cancel_button.setVisible(visible)

    def _ask_paths(self) -> list[str]:
        paths, _filter = QFileDialog.getOpenFileNames(
            self._window, tr("import.dialog_title"), "", tr("import.filter")
        )
        return list(paths)

    def _show_report(self, text: str, details: str) -> None:
        box = QMessageBox(self._window)
        box.setWindowTitle(tr("import.report_title"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(text)
        box.setDetailedText(details)
        for area in box.findChildren(QTextEdit):  # the report's lines are long: room for them
            area.setMinimumSize(REPORT_SIZE[0], REPORT_SIZE[1])
        box.open()  # not exec(): no nested event loop

    def _show_error(self, text: str) -> None:
        QMessageBox.critical(self._window, tr("import.error_title"), text)

    def retranslate(self) -> None:
        """The Cancel button in the current language."""
        self.cancel_button.setText(tr("import.cancel"))
