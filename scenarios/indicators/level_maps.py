"""Where each row of a base layer rolls up to, at every level above it, as integer positions.

:class:`LevelMap` answers, for the rows of one layer (buildings, parcels ...) in frame order,
the position of each row's ancestor among the ids of a level (``HierarchyIndex.ids_at``), so
that a roll-up is one ``numpy.bincount`` and a change of a few rows moves a few sums. Positions
``m`` (the level's row count) mean *no ancestor there* (``(unassigned)``) and ``m + 1`` *left
out* (a ``via`` level the row does not hang from).

After rows of the base layer are added or removed (a building drawn or demolished),
:meth:`LevelMap.moved` keeps the kept rows' positions and looks up only the added rows'
ancestors: the levels above do not change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scenarios.indicators.measure_context import rows_of
from scenarios.indicators.row_move import RowMove
from twin.hierarchy import UNASSIGNED, HierarchyIndex
from twin.levels import Level


def frame_codes(hierarchy: HierarchyIndex, ids: np.ndarray, level: Level) -> np.ndarray:
    """Hierarchy codes of a layer's ids, in frame order.

    A City's hierarchy lists each layer's rows in frame order, one level after the other, so
    the codes are usually a contiguous run: checked in a few ms instead of a hash lookup of
    every id (a quarter of a second for 100 000 buildings).
    """
    n = len(ids)
    at_level = np.flatnonzero(hierarchy.levels == int(level))
    if len(at_level) == n and n:
        start = int(at_level[0])
        if int(at_level[-1]) == start + n - 1 and np.array_equal(
            hierarchy.ids[start : start + n], ids
        ):
            return np.arange(start, start + n, dtype=np.int64)
    return np.asarray(hierarchy.codes(ids), dtype=np.int64)


class LevelMap:
    """Ancestor positions of one layer's rows at the levels above it (computed on demand).

    ``frame`` is the layer's frame the rows are those of (kept to follow later row changes).
    """

    def __init__(
        self, hierarchy: HierarchyIndex, ids: np.ndarray, base: Level, frame: object = None
    ) -> None:
        self.hierarchy = hierarchy
        self.base = base
        self.frame = frame
        self.codes = frame_codes(hierarchy, ids, base) if len(ids) else np.empty(0, np.int64)
        self._positions: dict[tuple[Level, Level | None], np.ndarray] = {}
        self._unassigned: dict[tuple[Level, Level | None], bool] = {}
        self._lookup: dict[Level, tuple[np.ndarray, int]] = {}
        self._identity: bool | None = None

    def moved(
        self, hierarchy: HierarchyIndex, move: RowMove, frame: pd.DataFrame
    ) -> LevelMap | None:
        """The map once the base layer holds ``frame``'s rows, ``move.source`` giving each
        row's row in the old frame (-1: added), the levels above unchanged; None when
        ``hierarchy`` does not list ``frame``'s rows as expected (build a new map then)."""
        start, end = hierarchy.level_block(self.base)
        source, added = move.source, move.added
        if end - start != len(frame) or len(source) != len(frame):
            return None
        added_ids = np.asarray(rows_of(frame["id"], added).astype(str), dtype=object)
        if len(added) and not np.array_equal(hierarchy.ids[start + added], added_ids):
            return None
        new = LevelMap.__new__(LevelMap)
        new.hierarchy, new.base, new.frame = hierarchy, self.base, frame
        new.codes = np.arange(start, end, dtype=np.int64)
        new._unassigned, new._identity = {}, True
        # The levels above keep their codes: their lookups stay right (lengths differ only).
        new._lookup = {level: found for level, found in self._lookup.items() if level != self.base}
        new._positions = {}
        for (level, via), old in self._positions.items():
            if level == self.base or via == self.base:
                continue
            found = new._positions_of(new.codes[added], level, via)
            new._positions[(level, via)] = move.carry(old, added, found)
            if self._unassigned.get((level, via)) is False:  # then only an added row may be
                new._unassigned[(level, via)] = bool((found == new.size(level)).any())
        return new

    def identity(self, level: Level) -> bool:
        """Whether the positions at ``level`` are the rows themselves (the base level, rows in
        the hierarchy's order, as a City lists them): sums there are the values."""
        if level != self.base:
            return False
        if self._identity is None:
            start, end = self.hierarchy.level_block(level)
            self._identity = end - start == len(self.codes) and np.array_equal(
                self.codes, np.arange(start, end)
            )
        return self._identity

    def size(self, level: Level) -> int:
        """Number of rows of ``level`` (positions run 0 .. size - 1)."""
        return self._level_lookup(level)[1]

    def _level_lookup(self, level: Level) -> tuple[np.ndarray, int]:
        if level not in self._lookup:
            codes = np.flatnonzero(self.hierarchy.levels == int(level))
            lookup = np.full(len(self.hierarchy) + 1, -1, dtype=np.int64)
            lookup[codes] = np.arange(len(codes))
            self._lookup[level] = (lookup, len(codes))
        return self._lookup[level]

    def positions(self, level: Level, via: Level | None = None) -> np.ndarray:
        """For each row, its ancestor's position at ``level`` (``m``: none; ``m + 1``: no
        ancestor at ``via``, left out)."""
        key = (level, via)
        if key not in self._positions:
            self._positions[key] = self._positions_of(self.codes, level, via)
        return self._positions[key]

    def _positions_of(self, codes: np.ndarray, level: Level, via: Level | None) -> np.ndarray:
        lookup, m = self._level_lookup(level)
        ancestors = self.hierarchy.ancestor_codes_at(codes, level)
        found = lookup[ancestors]  # ancestors == -1 reads the extra last slot: -1
        positions = np.where(found >= 0, found, m)
        if via is not None:
            has_via = self.hierarchy.ancestor_codes_at(codes, via) >= 0
            positions = np.where(has_via, positions, m + 1)
        return positions

    def has_unassigned(self, level: Level, via: Level | None = None) -> bool:
        """Whether some row has no ancestor at ``level`` (and is not left out)."""
        key = (level, via)
        if key not in self._unassigned:
            self._unassigned[key] = bool((self.positions(level, via) == self.size(level)).any())
        return self._unassigned[key]


def level_index(hierarchy: HierarchyIndex, level: Level, unassigned: bool) -> pd.Index:
    """The ids of ``level`` as an Index named ``id``, with ``(unassigned)`` last if asked."""
    ids = hierarchy.ids_at(level).astype(object, copy=False)
    if unassigned:
        ids = np.append(ids, UNASSIGNED)
    return pd.Index(ids, name="id", dtype=object, copy=False)
