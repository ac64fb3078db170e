"""The BD TOPO importer: BATIMENT shapefiles and GeoPackages, road sections, communes."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from pyproj import CRS
from shapely import MultiPolygon, Polygon
from shapely.geometry import box

from importers import bdtopo, dbf, registry
from importers.base import ImportOptions
from importers.merge import merge_result
from samples.build import DATA
from twin.catalogue import BUILDINGS, ROADS
from twin.city import City
from twin.errors import InvalidInputError
from twin.issues import count_by_code
from twin.project import load_project, save_project
from twin.spec import conform

L93 = CRS.from_epsg(2154)
OLEMPS = "bdtopo/olemps_12174_v3"


def _read(path: Path, **options: object) -> object:
    return bdtopo.read(path, target_crs=L93, options=ImportOptions(**options))


@pytest.fixture(scope="module")
def olemps(shared_data: Path) -> object:
    return _read(shared_data / OLEMPS / "BATIMENT.shp")


def test_every_olemps_building_comes_in_with_its_accents(olemps: object) -> None:
    buildings = olemps.layers["buildings"]
    assert len(buildings) == 2273 and buildings["id"].is_unique
    assert buildings["id"].str.startswith("BATIMENT").all()
    assert olemps.provenance.details["encoding"] == "UTF-8"  # the file has no .cpg
    assert buildings["usage_1"].value_counts()["Indifférencié"] == 920
    assert buildings["nature"].value_counts()["Indifférenciée"] == 2107
    assert not buildings["nature"].str.contains("Ã").any()
    assert buildings.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert not buildings.geometry.has_z.any()
    conform(buildings, BUILDINGS)


def test_olemps_heights_are_measured_where_real_and_derived_elsewhere(olemps: object) -> None:
    buildings = olemps.layers["buildings"]
    sources = buildings["height_source"].value_counts().to_dict()
    assert sources["measured"] == 1989  # 2,004 filled, of which 15 are 0
    assert sources["measured"] + sources["floors"] + sources["use_default"] == 2273
    assert (buildings["height_m"] > 0).all()
    zero = [i for i in olemps.issues if i.code == "height_unusable"]
    assert len(zero) == 15 and all(i.feature.startswith("BATIMENT") for i in zero)
    assert set(buildings.set_index("id").loc[[i.feature for i in zero], "height_source"]) <= {
        "floors",
        "use_default",
    }
    assert olemps.provenance.details["height_sources"] == sources


def test_olemps_dwellings_uses_and_ground_altitudes_are_kept(olemps: object) -> None:
    buildings = olemps.layers["buildings"]
    assert buildings["dwellings"].sum() == 1429
    assert buildings["use"].value_counts()["residential"] > 1000
    assert buildings["base_elevation_m"].dropna().between(500, 640).all()
    assert buildings["base_elevation_m"].notna().sum() == 2254
    assert buildings["construction_year"].dropna().between(1000, 2100).all()
    assert buildings["source"].eq("bdtopo").all()


def test_the_olemps_commune_shapefile_becomes_a_commune(shared_data: Path) -> None:
    path = shared_data / OLEMPS / "COMMUNE.shp"
    assert registry.find_importer(path, ImportOptions()).NAME == "bdtopo"
    communes = _read(path).layers["communes"]
    row = communes.iloc[0]
    assert (len(communes), row["id"], row["name"], row["population"]) == (
        1,
        "12174",
        "Olemps",
        3439,
    )


def test_shapefile_and_geopackage_buildings_share_their_source_columns_in_one_project(
    olemps: object, tmp_path: Path
) -> None:
    sample = _read(DATA / "bdtopo.gpkg", kind="buildings")
    shared = {"nature", "usage_1", "construction_legere", "materiaux_des_murs"}
    assert shared <= set(olemps.layers["buildings"].columns)
    assert shared <= set(sample.layers["buildings"].columns)
    city = City("EPSG:2154")
    merge_result(city, sample)
    merge_result(city, olemps)
    saved = load_project(save_project(city, tmp_path / "both.twin.gpkg"))
    assert len(saved.layer("buildings")) == 390 + 2273


def test_the_sample_geopackage_brings_buildings_and_roads() -> None:
    result = registry.read_file(DATA / "bdtopo.gpkg", target_crs=L93)
    assert result.provenance.importer == "bdtopo"
    buildings, roads = result.layers["buildings"], result.layers["roads"]
    assert (len(buildings), len(roads)) == (390, 118)
    assert buildings["dwellings"].sum() == 1290
    assert buildings["height_source"].notna().all()
    assert roads["name"].notna().mean() > 0.5 and roads["source"].eq("bdtopo").all()
    assert roads["oneway"].any() and not roads["oneway"].dropna().all()
    assert roads["importance"].dropna().between(1, 6).all()
    conform(roads, ROADS)


def test_a_source_layer_or_a_kind_restricts_the_geopackage_to_one_layer() -> None:
    only_roads = _read(DATA / "bdtopo.gpkg", source_layer="troncon_de_route")
    assert list(only_roads.layers) == ["roads"]
    only_buildings = _read(DATA / "bdtopo.gpkg", kind="buildings")
    assert list(only_buildings.layers) == ["buildings"]
    with pytest.raises(InvalidInputError, match="not 'troncon_hydrographique'"):
        _read(DATA / "bdtopo.gpkg", source_layer="troncon_hydrographique")


def _shapefile(path: Path, encoding: str, rows: dict[str, list], geometries: list) -> Path:
    frame = gpd.GeoDataFrame(rows, geometry=geometries, crs=2154)
    pyogrio.write_dataframe(frame, path, encoding=encoding)
    path.with_suffix(".cpg").unlink(missing_ok=True)  # as IGN ships them: no .cpg
    return path


def _batiment_rows(n: int) -> dict[str, list]:
    return {
        "ID": [f"BATIMENT{i:016d}" for i in range(n)],
        "NATURE": ["Indifférenciée"] * n,
        "USAGE1": ["Résidentiel"] * n,
        "HAUTEUR": [6.5] * n,
        "NB_ETAGES": [2] * n,
        "Z_MIN_SOL": [-1000.0] + [420.0] * (n - 1),
        "Z_MIN_TOIT": [426.5] * n,
    }


@pytest.mark.parametrize("encoding", ["CP1252", "UTF-8"])
def test_a_shapefile_without_cpg_is_read_in_its_real_encoding(
    tmp_path: Path, encoding: str
) -> None:
    path = _shapefile(tmp_path / "BATIMENT.shp", encoding, _batiment_rows(2), [box(0, 0, 9, 9)] * 2)
    assert dbf.detect_encoding(path) == encoding
    buildings = _read(path).layers["buildings"]
    assert buildings["usage_1"].tolist() == ["Résidentiel"] * 2
    assert buildings["use"].eq("residential").all()


def test_broken_geometries_and_placeholder_altitudes_are_reported(tmp_path: Path) -> None:
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    geometries = [bowtie, MultiPolygon([box(20, 0, 30, 9)]), Polygon(), box(40, 0, 40.5, 0.5)]
    path = _shapefile(tmp_path / "BATIMENT.shp", "UTF-8", _batiment_rows(4), geometries)
    result = _read(path)
    buildings = result.layers["buildings"]
    reported = {(i.code, i.feature) for i in result.issues}
    first, _, empty, small = _batiment_rows(4)["ID"]
    assert ("invalid_geometry", first) in reported
    assert ("empty_geometry", empty) in reported and empty not in set(buildings["id"])
    assert ("sliver", small) in reported
    assert ("ground_altitude_implausible", first) in reported
    assert len(buildings) + count_by_code(result.issues)["empty_geometry"] == 4
    assert buildings.geometry.is_valid.all()
    assert buildings["base_elevation_m"].isna().sum() == 1


def test_files_that_are_not_bd_topo_are_not_claimed(tmp_path: Path) -> None:
    plain = tmp_path / "zones.shp"
    gpd.GeoDataFrame({"nom": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=2154).to_file(plain)
    other = tmp_path / "other.gpkg"
    gpd.GeoDataFrame({"nature": ["x"]}, geometry=[box(0, 0, 1, 1)], crs=2154).to_file(
        other, layer="troncon_de_route"
    )
    assert not bdtopo.sniff(plain) and not bdtopo.sniff(other)
    assert not bdtopo.sniff(DATA / "contours_iris.gpkg")
