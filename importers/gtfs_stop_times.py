"""stop_times.txt, the big file, read into numpy arrays without a Python loop over its rows.

Columns are read as bytes; trip and stop ids are dictionary-encoded by Arrow and only the
distinct ids are decoded and matched against trips.txt and stops.txt. The time used is the
departure time, else the arrival time; blank times between timepoints are interpolated along
the straight lines between stops (:func:`importers.gtfs_times.interpolate_blank_times`).
Rows are put in trip and ``stop_sequence`` order unless they already are (the usual case).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from importers.gtfs_files import FeedFiles, header
from importers.gtfs_issues import report_per_trip, report_trips_without_times, report_unknown
from importers.gtfs_tables import RaggedRowsError, read_batches, read_leniently
from importers.gtfs_times import interpolate_blank_times, parse_times
from twin.errors import InvalidInputError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue

COLUMNS = ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence")
_EARTH_M_PER_DEG = 111_195.0


@dataclass
class StopTimes:
    """The usable rows of stop_times.txt, sorted by trip and stop sequence.

    Attributes:
        trip: code of the row's trip (its position in the feed's trips table).
        stop: code of the row's stop (its position in the feed's stops table).
        time_s: departure time in seconds of the service day (arrival time where the departure
            is blank, interpolated between timepoints); NaN when it cannot be known.
        last: the row is its trip's last stop (an arrival, not a departure).
        rows_per_trip, rows_per_stop: how many rows each trip and each stop has.
        interpolated: how many times were interpolated.
        runs_per_trip: how many times each trip runs on its days (frequencies.txt); None
            for once each.
    """

    trip: np.ndarray
    stop: np.ndarray
    time_s: np.ndarray
    last: np.ndarray
    rows_per_trip: np.ndarray
    rows_per_stop: np.ndarray
    interpolated: int = 0
    runs_per_trip: np.ndarray | None = None

    def runs(self) -> np.ndarray:
        """How many times each trip runs on a day it runs (1 but for frequency-based trips)."""
        if self.runs_per_trip is None:
            return np.ones(len(self.rows_per_trip), np.int64)
        return self.runs_per_trip


def read_stop_times(
    files: FeedFiles,
    stops: pd.DataFrame,
    trip_ids: pd.Series,
    issues: list[Issue],
    feedback: Feedback | None = None,
) -> StopTimes:
    """Read and check stop_times.txt against the stops and trips tables.

    ``feedback`` is checked for a cancel between blocks.

    Raises:
        InvalidInputError: the file lacks trip_id, stop_id or both time columns.
    """
    label = files.label
    names = {column.strip() for column in header(files, "stop_times.txt")}
    if not {"trip_id", "stop_id"} <= names or not names & set(COLUMNS[1:3]):
        raise InvalidInputError(
            f"{label}: stop_times.txt lacks trip_id, stop_id or its time columns (found "
            f"{', '.join(sorted(names)) or 'none'}); export the whole feed again.",
            code="gtfs_stop_times_columns",
            values={"file": label, "found": sorted(names)},
        )
    blocks = Blocks.read(files, ensure_feedback(feedback))
    _require_times(blocks, label)
    trip_raw, trip_names = blocks.trip, blocks.trip_names
    stop_raw, stop_names = blocks.stop, blocks.stop_names
    time_s, unreadable = blocks.time_s, blocks.unreadable
    order = trip_order(trip_raw, blocks.sequence)
    if order is not None:
        trip_raw, stop_raw, time_s, unreadable = (
            a[order] for a in (trip_raw, stop_raw, time_s, unreadable)
        )
    last = np.ones(len(trip_raw), bool)
    last[:-1] = trip_raw[1:] != trip_raw[:-1]
    trip = _lookup(trip_raw, pd.Index(trip_ids).get_indexer(trip_names))
    stop = _lookup(stop_raw, pd.Index(stops["stop_id"]).get_indexer(stop_names))
    report_unknown(trip_raw, trip < 0, trip_names, "unknown_trip", "trip", label, issues)
    report_unknown(stop_raw, stop < 0, stop_names, "unknown_stop", "stop", label, issues)
    report_per_trip(
        trip_raw[unreadable],
        trip_names,
        "unparseable_time",
        "time(s) not in HH:MM:SS; estimated from the stops around them",
        label,
        issues,
    )
    interpolated = 0
    if np.isnan(time_s).any():
        time_s, interpolated = _interpolate(trip_raw, stop, time_s, stops)
    keep = (trip >= 0) & (stop >= 0)
    report_per_trip(
        trip_raw[keep & np.isnan(time_s)],
        trip_names,
        "times_missing",
        "stop(s) without a time before the trip's first or after its last time; not counted",
        label,
        issues,
    )
    trip, stop = trip[keep], stop[keep]
    rows_per_trip = np.bincount(trip, minlength=len(trip_ids))
    report_trips_without_times(rows_per_trip, trip_ids, label, issues)
    rows_per_stop = np.bincount(stop, minlength=len(stops))
    return StopTimes(
        trip, stop, time_s[keep], last[keep], rows_per_trip, rows_per_stop, interpolated
    )


@dataclass
class Blocks:
    """stop_times.txt parsed block by block while Arrow reads the next one (two cores at work).

    Attributes:
        trip, stop: codes in order of first appearance (-1 blank) into ``trip_names`` and
            ``stop_names``, the distinct ids as trimmed text.
        sequence: stop_sequence (row number where blank or unreadable).
        time_s, unreadable: departure (else arrival) time and the unreadable values.
    """

    trip: np.ndarray
    trip_names: pd.Index
    stop: np.ndarray
    stop_names: pd.Index
    sequence: np.ndarray
    time_s: np.ndarray
    unreadable: np.ndarray

    @classmethod
    def read(cls, files: FeedFiles, feedback: Feedback) -> Blocks:
        """Read every block of stop_times.txt (all at once, slowly, if its lines are ragged)."""
        try:
            return cls.parse(read_batches(files, "stop_times.txt", COLUMNS), feedback)
        except RaggedRowsError:
            table = read_leniently(files, "stop_times.txt", COLUMNS, pa.binary())
            return cls.parse(iter(table.to_batches()), feedback)

    @classmethod
    def parse(cls, batches: Iterator[pa.RecordBatch], feedback: Feedback) -> Blocks:
        """Codes, sequences and times of every batch."""
        trips: list[pa.DictionaryArray] = []
        stops: list[pa.DictionaryArray] = []
        sequences: list[np.ndarray] = []
        times: list[np.ndarray] = []
        unreadable: list[np.ndarray] = []
        rows = 0
        for batch in batches:
            feedback.raise_if_cancelled()
            trips.append(pc.dictionary_encode(batch.column("trip_id")))
            stops.append(pc.dictionary_encode(batch.column("stop_id")))
            sequences.append(_sequence(batch, rows))
            time_s, bad = _times(batch)
            times.append(time_s)
            unreadable.append(bad)
            rows += batch.num_rows
        trip, trip_names = _unify(trips)
        stop, stop_names = _unify(stops)
        return cls(
            trip,
            trip_names,
            stop,
            stop_names,
            _concat(sequences, np.float64),
            _concat(times, np.float64),
            _concat(unreadable, np.bool_),
        )


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


def _unify(encoded: list[pa.DictionaryArray]) -> tuple[np.ndarray, pd.Index]:
    """Codes of every block into one set of distinct values, in order of first appearance."""
    if not encoded:
        return np.zeros(0, np.int32), pd.Index([], dtype=object)
    merged = pc.dictionary_encode(pa.concat_arrays([a.dictionary for a in encoded]))
    remap = np.append(np.asarray(merged.indices, dtype=np.int32), -1)  # -1: blank id
    offset, codes = 0, []
    for block in encoded:
        if block.indices.null_count:
            local = np.asarray(block.indices.fill_null(-1), dtype=np.int64)
            codes.append(remap[np.where(local < 0, len(remap) - 1, local + offset)])
        else:  # the usual case: no blank id, the indices are read in place
            codes.append(remap[offset:][np.asarray(block.indices)])
        offset += len(block.dictionary)
    return np.concatenate(codes), decode_dictionary(merged.dictionary)


def _interpolate(
    trip_raw: np.ndarray, stop: np.ndarray, time_s: np.ndarray, stops: pd.DataFrame
) -> tuple[np.ndarray, int]:
    """Fill blank times along the straight lines between the trips' stops."""
    lat, lon = stops["lat"].to_numpy(float), stops["lon"].to_numpy(float)
    safe = np.clip(stop, 0, None)
    row_lat = np.where(stop >= 0, lat[safe], np.nan)
    y_m = row_lat * _EARTH_M_PER_DEG
    x_m = np.where(stop >= 0, lon[safe], np.nan) * _EARTH_M_PER_DEG * np.cos(np.radians(row_lat))
    return interpolate_blank_times(trip_raw, time_s, x_m, y_m)


def decode_dictionary(dictionary: pa.Array) -> pd.Index:
    """Binary dictionary values as trimmed text (Windows-1252 where not UTF-8)."""
    try:
        text = pc.utf8_trim_whitespace(dictionary.cast(pa.string()))
        return pd.Index(text.to_pylist(), dtype=object)
    except pa.ArrowInvalid:
        values = [v.decode("cp1252", "replace").strip() for v in dictionary.to_pylist()]
        return pd.Index(values, dtype=object)


def trip_order(trip_raw: np.ndarray, sequence: np.ndarray) -> np.ndarray | None:
    """The row order by trip (in order of first appearance) then sequence; None if already so."""
    same = trip_raw[1:] == trip_raw[:-1]
    grouped = bool(np.all(trip_raw[1:] >= trip_raw[:-1]))
    if grouped and bool(np.all(~same | (sequence[1:] > sequence[:-1]))):
        return None
    return np.lexsort((sequence, trip_raw))


def _sequence(batch: pa.RecordBatch, first_row: int) -> np.ndarray:
    """stop_sequence as float64 (row number where missing or unreadable)."""
    rows = np.arange(first_row, first_row + batch.num_rows, dtype=np.float64)
    if "stop_sequence" not in batch.schema.names:
        return rows
    column = batch.column("stop_sequence")
    try:
        values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # spaces or text: read the few distinct values one by one
        encoded = pc.dictionary_encode(column)
        names = decode_dictionary(encoded.dictionary).to_series()
        numbers = pd.to_numeric(names, errors="coerce").to_numpy(float)
        codes = np.asarray(encoded.indices.fill_null(-1), dtype=np.int64)
        values = np.append(numbers, np.nan)[codes]
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isnan(values), rows, values)


def _times(batch: pa.RecordBatch) -> tuple[np.ndarray, np.ndarray]:
    """Departure time, else arrival time (seconds, NaN if none) and unreadable values."""
    names = batch.schema.names
    first, second = (
        ("departure_time", "arrival_time") if "departure_time" in names else ("arrival_time", "")
    )
    time_s, unreadable = parse_times(batch.column(first))
    if second in names and np.isnan(time_s).any():
        rows = np.flatnonzero(np.isnan(time_s))
        other, other_bad = parse_times(batch.column(second).take(pa.array(rows)))
        time_s[rows] = other
        unreadable[rows] |= other_bad
    return time_s, unreadable


def _lookup(raw: np.ndarray, codes: np.ndarray) -> np.ndarray:
    return np.append(codes, -1).astype(np.int32)[raw]  # raw -1 (blank) → the appended -1


def _require_times(blocks: Blocks, label: str) -> None:
    """Refuse a stop_times.txt without rows, or none of whose times can be read.

    Raises:
        InvalidInputError: naming the file and the expected time format.
    """
    if not len(blocks.time_s):
        raise InvalidInputError(
            f"{label}: stop_times.txt lists no stop time, so no service can be counted; "
            "export the whole feed again.",
            code="gtfs_no_stop_times",
            values={"file": label},
        )
    if not np.isfinite(blocks.time_s).any():
        raise InvalidInputError(
            f"{label}: none of the {len(blocks.time_s):,} times of stop_times.txt can be read "
            "(GTFS times are HH:MM:SS, e.g. 07:05:00 or 25:10:00); fix stop_times.txt or "
            "export the feed again.",
            code="gtfs_times_unreadable",
            values={"file": label, "count": len(blocks.time_s)},
        )
