"""Digital infrastructure: fibre routes, premises eligible to FTTH, mobile antenna sites.

The layers mimic what a French territory assembles from its public-initiative network
operator (fibre routes), ARCEP's "Ma connexion internet" open data (premises and their
FTTH status) and ANFR's Cartoradio (antenna sites).  The fibre covers the town and the
hamlet; the isolated farms of the rural commune are not connected yet.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely import Point

from samples.town.frame import LAMBERT93, to_l93
from samples.town.model import RURAL_INSEE, TOWN_INSEE, Building, Road
from samples.town.writers import write_layer

OPERATOR = "Causses Fibre"
FIBRED_COUNTRY_ROADS = ("Route de Saint-Bruno", "Chemin de la Bastide")
CENTRE_BOX = shapely.box(-140.0, -150.0, 140.0, 160.0)


def _covered(road: Road) -> bool:
    return road.town or road.name in FIBRED_COUNTRY_ROADS


def fibre_frame(roads: list[Road], rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The ``fibre_troncons`` layer: one cable run beside each covered road section."""
    rows = []
    for road in roads:
        if not _covered(road):
            continue
        transport = road.number is not None
        buried = road.town and (CENTRE_BOX.intersects(road.line) or transport)
        run = to_l93(road.line).offset_curve(3.0 if transport else -3.0)
        rows.append(
            {
                "type": "transport" if transport else "distribution",
                "mode_pose": "souterrain" if buried else "aerien",
                "nb_fibres": 144 if transport else int(rng.choice([24, 48, 72])),
                "operateur": OPERATOR,
                "annee_pose": 2019 if transport else int(rng.integers(2020, 2024)),
                "geometry": run,
            }
        )
    order = sorted(
        range(len(rows)),
        key=lambda i: (rows[i]["geometry"].centroid.x, rows[i]["geometry"].centroid.y),
    )
    for n, i in enumerate(order, start=1):
        rows[i]["id"] = f"FO-{TOWN_INSEE}-{n:04d}"
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)
    return frame[
        ["id", "type", "mode_pose", "nb_fibres", "operateur", "annee_pose", "geometry"]
    ].sort_values("id", ignore_index=True)


def _premises(b: Building) -> int:
    """Number of premises (dwellings and business units) ARCEP would count."""
    if b.dwellings:
        return b.dwellings + (1 if b.usage_2 == "Commercial et services" else 0)
    if b.light or b.usage_1 in ("Annexe", "Agricole", "Religieux", "Sportif"):
        return 0
    return 1 if b.kind not in ("canteen", "preau") else 0


def premises_frame(
    buildings: list[Building], fibre: gpd.GeoDataFrame, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    """The ``locaux_raccordables`` layer: one point per building with premises."""
    network = shapely.union_all(fibre.geometry.values)
    rows = []
    counters = {TOWN_INSEE: 0, RURAL_INSEE: 0}
    for b in sorted(buildings, key=lambda b: b.cleabs):
        count = _premises(b)
        if count == 0:
            continue
        point = to_l93(b.footprint).representative_point()
        distance = point.distance(network)
        if distance <= 60.0:
            status = "raccordable" if rng.random() < 0.96 else "raccordable a la demande"
        elif distance <= 400.0:
            status = "raccordable a la demande"
        else:
            status = "non raccordable"
        counters[b.commune] += 1
        rows.append(
            {
                "id": f"IMB/{b.commune}/C/{counters[b.commune]:04X}",
                "cleabs_batiment": b.cleabs,
                "code_insee": b.commune,
                "nb_locaux": count,
                "statut": status,
                "technologie": "FTTH",
                "geometry": point,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93).sort_values(
        "id", ignore_index=True
    )


def sites_frame(buildings: list[Building]) -> gpd.GeoDataFrame:
    """The ``sites_mobiles`` layer: two pylons and a rooftop site."""
    slab = next(b for b in buildings if b.kind == "apartment")
    roof = to_l93(slab.footprint).centroid
    rows = [
        {
            "id": "0892341",
            "operateur": "Orange",
            "technologies": "2G,3G,4G,5G",
            "hauteur_m": 30.0,
            "type": "pylone",
            "code_insee": TOWN_INSEE,
            "geometry": to_l93(Point(120.0, 1150.0)),
        },
        {
            "id": "0894517",
            "operateur": "SFR",
            "technologies": "4G,5G",
            "hauteur_m": round(slab.eave + 4.0, 1),
            "type": "toit-terrasse",
            "code_insee": TOWN_INSEE,
            "geometry": roof,
        },
        {
            "id": "0901126",
            "operateur": "Bouygues Telecom",
            "technologies": "2G,4G",
            "hauteur_m": 36.0,
            "type": "pylone",
            "code_insee": RURAL_INSEE,
            "geometry": to_l93(Point(-3300.0, 1020.0)),
        },
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)


def write_digital(
    roads: list[Road], buildings: list[Building], path: Path, rng: np.random.Generator
) -> Path:
    """Write ``infrastructure_numerique.gpkg`` with its three layers."""
    fibre = fibre_frame(roads, rng)
    write_layer(fibre, path, "fibre_troncons")
    write_layer(premises_frame(buildings, fibre, rng), path, "locaux_raccordables")
    write_layer(sites_frame(buildings), path, "sites_mobiles")
    return path
