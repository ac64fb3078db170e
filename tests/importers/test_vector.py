"""The generic vector importer maps, translates, reprojects and repairs, reporting each issue."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import CRS
from shapely.geometry import Polygon, box

from importers import vector
from importers.base import ImportOptions
from twin.errors import CrsError, InvalidInputError
from twin.issues import Severity

LAMBERT93 = CRS.from_epsg(2154)


def write(tmp_path: Path, frame: gpd.GeoDataFrame, name: str = "bati.gpkg") -> Path:
    path = tmp_path / name
    frame.to_file(path, driver="GPKG" if name.endswith(".gpkg") else None)
    return path


def test_columns_values_and_dates_are_mapped_onto_the_building_layer(tmp_path: Path) -> None:
    source = gpd.GeoDataFrame(
        {
            "cleabs": ["B1", "B2", "B3"],
            "HAUTEUR": [6.5, None, 9.0],
            "usage_1": ["Résidentiel", "Annexe", "Sportif"],
            "date_d_apparition": ["1975-01-01", None, "2004-06-30"],
        },
        geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10), box(40, 0, 50, 10)],
        crs=2154,
    )
    options = ImportOptions(
        kind="buildings",
        mapping={
            "id": "cleabs",
            "height_m": "hauteur",
            "use": "usage_1",
            "construction_year": "date_d_apparition",
        },
        values={"use": {"Résidentiel": "residential", "Annexe": "annex"}},
        defaults={"use": "unknown"},
    )
    result = vector.read(write(tmp_path, source), target_crs=LAMBERT93, options=options)
    buildings = result.layers["buildings"]
    assert buildings["id"].tolist() == ["B1", "B2", "B3"]
    assert buildings["use"].tolist() == ["residential", "annex", "unknown"]
    assert buildings["construction_year"].tolist()[0] == 1975
    assert buildings["height_m"].isna().tolist() == [False, True, False]
    assert [i.code for i in result.issues] == ["use_unmapped"]
    assert "Sportif" in result.issues[0].message


def test_a_self_intersecting_polygon_is_repaired_and_reported(tmp_path: Path) -> None:
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    source = gpd.GeoDataFrame(
        {"id": ["bow", "ok"]}, geometry=[bowtie, box(20, 0, 30, 10)], crs=2154
    )
    result = vector.read(
        write(tmp_path, source), target_crs=LAMBERT93, options=ImportOptions(kind="parcels")
    )
    parcels = result.layers["parcels"]
    assert parcels.is_valid.all()
    assert parcels.area.iloc[0] == pytest.approx(50.0)
    assert [(i.severity, i.code) for i in result.issues] == [(Severity.WARNING, "invalid_geometry")]


def test_a_feature_without_geometry_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    source = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[box(0, 0, 1, 1), None], crs=2154)
    result = vector.read(
        write(tmp_path, source), target_crs=LAMBERT93, options=ImportOptions(kind="parcels")
    )
    assert len(result.layers["parcels"]) == 1
    assert [i.code for i in result.issues] == ["empty_geometry"]


def test_a_file_in_degrees_is_reprojected_to_lambert_93(tmp_path: Path) -> None:
    source = gpd.GeoDataFrame({"id": ["p"]}, geometry=[box(2.35, 48.85, 2.351, 48.851)], crs=4326)
    result = vector.read(
        write(tmp_path, source, "p.geojson"),
        target_crs=LAMBERT93,
        options=ImportOptions(kind="parcels"),
    )
    minx, miny, _, _ = result.layers["parcels"].total_bounds
    assert 651000 < minx < 653000 and 6861000 < miny < 6863000


def test_a_shapefile_without_prj_asks_for_crs(tmp_path: Path) -> None:
    source = gpd.GeoDataFrame({"id": ["p"]}, geometry=[box(0, 0, 1, 1)], crs=2154)
    path = write(tmp_path, source, "p.shp")
    path.with_suffix(".prj").unlink()
    with pytest.raises(CrsError, match="--crs"):
        vector.read(path, target_crs=LAMBERT93, options=ImportOptions(kind="parcels"))
    result = vector.read(
        path, target_crs=LAMBERT93, options=ImportOptions(kind="parcels", source_crs=LAMBERT93)
    )
    assert len(result.layers["parcels"]) == 1


def test_a_mapping_naming_an_absent_column_lists_the_columns_there_are(tmp_path: Path) -> None:
    source = gpd.GeoDataFrame({"cleabs": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=2154)
    options = ImportOptions(kind="buildings", mapping={"height_m": "HAUTEUR"})
    with pytest.raises(InvalidInputError, match="its columns: cleabs"):
        vector.read(write(tmp_path, source), target_crs=LAMBERT93, options=options)


def test_the_real_olemps_bdtopo_shapefile_maps_onto_buildings(shared_data: Path) -> None:
    path = shared_data / "bdtopo" / "olemps_12174_v3" / "BATIMENT.shp"
    options = ImportOptions(
        kind="buildings", mapping={"id": "ID", "height_m": "HAUTEUR", "floors": "NB_ETAGES"}
    )
    result = vector.read(path, target_crs=LAMBERT93, options=options)
    buildings = result.layers["buildings"]
    assert len(buildings) + sum(i.code == "empty_geometry" for i in result.issues) == 2273
    assert buildings["height_m"].notna().sum() == 2004
    assert buildings["floors"].notna().sum() == 1334


def test_a_geojson_in_latin_1_is_refused_with_advice_instead_of_corrupting_the_project(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.geojson"
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"id": "a", "nom": "Église"}, "geometry": {"type": "Polygon", '
        '"coordinates": [[[2, 48], [2.001, 48], [2.001, 48.001], [2, 48]]]}}]}'
    )
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InvalidInputError, match="not UTF-8 text"):
        vector.read(path, target_crs=LAMBERT93, options=ImportOptions(kind="parcels"))


def test_a_gzipped_etalab_file_in_latin_1_is_refused_too(tmp_path: Path, shared_data: Path) -> None:
    import gzip

    from importers import cadastre

    text = (shared_data / "cadastre" / "cadastre-91216-parcelles.json").read_text(encoding="utf-8")
    path = tmp_path / "cadastre-91216-parcelles.json.gz"
    path.write_bytes(
        gzip.compress(
            text.replace('"prefixe":"000"', '"prefixe":"000","lieu":"Orgé"', 1).encode("latin-1")
        )
    )
    with pytest.raises(InvalidInputError, match="not UTF-8 text"):
        cadastre.read(path, target_crs=LAMBERT93, options=ImportOptions())
