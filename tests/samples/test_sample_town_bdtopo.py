"""BD TOPO buildings and roads of the sample town."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
import shapely

NATURES = {"Indifférenciée", "Église", "Chapelle", "Industriel, agricole ou commercial"}
USAGES = {
    "Résidentiel",
    "Commercial et services",
    "Annexe",
    "Agricole",
    "Industriel",
    "Religieux",
    "Sportif",
    "Indifférencié",
}


def test_bdtopo_holds_buildings_roads_and_streams_in_lambert93(town: dict[str, Path]) -> None:
    layers = dict(pyogrio.list_layers(town["bdtopo"]))
    assert layers == {
        "batiment": "MultiPolygon Z",
        "troncon_de_route": "LineString Z",
        "troncon_hydrographique": "LineString Z",
    }
    for layer in layers:
        info = pyogrio.read_info(town["bdtopo"], layer=layer)
        assert info["crs"] == "EPSG:2154"
        assert info["geometry_name"] == "geometrie"


def test_there_are_about_four_hundred_buildings_with_unique_cleabs(
    buildings: gpd.GeoDataFrame,
) -> None:
    assert 350 <= len(buildings) <= 450
    assert buildings["cleabs"].is_unique
    assert all(re.fullmatch(r"BATIMENT\d{16}", c) for c in buildings["cleabs"])
    assert list(buildings["cleabs"]) == sorted(buildings["cleabs"])


def test_every_building_lies_within_a_parcel_and_the_territory(
    buildings: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, communes: gpd.GeoDataFrame
) -> None:
    footprints = shapely.force_2d(buildings.geometry.values)
    slightly_larger = parcels.geometry.buffer(0.05).values
    tree = shapely.STRtree(slightly_larger)
    hits = tree.query(footprints, predicate="within")
    assert set(hits[0]) == set(range(len(footprints)))
    territory = shapely.union_all(communes.geometry.values)
    assert all(territory.contains(f) for f in footprints)


def test_buildings_do_not_overlap(buildings: gpd.GeoDataFrame) -> None:
    geoms = shapely.force_2d(buildings.geometry.values)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    overlaps = [
        geoms[i].intersection(geoms[j]).area for i, j in zip(left, right, strict=True) if i < j
    ]
    assert sum(overlaps) < 0.01


def test_footprints_mix_rectangles_l_shapes_and_courtyards(
    buildings: gpd.GeoDataFrame,
) -> None:
    polygons = [g.geoms[0] for g in buildings.geometry.values]
    vertices = [len(p.exterior.coords) - 1 for p in polygons]
    assert sum(v == 4 for v in vertices) > 150
    assert sum(v == 6 for v in vertices) > 20
    assert 3 <= sum(len(p.interiors) > 0 for p in polygons) <= 20


def test_building_attributes_use_the_bd_topo_vocabulary(buildings: gpd.GeoDataFrame) -> None:
    assert set(buildings["nature"]) <= NATURES and "Église" in set(buildings["nature"])
    assert set(buildings["usage_1"]) <= USAGES
    assert set(buildings["usage_2"].dropna()) <= USAGES
    assert set(buildings["etat_de_l_objet"]) == {"En service"}
    assert buildings["construction_legere"].any()
    residential = buildings["usage_1"] == "Résidentiel"
    assert (buildings.loc[residential, "nombre_de_logements"] >= 1).all()
    assert buildings.loc[~residential, "nombre_de_logements"].isna().all()
    dates = buildings["date_d_apparition"].dropna()
    assert all(re.fullmatch(r"\d{4}-01-01", d) for d in dates)
    assert 0 < buildings["date_d_apparition"].isna().sum() < len(buildings) / 2
    assert 0 < buildings["hauteur"].isna().sum() < 40
    assert buildings["nombre_d_etages"].isna().sum() > 0
    assert set(buildings["materiaux_des_murs"].dropna()) <= {
        "00",
        "10",
        "13",
        "15",
        "30",
        "40",
        "50",
    }
    assert buildings["nombre_de_logements"].sum() > 1000


def test_building_altitudes_agree_with_the_dem_and_the_height(
    town: dict[str, Path], buildings: gpd.GeoDataFrame
) -> None:
    centroids = buildings.geometry.centroid
    with rasterio.open(town["dem"]) as dem:
        ground = np.array([v[0] for v in dem.sample(zip(centroids.x, centroids.y, strict=True))])
    assert (ground >= buildings["altitude_minimale_sol"] - 1.5).all()
    assert (ground <= buildings["altitude_maximale_sol"] + 1.5).all()
    assert (buildings["altitude_minimale_sol"] <= buildings["altitude_maximale_sol"]).all()
    known = buildings.dropna(subset=["hauteur"])
    gap = known["altitude_minimale_toit"] - known["altitude_minimale_sol"] - known["hauteur"]
    assert (gap.abs() < 0.11).all()
    assert (known["altitude_maximale_toit"] > known["altitude_minimale_toit"]).all()
    assert known["hauteur"].between(2.0, 20.0).all()
    for geom, roof in zip(known.geometry.values, known["altitude_minimale_toit"], strict=True):
        z = shapely.get_coordinates(geom, include_z=True)[:, 2]
        assert np.allclose(z, roof)


def test_roads_form_one_connected_named_network(roads: gpd.GeoDataFrame) -> None:
    assert 80 <= len(roads) <= 200
    assert roads["cleabs"].is_unique
    assert set(roads["nature"]) <= {"Route à 1 chaussée", "Chemin"}
    assert roads["nom_1_gauche"].notna().all()
    assert (roads["position_par_rapport_au_sol"] == "1").sum() >= 1
    ends = shapely.points(
        np.vstack(
            [
                shapely.get_coordinates(line)[[0, -1]]
                for line in shapely.force_2d(roads.geometry.values)
            ]
        )
    )
    parent = list(range(len(ends)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for k in range(0, len(ends), 2):
        parent[find(k)] = find(k + 1)
    close = shapely.STRtree(ends).query(ends, predicate="dwithin", distance=0.01)
    for i, j in zip(*close, strict=True):
        parent[find(int(i))] = find(int(j))
    assert len({find(i) for i in range(len(ends))}) == 1


def test_parcels_sit_between_the_roads(roads: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame) -> None:
    network = shapely.union_all(shapely.force_2d(roads.geometry.values))
    inside = [network.intersection(p.buffer(-0.5)).length for p in parcels.geometry.values]
    assert max(inside) < 1.0
