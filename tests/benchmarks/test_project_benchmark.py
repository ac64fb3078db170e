"""Benchmark: saving and loading a project of 1k/10k/100k buildings (goal: at most 2 s each).

Run with ``.venv/bin/python -m pytest -m benchmark -s tests/benchmarks``; figures are printed,
never asserted (timed asserts fail on a busy machine and prove nothing).
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from pathlib import Path

import pytest

from samples.synthetic import synthetic_buildings
from twin.city import City
from twin.project import load_project, save_project


@pytest.mark.benchmark
@pytest.mark.parametrize("n_buildings", [1_000, 10_000, 100_000])
def test_project_save_and_load_figures(tmp_path: Path, n_buildings: int) -> None:
    city = City(name=f"synthetic {n_buildings}")
    city.set_layer("buildings", synthetic_buildings(n_buildings, seed=7))
    path = tmp_path / "bench.twin.gpkg"

    tracemalloc.start()
    start = time.perf_counter()
    save_project(city, path)
    save_s = time.perf_counter() - start
    _, save_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()

    start = time.perf_counter()
    again = load_project(path)
    load_s = time.perf_counter() - start
    _, load_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert len(again.layer("buildings")) == n_buildings
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nproject {n_buildings:>7} buildings: save {save_s:6.3f} s (Python peak "
        f"{save_peak / 2**20:6.1f} MiB), load {load_s:6.3f} s (Python peak "
        f"{load_peak / 2**20:6.1f} MiB), file {path.stat().st_size / 2**20:6.1f} MiB, "
        f"process max RSS {rss_mib:7.1f} MiB (goal: save and load at most 2 s each)"
    )
