"""Add a public transport stop, or a line with its frequency, so accessibility sees them.

The service figures are those of the GTFS importer, on its morning peak (07:00-09:00):
``transit_stops.departures_peak_per_h``, ``headway_peak_min`` and one ``transit_stop_hours``
row per stop and peak hour. A line runs ``frequency_peak_per_h`` times an hour in each
direction it serves: with both directions (the default) a stop in the middle gets twice the
frequency in departures and each terminus once; one way, every stop but the last gets it.
Stops an added line serves gain its departures and its name in ``routes``. New rows have
``feed`` and ``source`` ``scenario`` and ids ``scenario:NEW-STOP-1``, ``scenario:NEW-LINE-1``...
"""

from __future__ import annotations

import dataclasses
import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from scenarios.assumptions import Assumptions
from scenarios.edits.base import Edit, register_edit
from scenarios.edits.checks import (
    check_near_data,
    check_new_id,
    existing_rows,
    next_ids,
    parse_wkt,
    refuse,
)
from scenarios.edits.housing import half_up
from twin.city import City

logger = logging.getLogger(__name__)

STOPS, ROUTES, HOURS = "transit_stops", "transit_routes", "transit_stop_hours"
#: The morning peak of the GTFS importer (importers/gtfs_profile.py): hours 7 and 8.
PEAK_HOURS = (7, 9)
FEED = "scenario"
STOP_PREFIX, LINE_PREFIX = f"{FEED}:NEW-STOP-", f"{FEED}:NEW-LINE-"
MODES = ("bus", "tram", "metro", "rail", "ferry", "cable", "coach", "on_demand")


@register_edit
@dataclasses.dataclass(frozen=True)
class AddTransitStop(Edit):
    """A new stop with its service level.

    Attributes:
        point_wkt: where, as a WKT point in the project CRS (m).
        name: the stop's name.
        departures_peak_per_h: departures per hour in the morning peak (all lines, both ways).
        routes: names of the lines serving it, separated by ", " (for the inspector).
        id: the stop's id; empty for ``scenario:NEW-STOP-<n>``.
    """

    kind = "add_transit_stop"
    point_wkt: str
    name: str
    departures_peak_per_h: float
    routes: str = ""
    id: str = ""

    def check(self) -> None:
        parse_wkt(self.point_wkt, "add_transit_stop: field 'point_wkt'", ("Point",))
        if not self.name.strip():
            raise refuse(
                "field_empty",
                "add_transit_stop: field 'name' is empty; name the stop.",
                edit=self.kind,
                field="name",
            )
        if not 0 <= self.departures_peak_per_h <= 600:
            raise refuse(
                "field_range",
                f"add_transit_stop: field 'departures_peak_per_h' is "
                f"{self.departures_peak_per_h:g}; give departures per hour (e.g. 4).",
                edit=self.kind,
                field="departures_peak_per_h",
                value=self.departures_peak_per_h,
                low=0,
                high=600,
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        add_transit_stop(
            city, self.point_wkt, self.name, self.departures_peak_per_h, self.routes, self.id
        )

    def summary(self) -> str:
        return f"add stop « {self.name} » ({self.departures_peak_per_h:g} departures/h at peak)"


def add_transit_stop(
    city: City,
    point_wkt: str,
    name: str,
    departures_peak_per_h: float,
    routes: str = "",
    stop_id: str = "",
) -> None:
    """Add one stop and its peak-hour departures.

    Raises:
        InvalidInputError: a point that is not WKT or lies far from the data, an id in use.
    """
    point = shapely.force_2d(parse_wkt(point_wkt, "field 'point_wkt'", ("Point",)))
    check_near_data(city, point, "the stop (field 'point_wkt')")
    stop_id = stop_id or next_ids(_layer(city, STOPS), STOP_PREFIX, 1)[0]
    check_new_id(city, STOPS, stop_id)
    stops = _stop_rows(city, [stop_id], [name], [point], np.array([departures_peak_per_h]), routes)
    with city.transaction():
        city.append_rows(STOPS, stops, source=FEED)
        _add_stop_hours(city, [stop_id], np.array([departures_peak_per_h]))


@register_edit
@dataclasses.dataclass(frozen=True)
class AddTransitLine(Edit):
    """A new line through existing stops, or along a drawn line with a stop at each vertex.

    Attributes:
        name: short name of the line (``"3"``, ``"Navette"``).
        frequency_peak_per_h: departures per hour in the morning peak, in each direction.
        stop_ids: the existing stops it serves, in order; or
        line_wkt: its route as a WKT line in the project CRS (m), a new stop at each vertex.
        stop_names: names of those new stops (default: "<name> 1", "<name> 2" ...).
        mode: bus, tram, metro, rail, ferry, cable, coach or on_demand.
        both_directions: the line runs both ways (true) or one way (false).
        long_name: the line's long name.
        colour: its colour, ``#rrggbb``.
        id: its id; empty for ``scenario:NEW-LINE-<n>``.
    """

    kind = "add_transit_line"
    name: str
    frequency_peak_per_h: float
    stop_ids: tuple[str, ...] = ()
    line_wkt: str = ""
    stop_names: tuple[str, ...] = ()
    mode: str = "bus"
    both_directions: bool = True
    long_name: str = ""
    colour: str = ""
    id: str = ""

    def check(self) -> None:
        where = "add_transit_line: field"
        if not self.name.strip():
            raise refuse(
                "field_empty",
                f"{where} 'name' is empty; name the line.",
                edit=self.kind,
                field="name",
            )
        if not 0 < self.frequency_peak_per_h <= 120:
            raise refuse(
                "field_range",
                f"{where} 'frequency_peak_per_h' is {self.frequency_peak_per_h:g}; give "
                "departures per hour in each direction (e.g. 4: every 15 min).",
                edit=self.kind,
                field="frequency_peak_per_h",
                value=self.frequency_peak_per_h,
                low=0,
                high=120,
            )
        if bool(self.stop_ids) == bool(self.line_wkt):
            raise refuse(
                "fields_either",
                "add_transit_line: give either field 'stop_ids' (existing stops) or field "
                "'line_wkt' (a new route with a stop at each vertex), not both nor neither.",
                edit=self.kind,
                first="stop_ids",
                second="line_wkt",
            )
        if self.stop_ids and len(self.stop_ids) < 2:
            raise refuse("stop_ids_one", f"{where} 'stop_ids' lists one stop; a line needs two.")
        if self.line_wkt:
            line = parse_wkt(self.line_wkt, f"{where} 'line_wkt'", ("LineString",))
            count = len(line.coords)
            if self.stop_names and len(self.stop_names) != count:
                raise refuse(
                    "stop_names_count",
                    f"{where} 'stop_names' has {len(self.stop_names)} name(s) for the "
                    f"{count} vertices of 'line_wkt'; give one per vertex or none.",
                    names=len(self.stop_names),
                    vertices=count,
                )
        if self.mode not in MODES:
            raise refuse(
                "field_choice",
                f"{where} 'mode' is '{self.mode}'; use one of {MODES}.",
                edit=self.kind,
                field="mode",
                value=self.mode,
                choices=list(MODES),
            )
        if self.colour and not (len(self.colour) == 7 and self.colour.startswith("#")):
            raise refuse(
                "colour_format",
                f"{where} 'colour' is '{self.colour}'; write #rrggbb.",
                colour=self.colour,
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        add_transit_line(city, self)

    def summary(self) -> str:
        stops = len(self.stop_ids) or len(shapely.from_wkt(self.line_wkt).coords)
        return (
            f"add {self.mode} line « {self.name} »: {stops} stops, "
            f"{self.frequency_peak_per_h:g} departures/h at peak"
        )


def add_transit_line(city: City, edit: AddTransitLine) -> None:
    """Add a line: its route row, its new stops, and its departures at every stop it serves.

    Raises:
        InvalidInputError: an unknown stop, a route far from the data, an id in use.
    """
    line_id = edit.id or next_ids(_layer(city, ROUTES), LINE_PREFIX, 1)[0]
    check_new_id(city, ROUTES, line_id)
    if edit.stop_ids:
        positions = existing_rows(city, STOPS, list(edit.stop_ids), "transit stop")
        points = list(city.layer(STOPS).geometry.to_numpy()[positions])
        route = LineString([shapely.get_coordinates(p)[0] for p in points])
        new_ids: list[str] = []
        served = list(edit.stop_ids)
    else:
        route = shapely.force_2d(parse_wkt(edit.line_wkt, "field 'line_wkt'", ("LineString",)))
        check_near_data(city, route, "the line (field 'line_wkt')")
        points = list(shapely.points(shapely.get_coordinates(route)))
        new_ids = next_ids(_layer(city, STOPS), STOP_PREFIX, len(points))
        served = new_ids
    per_stop = _departures_per_stop(len(served), edit.frequency_peak_per_h, edit.both_directions)
    departures = pd.Series(per_stop).groupby(np.array(served)).sum()  # a loop: one stop twice
    with city.transaction():
        if new_ids:
            names = list(edit.stop_names) or [f"{edit.name} {n + 1}" for n in range(len(new_ids))]
            rows = _stop_rows(city, new_ids, names, points, per_stop, edit.name)
            city.append_rows(STOPS, rows, source=FEED)
        else:
            _serve_existing(city, departures, edit.name)
        _add_stop_hours(city, departures.index.tolist(), departures.to_numpy())
        city.append_rows(ROUTES, _route_row(city, line_id, edit, route), source=FEED)
    logger.info("added line %s with %d stops", edit.name, len(served))


def _departures_per_stop(n: int, frequency: float, both_directions: bool) -> np.ndarray:
    """Peak departures per hour at each of the n stops of a line, in order.

    Example:
        >>> _departures_per_stop(4, 4.0, True).tolist()
        [4.0, 8.0, 8.0, 4.0]
        >>> _departures_per_stop(3, 4.0, False).tolist()
        [4.0, 4.0, 0.0]
    """
    forward = np.full(n, frequency)
    forward[-1] = 0.0
    if not both_directions:
        return forward
    return forward + forward[::-1]


def _layer(city: City, name: str) -> gpd.GeoDataFrame | None:
    return city.layer(name) if name in city else None


def _stop_rows(
    city: City,
    ids: list[str],
    names: list[str],
    points: list[object],
    departures: np.ndarray,
    routes: str,
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name": names,
            "feed": FEED,
            "routes": routes or None,
            "departures_peak_per_h": np.asarray(departures, dtype="float64"),
            "headway_peak_min": _headway_min(np.asarray(departures, dtype="float64")),
            "source": FEED,
        },
        geometry=gpd.GeoSeries(points, crs=city.crs),
    )


def _headway_min(departures_per_h: np.ndarray) -> np.ndarray:
    return np.divide(
        60.0,
        departures_per_h,
        out=np.full(len(departures_per_h), np.nan),
        where=departures_per_h > 0,
    )


def _serve_existing(city: City, departures: pd.Series, line_name: str) -> None:
    stops = city.layer(STOPS)
    rows = stops.set_index(stops["id"].astype(str)).loc[departures.index]
    before = pd.to_numeric(rows["departures_peak_per_h"], errors="coerce").fillna(0.0)
    after = before.to_numpy() + departures.to_numpy()
    routes = [_with_route(r, line_name) for r in rows["routes"].astype(object)]
    city.update_values(
        STOPS,
        departures.index.tolist(),
        {"departures_peak_per_h": after, "headway_peak_min": _headway_min(after), "routes": routes},
    )


def _with_route(routes: object, line_name: str) -> str:
    """The stop's route names with the line's added, as the GTFS importer writes them.

    Example:
        >>> _with_route("A, B", "C"), _with_route(None, "C"), _with_route("C", "C")
        ('A, B, C', 'C', 'C')
    """
    names = [n.strip() for n in routes.split(",")] if isinstance(routes, str) else []
    names = [n for n in names if n]
    return ", ".join(names if line_name in names else [*names, line_name])


def _add_stop_hours(city: City, stop_ids: list[str], per_hour: np.ndarray) -> None:
    """Add each stop's peak departures to ``transit_stop_hours`` (whole departures per hour:
    the peak's total, rounded, shared between its hours)."""
    hours = list(range(*PEAK_HOURS))
    total = half_up(np.asarray(per_hour, dtype="float64") * len(hours)).astype(int)
    rows = [  # the first hour takes the odd departure: 5 in two hours are 3 then 2
        (stop, hour, -(-int(count) // len(hours)) if n == 0 else int(count) // len(hours))
        for stop, count in zip(stop_ids, total, strict=True)
        for n, hour in enumerate(hours)
    ]
    added = pd.DataFrame(rows, columns=["stop_id", "hour", "departures"])
    added = added[added["departures"] > 0]
    if not len(added):
        return
    added["id"] = added["stop_id"] + "@" + added["hour"].astype(str)
    existing = city.layer(HOURS) if HOURS in city else None
    known = added["id"].isin(existing["id"].astype(str) if existing is not None else [])
    if existing is not None and known.any():
        old = existing.set_index(existing["id"].astype(str)).loc[added.loc[known, "id"]]
        sums = pd.to_numeric(old["departures"]).to_numpy() + added.loc[known, "departures"]
        city.update_values(HOURS, added.loc[known, "id"].tolist(), {"departures": sums.tolist()})
    fresh = added[~known]
    if len(fresh):
        city.append_rows(HOURS, fresh[["id", "stop_id", "hour", "departures"]], source=FEED)


def _route_row(
    city: City, line_id: str, edit: AddTransitLine, route: LineString
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [line_id],
            "name": [edit.name],
            "long_name": [edit.long_name or None],
            "mode": [edit.mode],
            "colour": [edit.colour or None],
            "feed": [FEED],
            "source": [FEED],
        },
        geometry=gpd.GeoSeries([route], crs=city.crs),
    )
