"""BD TOPO v3 ``troncon_de_route`` → the twin's ``roads`` layer.

``sens_de_circulation`` gives ``oneway``; sections open in the opposite direction of their
drawing ("Sens inverse") are reversed so that a one-way section always runs along its line.
Motorway-like sections ("Type autoroutier", "Bretelle") are not walkable.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from importers.source_tools import (
    assemble,
    clean_geometries,
    column,
    keep_in_range,
    numbers,
    text,
    unique_ids,
)
from twin.catalogue import ROADS
from twin.issues import Issue
from twin.spec import conform

#: BD TOPO ``nature`` values of roads pedestrians may not use.
NOT_WALKABLE = ("Type autoroutier", "Bretelle")

#: BD TOPO ``sens_de_circulation`` → one-way (None: "Sans objet" and unknown values).
ONEWAY: dict[str, bool] = {"Double sens": False, "Sens direct": True, "Sens inverse": True}


def roads_from_bdtopo(
    frame: gpd.GeoDataFrame, source: str, issues: list[Issue], *, source_name: str
) -> gpd.GeoDataFrame:
    """Road sections with id, name, kind, importance, width, lanes, one-way and walkability.

    >>> from shapely import LineString
    >>> sections = gpd.GeoDataFrame(
    ...     {"cleabs": ["T1", "T2"], "nature": ["Route à 1 chaussée", "Type autoroutier"],
    ...      "nom_1_gauche": [None, "A75"], "nom_1_droite": ["Rue Haute", None],
    ...      "sens_de_circulation": ["Sens inverse", "Double sens"]},
    ...     geometry=[LineString([(0, 0), (10, 0)]), LineString([(0, 5), (10, 5)])], crs=2154)
    >>> roads = roads_from_bdtopo(sections, "t.gpkg", [], source_name="bdtopo")
    >>> roads[["name", "oneway", "walkable"]].values.tolist()
    [['Rue Haute', True, True], ['A75', False, False]]
    >>> roads.geometry.iloc[0].coords[0]
    (10.0, 0.0)
    """
    index = frame.index
    frame = frame.assign(id=text(column(frame, "cleabs", "ID"), index))
    frame = clean_geometries(unique_ids(frame, source, issues, "troncon"), ROADS, source, issues)
    index = frame.index
    nature = text(column(frame, "nature", "NATURE"), index)
    direction = text(column(frame, "sens_de_circulation", "SENS"), index)
    reverse = (direction == "Sens inverse").fillna(False).to_numpy(dtype=bool)
    if reverse.any():
        geometry = frame.geometry.to_numpy().copy()
        geometry[reverse] = shapely.reverse(geometry[reverse])
        frame = frame.set_geometry(gpd.GeoSeries(geometry, index=index, crs=frame.crs))
    left = text(column(frame, "nom_1_gauche", "NOM_1_G"), index)
    right = text(column(frame, "nom_1_droite", "NOM_1_D"), index)
    columns = {
        "id": frame["id"],
        "name": left.fillna(right),
        "kind": nature,
        "importance": numbers(column(frame, "importance", "IMPORTANCE"), index),
        "lanes": numbers(column(frame, "nombre_de_voies", "NB_VOIES"), index),
        "width_m": numbers(column(frame, "largeur_de_chaussee", "LARGEUR"), index),
        "oneway": pd.array(direction.map(ONEWAY).astype(object), dtype="boolean"),
        "walkable": pd.array(~nature.isin(NOT_WALKABLE).to_numpy(dtype=bool), dtype="boolean"),
        "source": source_name,
    }
    columns["walkable"][nature.isna().to_numpy()] = pd.NA
    used = ["cleabs", "nature", "importance", "nombre_de_voies", "largeur_de_chaussee"]
    out = assemble(frame, columns, ROADS, used=used)
    out = keep_in_range(out, ROADS, source, issues)
    return conform(out, ROADS, source=source)
