"""`twin demo --headless` builds the sample project through the importers, with no display."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samples.build import DATA
from twin.catalogue import HEIGHT_SOURCES
from twin.cli import main
from twin.levels import Level
from twin.project import load_project


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--headless", str(outdir)]) == 0
    return outdir


def test_the_demo_writes_the_project_and_its_summary(demo_dir: Path) -> None:
    summary = json.loads((demo_dir / "summary.json").read_text(encoding="utf-8"))
    assert (demo_dir / "valmont.twin.gpkg").is_file()
    assert summary["crs"] == "EPSG:2154"
    assert summary["hierarchy"]["commune"] == 2
    assert summary["hierarchy"]["district"] == 4
    assert 250 <= summary["hierarchy"]["parcel"] <= 350
    assert 350 <= summary["hierarchy"]["building"] <= 450


def test_every_building_of_the_sample_town_is_linked_down_from_the_territory(
    demo_dir: Path,
) -> None:
    city = load_project(demo_dir / "valmont.twin.gpkg")
    hierarchy = city.hierarchy
    assert hierarchy.orphan_ids == []
    buildings = city.layer("buildings")["id"]
    parcels = hierarchy.ancestor_at(buildings, Level.PARCEL)
    assert all(parcel is not None for parcel in parcels)
    communes = set(hierarchy.ancestor_at(buildings, Level.COMMUNE))
    assert communes == {"12990", "12991"}


def test_sample_buildings_carry_uses_heights_and_dwellings(demo_dir: Path) -> None:
    buildings = load_project(demo_dir / "valmont.twin.gpkg").layer("buildings")
    assert buildings["use"].notna().all()
    assert {"residential", "annex", "public", "retail"} <= set(buildings["use"])
    assert buildings["height_m"].gt(0).all()
    assert buildings["height_source"].value_counts()["measured"] > 0.9 * len(buildings)
    assert buildings["height_source"].isin(HEIGHT_SOURCES).all()
    assert buildings["dwellings"].sum() > 1000
    assert buildings["base_elevation_m"].between(380, 520).all()


def test_the_sample_files_are_read_by_the_importers_their_content_calls_for(
    demo_dir: Path,
) -> None:
    city = load_project(demo_dir / "valmont.twin.gpkg")
    importers = {record.source: record.importer for record in city.provenance}
    assert importers["communes.json"] == "cadastre"
    assert importers["contours_iris.gpkg"] == "iris"
    assert importers["cadastre-12990-parcelles.json"] == "cadastre"
    assert importers["bdtopo.gpkg"] == "bdtopo"
    assert len(city.layer("roads")) == 118


def test_the_town_hall_ifc_is_stored_byte_identical(demo_dir: Path) -> None:
    city = load_project(demo_dir / "valmont.twin.gpkg")
    assert city.files["mairie.ifc"].data == (DATA / "mairie.ifc").read_bytes()


def test_the_headless_demo_renders_a_picture_of_the_town(demo_dir: Path) -> None:
    import numpy as np
    import pyvista as pv

    picture = pv.read(demo_dir / "valmont.png")
    assert picture.dimensions[:2] == (1600, 1000)
    pixels = picture.point_data.active_scalars.reshape(
        -1, picture.point_data.active_scalars.shape[-1]
    )
    terrain = np.all(np.abs(pixels[:, :3].astype(int) - [0xA9, 0xAD, 0x8A]) < 25, axis=1)
    residential = np.all(np.abs(pixels[:, :3].astype(int) - [0xE8, 0xC0, 0x7D]) < 40, axis=1)
    assert terrain.mean() > 0.2  # the ground is drawn under the town
    assert residential.mean() > 0.01  # houses are drawn in the residential colour


def test_the_town_hall_model_replaces_its_lod1_block_and_keeps_its_parcel(demo_dir: Path) -> None:
    city = load_project(demo_dir / "valmont.twin.gpkg")
    buildings = city.layer("buildings")
    town_hall = buildings[buildings["source"] == "ifc"]
    assert len(town_hall) == 1
    model_id = town_hall["id"].iloc[0]
    record = next(r for r in city.provenance if r.importer == "ifc")
    replaced = record.details["replaced_buildings"][model_id]
    assert len(replaced) == 1 and replaced[0].startswith("BATIMENT")
    assert replaced[0] not in set(buildings["id"])
    assert city.hierarchy.level_of(city.hierarchy.parent_of(model_id)) == Level.PARCEL
    assert len(city.hierarchy.children(model_id)) == 3  # its storeys
    assert sum(len(city.hierarchy.children(s)) for s in city.hierarchy.children(model_id)) == 23
    assert city.meshes["ifc"].n_objects > 20  # walls, slabs, roof, spaces
