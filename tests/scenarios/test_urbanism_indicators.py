"""Urbanism and jobs indicators: numbers a planner can check by hand, and Olemps' real buildings.

The hand-made town is described in tests/scenarios/indicator_towns.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from importers.merge import merge_result
from importers.registry import read_file
from scenarios.assumptions import defaults
from scenarios.indicators import jobs, urbanism
from scenarios.indicators.base import INDICATORS
from scenarios.indicators.building_uses import estimated_floors
from scenarios.indicators.engine import IndicatorEngine, names_at
from tests.scenarios.indicator_towns import planner_town
from twin.city import City
from twin.levels import Level


def value(name: str, city: City, unit_id: str, **kwargs: object) -> float:
    """One indicator's value for one unit."""
    return float(INDICATORS[name](city, **kwargs)[unit_id])


@pytest.fixture
def town() -> City:
    return planner_town()


def test_a_20_by_30_m_footprint_of_5_storeys_is_3000_m2_of_gross_floor_area(town: City) -> None:
    assert value("footprint_m2_building", town, "A") == pytest.approx(600.0)
    assert value("floor_area_m2_building", town, "A") == pytest.approx(3000.0)
    assert value("floor_area_residential_m2_building", town, "A") == pytest.approx(3000.0)


def test_coverage_of_a_600_m2_building_on_a_1000_m2_parcel_is_0_6(town: City) -> None:
    assert value("coverage_ratio_parcel", town, "P1") == pytest.approx(0.6)


def test_coverage_uses_the_cadastral_area_and_the_drawn_one_where_there_is_none(
    town: City,
) -> None:
    assert value("coverage_ratio_parcel", town, "P2") == pytest.approx((100 + 200) / 2100)
    assert value("coverage_ratio_parcel", town, "P3") == pytest.approx((20 + 100) / 400)


def test_district_and_commune_coverage_divide_total_footprint_by_total_parcel_area(
    town: City,
) -> None:
    district = value("coverage_ratio_district", town, "D1")
    assert district == pytest.approx(900 / 3100)
    assert district != pytest.approx((0.6 + 300 / 2100) / 2)  # not a mean of parcel ratios
    assert value("coverage_ratio_commune", town, "12345") == pytest.approx(1020 / 3500)


def test_storeys_come_from_the_height_and_the_storey_height_of_the_use_when_unknown(
    town: City,
) -> None:
    # office: 7 m / 3.5 m = 2 storeys; annex: 2.5 m / 3 m rounds down to 0, at least 1.
    assert value("storeys_building", town, "B") == 2.0
    assert value("floor_area_office_m2_building", town, "B") == pytest.approx(200.0)
    assert value("storeys_building", town, "D") == 1.0
    assert value("floor_area_annex_m2_building", town, "D") == pytest.approx(20.0)


def test_storey_estimates_keep_a_full_top_storey_and_drop_a_roof() -> None:
    uses = pd.Series(["residential"] * 3 + ["retail", "mixed"])
    heights = np.array([15.0, 14.9, 8.5, 4.0, 10.25])
    assert estimated_floors(heights, uses, defaults()).tolist() == [5.0, 5.0, 2.0, 1.0, 3.0]


def test_a_mixed_building_without_use_mix_has_a_shop_on_the_ground_floor_and_housing_above(
    town: City,
) -> None:
    assert value("floor_area_m2_building", town, "C") == pytest.approx(600.0)
    assert value("floor_area_retail_m2_building", town, "C") == pytest.approx(200.0)
    assert value("floor_area_residential_m2_building", town, "C") == pytest.approx(400.0)


def test_a_known_floor_area_wins_and_the_use_mix_splits_it(town: City) -> None:
    assert value("floor_area_m2_building", town, "E") == pytest.approx(150.0)  # not 100 × 2
    assert value("floor_area_public_m2_building", town, "E") == pytest.approx(75.0)
    assert value("floor_area_office_m2_building", town, "E") == pytest.approx(75.0)


def test_floor_area_by_use_adds_up_to_the_gross_floor_area(town: City) -> None:
    by_use = sum(
        INDICATORS[f"floor_area_{use}_m2_commune"](town)["12345"] for use in urbanism.USE_TITLES
    )
    assert by_use == pytest.approx(value("floor_area_m2_commune", town, "12345"))
    assert by_use == pytest.approx(3000 + 200 + 600 + 20 + 150)


def test_surface_de_plancher_leaves_out_annexes_and_deducts_10_percent_of_housing(
    town: City,
) -> None:
    assert value("surface_de_plancher_m2_building", town, "A") == pytest.approx(2700.0)
    assert value("surface_de_plancher_m2_building", town, "D") == pytest.approx(0.0)
    commune = value("surface_de_plancher_m2_commune", town, "12345")
    assert commune == pytest.approx(3970 - 20 - 0.10 * 3400)


def test_floor_area_ratio_divides_floor_area_by_parcel_area(town: City) -> None:
    assert value("floor_area_ratio_parcel", town, "P1") == pytest.approx(3.0)
    assert value("floor_area_ratio_commune", town, "12345") == pytest.approx(3970 / 3500)


def test_dwellings_and_their_net_and_gross_densities(town: City) -> None:
    assert value("dwellings_commune", town, "12345") == 44.0
    assert value("dwellings_per_ha_parcel", town, "P1") == pytest.approx(400.0)  # 40 / 0.1 ha
    assert value("dwellings_per_ha_commune", town, "12345") == pytest.approx(44 / 0.35)
    assert value("dwellings_per_ha_gross_commune", town, "12345") == pytest.approx(44 / 1.5)


def test_heights_give_the_mean_and_the_tallest_building_per_unit(town: City) -> None:
    assert value("height_mean_m_district", town, "D2") == pytest.approx((2.5 + 8.0) / 2)
    assert value("height_max_m_district", town, "D2") == 8.0
    assert value("height_mean_m_commune", town, "12345") == pytest.approx(42.7 / 5)
    assert value("height_max_m_territory", town, "T") == 15.2


def test_jobs_divide_office_retail_and_industrial_floor_area_by_m2_per_job(town: City) -> None:
    # offices 200 (B) + 75 (E) m² at 20 m²/job, shops 200 m² (C) at 45; public E counts none
    expected = (200 + 75) / 20 + 200 / 45
    assert value("jobs_commune", town, "12345") == pytest.approx(expected)
    assert value("jobs_building", town, "A") == 0.0
    local = defaults().with_overrides({"people.office_m2_per_job": 25})
    assert value("jobs_commune", town, "12345", assumptions=local) == pytest.approx(
        275 / 25 + 200 / 45
    )


def test_every_urbanism_indicator_declares_unit_level_and_the_assumptions_it_uses() -> None:
    registered = [
        f
        for f in INDICATORS.values()
        if f.spec.group == "urbanism"  # type: ignore[attr-defined]
    ]
    assert len(registered) >= 60
    floor_area = urbanism.FLOOR_AREA[Level.COMMUNE].spec  # type: ignore[attr-defined]
    assert "storey.housing_height_m" in floor_area.assumptions
    sdp = urbanism.SURFACE_DE_PLANCHER[Level.COMMUNE].spec  # type: ignore[attr-defined]
    assert "land.housing_floor_area_deduction" in sdp.assumptions
    assert "land.housing_floor_area_deduction" not in floor_area.assumptions
    assert "buildings.height_m" in floor_area.reads
    assert jobs.JOBS[Level.BUILDING].spec.assumptions == (  # type: ignore[attr-defined]
        "people.industry_m2_per_job",
        "people.office_m2_per_job",
        "people.retail_m2_per_job",
        "storey.housing_height_m",
        "storey.office_height_m",
        "storey.shop_ground_floor_height_m",
    )
    assert all(f.spec.unit for f in registered)  # type: ignore[attr-defined]


def test_olemps_baseline_indicators_are_plausible(shared_data: Path) -> None:
    """Olemps (Aveyron), BD TOPO v3: 2,273 buildings, no parcels, one commune of 12.8 km².

    - Footprint: every building's area, 35 ha, under 3 % of the commune: a periurban commune
      of houses among fields and woods.
    - Dwellings: the sum of BD TOPO's NB_LOGTS, 1,429, exactly.
    - Storeys: 1,334 buildings have NB_ETAGES; for those also measured, the estimate from the
      height (⌊h / 3 m + 0.05⌋ for housing) is right on average (mean error about −0.1).
    - Floor area: about 180 m² of gross housing floor area per dwelling. INSEE's average house
      has 116 m² of habitable area; the gross area counts the walls, garages built into
      houses and attics counted as a storey by BD TOPO, so 1.2 to 2 times that is expected.
    - Gross dwelling density: 1,429 dwellings / 1,279 ha ≈ 1.1 per ha.
    - Ratios to parcel area are NaN: there are no parcels.
    - Jobs: shops (« Commercial et services ») at 45 m² and industrial buildings at 75 m² per
      job give about 2,000, the order of the population (3,439): an estimate to check against
      INSEE's jobs at place of work.
    """
    city = City("EPSG:2154")
    folder = shared_data / "bdtopo" / "olemps_12174_v3"
    for path in (folder / "COMMUNE.shp", folder / "BATIMENT.shp"):
        merge_result(city, read_file(path, target_crs=city.crs))
    engine = IndicatorEngine(city)
    table = engine.table(Level.COMMUNE, names_at(Level.COMMUNE, ("urbanism", "people")))
    commune = table.values.loc["12174"]
    commune_ha = shapely.area(city.layer("communes").geometry.to_numpy()).sum() / 1e4

    footprint_m2 = shapely.area(city.layer("buildings").geometry.to_numpy()).sum()
    assert commune["footprint_m2_commune"] == pytest.approx(footprint_m2)
    assert 0.02 < commune["footprint_m2_commune"] / (commune_ha * 1e4) < 0.04
    assert commune["dwellings_commune"] == 1429
    assert commune["dwellings_per_ha_gross_commune"] == pytest.approx(1429 / commune_ha)
    assert 1.0 < commune["dwellings_per_ha_gross_commune"] < 1.3

    buildings = city.layer("buildings")
    known = pd.to_numeric(buildings["floors"]).to_numpy(dtype="float64", na_value=np.nan)
    measured = np.isfinite(known) & (buildings["height_source"] == "measured").to_numpy()
    estimate = estimated_floors(
        buildings["height_m"].to_numpy(dtype="float64"), buildings["use"], defaults()
    )
    assert measured.sum() > 1200
    assert abs(np.mean(estimate[measured] - known[measured])) < 0.3

    per_dwelling = commune["floor_area_residential_m2_commune"] / 1429
    assert 116 * 1.2 < per_dwelling < 116 * 2
    gross = commune["floor_area_m2_commune"]
    assert commune["footprint_m2_commune"] < gross < 3 * commune["footprint_m2_commune"]
    assert np.isnan(commune["coverage_ratio_commune"])
    assert 5 < commune["height_mean_m_commune"] < 7
    assert commune["height_max_m_commune"] == pytest.approx(20.3)
    jobs_expected = (
        commune["floor_area_retail_m2_commune"] / 45
        + commune["floor_area_industrial_m2_commune"] / 75
        + commune["floor_area_office_m2_commune"] / 20
    )
    assert commune["jobs_commune"] == pytest.approx(jobs_expected)
    assert 500 < commune["jobs_commune"] < 3439
