"""The sample town's scenarios: they apply to the demo project, undo to its baseline exactly,
and give numbers a planner can check against the data by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from samples.build import build_sample_project
from scenarios.history import History
from scenarios.indicators.stop_access import stop_access
from scenarios.scenario import apply_scenario, scenarios_of
from tests.scenarios.edit_city import assert_same_city
from twin.city import City
from twin.project import load_project

SAMPLE_NAMES = (
    "Densifier le centre",
    "Nouvelle ligne de bus",
    "Rénovation du quartier",
    "Tiers-lieu dans la mairie",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_project(tmp_path_factory.mktemp("valmont_scenarios"))


@pytest.fixture
def valmont(project: Path) -> City:
    return load_project(project)


def test_the_demo_project_ships_the_four_sample_scenarios(valmont: City) -> None:
    assert sorted(scenarios_of(valmont)) == sorted(SAMPLE_NAMES)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_each_sample_scenario_applied_edit_by_edit_then_undone_gives_back_the_baseline(
    valmont: City, name: str
) -> None:
    baseline = valmont.copy()
    history = History(valmont)
    for edit in scenarios_of(valmont)[name].edits:
        history.do(edit)
    assert any(valmont.layer(n) is not baseline.layer(n) for n in baseline.layer_names) or (
        set(valmont.layer_names) != set(baseline.layer_names)
    )
    while history.can_undo:
        history.undo()
    assert_same_city(valmont, baseline)
    history.redo()
    assert history.can_undo


def test_densifying_the_centre_adds_a_floor_to_ten_buildings_and_a_building_on_ae_57(
    valmont: City,
) -> None:
    applied = apply_scenario(valmont, "Densifier le centre")
    before = valmont.layer("buildings").set_index("id")
    after = applied.layer("buildings").set_index("id")
    kept = before.index.intersection(after.index)
    added = after.loc[kept, "floors"].fillna(0) - before.loc[kept, "floors"].fillna(0)
    assert added[added != 0].tolist() == [1] * 10  # one more floor on ten buildings
    parcel = valmont.layer("parcels").set_index("id").geometry["12990000AE0057"]
    footprint_m2 = parcel.buffer(-3.0, join_style="mitre").area  # 3 m from the parcel's limits
    new = after.loc["NEW-1"]
    assert new["floor_area_m2"] == pytest.approx(4 * footprint_m2)
    assert new["dwellings"] == int(np.floor(0.75 * 4 * footprint_m2 / 92.5 + 0.5))
    assert new["use"] == "residential" and new["parent_id"] == "12990000AE0057"
    assert len(after) == len(before) - 3 + 1  # the house and two annexes of AE 57 went


def test_the_town_hall_turned_third_place_shows_its_mix_from_its_rooms(valmont: City) -> None:
    applied = apply_scenario(valmont, "Tiers-lieu dans la mairie")
    hall = applied.layer("buildings").query("source == 'ifc'").iloc[0]
    mix = json.loads(hall["use_mix"])
    # rooms after the change (corridors, stairs and toilets left out), in m²:
    # office 33.6 + 51.52 + 33.6 + 51.52 + 44.8 + 40.32 = 255.36 (coworking)
    # public 73.92 + 78.4 + 44.8 = 197.12 (rooms for associations)
    # annex 22.4 + 29.12 + 51.52 = 103.04 (plant rooms, archives), retail 56 + 33.6 = 89.6
    total = 255.36 + 197.12 + 103.04 + 89.6
    assert mix == pytest.approx(
        {
            "office": 255.36 / total,
            "public": 197.12 / total,
            "annex": 103.04 / total,
            "retail": 89.6 / total,
        },
        abs=1e-4,
    )
    assert hall["use"] == "office"
    spaces = applied.layer("spaces")
    assert (spaces["long_name"] == "Coworking").sum() == 6
    assert spaces.loc[spaces["long_name"] == "Café associatif", "use"].tolist() == ["retail"]


def test_the_new_bus_line_serves_its_five_stops_and_brings_buildings_nearer_a_frequent_stop(
    valmont: City,
) -> None:
    applied = apply_scenario(valmont, "Nouvelle ligne de bus")
    stops = applied.layer("transit_stops")
    line = stops[stops["id"].str.startswith("scenario:")]
    assert line["name"].tolist()[0] == "Les Tilleuls" and line["routes"].tolist() == ["C"] * 5
    assert line["departures_peak_per_h"].tolist() == [4.0, 8.0, 8.0, 8.0, 4.0]
    assert applied.layer("transit_routes")["name"].tolist()[-1] == "C"

    def walk_to_frequent_stop_m(city: City) -> pd.Series:
        if "transit_stops" not in city:
            return pd.Series(np.inf, index=city.layer("buildings")["id"])
        return stop_access(city).table["distance_to_served_stop_m"].fillna(np.inf)

    before, after = walk_to_frequent_stop_m(valmont), walk_to_frequent_stop_m(applied)
    assert (after <= before + 0.01).all()  # a new line takes no stop away
    assert (after < before - 1.0).sum() >= 50  # and brings many buildings nearer one
    hall_id = valmont.layer("buildings").query("source == 'ifc'")["id"].iloc[0]
    assert after[hall_id] < 300  # Mairie - Grand'Rue is 78 m from the town hall


def test_the_district_renovation_targets_every_residential_building_of_les_tilleuls(
    valmont: City,
) -> None:
    applied = apply_scenario(valmont, "Rénovation du quartier")
    parcels = valmont.layer("parcels")
    in_district = set(parcels.loc[parcels["parent_id"] == "129900102", "id"])
    buildings = valmont.layer("buildings")
    expected = buildings[
        buildings["parent_id"].isin(in_district) & (buildings["use"] == "residential")
    ]
    targets = applied.layer("buildings").set_index("id")["retrofit_target"]
    assert set(targets[targets == "C"].index) == set(expected["id"])
    assert len(expected) > 20
    district = valmont.layer("districts").set_index("id").geometry["129900102"]
    assert shapely.covered_by(expected.geometry.centroid.to_numpy(), district.buffer(1)).all()
