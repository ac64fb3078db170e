"""Roads outside the street grids: departmental roads, field lanes and farm lanes.

Departmental roads link the town to the hamlet and leave the territory; farm lanes join
isolated farmsteads to the nearest departmental road.  All geometry is in the local frame.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import shapely
from shapely import LineString, Point, Polygon
from shapely.ops import substring

from samples.town.model import RURAL_INSEE, TOWN_INSEE, Road
from samples.town.terrain import river_line

FARMS: tuple[tuple[str, float, float, str], ...] = (
    ("La Borie", -2050.0, 1050.0, RURAL_INSEE),
    ("Le Mas Viel", -2550.0, -60.0, RURAL_INSEE),
    ("Lagarde", -3050.0, 1350.0, RURAL_INSEE),
    ("Les Cazals", -4350.0, 1150.0, RURAL_INSEE),
    ("Le Puech", -4650.0, 150.0, RURAL_INSEE),
    ("La Fage", -3950.0, -150.0, RURAL_INSEE),
    ("Les Crozes", -5150.0, 700.0, RURAL_INSEE),
    ("La Bastide", -850.0, 1100.0, TOWN_INSEE),
    ("Le Cayrol", 1350.0, 850.0, TOWN_INSEE),
)
"""(name, u, v, INSEE) of the farmsteads."""

COUNTRY_ROADS: tuple[tuple[str, str | None, str, float, list[tuple[float, float]]], ...] = (
    (
        "Route de Saint-Bruno",
        "D45",
        "3",
        6.0,
        [
            (-330, 0),
            (-800, 30),
            (-1300, 120),
            (-1900, 180),
            (-2500, 330),
            (-3100, 470),
            (-3500, 500),
        ],
    ),
    (
        "Route de Rieupeyroux",
        "D45",
        "3",
        6.0,
        [(-3720, 500), (-4200, 560), (-4900, 700), (-5600, 760), (-6600, 800)],
    ),
    (
        "Route de Villefranche",
        "D45",
        "3",
        6.0,
        [(560, 0), (1000, -30), (1600, -90), (2300, -120), (3500, -160)],
    ),
    (
        "Route du Causse",
        "D580",
        "4",
        5.0,
        [(-50, 360), (-80, 700), (-20, 1200), (-150, 1800), (-100, 3000)],
    ),
    (
        "Route de Sauveterre",
        "D911",
        "4",
        5.0,
        [(50, -150), (60, -280), (40, -700), (150, -1300), (100, -2200), (180, -3200)],
    ),
    ("Chemin de la Croix", None, "5", 3.0, [(-3610, 580), (-3580, 900), (-3650, 1300)]),
    ("Chemin des Combes", None, "5", 3.0, [(-3720, 420), (-3800, 200), (-3950, -80)]),
)
"""(name, number, importance, width, control points) of the roads outside the grids."""


def smooth(points: list[tuple[float, float]], iterations: int = 3) -> LineString:
    """Chaikin corner cutting, keeping both end points."""
    pts = np.asarray(points, dtype=float)
    for _ in range(iterations):
        q = 0.75 * pts[:-1] + 0.25 * pts[1:]
        r = 0.25 * pts[:-1] + 0.75 * pts[1:]
        mid = np.empty((2 * len(q), 2))
        mid[0::2] = q
        mid[1::2] = r
        pts = np.vstack([pts[:1], mid[1:-1], pts[-1:]])
    return LineString(pts)


def split_at(line: LineString, points: list[Point]) -> list[LineString]:
    """Cut a line at those of ``points`` lying on it (sections under 1 m are skipped)."""
    on_line = {line.project(p) for p in points if line.distance(p) < 0.01}
    cuts = sorted(on_line | {0.0, line.length})
    parts = []
    for a, b in pairwise(cuts):
        if b - a >= 1.0:
            parts.append(substring(line, a, b))
    return parts


def country_roads(
    area: Polygon, rng: np.random.Generator
) -> tuple[list[Road], dict[str, LineString]]:
    """Departmental roads, field lanes and farm lanes, split at their junctions.

    Returns the road sections and, for each farm name, its access lane.
    """
    mains = [(name, num, imp, width, smooth(pts)) for name, num, imp, width, pts in COUNTRY_ROADS]
    trunk = shapely.union_all([m[4] for m in mains if m[1] is not None])
    lanes: dict[str, LineString] = {}
    junctions: list[Point] = []
    for name, u, v, _insee in FARMS:
        site = Point(u, v)
        start = trunk.interpolate(trunk.project(site))
        mid = ((start.x + u) / 2 + rng.uniform(-40, 40), (start.y + v) / 2 + rng.uniform(-40, 40))
        lanes[name] = LineString([(start.x, start.y), mid, (u, v)])
        junctions.append(start)
    for _name, _num, _imp, _w, line in mains:
        junctions.append(Point(line.coords[0]))
    river = river_line()
    roads: list[Road] = []
    for name, num, imp, width, line in mains:
        clipped = line.intersection(area)
        if clipped.is_empty:
            continue
        for part in getattr(clipped, "geoms", [clipped]):
            crossing = part.intersection(river)
            cuts = list(junctions)
            if not crossing.is_empty:
                at = part.project(crossing if isinstance(crossing, Point) else crossing.geoms[0])
                cuts += [part.interpolate(at - 25.0), part.interpolate(at + 25.0)]
            for piece in split_at(part, cuts):
                bridge = piece.intersects(river) and piece.length < 51.0
                roads.append(
                    Road(
                        line=piece,
                        nature="Route à 1 chaussée" if num else "Chemin",
                        importance=imp,
                        name=name,
                        width=width,
                        number=num,
                        bridge=bridge,
                        town=False,
                    )
                )
    for index, (name, *_rest) in enumerate(FARMS):
        paved = index % 3 != 1
        roads.append(
            Road(
                line=lanes[name],
                nature="Route à 1 chaussée" if paved else "Chemin",
                importance="5" if paved else "6",
                name=_chemin_name(name),
                width=3.0 if paved else 0.0,
                town=False,
            )
        )
    return roads, lanes


def _chemin_name(farm: str) -> str:
    """French name of the lane leading to a farm ("Le Puech" -> "Chemin du Puech")."""
    for article, prefix in (
        ("Le ", "Chemin du "),
        ("Les ", "Chemin des "),
        ("La ", "Chemin de la "),
    ):
        if farm.startswith(article):
            return prefix + farm[len(article) :]
    return "Chemin de " + farm
