"""frequencies.txt: trips that run every N seconds between two times, expanded into runs.

A trip listed in frequencies.txt gives only the pattern of its stop times (the offsets from its
first stop); it runs at ``start_time``, ``start_time + headway_secs`` ... while before
``end_time``, for each of its frequency rows. Its template times are replaced by those runs.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa

from importers.gtfs_stop_times import StopTimes
from importers.gtfs_times import parse_times
from twin.issues import Issue, Severity

#: More runs than this in one feed is taken for a broken headway (seconds instead of minutes).
MAX_RUNS = 50_000_000


def expand_frequencies(
    stop_times: StopTimes,
    frequencies: pd.DataFrame,
    trip_ids: pd.Series,
    label: str,
    issues: list[Issue],
) -> StopTimes:
    """Replace the template rows of frequency-based trips by one block of rows per run.

    >>> st = StopTimes(np.array([0, 0]), np.array([0, 1]), np.array([100.0, 400.0]),
    ...                np.array([False, True]), np.array([2]), np.array([1, 1]))
    >>> freq = pd.DataFrame({"trip_id": ["T"], "start_time": ["06:00:00"],
    ...                      "end_time": ["07:00:00"], "headway_secs": ["1200"]})
    >>> out = expand_frequencies(st, freq, pd.Series(["T"]), "f.zip", [])
    >>> out.time_s.tolist(), out.runs_per_trip.tolist()
    ([21600.0, 21900.0, 22800.0, 23100.0, 24000.0, 24300.0], [3])
    """
    trip = pd.Index(trip_ids).get_indexer(frequencies["trip_id"])
    start, _ = parse_times(pa.array(frequencies["start_time"].tolist(), pa.string()))
    end, _ = parse_times(pa.array(frequencies["end_time"].tolist(), pa.string()))
    headway = pd.to_numeric(frequencies["headway_secs"], errors="coerce").to_numpy(float)
    rows = stop_times.rows_per_trip
    usable = (trip >= 0) & ~np.isnan(start) & ~np.isnan(end) & (headway > 0) & (end > start)
    usable[usable] &= rows[trip[usable]] > 0
    for position in np.flatnonzero(~usable):
        issues.append(
            Issue(
                Severity.WARNING,
                "bad_frequency",
                "frequencies.txt row with an unknown trip, a trip without stop times, or "
                "unreadable times or headway; left out",
                label,
                str(frequencies["trip_id"].iloc[position]),
            )
        )
    trip, start, end, headway = trip[usable], start[usable], end[usable], headway[usable]
    runs = np.ceil((end - start) / headway).astype(np.int64)
    count = rows[trip]
    if not len(trip) or int((runs * count).sum()) > MAX_RUNS:
        return stop_times
    first_row = np.full(len(rows), -1, np.int64)
    first_row[stop_times.trip[::-1]] = np.arange(len(stop_times.trip))[::-1]
    # one entry per run: its trip and departure from the first stop
    run_trip = np.repeat(trip, runs)
    run_start = np.repeat(start, runs) + _ranks(runs) * np.repeat(headway, runs)
    # one entry per row of each run
    run_rows = rows[run_trip]
    source = np.repeat(first_row[run_trip], run_rows) + _ranks(run_rows)
    offset = stop_times.time_s[source] - np.repeat(stop_times.time_s[first_row[run_trip]], run_rows)
    template = np.isin(stop_times.trip, trip)
    runs_per_trip = np.ones(len(rows), np.int64)
    runs_per_trip[trip] = 0
    np.add.at(runs_per_trip, trip, runs)
    return replace(
        stop_times,
        trip=np.concatenate([stop_times.trip[~template], stop_times.trip[source]]),
        stop=np.concatenate([stop_times.stop[~template], stop_times.stop[source]]),
        time_s=np.concatenate(
            [stop_times.time_s[~template], np.repeat(run_start, run_rows) + offset]
        ),
        last=np.concatenate([stop_times.last[~template], stop_times.last[source]]),
        runs_per_trip=runs_per_trip,
    )


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ... size-1 for each of ``sizes``, concatenated."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
