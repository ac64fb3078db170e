"""Producing a study off the GUI thread: a job for :class:`~gui.threads.FreshThreads` that
hands the open City (unsaved edits included) to :mod:`gui.study_process` in a child process
(its snapshot pickled to a private temporary folder), and relays the child's stages as Qt
signals.

Cancel ends the child at once (the study functions have no progress or cancel hook of their
own); the temporary folder is always removed, and the file written by the child stays in the
staging folder the controller gave, for the GUI thread to publish or remove.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from gui.study_process import STATE_SUFFIX, write_city_state
from scenarios.edits.refusals import Refusal, refusal_of
from scenarios.scenario import BASELINE
from twin.city import City
from twin.errors import TwinError

logger = logging.getLogger(__name__)

CHILD_MODULE = "gui.study_process"
STDERR_TAIL_CHARS = 2_000


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the scenario, what it is compared with, the language and the file."""

    scenario: str
    path: Path
    compare: str = BASELINE
    lang: str = "fr"


@dataclass
class ExportOutcome:
    """What the worker brought back: the file written in the staging folder, or why not."""

    request: ExportRequest
    written: Path | None = None
    error: str = ""
    refusal: Refusal | None = None  # the error's code and values, when the model refused
    cancelled: bool = False
    seconds: float = 0.0


class ExportSignals(QObject):
    """stage(name): ``copy``, ``start``, then the child's ``compute``, ``views``, ``write``;
    finished(outcome): an :class:`ExportOutcome`, emitted once."""

    stage = Signal(str)
    finished = Signal(object)


class StudyExportWorker:
    """Writes the study of ``request`` for ``city`` to ``staged``; ``city`` is only read
    (a ``City.copy(share_layers=True)`` is enough: frames are replaced, never changed)."""

    def __init__(self, city: City, request: ExportRequest, staged: Path) -> None:
        self.city = city
        self.request = request
        self.staged = staged
        self.signals = ExportSignals()
        self._lock = threading.Lock()
        self._cancelled = False
        self._process: subprocess.Popen[str] | None = None

    def cancel(self) -> None:
        """Stop at once: end the child process if it runs (safe from the GUI thread)."""
        with self._lock:
            self._cancelled = True
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()

    def is_cancelled(self) -> bool:
        """Whether Cancel was asked for."""
        return self._cancelled

    def run(self) -> None:
        """Save the copy, run the child, report; never raises."""
        outcome = ExportOutcome(self.request)
        started = time.perf_counter()
        folder = Path(tempfile.mkdtemp(prefix="urban-twin-study-"))
        try:
            self.signals.stage.emit("copy")
            project = write_city_state(self.city, folder / f"city{STATE_SUFFIX}")
            if not self._cancelled:
                self.signals.stage.emit("start")
                self._run_child(project, folder, outcome)
        except TwinError as error:
            outcome.error, outcome.refusal = str(error), refusal_of(error)
        except Exception as error:  # a bug must not vanish in a thread
            logger.exception("study export failed")
            outcome.error = f"internal error ({type(error).__name__}: {error})"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        outcome.cancelled = self._cancelled
        if outcome.cancelled or outcome.error:
            outcome.written = None
        outcome.seconds = time.perf_counter() - started
        self.signals.finished.emit(outcome)

    def _run_child(self, project: Path, folder: Path, outcome: ExportOutcome) -> None:
        request = self.request
        command = [
            sys.executable,
            "-m",
            CHILD_MODULE,
            str(project),
            "--scenario",
            request.scenario,
            "--compare",
            request.compare,
            "--lang",
            request.lang,
            "-o",
            str(self.staged),
        ]
        errors_path = folder / "stderr.txt"
        with errors_path.open("w+", encoding="utf-8", errors="replace") as errors:
            with self._lock:
                if self._cancelled:
                    return
                self._process = subprocess.Popen(
                    command,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    stdin=subprocess.DEVNULL,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                    env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
                )
            process = self._process
            assert process.stdout is not None
            reported_error = ""
            done = False
            for line in process.stdout:
                message = _parse(line)
                if "stage" in message:
                    self.signals.stage.emit(str(message["stage"]))
                elif "error" in message:
                    reported_error = str(message["error"])
                    outcome.refusal = _refusal(message)
                elif "done" in message:
                    done = True
            status = process.wait()
            errors.seek(0)
            tail = errors.read()[-STDERR_TAIL_CHARS:]
        if self._cancelled:
            return
        if status == 0 and done and self.staged.exists():
            outcome.written = self.staged
            return
        outcome.error = reported_error or _failure(status, tail)
        with contextlib.suppress(OSError):
            self.staged.unlink()


def _refusal(message: dict[str, object]) -> Refusal | None:
    """The refusal the child reported with its error (code and values), if any."""
    code, values = message.get("code"), message.get("values")
    return Refusal(code, values) if isinstance(code, str) and isinstance(values, dict) else None


def _parse(line: str) -> dict[str, object]:
    """A JSON line of the child, or {} for anything else it printed."""
    text = line.strip()
    if not text.startswith("{"):
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _failure(status: int, stderr_tail: str) -> str:
    """One line for a child that stopped without saying why: its last error line."""
    lines = [line for line in stderr_tail.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else ""
    detail = f": {last}" if last else ""
    return f"the study process stopped (exit status {status}){detail}"
