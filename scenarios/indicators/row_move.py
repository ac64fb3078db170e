"""Values of a layer's rows carried over after rows were added or removed.

A :class:`RowMove` holds, for each row of a layer's new frame, its row in the old frame (-1:
added; from :meth:`twin.city.City.row_source`), and carries a measure's values over: in blocks
when the kept rows kept their order (rows removed, or added at the end: the usual case).
"""

from __future__ import annotations

import numpy as np


class RowMove:
    """Rows of a layer added or removed: ``source`` gives each row's row before (-1: added),
    out of ``n_before``. Values of the kept rows are carried over in blocks when the rows kept
    their order (the usual case: rows removed, or added at the end)."""

    def __init__(self, source: np.ndarray, n_before: int) -> None:
        self.source = source
        self.n_before = n_before
        kept = source >= 0
        self.kept = np.flatnonzero(kept)
        self.from_rows = source[self.kept]
        gone = np.ones(n_before, dtype=bool)
        gone[self.from_rows] = False
        self.removed = np.flatnonzero(gone)
        n_kept = len(self.kept)
        self._in_order = n_kept == 0 or (
            bool(kept[:n_kept].all()) and bool((np.diff(self.from_rows) > 0).all())
        )

    def carry(self, old: np.ndarray, rows: np.ndarray, computed: np.ndarray | None) -> np.ndarray:
        """The values after the move: ``old``'s for the kept rows, ``computed`` at ``rows``."""
        values = np.empty(len(self.source), dtype=old.dtype)
        if self._in_order:  # kept rows first, in their old order: drop the others in blocks
            values[: len(self.kept)] = np.delete(old, self.removed)
        else:
            values[self.kept] = old[self.from_rows]
        if computed is not None and len(rows):
            values[rows] = computed
        return values
