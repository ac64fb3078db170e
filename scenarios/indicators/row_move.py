"""Values of a layer's rows carried over after rows were added or removed.

A :class:`RowMove` holds, for each row of a layer's new frame, its row in the old frame (-1:
added; from :meth:`twin.city.City.row_source`), and carries values over (one value per row, or
a row of values: bounding boxes): in blocks when the kept rows kept their order (rows removed,
or added at the end: the usual case), a copy per run of kept rows.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable

import numpy as np

_FEW_RUNS = 64
"""With more removed rows than this, the kept rows are taken by a mask rather than by runs."""


class RowMove:
    """Rows of a layer added or removed: ``source`` gives each row's row before (-1: added),
    out of ``n_before``. Values of the kept rows are carried over in blocks when the rows kept
    their order (the usual case: rows removed, or added at the end).

    Example:
        >>> move = RowMove(np.array([0, 2, -1]), 3)  # row 1 removed, one row added
        >>> move.carry(np.array([10.0, 11.0, 12.0]), np.array([2]), np.array([99.0])).tolist()
        [10.0, 12.0, 99.0]
    """

    _last: RowMove | None = None  # the last one made by :meth:`of`

    @classmethod
    def of(cls, source: np.ndarray, n_before: int) -> RowMove:
        """The RowMove of ``source``, shared with the last caller that asked for the very same
        array (the measure groups, level maps and roof blocks of a layer follow one change)."""
        last = cls._last
        if last is None or last.source is not source or last.n_before != n_before:
            last = cls._last = cls(source, n_before)
        return last

    def __init__(self, source: np.ndarray, n_before: int) -> None:
        self.source = source
        self.n_before = n_before
        kept = source >= 0
        self.kept = np.flatnonzero(kept)
        self.from_rows = source[self.kept]
        gone = np.ones(n_before, dtype=bool)
        gone[self.from_rows] = False
        self.removed = np.flatnonzero(gone)
        self.added = np.flatnonzero(~kept)
        n_kept = len(self.kept)
        self.in_order = n_kept == 0 or (
            bool(kept[:n_kept].all()) and bool((np.diff(self.from_rows) > 0).all())
        )
        """Whether the kept rows come first, in their old order (rows removed, or added at
        the end)."""

    @property
    def appended(self) -> bool:
        """Whether rows were only added, at the end."""
        return self.in_order and not len(self.removed)

    @property
    def same_rows(self) -> bool:
        """Whether no row was added, removed or moved (a change of values)."""
        return self.appended and not len(self.added)

    def carry(
        self,
        old: np.ndarray,
        rows: np.ndarray | None = None,
        computed: np.ndarray | None = None,
        *,
        out: np.ndarray | None = None,
    ) -> np.ndarray:
        """The values after the move: ``old``'s for the kept rows, ``computed`` at ``rows``
        (the rows neither kept nor computed are left unset), in ``out`` when given."""
        values = out
        if values is None:
            values = np.empty((len(self.source), *old.shape[1:]), dtype=old.dtype)
        if self.in_order and len(self.removed) <= _FEW_RUNS:  # kept rows first, in order
            start = at = 0
            for gone in self.removed.tolist():
                values[at : at + gone - start] = old[start:gone]
                at += gone - start
                start = gone + 1
            values[at : len(self.kept)] = old[start:]
        elif self.in_order:
            values[: len(self.kept)] = np.delete(old, self.removed, axis=0)
        else:
            values[self.kept] = old[self.from_rows]
        if computed is not None and rows is not None and len(rows):
            values[rows] = computed
        return values


class RoomyArrays:
    """Arrays kept with room after their end, by key, so that rows added at the end are
    written in place: carrying 100 000 values over for one building added is a copy of
    800 kB, a few hundred microseconds for the dozens of measures of a town.

    Each key's array must have one successor only (a cache's own arrays): the rows after its
    end are the successor's. An array grows only while it is the last one given for its key,
    so earlier arrays keep their values (rows added never touch the rows before).

    Example:
        >>> roomy = RoomyArrays()
        >>> first = roomy.carry("a", RowMove(np.array([0, 1]), 2), np.array([1.0, 2.0]))
        >>> move = RowMove(np.array([0, 1, -1]), 2)
        >>> second = roomy.carry("a", move, first, move.added, np.array([3.0]))
        >>> second.tolist(), first.tolist(), second.base is first.base
        ([1.0, 2.0, 3.0], [1.0, 2.0], True)
    """

    def __init__(self) -> None:
        self._given: dict[Hashable, tuple[weakref.ref[np.ndarray], int]] = {}

    def carry(
        self,
        key: Hashable,
        move: RowMove,
        old: np.ndarray,
        rows: np.ndarray | None = None,
        computed: np.ndarray | None = None,
    ) -> np.ndarray:
        """:meth:`RowMove.carry`, in place after ``old``'s end when rows were only added (all
        of them ``rows``) and ``old`` is the last array given for ``key``."""
        n = len(move.source)
        given = self._given.get(key)
        buffer = None if given is None else given[0]()
        if (
            buffer is not None
            and given is not None
            and old.base is buffer
            and given[1] == len(old)
            and old.ctypes.data == buffer.ctypes.data
            and len(buffer) >= n
            and move.appended
            and computed is not None
            and rows is not None
            and np.array_equal(rows, move.added)
        ):
            values = buffer[:n]
            values[len(old) :] = computed
        else:
            buffer = np.empty((n + max(64, n // 64), *old.shape[1:]), dtype=old.dtype)
            values = move.carry(old, rows, computed, out=buffer[:n])
        self._given[key] = (weakref.ref(buffer), n)
        return values
