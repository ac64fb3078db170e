"""Placing an IFC model as a new building: the sample's town hall (samples/data/mairie.ifc) in
the edit test town (tests/scenarios/edit_city.py), read by the IFC reader the test registers as
the composition roots do."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from pyproj import CRS

from importers.base import ImportOptions, ImportResult
from importers.ifc import read
from importers.ifc_model import SUFFIXES, model_file, read_model
from scenarios.change import run_edit, undo_change
from scenarios.edits import PlaceModel, edit_from_dict, model_readers, place_model
from scenarios.scenario import Scenario, scenarios_of, store_scenario
from scenarios.scenario_file import scenario_from_toml, scenario_to_toml, write_scenario_file
from tests.scenarios.edit_city import X0, Y0, assert_same_city, edit_city
from twin.city import City
from twin.cli import main
from twin.errors import InvalidInputError
from twin.project import load_project, save_project

MAIRIE = Path(__file__).resolve().parents[2] / "samples" / "data" / "mairie.ifc"
#: A free spot of the test town: parcel P2 (50..100 × 0..50 m) is empty; the town hall's
#: footprint is 24 × 14 m from its origin.
FREE_X, FREE_Y = X0 + 60.0, Y0 + 10.0


@pytest.fixture(autouse=True)
def ifc_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The IFC reader registered, as twin/cli.py and gui/app.py do (restored afterwards)."""
    monkeypatch.setattr(model_readers, "MODEL_READERS", {})
    model_readers.register_model_reader(SUFFIXES, read_model)


@pytest.fixture(scope="module")
def model() -> ImportResult:
    """The town hall read by the importer at the free spot, its zero at 0 m."""
    options = ImportOptions(placement_xyz=(FREE_X, FREE_Y, 0.0))
    return read(MAIRIE, target_crs=CRS("EPSG:2154"), options=options)


def town() -> City:
    """The edit test town with mairie.ifc stored in it."""
    city = edit_city()
    city.files["mairie.ifc"] = model_file(MAIRIE)
    return city


def new_building(city: City, before: City) -> pd.Series:
    buildings = city.layer("buildings")
    added = buildings[~buildings["id"].isin(before.layer("buildings")["id"])]
    assert len(added) == 1
    return added.iloc[0]


def test_a_placed_model_adds_its_building_storeys_rooms_elements_and_meshes(
    model: ImportResult,
) -> None:
    city = town()
    before = city.copy()
    place_model(city, PlaceModel("mairie.ifc", FREE_X, FREE_Y, name="Mairie annexe"))
    for layer in ("buildings", "storeys", "spaces", "ifc_elements"):
        assert len(city.layer(layer)) == len(before.layer(layer)) + len(model.layers[layer])
    assert (
        city.meshes["ifc"].n_objects
        == before.meshes["ifc"].n_objects + model.meshes["ifc"].n_objects
    )
    new = new_building(city, before)
    expected = model.layers["buildings"].iloc[0]
    assert new["id"] == expected["id"]  # the model's GlobalId
    assert new["floor_area_m2"] == pytest.approx(expected["floor_area_m2"])
    assert new["floors"] == expected["floors"] and new["use"] == "public"
    assert new["source"] == "scenario" and new["height_source"] == "ifc"
    assert new["name"] == "Mairie annexe" and new["parent_id"] == "P2"
    assert new["dwellings"] == 0 and new["inhabitants"] == 0  # a town hall houses no one
    assert new.geometry.equals_exact(expected.geometry, 1e-6)
    storeys = city.layer("storeys")
    assert set(storeys.loc[storeys["parent_id"] == new["id"], "id"]) == set(
        model.layers["storeys"]["id"]
    )


def test_without_z_the_model_stands_on_the_lowest_ground_under_it(model: ImportResult) -> None:
    city = town()
    before = city.copy()
    place_model(city, PlaceModel("mairie.ifc", FREE_X, FREE_Y))
    # the terrain rises 1 m per 10 m eastwards from 100 m at X0: 106 m at x = 60 m, where the
    # footprint starts; the model's own base is the underside of its ground slab
    ground_m = 106.0
    own_base_m = model.layers["buildings"]["base_elevation_m"].iloc[0]
    assert new_building(city, before)["base_elevation_m"] == pytest.approx(ground_m + own_base_m)
    meshes = city.meshes["ifc"]
    new_objects = pd.Series(meshes.object_ids).isin(model.meshes["ifc"].object_ids).to_numpy()
    placed = meshes.select(new_objects)
    z_low = float(placed.vertices[:, 2].min()) + placed.origin[2]
    assert z_low == pytest.approx(ground_m + own_base_m, abs=1e-3)  # meshes raised as well


def test_a_given_z_and_rotation_place_the_model_there(model: ImportResult) -> None:
    city = town()
    before = city.copy()
    place_model(city, PlaceModel("mairie.ifc", FREE_X + 14, FREE_Y, z=250.0, rotation_deg=90))
    new = new_building(city, before)
    minx, miny, maxx, maxy = new.geometry.bounds
    assert (maxx - minx, maxy - miny) == pytest.approx((14.0, 24.0))  # turned a quarter
    assert maxx == pytest.approx(FREE_X + 14)  # the origin corner turned west of x
    own_base_m = model.layers["buildings"]["base_elevation_m"].iloc[0]
    assert new["base_elevation_m"] == pytest.approx(250.0 + own_base_m)  # the model's zero at z


def test_undo_gives_back_the_city_exactly_meshes_included() -> None:
    city = town()
    baseline = city.copy()
    frames_before = {name: city.layer(name) for name in city.layer_names}
    meshes_before = dict(city.meshes)
    change = run_edit(city, PlaceModel("mairie.ifc", FREE_X, FREE_Y))
    assert "ifc" in change.before.meshes and city.meshes["ifc"] is not meshes_before["ifc"]
    undo_change(city, change)
    assert_same_city(city, baseline)
    assert all(city.layer(name) is frame for name, frame in frames_before.items())
    assert city.meshes == meshes_before


def test_without_a_registered_reader_the_edit_is_one_clear_error() -> None:
    model_readers.MODEL_READERS.clear()
    city = town()
    before = city.copy()
    with pytest.raises(InvalidInputError, match="the IFC reader is unavailable") as caught:
        place_model(city, PlaceModel("mairie.ifc", FREE_X, FREE_Y))
    assert "\n" not in str(caught.value) and "mairie.ifc" in str(caught.value)
    assert_same_city(city, before)


def test_a_file_not_stored_in_the_project_says_how_to_add_it() -> None:
    with pytest.raises(InvalidInputError, match=r"no stored file 'ecole.ifc'.*add-file"):
        place_model(town(), PlaceModel("ecole.ifc", FREE_X, FREE_Y))


def test_a_model_placed_twice_gets_its_ids_prefixed_copy2(model: ImportResult) -> None:
    city = town()
    place_model(city, PlaceModel("mairie.ifc", FREE_X, FREE_Y))
    place_model(city, PlaceModel("mairie.ifc", FREE_X, FREE_Y + 20))
    guid = model.layers["buildings"]["id"].iloc[0]
    buildings = city.layer("buildings").set_index("id")
    assert {guid, f"copy2:{guid}"} <= set(buildings.index)
    assert buildings.loc[f"copy2:{guid}", "floor_area_m2"] == pytest.approx(
        buildings.loc[guid, "floor_area_m2"]
    )
    for layer in ("buildings", "storeys", "spaces", "ifc_elements"):
        assert city.layer(layer)["id"].is_unique
    assert pd.Series(city.meshes["ifc"].object_ids).is_unique
    copies = city.layer("storeys")["parent_id"] == f"copy2:{guid}"
    assert copies.sum() == len(model.layers["storeys"])
    spaces = city.layer("spaces")
    copied = spaces[spaces["id"].str.startswith("copy2:")]
    assert len(copied) == len(model.layers["spaces"])
    assert copied["parent_id"].str.startswith("copy2:").all()  # links renamed with the ids
    assert set(copied["ifc_global_id"]) == set(model.layers["spaces"]["id"])  # GUIDs kept


def test_a_model_over_a_building_is_refused_unless_it_replaces_it() -> None:
    city = town()
    before = city.copy()
    over_b2 = PlaceModel("mairie.ifc", X0 + 28, Y0 + 2)  # 28..52 × 2..16 m: over B2 only
    with pytest.raises(InvalidInputError, match=r"overlaps building 'B2'.*replace_ids"):
        place_model(city, over_b2)
    assert_same_city(city, before)
    place_model(city, PlaceModel("mairie.ifc", X0 + 28, Y0 + 2, replace_ids=("B2",)))
    buildings = city.layer("buildings")
    assert "B2" not in set(buildings["id"])
    assert buildings["parent_id"].iloc[-1] == "P1"  # the parcel it covers most


def test_the_edit_goes_through_a_scenario_file_and_comes_back_equal() -> None:
    edits = (
        PlaceModel("mairie.ifc", FREE_X, FREE_Y),
        PlaceModel("mairie.ifc", FREE_X, FREE_Y + 20, 104.5, 30.0, "Annexe", ("B2",)),
    )
    scenario = Scenario("Deux mairies", edits=edits)
    text = scenario_to_toml(scenario, "EPSG:2154")
    assert 'kind = "place_model"\nfile_name = "mairie.ifc"\nx = 668060.0\ny = 6357010.0\n' in text
    assert scenario_from_toml(text) == (scenario, "EPSG:2154")
    with pytest.raises(InvalidInputError, match="field 'z' is 20000"):
        edit_from_dict({"kind": "place_model", "file_name": "a.ifc", "x": 1, "y": 2, "z": 2e4})
    with pytest.raises(InvalidInputError, match="field 'file_name' is missing"):
        edit_from_dict({"kind": "place_model", "x": 1, "y": 2})


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_cli_stores_the_model_imports_the_scenario_and_compares_indicators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], model: ImportResult
) -> None:
    model_readers.MODEL_READERS.clear()  # the CLI registers the reader itself
    project = save_project(edit_city(), tmp_path / "bourg.twin.gpkg")
    status, out, _ = run(capsys, "scenario", "add-file", str(project), str(MAIRIE))
    assert status == 0 and 'file_name = "mairie.ifc"' in out
    assert load_project(project).files["mairie.ifc"].data == MAIRIE.read_bytes()
    status, out, _ = run(capsys, "scenario", "add-file", str(project), str(MAIRIE))
    assert status == 0 and "already stored" in out
    file = write_scenario_file(
        Scenario("Mairie annexe", edits=(PlaceModel("mairie.ifc", FREE_X, FREE_Y),)),
        tmp_path / "annexe.toml",
        crs="EPSG:2154",
    )
    status, out, err = run(capsys, "scenario", "import", str(project), str(file))
    assert status == 0, err
    assert list(scenarios_of(load_project(project))) == ["Mairie annexe"]
    status, out, err = run(
        capsys,
        "indicators",
        str(project),
        "--scenario",
        "Mairie annexe",
        "--level",
        "commune",
        "--indicator",
        "floor_area_m2",
        "--json",
    )
    assert status == 0, err
    [row] = json.loads(out)["values"]
    added_m2 = model.layers["buildings"]["floor_area_m2"].iloc[0]
    assert row["Δ Mairie annexe"] == pytest.approx(added_m2)  # the model's floor area


def test_the_cli_refuses_a_file_that_is_not_ifc_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = save_project(edit_city(), tmp_path / "bourg.twin.gpkg")
    before = project.read_bytes()
    fake = tmp_path / "plan.ifc"
    fake.write_text("not a model", encoding="utf-8")
    status, _, err = run(capsys, "scenario", "add-file", str(project), str(fake))
    assert status == 2 and err.count("\n") == 1 and "plan.ifc" in err
    assert project.read_bytes() == before


def test_a_scenario_placing_a_file_the_project_lacks_is_refused_on_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city = edit_city()
    store_scenario(city, Scenario("Vide"))
    project = save_project(city, tmp_path / "bourg.twin.gpkg")
    file = write_scenario_file(
        Scenario("Mairie", edits=(PlaceModel("mairie.ifc", FREE_X, FREE_Y),)), tmp_path / "m.toml"
    )
    status, _, err = run(capsys, "scenario", "import", str(project), str(file))
    assert status == 2 and "no stored file 'mairie.ifc'" in err and err.count("\n") == 1


def test_the_app_registers_the_ifc_reader_when_it_starts() -> None:
    app = pytest.importorskip("gui.app")
    model_readers.MODEL_READERS.clear()
    app.register_model_readers()
    assert model_readers.model_reader_for("ecole.IFC") is read_model
    assert model_readers.model_reader_for("ecole.ifczip") is read_model
