"""Scenario files: TOML a planner can diff, mail and reapply; bad files refused in one line."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from samples.sample_scenarios import sample_scenarios
from scenarios.edits import EDIT_KINDS, PlaceModel
from scenarios.scenario import Scenario
from scenarios.scenario_file import (
    read_scenario_file,
    scenario_from_toml,
    scenario_to_toml,
    write_scenario_file,
)
from tests.scenarios.edit_city import EVERY_KIND, X0, Y0, edit_city
from twin.errors import CrsError, InvalidInputError

TRICKY = Scenario(
    "Tout « essayer »",
    'Une description\nsur deux lignes, avec des "guillemets" et un \\ antislash.',
    edits=(*EVERY_KIND, PlaceModel("mairie.ifc", X0 + 60, Y0 + 10, rotation_deg=15.0)),
)


def test_every_edit_kind_goes_through_a_file_and_comes_back_equal(tmp_path: Path) -> None:
    assert {edit.kind for edit in TRICKY.edits} == set(EDIT_KINDS)  # place_model: no file here
    path = write_scenario_file(TRICKY, tmp_path / "tout.toml", crs="EPSG:2154")
    assert read_scenario_file(path, edit_city()) == TRICKY
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_the_sample_scenarios_round_trip_through_the_writer() -> None:
    for scenario in sample_scenarios():
        assert tomllib.loads(scenario_to_toml(scenario))["name"] == scenario.name
        written = scenario_to_toml(scenario)
        assert (
            Scenario.from_dict({k: v for k, v in tomllib.loads(written).items() if k != "format"})
            == scenario
        )


def test_each_edit_in_a_file_is_preceded_by_what_it_does() -> None:
    text = scenario_to_toml(TRICKY)
    assert '# 2. add 1 floor(s) to 1 building(s)\n[[edits]]\nkind = "add_floors"' in text
    assert "use_mix = { residential = 0.8, retail = 0.2 }" in text


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = 'format = 1\nname = "Essai"\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('name = "Essai\n', "is not valid TOML"),
        ('format = 7\nname = "Essai"\n', "has format 7"),
        (HEAD + 'colour = "red"\n', "unknown key 'colour'"),
        (HEAD + '[[edits]]\nkind = "raze"\n', "edit 1: unknown edit kind 'raze'"),
        (
            HEAD + '[[edits]]\nkind = "demolish"\nids = ["B1"]\n'
            '[[edits]]\nkind = "add_floors"\nids = ["B1"]\n',
            "edit 2 \\(add_floors\\): field 'floors' is missing",
        ),
        (
            HEAD + '[[edits]]\nkind = "add_floors"\nids = ["B1"]\nfloors = "two"\n',
            "edit 1 \\(add_floors\\): field 'floors': expected a whole number, got 'two'",
        ),
        (
            HEAD + '[[edits]]\nkind = "add_floors"\nids = "B1"\nfloors = 1\n',
            "edit 1 \\(add_floors\\): field 'ids': expected a list",
        ),
        (
            HEAD + '[[edits]]\nkind = "add_floors"\nids = ["B1"]\nfloor = 1\n',
            "edit 1 \\(add_floors\\): unknown field 'floor'",
        ),
        (
            HEAD + '[[edits]]\nkind = "add_building"\nfloors = 2\nfootprint_wkt = "POINT (1 1)"\n',
            "edit 1 \\(add_building\\): field 'footprint_wkt' is a Point, not a Polygon",
        ),
        (
            HEAD + '[[edits]]\nkind = "change_use"\nids = ["B1"]\nuse_mix = { office = 0.5 }\n',
            "edit 1 \\(change_use\\): field 'use_mix' shares sum to 0.5",
        ),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_the_edit_and_the_field(
    tmp_path: Path, body: str, message: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(InvalidInputError, match=message) as caught:
        read_scenario_file(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_a_file_in_another_crs_is_refused_for_the_project(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + 'crs = "EPSG:3944"\n')
    assert read_scenario_file(path).name == "Essai"  # without a project: nothing to compare
    with pytest.raises(CrsError, match="written in EPSG:3944, the project in EPSG:2154"):
        read_scenario_file(path, edit_city())


def test_a_missing_or_binary_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="not found"):
        read_scenario_file(tmp_path / "absent.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00name")
    with pytest.raises(InvalidInputError, match="not a UTF-8 text file"):
        read_scenario_file(binary)


def test_the_format_documentation_names_every_edit_kind_and_field() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenario-file.md").read_text("utf-8")
    for kind, cls in EDIT_KINDS.items():
        section = doc.split(f"### `{kind}`", 1)
        assert len(section) == 2, f"docs/scenario-file.md has no section for {kind}"
        body = section[1].split("\n### ", 1)[0]
        for field in dataclasses.fields(cls):
            assert f"`{field.name}`" in body, f"{kind}.{field.name} is not documented"


def test_the_example_of_the_format_documentation_is_a_valid_scenario_file() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenario-file.md").read_text("utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    scenario, crs = scenario_from_toml(example, "docs/scenario-file.md")
    assert [edit.kind for edit in scenario.edits] == ["add_floors", "demolish", "add_building"]
    assert crs == "EPSG:2154"
