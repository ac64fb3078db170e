"""Cadastral parcels: blocks cut into street-front lots, farmsteads and fields.

Parcels are drawn in the local frame, never overlap, and are numbered per section like
the French cadastre; :mod:`samples.town.etalab` writes them as Etalab GeoJSON.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import LineString, Point, Polygon
from shapely.ops import split

from samples.town.layout import HAMLET_GRID, TOWN_GRID, Grid, blob
from samples.town.model import RURAL_INSEE, Frontage, Parcel, Road
from samples.town.roads import FARMS
from samples.town.terrain import river_line

ZONES = {
    "C": "centre",
    "P": "place",
    "F": "faubourg",
    "H": "house",
    "L": "social",
    "E": "school",
    "S": "sport",
    "A": "activity",
    "V": "village",
}
FRONTAGE = {
    "centre": (10.0, 16.0),
    "faubourg": (14.0, 20.0),
    "house": (22.0, 32.0),
    "village": (20.0, 32.0),
    "activity": (40.0, 60.0),
}


def _strip(
    u0: float,
    v0: float,
    u1: float,
    v1: float,
    side: str,
    widths: tuple[float, float],
    rng: np.random.Generator,
) -> list[tuple[Polygon, Frontage]]:
    """Cut a strip into lots facing ``side``; side lines are slightly skewed."""
    along_u = side in "SN"
    start, end = (u0, u1) if along_u else (v0, v1)
    cuts = [start]
    while end - cuts[-1] > 1.6 * widths[0]:
        cuts.append(cuts[-1] + rng.uniform(*widths))
    if end - cuts[-1] < widths[0]:
        cuts.pop()
    cuts.append(end)
    skew = [0.0] + [float(rng.uniform(-1.5, 1.5)) for _ in cuts[1:-1]] + [0.0]
    lots = []
    front_lo = side in "SW"
    for k in range(len(cuts) - 1):
        a, b = cuts[k], cuts[k + 1]
        a2, b2 = a + skew[k], b + skew[k + 1]
        if along_u:
            vf, vb = (v0, v1) if front_lo else (v1, v0)
            poly = Polygon([(a, vf), (b, vf), (b2, vb), (a2, vb)])
            box = Frontage(max(a, a2), v0, min(b, b2), v1, side)
        else:
            uf, ub = (u0, u1) if front_lo else (u1, u0)
            poly = Polygon([(uf, a), (uf, b), (ub, b2), (ub, a2)])
            box = Frontage(u0, max(a, a2), u1, min(b, b2), side)
        lots.append((poly.normalize(), box))
    return lots


def subdivide_block(
    box: tuple[float, float, float, float], zone: str, rng: np.random.Generator
) -> list[tuple[Polygon, Frontage, str]]:
    """Cut a block into lots as (polygon, frontage, zone) triples."""
    u0, v0, u1, v1 = box
    wide = (u1 - u0) >= (v1 - v0)
    if zone in ("school", "sport"):
        return [(shapely.box(u0, v0, u1, v1).normalize(), Frontage(u0, v0, u1, v1, "S"), zone)]
    if zone == "social":
        if wide:
            um = (u0 + u1) / 2
            halves = [(u0, v0, um, v1), (um, v0, u1, v1)]
        else:
            vm = (v0 + v1) / 2
            halves = [(u0, v0, u1, vm), (u0, vm, u1, v1)]
        return [(shapely.box(*h).normalize(), Frontage(*h, "S"), zone) for h in halves]
    if zone == "place":
        return _place_block(box)
    widths = FRONTAGE[zone]
    lots: list[tuple[Polygon, Frontage]] = []
    if wide:
        vm = v0 + (v1 - v0) * rng.uniform(0.45, 0.55)
        lots += _strip(u0, v0, u1, vm, "S", widths, rng)
        lots += _strip(u0, vm, u1, v1, "N", widths, rng)
    else:
        um = u0 + (u1 - u0) * rng.uniform(0.45, 0.55)
        lots += _strip(u0, v0, um, v1, "W", widths, rng)
        lots += _strip(um, v0, u1, v1, "E", widths, rng)
    return [(poly, front, zone) for poly, front in lots]


TOWN_HALL_BOX = (-32.0, 48.0, -8.0, 62.0)
"""Footprint of the town hall in the local frame: 24 m x 14 m, axis-aligned."""


def _place_block(box: tuple[float, float, float, float]) -> list[tuple[Polygon, Frontage, str]]:
    """The town-hall square: a town-hall lot, a church lot; the square itself is public."""
    u0, v0, u1, v1 = box
    hall = (u0, 40.0, 5.0, v1)
    church = (15.0, v0, u1, v1)
    return [
        (shapely.box(*hall).normalize(), Frontage(*hall, "S"), "townhall"),
        (shapely.box(*church).normalize(), Frontage(*church, "S"), "church"),
    ]


def grid_parcels(grid: Grid, rng: np.random.Generator) -> list[Parcel]:
    """All lots of the used blocks of a grid."""
    parcels = []
    for _col, _row, letter, box in grid.blocks():
        zone = ZONES[letter]
        if zone == "activity":
            side = "N" if box[3] <= grid.main_v else "S"
            lots = [(poly, front, zone) for poly, front in _strip(*box, side, FRONTAGE[zone], rng)]
        else:
            lots = subdivide_block(box, zone, rng)
        for poly, front, lot_zone in lots:
            parcels.append(Parcel(poly, grid.commune, lot_zone, frontage=front))
    return parcels


def corridors(roads: list[Road]) -> shapely.Geometry:
    """Union of road rights-of-way (carriageway plus verges)."""
    parts = [
        shapely.buffer(r.line, max(r.width, 3.0) / 2 + 2.0, cap_style="flat", join_style="mitre")
        for r in roads
    ]
    return shapely.union_all(parts)


def farm_parcels(
    lanes: dict[str, LineString],
    blocked: shapely.Geometry,
    communes: dict[str, Polygon],
    rng: np.random.Generator,
) -> list[Parcel]:
    """One parcel per farmstead, just beyond the end of its access lane."""
    parcels = []
    for name, _u, _v, insee in FARMS:
        coords = np.asarray(lanes[name].coords)
        direction = coords[-1] - coords[-2]
        direction /= np.linalg.norm(direction)
        centre = coords[-1] + direction * 55.0
        angle = math.atan2(direction[1], direction[0])
        rect = shapely.affinity.rotate(
            shapely.box(-65.0, -50.0 - rng.uniform(0, 15), 65.0, 50.0 + rng.uniform(0, 15)),
            angle,
            origin=(0, 0),
            use_radians=True,
        )
        rect = shapely.affinity.translate(rect, *centre)
        poly = rect.difference(blocked).intersection(communes[insee].buffer(-5.0))
        poly = max(getattr(poly, "geoms", [poly]), key=lambda g: g.area)
        site = Point(*(coords[-1] + direction * 40.0))
        parcels.append(Parcel(poly.normalize(), insee, "farm", site=site, name=name))
    return parcels


def _split_fields(
    poly: Polygon, rng: np.random.Generator, max_area: float, out: list[Polygon]
) -> None:
    if poly.area <= max_area:
        out.append(poly)
        return
    rect = np.asarray(poly.minimum_rotated_rectangle.exterior.coords)[:4]
    e1, e2 = rect[1] - rect[0], rect[2] - rect[1]
    longest = e1 if np.linalg.norm(e1) >= np.linalg.norm(e2) else e2
    axis = longest / np.linalg.norm(longest)
    centre = rect.mean(axis=0) + axis * np.linalg.norm(longest) * rng.uniform(-0.15, 0.15)
    turn = rng.uniform(-0.2, 0.2)
    normal = np.array([-axis[1], axis[0]])
    cut_dir = normal * math.cos(turn) + axis * math.sin(turn)
    blade = LineString([centre - cut_dir * 5000.0, centre + cut_dir * 5000.0])
    pieces = [g for g in split(poly, blade).geoms if isinstance(g, Polygon)]
    if len(pieces) < 2:
        out.append(poly)
        return
    for piece in sorted(pieces, key=lambda g: (g.centroid.x, g.centroid.y)):
        _split_fields(piece, rng, max_area, out)


def field_parcels(
    blocked: shapely.Geometry, rural: Polygon, rng: np.random.Generator
) -> list[Parcel]:
    """Meadows and crops around the hamlet of Saint-Bruno, between roads and farms."""
    region = rural.buffer(-5.0).intersection(blob((-3600.0, 650.0), (820.0, 640.0), rng, 48))
    hamlet = shapely.box(
        HAMLET_GRID.us[0].at - 6,
        HAMLET_GRID.vs[0].at - 6,
        HAMLET_GRID.us[-1].at + 6,
        HAMLET_GRID.vs[-1].at + 6,
    )
    region = region.difference(hamlet).difference(blocked)
    region = region.difference(river_line().buffer(25.0))
    fields: list[Polygon] = []
    for part in getattr(region, "geoms", [region]):
        if isinstance(part, Polygon):
            _split_fields(part, rng, 48_000.0, fields)
    return [Parcel(f.normalize(), RURAL_INSEE, "field") for f in fields if f.area > 4000.0]


def assign_numbers(parcels: list[Parcel]) -> None:
    """Give each parcel a section and a number, counting from the north-west."""
    for p in parcels:
        c = p.polygon.centroid
        if p.commune == RURAL_INSEE:
            p.section = "AB" if p.zone == "village" else ("A" if c.x < -3610 else "B")
        elif p.zone == "farm":
            p.section = "ZA"
        elif c.y > TOWN_GRID.vs[3].at:
            p.section = "AE"
        elif c.x < TOWN_GRID.us[3].at:
            p.section = "AC"
        elif c.x > TOWN_GRID.us[6].at:
            p.section = "AD"
        else:
            p.section = "AB"
    order = sorted(
        range(len(parcels)),
        key=lambda i: (
            parcels[i].commune,
            parcels[i].section,
            -round(parcels[i].polygon.centroid.y / 20.0),
            parcels[i].polygon.centroid.x,
        ),
    )
    counters: dict[tuple[str, str], int] = {}
    for i in order:
        key = (parcels[i].commune, parcels[i].section)
        counters[key] = counters.get(key, 0) + 1
        parcels[i].numero = counters[key]


def all_parcels(
    roads: list[Road],
    lanes: dict[str, LineString],
    communes: dict[str, Polygon],
    rng: np.random.Generator,
) -> list[Parcel]:
    """Every parcel of the territory, numbered."""
    parcels = grid_parcels(TOWN_GRID, rng) + grid_parcels(HAMLET_GRID, rng)
    hamlet_lots = [p for p in parcels if p.zone == "village"]
    biggest = max(hamlet_lots, key=lambda p: p.polygon.area)
    biggest.zone = "chapel"
    blocked = corridors(roads)
    farms = farm_parcels(lanes, blocked, communes, rng)
    blocked_fields = shapely.union_all([blocked, *[f.polygon.buffer(1.0) for f in farms]])
    parcels += farms + field_parcels(blocked_fields, communes[RURAL_INSEE], rng)
    share_vertices(parcels)
    assign_numbers(parcels)
    return parcels


def share_vertices(parcels: list[Parcel]) -> None:
    """Insert into each parcel the neighbours' vertices lying on its edges.

    Neighbours then share identical vertices along common edges, so rounding coordinates
    in the GeoJSON moves both sides alike and opens no overlap.
    """
    polygons = [p.polygon for p in parcels]
    tree = shapely.STRtree(polygons)
    for i, parcel in enumerate(parcels):
        near = [int(j) for j in tree.query(polygons[i].buffer(0.01)) if int(j) != i]
        if not near:
            continue
        points = shapely.MultiPoint(
            np.vstack([shapely.get_coordinates(polygons[j]) for j in sorted(near)])
        )
        parcel.polygon = shapely.snap(polygons[i], points, 0.001).normalize()
