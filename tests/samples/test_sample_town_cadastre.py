"""Communes, cadastral parcels and IRIS districts of the sample town."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import shapely

from samples.town.generate import FILES

PARCEL_FIELDS = {
    "id",
    "commune",
    "prefixe",
    "section",
    "numero",
    "contenance",
    "arpente",
    "created",
    "updated",
}


def _overlap_areas(frame: gpd.GeoDataFrame) -> list[float]:
    geoms = frame.geometry.values
    left, right = frame.sindex.query(geoms, predicate="intersects")
    return [geoms[i].intersection(geoms[j]).area for i, j in zip(left, right, strict=True) if i < j]


def test_the_generator_writes_every_announced_file(town: dict[str, Path]) -> None:
    assert set(town) == set(FILES)
    for key, path in town.items():
        assert path.name == FILES[key]
        assert path.stat().st_size > 1000, key


def test_there_are_two_communes_in_lon_lat_with_their_insee_codes(town: dict[str, Path]) -> None:
    frame = gpd.read_file(town["communes"])
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["id"]) == ["12990", "12991"]
    assert set(frame.columns) == {"id", "nom", "created", "updated", "geometry"}
    assert dict(zip(frame["id"], frame["nom"], strict=True))["12990"] == "Valmont-sur-Aveyron"
    west, south, east, north = frame.total_bounds
    assert 2.4 < west < east < 2.8 and 44.2 < south < north < 44.4


def test_the_two_communes_share_a_border_without_overlapping(
    communes: gpd.GeoDataFrame,
) -> None:
    town, rural = communes.geometry.values
    assert town.intersection(rural).area < 1.0
    assert town.boundary.intersection(rural.boundary).length > 3000.0
    assert 10e6 < town.area < 25e6 and 10e6 < rural.area < 25e6


def test_parcel_files_hold_about_three_hundred_parcels_with_valid_ids(
    town: dict[str, Path], parcels: gpd.GeoDataFrame
) -> None:
    doc = json.loads(town["parcelles_12990"].read_text(encoding="utf-8"))
    first = doc["features"][0]
    assert set(first["properties"]) == PARCEL_FIELDS
    assert first["id"] == first["properties"]["id"]
    assert 250 <= len(parcels) <= 350
    assert parcels["id"].is_unique
    assert all(re.fullmatch(r"1299[01]000[0-9A-Z]{2}\d{4}", i) for i in parcels["id"])
    rebuilt = (
        parcels["commune"]
        + parcels["prefixe"]
        + parcels["section"].str.rjust(2, "0")
        + parcels["numero"].str.zfill(4)
    )
    assert (rebuilt == parcels["id"]).all()
    assert (~parcels["arpente"]).all()
    assert (parcels["commune"] == "12990").sum() > (parcels["commune"] == "12991").sum()


def test_parcels_do_not_overlap(parcels: gpd.GeoDataFrame) -> None:
    overlaps = _overlap_areas(parcels)
    assert sum(overlaps) < 1.0
    assert max(overlaps, default=0.0) < 0.1


def test_contenance_is_close_to_the_drawn_area(parcels: gpd.GeoDataFrame) -> None:
    ratio = parcels["contenance"] / parcels.geometry.area
    assert ratio.between(0.92, 1.08).all()
    assert (parcels["contenance"] != parcels.geometry.area.round()).any()


def test_rural_parcels_are_big_agricultural_fields(parcels: gpd.GeoDataFrame) -> None:
    rural = parcels[parcels["commune"] == "12991"].geometry.area
    urban = parcels[parcels["commune"] == "12990"].geometry.area
    assert (rural > 10_000).sum() >= 30
    assert urban.median() < 1500 < rural.median()


def test_parcels_lie_in_their_commune(
    parcels: gpd.GeoDataFrame, communes: gpd.GeoDataFrame
) -> None:
    outline = dict(zip(communes["id"], communes.geometry.values, strict=True))
    for insee, geom in zip(parcels["commune"], parcels.geometry.values, strict=True):
        assert outline[insee].buffer(0.5).contains(geom)


def test_iris_districts_tile_the_communes(
    town: dict[str, Path], communes: gpd.GeoDataFrame
) -> None:
    iris = gpd.read_file(town["iris"], layer="contours_iris")
    assert iris.crs.to_epsg() == 2154
    assert 3 <= len(iris) <= 4
    assert set(iris.columns) >= {
        "CODE_IRIS",
        "NOM_IRIS",
        "INSEE_COM",
        "NOM_COM",
        "IRIS",
        "TYP_IRIS",
    }
    assert all(
        len(code) == 9 and code[:5] == insee and code[5:] == part
        for code, insee, part in zip(
            iris["CODE_IRIS"], iris["INSEE_COM"], iris["IRIS"], strict=True
        )
    )
    rural = iris[iris["INSEE_COM"] == "12991"]
    assert list(rural["CODE_IRIS"]) == ["129910000"] and list(rural["TYP_IRIS"]) == ["Z"]
    assert set(iris.loc[iris["INSEE_COM"] == "12990", "TYP_IRIS"]) == {"H"}
    assert sum(_overlap_areas(iris)) < 1.0
    union = shapely.union_all(iris.geometry.values)
    territory = shapely.union_all(communes.geometry.values)
    assert union.symmetric_difference(territory).area < 1e-5 * territory.area
