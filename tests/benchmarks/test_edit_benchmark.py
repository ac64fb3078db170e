"""One edit and its undo on a synthetic town of 100,000 buildings.

Run with ``uv run pytest -m benchmark -s tests/benchmarks/test_edit_benchmark.py``. Figures are
printed, never asserted (machines differ). An edit replaces the frames it changes (the City
checks the new frame against its spec: the cost grows with the layer, not with the edit); undo
and redo put the previous frames back by reference; applying a scenario starts from a copy
that shares every frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from shapely.geometry import box

from samples.synthetic import synthetic_buildings, synthetic_parcels
from scenarios.edits import AddBuilding, AddFloors, ChangeUse, Demolish, Edit, Retrofit
from scenarios.history import History
from scenarios.scenario import Scenario, apply_scenario
from twin.city import City

N_BUILDINGS = 100_000


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000.0


@pytest.mark.benchmark
def test_one_edit_and_its_undo_on_100k_buildings() -> None:
    city = City("EPSG:2154", name="synthetic")
    buildings = synthetic_buildings(N_BUILDINGS)
    parcels = synthetic_parcels(N_BUILDINGS)
    city.set_layer("parcels", parcels.rename(columns={"contenance": "contenance_m2"}))
    city.set_layer("buildings", buildings)
    ids = tuple(buildings["id"].iloc[:10])
    far = buildings.geometry.iloc[-1].bounds
    x, y = far[2] + 100.0, far[3] + 100.0
    edits: list[Edit] = [
        AddFloors(ids, 1),
        ChangeUse(ids[:3], use_mix={"residential": 0.6, "retail": 0.4}),
        Retrofit("C", ids=ids),
        AddBuilding(floors=5, footprint_wkt=box(x, y, x + 20, y + 30).wkt),
        Demolish(ids[:5]),
    ]
    fresh = city.copy()
    history = History(city)
    history.do(Retrofit("D", ids=ids[-1:]))  # warm-up (assumptions read, lazy imports): not timed
    print(f"\n{N_BUILDINGS:,} buildings, {len(parcels):,} parcels")
    for edit in edits:
        do_ms = timed(lambda e=edit: history.do(e))  # type: ignore[misc]
        undo_ms = timed(history.undo)
        redo_ms = timed(history.redo)
        times = f"do {do_ms:7.1f} ms  undo {undo_ms:5.1f} ms  redo {redo_ms:5.1f} ms"
        print(f"  {edit.summary():<62} {times}")
    scenario = Scenario("Bench", edits=tuple(edits))
    copy_ms = timed(lambda: fresh.copy(share_layers=True))
    deep_ms = timed(fresh.copy)
    apply_ms = timed(lambda: apply_scenario(fresh, scenario))
    print(f"  copy sharing frames {copy_ms:.2f} ms, deep copy {deep_ms:.1f} ms")
    print(f"  apply the 5-edit scenario to a copy: {apply_ms:.0f} ms")
    assert len(city.layer("buildings")) == N_BUILDINGS + 1 - 5
