"""The indicator engine after buildings are added or demolished: the other rows keep their
measures, the sums move by the rows that came or went, the hierarchy is moved along, and every
value is the one a fresh computation gives. Roof shading is exact and told apart as slow."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from samples.synthetic import synthetic_buildings
from scenarios.edits import Demolish
from scenarios.history import History
from scenarios.horizon import horizon_tangents, unshaded_share
from scenarios.indicators.base import INDICATORS
from scenarios.indicators.engine import IndicatorEngine, is_slow, load_indicators, names_at
from scenarios.indicators.measure_context import MeasureContext
from scenarios.indicators.plans import GROUPS
from scenarios.roof_shading import rounded_place, year_of_sun
from scenarios.sample_points import roof_points
from scenarios.shadow_map import Obstacles
from tests.scenarios.indicator_towns import frame, planner_town, rectangle
from twin.city import City
from twin.hierarchy import HierarchyIndex
from twin.levels import Level

LEVELS = (Level.BUILDING, Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY)


def every_name() -> list[str]:
    load_indicators()
    skipped = ("walk_", "nearest_stop", "share_inhabitants", "winter_sun")
    return [n for level in LEVELS for n in names_at(level) if not n.startswith(skipped)]


def assert_fresh(engine: IndicatorEngine, city: City, names: list[str]) -> None:
    for name in names:
        function = INDICATORS[name]
        expected = function(city, **engine._arguments(function))
        pd.testing.assert_series_equal(
            engine.values(name), expected, check_names=False, rtol=1e-9, atol=1e-9
        )


def building(building_id: str, parcel: str | None, x: float) -> object:
    return frame(
        {"id": [building_id], "parent_id": [parcel], "use": ["residential"], "floors": [4]},
        [rectangle(x, 80, 8, 6)],
    ).assign(height_m=12.0, dwellings=5)


def counting(
    monkeypatch: pytest.MonkeyPatch, group_name: str, engine: IndicatorEngine
) -> list[int]:
    """Rows each call of a measure group computes for the engine (indicators that are not
    plans make their own workspace: not counted)."""
    rows: list[int] = []
    group = GROUPS[group_name]

    def compute(ctx: MeasureContext) -> dict[str, np.ndarray]:
        if ctx.workspace is engine.workspace:
            rows.append(ctx.n)
        return group.compute(ctx)

    monkeypatch.setitem(GROUPS, group_name, dataclasses.replace(group, compute=compute))
    return rows


def test_an_added_building_is_the_only_row_computed_and_every_level_is_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city = planner_town()
    names = every_name()
    engine = IndicatorEngine(city)
    engine.compute(names)
    rows = counting(monkeypatch, "floor_area", engine)
    rebuilds = []
    original = HierarchyIndex.from_frames
    monkeypatch.setattr(
        HierarchyIndex, "from_frames", classmethod(lambda cls, f: rebuilds.append(1) or original(f))
    )
    city.append_rows("buildings", building("N1", "P3", 122), source="scenario")
    city.append_rows("buildings", building("N2", None, 10))  # no parent: (unassigned)
    engine.compute(names)
    assert rows == [2] and rebuilds == []  # the two new rows, in one call; no index rebuilt
    assert_fresh(engine, city, names)


def test_demolished_buildings_leave_the_sums_and_undo_brings_them_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city = planner_town()
    baseline = city.copy(share_layers=True)
    names = every_name()
    engine = IndicatorEngine(city, baseline=baseline)
    engine.compute(names)
    before = engine.values("floor_area_m2_commune").copy()
    history = History(city)
    rows = counting(monkeypatch, "floor_area", engine)
    history.do(Demolish(("A", "D")))
    engine.compute(names)
    assert rows == []  # nothing to compute: the two rows' values leave the sums
    assert_fresh(engine, city, names)
    assert engine.values("demolished_not_rebuilt_m2_commune").sum() == pytest.approx(620.0)
    rows.clear()
    history.undo()
    engine.compute(names)
    assert rows == [2]  # the two rows put back
    assert_fresh(engine, city, names)
    pd.testing.assert_series_equal(engine.values("floor_area_m2_commune"), before, rtol=1e-12)


def test_a_parcel_removed_makes_its_buildings_unassigned_at_parcel_level_and_above() -> None:
    city = planner_town()
    names = every_name()
    engine = IndicatorEngine(city)
    engine.compute(names)
    city.drop_rows("parcels", ["P2"])
    assert_fresh(engine, city, names)
    assert "(unassigned)" in engine.values("floor_area_m2_parcel").index


def test_roof_points_get_the_horizon_a_point_by_point_search_gives() -> None:
    obstacles = Obstacles.from_buildings(synthetic_buildings(400, seed=3), (0.0, 0.0))
    points, owner = roof_points(obstacles, np.arange(len(obstacles)))
    by_roof = horizon_tangents(points, owner, obstacles)
    by_point = horizon_tangents(points, np.full(len(owner), -1), obstacles)  # no shortcut
    assert (by_roof > 0).any()
    np.testing.assert_array_equal(by_roof, by_point)


def test_shares_skip_open_sky_and_match_the_plain_formula() -> None:
    sun = year_of_sun(*rounded_place(44.35, 2.57))
    rng = np.random.default_rng(5)
    horizon = (rng.random((3000, 72)) * (rng.random((3000, 72)) < 0.3)).astype(np.float32)
    horizon[:500] = 0.0  # open all round
    sector = np.minimum((sun.azimuth_deg % 360.0 / 5.0).astype(np.int64), 71)
    tangent = np.tan(np.radians(sun.elevation_deg))
    hidden = np.zeros(len(horizon))  # the plain formula, every point and every sector
    for s in np.unique(sector):
        members = np.flatnonzero(sector == s)
        order = members[np.argsort(tangent[members])]
        cumulative = np.concatenate([[0.0], np.cumsum(sun.beam_wh_m2[order])])
        hidden += cumulative[np.searchsorted(tangent[order], horizon[:, s], side="left")]
    squared = horizon.astype("float64") ** 2
    sky_view = 1.0 - np.mean(squared / (1.0 + squared), axis=1)
    beam, diffuse = sun.beam_wh_m2.sum(), float(np.sum(sun.diffuse_wh_m2))
    expected = np.clip((beam - hidden + diffuse * sky_view) / (beam + diffuse), 0.0, 1.0)
    np.testing.assert_allclose(unshaded_share(horizon, sun), expected, rtol=0, atol=1e-8)
    assert (unshaded_share(horizon[:500], sun) == 1.0).all()


def test_roof_solar_is_told_apart_as_slow_and_the_rest_is_not() -> None:
    load_indicators()
    slow = names_at(Level.COMMUNE, slow=True)
    assert "roof_pv_kwh_commune" in slow and "roof_pv_share_of_demand_commune" in slow
    assert all(is_slow(name) for name in slow)
    fast = names_at(Level.COMMUNE, slow=False)
    assert "footprint_m2_commune" in fast and "final_energy_kwh_commune" in fast
    assert set(slow).isdisjoint(fast)
    assert sorted(slow + fast) == sorted(names_at(Level.COMMUNE))
