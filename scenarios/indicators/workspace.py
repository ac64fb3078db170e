"""Evaluating plans over a City: measures computed once, sums kept up to date by deltas.

A :class:`Workspace` is a :class:`~scenarios.indicators.measure_cache.MeasureCache` (measures
recomputed only where an edit reaches) that also keeps the
:class:`~scenarios.indicators.level_maps.LevelMap` of each base layer and the per-level sums.
When a measure changes on some rows, its kept sums are moved by those rows' differences
(``numpy.add.at`` on their ancestors' positions) instead of summed again. When rows of a base
layer are added or removed (a building drawn or demolished), its level map keeps the kept
rows' positions (:meth:`~scenarios.indicators.level_maps.LevelMap.moved`) and the sums lose
the removed rows' values and gain the added ones'; maps of layers below it are dropped. A
change of parent links, or a layer replaced whole, drops the maps, and the next evaluation sums
from scratch. Sums moved by deltas equal fresh sums up to float rounding (1e-9 relative).
Ratios are kept and redone only where an operand moved, maxima raised in place
(:mod:`scenarios.indicators.sum_moves`): after one edit of a 100 000-building town, a few
values change per level, not every parcel's.

Used alone (no events), a Workspace notices replaced frames and recomputes those layers'
measures: :func:`scenarios.indicators.plans.plan_indicator` functions make a fresh one per call.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scenarios.assumptions import Assumptions
from scenarios.indicators.level_maps import LevelMap, level_index
from scenarios.indicators.measure_cache import MeasureCache, as_numbers
from scenarios.indicators.measure_context import MeasureContext
from scenarios.indicators.plans import (
    Difference,
    LevelArea,
    Max,
    MeasureGroup,
    Plan,
    Ratio,
    Sum,
    Value,
    group_of,
)
from scenarios.indicators.row_move import RowMove
from scenarios.indicators.sum_moves import KeptMaxima, KeptRatios, SumMoves
from twin.errors import InvalidInputError
from twin.hierarchy import HierarchyIndex
from twin.levels import LEVEL_LAYERS, Level, level_of_layer

if TYPE_CHECKING:
    from twin.city import City

logger = logging.getLogger(__name__)

__all__ = ["MeasureContext", "Workspace"]

# Values over the level's rows + (unassigned); whether it has one; whether the array is new
# (else kept by the workspace, moved in place later: a Series must copy it).
_Evaluated = tuple[np.ndarray, bool, bool]


class Workspace(MeasureCache):
    """Measures, level maps and sums of one City, for evaluating plans.

    Args:
        city: the City evaluated.
        assumptions: the ratios in force (default: the shipped defaults).
        baseline: the City a scenario is compared with (land indicators); None: the City is its
            own baseline (those indicators are then 0).
    """

    def __init__(
        self,
        city: City,
        *,
        assumptions: Assumptions | None = None,
        baseline: City | None = None,
    ) -> None:
        super().__init__(city, assumptions=assumptions, baseline=baseline)
        self._maps: dict[str, LevelMap] = {}
        self._old_maps: dict[str, LevelMap] = {}  # the map each row change replaced
        self._rows_to_move: set[str] = set()  # layers whose map must follow added/removed rows
        self._hierarchy: object = None
        self._sums: dict[tuple[str, Level, Level | None], tuple[LevelMap, np.ndarray]] = {}
        self._maxes = KeptMaxima()  # raised in place, computed again if one may have gone down
        self._indexes: dict[tuple[Level, bool], pd.Index] = {}
        self._areas: dict[Level, np.ndarray] = {}
        self._moves = SumMoves()  # where kept sums moved, for the ratios of them
        self._ratios = KeptRatios(self._moves)

    @property
    def baseline(self) -> Workspace:
        """The baseline's workspace (this one when the City is its own baseline)."""
        return super().baseline  # type: ignore[return-value]

    # -- changes --------------------------------------------------------------------------
    def _measure_changed(
        self,
        measure: str,
        layer: str,
        rows: np.ndarray | None,
        before: np.ndarray | None,
        after: np.ndarray,
    ) -> None:
        """Move the kept sums and maxima of ``measure`` by the changed rows' values."""
        self._maxes.changed(measure, self._maps.get(layer), rows, before, after)
        if rows is not None:  # updated in place: its own rows are its sums at its level
            self._moves.note(("values", measure), rows)
        keys = [key for key in self._sums if key[0] == measure]
        if not keys:
            return
        level_map = self._maps.get(layer)
        if before is None or level_map is None:
            for key in keys:
                del self._sums[key]
            return
        delta = as_numbers(after) - as_numbers(before)
        moved = np.flatnonzero(delta)
        changed = moved if rows is None else rows[moved]
        for key in keys:
            kept_map, sums = self._sums[key]
            if kept_map is not level_map:
                del self._sums[key]
            elif len(changed):
                positions = level_map.positions(key[1], key[2])[changed]
                np.add.at(sums, positions, delta[moved])
                self._moves.note(key, positions)

    def _rows_moved(
        self,
        measure: str,
        layer: str,
        move: RowMove,
        before: np.ndarray,
        after: np.ndarray,
        rows: np.ndarray,
    ) -> None:
        """Move the kept sums and maxima of ``measure`` after rows of ``layer`` were added or
        removed: the removed rows' values out (at their old positions), the computed rows' in."""
        keys = [key for key in self._sums if key[0] == measure]
        if not keys and not self._maxes.has(measure):
            return
        new_map = self._level_map(layer)
        old_map = self._old_maps.get(layer)
        removed = move.removed
        self._maxes.rows_moved(measure, old_map, new_map, move, before, after, rows)
        prior = np.zeros(len(rows))
        was = move.source[rows] >= 0
        prior[was] = as_numbers(before[move.source[rows][was]])
        delta = as_numbers(after[rows]) - prior
        for key in keys:
            kept_map, sums = self._sums.pop(key)
            if old_map is None or kept_map is not old_map or key[1] == new_map.base:
                continue  # summed again when asked
            if len(removed):
                positions = old_map.positions(key[1], key[2])[removed]
                np.subtract.at(sums, positions, as_numbers(before[removed]))
                self._moves.note(key, positions)
            if len(rows):
                positions = new_map.positions(key[1], key[2])[rows]
                np.add.at(sums, positions, delta)
                self._moves.note(key, positions)
            self._sums[key] = (new_map, sums)

    def invalidate(
        self, layer: str, ids: tuple[str, ...], columns: tuple[str, ...], *, baseline: bool = False
    ) -> set[str]:
        """Take note of a change (``City.changed``); return the measure groups made stale."""
        stale = super().invalidate(layer, ids, columns, baseline=baseline)
        level = level_of_layer(layer)
        if not baseline and level is not None:
            if ids and not columns and self.tracks_events:  # rows added or removed
                self._rows_to_move.add(layer)
                for name, level_map in list(self._maps.items()):
                    if level_map.base > level:  # below: their positions at this level moved
                        del self._maps[name]
                self._indexes = {k: v for k, v in self._indexes.items() if k[0] != level}
            elif not columns or "id" in columns or "parent_id" in columns:
                self._drop_maps()
            if not columns or "geometry" in columns:
                self._areas.pop(level, None)
        return stale

    def _drop_maps(self) -> None:
        self._maps.clear()
        self._old_maps.clear()
        self._rows_to_move.clear()
        self._indexes.clear()
        self._sums.clear()
        self._maxes.clear()
        self._ratios.clear()
        self._hierarchy = None

    def _level_map(self, layer: str) -> LevelMap:
        hierarchy = self.city.hierarchy
        if hierarchy is not self._hierarchy:
            if not self.tracks_events:  # rebuilt by the City: positions moved
                self._drop_maps()
            self._hierarchy = hierarchy  # else the events said which maps still hold
        if layer in self._rows_to_move:
            self._move_map(layer, hierarchy)
        if layer not in self._maps:
            base = level_of_layer(layer)
            if base is None:
                raise InvalidInputError(f"layer '{layer}' is not in the hierarchy.")
            frame = self.frame(layer)
            ids = (
                frame["id"].astype(str).to_numpy(dtype=object)
                if "id" in frame.columns
                else np.empty(0, dtype=object)
            )
            self._maps[layer] = LevelMap(hierarchy, ids, base, frame)
        return self._maps[layer]

    def _move_map(self, layer: str, hierarchy: HierarchyIndex) -> None:
        """Make the map of ``layer`` follow the rows added or removed since it was made."""
        self._rows_to_move.discard(layer)
        old = self._maps.pop(layer, None)
        if old is None:
            return
        frame = self.frame(layer)
        source = self.city.row_source(layer, old.frame)
        moved = None if source is None else self._row_move(source, len(old.codes))
        new = None if moved is None else old.moved(hierarchy, moved, frame)
        if new is not None:
            self._maps[layer] = new
            self._old_maps[layer] = old

    # -- evaluation -----------------------------------------------------------------------
    def evaluate(self, plan: Plan, level: Level) -> pd.Series:
        """The plan's values at ``level``, indexed by the level's ids (and ``(unassigned)``
        when some rows have no ancestor there)."""
        values, unassigned, new = self._evaluate(plan, level)
        key = (level, unassigned)
        if key not in self._indexes:
            self._indexes[key] = level_index(self.city.hierarchy, level, unassigned)
        index = self._indexes[key]
        shown = values if unassigned else values[: len(index)]
        return pd.Series(shown, index=index, copy=not new)

    def _evaluate(self, plan: Plan, level: Level) -> _Evaluated:
        if isinstance(plan, Sum):
            return self._sum(plan, level)
        if isinstance(plan, Max):
            return self._max(plan, level)
        if isinstance(plan, Value):
            return self._value(plan, level)
        if isinstance(plan, LevelArea):
            return np.append(self._level_areas(level), np.nan), False, True
        if isinstance(plan, Ratio):  # redone only where its kept operands moved
            top, a, _ = self._evaluate(plan.numerator, level)
            bottom, b, _ = self._evaluate(plan.denominator, level)
            operands = (self._kept(plan.numerator, level), self._kept(plan.denominator, level))
            ratio = self._ratios.ratio((plan, level), top, bottom, plan.scale, operands)
            return ratio, a or b, False  # kept for the next edit: a Series must copy it
        if isinstance(plan, Difference):
            (first, a, _), (second, b, _) = (
                self._evaluate(plan.first, level),
                self._evaluate(plan.second, level),
            )
            return first - second, a or b, True
        raise TypeError(f"not a plan: {plan!r}")

    def _kept(self, plan: Plan, level: Level) -> tuple[object, np.ndarray] | None:
        """The kept array a plan's values at ``level`` are a view of, and its key."""
        if isinstance(plan, Sum):
            key = (plan.measure, level, plan.via)
            kept = self._sums.get(key)
            if kept is not None:
                return key, kept[1]
            level_map = self._maps.get(group_of(plan.measure).layer)
            ready = self._ready.get(plan.measure)
            if plan.via is None and level_map and level_map.identity(level) and ready is not None:
                return ("values", plan.measure), ready  # the values themselves, as ``_sum``
            return None
        if isinstance(plan, LevelArea) and level in self._areas:
            return ("area", level), self._areas[level]
        return None

    def _base(self, measure: str, level: Level) -> tuple[MeasureGroup, LevelMap]:
        group = group_of(measure)
        base = level_of_layer(group.layer)
        if base is None or level > base:
            raise InvalidInputError(
                f"measure '{measure}' is given per {group.layer}; it cannot be shown per "
                f"{level.name.lower()}."
            )
        return group, self._level_map(group.layer)

    def _sum(self, plan: Sum, level: Level) -> _Evaluated:
        _, level_map = self._base(plan.measure, level)
        values = self.ready(plan.measure)
        if level_map.identity(level) and plan.via is None:  # the values themselves
            return np.append(values, 0.0), False, True
        key = (plan.measure, level, plan.via)
        kept = self._sums.get(key)
        if kept is None or kept[0] is not level_map:
            positions = level_map.positions(level, plan.via)
            sums = np.bincount(positions, weights=values, minlength=level_map.size(level) + 2)
            self._sums[key] = (level_map, sums)
        sums = self._sums[key][1]
        return sums[:-1], level_map.has_unassigned(level, plan.via), False

    def _max(self, plan: Max, level: Level) -> _Evaluated:
        _, level_map = self._base(plan.measure, level)
        values = self.measure(plan.measure)
        key = (plan.measure, level)
        out = self._maxes.get(key, level_map)
        if out is None:
            out = np.full(level_map.size(level) + 1, np.nan)
            np.fmax.at(out, level_map.positions(level), values)
            self._maxes.put(key, level_map, out)
        return out, level_map.has_unassigned(level), False

    def _value(self, plan: Value, level: Level) -> _Evaluated:
        group = group_of(plan.measure)
        if level_of_layer(group.layer) != level:
            raise InvalidInputError(
                f"measure '{plan.measure}' is given per {group.layer}, not per "
                f"{level.name.lower()}; sum it instead."
            )
        self._level_map(group.layer)  # keeps the hierarchy the values are indexed by current
        return np.append(self.measure(plan.measure), np.nan), False, True

    def _level_areas(self, level: Level) -> np.ndarray:
        if level not in self._areas:
            name = LEVEL_LAYERS[level]
            frame = self.frame(name)
            if name in self.city and isinstance(frame, gpd.GeoDataFrame) and len(frame):
                self._areas[level] = shapely.area(frame.geometry.to_numpy()).astype("float64")
            else:
                self._areas[level] = np.empty(0)
        return self._areas[level]
