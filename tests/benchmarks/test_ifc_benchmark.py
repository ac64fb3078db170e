"""IFC import speed against the bare IfcOpenShell geometry iterator it is built on.

For the two largest real IFC files (AC20-FZK-Haus.ifc is the largest on disk, duplex.ifc has
the most products) and a synthetic 5,000-wall campus (:mod:`samples.synthetic_ifc`), time
(a) opening the file and running ``ifcopenshell.geom.iterator`` to the end with the importer's
settings (world coordinates, the hybrid CGAL/OpenCASCADE kernel, 1 thread, the importer's
class filter, all taken from :mod:`importers.ifc_geometry` once it exists), reading every
shape's vertex and triangle buffers once, and (b) ``importers.ifc.read``, with the kernel in
its child process and (``TWIN_IFC_ISOLATE=0``) in-process. Each figure is the best of 3 runs in
this process after one warm-up.
The goal is import / raw <= 1.10: the importer should add little beyond tessellation.

Run with ``uv run pytest -m benchmark -s tests/benchmarks/test_ifc_benchmark.py``. Figures are
printed, never asserted. The import half skips until ``importers/ifc.py`` exists.
"""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import ifcopenshell
import ifcopenshell.geom
import numpy as np
import pytest
from pyproj import CRS

from importers.base import ImportOptions
from samples.synthetic_ifc import synthetic_ifc

pytestmark = pytest.mark.benchmark

GOAL_RATIO = 1.10
RUNS = 3
N_SYNTHETIC_WALLS = 5000
TARGET_CRS = CRS.from_epsg(2154)
# Where models without an IfcMapConversion are put (the real files are georeferenced by
# IfcSite latitude/longitude at best).
PLACEMENT_XYZ = (668000.0, 6357000.0, 0.0)
# The importer's own settings and class filter, so the comparison stays fair.
from importers.ifc_geometry import (  # noqa: E402
    GEOMETRY_LIBRARY,
    geometry_classes,
    iterator_settings,
)

INCLUDE = geometry_classes(False)


REAL_FILES = ["AC20-FZK-Haus.ifc", "duplex.ifc"]
CASES = [*REAL_FILES, "synthetic"]


@dataclass(frozen=True)
class RawRun:
    """What one bare iterator run produced."""

    elements: int
    vertices: int
    triangles: int
    by_class: Counter


def raw_iterator_run(path: Path) -> RawRun:
    """Open ``path`` and tessellate the importer's classes, touching each mesh once."""
    model = ifcopenshell.open(str(path))
    iterator = ifcopenshell.geom.iterator(
        iterator_settings(), model, 1, include=INCLUDE, geometry_library=GEOMETRY_LIBRARY
    )
    elements = vertices = triangles = 0
    by_class: Counter = Counter()
    if iterator.initialize():
        while True:
            shape = iterator.get()
            geometry = shape.geometry
            vertices += np.frombuffer(geometry.verts_buffer, dtype=np.float64).size // 3
            triangles += np.frombuffer(geometry.faces_buffer, dtype=np.int32).size // 3
            elements += 1
            by_class[shape.type] += 1
            if not iterator.next():
                break
    return RawRun(elements, vertices, triangles, by_class)


def best_of(runs: int, *calls: Callable[[], object]) -> list[float]:
    """Best wall time of each call over ``runs`` rounds, after one warm-up round.

    Calls alternate within a round, so that a slow spell of the machine hits them alike.
    """
    times: list[list[float]] = [[] for _ in calls]
    for round_ in range(runs + 1):
        for k, call in enumerate(calls):
            gc.collect()
            start = time.perf_counter()
            call()
            if round_:  # round 0 is the warm-up
                times[k].append(time.perf_counter() - start)
    return [min(t) for t in times]


@pytest.fixture(scope="module")
def synthetic_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    start = time.perf_counter()
    path = synthetic_ifc(
        tmp_path_factory.mktemp("ifc_benchmark") / "campus.ifc", n_walls=N_SYNTHETIC_WALLS
    )
    print(
        f"\nsynthetic campus: {N_SYNTHETIC_WALLS:,} walls written in "
        f"{time.perf_counter() - start:.2f} s, {path.stat().st_size / 2**20:.1f} MiB"
    )
    return path


def case_path(case: str, request: pytest.FixtureRequest) -> Path:
    if case == "synthetic":
        return request.getfixturevalue("synthetic_path")
    return request.getfixturevalue("shared_data") / "ifc" / case


def describe(case: str, path: Path) -> str:
    model = ifcopenshell.open(str(path))
    return (
        f"{case} ({path.stat().st_size / 2**20:.1f} MiB, {model.schema}, "
        f"{len(model.by_type('IfcProduct')):,} products, {len(model.by_type('IfcWall')):,} walls)"
    )


@pytest.mark.parametrize("case", CASES)
def test_raw_iterator_speed(case: str, request: pytest.FixtureRequest) -> None:
    path = case_path(case, request)
    run = raw_iterator_run(path)
    open_s, raw_s = best_of(
        RUNS, lambda: ifcopenshell.open(str(path)), lambda: raw_iterator_run(path)
    )
    classes = ", ".join(f"{name} {count}" for name, count in run.by_class.most_common())
    print(
        f"\n{describe(case, path)}\n"
        f"  raw iterator: {run.elements:,} elements tessellated ({classes}); "
        f"{run.vertices:,} vertices, {run.triangles:,} triangles\n"
        f"  raw best of {RUNS}: {raw_s:.3f} s (of which opening {open_s:.3f} s), "
        f"{run.elements / raw_s:,.0f} elements/s"
    )
    assert run.elements > 0
    if case == "synthetic":
        assert run.by_class["IfcWall"] == N_SYNTHETIC_WALLS


@pytest.mark.parametrize("case", CASES)
def test_ifc_import_speed_against_the_raw_iterator(
    case: str, request: pytest.FixtureRequest
) -> None:
    ifc = pytest.importorskip(
        "importers.ifc", reason="importers/ifc.py is not written yet: only the raw figures run"
    )
    path = case_path(case, request)
    options = ImportOptions(placement_xyz=None if case == "synthetic" else PLACEMENT_XYZ)
    run = raw_iterator_run(path)
    result = ifc.read(path, target_crs=TARGET_CRS, options=options)

    def read_in_process() -> object:
        with mock.patch.dict(os.environ, {"TWIN_IFC_ISOLATE": "0"}):
            return ifc.read(path, target_crs=TARGET_CRS, options=options)

    raw_s, import_s, in_process_s = best_of(
        RUNS,
        lambda: raw_iterator_run(path),
        lambda: ifc.read(path, target_crs=TARGET_CRS, options=options),
        read_in_process,
    )
    ratio = import_s / raw_s
    rows = ", ".join(f"{name} {len(frame):,}" for name, frame in result.layers.items())
    meshes = ", ".join(f"{name} {store.n_objects:,}" for name, store in result.meshes.items())
    print(
        f"\n{describe(case, path)}\n"
        f"  {run.elements:,} elements tessellated; import gave layers: {rows or 'none'}; "
        f"meshes: {meshes or 'none'}; {len(result.issues)} issues\n"
        f"  raw {raw_s:.3f} s ({run.elements / raw_s:,.0f} elements/s), "
        f"import {import_s:.3f} s ({run.elements / import_s:,.0f} elements/s), "
        f"ratio import/raw {ratio:.3f} (goal <= {GOAL_RATIO:.2f}: "
        f"{'met' if ratio <= GOAL_RATIO else 'MISSED'})\n"
        f"  kernel in-process (TWIN_IFC_ISOLATE=0): import {in_process_s:.3f} s, "
        f"ratio {in_process_s / raw_s:.3f}"
    )
    # sanity only (never time): the importer meshed what the bare iterator tessellated
    assert sum(store.n_objects for store in result.meshes.values()) == run.elements
