"""Autosaving off the GUI thread: :class:`AutosaveWorker` writes a copy of the City with
:func:`twin.project.save_project` in a new Python thread and reports, queued, to the GUI thread.

Not a ``QThreadPool``: pyproj 3.7 keeps its PROJ context per OS thread but frees it with the
Python thread state, which pool threads drop after each run, so the second save in the same
pool thread crashed in ``proj_create`` (pyproj issues 1509 and 1622). A thread per autosave
(one every few minutes at most) avoids that. GDAL still holds the GIL while it writes
(pyogrio 0.13), so the GUI thread can wait up to the write of the largest layer.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from twin.city import City
from twin.errors import CancelledError, TwinError
from twin.feedback import Feedback
from twin.project import save_project

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AutosaveOutcome:
    """What an autosave worker did: the file written, or why not."""

    key: str
    generation: int
    path: Path | None
    error: str | BaseException | None  # an error's own, for the app to say in its language
    elapsed_s: float


class _Signals(QObject):
    finished = Signal(object)


class AutosaveWorker:
    """Save a copy of the City to the recovery file in a thread, then emit ``signals.finished``
    (delivered, queued, in the GUI thread)."""

    def __init__(self, city: City, target: Path, key: str, generation: int) -> None:
        self.city, self.target, self.key, self.generation = city, target, key, generation
        self.signals = _Signals()  # created in the GUI thread, so its slots run there
        self.feedback = Feedback()
        self.thread = threading.Thread(target=self.run, name=f"autosave-{key}", daemon=True)

    def start(self) -> None:
        """Run :meth:`run` in a new thread."""
        self.thread.start()

    def run(self) -> None:
        """Save; never raises (the error goes into the outcome)."""
        start = time.perf_counter()
        path: Path | None = None
        error: str | BaseException | None = None
        try:
            path = save_project(self.city, self.target, self.feedback)
        except CancelledError:
            error = "cancelled"
        except (TwinError, OSError) as exc:
            error = exc.with_traceback(None)  # not the frames (and the City copy) it saw
        except Exception as exc:  # a bug must not vanish in a thread
            logger.exception("autosave failed")
            error = f"internal error ({type(exc).__name__}: {exc})"
        elapsed = time.perf_counter() - start
        self.signals.finished.emit(AutosaveOutcome(self.key, self.generation, path, error, elapsed))
