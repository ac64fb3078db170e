"""Tiny hand-made GTFS feeds for the importer's tests: a base feed and ways to break it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pyproj import CRS

from importers import gtfs
from importers.base import ImportOptions, ImportResult

LAMBERT93 = CRS.from_epsg(2154)

#: Three stops in a row near Rodez, 400 m apart; route 1 on weekdays, route 2 at weekends.
BASE: dict[str, str] = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Bus,https://x.org,Europe/Paris\n",
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "S1,Gare,44.3500,2.5700\n"
        "S2,Centre,44.3500,2.5750\n"
        "S3,Lycée,44.3500,2.5800\n"
    ),
    "routes.txt": (
        "route_id,route_short_name,route_long_name,route_type,route_color\n"
        "R1,1,Gare - Lycée,3,FF0000\n"
        "R2,2,Navette,3,\n"
    ),
    "trips.txt": ("route_id,service_id,trip_id\nR1,WK,T1\nR1,WK,T2\nR2,WE,T3\n"),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,07:00:00,07:00:00,S1,1\n"
        "T1,07:10:00,07:10:00,S2,2\n"
        "T1,07:20:00,07:20:00,S3,3\n"
        "T2,07:30:00,07:30:00,S1,1\n"
        "T2,07:40:00,07:40:00,S2,2\n"
        "T2,07:50:00,07:50:00,S3,3\n"
        "T3,10:00:00,10:00:00,S3,1\n"
        "T3,10:10:00,10:10:00,S1,2\n"
    ),
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WK,1,1,1,1,1,0,0,20240101,20241231\n"
        "WE,0,0,0,0,0,1,1,20240101,20241231\n"
    ),
    "calendar_dates.txt": "service_id,date,exception_type\nWK,20240501,2\nWE,20240501,1\n",
}


def write_feed(
    folder: Path,
    changes: dict[str, str | None] | None = None,
    *,
    name: str = "tiny.zip",
    as_folder: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """The base feed with files replaced (text) or removed (None), as a zip or a folder."""
    tables = {**BASE, **(changes or {})}
    files = {k: v.encode(encoding) for k, v in tables.items() if v is not None}
    if as_folder:
        target = folder / name
        target.mkdir()
        for file_name, data in files.items():
            (target / file_name).write_bytes(data)
        return target
    target = folder / name
    with zipfile.ZipFile(target, "w") as archive:
        for file_name, data in files.items():
            archive.writestr(file_name, data)
    return target


def read_feed(path: Path, crs: CRS = LAMBERT93, **options: object) -> ImportResult:
    """Read with the GTFS importer (``service_date`` goes into ``options.defaults``)."""
    defaults = {"service_date": options.pop("service_date")} if "service_date" in options else {}
    return gtfs.read(path, target_crs=crs, options=ImportOptions(defaults=defaults, **options))  # type: ignore[arg-type]


def codes(result: ImportResult) -> set[str]:
    """The issue codes of a result."""
    return {issue.code for issue in result.issues}


def departures(result: ImportResult) -> dict[str, int]:
    """Departures of the day per stop_id (the GTFS id, without the feed name)."""
    stops = result.layers["transit_stops"]
    return {
        str(i).split(":", 1)[1]: int(d)
        for i, d in zip(stops["id"], stops["departures_day"], strict=True)
    }
