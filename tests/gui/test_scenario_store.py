"""The scenario helpers of the app without a window: the commands on ``City.scenarios``, the
marks of new and changed rows, the one-line descriptions of edits and the applied-scenario
cache with its undo."""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from gui import scenario_store as store
from gui.i18n import translator
from gui.scenario_marks import compare_rows, marked_colours
from gui.scenario_sessions import ScenarioSessions
from gui.scenario_texts import describe_edit
from scenarios.edits import AddBuilding, AddFloors, AddTransitLine, Demolish
from scenarios.scenario import Scenario, store_scenario
from twin.city import City
from twin.errors import InvalidInputError


def small_town() -> City:
    city = City(name="Bourg")
    city.set_layer(
        "buildings",
        gpd.GeoDataFrame(
            {"id": ["B1", "B2"], "use": ["residential", "retail"], "floors": [2, 1]},
            geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10)],
            crs="EPSG:2154",
        ),
    )
    return city


@pytest.fixture
def english() -> Iterator[None]:
    translator().set_language("en")
    yield
    translator().set_language("fr")


def test_renaming_a_scenario_rebases_the_scenarios_built_on_it_and_keeps_its_place() -> None:
    city = small_town()
    store_scenario(city, Scenario("A", edits=(AddFloors(("B1",), 1),)))
    store_scenario(city, Scenario("B", base="A"))
    store_scenario(city, Scenario("C"))

    store.rename_scenario(city, "A", "A bis")

    assert list(city.scenarios) == ["A bis", "B", "C"]
    assert city.scenarios["B"]["base"] == "A bis"
    assert city.scenarios["A bis"]["edits"] == [{"kind": "add_floors", "ids": ["B1"], "floors": 1}]


def test_a_scenario_others_are_based_on_cannot_be_deleted_and_a_bad_name_changes_nothing() -> None:
    city = small_town()
    store_scenario(city, Scenario("A"))
    store_scenario(city, Scenario("B", base="A"))
    before = dict(city.scenarios)

    with pytest.raises(InvalidInputError, match="based on 'A'"):
        store.delete_scenario(city, "A")
    with pytest.raises(InvalidInputError, match="baseline"):
        store.rename_scenario(city, "A", "baseline")
    with pytest.raises(InvalidInputError, match="already has"):
        store.rename_scenario(city, "A", "B")

    assert city.scenarios == before
    assert store.unique_name(city, "A") == "A (2)"


def test_marks_tell_new_changed_and_removed_rows_geometry_and_missing_values_included() -> None:
    city = small_town()
    before = city.layer("buildings")
    after = before.copy()
    after.loc[1, "geometry"] = box(20, 0, 31, 10)  # B2 grows
    after = gpd.GeoDataFrame(
        [
            *after.to_dict("records"),
            {"id": "N1", "use": "office", "floors": 3, "geometry": box(40, 0, 50, 10)},
        ],
        crs="EPSG:2154",
    )
    after = after[after["id"] != "B1"]

    marks = compare_rows(before, gpd.GeoDataFrame(after))

    assert (marks.new, marks.changed, marks.removed) == ({"N1"}, {"B2"}, {"B1"})
    assert not compare_rows(before, before.copy()).any  # copies with NaN-free equal values
    rgb = marked_colours(np.full((2, 3), 100, np.uint8), np.array(["B2", "N1"]), marks)
    assert rgb[0, 2] > rgb[0, 1] and rgb[1, 1] > rgb[1, 0]  # blue for changed, green for new


def test_each_edit_reads_as_one_line_with_its_figures_in_french_and_english(english: None) -> None:
    footprint = box(0, 100, 20, 125).wkt  # 500 m²
    building = AddBuilding(floors=5, footprint_wkt=footprint, dwellings=32)
    assert describe_edit(building) == "Add a building: 5 storeys, 2,500 m², 32 dwellings"
    assert describe_edit(Demolish(("B1",))) == "Demolish 1 building"
    line = AddTransitLine("C", 4.0, line_wkt="LINESTRING (0 0, 100 0, 200 0)")
    assert describe_edit(line) == "Add the bus line “C”: 3 stops, 4 departures/h at peak"
    translator().set_language("fr")
    assert describe_edit(building) == "Ajouter un bâtiment : 5 niveaux, 2\u202f500 m², 32 logements"
    assert describe_edit(AddFloors(("B1", "B2"), -1)) == "Retirer 1 niveau à 2 bâtiments"


def test_the_cache_applies_a_scenario_once_and_undo_writes_its_edits_back() -> None:
    city = small_town()
    store_scenario(city, Scenario("A", edits=(AddFloors(("B1",), 1),)))
    store_scenario(city, Scenario("B", base="A"))
    edited: list[str] = []
    sessions = ScenarioSessions(city, edited.append)

    a, b = sessions.session("A"), sessions.session("B")

    assert sessions.session("A") is a and a.city.layer("buildings")["floors"].tolist() == [3, 1]
    assert b.city.layer("buildings")["floors"].tolist() == [3, 1]  # built on A
    assert city.layer("buildings")["floors"].tolist() == [2, 1]  # the baseline untouched

    a.history.undo()  # the edit loaded with the project leaves the scenario

    assert city.scenarios["A"]["edits"] == [] and edited == ["A"]
    assert a.city.layer("buildings")["floors"].tolist() == [2, 1]
    assert not sessions.cached("B") and sessions.cached("A")  # B is applied again when shown
    a.history.redo()
    assert len(city.scenarios["A"]["edits"]) == 1 and not a.undone
