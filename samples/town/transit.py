"""The bus network of the sample town: line paths, stops and timetables.

Line A crosses the town from the causse to the business park; line B links the town
centre to the hamlet of Saint-Bruno.  Paths are in the local frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapely import LineString, Point
from shapely.ops import substring

from samples.town.frame import LAMBERT93, WGS84, local_to_l93_xy, reproject_xy
from samples.town.roads import COUNTRY_ROADS, smooth


def _road(name: str) -> LineString:
    return next(smooth(pts) for n, _num, _imp, _w, pts in COUNTRY_ROADS if n == name)


def _join(parts: list[list[tuple[float, float]]]) -> LineString:
    coords: list[tuple[float, float]] = []
    for part in parts:
        for xy in part:
            if not coords or np.hypot(xy[0] - coords[-1][0], xy[1] - coords[-1][1]) > 0.5:
                coords.append((float(xy[0]), float(xy[1])))
    return LineString(coords)


def line_a_path() -> LineString:
    """Line A, direction 0: Le Causse -> centre -> business park -> Le Cayrol (local)."""
    causse = _road("Route du Causse")
    top = substring(causse, 0.0, causse.project(Point(-80.0, 700.0)))
    east = _road("Route de Villefranche")
    tail = substring(east, 0.0, east.project(Point(1600.0, -90.0)))
    return _join(
        [list(top.coords)[::-1], [(-50, 260), (-140, 260), (-140, 0), (560, 0)], list(tail.coords)]
    )


def line_b_path() -> LineString:
    """Line B, direction 0: Place de la Mairie -> Saint-Bruno (local)."""
    return _join(
        [[(-20, 0), (-330, 0)], list(_road("Route de Saint-Bruno").coords), [(-3610, 500)]]
    )


@dataclass(frozen=True)
class Stop:
    """A bus stop: id, name and the distance along the path of the line that places it."""

    stop_id: str
    name: str
    at: float
    town: bool = True


LINE_A_STOPS = (
    Stop("VAL_CAUS", "Le Causse", 0.0),
    Stop("VAL_CRET", "Chemin des Crêtes", 330.0),
    Stop("VAL_TILL", "Les Tilleuls", 400.0),
    Stop("VAL_ECOL", "École Jules Ferry", 480.0),
    Stop("VAL_GAMB", "Boulevard Gambetta", 635.0),
    Stop("VAL_REPU", "Rue de la République", 720.0),
    Stop("VAL_MAIR", "Place de la Mairie", 915.0),
    Stop("VAL_VOLT", "Rue Voltaire", 1075.0),
    Stop("VAL_GRAN", "ZA Les Granges", 1325.0),
    Stop("VAL_SUPM", "Supermarché", 1435.0),
    Stop("VAL_CAYR", "Le Cayrol", -1.0, False),
)
LINE_B_STOPS = (
    Stop("VAL_MAIR", "Place de la Mairie", 0.0),
    Stop("VAL_RODZ", "Avenue de Rodez", 260.0),
    Stop("VAL_MOUL", "Le Moulin", 430.0),
    Stop("SBC_BAST", "La Bastide", 890.0, False),
    Stop("SBC_LAGA", "Croix de Lagarde", 1900.0, False),
    Stop("SBC_MASV", "Le Mas Viel", 2450.0, False),
    Stop("SBC_EGLI", "Saint-Bruno Église", -1.0, False),
)


def stop_lonlat(path: LineString, at: float, offset: float) -> tuple[float, float]:
    """Lon/lat of the point ``at`` metres along a local path, ``offset`` m to its right."""
    at = path.length if at < 0 else at
    p = path.interpolate(at)
    behind = path.interpolate(max(at - 1.0, 0.0))
    ahead = path.interpolate(min(at + 1.0, path.length))
    dx, dy = ahead.x - behind.x, ahead.y - behind.y
    norm = float(np.hypot(dx, dy))
    u, v = p.x + offset * dy / norm, p.y - offset * dx / norm
    x, y = local_to_l93_xy(np.array([u]), np.array([v]))
    lon, lat = reproject_xy(x, y, LAMBERT93, WGS84)
    return round(float(lon[0]), 6), round(float(lat[0]), 6)


def stop_offsets(path: LineString, stops: tuple[Stop, ...]) -> list[int]:
    """Seconds from the first stop, at 20 km/h in town and 40 km/h outside, to the minute."""
    out, total, prev = [], 0.0, 0.0
    for stop in stops:
        at = path.length if stop.at < 0 else stop.at
        total += (at - prev) / (5.6 if stop.town else 11.1)
        prev = at
        out.append(round(total / 60.0) * 60)
    return out


WEEKDAY_A = (
    "06:30 07:00 07:20 07:40 08:00 08:20 08:40 09:30 10:30 11:30 12:30 13:30 14:30 "
    "15:30 16:30 16:50 17:10 17:30 17:50 18:10 18:30 19:30 20:30 23:55"
)
WEEKEND_A = " ".join(f"{h:02d}:00" for h in range(8, 20))
WEEKDAY_B = {0: "08:05 12:30 16:45 17:45 18:45", 1: "06:45 07:25 13:10 17:15 18:15"}
