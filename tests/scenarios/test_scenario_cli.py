"""`twin scenario list|show|apply|export|import` on a small project in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.edits import AddFloors
from scenarios.scenario import Scenario, scenarios_of, store_scenario
from scenarios.scenario_file import write_scenario_file
from tests.scenarios.edit_city import EVERY_KIND, edit_city
from twin.cli import main
from twin.project import load_project, save_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the small town and one scenario, « Tout »."""
    city = edit_city()
    store_scenario(city, Scenario("Tout", "Chaque sorte de modification", edits=tuple(EVERY_KIND)))
    return save_project(city, tmp_path / "bourg.twin.gpkg")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_and_show_describe_the_projects_scenarios(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "scenario", "list", str(project))
    assert status == 0
    assert out.strip() == "Tout  (base: baseline, 11 edit(s))  Chaque sorte de modification"
    status, out, _ = run(capsys, "scenario", "show", str(project), "Tout")
    assert status == 0
    assert "  1. add a 3-storey residential building on parcel P2" in out
    assert "  11. demolish 2 building(s)" in out


def test_apply_writes_a_new_project_and_never_the_baseline_unless_asked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.read_bytes()
    status, out, _ = run(capsys, "scenario", "apply", str(project), "Tout")
    assert status == 0
    applied = project.with_name("bourg-tout.twin.gpkg")
    assert f"saved {applied}" in out
    city = load_project(applied)
    assert city.layer("buildings")["id"].tolist() == ["B1", "B2"]  # H1 and NEW-1 demolished
    assert city.metadata["scenario"] == "Tout" and "transit_routes" in city
    assert project.read_bytes() == before
    status, _, err = run(
        capsys, "scenario", "apply", str(project), "Tout", "--save-as", str(project)
    )
    assert status == 2 and "is the baseline project" in err and err.count("\n") == 1
    assert project.read_bytes() == before
    status, _, err = run(capsys, "scenario", "apply", str(project), "Tout")
    assert status == 2 and "exists" in err  # the earlier output is kept without --force


def test_export_then_import_into_another_project_gives_the_same_scenario(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "tout.toml"
    status, out, _ = run(capsys, "scenario", "export", str(project), "Tout", str(file))
    assert status == 0 and "11 edit(s)" in out
    other = save_project(edit_city(), tmp_path / "autre.twin.gpkg")
    status, out, _ = run(capsys, "scenario", "import", str(other), str(file))
    assert status == 0 and "imported scenario 'Tout'" in out
    assert scenarios_of(load_project(other)) == scenarios_of(load_project(project))
    status, _, err = run(capsys, "scenario", "import", str(other), str(file))
    assert status == 2 and "--replace" in err
    assert run(capsys, "scenario", "import", str(other), str(file), "--replace")[0] == 0


def test_a_bad_file_is_exit_2_one_line_and_the_project_unchanged(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.read_bytes()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "Cassé"\n[[edits]]\nkind = "add_floors"\nids = ["B1"]\nfloors = "deux"\n',
        encoding="utf-8",
    )
    status, _, err = run(capsys, "scenario", "import", str(project), str(bad))
    assert status == 2 and err.count("\n") == 1
    assert "edit 1 (add_floors): field 'floors'" in err and str(bad) in err
    unknown_id = tmp_path / "unknown.toml"
    write_scenario_file(Scenario("Ailleurs", edits=(AddFloors(("B9",), 1),)), unknown_id)
    status, _, err = run(capsys, "scenario", "import", str(project), str(unknown_id))
    assert status == 2 and "edit 1 (add_floors): no building 'B9'" in err
    assert project.read_bytes() == before


def test_an_unknown_scenario_lists_those_there_are(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "scenario", "show", str(project), "Absent")
    assert status == 2 and "no scenario 'Absent' (its scenarios: 'Tout')" in err
