"""Background jobs of the sun panel: a function run in a fresh thread (:mod:`gui.threads`)
with a :class:`~twin.feedback.Feedback` whose progress becomes a Qt signal, and a runner that
keeps only the latest request (a time slider dragged asks for many shadows: the ones asked for
while a job runs are replaced by the last).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from gui.threads import FreshThreads
from twin.errors import CancelledError, TwinError
from twin.feedback import Feedback

logger = logging.getLogger(__name__)

PROGRESS_STEP = 0.01


@dataclass
class JobOutcome:
    """What a job brought back: its ``result``, or the one-line ``error``, or ``cancelled``."""

    key: Any
    result: Any = None
    error: str = ""
    cancelled: bool = False


class JobSignals(QObject):
    """progress(fraction) and finished(JobOutcome), delivered in the GUI thread."""

    progress = Signal(float)
    finished = Signal(object)


class SignalFeedback(Feedback):
    """Feedback sending its progress as a signal (throttled); stops the job once cancelled."""

    def __init__(self, signals: JobSignals) -> None:
        super().__init__()
        self._signals = signals
        self._sent = -1.0

    def on_progress(self, fraction: float) -> None:
        """Send the progress, then raise :class:`CancelledError` if the user cancelled."""
        if fraction - self._sent >= PROGRESS_STEP or fraction >= 1.0 > self._sent:
            self._sent = fraction
            self._signals.progress.emit(fraction)
        self.raise_if_cancelled()


class FunctionJob:
    """``work(feedback)`` run by :class:`~gui.threads.FreshThreads`; emits ``finished`` once."""

    def __init__(self, key: object, work: Callable[[Feedback], Any]) -> None:
        self.key = key
        self.work = work
        self.signals = JobSignals()
        self.feedback = SignalFeedback(self.signals)

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report (safe from the GUI thread)."""
        self.feedback.cancel()

    def run(self) -> None:
        """Run the work; never raises (errors go into the outcome)."""
        outcome = JobOutcome(self.key)
        try:
            outcome.result = self.work(self.feedback)
        except CancelledError:
            outcome.cancelled = True
        except TwinError as error:
            outcome.error = str(error)
        except Exception as error:  # a bug must not vanish in a thread
            logger.exception("background job failed")
            outcome.error = f"internal error ({type(error).__name__}: {error})"
        outcome.cancelled = outcome.cancelled or self.feedback.is_cancelled()
        self.signals.finished.emit(outcome)


class LatestRunner(QObject):
    """Runs one job at a time; a request made while one runs waits, replacing any earlier
    waiting request, so the last request is always the last one run.

    Signals:
        finished(outcome): a job ended (its :class:`JobOutcome`).
        progress(fraction): progress of the running job.
    """

    finished = Signal(object)
    progress = Signal(float)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads = FreshThreads(name)
        self.job: FunctionJob | None = None
        self._waiting: FunctionJob | None = None

    @property
    def busy(self) -> bool:
        """Whether a job runs or waits."""
        return self.job is not None or self._waiting is not None

    def request(self, key: object, work: Callable[[Feedback], Any]) -> None:
        """Run ``work`` now, or after the running job (replacing a job still waiting)."""
        job = FunctionJob(key, work)
        if self.job is not None:
            self._waiting = job
            return
        self._start(job)

    def cancel(self) -> None:
        """Cancel the running job and drop the waiting one."""
        self._waiting = None
        if self.job is not None:
            self.job.cancel()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Wait for the threads started (tests); True when none runs."""
        return self._threads.waitForDone(timeout_ms)

    def _start(self, job: FunctionJob) -> None:
        self.job = job
        job.signals.progress.connect(self.progress)
        job.signals.finished.connect(self._on_finished)
        self._threads.start(job)

    def _on_finished(self, outcome: JobOutcome) -> None:
        self.job = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start(waiting)
        self.finished.emit(outcome)
