"""GTFS times of day, vectorised: ``H:MM:SS`` to seconds after the service day's noon minus 12 h.

GTFS counts times from "noon minus 12 h" of the service day, so a bus leaving at 00:30 the
next morning is ``24:30:00``; hours run past 24 and have one to three digits. Text is parsed
straight from the Arrow buffers with numpy (no Python per row); values with spaces around
them are trimmed, other shapes (``7h30``, ``07:30``) are unreadable and come back as NaN with
a mask saying so. Blank times (stops between timepoints) are filled by
:func:`interpolate_blank_times`.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_COLON = ord(":")
_ZERO = ord("0")


def parse_times(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since the start of the service day (float64, NaN if blank or unreadable).

    Returns the seconds and a mask of the values that were present but unreadable.

    >>> seconds, bad = parse_times(pa.array(["08:05:30", "25:00:00", None, " 7:00:00", "7h"]))
    >>> seconds.tolist(), bad.tolist()
    ([29130.0, 90000.0, nan, 25200.0, nan], [False, False, False, False, True])
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.binary())
    if not pa.types.is_binary(values.type):  # text, large text or large binary
        values = values.cast(pa.binary())
    fixed = _parse_fixed_width(values)
    seconds, ok = fixed if fixed is not None else _parse_by_dictionary(values)
    present = np.asarray(values.is_valid())
    retry = present & ~ok
    if retry.any():  # the rare value with spaces around it: trim those only
        indices = np.flatnonzero(retry)
        trimmed = pc.utf8_trim_whitespace(values.take(pa.array(indices)).cast(pa.string()))
        again, ok_again = _parse_binary(trimmed.cast(pa.binary()))
        seconds[indices] = again
        ok[indices] = ok_again
    bad = present & ~ok
    seconds[~ok] = np.nan
    return seconds, bad


def _parse_fixed_width(values: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """The usual case, every value ``HH:MM:SS``: parse the bytes as an (n, 8) grid; else None."""
    n = len(values)
    buffers = values.buffers()
    if n == 0 or buffers[2] is None:
        return None
    offsets = np.frombuffer(buffers[1], np.int32)[values.offset : values.offset + n + 1]
    if offsets[-1] - offsets[0] != 8 * n or not np.all(np.diff(offsets) == 8):
        return None
    grid = np.frombuffer(buffers[2], np.uint8)[offsets[0] : offsets[-1]].reshape(n, 8)
    digits = grid - np.uint8(_ZERO)  # wraps below '0': then > 9, so not a digit
    ok = (digits[:, 2] == _COLON - _ZERO) & (digits[:, 5] == _COLON - _ZERO)
    for column in (0, 1, 3, 4, 6, 7):
        ok &= digits[:, column] <= 9
    hours = digits[:, 0] * np.uint8(10) + digits[:, 1]
    minutes = digits[:, 3] * np.uint8(10) + digits[:, 4]
    secs = digits[:, 6] * np.uint8(10) + digits[:, 7]
    ok &= (minutes < 60) & (secs < 60)
    seconds = hours * np.float64(3600.0) + minutes * np.float64(60.0) + secs
    return seconds, ok


def _parse_by_dictionary(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Mixed widths (``7:05:00`` beside ``17:05:00``): parse each distinct value once."""
    encoded = pc.dictionary_encode(values)
    seconds, ok = _parse_binary(encoded.dictionary)
    codes = np.asarray(encoded.indices.fill_null(len(seconds)), dtype=np.int64)
    seconds, ok = np.append(seconds, np.nan), np.append(ok, False)
    return seconds[codes], ok[codes]


def _parse_binary(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Parse ``H:MM:SS`` .. ``HHH:MM:SS`` from a binary array's buffers; (seconds, readable)."""
    n = len(values)
    if n == 0:
        return np.zeros(0), np.zeros(0, bool)
    buffers = values.buffers()
    offsets = np.frombuffer(buffers[1], np.int32)[values.offset : values.offset + n + 1]
    data = np.frombuffer(buffers[2], np.uint8) if buffers[2] is not None else np.zeros(1, np.uint8)
    end = offsets[1:].astype(np.int64)
    length = end - offsets[:-1]
    ok = (length >= 7) & (length <= 9)
    end = np.where(ok, end, 9)  # unreadable rows read harmless bytes
    if len(data) < 9:
        data = np.concatenate([data, np.full(9, _ZERO, np.uint8)])

    def char(back: int) -> np.ndarray:
        return data[end - back]

    def digit(back: int) -> np.ndarray:
        return char(back).astype(np.int16) - _ZERO

    ok &= (char(3) == _COLON) & (char(6) == _COLON)
    s0, s1, m0, m1, h0 = digit(1), digit(2), digit(4), digit(5), digit(7)
    h1 = np.where(length >= 8, digit(8), 0)
    h2 = np.where(length >= 9, digit(9), 0)
    for d in (s0, s1, m0, m1, h0, h1, h2):
        ok &= (d >= 0) & (d <= 9)
    ok &= (s1 <= 5) & (m1 <= 5)
    hours = h0 + 10 * h1 + 100 * h2
    seconds = hours * 3600.0 + (m1 * 10 + m0) * 60.0 + (s1 * 10 + s0)
    return seconds, ok


def interpolate_blank_times(
    trip: np.ndarray, seconds: np.ndarray, x_m: np.ndarray, y_m: np.ndarray
) -> tuple[np.ndarray, int]:
    """Fill blank times between two known times of the same trip, in proportion to distance.

    Rows are sorted by trip and stop order. The distance is the straight line between
    consecutive stops (``x_m``, ``y_m``, any metric plane); where it is zero or unknown the
    stop's rank between the two timepoints is used instead. Blanks before the first or after the
    last known time of a trip stay NaN. Returns the filled times and how many were filled.

    >>> t, n = interpolate_blank_times(
    ...     np.array([0, 0, 0, 0]), np.array([0.0, np.nan, np.nan, 300.0]),
    ...     np.array([0.0, 100.0, 200.0, 300.0]), np.zeros(4))
    >>> t.tolist(), n
    ([0.0, 100.0, 200.0, 300.0], 2)
    """
    blank = np.isnan(seconds)
    if not blank.any():
        return seconds, 0
    n = len(seconds)
    rows = np.arange(n)
    before = np.maximum.accumulate(np.where(blank, -1, rows))
    after = np.minimum.accumulate(np.where(blank, n, rows)[::-1])[::-1]
    fill = blank & (before >= 0) & (after < n)
    prev, nxt = np.clip(before, 0, n - 1), np.clip(after, 0, n - 1)
    fill &= (trip[prev] == trip) & (trip[nxt] == trip)
    step = np.hypot(np.diff(x_m, prepend=x_m[:1]), np.diff(y_m, prepend=y_m[:1]))
    step[0] = 0.0
    step[1:][trip[1:] != trip[:-1]] = 0.0
    along = np.cumsum(np.nan_to_num(step, nan=0.0))
    span = along[nxt] - along[prev]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(span > 0, (along - along[prev]) / span, (rows - prev) / (nxt - prev))
    out = seconds.copy()
    out[fill] = seconds[prev[fill]] + share[fill] * (seconds[nxt[fill]] - seconds[prev[fill]])
    return out, int(fill.sum())
