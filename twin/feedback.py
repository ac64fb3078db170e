"""Feedback: progress, log and cancel carried into every long job.

The QGIS Processing idea in a few lines: a long function takes an optional ``feedback`` and
reports progress in 0..1, logs messages and checks :meth:`Feedback.is_cancelled`. The CLI shows
it as a progress bar, the app as a progress widget with a Cancel button, a test as a recorder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from twin.errors import CancelledError

logger = logging.getLogger(__name__)


class Feedback:
    """Progress, log and cancel for one long operation.

    Subclasses override :meth:`on_progress` and :meth:`on_log` to show them; the base class
    only records the latest values and forwards messages to :mod:`logging`.

    Progress may be split among sub-steps with :meth:`step`, so a function that calls three
    others gives each a share of the bar without knowing who called it.
    """

    def __init__(self) -> None:
        self._cancelled = False
        self._progress = 0.0
        self._span = (0.0, 1.0)
        self.messages: list[str] = []

    # -- progress -------------------------------------------------------------------------
    @property
    def progress(self) -> float:
        """The overall progress reached so far, from 0 to 1."""
        return self._progress

    def set_progress(self, fraction: float) -> None:
        """Report progress of the current step as a fraction in 0..1 (clipped)."""
        low, high = self._span
        fraction = min(max(float(fraction), 0.0), 1.0)
        value = low + (high - low) * fraction
        if value < self._progress:
            value = self._progress  # a bar never goes backwards
        self._progress = value
        self.on_progress(value)

    @contextmanager
    def step(self, start: float, end: float) -> Iterator[Feedback]:
        """Map the progress of a sub-step onto the share ``start..end`` of the current step."""
        low, high = self._span
        saved = self._span
        self._span = (low + (high - low) * start, low + (high - low) * end)
        try:
            yield self
        finally:
            self._span = saved
        self.set_progress(end)

    # -- log --------------------------------------------------------------------------------
    def log(self, message: str) -> None:
        """Report a message for the user (one line, in plain words)."""
        self.messages.append(message)
        logger.info(message)
        self.on_log(message)

    # -- cancel -----------------------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the running operation to stop at its next check."""
        self._cancelled = True

    def is_cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancelled

    def raise_if_cancelled(self) -> None:
        """Raise :class:`CancelledError` if the user cancelled."""
        if self._cancelled:
            raise CancelledError("Cancelled by the user: nothing was changed.")

    # -- hooks for front-ends ---------------------------------------------------------------
    def on_progress(self, fraction: float) -> None:
        """Show overall progress (0..1). Override in a front-end."""

    def on_log(self, message: str) -> None:
        """Show a message. Override in a front-end."""


class CallbackFeedback(Feedback):
    """Feedback forwarding progress and messages to plain callables."""

    def __init__(
        self,
        on_progress: Callable[[float], None] | None = None,
        on_log: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self._progress_cb = on_progress
        self._log_cb = on_log

    def on_progress(self, fraction: float) -> None:
        """Forward progress to the callback given at construction."""
        if self._progress_cb is not None:
            self._progress_cb(fraction)

    def on_log(self, message: str) -> None:
        """Forward the message to the callback given at construction."""
        if self._log_cb is not None:
            self._log_cb(message)


def ensure_feedback(feedback: Feedback | None) -> Feedback:
    """Return ``feedback`` or a silent one, so long functions never test for None."""
    return feedback if feedback is not None else Feedback()
