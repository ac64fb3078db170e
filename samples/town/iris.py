"""INSEE IRIS districts (``contours_iris`` layer of IGN's CONTOURS...IRIS product).

The town is cut along streets into a centre and districts north and south of the D45;
the rural commune is a single IRIS coded ``0000`` like every undivided commune.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from shapely import Polygon

from samples.town.frame import LAMBERT93, to_l93
from samples.town.layout import TOWN_GRID
from samples.town.model import COMMUNE_NAMES, RURAL_INSEE, TOWN_INSEE
from samples.town.roads import COUNTRY_ROADS, smooth
from samples.town.writers import write_layer

TOWN_IRIS = (
    ("0101", "Centre"),
    ("0102", "Nord - Les Tilleuls"),
    ("0103", "Sud - La Rivière"),
)


def _north_of_main_road() -> Polygon:
    """Everything north of the D45: the road west of the town, its main street, then east."""
    roads = {name: smooth(pts) for name, _n, _i, _w, pts in COUNTRY_ROADS}
    west = list(roads["Route de Saint-Bruno"].coords)[::-1]
    east = list(roads["Route de Villefranche"].coords)
    line = [(-1e5, west[0][1]), *west, *east, (1e5, east[-1][1])]
    return Polygon([*line, (1e5, 1e5), (-1e5, 1e5)])


def iris_polygons(communes: dict[str, Polygon]) -> list[tuple[str, str, str, shapely.Geometry]]:
    """(INSEE, IRIS code, IRIS name, geometry in the local frame) of each district."""
    town = communes[TOWN_INSEE]
    us, vs = TOWN_GRID.us, TOWN_GRID.vs
    centre = shapely.box(us[3].at, vs[0].at, us[6].at, vs[4].at)
    north_half = _north_of_main_road()
    rest = town.difference(centre)
    parts = [
        town.intersection(centre),
        rest.intersection(north_half),
        rest.difference(north_half),
    ]
    out = [
        (TOWN_INSEE, code, name, geom) for (code, name), geom in zip(TOWN_IRIS, parts, strict=True)
    ]
    out.append((RURAL_INSEE, "0000", COMMUNE_NAMES[RURAL_INSEE], communes[RURAL_INSEE]))
    return out


def write_iris(communes: dict[str, Polygon], path: Path) -> Path:
    """Write ``contours_iris.gpkg`` (layer ``contours_iris``, Lambert-93, MultiPolygon)."""
    rows = []
    for insee, iris, name, geom in iris_polygons(communes):
        polys = getattr(geom, "geoms", [geom])
        rows.append(
            {
                "CODE_IRIS": insee + iris,
                "NOM_IRIS": name,
                "INSEE_COM": insee,
                "NOM_COM": COMMUNE_NAMES[insee],
                "IRIS": iris,
                "TYP_IRIS": "Z" if iris == "0000" else "H",
                "geometry": shapely.MultiPolygon([to_l93(p) for p in polys]),
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)
    write_layer(frame.sort_values("CODE_IRIS", ignore_index=True), path, "contours_iris")
    return path
