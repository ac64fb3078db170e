"""Measures of one City, computed once and recomputed only where an edit reaches.

:class:`MeasureCache` keeps, per measure group, one array per output aligned with the rows of
the group's layer. :meth:`MeasureCache.invalidate` takes the City's ``changed(layer, ids,
columns)`` event: the groups reading those columns (and the groups needing them) become stale;
for a group declared ``rowwise`` and an edit of some rows' values, only those rows are
recomputed at the next read, else the whole layer. When rows are added or removed (a building
drawn or demolished), a rowwise group keeps the values of the rows still there (the City says
which rows they were: :meth:`twin.city.City.row_source`) and computes only the added ones
(written in place after the kept rows when added at the end:
:class:`~scenarios.indicators.row_move.RoomyArrays`); a group that is not rowwise is computed
whole and its rows compared with the rows they were. Subclasses hear of every changed measure
through :meth:`MeasureCache._measure_changed` and :meth:`MeasureCache._rows_moved` (the
workspace moves its sums there).

Used alone (no events forwarded: ``tracks_events`` false), the cache notices a replaced layer
frame and recomputes that layer's groups.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from scenarios.assumptions import Assumptions, defaults
from scenarios.indicators.base import reads_depend_on
from scenarios.indicators.measure_context import MeasureContext
from scenarios.indicators.plans import GROUPS, MeasureGroup, Started, group_of
from scenarios.indicators.row_move import RoomyArrays, RowMove
from twin.errors import InvalidInputError
from twin.layer_changes import row_positions

if TYPE_CHECKING:
    from twin.city import City

T = TypeVar("T")
_ALL = None  # pending rows of a stale group: all of them


class MeasureCache:
    """The measures of one City (and of its baseline, for the land indicators)."""

    def __init__(
        self,
        city: City,
        *,
        assumptions: Assumptions | None = None,
        baseline: City | None = None,
    ) -> None:
        self.city = city
        self.assumptions = assumptions if assumptions is not None else defaults()
        self._baseline_city = baseline
        self._baseline: MeasureCache | None = None
        self.tracks_events = False  # set by the engine, which forwards City.changed
        self._values: dict[str, dict[str, np.ndarray]] = {}
        # Measures with NaN as 0, for sums: the measure's own array when it has no NaN.
        self._ready: dict[str, np.ndarray] = {}
        self._frames: dict[str, object] = {}  # group → the frame it was computed from
        self._pending: dict[str, set[str] | None] = {}  # stale groups → rows to recompute
        self._moved: set[str] = set()  # groups whose layer had rows added or removed since
        self._last_positions: tuple[object, list[str], np.ndarray] | None = None
        self._roomy = RoomyArrays()  # measures with room for rows added at the end
        self._versions: dict[str, int] = {}  # "layer" (rows) and "layer.column" change counts
        self._memo: dict[str, tuple[tuple[object, ...], object]] = {}
        self.recomputed: list[str] = []  # groups computed, in order (for tests and benchmarks)

    # -- inputs ---------------------------------------------------------------------------
    @property
    def baseline(self) -> MeasureCache:
        """The baseline's cache (this one when the City is its own baseline)."""
        if self._baseline_city is None or self._baseline_city is self.city:
            return self
        if self._baseline is None:
            self._baseline = type(self)(self._baseline_city, assumptions=self.assumptions)
            self._baseline.tracks_events = self.tracks_events
        return self._baseline

    def frame(self, layer: str) -> pd.DataFrame:
        """A layer's frame, or an empty one when the City has no such layer."""
        return self.city.layer(layer) if layer in self.city else gpd.GeoDataFrame()

    def data_key(self, layer: str, *columns: str) -> tuple[object, ...]:
        """What identifies the current rows (and ``columns``) of a layer, for :meth:`remember`:
        change counts when the engine forwards events, else the frame itself."""
        if not self.tracks_events:
            return (self.frame(layer),)
        return (
            self._versions.get(layer, 0),
            *(self._versions.get(f"{layer}.{c}", 0) for c in columns),
        )

    def remember(self, name: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, kept under ``name`` until ``key`` (from :meth:`data_key`) changes."""
        kept = self._memo.get(name)
        if kept is not None and len(kept[0]) == len(key):
            pairs = zip(kept[0], key, strict=True)
            if all(a is b or (type(a) is int and a == b) for a, b in pairs):
                return cast(T, kept[1])
        value = compute()
        self._memo[name] = (key, value)
        return value

    def positions_of(self, layer: str, ids: set[str]) -> np.ndarray:
        """Rows of ``layer`` holding ``ids`` (-1 for an id not there), in sorted id order (the
        last answer is kept: the groups of a layer edited together ask for the same rows)."""
        wanted = sorted(ids)
        frame = self.frame(layer)
        last = self._last_positions
        if last is not None and last[0] is frame and last[1] == wanted:
            return last[2].copy()
        positions = self._positions_of(layer, wanted)
        self._last_positions = (frame, wanted, positions)
        return positions.copy()

    def _positions_of(self, layer: str, wanted: list[str]) -> np.ndarray:
        if len(wanted) > 10_000:  # many ids: one hash table of the layer's, kept
            index = self.remember(
                f"index:{layer}",
                self.data_key(layer),
                lambda: pd.Index(self.frame(layer)["id"].astype(str).to_numpy(dtype=object)),
            )
            return np.asarray(index.get_indexer(wanted), dtype=np.int64)
        return row_positions(self.frame(layer), wanted)

    # -- measures -------------------------------------------------------------------------
    def measure(self, name: str) -> np.ndarray:
        """One value per row of the measure's base layer, computed once and kept (read it,
        do not change it: it is updated in place after an edit of a few rows)."""
        group = group_of(name)
        self._ensure(group)
        return self._values[group.name][name]

    def ready(self, name: str) -> np.ndarray:
        """The measure with missing values as 0 (what sums add)."""
        values = self.measure(name)
        if name not in self._ready:
            self._ready[name] = values if _finite(values) else np.nan_to_num(values)
        return self._ready[name]

    def start(self, group: MeasureGroup) -> Started | None:
        """Let ``group`` start computing in the background (:attr:`MeasureGroup.start`) when
        it was never computed here; the caller cancels what is returned once done."""
        if group.start is None or group.name in self._values:
            return None
        return group.start(MeasureContext(self, group))  # type: ignore[arg-type]

    def _ensure(self, group: MeasureGroup) -> None:
        name = group.name
        frame = self.frame(group.layer)
        known = name in self._values
        if known and not self.tracks_events and self._frames.get(name) is not frame:
            self._pending[name] = _ALL
        if known and name not in self._pending:
            return
        rows = self._pending.pop(name, _ALL)
        old = self._values.get(name)
        moved = name in self._moved
        self._moved.discard(name)
        if moved and old is not None and group.rowwise and rows is not None:
            source = self.city.row_source(group.layer, self._frames.get(name))
            if source is not None and len(source) == len(frame):
                self._move_rows(group, old, source, rows)
                return
        same_length = old is not None and not moved and len(frame) == len(old[group.outputs[0]])
        if old is not None and group.rowwise and rows is not None and same_length:
            positions = self.positions_of(group.layer, rows)
            if (positions >= 0).all():
                self._update_rows(group, old, positions)
                return
        source = None
        if moved and old is not None:  # rows added or removed: the City says which are which
            source = self.city.row_source(group.layer, self._frames.get(name))
            source = source if source is not None and len(source) == len(frame) else None
        new = group.compute(MeasureContext(self, group))  # type: ignore[arg-type]
        self._check(group, new, len(frame))
        self._store(group, frame, new)
        if source is not None and old is not None:
            self._moved_whole(group, old, new, source)
            return
        for output in group.outputs:
            self._ready.pop(output, None)
            before = old[output] if old is not None and same_length else None
            self._measure_changed(output, group.layer, None, before, new[output])

    def _moved_whole(
        self,
        group: MeasureGroup,
        old: dict[str, np.ndarray],
        new: dict[str, np.ndarray],
        source: np.ndarray,
    ) -> None:
        """After a group computed whole once rows were added or removed (a group that is not
        rowwise): each output's sums move by the rows whose value changed (against the
        value of the row they were) and the rows added and removed."""
        move = self._row_move(source, len(old[group.outputs[0]]))
        for output in group.outputs:
            self._ready.pop(output, None)
            after = new[output]
            carried = move.carry(old[output])
            differ = carried != after
            if after.dtype.kind == "f":  # NaN where it was NaN is no change
                differ &= ~(np.isnan(carried) & np.isnan(after))
            differ[move.added] = True
            self._rows_moved(output, group.layer, move, old[output], after, np.flatnonzero(differ))

    def _update_rows(
        self, group: MeasureGroup, old: dict[str, np.ndarray], rows: np.ndarray
    ) -> None:
        """Recompute a rowwise group on ``rows`` only; its arrays are updated in place."""
        part = group.compute(MeasureContext(self, group, rows))  # type: ignore[arg-type]
        self._check(group, part, len(rows))
        self._store(group, self.frame(group.layer), old)
        for output in group.outputs:
            before = old[output][rows].copy()
            old[output][rows] = part[output]
            ready = self._ready.get(output)
            if ready is old[output] and not _finite(part[output]):  # a NaN now: apart
                self._ready[output] = np.nan_to_num(ready)
            elif ready is not None and ready is not old[output]:
                ready[rows] = np.nan_to_num(part[output])
            self._measure_changed(output, group.layer, rows, before, part[output])

    def _move_rows(
        self, group: MeasureGroup, old: dict[str, np.ndarray], source: np.ndarray, ids: set[str]
    ) -> None:
        """A rowwise group after rows were added or removed: the kept rows keep their values
        (``source``: each row's row before), the added rows and those edited (``ids``) are
        computed."""
        frame = self.frame(group.layer)
        todo = source < 0
        if ids:
            edited = self.positions_of(group.layer, ids)
            todo[edited[edited >= 0]] = True
        rows = np.flatnonzero(todo)
        part: dict[str, np.ndarray] = {}
        if len(rows):
            part = group.compute(MeasureContext(self, group, rows))  # type: ignore[arg-type]
            self._check(group, part, len(rows))
        move = self._row_move(source, len(old[group.outputs[0]]))
        roomy = self._roomy
        new = {
            output: roomy.carry(output, move, old[output], rows, part.get(output))
            for output in group.outputs
        }
        self._store(group, frame, new)
        for output in group.outputs:
            ready = self._ready.pop(output, None)
            if ready is old[output] and _finite(new[output][rows]):
                self._ready[output] = new[output]
            elif ready is not None and ready is not old[output]:
                computed = np.nan_to_num(new[output][rows]) if len(rows) else None
                self._ready[output] = roomy.carry(("ready", output), move, ready, rows, computed)
            self._rows_moved(output, group.layer, move, old[output], new[output], rows)

    def _row_move(self, source: np.ndarray, n_before: int) -> RowMove:
        """The :class:`RowMove` of ``source`` (the groups of a layer share it)."""
        return RowMove.of(source, n_before)

    def _store(self, group: MeasureGroup, frame: object, values: dict[str, np.ndarray]) -> None:
        for output, array in values.items():  # rowwise updates write in place: own the arrays
            if isinstance(array, np.ndarray) and not array.flags.writeable:
                values[output] = array.copy()
        self._values[group.name] = values
        self._frames[group.name] = frame
        self.recomputed.append(group.name)

    @staticmethod
    def _check(group: MeasureGroup, values: dict[str, np.ndarray], n: int) -> None:
        for output in group.outputs:
            if len(values[output]) != n:
                raise InvalidInputError(
                    f"measure '{output}' has {len(values[output])} values for {n} "
                    f"{group.layer}; this is a bug in group '{group.name}'."
                )

    def _measure_changed(
        self,
        measure: str,
        layer: str,
        rows: np.ndarray | None,
        before: np.ndarray | None,
        after: np.ndarray,
    ) -> None:
        """Called after ``measure`` changed: on ``rows`` (``before`` and ``after`` their values),
        or on the whole layer (``rows`` None; ``before`` None when the rows themselves
        changed)."""

    def _rows_moved(
        self,
        measure: str,
        layer: str,
        move: RowMove,
        before: np.ndarray,
        after: np.ndarray,
        rows: np.ndarray,
    ) -> None:
        """Called after rows of ``layer`` were added or removed: ``after[i]`` is the value of
        the row that was ``move.source[i]`` in ``before`` (-1: added); ``rows`` were computed
        (the added rows and those edited meanwhile), the others kept their value."""

    # -- changes --------------------------------------------------------------------------
    def invalidate(
        self, layer: str, ids: tuple[str, ...], columns: tuple[str, ...], *, baseline: bool = False
    ) -> set[str]:
        """Take note of a change (``City.changed``); return the measure groups made stale.

        ``baseline``: the change is to the baseline City (groups reading ``baseline:...``).
        """
        if not baseline:
            keys = [f"{layer}.{c}" for c in columns] if columns else []
            if not columns or "id" in columns:  # rows added, removed, replaced or renamed
                keys.append(layer)
            for key in keys:
                self._versions[key] = self._versions.get(key, 0) + 1
        keys = [f"baseline:{layer}"] if baseline else [layer]
        if self._baseline_city is None or self._baseline_city is self.city:
            keys = [layer, f"baseline:{layer}"]
        elif baseline and self._baseline is not None:
            self._baseline.invalidate(layer, (), columns)
        some_rows = not baseline and bool(ids) and bool(columns) and "id" not in columns
        rows_moved = not baseline and bool(ids) and not columns  # rows added or removed
        hit: dict[str, set[str] | None] = {}
        for name in self._values:
            group = GROUPS[name]
            if rows_moved and group.layer == layer:  # every group of the layer: its rows moved
                hit[name] = set() if group.rowwise else _ALL  # the City says which rows are new
                self._moved.add(name)
            elif any(reads_depend_on(group.reads, key, columns) for key in keys):
                direct = group.rowwise and some_rows and group.layer == layer
                hit[name] = set(ids) if direct else _ALL
        while True:  # groups needing a stale group are stale for the same rows
            more: dict[str, set[str] | None] = {}
            for name in self._values:
                if name in hit:
                    continue
                group = GROUPS[name]
                needed = [n for n in group.needs if n in hit]
                if needed:
                    same = group.rowwise and all(
                        hit[n] is not None and GROUPS[n].layer == group.layer for n in needed
                    )
                    needed_rows = [hit[n] or set() for n in needed]
                    more[name] = set().union(*needed_rows) if same else _ALL
            if not more:
                break
            hit.update(more)
        for name in [n for n, rows in hit.items() if rows is not None]:
            if any(hit.get(n, set()) is None for n in GROUPS[name].needs):
                hit[name] = _ALL  # a group it needs is recomputed whole
        for name, rows in hit.items():
            current = self._pending.get(name, set()) if name in self._pending else set()
            self._pending[name] = _ALL if rows is None or current is None else current | rows
        return set(hit)


def _finite(values: np.ndarray) -> bool:
    """Whether an array holds no NaN nor infinity (integers never do)."""
    return values.dtype.kind in "iub" or bool(np.isfinite(values).all())


def as_numbers(values: np.ndarray) -> np.ndarray:
    """``numpy.nan_to_num(values)``, or ``values`` themselves when they hold no NaN nor
    infinity (the usual case: a tenth of the time for a few values; do not change them)."""
    return values if _finite(values) else np.nan_to_num(values)
