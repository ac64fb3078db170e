"""An IFC building replaces the LoD1 block it stands on and takes over its parcel."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely import box

from importers.base import ImportResult
from importers.merge import merge_result
from twin.city import City
from twin.extrude import extrude_footprints
from twin.provenance import ProvenanceRecord

X, Y = 668000.0, 6357000.0


def town() -> City:
    city = City()
    city.set_layer(
        "parcels",
        gpd.GeoDataFrame(
            {"id": ["P1", "P2"]},
            geometry=[box(X, Y, X + 50, Y + 50), box(X + 50, Y, X + 100, Y + 50)],
            crs=2154,
        ),
    )
    city.set_layer(
        "buildings",
        gpd.GeoDataFrame(
            {
                "id": ["block-1", "block-2"],
                "parent_id": ["P1", "P2"],
                "height_m": [9.0, 6.0],
                "source": ["bdtopo", "bdtopo"],
            },
            geometry=[box(X + 10, Y + 10, X + 30, Y + 30), box(X + 60, Y + 10, X + 80, Y + 30)],
            crs=2154,
        ),
    )
    return city


def ifc_result(footprint: object, model_id: str = "3vB2YO$MX4xv5uCqZZG05x") -> ImportResult:
    buildings = gpd.GeoDataFrame(
        {
            "id": [model_id],
            "parent_id": [None],
            "height_m": [11.0],
            "height_source": ["ifc"],
            "source": ["ifc"],
        },
        geometry=[footprint],
        crs=2154,
    )
    meshes = extrude_footprints([footprint], 400.0, 11.0, [model_id], (X, Y, 0.0))
    record = ProvenanceRecord("mairie.ifc", "ifc", "2026-11-21T00:00:00+00:00", "")
    return ImportResult({"buildings": buildings}, [], record, meshes={"ifc": meshes})


def test_a_model_on_most_of_a_block_replaces_it_and_takes_its_parcel() -> None:
    city = town()
    report = merge_result(city, ifc_result(box(X + 11, Y + 11, X + 31, Y + 29)))
    buildings = city.layer("buildings").set_index("id")
    assert "block-1" not in buildings.index
    assert buildings.loc["3vB2YO$MX4xv5uCqZZG05x", "parent_id"] == "P1"
    assert report.replaced_blocks == 1
    assert city.provenance[-1].details["replaced_buildings"] == {
        "3vB2YO$MX4xv5uCqZZG05x": ["block-1"]
    }
    assert city.meshes["ifc"].object_ids.tolist() == ["3vB2YO$MX4xv5uCqZZG05x"]


def test_a_model_touching_a_block_only_a_little_is_added_beside_it() -> None:
    city = town()
    merge_result(city, ifc_result(box(X + 25, Y + 10, X + 45, Y + 30)))  # a quarter of block-1
    assert set(city.layer("buildings")["id"]) == {"block-1", "block-2", "3vB2YO$MX4xv5uCqZZG05x"}


def test_importing_the_model_again_replaces_its_meshes_instead_of_doubling_them() -> None:
    city = town()
    merge_result(city, ifc_result(box(X + 11, Y + 11, X + 31, Y + 29)))
    merge_result(city, ifc_result(box(X + 11, Y + 11, X + 31, Y + 29)))
    assert city.meshes["ifc"].n_objects == 1
    np.testing.assert_allclose(city.meshes["ifc"].volumes_m3(), [20 * 18 * 11.0], rtol=1e-5)
