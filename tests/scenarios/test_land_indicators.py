"""Land take (ZAN) indicators of a scenario against its baseline, on the hand-made town
(tests/scenarios/indicator_towns.py). Scenarios are made here with the City's own change
methods, so these tests do not depend on the edits."""

from __future__ import annotations

import geopandas as gpd
import pytest

from scenarios.indicators import land
from scenarios.indicators.base import INDICATORS
from scenarios.indicators.engine import IndicatorEngine
from tests.scenarios.indicator_towns import frame, planner_town, rectangle
from twin.city import City
from twin.levels import Level


def value(name: str, scenario: City, baseline: City, unit_id: str) -> float:
    """One land indicator of the scenario against the baseline, for one unit."""
    return float(INDICATORS[name](scenario, baseline=baseline)[unit_id])


def new_building(
    building_id: str, shape: object, floors: int, parcel: str = "P3", use: str = "residential"
) -> gpd.GeoDataFrame:
    """One new building row, as a scenario adds it."""
    return frame(
        {
            "id": [building_id],
            "parent_id": [parcel],
            "use": [use],
            "floors": [floors],
            "source": ["scenario"],
        },
        [shape],
    )


@pytest.fixture
def baseline() -> City:
    return planner_town()


@pytest.fixture
def scenario(baseline: City) -> City:
    return baseline.copy()


def test_the_baseline_against_itself_seals_reuses_and_builds_nothing(baseline: City) -> None:
    for measure in ("newly_sealed_m2", "net_sealed_m2", "floor_area_built_m2", "desealed_m2"):
        values = INDICATORS[f"{measure}_commune"](baseline, baseline=baseline)
        assert (values == 0).all()
    assert INDICATORS["floor_area_reused_share_commune"](baseline).isna().all()


def test_a_new_20_by_30_m_building_of_5_storeys_seals_600_m2_and_builds_3000_m2(
    baseline: City, scenario: City
) -> None:
    scenario.append_rows("buildings", new_building("N", rectangle(122, 40, 20, 30), 5))
    assert value("newly_sealed_m2_building", scenario, baseline, "N") == pytest.approx(600.0)
    assert value("newly_sealed_m2_commune", scenario, baseline, "12345") == pytest.approx(600.0)
    assert value("floor_area_built_m2_commune", scenario, baseline, "12345") == pytest.approx(
        3000.0
    )
    assert value("floor_area_reused_share_commune", scenario, baseline, "12345") == 0.0
    assert value("newly_sealed_m2_building", scenario, baseline, "A") == 0.0


def test_a_building_half_over_an_existing_one_seals_only_the_other_half(
    baseline: City, scenario: City
) -> None:
    # B covers x 35..45, y 5..15; the new 10 × 10 m building covers x 40..50: half on B.
    scenario.append_rows("buildings", new_building("H", rectangle(40, 5, 10, 10), 2, "P2"))
    assert value("newly_sealed_m2_building", scenario, baseline, "H") == pytest.approx(50.0)


def test_rebuilding_on_a_demolished_footprint_seals_nothing(baseline: City, scenario: City) -> None:
    scenario.drop_rows("buildings", ["C"])
    scenario.append_rows("buildings", new_building("C2", rectangle(50, 20, 20, 10), 6, "P2"))
    assert value("newly_sealed_m2_district", scenario, baseline, "D1") == pytest.approx(0.0)
    assert value("demolished_not_rebuilt_m2_district", scenario, baseline, "D1") == 0.0
    assert value("floor_area_built_m2_building", scenario, baseline, "C2") == pytest.approx(1200.0)


def test_demolition_alone_is_not_de_sealing_but_is_shown_as_land_that_could_be(
    baseline: City, scenario: City
) -> None:
    scenario.drop_rows("buildings", ["B"])
    assert value("demolished_not_rebuilt_m2_parcel", scenario, baseline, "P2") == pytest.approx(
        100.0
    )
    assert value("desealed_m2_parcel", scenario, baseline, "P2") == 0.0
    assert value("net_sealed_m2_commune", scenario, baseline, "12345") == 0.0


def test_de_sealing_a_parcel_lowers_net_sealing(baseline: City, scenario: City) -> None:
    scenario.append_rows("buildings", new_building("N", rectangle(122, 40, 20, 30), 5))
    scenario.update_values("parcels", ["P1"], {"desealed_area_m2": 150.0})
    assert value("desealed_m2_parcel", scenario, baseline, "P1") == 150.0
    assert value("net_sealed_m2_commune", scenario, baseline, "12345") == pytest.approx(600 - 150)
    assert value("net_sealed_m2_district", scenario, baseline, "D1") == pytest.approx(-150.0)


def test_turning_a_building_wholly_to_offices_reuses_all_its_floor_area(
    baseline: City, scenario: City
) -> None:
    scenario.update_values("buildings", ["A"], {"use": "office"})
    assert value("floor_area_reused_m2_building", scenario, baseline, "A") == pytest.approx(3000.0)
    assert value("floor_area_built_m2_building", scenario, baseline, "A") == 0.0
    assert value("floor_area_reused_share_commune", scenario, baseline, "12345") == 100.0


def test_moving_a_fifth_of_a_use_mix_to_shops_reuses_a_fifth(
    baseline: City, scenario: City
) -> None:
    scenario.update_values("buildings", ["A"], {"use_mix": '{"residential": 0.8, "retail": 0.2}'})
    assert value("floor_area_reused_m2_building", scenario, baseline, "A") == pytest.approx(600.0)


def test_added_storeys_are_built_not_reused_and_share_counts_both(
    baseline: City, scenario: City
) -> None:
    scenario.update_values("buildings", ["A"], {"floors": 7})  # 2 more storeys of 600 m²
    scenario.update_values("buildings", ["B"], {"use": "residential"})  # 200 m² reused
    assert value("floor_area_built_m2_building", scenario, baseline, "A") == pytest.approx(1200.0)
    assert value("floor_area_reused_m2_building", scenario, baseline, "A") == 0.0
    share = value("floor_area_reused_share_territory", scenario, baseline, "T")
    assert share == pytest.approx(100 * 200 / (200 + 1200))


def test_land_indicators_add_up_from_districts_to_the_commune(
    baseline: City, scenario: City
) -> None:
    scenario.append_rows("buildings", new_building("N", rectangle(122, 40, 20, 30), 5))
    scenario.append_rows("buildings", new_building("H", rectangle(40, 5, 10, 10), 2, "P2"))
    scenario.update_values("buildings", ["A"], {"use": "office"})
    for measure in ("newly_sealed_m2", "floor_area_reused_m2", "floor_area_built_m2"):
        districts = INDICATORS[f"{measure}_district"](scenario, baseline=baseline)
        commune = INDICATORS[f"{measure}_commune"](scenario, baseline=baseline)
        assert districts.sum() == pytest.approx(commune["12345"])
        assert commune["12345"] > 0


def test_the_engine_follows_edits_of_the_scenario_and_of_the_baseline(
    baseline: City, scenario: City
) -> None:
    engine = IndicatorEngine(scenario, baseline=baseline)
    assert engine.values("newly_sealed_m2_commune")["12345"] == 0.0
    scenario.append_rows("buildings", new_building("N", rectangle(122, 40, 20, 30), 5))
    assert engine.values("newly_sealed_m2_commune")["12345"] == pytest.approx(600.0)
    # the baseline gains the same building: the scenario no longer seals anything new
    baseline.append_rows("buildings", new_building("N0", rectangle(122, 40, 20, 30), 5))
    assert engine.values("newly_sealed_m2_commune")["12345"] == pytest.approx(0.0)
    scenario.update_values("buildings", ["A"], {"use": "retail"})
    assert engine.values("floor_area_reused_m2_commune")["12345"] == pytest.approx(3000.0)


def test_every_land_indicator_is_registered_with_its_baseline_inputs() -> None:
    spec = land.NEWLY_SEALED[Level.COMMUNE].spec  # type: ignore[attr-defined]
    assert "baseline:buildings.geometry" in spec.reads
    assert spec.group == "land" and spec.unit == "m2"
    assert land.REUSED_SHARE[Level.BUILDING].spec.unit == "%"  # type: ignore[attr-defined]
    assert set(land.DEMOLISHED) == {Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY}
