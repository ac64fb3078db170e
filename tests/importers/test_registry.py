"""The registry picks importers from the file's content, not its name."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from importers import registry
from importers.base import ImportOptions
from twin.errors import InputFileNotFoundError, UnsupportedFormatError


def test_every_registered_importer_follows_the_protocol() -> None:
    for importer in registry.importers():
        assert importer.NAME and importer.DESCRIPTION and importer.SUFFIXES
        assert callable(importer.sniff) and callable(importer.read)


def test_a_geojson_with_a_misleading_suffix_is_still_recognised(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    gpd.GeoDataFrame({"id": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=2154).to_file(
        path, driver="GeoJSON"
    )
    assert registry.find_importer(path, ImportOptions()).NAME == "vector"


def test_random_bytes_named_gpkg_are_not_taken_for_a_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "fake.gpkg"
    path.write_bytes(b"\x13\x37" * 1000)
    with pytest.raises(UnsupportedFormatError, match=r"fake\.gpkg: no importer recognises"):
        registry.find_importer(path, ImportOptions())


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputFileNotFoundError, match=r"absent\.shp not found"):
        registry.find_importer(tmp_path / "absent.shp", ImportOptions())


def test_the_real_bdtopo_shapefile_and_cadastre_geojson_are_recognised(shared_data: Path) -> None:
    shapefile = next((shared_data / "bdtopo" / "olemps_12174_v3").glob("*.shp"))
    cadastre = shared_data / "cadastre" / "cadastre-91216-parcelles.json"
    assert registry.find_importer(shapefile, ImportOptions()).NAME == "bdtopo"
    assert registry.find_importer(cadastre, ImportOptions()).NAME == "cadastre"


def test_a_column_mapping_sends_even_a_recognised_file_to_the_generic_importer(
    shared_data: Path,
) -> None:
    shapefile = shared_data / "bdtopo" / "olemps_12174_v3" / "BATIMENT.shp"
    mapped = ImportOptions(kind="buildings", mapping={"height_m": "HAUTEUR"})
    assert registry.find_importer(shapefile, mapped).NAME == "vector"
    assert registry.find_importer(shapefile, ImportOptions()).NAME == "bdtopo"


def test_an_empty_file_is_called_empty(tmp_path: Path) -> None:
    from twin.errors import InvalidInputError

    path = tmp_path / "batiments.geojson"
    path.write_bytes(b"")
    with pytest.raises(InvalidInputError, match=r"batiments\.geojson is empty \(0 bytes\)"):
        registry.find_importer(path, ImportOptions())
