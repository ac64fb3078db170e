"""The twin command: new, import, info; user errors end with status 2 and one clear line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.twin.factories import small_city
from twin.cli import main
from twin.project import load_project, save_project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_new_creates_an_empty_project_in_the_given_crs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "new", str(tmp_path / "ville"), "--crs", "EPSG:3944")
    assert status == 0
    city = load_project(tmp_path / "ville.twin.gpkg")
    assert city.crs.to_epsg() == 3944
    assert city.name == "ville"
    assert "created" in out


def test_new_refuses_to_replace_a_project_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    status, _, err = run(capsys, "new", str(path))
    assert status == 2
    assert "--force" in err
    assert len(load_project(path).layer("buildings")) == 6


def test_info_json_lists_layers_hierarchy_counts_and_crs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    status, out, _ = run(capsys, "info", str(path), "--json")
    info = json.loads(out)
    assert status == 0
    assert info["crs"] == "EPSG:2154"
    assert {layer["name"]: layer["rows"] for layer in info["layers"]}["buildings"] == 6
    assert info["hierarchy"]["parcel"] == 4
    assert info["orphans"] == 1
    assert info["extent"] == pytest.approx([668000, 6357000, 668200, 6357100])


def test_import_maps_columns_and_records_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared_data: Path
) -> None:
    run(capsys, "new", str(tmp_path / "essonne"))
    source = shared_data / "cadastre" / "cadastre-91216-parcelles.json"
    status, out, err = run(
        capsys,
        "import",
        str(tmp_path / "essonne.twin.gpkg"),
        str(source),
        "--as",
        "parcels",
        "--map",
        "contenance_m2=contenance",
    )
    assert status == 0, err
    city = load_project(tmp_path / "essonne.twin.gpkg")
    parcels = city.layer("parcels")
    assert len(parcels) == 4241
    assert parcels["id"].str.len().eq(14).all()
    ratio = (parcels.area / parcels["contenance_m2"]).median()
    assert ratio == pytest.approx(1.0, abs=0.01)  # reprojected to Lambert-93, in m²
    assert city.provenance[0].source == source.name
    assert len(city.provenance[0].sha256) == 64
    assert "parcels: 4241 rows" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["info", "{tmp}/absent.twin.gpkg"], "not found"),
        (["new", "{tmp}/x", "--crs", "EPSG:999999"], "unknown coordinate reference system"),
        (["new", "{tmp}/x", "--crs", "EPSG:4326"], "not a projected CRS"),
        (["info", "{tmp}/plain.gpkg"], "not an urban-twin project"),
        (
            ["import", "{tmp}/ville.twin.gpkg", "{tmp}/missing.shp", "--as", "buildings"],
            "not found",
        ),
        (["import", "{tmp}/ville.twin.gpkg", "{tmp}/notes.txt"], "no importer recognises"),
        (["import", "{tmp}/ville.twin.gpkg", "{tmp}/plain.gpkg", "--at", "668000"], "X,Y or X,Y,Z"),
        (
            ["import", "{tmp}/ville.twin.gpkg", "{tmp}/plain.gpkg", "--storey-height", "30"],
            "between 2 and 10 m",
        ),
        (
            [
                "import",
                "{tmp}/ville.twin.gpkg",
                "{tmp}/plain.gpkg",
                "--as",
                "buildings",
                "--map",
                "height_m",
            ],
            "TARGET=SOURCE",
        ),
    ],
)
def test_user_errors_exit_with_status_2_and_one_line_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    project = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    before = project.read_bytes()
    (tmp_path / "notes.txt").write_text("pas une couche", encoding="utf-8")
    (tmp_path / "plain.gpkg").write_bytes(project.read_bytes())
    import sqlite3

    with sqlite3.connect(tmp_path / "plain.gpkg") as db:
        db.execute("DROP TABLE twin_metadata")
    status, _, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert status == 2
    assert expected in err
    assert err.startswith("twin: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert project.read_bytes() == before


def test_a_failing_file_in_an_import_leaves_the_project_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared_data: Path
) -> None:
    project = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    before = project.read_bytes()
    good = shared_data / "cadastre" / "cadastre-91216-parcelles.json"
    bad = tmp_path / "broken.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    status, _, err = run(capsys, "import", str(project), str(good), str(bad), "--as", "parcels")
    assert status == 2
    assert "broken.geojson" in err
    assert project.read_bytes() == before


def test_the_installed_command_prints_no_traceback_and_debug_shows_it(tmp_path: Path) -> None:
    twin = Path(sys.executable).with_name("twin")
    plain = subprocess.run(
        [str(twin), "info", str(tmp_path / "absent")], capture_output=True, text=True, check=False
    )
    assert plain.returncode == 2
    assert plain.stderr.strip().startswith("twin: error:")
    assert "Traceback" not in plain.stderr
    debug = subprocess.run(
        [str(twin), "--debug", "info", str(tmp_path / "absent")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" in debug.stderr


def test_importing_the_same_ifc_twice_replaces_it_instead_of_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared_data: Path
) -> None:
    model = shared_data / "ifc" / "IfcOpenHouse_IFC4.ifc"
    run(capsys, "new", str(tmp_path / "maison"))
    project = str(tmp_path / "maison.twin.gpkg")
    for _ in range(2):
        status, _, err = run(capsys, "import", project, str(model), "--at", "668000,6357000,400")
        assert status == 0, err
    city = load_project(tmp_path / "maison.twin.gpkg")
    assert len(city.layer("buildings")) == 1
    elements = city.layer("ifc_elements")
    assert elements["id"].is_unique
    assert city.meshes["ifc"].n_objects == len(set(city.meshes["ifc"].object_ids))


def test_a_bug_still_ends_in_one_line_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import twin.cli

    def broken(path: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(twin.cli, "load_project", broken)
    path = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    status, _, err = run(capsys, "info", str(path))
    assert status == 1
    assert err.startswith("twin: internal error (RuntimeError: boom)")
    assert "--debug" in err and "Traceback" not in err


def test_an_error_quoting_a_value_with_line_breaks_is_still_printed_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from twin.errors import SpecError

    def damaged(args: object) -> int:  # as a GlobalId cut so that it swallowed the next lines
        raise SpecError("buildings: 2 duplicate id(s), e.g. '0K8x\nIFCWALL(#12)\n'; fix them")

    monkeypatch.setattr("twin.cli._info", damaged)
    status, _, err = run(capsys, "info", str(tmp_path / "ville.twin.gpkg"))
    assert status == 2
    assert err == "twin: error: buildings: 2 duplicate id(s), e.g. '0K8x IFCWALL(#12) '; fix them\n"
