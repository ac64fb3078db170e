"""The fuzzer's side of :mod:`tests.fuzz.worker`: send an input, wait at most a time limit,
kill and restart the worker on a hang or a crash; and the figures of a run.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fuzz.worker import REPO

STARTUP_TIMEOUT_S = 180.0
#: The outcomes that are failures: anything but a file read or refused with a clear line.
FAILURES = ("unclear", "other", "hang", "crash")


class Worker:
    """A :mod:`tests.fuzz.worker` process, restarted after a hang or a crash.

    Args:
        stderr: where the worker's stderr goes (kept to look at after a crash).
    """

    def __init__(self, stderr: Path) -> None:
        self.stderr_path = stderr
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        with self.stderr_path.open("a") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.fuzz.worker"],
                cwd=REPO,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        line = self._line(STARTUP_TIMEOUT_S)
        if line != "ready":
            raise RuntimeError(f"the fuzz worker did not start: {self.stderr_path.read_text()}")

    def _line(self, timeout_s: float) -> str | None:
        """The next line; None after ``timeout_s``; "" if the worker ended."""
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout_s):
                return None
        return self.process.stdout.readline().strip()

    def run(self, target: str, path: Path, timeout_s: float) -> dict[str, Any]:
        """How reading ``path`` as ``target`` ended (see :mod:`tests.fuzz.worker`), or
        ``hang`` after ``timeout_s``, or ``crash`` if the worker died."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{target}\t{path}\n")
        self.process.stdin.flush()
        line = self._line(timeout_s)
        if line:
            return dict(json.loads(line))
        if line is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            outcome = {"outcome": "hang", "type": f"no answer in {timeout_s:g} s"}
        else:
            status = self.process.wait()
            outcome = {"outcome": "crash", "type": f"worker ended with status {status}"}
        self.restarts += 1
        self._start()
        return {**outcome, "message": "", "where": ""}

    def close(self) -> None:
        """End the worker."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Figures:
    """What one target's run tried and how each input ended."""

    target: str
    tried: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, Any]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: dict[str, Any], description: str, kept: Path | None) -> None:
        """Count one input; keep a failure with what it was and where its file was saved."""
        self.tried += 1
        self.outcomes[outcome["outcome"]] += 1
        if outcome["outcome"] in FAILURES:
            self.failures.append({**outcome, "input": description, "kept": str(kept or "")})

    def line(self) -> str:
        """One line of figures: inputs tried, per second, and how they ended."""
        seconds = time.monotonic() - self.started
        ended = ", ".join(f"{name} {count}" for name, count in sorted(self.outcomes.items()))
        return (
            f"{self.target:>9}: {self.tried:5d} inputs in {seconds:5.1f} s "
            f"({self.tried / max(seconds, 1e-9):5.1f}/s): {ended}"
        )

    def failure_lines(self) -> list[str]:
        """One line per kind of failure (type and place), with a count and an example."""
        kinds: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for failure in self.failures:
            key = (failure["outcome"], failure["type"], failure["where"])
            kinds.setdefault(key, []).append(failure)
        return [
            f"  {outcome} {kind} at {where or '?'} ×{len(cases)}: {cases[0]['message'][:160]!r}"
            f" ({cases[0]['input']}; kept in {cases[0]['kept'] or '-'})"
            for (outcome, kind, where), cases in sorted(kinds.items())
        ]
