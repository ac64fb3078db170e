"""Lines of GTFS routes: their mode, colour and drawn line.

A route is drawn with the shape (shapes.txt) its trips use most; a route whose trips have no
usable shape is drawn through the stops of its most common stop pattern (the sequence of stops
most of its trips make). Lines are built in lon/lat, then reprojected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from importers.gtfs_feed import GtfsFeed

#: Basic GTFS route types.
BASIC_MODES = {
    0: "tram",
    1: "metro",
    2: "rail",
    3: "bus",
    4: "ferry",
    5: "cable_tram",
    6: "cable",
    7: "funicular",
    11: "trolleybus",
    12: "monorail",
}
#: Extended (Google / HVT) route types, by hundreds: 100 rail ... 1700 miscellaneous.
EXTENDED_MODES = {
    1: "rail",
    2: "coach",
    4: "metro",
    5: "metro",
    6: "metro",
    7: "bus",
    8: "trolleybus",
    9: "tram",
    10: "ferry",
    11: "air",
    12: "ferry",
    13: "cable",
    14: "funicular",
    15: "taxi",
    16: "other",
    17: "other",
}


def route_mode(route_type: object) -> str:
    """The mode of a GTFS route_type, basic (0-12) or extended (100-1799); "other" if unknown.

    >>> route_mode("3"), route_mode(2), route_mode("401"), route_mode("715"), route_mode("x")
    ('bus', 'rail', 'metro', 'bus', 'other')
    """
    try:
        code = int(str(route_type).strip())
    except ValueError:
        return "other"
    if code in BASIC_MODES:
        return BASIC_MODES[code]
    if code == 405:
        return "monorail"
    return EXTENDED_MODES.get(code // 100, "other") if 100 <= code < 1800 else "other"


def route_colour(values: pd.Series) -> pd.Series:
    """``RRGGBB`` (with or without ``#``) as ``#rrggbb``; anything else missing."""
    text = values.astype("str").str.strip().str.lstrip("#").str.lower()
    good = text.str.fullmatch(r"[0-9a-f]{6}").fillna(False).astype(bool)
    return ("#" + text).where(good)


def route_lines(feed: GtfsFeed) -> np.ndarray:
    """One LineString per route code in lon/lat (None for a route with no trip to draw)."""
    lines = np.full(len(feed.routes), None, dtype=object)
    trips = feed.trips[feed.trips["route"].to_numpy() >= 0]
    shapes = shape_lines(feed)
    if len(shapes):
        with_shape = trips[trips["shape_id"].isin(shapes.index)]
        counts = with_shape.groupby(["route", "shape_id"]).size().reset_index(name="trips")
        best = counts.sort_values(["route", "trips"], ascending=[True, False], kind="stable")
        best = best.drop_duplicates("route")
        lines[best["route"].to_numpy()] = shapes.loc[best["shape_id"]].to_numpy()
    todo = np.flatnonzero(pd.isna(lines))
    if len(todo):
        drawn = pattern_lines(feed, todo)
        lines[todo] = drawn
    return lines


def shape_lines(feed: GtfsFeed) -> pd.Series:
    """A LineString per shape_id with at least two usable points (lon/lat)."""
    shapes = feed.shapes
    if shapes is None or not len(shapes):
        return pd.Series(dtype=object)
    lat = pd.to_numeric(shapes["shape_pt_lat"], errors="coerce")
    lon = pd.to_numeric(shapes["shape_pt_lon"], errors="coerce")
    seq = pd.to_numeric(shapes["shape_pt_sequence"], errors="coerce")
    points = pd.DataFrame({"shape": shapes["shape_id"], "seq": seq, "lon": lon, "lat": lat})
    usable = points.notna().all(axis=1) & (lat.abs() <= 90) & (lon.abs() <= 180)
    points = points[usable].sort_values(["shape", "seq"], kind="stable")
    sizes = points.groupby("shape", sort=False).size()
    points = points[points["shape"].map(sizes).to_numpy() >= 2]
    codes, names = pd.factorize(points["shape"], sort=False)
    if not len(names):
        return pd.Series(dtype=object)
    lines = shapely.linestrings(points[["lon", "lat"]].to_numpy(), indices=codes)
    return pd.Series(lines, index=pd.Index(names), dtype=object)


def pattern_lines(feed: GtfsFeed, routes: np.ndarray) -> np.ndarray:
    """For each of ``routes``: the line through the stops of its most common stop pattern."""
    st = feed.stop_times
    out = np.full(len(routes), None, dtype=object)
    if not len(st.trip):
        return out
    starts = np.flatnonzero(np.r_[True, (st.trip[1:] != st.trip[:-1]) | st.last[:-1]])
    trip_of_run = st.trip[starts]
    weights = np.random.default_rng(0).integers(
        1, 2**62, size=int(np.diff(np.r_[starts, len(st.trip)]).max())
    )
    position = np.arange(len(st.trip)) - np.repeat(starts, np.diff(np.r_[starts, len(st.trip)]))
    hashed = (st.stop.astype(np.uint64) + np.uint64(1)) * weights[position].astype(np.uint64)
    pattern = np.add.reduceat(hashed, starts)  # wraps: a hash of the stop sequence
    runs = pd.DataFrame(
        {
            "route": feed.trips["route"].to_numpy()[trip_of_run],
            "pattern": pattern,
            "run": np.arange(len(starts)),
        }
    )
    runs = runs[runs["route"].isin(routes)]
    counts = runs.groupby(["route", "pattern"]).agg(trips=("run", "size"), run=("run", "first"))
    best = counts.reset_index().sort_values(["route", "trips"], ascending=[True, False])
    best = best.drop_duplicates("route")
    lon, lat = feed.stops["lon"].to_numpy(), feed.stops["lat"].to_numpy()
    run_start = starts[best["run"].to_numpy()]
    run_end = np.r_[starts[1:], len(st.trip)][best["run"].to_numpy()]
    lengths = run_end - run_start
    rows = np.repeat(run_start, lengths) + (
        np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    xy = np.column_stack([lon[st.stop[rows]], lat[st.stop[rows]]])
    line_of_row = np.repeat(np.arange(len(best)), lengths)
    usable = ~np.isnan(xy).any(axis=1)
    enough = np.bincount(line_of_row[usable], minlength=len(best)) >= 2
    keep = usable & enough[line_of_row]
    _, codes = np.unique(line_of_row[keep], return_inverse=True)
    lines = shapely.linestrings(xy[keep], indices=codes) if keep.any() else np.array([])
    position_of = pd.Index(routes).get_indexer(best["route"].to_numpy()[enough])
    out[position_of] = lines
    return out
