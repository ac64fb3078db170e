"""The Issues of a GTFS feed's rows: unknown ids, trips that cannot run, unreadable times.

One Issue per trip, stop or route concerned (with the number of rows when there are several),
never one per row of stop_times.txt.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.issues import Issue, Severity


def report_unknown(
    raw: np.ndarray,
    unknown: np.ndarray,
    names: pd.Index,
    code: str,
    what: str,
    label: str,
    issues: list[Issue],
) -> None:
    """One error per unknown id (``what``: trip or stop) named by stop_times rows (``raw``
    codes into ``names``, -1 blank), with the number of rows left out."""
    counts = np.bincount(raw[unknown] + 1, minlength=len(names) + 1)
    for position in np.flatnonzero(counts):
        name = "(blank)" if position == 0 else str(names[position - 1])
        issues.append(
            Issue(
                Severity.ERROR,
                code,
                f"{counts[position]} stop_times row(s) name a {what} missing from {what}s.txt; "
                "left out",
                label,
                name,
            )
        )


def report_per_trip(
    raw: np.ndarray, names: pd.Index, code: str, message: str, label: str, issues: list[Issue]
) -> None:
    """One warning per trip among ``raw`` (a trip code per problem row), with its count."""
    raw = raw[raw >= 0]
    counts = np.bincount(raw, minlength=len(names))
    for position in np.flatnonzero(counts):
        issues.append(
            Issue(Severity.WARNING, code, f"{counts[position]} {message}", label, names[position])
        )


def report_trips_without_times(
    rows_per_trip: np.ndarray, trip_ids: pd.Series, label: str, issues: list[Issue]
) -> None:
    """One warning per trip of trips.txt without any row in stop_times.txt."""
    for trip_id in trip_ids[rows_per_trip == 0]:
        issues.append(
            Issue(
                Severity.WARNING,
                "trip_without_times",
                "trip without any row in stop_times.txt; it does not run",
                label,
                str(trip_id),
            )
        )


def report_trip_links(
    trips: pd.DataFrame, routes: pd.DataFrame, label: str, issues: list[Issue]
) -> None:
    """Trips of unknown routes or without a service, and routes without trips."""
    for trip_id in trips.loc[trips["service"].to_numpy() < 0, "trip_id"]:
        issues.append(
            Issue(
                Severity.WARNING,
                "trip_without_service",
                "trip without service_id in trips.txt; it never runs",
                label,
                str(trip_id),
            )
        )
    unknown = trips["route"].to_numpy() < 0
    for trip_id in trips.loc[unknown, "trip_id"]:
        issues.append(
            Issue(
                Severity.WARNING,
                "unknown_route",
                "trip of a route missing from routes.txt; its departures count, without a line",
                label,
                str(trip_id),
            )
        )
    used = np.bincount(trips["route"].to_numpy()[~unknown], minlength=len(routes))
    for route_id in routes["route_id"][used == 0]:
        issues.append(
            Issue(
                Severity.WARNING,
                "route_without_trips",
                "route without any trip in trips.txt; kept without a line",
                label,
                str(route_id),
            )
        )
