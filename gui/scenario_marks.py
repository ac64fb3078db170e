"""Which rows a scenario adds, changes or removes against the baseline, and the colours that
mark them in the 3D view (no Qt).

A row is *new* when its id is not in the baseline, *changed* when any of its values or its
geometry differs (NaN equal to NaN), *removed* when its id is only in the baseline. Frames are
compared whole and vectorised (one comparison per column); a scenario that left a layer alone
shares the baseline's very frame, which costs nothing.

In the view, marked objects keep a little of their colour (use, or the column coloured by)
under a strong tint: green for new, strong blue for changed — no use colour is near either, and
both stay apart from the cyan of the selection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gui.scene import hex_to_rgb

NEW_COLOUR = "#12b04a"  # vivid green
CHANGED_COLOUR = "#1c5cff"  # strong blue (office is a pale grey-blue)
MARK_STRENGTH = 0.75  # share of the mark colour; the rest is the object's own colour


@dataclass(frozen=True)
class Marks:
    """The ids of a scenario's layer that are new, changed or removed against the baseline."""

    new: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    @property
    def any(self) -> bool:
        """Whether anything differs."""
        return bool(self.new or self.changed or self.removed)


def compare_rows(baseline: pd.DataFrame | None, scenario: pd.DataFrame | None) -> Marks:
    """What differs between two versions of a layer, row by row, matched by ``id`` (the
    first row of an id that appears twice).

    Example:
        >>> before = pd.DataFrame({"id": ["a", "b", "c"], "floors": [1, 2, None]})
        >>> after = pd.DataFrame({"id": ["a", "c", "d"], "floors": [1, 5, 3]})
        >>> marks = compare_rows(before, after)
        >>> sorted(marks.new), sorted(marks.changed), sorted(marks.removed)
        (['d'], ['c'], ['b'])
    """
    if baseline is scenario:
        return Marks()
    before_ids, before_rows = _first_rows(baseline)
    after_ids, after_rows = _first_rows(scenario)
    in_before = pd.Index(before_ids).get_indexer(after_ids)
    in_after = pd.Index(after_ids).get_indexer(before_ids)
    common = in_before >= 0
    changed = np.empty(0, dtype=str)
    if common.any() and baseline is not None and scenario is not None:
        old_rows, new_rows = before_rows[in_before[common]], after_rows[common]
        differs = np.zeros(int(common.sum()), dtype=bool)
        for column in dict.fromkeys([*baseline.columns, *scenario.columns]):
            if column != "id":
                differs |= _differs(baseline, scenario, column, old_rows, new_rows)
        changed = after_ids[common][differs]
    return Marks(
        frozenset(after_ids[~common].tolist()),
        frozenset(changed.tolist()),
        frozenset(before_ids[in_after < 0].tolist()),
    )


def marked_colours(rgb: np.ndarray, object_ids: np.ndarray, marks: Marks) -> np.ndarray:
    """``rgb`` ((n, 3) uint8, one row per object id) with new and changed objects tinted.

    Example:
        >>> rgb = np.full((3, 3), 200, dtype=np.uint8)
        >>> out = marked_colours(rgb, np.array(["a", "b", "c"]), Marks(frozenset({"b"})))
        >>> out[0].tolist() == [200, 200, 200], out[1].tolist() == out[2].tolist()
        (True, False)
    """
    out = np.asarray(rgb, dtype=np.float64).copy()
    ids = np.asarray(object_ids).astype(str)
    for wanted, colour in ((marks.changed, CHANGED_COLOUR), (marks.new, NEW_COLOUR)):
        if not wanted:
            continue
        rows = np.isin(ids, np.array(sorted(wanted), dtype=str))
        tint = np.asarray(hex_to_rgb(colour), dtype=np.float64)
        out[rows] = (1 - MARK_STRENGTH) * out[rows] + MARK_STRENGTH * tint
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _first_rows(frame: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """The ids of a frame, each once, and the position of its first row."""
    if frame is None or "id" not in frame:
        return np.empty(0, dtype=str), np.empty(0, dtype=np.int64)
    ids = frame["id"].astype(str).to_numpy()
    first = ~pd.Series(ids).duplicated().to_numpy()
    return ids[first].astype(str), np.flatnonzero(first)


def _differs(
    old: pd.DataFrame, now: pd.DataFrame, column: str, old_rows: np.ndarray, new_rows: np.ndarray
) -> np.ndarray:
    """Per matched row, whether ``column`` differs (a column missing on one side is all
    missing there)."""
    if column not in old or column not in now:
        present = now if column not in old else old
        rows = new_rows if column not in old else old_rows
        return ~np.asarray(pd.isna(present[column].to_numpy(dtype=object)[rows]), dtype=bool)
    left, right = old[column], now[column]
    if isinstance(left.dtype, gpd.array.GeometryDtype) or isinstance(
        right.dtype, gpd.array.GeometryDtype
    ):
        return ~_same_geometry(
            np.asarray(left.to_numpy(dtype=object))[old_rows],
            np.asarray(right.to_numpy(dtype=object))[new_rows],
        )
    kinds = (pd.api.types.is_numeric_dtype, pd.api.types.is_datetime64_any_dtype)
    for is_kind in kinds:
        if is_kind(left.dtype) and is_kind(right.dtype):
            a, b = _as_numbers(left)[old_rows], _as_numbers(right)[new_rows]
            return (a != b) & ~(np.isnan(a) & np.isnan(b))
    return ~_same_objects(
        left.to_numpy(dtype=object)[old_rows], right.to_numpy(dtype=object)[new_rows]
    )


def _as_numbers(column: pd.Series) -> np.ndarray:
    """Numbers, booleans and dates as float64 (NaN where missing)."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        values = column.to_numpy(dtype="datetime64[ns]")
        out = values.view("int64").astype(np.float64)
        out[np.isnat(values)] = np.nan
        return out
    return np.asarray(column.to_numpy(dtype="float64", na_value=np.nan), dtype=np.float64)


def _same_objects(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Element-wise equality of text and other values, missing equal to missing."""
    left, right = _none_where_missing(left), _none_where_missing(right)
    try:
        return np.asarray(left == right, dtype=bool)
    except (TypeError, ValueError):  # arrays inside: compare one by one
        return np.fromiter((_equal(a, b) for a, b in zip(left, right, strict=True)), bool)


def _same_geometry(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Equal geometries: the same object (copy-on-write frames share them), else the same
    WKB."""
    same = np.fromiter(map(id, left), np.int64, len(left)) == np.fromiter(
        map(id, right), np.int64, len(right)
    )
    other = np.flatnonzero(~same)
    if len(other):
        a, b = _none_where_missing(left[other]), _none_where_missing(right[other])
        same[other] = shapely.to_wkb(a) == shapely.to_wkb(b)
    return same


def _none_where_missing(values: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=object).copy()
    out[np.asarray(pd.isna(out), dtype=bool)] = None
    return out


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(np.array_equal(a, b)) if isinstance(a, np.ndarray) else bool(a == b)
    except (TypeError, ValueError):
        return False
