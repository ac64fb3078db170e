"""Population indicators: inhabitants and households rolled up the hierarchy, and densities."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

from importers.merge import merge_result
from importers.registry import read_file
from scenarios.indicators.base import INDICATORS, depends_on
from scenarios.indicators.population import COUNT_LEVELS, COUNTS, DENSITIES, DENSITY_LEVELS
from tests.twin.factories import small_city
from twin.city import City
from twin.hierarchy import UNASSIGNED
from twin.levels import LEVEL_LAYERS, Level
from twin.population import apply_population

PEOPLE = {"b1": 3.0, "b2": 5.5, "b3": 2.0, "b4": 20.0, "b5": 0.0, "b6": 4.0}


@pytest.fixture
def town() -> City:
    city = small_city()
    ids = list(PEOPLE)
    people = [PEOPLE[i] for i in ids]
    city.update_values(
        "buildings", ids, {"inhabitants": people, "households": [p / 2 for p in people]}
    )
    return city


@pytest.mark.parametrize("level", COUNT_LEVELS)
def test_inhabitants_and_households_roll_up_without_losing_anyone(town: City, level: Level) -> None:
    inhabitants = COUNTS[("inhabitants", level)](town)
    households = COUNTS[("households", level)](town)
    assert inhabitants.sum() == pytest.approx(sum(PEOPLE.values()))
    assert households.sum() == pytest.approx(sum(PEOPLE.values()) / 2)
    ids = set(town.layer(LEVEL_LAYERS[level])["id"])
    assert ids <= set(inhabitants.index) <= ids | {UNASSIGNED}


def test_roll_ups_follow_the_parent_links(town: City) -> None:
    parcels = COUNTS[("inhabitants", Level.PARCEL)](town)
    assert parcels["12990000AB0001"] == 3.0 + 5.5
    assert parcels[UNASSIGNED] == 4.0 + 0.0  # b6 (orphan) and b5 (hangs from a district)
    communes = COUNTS[("inhabitants", Level.COMMUNE)](town)
    assert communes.to_dict() == {"12990": 30.5, "12991": 0.0, UNASSIGNED: 4.0}


def test_densities_divide_by_the_level_s_area_in_hectares(town: City) -> None:
    per_ha = DENSITIES[("inhabitants", Level.COMMUNE)](town)
    assert per_ha["12990"] == pytest.approx(30.5 / 1.0)  # 100 m x 100 m = 1 ha
    assert per_ha["12991"] == 0.0
    assert per_ha.isna()[UNASSIGNED]  # no area to divide by
    households = DENSITIES[("households", Level.DISTRICT)](town)
    assert households["129900101"] == pytest.approx((3.0 + 5.5 + 2.0) / 2 / 0.5)


def test_every_population_indicator_is_registered_with_its_level_and_inputs() -> None:
    functions = list(COUNTS.values()) + list(DENSITIES.values())
    assert len(functions) == 2 * len(COUNT_LEVELS) + 2 * len(DENSITY_LEVELS)
    for function in functions:
        assert INDICATORS[function.spec.name] is function
        assert function.spec.unit in ("persons", "households", "persons/ha", "households/ha")
    spec = COUNTS[("inhabitants", Level.COMMUNE)].spec
    assert depends_on(spec, "buildings", ("inhabitants",))
    assert depends_on(spec, "parcels", ("parent_id",))
    assert not depends_on(spec, "buildings", ("height_m",))
    assert depends_on(DENSITIES[("inhabitants", Level.COMMUNE)].spec, "communes")


def test_olemps_inhabitants_reach_the_commune_and_the_territory(shared_data: Path) -> None:
    city = City("EPSG:2154")
    folder = shared_data / "bdtopo" / "olemps_12174_v3"
    grid = shared_data / "socio" / "olemps_filosofi2015_200m" / "population.shp"
    for path in (folder / "COMMUNE.shp", folder / "BATIMENT.shp", grid):
        merge_result(city, read_file(path, target_crs=city.crs))
    apply_population(city)
    total = city.layer("buildings")["inhabitants"].sum()
    commune = COUNTS[("inhabitants", Level.COMMUNE)](city)
    territory = COUNTS[("inhabitants", Level.TERRITORY)](city)
    assert commune.sum() == pytest.approx(total) == pytest.approx(territory.sum())
    assert commune["12174"] == pytest.approx(total)  # every Olemps building is in Olemps
    area_ha = city.layer("communes").area.iloc[0] / 10_000
    density = DENSITIES[("inhabitants", Level.COMMUNE)](city)["12174"]
    assert density == pytest.approx(total / area_ha)


def test_the_sample_town_gets_its_inhabitants_from_the_grid(tmp_path: Path) -> None:
    from samples.build import DATA, build_sample_project
    from twin.project import load_project

    city = load_project(build_sample_project(tmp_path))
    grid = pyogrio.read_dataframe(DATA / "filosofi_200m.gpkg")["Ind"].sum()
    cells = city.layer("population_cells")
    allocated = cells["allocated_inhabitants"].sum()
    assert city.layer("buildings")["inhabitants"].sum() == pytest.approx(allocated)
    assert 0.99 * grid < allocated <= grid  # 1-2 cells have no homes, by design
    communes = COUNTS[("inhabitants", Level.COMMUNE)](city)
    assert set(communes.index) == {"12990", "12991"}  # every home is in a commune
    assert communes.sum() == pytest.approx(allocated)
    assert communes["12990"] > 20 * communes["12991"]  # the town, then the rural commune
