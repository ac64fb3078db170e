"""Indicators of a 100k-building town: full recompute, and all indicators after one edit.

Run with ``uv run pytest -m benchmark -s tests/benchmarks/test_indicator_benchmark.py``.
The synthetic town (samples/synthetic.py) gets parcels (its lots), districts and communes
(boxes over groups of lots), a territory, 2.2 inhabitants per dwelling and a use mix on one
building in fifty. Goals: every indicator of every level computed from scratch in at most
1 s; all of them again after one edit of one building in at most 50 ms (the engine recomputes
only the measures the edit reads and moves the sums by the edited row's delta; a building
demolished or added keeps the other rows' measures and moves the sums by its own). The City's
own work for the edit (checking the values, patching the hierarchy) is printed apart. Roof
solar, whose first computation takes most of that time (the engine's ``is_slow``: the app runs
it in a worker; asked with the others, the engine starts it first in helper processes), is
timed apart from scratch; both from-nothing figures are medians of 3 runs, wall and CPU time
(helper processes included). After each edit, the urbanism,
people and land indicators are timed on their own engine, then every plan-based indicator
(those included, roof solar too) on another: the figure the goal is about. Wall and CPU time
(the machine is shared), medians of 5 edits. Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from samples.synthetic import synthetic_buildings, synthetic_parcels
from scenarios.indicators.base import INDICATORS
from scenarios.indicators.engine import (
    IndicatorEngine,
    is_slow,
    load_indicators,
    names_at,
    spec_of,
)
from scenarios.indicators.plans import plan_of
from scenarios.roof_shading import forget_kept_roofs
from twin.city import City
from twin.levels import Level

ORIGIN = (650000.0, 6860000.0)
FULL_GOAL_S, EDIT_GOAL_S = 1.0, 0.050
LEVELS = (Level.BUILDING, Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY)
OURS = ("urbanism", "people", "land")


def cpu_s() -> float:
    """CPU seconds of this process and of its helper processes that ended (roof strips)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def boxes_of(parcels: gpd.GeoDataFrame, key: pd.Series) -> gpd.GeoDataFrame:
    """One bounding box per group of parcels."""
    bounds = parcels.bounds.groupby(key.to_numpy()).agg(
        {"minx": "min", "miny": "min", "maxx": "max", "maxy": "max"}
    )
    return gpd.GeoDataFrame(
        {"id": bounds.index.astype(str)},
        geometry=shapely.box(*bounds[["minx", "miny", "maxx", "maxy"]].to_numpy().T),
        crs="EPSG:2154",
    )


def synthetic_town(n: int) -> City:
    """The synthetic town with its hierarchy and people (not timed)."""
    buildings = synthetic_buildings(n, seed=0, origin_xy=ORIGIN)
    buildings["inhabitants"] = buildings["dwellings"].astype("float64") * 2.2
    buildings["households"] = buildings["dwellings"].astype("float64")
    mix = np.where(np.arange(n) % 50 == 7, '{"residential": 0.7, "retail": 0.3}', None)
    buildings["use_mix"] = pd.Series(mix, dtype=object)
    parcels = synthetic_parcels(n, origin_xy=ORIGIN)
    commune = parcels["id"].str.slice(0, 5)
    district = commune + parcels["id"].str.slice(8, 9)
    city = City("EPSG:2154", name="Synthetic")
    city.set_layer(
        "territory",
        gpd.GeoDataFrame(
            {"id": ["T"], "kind": ["study_area"]},
            geometry=[shapely.box(*parcels.total_bounds)],
            crs="EPSG:2154",
        ),
    )
    city.set_layer("communes", boxes_of(parcels, commune).assign(parent_id="T"))
    city.set_layer(
        "districts",
        boxes_of(parcels, district).assign(parent_id=lambda f: f["id"].str.slice(0, 5)),
    )
    city.set_layer(
        "parcels",
        parcels.assign(parent_id=district.to_numpy(), contenance_m2=parcels["contenance"]).drop(
            columns="contenance"
        ),
    )
    city.set_layer("buildings", buildings)
    return city


def best_of(runs: int, work: Callable[[], object]) -> float:
    """Median seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def from_nothing(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """Median wall and CPU seconds (helper processes included) of ``runs`` calls, each with
    nothing kept of roof shading (a new engine keeps nothing else)."""
    walls, cpus = [], []
    for _ in range(runs):
        forget_kept_roofs()
        start, start_cpu = time.perf_counter(), cpu_s()
        work()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_s() - start_cpu)
    return statistics.median(walls), statistics.median(cpus)


@pytest.mark.benchmark
def test_all_indicators_of_a_100k_building_town_and_after_one_edit() -> None:
    n = 100_000
    city = synthetic_town(n)
    start = time.perf_counter()
    _ = city.hierarchy
    hierarchy_s = time.perf_counter() - start
    load_indicators()
    ours = [name for level in LEVELS for name in names_at(level, OURS)]
    planned = [
        name
        for level in LEVELS
        for name in names_at(level)
        if plan_of(INDICATORS[name]) is not None
    ]

    fast = [name for name in planned if not is_slow(name)]
    slow = [name for name in planned if is_slow(name)]

    def full(names: list[str]) -> Callable[[], object]:
        return lambda: IndicatorEngine(city).compute(names)

    full_ours_s = best_of(3, full(ours))
    full_fast_s = best_of(3, full(fast))
    full_slow_s, full_slow_cpu_s = from_nothing(3, full(slow))  # roof shading from scratch
    full_all_s, full_all_cpu_s = from_nothing(3, full(planned))  # roof solar included
    engine_ours, engine_all = IndicatorEngine(city), IndicatorEngine(city)
    engine_ours.compute(ours)
    engine_all.compute(planned)
    by_level = {level: [n for n in planned if spec_of(n).level == level] for level in LEVELS}
    tables_s = best_of(3, lambda: [engine_all.table(level, by_level[level]) for level in LEVELS])

    ids = city.layer("buildings")["id"].to_numpy()
    parcel = str(city.layer("parcels")["id"].iloc[n // 2])
    x, y = city.layer("parcels").geometry.iloc[n // 2].centroid.coords[0]
    rng = np.random.default_rng(1)
    added = iter(range(1_000_000))

    def add(_: str) -> None:
        number = next(added)
        row = gpd.GeoDataFrame(
            {
                "id": [f"NEW-{number}"],
                "parent_id": [parcel],
                "use": ["residential"],
                "floors": [5],
                "height_m": [15.0],
                "dwellings": [6],
                "inhabitants": [13.2],
                "households": [6.0],
            },
            geometry=[shapely.box(x - 5.0, y - 5.0 + number, x + 5.0, y + 5.0 + number)],
            crs="EPSG:2154",
        )
        city.append_rows("buildings", row, source="scenario")

    edits: dict[str, Callable[[str], None]] = {
        "height": lambda i: city.update_values("buildings", [i], {"height_m": 24.0}),
        "use mix": lambda i: city.update_values(
            "buildings", [i], {"use_mix": '{"office": 0.5, "residential": 0.5}'}
        ),
        "dwellings": lambda i: city.update_values("buildings", [i], {"dwellings": 9}),
        "floors": lambda i: city.update_values("buildings", [i], {"floors": 7}),
        "demolish": lambda i: city.drop_rows("buildings", [i]),
        "add": add,
    }
    after: dict[str, list[float]] = {}
    for label, edit in edits.items():
        runs: list[tuple[float, ...]] = []
        for building in rng.choice(ids, 5, replace=False):
            start = time.perf_counter()
            edit(str(building))
            edit_s = time.perf_counter() - start
            engine_ours.recomputed.clear()
            engine_all.recomputed.clear()
            start, start_cpu = time.perf_counter(), cpu_s()
            engine_ours.compute(ours)
            ours_s, ours_cpu_s = time.perf_counter() - start, cpu_s() - start_cpu
            start, start_cpu = time.perf_counter(), cpu_s()
            engine_all.compute(planned)  # every plan-based indicator, ours included, again
            all_s, all_cpu_s = time.perf_counter() - start, cpu_s() - start_cpu
            recomputed = (len(engine_ours.recomputed), len(engine_all.recomputed))
            runs.append((ours_s, ours_cpu_s, all_s, all_cpu_s, edit_s, *recomputed))
        after[label] = [statistics.median(column) for column in zip(*runs, strict=True)]

    print(
        f"\nindicators, {n:,} buildings: {len(ours)} urbanism/people/land indicators (ours), "
        f"{len(planned)} plan-based in all ({len(INDICATORS)} registered); hierarchy "
        f"{hierarchy_s:.2f} s (not counted)\n"
        f"  full recompute: ours {full_ours_s * 1000:.0f} ms (goal <= "
        f"{FULL_GOAL_S * 1000:.0f} ms: {'met' if full_ours_s <= FULL_GOAL_S else 'MISSED'}), "
        f"all plan-based but roof solar {full_fast_s * 1000:.0f} ms (goal: "
        f"{'met' if full_fast_s <= FULL_GOAL_S else 'MISSED'}); roof solar ({len(slow)}, "
        f"is_slow: run in a worker) from scratch {full_slow_s:.2f} s (CPU {full_slow_cpu_s:.2f} s; "
        f"goal: {'met' if full_slow_s <= FULL_GOAL_S else 'MISSED'}); tables of 5 levels "
        f"from the cache {tables_s * 1000:.0f} ms\n"
        f"  full recompute of all {len(planned)} plan-based indicators, roof solar included, "
        f"from nothing (median of 3): {full_all_s:.2f} s (CPU {full_all_cpu_s:.2f} s; goal: "
        f"{'met' if full_all_s <= FULL_GOAL_S else 'MISSED'})"
    )
    print(
        f"  after one edit (median of 5; CPU time too, the machine being shared; goal <= "
        f"{EDIT_GOAL_S * 1000:.0f} ms): ours on their own engine, then all {len(planned)} "
        "plan-based indicators (ours included, roof solar too) on another"
    )
    for label, (ours_s, ours_cpu_s, all_s, all_cpu_s, edit_s, n_ours, n_all) in after.items():
        print(
            f"    {label:>9}: ours {ours_s * 1000:5.1f} ms (CPU {ours_cpu_s * 1000:5.1f}; "
            f"{n_ours:.0f} recomputed; {'met' if ours_s <= EDIT_GOAL_S else 'MISSED'}); all "
            f"{all_s * 1000:5.1f} ms (CPU {all_cpu_s * 1000:5.1f}; {n_all:.0f} recomputed; "
            f"{'met' if all_s <= EDIT_GOAL_S else 'MISSED'}); the City's edit itself "
            f"{edit_s * 1000:.0f} ms"
        )
    engine = engine_ours
    # sanity only: the engine's totals after the edits are those of a fresh computation
    fresh = INDICATORS["floor_area_m2_territory"](city)
    assert engine.values("floor_area_m2_territory").sum() == pytest.approx(fresh.sum())
    forget_kept_roofs()  # the roofs' shares carried over the edits: those computed afresh
    anew = IndicatorEngine(city).compute(["roof_unshaded_share_building", "roof_pv_kwh_commune"])
    np.testing.assert_array_equal(
        engine_all.values("roof_unshaded_share_building").to_numpy(),
        anew["roof_unshaded_share_building"].to_numpy(),
    )
    kwh = engine_all.values("roof_pv_kwh_commune")
    assert kwh.to_numpy() == pytest.approx(anew["roof_pv_kwh_commune"].to_numpy(), rel=1e-9)
