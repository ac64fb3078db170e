"""The indicator engine: same numbers as the pure functions, roll-ups that add up, a cache that
recomputes only what an edit touches, tables and comparisons, and ``twin indicators``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from samples.build import build_sample_project
from scenarios.indicators.base import INDICATORS, IndicatorSpec
from scenarios.indicators.comparison import IndicatorTable, compare
from scenarios.indicators.engine import IndicatorEngine, load_indicators, names_at, spec_of
from scenarios.indicators.measure_context import MeasureContext
from scenarios.indicators.plans import GROUPS, Sum, plan_of
from scenarios.indicators.workspace import Workspace
from tests.scenarios.indicator_towns import frame, planner_town, rectangle
from twin.city import City
from twin.cli import main
from twin.hierarchy import UNASSIGNED
from twin.levels import Level
from twin.project import load_project, save_project

OURS = ("urbanism", "people", "land")
ROLLED_UP = (Level.BUILDING, Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY)


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_project(tmp_path_factory.mktemp("valmont"))


@pytest.fixture
def valmont(sample_path: Path) -> City:
    return load_project(sample_path)


def fresh(city: City, name: str) -> pd.Series:
    """The indicator computed from scratch by its pure function."""
    return INDICATORS[name](city)


def sums(level: Level) -> list[str]:
    """Our indicators of ``level`` that are plain sums (they must add up between levels)."""
    load_indicators()
    return [n for n in names_at(level, OURS) if isinstance(plan_of(INDICATORS[n]), Sum)]


def test_the_engine_gives_the_same_numbers_as_the_pure_functions(valmont: City) -> None:
    engine = IndicatorEngine(valmont)
    for level in ROLLED_UP:
        table = engine.table(level, names_at(level, OURS))
        for name in table.values.columns:
            expected = fresh(valmont, name)
            pd.testing.assert_series_equal(
                table.values[name].reindex(expected.index), expected, check_names=False
            )


def test_districts_add_up_to_their_commune_and_communes_to_the_territory(valmont: City) -> None:
    engine = IndicatorEngine(valmont)
    districts = engine.table(Level.DISTRICT, sums(Level.DISTRICT)).values
    communes = engine.table(Level.COMMUNE, sums(Level.COMMUNE)).values
    territory = engine.table(Level.TERRITORY, sums(Level.TERRITORY)).values
    assert UNASSIGNED not in districts.index  # every building of the sample town is placed
    parent = pd.Series(valmont.hierarchy.ancestor_at(districts.index, Level.COMMUNE))
    by_commune = districts.groupby(parent.to_numpy()).sum()
    checked = 0
    for district_name in districts.columns:
        measure = spec_of(district_name).quantity
        commune_values = communes[f"{measure}_commune"]
        np.testing.assert_allclose(
            by_commune[district_name].reindex(commune_values.index), commune_values, rtol=1e-12
        )
        assert territory[f"{measure}_territory"].sum() == pytest.approx(commune_values.sum())
        checked += commune_values.abs().sum() > 0
    assert checked >= 10  # footprint, floor areas, dwellings, jobs, inhabitants ...


def test_commune_ratios_divide_the_districts_totals(valmont: City) -> None:
    engine = IndicatorEngine(valmont)
    footprint = engine.values("footprint_m2_district")
    floor_area = engine.values("floor_area_m2_district")
    coverage = engine.values("coverage_ratio_district")
    far = engine.values("floor_area_ratio_district")
    parcel_area = footprint / coverage  # every building of the sample town has a parcel
    commune = valmont.hierarchy.ancestor_at(footprint.index, Level.COMMUNE)
    assert engine.values("coverage_ratio_commune")["12990"] == pytest.approx(
        footprint[commune == "12990"].sum() / parcel_area[commune == "12990"].sum()
    )
    assert engine.values("floor_area_ratio_commune")["12990"] == pytest.approx(
        floor_area[commune == "12990"].sum() / (floor_area / far)[commune == "12990"].sum()
    )


def test_changing_heights_recomputes_heights_and_floor_area_but_not_coverage(
    valmont: City,
) -> None:
    engine = IndicatorEngine(valmont)
    names = names_at(Level.COMMUNE, OURS)
    before = engine.table(Level.COMMUNE, names).values
    coverage = engine.values("coverage_ratio_commune")
    engine.recomputed.clear()
    engine.workspace.recomputed.clear()
    building = valmont.layer("buildings")
    unknown_floors = building[building["floors"].isna()]["id"].iloc[0]
    valmont.update_values("buildings", [unknown_floors], {"height_m": 40.0})
    after = engine.table(Level.COMMUNE, names).values
    assert "height_max_m_commune" in engine.recomputed
    assert "floor_area_m2_commune" in engine.recomputed
    assert "coverage_ratio_commune" not in engine.recomputed
    assert "dwellings_commune" not in engine.recomputed
    assert engine.values("coverage_ratio_commune") is coverage
    assert "footprint" not in engine.workspace.recomputed
    assert set(engine.workspace.recomputed) >= {"heights", "floor_area"}
    assert (after["height_max_m_commune"] >= 40.0).any()
    assert (after["floor_area_m2_commune"] > before["floor_area_m2_commune"]).any()
    pd.testing.assert_series_equal(
        after["floor_area_m2_commune"], fresh(valmont, "floor_area_m2_commune"), check_names=False
    )


def test_sums_moved_by_deltas_equal_sums_made_from_scratch(valmont: City) -> None:
    engine = IndicatorEngine(valmont)
    names = [n for level in ROLLED_UP for n in names_at(level, OURS)]
    engine.compute(names)
    ids = valmont.layer("buildings")["id"].iloc[[3, 50, 120]].tolist()
    valmont.update_values("buildings", ids[:1], {"use_mix": '{"office": 0.5, "retail": 0.5}'})
    valmont.update_values("buildings", ids[1:], {"dwellings": [12, 30], "floors": [6, 2]})
    valmont.update_values(
        "parcels", [valmont.layer("parcels")["id"].iloc[0]], {"contenance_m2": 9e3}
    )
    engine.workspace.recomputed.clear()
    for name in names:
        pd.testing.assert_series_equal(
            engine.values(name), fresh(valmont, name), check_names=False, rtol=1e-9
        )
    assert "footprint" not in engine.workspace.recomputed


def test_added_and_demolished_buildings_and_new_parent_links_reach_every_level(
    valmont: City,
) -> None:
    engine = IndicatorEngine(valmont)
    names = [n for level in ROLLED_UP for n in names_at(level, ("urbanism",))]
    total = engine.values("footprint_m2_territory").sum()
    parcel = valmont.layer("parcels")["id"].iloc[0]
    x, y = valmont.layer("parcels").geometry.iloc[0].centroid.coords[0]
    new = frame(
        {"id": ["NEW"], "parent_id": [parcel], "use": ["residential"], "floors": [5]},
        [rectangle(x - 700000.0 - 10, y - 6300000.0 - 15, 20, 30)],
    )
    valmont.append_rows("buildings", new)
    assert engine.values("footprint_m2_territory").sum() == pytest.approx(total + 600.0)
    gone = valmont.layer("buildings")["id"].iloc[0]
    valmont.drop_rows("buildings", [gone])
    district = valmont.layer("districts")["id"].iloc[-1]
    valmont.update_values("parcels", [parcel], {"parent_id": district})
    for name in names:
        pd.testing.assert_series_equal(engine.values(name), fresh(valmont, name), check_names=False)


def test_a_table_has_units_in_its_headers_and_unassigned_rows_last() -> None:
    town = planner_town()
    orphan = frame(
        {"id": ["O"], "parent_id": ["nowhere"], "use": ["annex"]}, [rectangle(140, 90, 5, 5)]
    )
    town.append_rows("buildings", orphan)
    table = IndicatorEngine(town).table(Level.COMMUNE, ["footprint_m2_commune", "jobs_commune"])
    assert list(table.values.index) == ["12345", UNASSIGNED]
    assert table.header("footprint_m2_commune") == "footprint_m2 [m2]"
    assert list(table.with_headers().columns) == ["footprint_m2 [m2]", "jobs [jobs]"]
    assert table.units == {"footprint_m2_commune": "m2", "jobs_commune": "jobs"}


def test_a_comparison_gives_each_scenario_and_its_difference_to_the_baseline() -> None:
    baseline = planner_town()
    scenario = baseline.copy()
    scenario.append_rows(
        "buildings",
        frame(
            {"id": ["N"], "parent_id": ["P3"], "use": ["residential"], "floors": [5]},
            [rectangle(122, 40, 20, 30)],
        ),
    )
    names = ["footprint_m2_commune", "floor_area_m2_commune", "newly_sealed_m2_commune"]
    tables = {
        "baseline": IndicatorEngine(baseline).table(Level.COMMUNE, names),
        "densify": IndicatorEngine(scenario, baseline=baseline).table(Level.COMMUNE, names),
    }
    long = compare(tables).long().set_index("indicator")
    assert long.loc["footprint_m2_commune", "Δ densify"] == pytest.approx(600.0)
    assert long.loc["floor_area_m2_commune", "Δ densify"] == pytest.approx(3000.0)
    assert long.loc["newly_sealed_m2_commune", "baseline"] == 0.0
    assert long.loc["newly_sealed_m2_commune", "densify"] == pytest.approx(600.0)
    assert long.loc["floor_area_m2_commune", "unit"] == "m2"


def test_a_workspace_used_alone_notices_replaced_layers() -> None:
    town = planner_town()
    workspace = Workspace(town)
    plan = plan_of(INDICATORS["floor_area_m2_commune"])
    assert plan is not None
    assert workspace.evaluate(plan, Level.COMMUNE)["12345"] == pytest.approx(3970.0)
    town.update_values("buildings", ["A"], {"floors": 6})
    assert workspace.evaluate(plan, Level.COMMUNE)["12345"] == pytest.approx(3970.0 + 600.0)


# -- twin indicators ---------------------------------------------------------------------
def test_twin_indicators_prints_the_baseline_with_units(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["indicators", str(sample_path), "--indicator", "urbanism"]) == 0
    out = capsys.readouterr().out
    assert "Indicators per commune: baseline" in out
    assert "12990  Valmont-sur-Aveyron" in out
    assert "footprint_m2 [m2]" in out and "coverage_ratio [m2/m2]" in out


def test_twin_indicators_compares_a_stored_scenario_as_json_and_csv(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scenarios.edits import AddFloors
    from scenarios.scenario import Scenario, store_scenario

    city = load_project(sample_path)
    tall = city.layer("buildings").query("use == 'residential'")["id"].iloc[0]
    store_scenario(city, Scenario("Surélever", edits=(AddFloors(ids=(tall,), floors=2),)))
    project = tmp_path / "with_scenario.twin.gpkg"
    save_project(city, project)
    args = ["indicators", str(project), "--scenario", "Surélever", "--level", "territoire"]
    assert main([*args, "--json", "--indicator", "floor_area_m2"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["level"] == "territory" and document["scenarios"] == ["Surélever"]
    row = document["values"][0]
    assert row["Δ Surélever"] > 0
    assert row["Surélever"] == pytest.approx(row["baseline"] + row["Δ Surélever"])
    assert document["indicators"]["floor_area_m2_territory"]["unit"] == "m2"
    assert main([*args, "--csv", "--french", "--indicator", "floor_area_built_m2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id;indicator;measure;unit;baseline;Surélever;Δ Surélever"
    assert lines[1].split(";")[4] == "0,0"


def test_twin_indicators_refuses_an_unknown_scenario_or_level_in_one_line(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["indicators", str(sample_path), "--scenario", "Nulle part"]) == 2
    err = capsys.readouterr().err.strip()
    assert "no scenario named 'Nulle part'" in err and "\n" not in err
    assert main(["indicators", str(sample_path), "--level", "galaxy"]) == 2
    assert "Unknown level 'galaxy'" in capsys.readouterr().err
    assert main(["indicators", str(sample_path), "--indicator", "nothing*"]) == 2
    assert "no indicator of level commune matches" in capsys.readouterr().err


def test_a_comparison_has_no_difference_for_classes() -> None:
    spec = spec_of("footprint_m2_building")
    classes = IndicatorSpec("class_building", "Classe", "", Level.BUILDING, (), ".")
    base = IndicatorTable.from_values(
        Level.BUILDING,
        {spec.name: pd.Series([10.0], index=["b"]), classes.name: pd.Series(["D"], index=["b"])},
        [spec, classes],
    )
    other = IndicatorTable.from_values(
        Level.BUILDING,
        {spec.name: pd.Series([15.0], index=["b"]), classes.name: pd.Series(["B"], index=["b"])},
        [spec, classes],
    )
    long = compare({"baseline": base, "retrofit": other}).long().set_index("indicator")
    assert long.loc["footprint_m2_building", "Δ retrofit"] == 5.0
    assert long.loc["class_building", "retrofit"] == "B"
    assert np.isnan(long.loc["class_building", "Δ retrofit"])


def test_docs_indicators_lists_every_registered_indicator() -> None:
    load_indicators()
    text = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text("utf-8")
    quantities = {spec_of(name).quantity for name in INDICATORS}
    missing = sorted(q for q in quantities if f"`{q}`" not in text)
    assert not missing, f"add these indicators to docs/indicators.md: {missing}"


def test_an_edit_of_one_building_recomputes_its_floor_area_alone(
    valmont: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = IndicatorEngine(valmont)
    engine.values("floor_area_m2_commune")
    rows_computed: list[int] = []
    group = GROUPS["floor_area"]

    def counting(ctx: MeasureContext) -> dict[str, np.ndarray]:
        rows_computed.append(ctx.n)
        return group.compute(ctx)

    monkeypatch.setitem(GROUPS, "floor_area", dataclasses.replace(group, compute=counting))
    building = valmont.layer("buildings")["id"].iloc[7]
    valmont.update_values("buildings", [building], {"floors": 12})
    total = engine.values("floor_area_m2_commune").sum()
    assert rows_computed == [1]
    assert total == pytest.approx(fresh(valmont, "floor_area_m2_commune").sum())
