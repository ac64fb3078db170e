"""Filosofi population grid and digital infrastructure of the sample town."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

AGES = [
    "Ind_0_3",
    "Ind_4_5",
    "Ind_6_10",
    "Ind_11_17",
    "Ind_18_24",
    "Ind_25_39",
    "Ind_40_54",
    "Ind_55_64",
    "Ind_65_79",
    "Ind_80p",
]
PERIODS = ["Log_av45", "Log_45_70", "Log_70_90", "Log_ap90", "Log_inc"]


def _filosofi(town: dict[str, Path]) -> gpd.GeoDataFrame:
    return gpd.read_file(town["filosofi"], layer="filosofi_200m")


def _dwellings_by_cell(buildings: gpd.GeoDataFrame) -> dict[str, float]:
    homes = buildings[buildings["nombre_de_logements"] > 0]
    centres = homes.geometry.centroid.to_crs(3035)
    out: dict[str, float] = {}
    for point, count in zip(centres.values, homes["nombre_de_logements"], strict=True):
        key = f"CRS3035RES200mN{int(point.y // 200 * 200)}E{int(point.x // 200 * 200)}"
        out[key] = out.get(key, 0.0) + float(count)
    return out


def test_filosofi_cells_are_laea_squares_named_after_their_corner(
    town: dict[str, Path],
) -> None:
    cells = _filosofi(town)
    assert cells.crs.to_epsg() == 2154
    assert cells["Idcar_200m"].is_unique
    for ident, square in zip(cells["Idcar_200m"], cells.to_crs(3035).geometry.values, strict=True):
        north, east = map(int, re.fullmatch(r"CRS3035RES200mN(\d+)E(\d+)", ident).groups())
        assert np.allclose(square.bounds, (east, north, east + 200, north + 200), atol=0.01)


def test_population_follows_the_dwellings_of_residential_buildings(
    town: dict[str, Path], buildings: gpd.GeoDataFrame
) -> None:
    cells = _filosofi(town).set_index("Idcar_200m")
    dwellings = _dwellings_by_cell(buildings)
    assert set(dwellings) <= set(cells.index)
    for ident, count in dwellings.items():
        assert 1.8 <= cells.loc[ident, "Ind"] / count <= 2.6
        assert 0.8 <= cells.loc[ident, "Men"] / count <= 1.0
    without = cells.drop(index=list(dwellings))
    assert 1 <= len(without) <= 2 and (without["Ind"] > 0).all()
    total = sum(dwellings.values())
    assert abs(cells["Ind"].sum() - 2.2 * total) < 0.05 * 2.2 * total
    assert 2000 < cells["Ind"].sum() < 3500


def test_age_classes_and_housing_periods_add_up(
    town: dict[str, Path], buildings: gpd.GeoDataFrame
) -> None:
    cells = _filosofi(town).set_index("Idcar_200m")
    assert np.allclose(cells[AGES].sum(axis=1), cells["Ind"], atol=0.3)
    assert (cells["Men_pauv"] <= cells["Men"]).all()
    dwellings = _dwellings_by_cell(buildings)
    for ident, count in dwellings.items():
        assert cells.loc[ident, PERIODS].sum() == count
    assert cells["Log_soc"].sum() > 100
    assert cells["Log_av45"].sum() > 0 and cells["Log_ap90"].sum() > 0


def test_fibre_covers_the_town_but_not_every_farm(
    town: dict[str, Path], buildings: gpd.GeoDataFrame
) -> None:
    fibre = gpd.read_file(town["digital"], layer="fibre_troncons")
    assert fibre.crs.to_epsg() == 2154
    assert set(fibre["type"]) == {"transport", "distribution"}
    assert set(fibre["mode_pose"]) == {"souterrain", "aerien"}
    network = shapely.union_all(fibre.geometry.values)
    iris = gpd.read_file(town["iris"], layer="contours_iris").set_index("CODE_IRIS")
    town_hall = iris.geometry["129900101"].centroid
    homes = buildings[buildings["nombre_de_logements"] > 0]
    town_centre = homes.geometry.centroid.distance(town_hall) < 1500.0
    assert town_centre.sum() > 150
    assert (homes[town_centre].geometry.distance(network) < 150.0).all()
    assert (homes.geometry.distance(network) > 400.0).sum() >= 3


def test_premises_points_refer_to_buildings_with_dwellings_or_activity(
    town: dict[str, Path], buildings: gpd.GeoDataFrame
) -> None:
    premises = gpd.read_file(town["digital"], layer="locaux_raccordables")
    assert premises["id"].is_unique and premises["cleabs_batiment"].is_unique
    known = buildings.set_index("cleabs")
    assert set(premises["cleabs_batiment"]) <= set(known.index)
    homes = set(buildings.loc[buildings["nombre_de_logements"] > 0, "cleabs"])
    assert homes <= set(premises["cleabs_batiment"])
    dwellings = known.loc[premises["cleabs_batiment"], "nombre_de_logements"].fillna(0)
    assert (premises["nb_locaux"].to_numpy() >= dwellings.to_numpy()).all()
    assert set(premises["statut"]) == {"raccordable", "non raccordable", "raccordable a la demande"}
    assert set(premises["technologie"]) == {"FTTH"}
    for point, cleabs in zip(premises.geometry.values, premises["cleabs_batiment"], strict=True):
        assert known.geometry[cleabs].buffer(0.01).contains(point)


def test_two_or_three_mobile_sites_are_declared(town: dict[str, Path]) -> None:
    sites = gpd.read_file(town["digital"], layer="sites_mobiles")
    assert 2 <= len(sites) <= 3
    assert set(sites["type"]) <= {"pylone", "toit-terrasse"}
    assert all(set(t.split(",")) <= {"2G", "3G", "4G", "5G"} for t in sites["technologies"])
    assert (sites["hauteur_m"] > 10).all()
