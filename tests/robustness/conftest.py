"""Running the ``twin`` command on bad input, and checking it refused it cleanly.

Every case runs ``twin.cli.main`` in-process with the logging set up as the installed command
sets it (a handler on the captured stderr), so a warning printed before the error counts as a
second line, as it would in a terminal.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from twin.cli import main

#: Python exception names leaking into a message (``ValueError``, ``DataSourceError: ...``).
PYTHON_ERROR = re.compile(r"\b[A-Z]\w*(?:Error|Exception)\b|Traceback")
#: Words that tell the user what to do, after the "what went wrong" part of a message.
REMEDY = re.compile(
    r"\b(?:check|give|export|fetch|download|save|use|open|update|create|choose|add|zip|free|"
    r"say|fix|remove|import|draw|compress|run|put|keep|rename|declare|ask|select|split|"
    r"convert|reproject|write|delete|copy|read|map|upgrade|see|update)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Outcome:
    """What one ``twin`` command returned and printed."""

    status: int
    out: str
    err: str


def run_twin(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Outcome:
    """Run ``twin ARGV`` in-process; stderr holds what a terminal would show (logs included)."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    root.handlers.clear()  # so that main()'s basicConfig writes on the captured stderr
    capsys.readouterr()
    try:
        status = main([str(arg) for arg in argv])
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    captured = capsys.readouterr()
    return Outcome(status, captured.out, captured.err)


def assert_refused_cleanly(outcome: Outcome, *names: str) -> str:
    """Status 2 and exactly one line on stderr naming ``names`` and saying what to do.

    Returns:
        The line, for further checks.
    """
    assert outcome.status == 2, f"status {outcome.status}: {outcome.err}"
    assert outcome.err.count("\n") == 1 and outcome.err.endswith("\n"), outcome.err
    line = outcome.err.rstrip("\n")
    assert line.startswith("twin: error: "), line
    assert not PYTHON_ERROR.search(line), line
    for name in names:
        assert name in line, f"{name!r} not in: {line}"
    message = line.removeprefix("twin: error: ")
    _, _, remedy = message.partition(";") if ";" in message else message.partition(": ")
    assert REMEDY.search(remedy), f"no 'what to do' after the 'what went wrong' in: {line}"
    return line


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A fresh empty project made by ``twin new`` (Lambert-93), in its own folder."""
    folder = tmp_path / "project"
    folder.mkdir()
    outcome = run_twin(capsys, "new", folder / "ville")
    assert outcome.status == 0, outcome.err
    return folder / "ville.twin.gpkg"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """The folder the bad files are written to (never the project's folder)."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    return folder


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes (to prove nothing changed)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
