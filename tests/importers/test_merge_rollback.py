"""A merge that fails half-way leaves the City, and the project file, exactly as they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from affine import Affine
from geopandas.testing import assert_geodataframe_equal
from pyproj import CRS
from shapely.geometry import box

import importers.merge as merge
import twin.city
from importers.base import ImportResult
from importers.merge import MergeError, merge_result, merge_results
from tests.twin.factories import small_city
from twin.city import City
from twin.cli import main
from twin.errors import CancelledError, SpecError
from twin.mesh import MeshStore
from twin.project import save_project
from twin.provenance import ProvenanceRecord, StoredFile
from twin.raster import Raster

X0, Y0 = 668000.0, 6357000.0  # the small city's corner, Lambert-93
LAMBERT93 = CRS.from_epsg(2154)


def terrain(altitude_m: float) -> Raster:
    values = np.full((30, 50), altitude_m, dtype=np.float32)
    return Raster("terrain", values, Affine(5.0, 0, X0 - 25, 0, -5.0, Y0 + 125), LAMBERT93)


def frame(ids: list[str], boxes: list[tuple[float, ...]], **columns: Any) -> gpd.GeoDataFrame:
    geometry = [box(X0 + a, Y0 + b, X0 + c, Y0 + d) for a, b, c, d in boxes]
    return gpd.GeoDataFrame({"id": ids, **columns}, geometry=geometry, crs=LAMBERT93)


def big_import(source: str = "tout.gpkg") -> ImportResult:
    """Three layers (a new commune, a parcel replacing one, new buildings), a new terrain,
    detailed meshes and a stored file: every kind of thing a merge changes."""
    mesh = MeshStore(
        vertices=np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=np.float32),
        faces=np.array([[0, 1, 2]], dtype=np.int32),
        vertex_offsets=np.array([0, 3]),
        face_offsets=np.array([0, 1]),
        object_ids=np.array(["n1"]),
        origin=(X0 + 10, Y0 + 10, 0.0),
    )
    layers = {
        "communes": frame(["12992"], [(200, 0, 300, 100)], name=["Nouvelle"]),
        "parcels": frame(["12990000AB0001", "12992000ZZ0001"], [(0, 0, 50, 50), (200, 0, 250, 50)]),
        "buildings": frame(["n1", "n2"], [(10, 10, 20, 20), (210, 10, 220, 20)], height_m=6.0),
    }
    record = ProvenanceRecord(source, "vector", "2026-11-21T00:00:00+00:00", "0" * 64)
    return ImportResult(
        layers=layers,
        issues=[],
        provenance=record,
        files=[StoredFile("modele.ifc", "application/x-step", b"ISO-10303-21;")],
        rasters={"terrain": terrain(320.0)},
        meshes={"ifc": mesh},
    )


def town() -> City:
    city = small_city()
    city.set_raster(terrain(300.0))
    city.metadata["note"] = {"kept": True}
    return city


def state(city: City) -> dict[str, Any]:
    """Everything a merge may change, by reference and by value."""
    return {
        "names": list(city.layer_names),
        "frames": {name: city.layer(name) for name in city.layer_names},
        "copies": {name: city.layer(name).copy() for name in city.layer_names},
        "rasters": dict(city.rasters),
        "meshes": dict(city.meshes),
        "files": dict(city.files),
        "provenance": list(city.provenance),
        "origin": city.origin,
        "metadata": {"note": dict(city.metadata["note"])},
        "parent_of_b1": city.hierarchy.parent_of("b1"),
    }


def assert_unchanged(city: City, before: dict[str, Any]) -> None:
    assert city.layer_names == before["names"]
    for name, frame_before in before["frames"].items():
        assert city.layer(name) is frame_before
        assert_geodataframe_equal(city.layer(name), before["copies"][name])
    assert city.rasters.keys() == before["rasters"].keys()
    assert all(city.rasters[n] is r for n, r in before["rasters"].items())
    assert city.meshes == before["meshes"] and city.files == before["files"]
    assert city.provenance == before["provenance"]
    assert city.origin == before["origin"]
    assert city.metadata == before["metadata"]
    assert city.hierarchy.parent_of("b1") == before["parent_of_b1"]


def fail_on_call(monkeypatch: pytest.MonkeyPatch, target: Any, name: str, number: int,
                 error: BaseException) -> None:  # fmt: skip
    """Make ``target.name`` raise ``error`` on its ``number``-th call (after doing its work)."""
    original = getattr(target, name)
    calls = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        value = original(*args, **kwargs)
        if len(calls) == number:
            raise error
        return value

    monkeypatch.setattr(target, name, failing)


def test_a_spec_error_on_the_third_layer_leaves_the_city_exactly_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city = town()
    before = state(city)
    events: list[str] = []
    city.changed.connect(lambda layer, ids, columns: events.append(layer))
    fail_on_call(monkeypatch, twin.city, "conform", 3, SpecError("layer 'buildings': broken"))
    with pytest.raises(MergeError, match=r"^tout\.gpkg could not be merged, the project was left"):
        merge_result(city, big_import())
    assert_unchanged(city, before)
    assert events == []  # no listener saw the half-made state


@pytest.mark.parametrize(
    ("step", "error", "expected"),
    [
        ("link_parents", KeyError("b9"), r"tout\.gpkg could not be merged \(KeyError"),
        ("sample_base_elevations", MemoryError(), r"not enough memory to merge tout\.gpkg"),
        ("ensure_territory", SpecError("territory broken"), r"territory broken"),
    ],
)
def test_a_failure_late_in_the_merge_puts_back_layers_rasters_meshes_files_and_provenance(
    monkeypatch: pytest.MonkeyPatch, step: str, error: Exception, expected: str
) -> None:
    city = town()
    before = state(city)
    fail_on_call(monkeypatch, merge, step, 1, error)
    with pytest.raises(MergeError, match=expected) as raised:
        merge_result(city, big_import())
    assert raised.value.source == "tout.gpkg"
    assert "the project was left as it was" in str(raised.value)
    assert_unchanged(city, before)


def test_a_cancel_or_ctrl_c_after_the_origin_was_set_goes_on_as_it_is_and_the_city_is_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for error in (CancelledError("cancelled"), KeyboardInterrupt()):
        city = town()
        assert city.origin is None
        before = state(city)
        fail_on_call(monkeypatch, City, "ensure_origin", 1, error)
        with pytest.raises(type(error)):
            merge_result(city, big_import())
        assert_unchanged(city, before)
        monkeypatch.undo()


def test_the_same_import_merges_fully_when_nothing_fails() -> None:
    city = town()
    events: list[str] = []
    city.changed.connect(lambda layer, ids, columns: events.append(layer))
    merge_result(city, big_import())
    assert set(city.layer("communes")["id"]) == {"12990", "12991", "12992"}
    assert {"n1", "n2"} <= set(city.layer("buildings")["id"])
    assert float(city.rasters["terrain"].values[0, 0]) == 320.0
    assert "ifc" in city.meshes and "modele.ifc" in city.files and city.origin is not None
    assert {"communes", "parcels", "buildings", "terrain", "ifc"} <= set(events)


def test_several_files_merge_all_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    city = town()
    before = state(city)
    second = big_import("second.gpkg")
    second.layers = {"buildings": frame(["n3"], [(30, 30, 40, 40)], height_m=6.0)}
    fail_on_call(monkeypatch, merge, "link_parents", 2, RuntimeError("boom"))
    with pytest.raises(MergeError, match=r"^second\.gpkg could not be merged") as raised:
        merge_results(city, [big_import(), second])
    assert raised.value.source == "second.gpkg"
    assert_unchanged(city, before)  # the first file, merged fine, is undone too


def test_twin_import_with_a_merge_failing_half_way_leaves_the_project_file_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    before = project.read_bytes()
    source = tmp_path / "bati.geojson"
    frame(["n1"], [(10, 10, 20, 20)], height_m=[6.0]).to_file(source, driver="GeoJSON")
    fail_on_call(monkeypatch, merge, "link_parents", 1, MemoryError())
    status = main(["import", str(project), str(source), "--as", "buildings"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("twin: error: not enough memory to merge bati.geojson")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert project.read_bytes() == before
