"""Saving where it cannot be written: a read-only folder, a full disk.

The real cases run ``twin`` in a private mount namespace (``unshare``, no privileges needed
where user namespaces are allowed) on a small tmpfs, remounted read-only or filled up, so GDAL
and SQLite meet the real errors; they are skipped where ``unshare`` is not available. The
in-process cases simulate what those libraries raise, and run everywhere.
"""

from __future__ import annotations

import functools
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pyogrio
import pytest

import twin.project
from tests.robustness.bad_files import SAMPLES
from tests.robustness.conftest import assert_refused_cleanly, run_twin

ROOT = Path(__file__).resolve().parents[2]

#: Runs `twin` commands given as JSON lists, then prints each status and stderr as JSON.
_RUNNER = textwrap.dedent(
    """
    import contextlib, hashlib, io, json, subprocess, sys
    from pathlib import Path
    from twin.cli import main

    folder, remount, commands = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["new", str(folder / "ville")]) == 0
    project = folder / "ville.twin.gpkg"
    if remount:
        subprocess.run(["mount", "-o", "remount," + remount, str(folder)], check=True)
    before = hashlib.sha256(project.read_bytes()).hexdigest()
    results = []
    for command in commands:
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            status = main(command)
        results.append({"status": status, "err": err.getvalue()})
    after = hashlib.sha256(project.read_bytes()).hexdigest()
    files = sorted(p.name for p in folder.iterdir())
    print(json.dumps({"results": results, "unchanged": before == after, "files": files}))
    """
)


@functools.cache
def _namespaces_work() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs t /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def _run_on_tmpfs(folder: Path, size: str, remount: str, commands: list[list[str]]) -> dict:
    """Run ``commands`` on a tmpfs of ``size`` mounted on ``folder`` in a private namespace."""
    if not _namespaces_work():
        pytest.skip("unshare cannot mount a private tmpfs here (no user namespaces)")
    folder.mkdir()
    script = (
        f"mount -t tmpfs -o size={size} tmpfs '{folder}' && "
        f"exec '{sys.executable}' -c \"$RUNNER\" '{folder}' '{remount}' \"$COMMANDS\""
    )
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "RUNNER": _RUNNER,
            "COMMANDS": json.dumps(commands),
        },
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _assert_one_line(result: dict, *words: str) -> None:
    assert result["status"] == 2, result["err"]
    assert result["err"].count("\n") == 1 and result["err"].startswith("twin: error: ")
    assert "Traceback" not in result["err"]
    for word in words:
        assert word in result["err"], result["err"]


def test_saving_into_a_read_only_folder_says_so_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "lecture_seule"
    project = str(folder / "ville.twin.gpkg")
    outcome = _run_on_tmpfs(
        folder,
        "4m",
        "ro",
        [
            ["import", project, str(SAMPLES / "communes.json")],
            ["new", str(folder / "autre")],
            ["new", project, "--force"],
        ],
    )
    for result in outcome["results"]:
        _assert_one_line(result, "ville" if "ville" in result["err"] else "autre", "read-only")
    assert outcome["unchanged"]
    assert outcome["files"] == ["ville.twin.gpkg"]


def test_saving_onto_a_full_disk_says_so_and_keeps_the_previous_project(tmp_path: Path) -> None:
    folder = tmp_path / "plein"
    project = str(folder / "ville.twin.gpkg")
    outcome = _run_on_tmpfs(
        folder,
        "300k",
        "",
        [
            ["import", project, str(SAMPLES / "bdtopo.gpkg"), str(SAMPLES / "mnt_25m.tif")],
            ["new", str(folder / "autre")],
        ],
    )
    _assert_one_line(outcome["results"][0], "ville.twin.gpkg", "disk is full")
    assert outcome["unchanged"]
    assert outcome["files"] == ["ville.twin.gpkg"]  # the temporary file was removed


def test_creating_a_project_on_a_full_disk_leaves_nothing_behind(tmp_path: Path) -> None:
    folder = tmp_path / "plein"
    folder.mkdir()
    # The runner's own `twin new` needs the space: fill it with a file first, in-namespace.
    if not _namespaces_work():
        pytest.skip("unshare cannot mount a private tmpfs here (no user namespaces)")
    script = (
        f"mount -t tmpfs -o size=64k tmpfs '{folder}' && "
        f"exec '{sys.executable}' -c \"$SCRIPT\" '{folder}'"
    )
    code = textwrap.dedent(
        """
        import contextlib, io, json, sys
        from pathlib import Path
        from twin.cli import main
        folder = Path(sys.argv[1])
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            status = main(["new", str(folder / "ville")])
        print(json.dumps({"status": status, "err": err.getvalue(),
                          "files": sorted(p.name for p in folder.iterdir())}))
        """
    )
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SCRIPT": code},
        timeout=300,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    _assert_one_line(result, "ville.twin.gpkg", "disk is full")
    assert result["files"] == []


# -- simulated, in-process ---------------------------------------------------------------------
def _gdal_full_disk(*args: object, **kwargs: object) -> None:
    raise pyogrio.errors.DataLayerError(
        "Error while writing batch to OGR layer: sqlite3_exec(COMMIT) failed: database or "
        "disk is full"
    )


def _sqlite_full_disk(*args: object, **kwargs: object) -> None:
    raise sqlite3.OperationalError("database or disk is full")


@pytest.mark.parametrize(
    ("target", "failure"),
    [("_write_layer", _gdal_full_disk), ("_create_tables", _sqlite_full_disk)],
    ids=["GDAL writing a layer", "SQLite writing the tables"],
)
def test_a_full_disk_reported_by_a_library_is_one_line_and_the_project_is_kept(
    target: str,
    failure: object,
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = project.read_bytes()
    monkeypatch.setattr(twin.project, target, failure)
    outcome = run_twin(capsys, "import", project, SAMPLES / "communes.json")
    assert_refused_cleanly(outcome, "ville.twin.gpkg", "disk is full")
    assert project.read_bytes() == before
    assert sorted(p.name for p in project.parent.iterdir()) == ["ville.twin.gpkg"]


def test_a_library_error_that_is_not_the_disk_stays_an_internal_error(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise pyogrio.errors.DataLayerError("Invalid field type")

    monkeypatch.setattr(twin.project, "_write_layer", bug)
    before = project.read_bytes()
    outcome = run_twin(capsys, "import", project, SAMPLES / "communes.json")
    assert outcome.status == 1 and "internal error" in outcome.err
    assert project.read_bytes() == before


def test_a_folder_that_refuses_new_files_is_reported_as_read_only(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    real_open = os.open

    def read_only(path: object, flags: int, *args: object) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    before = project.read_bytes()
    monkeypatch.setattr(twin.atomic_files.os, "open", read_only)
    outcome = run_twin(capsys, "import", project, SAMPLES / "communes.json")
    assert_refused_cleanly(outcome, "ville.twin.gpkg", "read-only")
    assert project.read_bytes() == before
