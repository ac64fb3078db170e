"""A GTFS feed in memory: small tables as DataFrames, stop_times as numpy arrays of codes.

:func:`load_feed` reads a zip (path or bytes, so a feed stored in a project can be read again)
or a folder. Stop times become integer codes into the stops and trips tables plus the departure
time in seconds (the arrival time where the departure is blank; blank times between timepoints
interpolated), sorted by trip and stop sequence. Problems become Issues; rows that cannot be
used (unknown trip or stop) are reported and left out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from importers.gtfs_files import FeedFiles, header, open_feed, zipped_feed
from importers.gtfs_frequencies import expand_frequencies
from importers.gtfs_issues import report_trip_links
from importers.gtfs_service import ServiceCalendar
from importers.gtfs_stop_times import StopTimes, read_stop_times
from importers.gtfs_tables import read_frame
from twin.errors import InvalidInputError
from twin.feedback import Feedback
from twin.issues import Issue, Severity

logger = logging.getLogger(__name__)

STOP_COLUMNS = ("stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station")
ROUTE_COLUMNS = (
    "route_id",
    "route_short_name",
    "route_long_name",
    "route_type",
    "route_color",
)
TRIP_COLUMNS = ("route_id", "service_id", "trip_id", "shape_id", "direction_id")
FREQUENCY_COLUMNS = ("trip_id", "start_time", "end_time", "headway_secs")
SHAPE_COLUMNS = ("shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence")
CALENDAR_COLUMNS = (
    "service_id",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "start_date",
    "end_date",
)


@dataclass
class GtfsFeed:
    """One feed, ready for service figures.

    Attributes:
        name: the feed's name, first part of every id (``"poa_trensurb"``).
        stops: stop_id, stop_name, lat, lon (NaN when unusable), location_type (0 stop,
            1 station ...), parent_station; a stop's code is its row position.
        routes: route_id, route_short_name, route_long_name, route_type, route_color.
        trips: trip_id, route (code into routes, -1 unknown), service (code into
            ``calendar.services``), shape_id, direction_id.
        stop_times: codes and times, see :class:`~importers.gtfs_stop_times.StopTimes`.
        calendar: the running days of every service.
        shapes: shape_id, lat, lon, sequence; None without shapes.txt.
    """

    name: str
    stops: pd.DataFrame
    routes: pd.DataFrame
    trips: pd.DataFrame
    stop_times: StopTimes
    calendar: ServiceCalendar
    shapes: pd.DataFrame | None


def load_feed(
    source: Path | bytes, file_name: str = "", feedback: Feedback | None = None
) -> tuple[GtfsFeed, list[Issue]]:
    """Read a GTFS zip (path or bytes) or folder into a :class:`GtfsFeed` and its Issues.

    ``file_name`` names zip bytes (``"poa_trensurb.zip"``); the feed's name is the zip's or
    folder's name without ``.zip``. ``feedback`` is checked for a cancel while stop_times.txt
    is read.

    Raises:
        InvalidInputError: stops.txt, stop_times.txt or trips.txt is missing, or lacks its id
            columns; a file is not CSV.
    """
    files = _files(source, file_name)
    label = files.label
    issues = files.issues
    stops = _stops(files, issues)
    routes = _unique(_frame(files, "routes.txt", ROUTE_COLUMNS), "route_id", label, issues)
    trips = _unique(
        _required(files, "trips.txt", TRIP_COLUMNS, "trip_id"), "trip_id", label, issues
    )
    calendar = read_frame(files, "calendar.txt", CALENDAR_COLUMNS)
    dates = read_frame(files, "calendar_dates.txt", ("service_id", "date", "exception_type"))
    services, service_codes = _codes(trips["service_id"])
    service_calendar, bad_dates = ServiceCalendar.from_frames(calendar, dates, services)
    for row in bad_dates.itertuples():
        issues.append(
            Issue(
                Severity.WARNING,
                "bad_calendar_row",
                f"{row.file}: a row of service '{row.service_id}' has an unreadable date or "
                "exception type; left out",
                label,
                str(row.service_id),
            )
        )
    if calendar is None and dates is None:
        issues.append(
            Issue(
                Severity.WARNING,
                "no_calendar",
                "neither calendar.txt nor calendar_dates.txt: every trip is taken to run every day",
                label,
            )
        )
    trips = pd.DataFrame(
        {
            "trip_id": trips["trip_id"],
            "route": pd.Index(routes["route_id"]).get_indexer(trips["route_id"]),
            "service": service_codes,
            "shape_id": trips["shape_id"],
            "direction_id": trips["direction_id"],
        }
    )
    report_trip_links(trips, routes, label, issues)
    stop_times = read_stop_times(files, stops, trips["trip_id"], issues, feedback)
    if files.has("frequencies.txt"):
        frequencies = _frame(files, "frequencies.txt", FREQUENCY_COLUMNS)
        stop_times = expand_frequencies(stop_times, frequencies, trips["trip_id"], label, issues)
    shapes = _frame(files, "shapes.txt", SHAPE_COLUMNS) if files.has("shapes.txt") else None
    feed = GtfsFeed(
        name=feed_name(label),
        stops=stops,
        routes=routes,
        trips=trips,
        stop_times=stop_times,
        calendar=service_calendar,
        shapes=shapes,
    )
    return feed, issues


def feed_name(file_name: str) -> str:
    """The feed's name in ids: the file name without ``.zip``.

    >>> feed_name("poa_trensurb.zip"), feed_name("gtfs.v2")
    ('poa_trensurb', 'gtfs.v2')
    """
    return file_name[:-4] if file_name.lower().endswith(".zip") else file_name


def _files(source: Path | bytes, file_name: str) -> FeedFiles:
    if isinstance(source, Path):
        return open_feed(source)
    return zipped_feed(source, file_name or "feed.zip")


def _frame(files: FeedFiles, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = read_frame(files, name, columns)
    if frame is None:
        files.issues.append(
            Issue(Severity.WARNING, "file_missing", f"the feed has no {name}", files.label)
        )
        return pd.DataFrame({column: pd.Series(dtype="str") for column in columns})
    return frame


def _required(files: FeedFiles, name: str, columns: tuple[str, ...], key: str) -> pd.DataFrame:
    present = files.has(name) and key in {column.strip() for column in header(files, name)}
    frame = read_frame(files, name, columns) if present else None
    if frame is None:
        raise InvalidInputError(
            f"{files.label}: {name} is missing or has no '{key}' column; it is required by "
            "GTFS: export the whole feed again from its publisher.",
            code="gtfs_column_missing",
            values={"file": files.label, "member": name, "column": key},
        )
    return frame


def _stops(files: FeedFiles, issues: list[Issue]) -> pd.DataFrame:
    stops = _unique(
        _required(files, "stops.txt", STOP_COLUMNS, "stop_id"), "stop_id", files.label, issues
    )
    lat = pd.to_numeric(stops["stop_lat"], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(stops["stop_lon"], errors="coerce").to_numpy(float)
    kind = pd.to_numeric(stops["location_type"], errors="coerce").fillna(0).to_numpy(int)
    usable = (np.abs(lat) <= 90) & (np.abs(lon) <= 180) & ~((lat == 0) & (lon == 0))
    for position in np.flatnonzero(~usable & np.isin(kind, (0, 1))):
        raw = (stops["stop_lat"].iloc[position], stops["stop_lon"].iloc[position])
        what = (
            "no coordinates"
            if pd.isna(raw[0]) or pd.isna(raw[1])
            else f"lat/lon {raw[0]}, {raw[1]}"
        )
        issues.append(
            Issue(
                Severity.ERROR,
                "stop_without_coordinates",
                f"stop '{stops['stop_name'].iloc[position]}' has {what}; left out of the map "
                "(its departures are not counted)",
                files.label,
                str(stops["stop_id"].iloc[position]),
            )
        )
    return pd.DataFrame(
        {
            "stop_id": stops["stop_id"],
            "stop_name": stops["stop_name"],
            "lat": np.where(usable, lat, np.nan),
            "lon": np.where(usable, lon, np.nan),
            "location_type": kind,
            "parent_station": stops["parent_station"],
        }
    ).reset_index(drop=True)


def _unique(frame: pd.DataFrame, key: str, label: str, issues: list[Issue]) -> pd.DataFrame:
    blank = frame[key].isna()
    duplicated = frame[key].duplicated() & ~blank
    for value in frame.loc[duplicated, key].unique():
        issues.append(
            Issue(
                Severity.WARNING,
                "duplicate_id",
                f"{key} '{value}' repeated; the first kept",
                label,
                str(value),
            )
        )
    if blank.any():
        issues.append(
            Issue(
                Severity.ERROR,
                "blank_id",
                f"{int(blank.sum())} row(s) without {key}; left out",
                label,
            )
        )
    return frame[~blank & ~duplicated].reset_index(drop=True)


def _codes(values: pd.Series) -> tuple[pd.Index, np.ndarray]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return pd.Index(uniques), codes
