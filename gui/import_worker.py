"""Reading files off the GUI thread: a ``QRunnable`` that calls the importers, and a
:class:`~twin.feedback.Feedback` whose progress and messages become Qt signals.

The worker only *reads* (importers return data and never touch the City); merging happens
afterwards in the GUI thread. Signals are emitted from the worker thread and delivered, queued,
to the GUI thread. Cancel sets the feedback's flag from the GUI thread; the worker stops at the
importer's next progress report or before the next file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from importers.base import ImportOptions, ImportResult
from importers.registry import read_file
from twin.errors import CancelledError, InvalidInputError, TwinError
from twin.feedback import Feedback

logger = logging.getLogger(__name__)

#: Progress is sent to the GUI only when it moved this much (keeps the event queue short).
PROGRESS_STEP = 0.005


@dataclass(frozen=True)
class ImportJob:
    """One file to read, with its options."""

    path: Path
    options: ImportOptions = field(default_factory=ImportOptions)


@dataclass
class ImportOutcome:
    """What a worker brought back: results read, files needing a placement, or why it stopped.

    Attributes:
        results: (job, result) for every file read, in order.
        needs_placement: jobs of IFC models without georeferencing (to ask where they go).
        error: (file, error) of the first file that could not be read: the importer's error
            (its code and values say it in the app's language: ``gui.error_texts``).
        cancelled: the user cancelled (results must then be dropped).
    """

    results: list[tuple[ImportJob, ImportResult]] = field(default_factory=list)
    needs_placement: list[ImportJob] = field(default_factory=list)
    error: tuple[Path, BaseException] | None = None
    cancelled: bool = False


class ImportSignals(QObject):
    """Signals of a worker (the object lives in the GUI thread, so slots run there).

    Signals:
        progress(fraction): overall progress of the worker's files, 0..1.
        log(message): a line from an importer.
        file_started(index, name): the worker begins reading a file.
        finished(outcome): an :class:`ImportOutcome`, always emitted once.
    """

    progress = Signal(float)
    log = Signal(str)
    file_started = Signal(int, str)
    finished = Signal(object)


class SignalFeedback(Feedback):
    """Feedback that emits Qt signals and stops the importer at its next report once cancelled."""

    def __init__(self, signals: ImportSignals) -> None:
        super().__init__()
        self._signals = signals
        self._sent = -1.0

    def on_progress(self, fraction: float) -> None:
        """Send the progress (throttled), then raise :class:`CancelledError` if cancelled."""
        if fraction - self._sent >= PROGRESS_STEP or (fraction >= 1.0 > self._sent):
            self._sent = fraction
            self._signals.progress.emit(fraction)
        self.raise_if_cancelled()

    def on_log(self, message: str) -> None:
        """Send the message to the GUI."""
        self._signals.log.emit(message)


class ImportWorker(QRunnable):
    """Read ``jobs`` one after the other into the project's CRS, then emit ``finished``."""

    def __init__(self, jobs: list[ImportJob], target_crs: object) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the controller keeps it until ``finished`` is handled
        self.jobs = list(jobs)
        self.target_crs = target_crs
        self.signals = ImportSignals()
        self.feedback = SignalFeedback(self.signals)

    def cancel(self) -> None:
        """Ask the worker to stop (safe from the GUI thread)."""
        self.feedback.cancel()

    def run(self) -> None:
        """Read every file; never raises (errors go into the outcome)."""
        outcome = ImportOutcome()
        try:
            self._read_all(outcome)
        except Exception as exc:  # a bug must not vanish in a thread: report it like an error
            logger.exception("import worker failed")
            outcome.error = (Path("?"), _internal(exc))
        outcome.cancelled = outcome.cancelled or self.feedback.is_cancelled()
        self.signals.finished.emit(outcome)

    def _read_all(self, outcome: ImportOutcome) -> None:
        count = len(self.jobs)
        for index, job in enumerate(self.jobs):
            if self.feedback.is_cancelled():
                outcome.cancelled = True
                return
            self.signals.file_started.emit(index, job.path.name)
            try:
                with self.feedback.step(index / count, (index + 1) / count):
                    self.feedback.set_progress(0.0)
                    result = read_file(
                        job.path,
                        target_crs=self.target_crs,
                        options=job.options,
                        feedback=self.feedback,
                    )
            except CancelledError:
                outcome.cancelled = True
                return
            except TwinError as exc:
                if needs_placement(exc, job):
                    outcome.needs_placement.append(job)
                    continue
                outcome.error = (job.path, exc.with_traceback(None))  # not the frames' data
                return
            except Exception as exc:
                logger.exception("could not read %s", job.path)
                outcome.error = (job.path, _internal(exc))
                return
            outcome.results.append((job, result))


#: The codes of the errors a model's place, given by hand, answers: no georeferencing, or a
#: CRS PROJ does not know (a place given makes the importer ignore the file's own).
PLACEMENT_CODES = frozenset({"ifc_no_georef", "ifc_crs_unknown"})


def needs_placement(error: Exception, job: ImportJob) -> bool:
    """Whether ``error`` asks for a model's place (``--at``) and none was given yet.

    Example:
        >>> needs_placement(InvalidInputError("a.ifc has no georeferencing; give its place "
        ...     "with --at X,Y[,Z]"), ImportJob(Path("a.ifc")))
        True
    """
    asks = getattr(error, "code", None) in PLACEMENT_CODES or (
        isinstance(error, InvalidInputError) and "--at" in str(error)
    )
    return asks and job.options.placement_xyz is None


def _internal(exc: Exception) -> RuntimeError:
    """A bug, reported like an error (in English: the words are for a bug report)."""
    return RuntimeError(f"internal error ({type(exc).__name__}: {exc})")
