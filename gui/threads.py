"""Background work in a fresh Python thread per job, instead of a ``QThreadPool``.

pyproj 3.7 (the last release for Python 3.11) keeps its PROJ context per OS thread but frees it
with the Python thread state, which pool threads drop after each job, so a second job that
reprojects in the same pool thread can crash in ``proj_create`` (pyproj issues 1509 and 1622).
Imports, scene builds and autosaves are seconds long and rare, so a thread each costs nothing.
The jobs' Qt signals reach the GUI thread queued, as from a pool thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

logger = logging.getLogger(__name__)


class Runnable(Protocol):
    """Anything with a ``run()`` method (a ``QRunnable`` too)."""

    def run(self) -> None:
        """Do the work."""


class FreshThreads:
    """Runs each job in a new daemon thread, one job at a time (a job starts when the previous
    one ended, as in a ``QThreadPool`` of one thread), with the same calls as that pool.

    Example:
        >>> done = []
        >>> class Job:
        ...     def run(self) -> None:
        ...         done.append(threading.current_thread().name)
        >>> threads = FreshThreads("demo")
        >>> threads.start(Job()); threads.start(Job())
        >>> threads.waitForDone()
        True
        >>> len(set(done)), done[0].startswith("demo-")
        (2, True)
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._count = 0
        self._threads: list[threading.Thread] = []

    def start(self, job: Runnable) -> None:
        """Run ``job.run()`` in a new thread."""
        self._count += 1
        previous = self._threads[-1] if self._threads else None
        thread = threading.Thread(
            target=self._run,
            args=(job, previous),
            name=f"{self._name}-{self._count}",
            daemon=True,
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def waitForDone(self, msecs: int = -1) -> bool:  # noqa: N802 (Qt name)
        """Wait for every job started (at most ``msecs`` each; -1: no limit); True when all
        ended."""
        for thread in self._threads:
            thread.join(None if msecs < 0 else msecs / 1000.0)
        self._threads = [t for t in self._threads if t.is_alive()]
        return not self._threads

    def activeThreadCount(self) -> int:  # noqa: N802 (Qt name)
        """How many jobs are still running."""
        return sum(t.is_alive() for t in self._threads)

    @staticmethod
    def _run(job: Runnable, previous: threading.Thread | None) -> None:
        if previous is not None:
            previous.join()
        try:
            job.run()
        except Exception:  # a job reports its own errors; this is a last resort, logged
            logger.exception("background job failed")
