"""Merging with a terrain fills building bases; misplaced or empty imports are refused first."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from affine import Affine
from pyproj import CRS
from shapely.geometry import box

from importers import vector
from importers.base import ImportOptions, ImportResult
from importers.merge import check_result, merge_result
from importers.registry import read_file
from twin.city import City
from twin.cli import main
from twin.errors import InvalidInputError
from twin.project import load_project
from twin.provenance import ProvenanceRecord
from twin.raster import Raster

DATA = Path(__file__).resolve().parents[2] / "samples" / "data"
X0, Y0 = 668000.0, 6357000.0  # near Rodez, Lambert-93
LAMBERT93 = CRS.from_epsg(2154)


def record(source: str, importer: str = "vector") -> ProvenanceRecord:
    return ProvenanceRecord(source, importer, "2026-11-21T00:00:00+00:00", "")


def buildings(
    boxes: list[tuple[float, float, float, float]],
    base: list[float | None] | None = None,
    source: str = "bati.gpkg",
) -> ImportResult:
    """Buildings at (X0, Y0) + the boxes, 6 m high."""
    frame = gpd.GeoDataFrame(
        {
            "id": [f"b{i}" for i in range(len(boxes))],
            "height_m": 6.0,
            "base_elevation_m": base or [None] * len(boxes),
        },
        geometry=[box(X0 + a, Y0 + b, X0 + c, Y0 + d) for a, b, c, d in boxes],
        crs=LAMBERT93,
    )
    return ImportResult(layers={"buildings": frame}, issues=[], provenance=record(source))


def slope(x0: float = X0, y0: float = Y0, size: int = 40) -> ImportResult:
    """A DEM of 5 m pixels from (x0, y0), rising 0.1 m per metre eastwards from 300 m."""
    centres = (np.arange(size) + 0.5) * 5.0
    values = np.tile(300.0 + 0.1 * centres, (size, 1))
    transform = Affine(5.0, 0.0, x0, 0.0, -5.0, y0 + size * 5.0)
    raster = Raster("terrain", values, transform, LAMBERT93, meaning="test slope")
    return ImportResult(layers={}, issues=[], provenance=record("mnt.tif", "dem"), rasters={
        "terrain": raster
    })  # fmt: skip


def test_a_building_on_a_slope_sits_on_its_lowest_ground_once_the_dem_comes() -> None:
    city = City()
    merge_result(city, buildings([(100, 50, 120, 60)]))
    assert city.layer("buildings")["base_elevation_m"].isna().all()
    report = merge_result(city, slope())
    assert city.layer("buildings")["base_elevation_m"].tolist() == pytest.approx([310.0])
    assert report.base_elevations_sampled == 1
    assert "  buildings: 1 base elevations sampled from the terrain" in report.lines()


def test_buildings_imported_after_the_dem_get_their_base_and_source_bases_are_kept() -> None:
    city = City()
    merge_result(city, slope())
    report = merge_result(city, buildings([(10, 10, 20, 20), (50, 10, 60, 20)], [250.5, None]))
    assert city.layer("buildings")["base_elevation_m"].tolist() == pytest.approx([250.5, 305.0])
    assert report.base_elevations_sampled == 1


def test_buildings_off_the_dem_keep_no_base_and_are_counted() -> None:
    city = City()
    merge_result(city, buildings([(10, 10, 20, 20), (500, 10, 520, 20)]))
    report = merge_result(city, slope())
    assert city.layer("buildings")["base_elevation_m"].isna().tolist() == [False, True]
    assert (report.base_elevations_sampled, report.base_elevations_missing) == (1, 1)
    assert any("1 without a base elevation" in line for line in report.lines())


def test_the_real_sample_buildings_get_back_their_bd_topo_base_from_the_sample_dem() -> None:
    city = City()
    options = ImportOptions(
        kind="buildings",
        source_layer="batiment",
        mapping={"id": "cleabs", "base_elevation_m": "altitude_minimale_sol"},
        defaults={"use": "unknown"},
    )
    result = vector.read(DATA / "bdtopo.gpkg", target_crs=city.crs, options=options)
    frame = result.layers["buildings"]
    bdtopo = frame.set_index("id")["base_elevation_m"].astype(float)  # altitude_minimale_sol
    assert bdtopo.notna().all()
    frame["base_elevation_m"] = np.nan
    merge_result(city, result)
    report = merge_result(city, read_file(DATA / "mnt_25m.tif", target_crs=city.crs))
    sampled = city.layer("buildings").set_index("id")["base_elevation_m"]
    assert report.base_elevations_sampled == len(sampled) == 390
    assert np.abs(sampled - bdtopo.loc[sampled.index]).max() < 0.1


# -- refused before anything changes --------------------------------------------------------------
def test_an_import_far_from_the_project_is_refused_and_the_city_is_unchanged() -> None:
    city = City()
    merge_result(city, buildings([(0, 0, 10, 10)]))
    changes: list[str] = []
    city.changed.connect(lambda layer, ids, columns: changes.append(layer))
    far = buildings([(200_000, 0, 200_010, 10)], source="ailleurs.gpkg")
    with pytest.raises(InvalidInputError, match=r"^ailleurs\.gpkg: .* 200 km .*check its CRS"):
        merge_result(city, far)
    with pytest.raises(InvalidInputError, match=r"mnt\.tif: .* 300 km"):
        merge_result(city, slope(X0, Y0 - 300_000))
    assert changes == [] and len(city.layer("buildings")) == 1 and len(city.provenance) == 1
    assert not city.rasters


def test_an_import_near_the_project_is_accepted() -> None:
    city = City()
    merge_result(city, buildings([(0, 0, 10, 10)]))
    check_result(city, buildings([(40_000, 0, 40_010, 10)]))  # 40 km away: a neighbour


def test_degrees_declared_as_lambert93_get_their_own_message_even_in_an_empty_project() -> None:
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[box(2.35, 48.85, 2.36, 48.86)], crs=LAMBERT93)
    result = ImportResult(layers={"buildings": frame}, issues=[], provenance=record("paris.shp"))
    city = City()
    with pytest.raises(InvalidInputError, match=r"paris\.shp: .* look like longitudes .*4326"):
        merge_result(city, result)
    assert "buildings" not in city


def test_a_file_without_any_feature_is_refused_rather_than_making_an_empty_layer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vide.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    city = City()
    result = read_file(path, target_crs=city.crs, options=ImportOptions(kind="buildings"))
    with pytest.raises(InvalidInputError, match=r"^vide\.geojson contains no features"):
        merge_result(city, result)
    assert "buildings" not in city and not city.provenance


def test_twin_import_leaves_the_project_unchanged_when_one_file_is_far(tmp_path: Path) -> None:
    def write(name: str, dx: float) -> Path:
        frame = buildings([(dx, 0, dx + 10, 10)]).layers["buildings"]
        frame["id"] = name
        frame.to_file(tmp_path / f"{name}.geojson", driver="GeoJSON")
        return tmp_path / f"{name}.geojson"

    project = tmp_path / "ville.twin.gpkg"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(write("ici", 0)), "--as", "buildings"]) == 0
    near, far = write("voisin", 100), write("loin", 500_000)
    assert main(["import", str(project), str(near), str(far), "--as", "buildings"]) == 2
    assert load_project(project).layer("buildings")["id"].tolist() == ["ici"]
