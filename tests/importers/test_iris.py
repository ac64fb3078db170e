"""The Contours IRIS importer: districts with their commune as parent."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from pyproj import CRS
from shapely.geometry import box

from importers import iris, registry
from importers.base import ImportOptions
from samples.build import DATA
from twin.catalogue import DISTRICTS
from twin.errors import InvalidInputError
from twin.spec import conform

L93 = CRS.from_epsg(2154)


def test_the_sample_iris_become_districts_under_their_communes() -> None:
    result = registry.read_file(DATA / "contours_iris.gpkg", target_crs=L93)
    assert result.provenance.importer == "iris"
    districts = result.layers["districts"].set_index("id")
    assert sorted(districts.index) == ["129900101", "129900102", "129900103", "129910000"]
    assert districts.loc["129900103", "name"] == "Sud - La Rivière"
    assert districts["parent_id"].to_dict() == {
        "129900101": "12990",
        "129900102": "12990",
        "129900103": "12990",
        "129910000": "12991",
    }
    assert districts["kind"].eq("iris").all()
    assert districts.loc["129910000", "iris_type"] == "Z"
    assert "NOM_COM" in districts.columns  # the source's other fields stay for the inspector
    conform(result.layers["districts"], DISTRICTS)


def test_a_latin1_shapefile_with_numeric_codes_keeps_its_zeros_and_accents(
    tmp_path: Path,
) -> None:
    path = tmp_path / "CONTOURS-IRIS.shp"
    frame = gpd.GeoDataFrame(
        {
            "code_iris": [10010000, 10040101],
            "nom_iris": ["L'Abergement-Clémenciat", "Centre-Ville"],
            "insee_com": [1001, 1004],
            "typ_iris": ["Z", "H"],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=2154,
    )
    pyogrio.write_dataframe(frame, path, encoding="CP1252")
    path.with_suffix(".cpg").unlink()
    assert registry.find_importer(path, ImportOptions()).NAME == "iris"
    districts = iris.read(path, target_crs=L93, options=ImportOptions()).layers["districts"]
    assert districts["id"].tolist() == ["010010000", "010040101"]
    assert districts["parent_id"].tolist() == ["01001", "01004"]
    assert districts["name"].iloc[0] == "L'Abergement-Clémenciat"


def test_a_geopackage_without_iris_fields_is_not_claimed(tmp_path: Path) -> None:
    path = tmp_path / "zones.gpkg"
    gpd.GeoDataFrame({"code": ["1"]}, geometry=[box(0, 0, 1, 1)], crs=2154).to_file(path)
    assert not iris.sniff(path)
    assert not iris.sniff(DATA / "bdtopo.gpkg")


def test_a_layer_without_iris_fields_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "iris.gpkg"
    iris_frame = gpd.read_file(DATA / "contours_iris.gpkg")
    iris_frame.to_file(path, layer="contours_iris")
    gpd.GeoDataFrame({"code": ["1"]}, geometry=[box(0, 0, 1, 1)], crs=2154).to_file(
        path, layer="autre"
    )
    with pytest.raises(InvalidInputError, match="layer 'autre' holds no IRIS contours"):
        iris.read(path, target_crs=L93, options=ImportOptions(source_layer="autre"))
    assert len(iris.read(path, target_crs=L93, options=ImportOptions()).layers["districts"]) == 4
