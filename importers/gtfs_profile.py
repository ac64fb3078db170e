"""Service figures of a GTFS feed on one day: departures per stop, per hour, in the peak.

A departure is a stop_times row of a trip running that day, except each trip's last stop (an
arrival only), and only where a time is known (after interpolation between timepoints). Times
are hours of the *service day*: a trip of that day leaving at 00:30 the next morning counts in
hour 24; trips of the day before that run past midnight are not counted. The morning peak is
07:00 to 09:00; its headway is the mean interval between consecutive departures at the stop,
all routes and directions together ((last - first) / (n - 1)), NaN with fewer than two.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from importers.gtfs_feed import GtfsFeed

PEAK_S = (7 * 3600.0, 9 * 3600.0)
MAX_HOURS = 48


def default_day(feed: GtfsFeed) -> tuple[date | None, str]:
    """The representative day: the busiest Tuesday of the feed (see ``busiest_day``)."""
    if not feed.calendar.has_calendar:
        return None, "no calendar: every trip counted"
    return feed.calendar.busiest_day(trips_per_service(feed))


def trips_per_service(feed: GtfsFeed) -> np.ndarray:
    """Trips with stop times (each run of a frequency-based trip counted), per service code."""
    has_times = feed.stop_times.rows_per_trip > 0
    service = feed.trips["service"].to_numpy()
    usable = has_times & (service >= 0)
    runs = feed.stop_times.runs()[usable]
    counts = np.bincount(service[usable], weights=runs, minlength=len(feed.calendar.services))
    return counts.astype(np.int64)


def running_trips(feed: GtfsFeed, day: date | None) -> np.ndarray:
    """Which trips run on ``day`` (bool per trip); every trip when the feed has no calendar."""
    service = feed.trips["service"].to_numpy()
    if day is None or not feed.calendar.has_calendar:
        return np.ones(len(service), bool)
    running = feed.calendar.running(np.array([np.datetime64(day, "D")]))[0]
    return np.append(running, False)[service]  # service -1 (blank) → never runs


def shown_stops(feed: GtfsFeed) -> np.ndarray:
    """The stops that make the transit_stops layer (bool per stop).

    Stops and platforms (location_type 0 or blank), stations (1) without any stop of their own
    (a station with platforms is shown by its platforms), and anything stop_times names
    directly; never entrances, nodes or boarding areas alone, nor stops without coordinates.
    """
    stops = feed.stops
    kind = stops["location_type"].to_numpy()
    parents = set(stops["parent_station"].dropna())
    lone_station = (kind == 1) & ~stops["stop_id"].isin(parents).to_numpy()
    served = feed.stop_times.rows_per_stop > 0
    located = stops["lat"].notna().to_numpy()
    return located & ((kind == 0) | lone_station | served)


def service_profile(feed: GtfsFeed, day: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Departures of every shown stop on ``day`` (default: :func:`default_day`).

    Returns the stops' service columns (``id``, ``service_date``, ``departures_day``,
    ``departures_peak_per_h``, ``headway_peak_min``, in transit_stops order) and the
    transit_stop_hours rows (see :func:`stop_hours`).
    """
    if day is None:
        day, _ = default_day(feed)
    shown = shown_stops(feed)
    n = len(feed.stops)
    st = feed.stop_times
    departing = ~st.last & ~np.isnan(st.time_s) & (st.time_s < MAX_HOURS * 3600)
    counted = departing & running_trips(feed, day)[st.trip]
    stop, time_s = st.stop[counted], st.time_s[counted]
    per_day = np.bincount(stop, minlength=n)
    peak = (time_s >= PEAK_S[0]) & (time_s < PEAK_S[1])
    in_peak = np.bincount(stop[peak], minlength=n)
    first = np.full(n, np.inf)
    latest = np.full(n, -np.inf)
    np.minimum.at(first, stop[peak], time_s[peak])
    np.maximum.at(latest, stop[peak], time_s[peak])
    with np.errstate(invalid="ignore", divide="ignore"):
        headway_min = np.where(in_peak >= 2, (latest - first) / (in_peak - 1) / 60.0, np.nan)
    ids = feed.name + ":" + feed.stops["stop_id"].astype(str)
    stops = pd.DataFrame(
        {
            "id": ids,
            "service_date": day.isoformat() if day is not None else None,
            "departures_day": per_day,
            "departures_peak_per_h": in_peak / ((PEAK_S[1] - PEAK_S[0]) / 3600.0),
            "headway_peak_min": headway_min,
        }
    )[shown].reset_index(drop=True)
    stops["departures_day"] = stops["departures_day"].astype("Int64")
    hours = stop_hours(ids, _hour_keys(st.stop[departing], st.time_s[departing]), shown)
    hours["departures"] = pd.array(
        np.bincount(_hour_keys(stop, time_s), minlength=n * MAX_HOURS)[hours.pop("key")],
        dtype="Int64",
    )
    return stops, hours


def stop_hours(ids: pd.Series, any_day_keys: np.ndarray, shown: np.ndarray) -> pd.DataFrame:
    """The rows of transit_stop_hours: every shown stop and hour with a departure on *any* day.

    So the rows of a feed are the same whatever the day (a re-import for another day replaces
    them all); an hour without departure on the chosen day has 0. ``key`` (stop code x 48 +
    hour) is kept to fill the departures.
    """
    present = np.flatnonzero(np.bincount(any_day_keys, minlength=len(ids) * MAX_HOURS))
    stop_code, hour = np.divmod(present, MAX_HOURS)
    keep = shown[stop_code]
    stop_ids = pd.Series(ids.to_numpy()[stop_code[keep]], dtype="str")
    hours = hour[keep]
    return pd.DataFrame(
        {
            "id": stop_ids + "@" + pd.Series(hours).astype(str),
            "stop_id": stop_ids,
            "hour": pd.array(hours, dtype="Int64"),
            "key": present[keep],
        }
    )


def _hour_keys(stop: np.ndarray, time_s: np.ndarray) -> np.ndarray:
    return stop.astype(np.int64) * MAX_HOURS + (time_s // 3600).astype(np.int64)


def trips_per_route(feed: GtfsFeed, day: date | None) -> np.ndarray:
    """Trips with stop times running on ``day`` (each run counted), per route code."""
    has_times = feed.stop_times.rows_per_trip > 0
    route = feed.trips["route"].to_numpy()
    keep = running_trips(feed, day) & has_times & (route >= 0)
    runs = feed.stop_times.runs()[keep]
    return np.bincount(route[keep], weights=runs, minlength=len(feed.routes)).astype(np.int64)


def routes_per_stop(feed: GtfsFeed) -> pd.Series:
    """Short names of the routes serving each stop (any day), comma-separated, per stop code.

    Names are listed once, line numbers in numeric order (2 before 10), then other names.
    """
    st = feed.stop_times
    names = route_names(feed).astype(str)
    ordered = sorted(set(names), key=_natural)
    name_code = np.append(pd.Index(ordered).get_indexer(names), -1)[feed.trips["route"].to_numpy()]
    row_name = name_code[st.trip]
    known = row_name >= 0
    n_names = max(len(ordered), 1)
    key = st.stop[known].astype(np.int64) * n_names + row_name[known]
    if len(feed.stops) * n_names <= 50_000_000:  # a bitmap is cheaper than sorting millions
        seen = np.zeros(len(feed.stops) * n_names, bool)
        seen[key] = True
        pairs = np.flatnonzero(seen)
    else:
        pairs = np.unique(key)
    stop_code, name = np.divmod(pairs, n_names)
    joined = pd.Series(np.array(ordered, dtype=object)[name]).groupby(stop_code).agg(", ".join)
    return joined.reindex(range(len(feed.stops))).astype("str")


def route_names(feed: GtfsFeed) -> pd.Series:
    """Short name, else long name, else route_id, per route code."""
    routes = feed.routes
    return routes["route_short_name"].fillna(routes["route_long_name"]).fillna(routes["route_id"])


def _natural(name: str) -> tuple[int, str]:
    """Line numbers in numeric order (2 before 10), names after them."""
    return (int(name), "") if name.isdigit() else (1 << 30, name)
