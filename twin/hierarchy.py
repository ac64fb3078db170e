"""The territory → room hierarchy as an index over ``id`` and ``parent_id`` columns.

Every row of the hierarchy layers is a node with an integer code. Parents are stored as an
array of codes and children as compressed offsets (CSR), so ``children``, ``ancestors`` and
``roll_up`` run in numpy over whole columns: a 100k-building town is arrays, not objects.

A row may skip levels (a building without a known parcel hangs from its district); a parent id
that is absent leaves the row an *orphan*, reported by :attr:`HierarchyIndex.orphan_ids`
instead of raised, because partial data (buildings before parcels) is normal during imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from twin.errors import HierarchyError
from twin.levels import Level

#: The label :meth:`HierarchyIndex.roll_up` gives to values with no ancestor at the target level.
UNASSIGNED = "(unassigned)"

_DEPTH = len(Level)


class HierarchyIndex:
    """Parent and child links of all hierarchy rows, answered with numpy.

    Build it with :meth:`from_frames` from the hierarchy layers' ``id`` and ``parent_id``.
    """

    def __init__(self, ids: np.ndarray, levels: np.ndarray, parents: np.ndarray) -> None:
        self.ids = ids
        self.levels = levels
        self.parents = parents
        self._index_cache: pd.Index | None = None  # every id → code, made when first asked
        self._level_indexes: dict[int, pd.Index] = {}  # one level's ids → their position
        self._children_cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._in_level_order = bool(np.all(levels[:-1] <= levels[1:])) if len(levels) else True

    @property
    def _index(self) -> pd.Index:
        if self._index_cache is None:
            self._index_cache = pd.Index(self.ids)
        return self._index_cache

    def _children_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Children as compressed offsets: (order, start, end), made when first asked."""
        if self._children_cache is None:
            order = np.argsort(self.parents, kind="stable").astype(np.int64)
            sorted_parents = self.parents[order]
            every = np.arange(len(self.ids))
            self._children_cache = (
                order,
                np.searchsorted(sorted_parents, every, side="left"),
                np.searchsorted(sorted_parents, every, side="right"),
            )
        return self._children_cache

    def level_block(self, level: Level) -> tuple[int, int]:
        """``(start, end)``: the codes of ``level`` (its layer's rows, in frame order).

        Rows are indexed level after level, so each level is one run of codes.
        """
        if not self._in_level_order:  # built by hand: levels mixed, no run
            raise HierarchyError(
                "this hierarchy index does not list its rows level by level.",
                code="hierarchy_not_by_level",
            )
        start = int(np.searchsorted(self.levels, int(level), side="left"))
        return start, int(np.searchsorted(self.levels, int(level), side="right"))

    def level_index(self, level: Level) -> pd.Index:
        """The ids of one level, as an Index (kept: a change of another level keeps it)."""
        if int(level) not in self._level_indexes:
            start, end = self.level_block(level)
            self._level_indexes[int(level)] = pd.Index(self.ids[start:end])
        return self._level_indexes[int(level)]

    @classmethod
    def from_frames(cls, frames: Mapping[Level, pd.DataFrame]) -> HierarchyIndex:
        """Index the ``id``/``parent_id`` columns of the layers of each level.

        Raises:
            HierarchyError: an id appears twice, or a row's parent is not at a higher level.
        """
        id_parts: list[np.ndarray] = []
        parent_parts: list[np.ndarray] = []
        level_parts: list[np.ndarray] = []
        for level in sorted(frames):
            frame = frames[level]
            id_parts.append(frame["id"].astype(str).to_numpy(dtype=object))
            parent = (
                frame["parent_id"]
                if "parent_id" in frame.columns
                else pd.Series([None] * len(frame), dtype=object)
            )
            parent_parts.append(parent.to_numpy(dtype=object))
            level_parts.append(np.full(len(frame), int(level), dtype=np.int8))
        ids = np.concatenate(id_parts) if id_parts else np.empty(0, dtype=object)
        parent_ids = np.concatenate(parent_parts) if parent_parts else np.empty(0, dtype=object)
        levels = np.concatenate(level_parts) if level_parts else np.empty(0, dtype=np.int8)

        index = pd.Index(ids)
        if not index.is_unique:
            duplicates = index[index.duplicated()].unique()[:3].tolist()
            raise HierarchyError(
                f"{int(index.duplicated().sum())} id(s) are used by two rows of the hierarchy, "
                f"e.g. {duplicates}; every commune, district, parcel, building, storey and "
                "space needs its own id. Re-import the layer that repeats them.",
                code="hierarchy_duplicate_ids",
                values={"count": int(index.duplicated().sum()), "examples": duplicates},
            )
        parent_series = pd.Series(parent_ids, dtype=object)
        has_parent = parent_series.notna() & (parent_series.astype(str) != "")
        parents = np.full(len(ids), -1, dtype=np.int64)
        if has_parent.any():
            found = index.get_indexer(parent_series[has_parent].astype(str).to_numpy())
            parents[has_parent.to_numpy()] = found
        linked = parents >= 0
        bad = linked.copy()
        bad[linked] = levels[parents[linked]] >= levels[linked]
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            child = ids[first]
            parent = ids[parents[first]]
            raise HierarchyError(
                f"row '{child}' has parent '{parent}' at the same or a lower level; a parent "
                "must be higher in territory → commune → district → parcel → building → storey "
                "→ space. Fix the parent_id column.",
                code="hierarchy_parent_level",
                values={
                    "id": str(child),
                    "level": Level(int(levels[first])).name.lower(),
                    "parent": str(parent),
                    "parent_level": Level(int(levels[parents[first]])).name.lower(),
                },
            )
        hierarchy = cls(ids, levels, parents)
        hierarchy._index_cache = index
        hierarchy._orphans = np.flatnonzero(has_parent.to_numpy() & (parents < 0))
        hierarchy._orphan_parents = (
            parent_series.iloc[hierarchy._orphans].astype(str).to_numpy(dtype=object)
        )
        return hierarchy

    _orphans: np.ndarray = np.empty(0, dtype=np.int64)
    _orphan_parents: np.ndarray = np.empty(0, dtype=object)  # the parent ids they name

    # -- lookups -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index

    def codes(self, node_ids: Iterable[str]) -> np.ndarray:
        """Integer codes of ids (-1 for unknown ids)."""
        return self._index.get_indexer(list(node_ids))

    def _code(self, node_id: str) -> int:
        code = int(self._index.get_indexer([node_id])[0])
        if code < 0:
            raise KeyError(f"'{node_id}' is not in the hierarchy")
        return code

    def level_of(self, node_id: str) -> Level:
        """The level of one row."""
        return Level(int(self.levels[self._code(node_id)]))

    def parent_of(self, node_id: str) -> str | None:
        """The parent id of one row, or None for a root or an orphan."""
        parent = int(self.parents[self._code(node_id)])
        return None if parent < 0 else str(self.ids[parent])

    def children(self, node_id: str) -> list[str]:
        """Direct children of a row, in layer order."""
        code = self._code(node_id)
        order, starts, ends = self._children_arrays()
        return [str(i) for i in self.ids[np.sort(order[starts[code] : ends[code]])]]

    def child_count(self, node_id: str) -> int:
        """Number of direct children (cheap: for lazy trees)."""
        code = self._code(node_id)
        _, starts, ends = self._children_arrays()
        return int(ends[code] - starts[code])

    def roots(self) -> list[str]:
        """Rows without a parent (the territory, and any orphan)."""
        return [str(i) for i in self.ids[self.parents < 0]]

    def ancestors(self, node_id: str) -> list[str]:
        """Ancestors of a row, nearest first (parent, grandparent ... root)."""
        out: list[str] = []
        code = int(self.parents[self._code(node_id)])
        while code >= 0:
            out.append(str(self.ids[code]))
            code = int(self.parents[code])
        return out

    @property
    def orphan_ids(self) -> list[str]:
        """Rows whose parent_id names a row that is not in the city."""
        return [str(i) for i in self.ids[self._orphans]]

    def count_per_level(self) -> dict[Level, int]:
        """How many rows each level holds."""
        counts = np.bincount(self.levels.astype(np.int64), minlength=_DEPTH)
        return {level: int(counts[int(level)]) for level in Level}

    def ids_at(self, level: Level) -> np.ndarray:
        """All ids of one level, in layer order."""
        if not self._in_level_order:
            return self.ids[self.levels == int(level)]
        start, end = self.level_block(level)
        return self.ids[start:end].copy()

    # -- vectorised queries ---------------------------------------------------------------
    def ancestor_codes_at(self, codes: np.ndarray, level: Level) -> np.ndarray:
        """For each code, the code of its ancestor at ``level`` (itself if already there), or -1."""
        current = np.asarray(codes, dtype=np.int64).copy()
        valid = current >= 0
        for _ in range(_DEPTH):
            climb = valid & (self.levels[np.where(valid, current, 0)] > int(level))
            if not climb.any():
                break
            current[climb] = self.parents[current[climb]]
            valid &= current >= 0
        at_level = valid & (self.levels[np.where(valid, current, 0)] == int(level))
        return np.where(at_level, current, -1)

    def ancestor_at(self, node_ids: Iterable[str], level: Level) -> np.ndarray:
        """For each id, the id of its ancestor at ``level`` (None where there is none)."""
        found = self.ancestor_codes_at(self.codes(node_ids), level)
        out = np.full(len(found), None, dtype=object)
        out[found >= 0] = self.ids[found[found >= 0]]
        return out

    def descendants_at(self, node_id: str, level: Level) -> list[str]:
        """All rows at ``level`` below ``node_id`` (e.g. every building of a commune)."""
        code = self._code(node_id)
        candidates = np.flatnonzero(self.levels == int(level))
        top = self.ancestor_codes_at(candidates, Level(int(self.levels[code])))
        return [str(i) for i in self.ids[candidates[top == code]]]

    def roll_up(self, values: pd.Series, from_level: Level, to_level: Level) -> pd.Series:
        """Sum values given per row of ``from_level`` onto the rows of ``to_level``.

        ``values`` is indexed by id. The result is indexed by every id of ``to_level`` (zero
        where nothing rolls up) and, when some values have no ancestor there, by
        :data:`UNASSIGNED`, so the total is always conserved.

        Raises:
            HierarchyError: ``to_level`` is below ``from_level``, or an id is unknown.
        """
        if to_level > from_level:
            raise HierarchyError(
                f"cannot roll {from_level.name.lower()} values up to the lower level "
                f"{to_level.name.lower()}; choose a level above it.",
                code="roll_up_downwards",
                values={
                    "from_level": from_level.name.lower(),
                    "to_level": to_level.name.lower(),
                },
            )
        codes = self.codes(values.index.astype(str))
        if (codes < 0).any():
            missing = values.index[codes < 0][0]
            raise HierarchyError(
                f"'{missing}' is not in the hierarchy; rebuild the values.",
                code="hierarchy_id_unknown",
                values={"id": str(missing)},
            )
        wrong = self.levels[codes] != int(from_level)
        if wrong.any():
            raise HierarchyError(
                f"'{values.index[np.flatnonzero(wrong)[0]]}' is not a {from_level.name.lower()}.",
                code="roll_up_wrong_level",
                values={
                    "id": str(values.index[np.flatnonzero(wrong)[0]]),
                    "level": from_level.name.lower(),
                },
            )
        targets = self.ancestor_codes_at(codes, to_level)
        weights = np.asarray(values, dtype="float64")
        target_codes = np.flatnonzero(self.levels == int(to_level))
        position = np.full(len(self.ids), -1, dtype=np.int64)
        position[target_codes] = np.arange(len(target_codes))
        linked = targets >= 0
        sums = np.bincount(
            position[targets[linked]], weights=weights[linked], minlength=len(target_codes)
        )
        result = pd.Series(sums, index=pd.Index(self.ids[target_codes].astype(str), name="id"))
        if (~linked).any():
            result.loc[UNASSIGNED] = float(weights[~linked].sum())
        result.name = values.name
        return result
