"""Crash safety: a save killed at any moment leaves a readable project; after the app is
killed, a new window offers its autosaved edits back; no command writes anywhere but the folder
the user chose and the app's own folders.

The kills are real: child processes (:mod:`tests.robustness.crash_children`) get SIGKILL, which
no handler can catch. tests/twin/test_project.py kills a slowed-down save at three chosen
stages; here the moments are random. Writes are watched with strace where it is allowed.
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gui.autosave import RecoveryChoice
from gui.recovery_store import Recovery, RecoveryStore, recovery_key
from tests.gui.conftest import display, qapp, settings  # noqa: F401  (the app's test fixtures)
from tests.gui.test_autosave import height_m, make_window
from tests.robustness.crash_children import big_city
from tests.robustness.same_project import assert_same_project
from tests.robustness.write_watch import (
    REPO,
    Sandbox,
    files_under,
    outside,
    strace_works,
    written_paths,
)
from tests.scenarios.edit_city import edit_city
from twin.project import load_project, save_project

SAMPLES = REPO / "samples" / "data"
KILLS = 10
SEED = 20_261_122  # the kill moments are random, but the same on every run
CHILD = ("-m", "tests.robustness.crash_children")


def _start(sandbox: Sandbox, *argv: str | Path, log: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        sandbox.command(*CHILD, *argv, log=log),
        cwd=sandbox.cwd,
        env=sandbox.env,
        stdout=subprocess.PIPE,
        stderr=(sandbox.root / "child-stderr.txt").open("w"),
        text=True,
    )


def _line(process: subprocess.Popen, timeout_s: float) -> str:
    """The child's next line on stdout ("" if it ended or said nothing for ``timeout_s``)."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout_s):
            return ""
    return process.stdout.readline().strip()


def _kill(process: subprocess.Popen, pid: int | None = None) -> None:
    """SIGKILL ``pid`` (default: the process itself, not its strace) and wait for the end."""
    os.kill(pid or process.pid, signal.SIGKILL)
    process.wait(timeout=30)


# -- a save killed at random moments ----------------------------------------------------------
def test_a_save_killed_at_random_moments_always_leaves_a_readable_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = Sandbox(tmp_path / "sandbox")
    path = tmp_path / "ville.twin.gpkg"
    previous = edit_city()
    save_project(previous, path)
    before = path.read_bytes()
    child = _start(sandbox, "save", tmp_path / "calibration.twin.gpkg")
    assert _line(child, 120) == "ready"
    started = time.perf_counter()
    assert _line(child, 120) == "saved"
    save_s = time.perf_counter() - started
    child.wait(timeout=30)

    big = big_city()
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    for _ in range(KILLS):
        path.write_bytes(before)  # every run starts from the previous project
        child = _start(sandbox, "save", path)
        assert _line(child, 120) == "ready"
        time.sleep(rng.uniform(0.0, 1.2 * save_s))
        _kill(child)
        left = list(tmp_path.glob(".ville.twin.gpkg.saving-*"))
        if path.read_bytes() == before:
            assert_same_project(load_project(path), previous)
            outcomes["killed mid-save: previous project intact" if left else "killed first"] += 1
        else:  # killed after the rename: the new project, whole
            assert_same_project(load_project(path), big)
            outcomes["killed after the save: new project whole"] += 1
        for stale in left:
            stale.unlink()
    with capsys.disabled():
        print(
            f"\n{KILLS} saves of {len(big.layer('buildings')):,} buildings ({save_s:.2f} s "
            f"each) killed at random: {dict(outcomes)}"
        )
    assert outcomes["killed mid-save: previous project intact"] >= 1, "no kill hit a save"
    assert sum(outcomes.values()) == KILLS


# -- the autosave after a kill ----------------------------------------------------------------
def _answer(asked: list[Recovery]) -> Any:
    def recover(recovery: Recovery) -> RecoveryChoice:
        asked.append(recovery)
        return RecoveryChoice.RECOVER

    return recover


def test_after_the_app_is_killed_a_new_window_offers_its_autosaved_edit(
    tmp_path: Path,
    qtbot: Any,
    settings: Any,  # noqa: F811
) -> None:
    sandbox = Sandbox(tmp_path / "sandbox")
    project = save_project(edit_city(), tmp_path / "bourg.twin.gpkg")
    before = project.read_bytes()
    sandbox.app_settings.parent.mkdir(parents=True)
    sandbox.app_settings.write_text("[autosave]\nfirst_delay_s=0.5\n", encoding="utf-8")
    log = tmp_path / "app.strace" if strace_works() else None

    app = _start(sandbox, "autosave", project, "B1", "41.5", log=log)
    line = _line(app, 180)
    assert line.startswith("autosaved "), (sandbox.root / "child-stderr.txt").read_text()
    _, pid, autosaved = line.split(" ", 2)
    _kill(app, int(pid))

    recovery_dir = sandbox.app_data / "recovery"
    assert Path(autosaved) == recovery_dir / f"{recovery_key(project)}.twin.gpkg"
    assert project.read_bytes() == before  # the user's file was never written
    assert [r.project_path for r in RecoveryStore(recovery_dir).crashed()] == [project]
    window = make_window(qtbot, settings, recovery_dir)
    asked: list[Recovery] = []
    window.autosave.ask_recover = _answer(asked)
    assert window.autosave.offer_recovery()
    assert len(asked) == 1 and asked[0].marker is not None and asked[0].marker.pid == int(pid)
    assert window.document.path == project and window.document.dirty
    assert height_m(window.document.city, "B1") == 41.5
    if log is not None:  # the app wrote its settings, its recovery copy and caches, nothing else
        allowed = [*sandbox.app_folders, *sandbox.library_folders, sandbox.tmp]
        assert outside(written_paths(log, sandbox.cwd), allowed) == []


# -- nothing written outside the chosen folder ------------------------------------------------
def test_import_save_scenario_and_study_write_only_to_the_chosen_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = Sandbox(tmp_path / "sandbox")
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    project = chosen / "ville.twin.gpkg"
    inputs = files_under(SAMPLES)
    traced = strace_works()
    steps = {
        "new": ["new", chosen / "ville"],
        "import": ["import", project, *sorted(SAMPLES.iterdir())],
        "scenario": [
            "scenario",
            "import",
            project,
            REPO / "samples/scenarios/densifier-le-centre.toml",
        ],
        "study": [
            "study",
            project,
            "--scenario",
            "Densifier le centre",
            "-o",
            chosen / "etude.html",
        ],
    }
    report = []
    for name, argv in steps.items():
        log = tmp_path / f"{name}.strace" if traced else None
        sandbox.run("-m", "twin.cli", *argv, log=log)
        assert list(sandbox.tmp.iterdir()) == []  # no temporary file left behind
        if log is not None:
            written = written_paths(log, sandbox.cwd)
            assert outside(written, [chosen, *sandbox.library_folders, sandbox.tmp]) == [], name
            cached = {
                p.relative_to(sandbox.cache).parts[0]
                for p in written
                if p.is_relative_to(sandbox.cache)
            }
            mine = sum(path.is_relative_to(chosen) for path in written)
            report.append(f"{name}: {mine} paths in the chosen folder, caches {sorted(cached)}")
    assert files_under(SAMPLES) == inputs  # the files imported are only read
    assert sorted(p.name for p in chosen.iterdir()) == ["etude.html", "ville.twin.gpkg"]
    assert files_under(sandbox.data) == {} and files_under(sandbox.config) == {}  # caches only
    with capsys.disabled():
        print("\n" + ("\n".join(report) if traced else "strace unavailable: watched folders only"))
