"""LoD1 extrusion speed and memory on synthetic towns of 1k, 10k and 100k buildings.

Run with ``uv run pytest -m benchmark -s tests/benchmarks/test_lod1_benchmark.py``. Figures
are printed, never asserted (machines differ); the goal is 100k footprints in at most 2 s and
1.5 GiB peak.
"""

from __future__ import annotations

import gc
import logging
import resource
import sys
import time
import tracemalloc

import numpy as np
import pytest

from samples.synthetic import synthetic_buildings
from twin.extrude import extrude_footprints

ORIGIN = (650000.0, 6860000.0, 0.0)
GOAL_100K_S = 2.0
GOAL_PEAK_GIB = 1.5


def _max_rss_mib() -> float:
    """Process high-water resident memory (KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10


@pytest.mark.benchmark
@pytest.mark.parametrize("n_buildings", [1_000, 10_000, 100_000])
def test_lod1_extrusion_time_and_peak_memory(
    n_buildings: int, caplog: pytest.LogCaptureFixture
) -> None:
    start = time.perf_counter()
    town = synthetic_buildings(n_buildings, seed=0)
    town_s = time.perf_counter() - start
    args = (
        town.geometry,
        town["base_elevation_m"].to_numpy(),
        town["height_m"].to_numpy(),
        town["id"].to_numpy(),
        ORIGIN,
    )

    runs_s = []
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        store = extrude_footprints(*args)
        runs_s.append(time.perf_counter() - start)
        del store

    with caplog.at_level(logging.DEBUG, logger="twin.extrude"):
        extrude_footprints(*args)
    stages = [r.getMessage() for r in caplog.records if "LoD1 extrusion of" in r.getMessage()]

    gc.collect()
    tracemalloc.start()
    store = extrude_footprints(*args)
    _, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    best = min(runs_s)
    print(
        f"\nLoD1 {n_buildings:>7,} buildings: best {best:.3f} s, median "
        f"{float(np.median(runs_s)):.3f} s, first {runs_s[0]:.3f} s "
        f"({n_buildings / best:,.0f} buildings/s); extrusion peak (tracemalloc) "
        f"{peak_bytes / 2**20:,.0f} MiB; process max RSS so far {_max_rss_mib():,.0f} MiB; "
        f"mesh {store.n_vertices:,} vertices, {store.n_faces:,} triangles, "
        f"{(store.vertices.nbytes + store.faces.nbytes) / 2**20:,.0f} MiB; "
        f"synthetic town built in {town_s:.2f} s"
    )
    if stages:
        print(f"  stages: {stages[-1].split(': ', 1)[-1]}")
    if n_buildings == 100_000:
        print(
            f"  goal: <= {GOAL_100K_S} s and <= {GOAL_PEAK_GIB} GiB -> "
            f"{'met' if best <= GOAL_100K_S else 'MISSED'} (time), "
            f"{'met' if peak_bytes <= GOAL_PEAK_GIB * 2**30 else 'MISSED'} (tracemalloc peak)"
        )
    # Sanity only (never time): every building got a closed prism of positive volume.
    assert store.n_objects == n_buildings
    assert np.all(store.volumes_m3() > 0)
