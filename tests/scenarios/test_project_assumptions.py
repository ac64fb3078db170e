"""A project keeps its own assumption values: `twin assumptions` sets and resets them, and
scenarios and indicators of that project use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios.assumptions import project_assumptions, set_project_assumptions
from scenarios.edits import AddBuilding
from scenarios.scenario import Scenario, apply_scenario, store_scenario
from tests.scenarios.edit_city import edit_city, rect_wkt
from twin.cli import main
from twin.errors import InvalidInputError
from twin.project import load_project, save_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    city = edit_city()
    store_scenario(
        city,
        Scenario(
            "Logements", edits=(AddBuilding(floors=5, footprint_wkt=rect_wkt(55, 5, 75, 35)),)
        ),
    )
    return save_project(city, tmp_path / "town.twin.gpkg")


def test_a_scenario_uses_the_projects_persons_per_household(project: Path) -> None:
    city = load_project(project)
    set_project_assumptions(city, {"people.persons_per_household": 2.5})
    applied = apply_scenario(city, "Logements")
    new = applied.layer("buildings").set_index("id").loc["NEW-1"]
    assert new["dwellings"] == 32  # 3,000 m² / 92.5 m², rounded
    assert new["inhabitants"] == pytest.approx(32 * 2.5)  # not the national 2.16


def test_twin_assumptions_sets_lists_and_resets_a_value(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assumptions", str(project), "--set", "fibre.trench_eur_per_m=85,5"]) == 0
    out = capsys.readouterr().out
    assert "fibre.trench_eur_per_m = 85.5 €/m  [local]" in out
    assert project_assumptions(load_project(project)).value("fibre.trench_eur_per_m") == 85.5
    assert main(["assumptions", str(project), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["fibre.trench_eur_per_m"]["status"] == "local"
    assert listed["people.persons_per_household"]["status"] == "sourced"
    assert main(["assumptions", str(project), "--reset", "fibre.trench_eur_per_m"]) == 0
    capsys.readouterr()
    assert project_assumptions(load_project(project)).value("fibre.trench_eur_per_m") == 70


def test_a_bad_value_is_one_line_and_leaves_the_project_as_it_was(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.read_bytes()
    for argv in (
        ["--set", "fibre.trench=3"],
        ["--set", "fibre.trench_eur_per_m=cher"],
        ["--set", "fibre.trench_eur_per_m"],
        ["--reset", "nothing.here"],
    ):
        assert main(["assumptions", str(project), *argv]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, argv
    assert project.read_bytes() == before


def test_a_project_storing_a_wrong_key_says_how_to_fix_it(project: Path) -> None:
    city = load_project(project)
    city.metadata["assumptions"] = {"fibre.gone": 1}
    with pytest.raises(InvalidInputError, match=r"unknown assumption 'fibre\.gone'"):
        project_assumptions(city)
