"""Time to produce the digital-impact study of each sample scenario, as a user runs it.

Run with ``uv run pytest -m benchmark -s tests/benchmarks/test_study_benchmark.py``. Each
study is one fresh ``twin study`` process (imports, loading the project, the computation, both
3D views rendered offscreen, charts, maps, then the HTML with its interactive 3D view or the
A4 PDF by WeasyPrint). Goal: at most 15 s each. Figures (wall-clock seconds, the process's
CPU seconds, which other jobs on the machine disturb less, size, PDF pages, the load average)
are printed, never asserted.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from samples.build import build_sample_project
from scenarios.scenario import scenarios_of
from twin.project import load_project

GOAL_S = 15.0


@pytest.mark.benchmark
def test_time_to_produce_each_sample_scenarios_study(tmp_path: Path) -> None:
    pytest.importorskip("scenarios.study.compute")
    project = build_sample_project(tmp_path / "valmont")
    names = sorted(scenarios_of(load_project(project)))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nstudies of {project.name} (goal ≤ {GOAL_S:.0f} s each, fresh process)")
    print(f"  load average before: {load} on {os.cpu_count()} cores")
    for number, name in enumerate(names):
        for suffix in ("html", "pdf"):
            output = tmp_path / f"etude-{number}.{suffix}"
            started = time.perf_counter()
            cpu_before = _children_cpu_s()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "twin.cli",
                    "study",
                    str(project),
                    "--scenario",
                    name,
                    "-o",
                    str(output),
                ],
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - started
            cpu_s = _children_cpu_s() - cpu_before
            if done.returncode:
                print(f"  {name:28s} {suffix}: failed: {done.stderr.strip()}")
                continue
            pages = ""
            if suffix == "pdf":
                info = subprocess.run(["pdfinfo", str(output)], capture_output=True, text=True)
                pages = next(
                    (
                        f", {line.split()[-1]} pages"
                        for line in info.stdout.splitlines()
                        if line.startswith("Pages:")
                    ),
                    "",
                )
            size_mb = output.stat().st_size / 1e6
            flag = "" if seconds <= GOAL_S else "  (over the goal)"
            print(
                f"  {name:28s} {suffix}: {seconds:5.1f} s (CPU {cpu_s:4.1f} s), "
                f"{size_mb:.1f} MB{pages}{flag}"
            )


def _children_cpu_s() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
