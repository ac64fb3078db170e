"""Bad geometries inside a good file are not errors: they are repaired or left out, and each
one is reported as an Issue in the import report; the import goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely

from tests.robustness import bad_files as bad
from tests.robustness.bad_files import X0, Y0, feature, square
from tests.robustness.conftest import run_twin
from twin.project import load_project

BOWTIE = {  # a self-intersecting "bow tie": two triangles of 50 m² each
    "type": "Polygon",
    "coordinates": [[[X0, Y0], [X0 + 10, Y0 + 10], [X0 + 10, Y0], [X0, Y0 + 10], [X0, Y0]]],
}


def _rings(x: float, z: float) -> list:
    return square(x, Y0, z=z)["coordinates"]


def _import(
    capsys: pytest.CaptureFixture[str], project: Path, inputs: Path, features: list[dict]
) -> str:
    path = bad.geojson("batiments.geojson", features, crs="urn:ogc:def:crs:EPSG::2154")(inputs)
    outcome = run_twin(capsys, "import", project, path, "--as", "buildings")
    assert outcome.status == 0, outcome.err
    return outcome.out


def test_a_self_intersecting_footprint_is_repaired_and_reported(
    project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _import(
        capsys, project, inputs, [feature(BOWTIE, "noeud"), feature(square(X0 + 50, Y0), "ok")]
    )
    assert "invalid_geometry" in out
    buildings = load_project(project).layer("buildings").set_index("id")
    assert shapely.is_valid(buildings.geometry.to_numpy()).all()
    assert buildings.loc["noeud"].geometry.area == pytest.approx(50.0)  # both triangles kept
    assert buildings.loc["ok"].geometry.area == pytest.approx(100.0)


def test_empty_geometries_are_left_out_and_reported_the_rest_imported(
    project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _import(
        capsys,
        project,
        inputs,
        [
            feature(None, "sans"),
            feature({"type": "Polygon", "coordinates": []}, "vide"),
            feature(square(X0, Y0), "plein"),
        ],
    )
    assert "error empty_geometry x2" in out
    assert load_project(project).layer("buildings")["id"].tolist() == ["plein"]


def test_footprints_mixing_2d_and_3d_coordinates_are_kept_flat(
    project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(
        capsys,
        project,
        inputs,
        [
            feature(square(X0, Y0, z=312.5), "en_3d"),
            feature(square(X0 + 50, Y0), "en_2d"),
            feature({"type": "MultiPolygon", "coordinates": [_rings(X0 + 100, 0.0)]}, "multi_3d"),
        ],
    )
    buildings = load_project(project).layer("buildings")
    assert sorted(buildings["id"]) == ["en_2d", "en_3d", "multi_3d"]
    assert not shapely.has_z(buildings.geometry.to_numpy()).any()
    assert buildings.geometry.area.round(6).tolist() == [100.0, 100.0, 100.0]


def test_a_feature_with_an_invalid_geometry_in_an_etalab_file_is_reported(
    project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = json.loads((bad.SAMPLES / "cadastre-12991-parcelles.json").read_text("utf-8"))
    first = source["features"][0]
    ring = first["geometry"]["coordinates"][0]
    if first["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    (x0, y0), (x1, y1) = ring[0], ring[2]
    first["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]],
    }
    path = inputs / "cadastre-12991-parcelles.json"
    path.write_text(json.dumps(source), encoding="utf-8")
    outcome = run_twin(capsys, "import", project, path)
    assert outcome.status == 0, outcome.err
    assert "invalid_geometry" in outcome.out
    parcels = load_project(project).layer("parcels")
    assert len(parcels) == len(source["features"])
    assert shapely.is_valid(parcels.geometry.to_numpy()).all()
