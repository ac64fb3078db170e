"""IGN BD TOPO v3 extract: ``batiment``, ``troncon_de_route`` and ``troncon_hydrographique``.

Field names, vocabularies and geometry types follow the GeoPackage IGN delivers
(lowercase names, geometry column ``geometrie``, 3D geometries, Lambert-93).  Like IGN,
building vertices carry the altitude of the bottom of the roof (``altitude_minimale_toit``),
or the ground altitude when the height is unknown; road vertices carry the ground.
"""

from __future__ import annotations

import logging
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import LineString, MultiPolygon, Polygon
from shapely.ops import substring

from samples.town.frame import LAMBERT93, to_l93
from samples.town.model import Building, Road
from samples.town.terrain import STREAM_NAME, Terrain, river_line, stream_line
from samples.town.writers import ign_ids, rnb_id, write_layer

log = logging.getLogger(__name__)

CREATION_DATES = (
    "2011-03-14 10:22:31",
    "2014-06-02 08:41:07",
    "2017-11-23 15:03:55",
    "2021-02-08 09:12:44",
)


def floor_level(footprint_l93: Polygon, terrain: Terrain) -> float:
    """Altitude of the ground floor: the DEM at the footprint centroid, to the centimetre."""
    c = footprint_l93.centroid
    return round(float(terrain.altitude(np.array([c.x]), np.array([c.y]))[0]), 2)


def _with_z(poly: Polygon, z: float) -> MultiPolygon:
    return MultiPolygon([shapely.force_3d(shapely.orient_polygons(poly), z)])


def building_frame(
    buildings: list[Building], terrain: Terrain, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    """The ``batiment`` layer; also stores each building's ``cleabs`` on the object."""
    ids = ign_ids("BATIMENT", len(buildings), rng, 241_870_000)
    rows = []
    for b, cleabs in zip(buildings, ids, strict=True):
        b.cleabs = cleabs
        poly = to_l93(b.footprint)
        ring = np.asarray(poly.exterior.coords)
        ground = terrain.altitude(ring[:, 0], ring[:, 1])
        floor = floor_level(poly, terrain)
        sol_min = round(min(float(ground.min()), floor), 1)
        sol_max = round(max(float(ground.max()), floor), 1)
        toit_min = round(floor + b.eave, 1) if b.height_known else None
        toit_max = round(floor + b.eave + b.roof_rise, 1) if b.height_known else None
        hauteur = round(toit_min - sol_min, 1) if toit_min is not None else None
        residential = b.dwellings is not None
        rows.append(
            {
                "cleabs": cleabs,
                "nature": b.nature,
                "usage_1": b.usage_1,
                "usage_2": b.usage_2,
                "construction_legere": b.light,
                "etat_de_l_objet": "En service",
                "date_creation": pd.Timestamp(CREATION_DATES[int(rng.integers(0, 4))]),
                "date_modification": pd.Timestamp("2023-06-19 11:30:02")
                if rng.random() < 0.2
                else pd.NaT,
                "date_d_apparition": f"{b.year:04d}-01-01" if b.year is not None else None,
                "date_de_confirmation": None,
                "methode_d_acquisition_planimetrique": "BDParcellaire recalée",
                "methode_d_acquisition_altimetrique": "Interpolation bâti BDTopo",
                "precision_planimetrique": 3.0,
                "precision_altimetrique": 2.5,
                "nombre_de_logements": b.dwellings if residential else None,
                "nombre_d_etages": b.floors,
                "materiaux_des_murs": b.walls,
                "materiaux_de_la_toiture": b.roof,
                "hauteur": hauteur,
                "altitude_minimale_sol": sol_min,
                "altitude_minimale_toit": toit_min,
                "altitude_maximale_toit": toit_max,
                "altitude_maximale_sol": sol_max,
                "origine_du_batiment": "Cadastre",
                "identifiants_rnb": rnb_id(rng),
                "geometrie": _with_z(poly, toit_min if toit_min is not None else sol_min),
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometrie", crs=LAMBERT93)
    for column in ("nombre_de_logements", "nombre_d_etages"):
        frame[column] = frame[column].astype("Int32")
    return frame.sort_values("cleabs", ignore_index=True)


def _draped(line_l93: LineString, terrain: Terrain, bridge: bool) -> LineString:
    dense = shapely.segmentize(line_l93, 25.0)
    xy = np.asarray(dense.coords)
    z = terrain.altitude(xy[:, 0], xy[:, 1])
    if bridge:
        t = np.linspace(0.0, 1.0, len(z))
        z = z[0] + (z[-1] - z[0]) * t
    return LineString(np.column_stack([xy, np.round(z, 1)]))


def _commune_at(point: shapely.Point, communes: dict[str, Polygon]) -> str | None:
    for insee in sorted(communes):
        if communes[insee].buffer(1.0).contains(point):
            return insee
    return None


def road_frame(
    roads: list[Road], communes: dict[str, Polygon], terrain: Terrain, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    """The ``troncon_de_route`` layer."""
    ids = ign_ids("TRONROUT", len(roads), rng, 2_193_400_000)
    rows = []
    for road, cleabs in zip(roads, ids, strict=True):
        insee = _commune_at(road.line.interpolate(0.5, normalized=True), communes)
        path = road.nature == "Chemin"
        speed = 20 if path else (30 if road.oneway else (50 if road.town else 70))
        rows.append(
            {
                "cleabs": cleabs,
                "nature": road.nature,
                "nom_collaboratif_gauche": road.name,
                "nom_collaboratif_droite": road.name,
                "importance": road.importance,
                "fictif": False,
                "position_par_rapport_au_sol": "1" if road.bridge else "0",
                "etat_de_l_objet": "En service",
                "date_creation": pd.Timestamp(CREATION_DATES[int(rng.integers(0, 4))]),
                "nombre_de_voies": None if path else (1 if road.oneway or road.width < 4.5 else 2),
                "largeur_de_chaussee": None if path else road.width,
                "prive": False,
                "sens_de_circulation": "Sans objet"
                if path
                else ("Sens direct" if road.oneway else "Double sens"),
                "vitesse_moyenne_vl": speed,
                "acces_vehicule_leger": "Libre",
                "cpx_numero": road.number,
                "cpx_classement_administratif": "Départementale"
                if road.number
                else ("Sans objet" if path else "Communale"),
                "cpx_gestionnaire": "Aveyron" if road.number else None,
                "nom_1_gauche": road.name,
                "nom_1_droite": road.name,
                "insee_commune_gauche": insee,
                "insee_commune_droite": insee,
                "geometrie": _draped(to_l93(road.line), terrain, road.bridge),
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometrie", crs=LAMBERT93)
    frame["nombre_de_voies"] = frame["nombre_de_voies"].astype("Int32")
    return frame.sort_values("cleabs", ignore_index=True)


def river_frame(terrain: Terrain, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The ``troncon_hydrographique`` layer: the river in 2 km sections and its tributary."""
    west, south, east, north = terrain.bounds
    inside = shapely.box(west + 50, south + 50, east - 50, north - 50)
    pieces: list[tuple[LineString, str, str]] = []
    river = to_l93(river_line()).intersection(inside)
    cuts = [*np.arange(0.0, river.length, 2000.0).tolist(), river.length]
    for a, b in pairwise(cuts):
        pieces.append((substring(river, a, b), "l'Aveyron", "Entre 15 et 50 m"))
    stream = to_l93(stream_line()).intersection(inside)
    pieces.append((stream, STREAM_NAME, "Entre 0 et 15 m"))
    ids = ign_ids("TRON_EAU", len(pieces), rng, 2_300_150_000)
    rows = []
    for (piece, name, width), cleabs in zip(pieces, ids, strict=True):
        rows.append(
            {
                "cleabs": cleabs,
                "nature": "Ecoulement naturel",
                "fictif": False,
                "position_par_rapport_au_sol": "0",
                "etat_de_l_objet": "En service",
                "persistance": "Permanent",
                "sens_de_l_ecoulement": "Sens direct",
                "largeur": width,
                "cpx_toponyme_de_cours_d_eau": name,
                "geometrie": _draped(piece, terrain, bridge=False),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometrie", crs=LAMBERT93)


def write_bdtopo(
    path: Path,
    buildings: list[Building],
    roads: list[Road],
    communes: dict[str, Polygon],
    terrain: Terrain,
    rng: np.random.Generator,
) -> Path:
    """Write the BD TOPO GeoPackage with its three layers."""
    batiment = building_frame(buildings, terrain, rng)
    write_layer(batiment, path, "batiment", "geometrie")
    write_layer(road_frame(roads, communes, terrain, rng), path, "troncon_de_route", "geometrie")
    write_layer(river_frame(terrain, rng), path, "troncon_hydrographique", "geometrie")
    log.info("BD TOPO: %d buildings, %d road sections", len(batiment), len(roads))
    return path
