"""Etalab cadastre GeoJSON writers: ``communes`` and ``cadastre-XXXXX-parcelles``.

The files mirror cadastre.data.gouv.fr: one compact FeatureCollection in EPSG:4326 with
7-decimal coordinates, the parcel identifier both as feature ``id`` and property, and the
``section``/``numero`` properties unpadded as Etalab writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from shapely import Polygon

from samples.town.frame import LAMBERT93, WGS84, reproject, to_l93
from samples.town.model import COMMUNE_NAMES, Parcel

PARCEL_CREATED = ("2004-11-30", "2004-11-30", "2004-11-30", "2009-03-17", "2013-10-02")
PARCEL_UPDATED = ("2019-02-13", "2021-09-27", "2023-06-05", "2023-11-20")


def _rounded(geom: shapely.Geometry) -> dict:
    """GeoJSON mapping with counter-clockwise shells and 7-decimal coordinates."""
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    mapping = shapely.geometry.mapping(geom)
    return json.loads(json.dumps(mapping), parse_float=lambda s: round(float(s), 7))


def _dump(features: list[dict], path: Path) -> Path:
    doc = {"type": "FeatureCollection", "features": features}
    path.write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return path


def write_communes(communes: dict[str, Polygon], path: Path) -> Path:
    """Write the Etalab ``communes`` GeoJSON (EPSG:4326)."""
    features = []
    for insee in sorted(communes):
        geom = reproject(to_l93(communes[insee]), LAMBERT93, WGS84)
        props = {
            "id": insee,
            "nom": COMMUNE_NAMES[insee],
            "created": "2004-11-30",
            "updated": "2024-01-15",
        }
        features.append(
            {"type": "Feature", "id": insee, "geometry": _rounded(geom), "properties": props}
        )
    return _dump(features, path)


def write_parcels(parcels: list[Parcel], insee: str, path: Path, rng: np.random.Generator) -> Path:
    """Write one commune's Etalab ``parcelles`` GeoJSON (EPSG:4326), sorted by id."""
    features = []
    for p in sorted((p for p in parcels if p.commune == insee), key=lambda p: p.ident):
        area = p.polygon.area
        props = {
            "id": p.ident,
            "commune": insee,
            "prefixe": "000",
            "section": p.section,
            "numero": str(p.numero),
            "contenance": max(1, round(area * (1.0 + rng.normal(0.0, 0.015)))),
            "arpente": False,
            "created": str(rng.choice(PARCEL_CREATED)),
            "updated": str(rng.choice(PARCEL_UPDATED)),
        }
        geom = reproject(to_l93(p.polygon), LAMBERT93, WGS84)
        features.append(
            {"type": "Feature", "id": p.ident, "geometry": _rounded(geom), "properties": props}
        )
    return _dump(features, path)
