"""Scenarios: applied copy-on-write on the baseline, built on one another, kept in the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.edits import AddBuilding, AddFloors, Demolish, Retrofit
from scenarios.scenario import (
    Scenario,
    apply_scenario,
    remove_scenario,
    scenario_chain,
    scenarios_of,
    store_scenario,
)
from tests.scenarios.edit_city import edit_city, frames, rect_wkt
from twin.errors import InvalidInputError
from twin.project import load_project, save_project

DENSER = Scenario(
    "Plus dense",
    "Un étage de plus et un immeuble neuf",
    edits=(AddFloors(("B1",), 1), AddBuilding(floors=4, footprint_wkt=rect_wkt(55, 5, 75, 35))),
)
GREENER = Scenario(
    "Plus dense et rénové", base="Plus dense", edits=(Retrofit("C", ids=("NEW-1", "B1")),)
)


def test_applying_a_scenario_leaves_the_baseline_alone_and_shares_unchanged_layers() -> None:
    baseline = edit_city()
    before = frames(baseline)
    applied = apply_scenario(baseline, DENSER)
    assert frames(baseline) == before  # the baseline's frames were not replaced
    assert baseline.layer("buildings")["floors"].tolist() == [5, 2, 2]
    assert applied.layer("buildings")["floors"].tolist() == [6, 2, 2, 4]
    assert applied.layer("parcels") is baseline.layer("parcels")  # copy-on-write
    assert applied.layer("buildings") is not baseline.layer("buildings")
    assert applied.metadata["scenario"] == "Plus dense"


def test_a_scenario_based_on_another_applies_its_base_first() -> None:
    baseline = edit_city()
    applied = apply_scenario(
        baseline, "Plus dense et rénové", {s.name: s for s in (DENSER, GREENER)}
    )
    buildings = applied.layer("buildings").set_index("id")
    assert buildings.loc["NEW-1", "floors"] == 4  # from the base
    assert buildings.loc["NEW-1", "retrofit_target"] == "C"  # its own edit on the base's building
    assert buildings.loc["B1", "floors"] == 6


def test_cycles_and_unknown_bases_are_one_clear_error() -> None:
    a, b = Scenario("A", base="B"), Scenario("B", base="A")
    with pytest.raises(InvalidInputError, match="cycle \\(A → B → A\\)"):
        scenario_chain("A", {"A": a, "B": b})
    with pytest.raises(InvalidInputError, match="no scenario 'Z' \\(the base of 'C'\\)"):
        scenario_chain("C", {"C": Scenario("C", base="Z")})
    with pytest.raises(InvalidInputError, match="based on itself"):
        Scenario("A", base="A")
    with pytest.raises(InvalidInputError, match="'baseline' is the project as imported"):
        Scenario("Baseline")


def test_an_edit_that_does_not_fit_names_the_scenario_and_the_edit_number() -> None:
    baseline = edit_city()
    broken = Scenario("Cassé", edits=(AddFloors(("B1",), 1), Demolish(("B9",))))
    with pytest.raises(
        InvalidInputError, match="scenario 'Cassé', edit 2 \\(demolish\\): no building 'B9'"
    ):
        apply_scenario(baseline, broken)
    assert baseline.layer("buildings")["floors"].tolist() == [5, 2, 2]


def test_scenarios_are_saved_in_the_project_and_read_back(tmp_path: Path) -> None:
    city = edit_city()
    store_scenario(city, DENSER)
    store_scenario(city, GREENER)
    path = save_project(city, tmp_path / "bourg.twin.gpkg")
    loaded = scenarios_of(load_project(path))
    assert loaded == {"Plus dense": DENSER, "Plus dense et rénové": GREENER}
    again = apply_scenario(load_project(path), "Plus dense et rénové")
    assert again.layer("buildings").set_index("id").loc["NEW-1", "floor_area_m2"] == pytest.approx(
        2400.0
    )


def test_storing_refuses_a_duplicate_name_a_missing_base_and_removing_a_base() -> None:
    city = edit_city()
    store_scenario(city, DENSER)
    with pytest.raises(InvalidInputError, match="already has a scenario 'Plus dense'"):
        store_scenario(city, DENSER)
    with pytest.raises(InvalidInputError, match="no scenario 'Absent'"):
        store_scenario(city, Scenario("Orphelin", base="Absent"))
    store_scenario(city, GREENER)
    with pytest.raises(InvalidInputError, match="is based on 'Plus dense'"):
        remove_scenario(city, "Plus dense")
    remove_scenario(city, "Plus dense et rénové")
    assert list(city.scenarios) == ["Plus dense"]


def test_a_stored_scenario_is_plain_json_data() -> None:
    data = DENSER.to_dict()
    assert data["edits"][0] == {"kind": "add_floors", "ids": ["B1"], "floors": 1}
    assert Scenario.from_dict(data) == DENSER
    with pytest.raises(
        InvalidInputError, match="scenario 'X', edit 1 \\(add_floors\\): field 'floors'"
    ):
        Scenario.from_dict(
            {"name": "X", "edits": [{"kind": "add_floors", "ids": ["B1"], "floors": "un"}]}
        )
