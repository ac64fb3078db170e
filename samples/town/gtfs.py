"""GTFS feed of the town's two bus lines, zipped like a real operator's export.

Only line A publishes shapes.  Weekday service has
20-minute peaks and hourly off-peak buses plus a late bus running past midnight (times
above 24:00:00), the weekend is hourly, and 2024's weekday public holidays run the
weekend timetable (calendar_dates exceptions).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import shapely

from samples.town.frame import LAMBERT93, WGS84, local_to_l93_xy, reproject_xy
from samples.town.transit import (
    LINE_A_STOPS,
    LINE_B_STOPS,
    WEEKDAY_A,
    WEEKDAY_B,
    WEEKEND_A,
    line_a_path,
    line_b_path,
    stop_lonlat,
    stop_offsets,
)

HOLIDAYS_2024 = (
    "20240101",
    "20240401",
    "20240501",
    "20240508",
    "20240509",
    "20240520",
    "20240815",
    "20241101",
    "20241111",
    "20241225",
)
ZIP_DATE = (2024, 1, 15, 0, 0, 0)


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def _table(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def feed_tables() -> dict[str, bytes]:
    """The GTFS files of the feed, by file name."""
    paths = {"A": line_a_path(), "B": line_b_path()}
    stops = {"A": LINE_A_STOPS, "B": LINE_B_STOPS}
    stop_rows: dict[str, list[object]] = {}
    for line in ("A", "B"):
        for stop in stops[line]:
            if stop.stop_id not in stop_rows:
                lon, lat = stop_lonlat(paths[line], stop.at, 4.0)
                stop_rows[stop.stop_id] = [
                    stop.stop_id,
                    stop.stop_id[4:],
                    stop.name,
                    lat,
                    lon,
                    0,
                    "",
                    1 if stop.town else 0,
                ]
    trips: list[list[object]] = []
    times: list[list[object]] = []
    schedule = [("A", "SEM", d, WEEKDAY_A) for d in (0, 1)]
    schedule += [("A", "WE", d, WEEKEND_A) for d in (0, 1)]
    schedule += [("B", "SEM", d, WEEKDAY_B[d]) for d in (0, 1)]
    for line, service, direction, departures in schedule:
        seq = stops[line] if direction == 0 else stops[line][::-1]
        offsets = stop_offsets(paths[line], stops[line])
        if direction == 1:
            offsets = [offsets[-1] - o for o in offsets[::-1]]
        dists = [paths[line].length if s.at < 0 else s.at for s in stops[line]]
        if direction == 1:
            dists = [paths[line].length - d for d in dists[::-1]]
        for dep in departures.split():
            start = _minutes(dep) * 60 + (15 * 60 if direction == 1 and line == "A" else 0)
            trip_id = f"{line}-{service}-{direction}-{_hms(start)[:5].replace(':', '')}"
            shape = f"{line}_{direction}" if line == "A" else ""
            trips.append([line, service, trip_id, seq[-1].name, direction, shape])
            for k, (stop, off) in enumerate(zip(seq, offsets, strict=True), start=1):
                t = _hms(start + off)
                dist = f"{dists[k - 1]:.1f}" if line == "A" else ""
                times.append([trip_id, t, t, stop.stop_id, k, 0, 0, dist, 1])
    shapes: list[list[object]] = []
    for direction in (0, 1):
        path = paths["A"] if direction == 0 else paths["A"].reverse()
        dense = shapely.segmentize(path, 50.0)
        walked = 0.0
        coords = list(dense.coords)
        for k, (u, v) in enumerate(coords, start=1):
            if k > 1:
                walked += float(np.hypot(u - coords[k - 2][0], v - coords[k - 2][1]))
            east, north = local_to_l93_xy(np.array([u]), np.array([v]))
            lons, lats = reproject_xy(east, north, LAMBERT93, WGS84)
            shapes.append(
                [
                    f"A_{direction}",
                    round(float(lats[0]), 6),
                    round(float(lons[0]), 6),
                    k,
                    f"{walked:.1f}",
                ]
            )
    calendar = [
        ["SEM", 1, 1, 1, 1, 1, 0, 0, "20240101", "20241231"],
        ["WE", 0, 0, 0, 0, 0, 1, 1, "20240101", "20241231"],
    ]
    exceptions = [
        [service, day, kind] for day in HOLIDAYS_2024 for service, kind in (("SEM", 2), ("WE", 1))
    ]
    return {
        "agency.txt": _table(
            [
                "agency_id",
                "agency_name",
                "agency_url",
                "agency_timezone",
                "agency_lang",
                "agency_phone",
            ],
            [
                [
                    "VALBUS",
                    "Valmont Bus",
                    "https://valmont-bus.example.org",
                    "Europe/Paris",
                    "fr",
                    "05 65 00 00 00",
                ]
            ],
        ),
        "stops.txt": _table(
            [
                "stop_id",
                "stop_code",
                "stop_name",
                "stop_lat",
                "stop_lon",
                "location_type",
                "parent_station",
                "wheelchair_boarding",
            ],
            [stop_rows[k] for k in sorted(stop_rows)],
        ),
        "routes.txt": _table(
            [
                "route_id",
                "agency_id",
                "route_short_name",
                "route_long_name",
                "route_type",
                "route_color",
                "route_text_color",
            ],
            [
                ["A", "VALBUS", "A", "Le Causse - Le Cayrol", 3, "E2001A", "FFFFFF"],
                ["B", "VALBUS", "B", "Valmont Mairie - Saint-Bruno", 3, "0072BC", "FFFFFF"],
            ],
        ),
        "trips.txt": _table(
            ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id", "shape_id"],
            sorted(trips, key=lambda r: str(r[2])),
        ),
        "stop_times.txt": _table(
            [
                "trip_id",
                "arrival_time",
                "departure_time",
                "stop_id",
                "stop_sequence",
                "pickup_type",
                "drop_off_type",
                "shape_dist_traveled",
                "timepoint",
            ],
            sorted(times, key=lambda r: (str(r[0]), int(str(r[4])))),
        ),
        "calendar.txt": _table(
            [
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
            ],
            calendar,
        ),
        "calendar_dates.txt": _table(
            ["service_id", "date", "exception_type"], sorted(exceptions, key=lambda r: (r[1], r[0]))
        ),
        "shapes.txt": _table(
            [
                "shape_id",
                "shape_pt_lat",
                "shape_pt_lon",
                "shape_pt_sequence",
                "shape_dist_traveled",
            ],
            shapes,
        ),
        "feed_info.txt": _table(
            [
                "feed_publisher_name",
                "feed_publisher_url",
                "feed_lang",
                "feed_start_date",
                "feed_end_date",
                "feed_version",
                "feed_contact_email",
            ],
            [
                [
                    "Communauté de communes du Val de Valmont (fictive)",
                    "https://valmont-bus.example.org",
                    "fr",
                    "20240101",
                    "20241231",
                    "2024-01-15",
                    "contact@valmont-bus.example.org",
                ]
            ],
        ),
    }


def write_gtfs(path: Path) -> Path:
    """Write the zipped feed with fixed member dates so the archive is reproducible."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in feed_tables().items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return path
