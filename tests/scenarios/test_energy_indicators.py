"""Energy and climate indicators: demand by use, period and retrofit, CO2, rolled up."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from importers.merge import merge_result
from importers.registry import read_file
from scenarios.assumptions import defaults
from scenarios.indicators.base import INDICATORS, depends_on
from scenarios.indicators.energy import (
    CARRIER_FACTORS,
    ENERGY_INDICATORS,
    HOUSING_SHARES,
    TERTIARY_SHARES,
    energy_class_building,
)
from tests.twin.factories import small_city
from twin.city import City
from twin.hierarchy import UNASSIGNED
from twin.levels import Level

A = defaults()
X, Y = 668000.0, 6357000.0


def one_building(**columns: object) -> City:
    """A City with one 20 x 25 m building (id 'b') and the given columns."""
    city = City("EPSG:2154")
    data = {"id": ["b"], "height_m": [9.0], "floors": [3], "use": ["residential"]}
    data.update({k: [v] for k, v in columns.items()})
    city.set_layer(
        "buildings", gpd.GeoDataFrame(data, geometry=[box(X, Y, X + 20, Y + 25)], crs="EPSG:2154")
    )
    return city


def building(measure: str, city: City, **kwargs: object) -> float:
    return float(ENERGY_INDICATORS[(measure, Level.BUILDING)](city, **kwargs)["b"])


def housing_factor() -> float:
    """Primary kWh per final kWh of housing: 1 + electricity share x (1.9 - 1)."""
    share = A.limits(HOUSING_SHARES)[0] / sum(A.limits(HOUSING_SHARES))
    return 1 + share * (A.value("energy.primary_factor_electricity") - 1)


def kg_per_kwh(key: str) -> float:
    shares = np.array(A.limits(key)) / sum(A.limits(key))
    return float(shares @ np.array([A.value(k) for k in CARRIER_FACTORS]))


def test_a_1000_m2_housing_building_from_before_1948_uses_the_period_ratio_in_final_energy() -> (
    None
):
    city = one_building(floor_area_m2=1000.0, construction_year=1900)
    habitable_m2 = 1000.0 * A.value("land.habitable_per_floor_area")  # 870 m² of dwellings
    primary_per_m2 = A.value("energy.housing_primary_before_1948_kwh_per_m2")  # 250 kWh EP/m²
    expected = habitable_m2 * primary_per_m2 / housing_factor()  # 870 x 250 / 1.315 = 165,399
    assert building("final_energy_kwh", city) == pytest.approx(expected)
    assert building("final_energy_kwh", city) == pytest.approx(165_399, rel=1e-3)
    assert building("primary_energy_kwh", city) == pytest.approx(habitable_m2 * primary_per_m2)
    assert building("final_energy_tertiary_kwh", city) == 0.0


def test_a_retrofit_to_class_c_caps_the_building_at_the_class_c_limit() -> None:
    before = building(
        "final_energy_kwh", one_building(floor_area_m2=1000.0, construction_year=1900)
    )
    city = one_building(floor_area_m2=1000.0, construction_year=1900, retrofit_target="C")
    class_c_limit = A.limits("dpe.primary_kwh_per_m2_upper")[2]  # 180 kWh EP/m²
    after = building("final_energy_kwh", city)
    assert after < before
    assert after <= class_c_limit * 1000.0
    assert building("primary_energy_kwh_per_m2", city) == pytest.approx(class_c_limit)
    assert energy_class_building(city)["b"] == "C"


def test_a_retrofit_to_a_worse_class_changes_nothing() -> None:
    recent = one_building(floor_area_m2=1000.0, construction_year=2015)
    retrofitted = one_building(floor_area_m2=1000.0, construction_year=2015, retrofit_target="E")
    assert building("final_energy_kwh", retrofitted) == building("final_energy_kwh", recent)


def test_co2_is_the_final_energy_times_the_mix_of_carriers() -> None:
    housing = one_building(floor_area_m2=1000.0, construction_year=1960)
    co2 = building("co2_kg", housing)
    assert co2 == pytest.approx(building("final_energy_kwh", housing) * kg_per_kwh(HOUSING_SHARES))
    offices = one_building(floor_area_m2=500.0, use="office")
    assert building("final_energy_kwh", offices) == pytest.approx(
        500.0 * A.value("energy.office_final_kwh_per_m2")
    )
    assert building("co2_kg", offices) == pytest.approx(
        500.0 * A.value("energy.office_final_kwh_per_m2") * kg_per_kwh(TERTIARY_SHARES)
    )


def test_the_construction_period_sets_housing_demand_and_unknown_years_use_the_average() -> None:
    old = building("final_energy_kwh", one_building(floor_area_m2=100.0, construction_year=1960))
    new = building("final_energy_kwh", one_building(floor_area_m2=100.0, construction_year=2023))
    unknown = building("final_energy_kwh", one_building(floor_area_m2=100.0))
    assert old / new == pytest.approx(300 / 45)  # 1948-1974 against RE2020 primary ratios
    average = (
        100.0
        * A.value("land.habitable_per_floor_area")
        * A.value("energy.housing_final_kwh_per_m2")
    )
    assert unknown == pytest.approx(average)


def test_a_building_a_scenario_adds_is_new_construction() -> None:
    added = one_building(floor_area_m2=100.0, source="scenario")
    built_2023 = one_building(floor_area_m2=100.0, construction_year=2023)
    assert building("final_energy_kwh", added) == building("final_energy_kwh", built_2023)


@pytest.mark.parametrize("use", ["industrial", "annex", "unknown"])
def test_industry_annexes_and_unknown_uses_are_not_counted(use: str) -> None:
    assert building("final_energy_kwh", one_building(floor_area_m2=800.0, use=use)) == 0.0
    assert energy_class_building(one_building(floor_area_m2=800.0, use=use))["b"] is None


def test_a_measured_class_replaces_the_period_estimate_by_the_middle_of_its_range() -> None:
    city = one_building(floor_area_m2=1000.0, construction_year=1900, energy_class="B")
    assert building("primary_energy_kwh_per_m2", city) == pytest.approx((70 + 110) / 2)
    assert energy_class_building(city)["b"] == "B"


def test_the_estimated_class_is_the_worse_of_energy_and_emissions() -> None:
    city = one_building(floor_area_m2=1000.0, construction_year=1900)
    # 250 kWh EP/m² is D (180 < 250 <= 250); 250 / 1.315 x 0.137 = 26 kgCO2e/m² is C.
    assert energy_class_building(city)["b"] == "D"
    oil = defaults().with_overrides({HOUSING_SHARES: [0.0, 0.0, 1.0, 0.0, 0.0]})
    # All oil: 250 kWh x 0.324 = 81 kgCO2e/m², class F by emissions.
    assert energy_class_building(city, assumptions=oil)["b"] == "F"


def test_a_project_override_of_a_ratio_changes_the_demand() -> None:
    city = one_building(floor_area_m2=1000.0, construction_year=1900)
    local = defaults().with_overrides({"energy.housing_primary_before_1948_kwh_per_m2": 300})
    ratio = building("final_energy_kwh", city, assumptions=local) / building(
        "final_energy_kwh", city
    )
    assert ratio == pytest.approx(300 / 250)


def test_mixed_buildings_split_between_housing_and_retail() -> None:
    city = one_building(
        floor_area_m2=1000.0, use="mixed", use_mix='{"residential": 0.75, "retail": 0.25}'
    )
    assert building("final_energy_tertiary_kwh", city) == pytest.approx(
        250.0 * A.value("energy.retail_final_kwh_per_m2")
    )
    assert building("final_energy_housing_kwh", city) > 0


def test_energy_and_co2_roll_up_without_losing_any_building() -> None:
    city = small_city()
    city.update_values(
        "buildings",
        ["b1", "b2", "b3", "b4", "b5", "b6"],
        {"construction_year": [1900, 1960, 1980, 2005, 1990, 2015]},
    )
    for measure in ("final_energy_kwh", "co2_kg", "primary_energy_kwh"):
        total = ENERGY_INDICATORS[(measure, Level.BUILDING)](city).sum()
        assert total > 0
        for level in (Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY):
            assert ENERGY_INDICATORS[(measure, level)](city).sum() == pytest.approx(total)
    communes = ENERGY_INDICATORS[("final_energy_kwh", Level.COMMUNE)](city)
    buildings = ENERGY_INDICATORS[("final_energy_kwh", Level.BUILDING)](city)
    assert communes["12990"] == pytest.approx(buildings[["b1", "b2", "b3", "b4"]].sum())
    assert communes[UNASSIGNED] == pytest.approx(buildings["b6"])  # the orphan
    assert communes["12991"] == 0.0  # b5 is industrial


def test_energy_indicators_declare_unit_level_inputs_and_assumptions() -> None:
    spec = ENERGY_INDICATORS[("final_energy_kwh", Level.COMMUNE)].spec
    assert INDICATORS[spec.name] is ENERGY_INDICATORS[("final_energy_kwh", Level.COMMUNE)]
    assert (spec.unit, spec.level, spec.group) == ("kWh/yr", Level.COMMUNE, "energy")
    assert depends_on(spec, "buildings", ("retrofit_target",))
    assert depends_on(spec, "buildings", ("construction_year",))
    assert depends_on(spec, "districts", ("parent_id",))
    assert not depends_on(spec, "buildings", ("inhabitants",))
    assert "energy.primary_factor_electricity" in spec.assumptions
    co2 = ENERGY_INDICATORS[("co2_kg", Level.TERRITORY)].spec
    assert (co2.unit, co2.group) == ("kgCO2e/yr", "climate")
    assert "emissions.gas_kg_per_kwh" in co2.assumptions


def test_olemps_energy_and_co2_are_plausible_against_the_national_averages(
    shared_data: Path,
) -> None:
    """Olemps (Aveyron): 2,273 BD TOPO buildings, 1,429 dwellings, mostly detached houses.

    The national average is 149 kWh of final energy per m² of dwelling
    (``energy.housing_final_kwh_per_m2``) and a house is 116 m² (``people.house_area_m2``):
    about 17 MWh per house and year. Olemps' housing should use about the national figure per
    m², but more per dwelling: its floor area comes from BD TOPO footprints × storeys, which
    counts walls, attached garages and attics as floor area (about 180 m² gross per dwelling),
    so between the house average and twice it. Its emissions per m² sit in DPE class C-D
    (11-50 kgCO2e/m²), where the French housing stock's average lies.
    """
    city = City("EPSG:2154")
    folder = shared_data / "bdtopo" / "olemps_12174_v3"
    for path in (folder / "COMMUNE.shp", folder / "BATIMENT.shp"):
        merge_result(city, read_file(path, target_crs=city.crs))
    housing = ENERGY_INDICATORS[("final_energy_housing_kwh", Level.BUILDING)](city)
    co2 = ENERGY_INDICATORS[("co2_kg", Level.COMMUNE)](city)["12174"]
    total = ENERGY_INDICATORS[("final_energy_kwh", Level.COMMUNE)](city)["12174"]
    buildings = city.layer("buildings").set_index("id")
    dwellings = buildings["dwellings"].astype("float64").reindex(housing.index)
    counted = (dwellings > 0) & (housing > 0)
    per_dwelling = housing[counted].sum() / dwellings[counted].sum()
    national_house = A.value("energy.housing_final_kwh_per_m2") * A.value("people.house_area_m2")
    assert national_house < per_dwelling < 2 * national_house
    primary_per_m2 = ENERGY_INDICATORS[("primary_energy_kwh_per_m2", Level.COMMUNE)](city)
    assert 150 < primary_per_m2["12174"] < 330  # DPE classes D-E: an old, mostly 1970-2000 stock
    assert 30e6 < total < 80e6  # kWh/yr for 3,439 inhabitants: 9 to 23 MWh each
    reference = (
        ENERGY_INDICATORS[("primary_energy_kwh", Level.COMMUNE)](city)["12174"]
        / (primary_per_m2["12174"])
    )
    assert 11 < co2 / reference < 50
    classes = energy_class_building(city).dropna()
    assert set(classes) <= set("ABCDEFG") and len(classes) > 1000
