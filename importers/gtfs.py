"""GTFS public transport feeds (zip or folder): stops, lines and their service on one day.

Reads stops.txt, routes.txt, trips.txt, stop_times.txt, calendar.txt / calendar_dates.txt
(either may be missing) and shapes.txt (optional) into three layers: ``transit_stops`` (points,
with the departures of the service day, the morning-peak frequency and headway),
``transit_routes`` (lines, with their mode and trips of the day) and ``transit_stop_hours``
(departures per stop and hour). Ids are ``feed:stop_id`` / ``feed:route_id``, the feed being
the zip's or folder's name. The service day is ``options.defaults["service_date"]``
(``YYYY-MM-DD``) when given, else the busiest Tuesday of the feed. The feed is stored in the
project (zipped), so :func:`importers.gtfs_profile.service_profile` can recompute the figures
for another day: ``load_feed(stored.data, stored.name)``. See docs/formats/gtfs.md.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from shapely import box

from importers.base import ImportOptions, ImportResult
from importers.gtfs_feed import GtfsFeed, load_feed
from importers.gtfs_files import GTFS_FILES, feed_members, folder_as_zip
from importers.gtfs_profile import (
    default_day,
    routes_per_stop,
    service_profile,
    shown_stops,
    trips_per_route,
)
from importers.gtfs_routes import route_colour, route_lines, route_mode
from importers.gtfs_service import parse_day
from twin.errors import CrsError, InvalidInputError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity
from twin.provenance import StoredFile

logger = logging.getLogger(__name__)

NAME = "gtfs"
DESCRIPTION = "GTFS public transport feed (zip or folder): stops, lines, departures per hour"
SUFFIXES = (".zip",)
WGS84 = CRS.from_epsg(4326)
#: Stops this far outside the area of use of the project CRS are refused (degrees).
AREA_MARGIN_DEG = 2.0


def sniff(path: Path) -> bool:
    """True for a zip or folder holding stops.txt and stop_times.txt (or three GTFS files)."""
    members = feed_members(path)
    core = "stops.txt" in members and "stop_times.txt" in members
    return core or sum(name in members for name in GTFS_FILES) >= 3


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read a GTFS feed into transit_stops, transit_routes and transit_stop_hours.

    Raises:
        InvalidInputError: a required file (stops, stop_times, trips) is missing, or the
            service date given is not a date.
        CrsError: the stops lie outside the area the project's CRS is made for.
        CancelledError: the user cancelled (checked between blocks of stop_times.txt).
    """
    feedback = ensure_feedback(feedback)
    if path.is_dir():
        feed, issues = load_feed(path, feedback=feedback)
        stored = StoredFile(
            f"{path.name}.zip", "application/zip", folder_as_zip(path, feed_members(path))
        )
    else:
        stored = StoredFile(path.name, "application/zip", path.read_bytes())
        feed, issues = load_feed(stored.data, path.name, feedback)
    feedback.set_progress(0.6)
    feedback.raise_if_cancelled()
    day, rule = choose_day(feed, options, path.name, issues)
    service, hours = service_profile(feed, day)
    shown = shown_stops(feed)
    check_stops(feed, shown, path.name)
    check_area(feed, shown, target_crs, path.name)
    stops = stops_layer(feed, shown, service, target_crs)
    feedback.set_progress(0.8)
    feedback.raise_if_cancelled()
    routes = routes_layer(feed, day, target_crs)
    if bbox is not None:
        inside = stops.geometry.intersects(box(*bbox))
        hours = hours[hours["stop_id"].isin(stops.loc[inside, "id"])]
        stops = stops[inside].reset_index(drop=True)
    feedback.set_progress(1.0)
    details = {
        "feed": feed.name,
        "service_date": day.isoformat() if day else "",
        "service_date_rule": rule,
        "validity": [d.isoformat() for d in feed.calendar.validity() or ()],
        "trips": len(feed.trips),
        "trips_on_service_date": int(trips_per_route(feed, day).sum()),
        "stop_times": len(feed.stop_times.trip),
        "times_interpolated": feed.stop_times.interpolated,
        "stops_in_file": len(feed.stops),
        "stored_file": stored.name,
    }
    layers = {"transit_stops": stops, "transit_routes": routes, "transit_stop_hours": hours}
    result = ImportResult.of(path.name, NAME, layers, issues, details, files=[stored])
    if path.is_dir():
        result.provenance = replace(result.provenance, sha256=stored.sha256)
    return result


def choose_day(
    feed: GtfsFeed, options: ImportOptions, source: str, issues: list[Issue]
) -> tuple[date | None, str]:
    """The service day asked for (``options.defaults["service_date"]``), else the default.

    A day outside every calendar's dates is reported and replaced by the default day.

    Raises:
        InvalidInputError: the day given is not a date.
    """
    wanted = getattr(options, "service_date", None) or options.defaults.get("service_date")
    validity = feed.calendar.validity()
    if wanted:
        day = parse_day(wanted)
        if day is None:
            raise InvalidInputError(
                f"{source}: service date '{wanted}' is not a date; give it as YYYY-MM-DD "
                "(e.g. 2024-03-12).",
                code="gtfs_day_invalid",
                values={"file": source, "day": str(wanted)},
            )
        if not feed.calendar.has_calendar:
            return day, "given (no calendar: every trip counted)"
        if validity is not None and validity[0] <= day <= validity[1]:
            return day, "given"
        fallback, rule = default_day(feed)
        span = f"{validity[0]} to {validity[1]}" if validity else "no dates"
        issues.append(
            Issue(
                Severity.WARNING,
                "service_day_outside_calendar",
                f"{day} is outside the feed's calendar ({span}); {fallback} ({rule}) used instead",
                source,
            )
        )
        return fallback, rule
    return default_day(feed)


def check_stops(feed: GtfsFeed, shown: np.ndarray, source: str) -> None:
    """Refuse a feed none of whose stops can be put on the map.

    Raises:
        InvalidInputError: stops.txt is empty, or no stop has a usable latitude and longitude.
    """
    if shown.any():
        return
    if not len(feed.stops):
        raise InvalidInputError(
            f"{source}: stops.txt lists no stop; export the whole feed again.",
            code="gtfs_no_stops",
            values={"file": source},
        )
    raise InvalidInputError(
        f"{source}: none of the {len(feed.stops):,} stops of stops.txt has a usable latitude "
        "and longitude (decimal degrees, e.g. 44.35 and 2.57); fix stops.txt or export the "
        "feed again.",
        code="gtfs_stops_no_coordinates",
        values={"file": source, "count": len(feed.stops)},
    )


def check_area(feed: GtfsFeed, shown: np.ndarray, target_crs: CRS, source: str) -> None:
    """Refuse stops the project's CRS cannot map (Porto Alegre in Lambert-93).

    Raises:
        CrsError: no stop within :data:`AREA_MARGIN_DEG` of the CRS's area of use.
    """
    area = target_crs.area_of_use
    lon = feed.stops["lon"].to_numpy()[shown]
    lat = feed.stops["lat"].to_numpy()[shown]
    if area is None or not len(lon) or area.west > area.east:
        return
    margin = AREA_MARGIN_DEG
    inside = (
        (lon >= area.west - margin)
        & (lon <= area.east + margin)
        & (lat >= area.south - margin)
        & (lat <= area.north + margin)
    )
    if inside.any():
        return
    lon_c, lat_c = float(np.median(lon)), float(np.median(lat))
    utm = (32600 if lat_c >= 0 else 32700) + int((lon_c + 180) // 6) + 1
    where = area.name.rstrip(".")
    raise CrsError(
        f"{source}: its stops (around {lat_c:.2f}°, {lon_c:.2f}°) lie outside the area the "
        f"project's CRS ({target_crs.name}) is made for ({where}); use a project in a CRS "
        f"that covers them, e.g. `twin new PROJECT --crs EPSG:{utm}` (UTM zone there).",
        code="gtfs_outside_crs",
        values={
            "file": source,
            "latitude": round(lat_c, 2),
            "longitude": round(lon_c, 2),
            "crs": target_crs.name,
            "area": where,
            "epsg": f"EPSG:{utm}",
        },
    )


def stops_layer(
    feed: GtfsFeed, shown: np.ndarray, service: pd.DataFrame, target_crs: CRS
) -> gpd.GeoDataFrame:
    """transit_stops: the shown stops with names, routes and the service figures."""
    stops = feed.stops[shown]
    points = gpd.GeoSeries.from_xy(stops["lon"], stops["lat"], crs=WGS84).to_crs(target_crs)
    frame = pd.DataFrame(
        {
            "name": stops["stop_name"].to_numpy(),
            "feed": feed.name,
            "routes": routes_per_stop(feed).to_numpy()[shown],
        }
    )
    frame = pd.concat([service[["id"]], frame, service.drop(columns="id")], axis=1)
    frame["source"] = NAME
    return gpd.GeoDataFrame(frame, geometry=points.to_numpy(), crs=target_crs)


def routes_layer(feed: GtfsFeed, day: date | None, target_crs: CRS) -> gpd.GeoDataFrame:
    """transit_routes: one row per route, drawn by its main shape or stop pattern."""
    routes = feed.routes
    lines = gpd.GeoSeries(route_lines(feed), crs=WGS84).to_crs(target_crs)
    frame = pd.DataFrame(
        {
            "id": feed.name + ":" + routes["route_id"].astype(str),
            "name": routes["route_short_name"].fillna(routes["route_long_name"]),
            "long_name": routes["route_long_name"],
            "mode": [route_mode(value) for value in routes["route_type"]],
            "colour": route_colour(routes["route_color"]),
            "feed": feed.name,
            "trips_day": pd.array(trips_per_route(feed, day), dtype="Int64"),
            "source": NAME,
        }
    )
    return gpd.GeoDataFrame(frame, geometry=lines.to_numpy(), crs=target_crs)
