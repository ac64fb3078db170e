"""One edit and its undo on a synthetic town of 100,000 buildings.

Run with ``uv run pytest -m benchmark -s tests/benchmarks/test_edit_benchmark.py``. Figures are
printed, never asserted (machines differ). An edit replaces the frames it changes: the City
checks only the values or rows it brings (the other columns are shared with the old frame,
copy-on-write) and moves the hierarchy index instead of rebuilding it; undo and redo put the
previous frames back by reference; applying a scenario starts from a copy that shares every
frame. The City's change methods are also timed alone, against the whole-layer check they
replaced (``twin.layer_changes``' reference path).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import geopandas as gpd
import pytest
from shapely.geometry import box

from samples.synthetic import synthetic_buildings, synthetic_parcels
from scenarios.edits import AddBuilding, AddFloors, ChangeUse, Demolish, Edit, Retrofit
from scenarios.history import History
from scenarios.scenario import Scenario, apply_scenario
from twin.city import City
from twin.layer_changes import _conformed_rows, _conformed_values, row_positions

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


def median_ms(runs: int, action: Callable[[int], object]) -> float:
    return statistics.median(timed(lambda i=i: action(i)) for i in range(runs))  # type: ignore[misc]


@pytest.mark.benchmark
def test_the_city_change_methods_check_only_what_changed_on_100k_buildings() -> None:
    city = City("EPSG:2154", name="synthetic")
    city.set_layer(
        "parcels", synthetic_parcels(N_BUILDINGS).rename(columns={"contenance": "contenance_m2"})
    )
    city.set_layer("buildings", synthetic_buildings(N_BUILDINGS))
    _ = city.hierarchy  # built: the change methods move it along
    ids = city.layer("buildings")["id"].tolist()
    spec = city.spec("buildings")
    parcel = str(city.layer("parcels")["id"].iloc[0])

    def row(i: int) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"id": [f"NEW-{i}"], "parent_id": [parcel], "use": ["residential"], "floors": [3]},
            geometry=[box(0.0, 0.0, 10.0, 10.0 + i)],
            crs="EPSG:2154",
        )

    def update_before(i: int) -> object:
        frame = city.layer("buildings")
        positions = row_positions(frame, [ids[i]])
        return _conformed_values(frame, spec, positions, {"height_m": 24.0}, city.crs)

    figures = {
        "update_values (height of one building)": (
            median_ms(7, update_before),
            median_ms(7, lambda i: city.update_values("buildings", [ids[i]], {"height_m": 24.0})),
        ),
        "append_rows (one building)": (
            median_ms(
                7, lambda i: _conformed_rows(city.layer("buildings"), row(i), spec, city.crs, "")
            ),
            median_ms(7, lambda i: city.append_rows("buildings", row(100 + i))),
        ),
        "drop_rows (one building)": (
            float("nan"),  # it never checked the layer again; it now moves the hierarchy too
            median_ms(7, lambda i: city.drop_rows("buildings", [ids[1000 + i]])),
        ),
    }
    print(f"\nthe City's change methods, {N_BUILDINGS:,} buildings (median of 7):")
    for name, (before_ms, now_ms) in figures.items():
        was = "" if before_ms != before_ms else f"whole layer checked {before_ms:6.1f} ms, "
        print(f"  {name:<40} {was}now {now_ms:5.1f} ms")
    assert city._hierarchy is not None  # moved along, not dropped
    assert len(city.layer("buildings")) == N_BUILDINGS + 7 - 7
