"""Where a workspace's kept sums moved, so that ratios of them are redone only there; maxima
raised in place.

The workspace moves its kept sums in place by the changed rows' differences
(:mod:`scenarios.indicators.workspace`). :class:`SumMoves` notes each move (which positions of
which sums, under an increasing stamp); :class:`KeptRatios` keeps each ratio's last values with
the stamp and the operand arrays they were computed from, and after an edit recomputes only the
positions where an operand moved (the same formula, so the same numbers as a full computation):
a few values instead of 100 000 parcels.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from scenarios.indicators.level_maps import LevelMap
from scenarios.indicators.row_move import RowMove
from twin.levels import Level

KEPT_MOVES = 32
"""Moves remembered per sums (a ratio not evaluated for longer is computed whole)."""


class SumMoves:
    """The positions of each kept sums array moved in place, by stamp.

    Example:
        >>> moves = SumMoves()
        >>> stamp = moves.stamp
        >>> moves.note("a", np.array([3, 1]))
        >>> moves.since(["a", "b"], stamp).tolist(), moves.since(["a"], moves.stamp).tolist()
        ([1, 3], [])
    """

    def __init__(self) -> None:
        self.stamp = 0
        self._log: dict[Hashable, deque[tuple[int, np.ndarray]]] = {}
        self._floor: dict[Hashable, int] = {}  # moves up to this stamp were forgotten

    def note(self, key: Hashable, positions: np.ndarray) -> None:
        """``positions`` of the sums ``key`` moved."""
        self.stamp += 1
        log = self._log.setdefault(key, deque())
        if len(log) == KEPT_MOVES:
            self._floor[key] = log.popleft()[0]
        log.append((self.stamp, np.asarray(positions, dtype=np.int64)))

    def since(self, keys: Sequence[Hashable], stamp: int) -> np.ndarray | None:
        """The positions any of ``keys`` moved at after ``stamp`` (sorted, unique); None when
        some of those moves were forgotten."""
        parts = [np.empty(0, dtype=np.int64)]
        for key in keys:
            if self._floor.get(key, 0) > stamp:
                return None
            parts.extend(positions for at, positions in self._log.get(key, ()) if at > stamp)
        return np.unique(np.concatenate(parts))


@dataclass(frozen=True)
class _Ratio:
    stamp: int
    values: np.ndarray
    operands: tuple[np.ndarray, ...]


class KeptRatios:
    """The last values of each ratio, redone where its operands moved since."""

    def __init__(self, moves: SumMoves) -> None:
        self.moves = moves
        self._kept: dict[Hashable, _Ratio] = {}

    def ratio(
        self,
        key: Hashable,
        top: np.ndarray,
        bottom: np.ndarray,
        scale: float,
        operands: Sequence[tuple[Hashable, np.ndarray] | None],
    ) -> np.ndarray:
        """``top / bottom × scale`` (NaN where ``bottom`` is not above 0): an array kept and
        never changed afterwards (a new one, or the last one when nothing moved); do not
        change it either (copy it to hand it out).

        ``operands``: the kept arrays ``top`` and ``bottom`` are views of, with their keys in
        :class:`SumMoves` (None for an operand made afresh: the ratio is then computed whole).
        """
        kept = self._kept.get(key)
        arrays = tuple(operand[1] for operand in operands if operand is not None)
        changed = None
        if (
            kept is not None
            and len(arrays) == len(operands)
            and len(kept.values) == len(top)
            and all(a is b for a, b in zip(arrays, kept.operands, strict=True))
        ):
            keys = [operand[0] for operand in operands if operand is not None]
            changed = self.moves.since(keys, kept.stamp)
        if changed is not None:
            changed = changed[changed < len(top)]  # not the rows left out of a ``via``
        if kept is not None and changed is not None and len(changed) == 0:
            values = kept.values  # never changed once made: it may be shared
        elif kept is not None and changed is not None and 8 * len(changed) < len(top):
            values = kept.values.copy()
            values[changed] = _divided(top[changed], bottom[changed], scale)
        else:
            values = _divided(top, bottom, scale)
        if len(arrays) == len(operands):
            self._kept[key] = _Ratio(self.moves.stamp, values, arrays)
        else:
            self._kept.pop(key, None)
        return values

    def clear(self) -> None:
        """Forget every kept ratio."""
        self._kept.clear()


class KeptMaxima:
    """The largest value of each measure under each unit of a level, by (measure, level), with
    the level map they were computed with; raised in place after an edit, dropped (computed
    again when asked) where a maximum may have gone down."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, Level], tuple[LevelMap, np.ndarray]] = {}

    def has(self, measure: str) -> bool:
        """Whether some maxima of ``measure`` are kept."""
        return any(key[0] == measure for key in self._kept)

    def get(self, key: tuple[str, Level], level_map: LevelMap) -> np.ndarray | None:
        """The kept maxima (slot ``m``: the rows without a unit there), if computed with
        ``level_map``; they are moved in place later: copy them to hand them out."""
        kept = self._kept.get(key)
        return kept[1] if kept is not None and kept[0] is level_map else None

    def put(self, key: tuple[str, Level], level_map: LevelMap, out: np.ndarray) -> None:
        """Keep maxima computed with ``level_map``."""
        self._kept[key] = (level_map, out)

    def clear(self) -> None:
        """Forget every kept maximum."""
        self._kept.clear()

    def changed(
        self,
        measure: str,
        level_map: LevelMap | None,
        rows: np.ndarray | None,
        before: np.ndarray | None,
        after: np.ndarray,
    ) -> None:
        """After ``measure`` changed on ``rows`` (None: the whole layer, ``before`` None when
        its rows themselves changed), ``level_map`` being the layer's current map."""
        for key in [key for key in self._kept if key[0] == measure]:
            kept_map, out = self._kept[key]
            if before is None or level_map is None or kept_map is not level_map:
                del self._kept[key]
                continue
            old, new, changed = before, after, rows
            if changed is None:  # the whole layer computed again: the rows that differ
                differ = before != after
                if after.dtype.kind == "f":
                    differ &= ~(np.isnan(before) & np.isnan(after))
                changed = np.flatnonzero(differ)
                old, new = before[changed], after[changed]
            if not raised_max(out, level_map.positions(key[1])[changed], old, new):
                del self._kept[key]

    def rows_moved(
        self,
        measure: str,
        old_map: LevelMap | None,
        new_map: LevelMap,
        move: RowMove,
        before: np.ndarray,
        after: np.ndarray,
        rows: np.ndarray,
    ) -> None:
        """After rows of the measure's layer were added or removed (``rows`` computed, the
        others carried over; ``old_map`` the map before)."""
        for key in [key for key in self._kept if key[0] == measure]:
            kept_map, out = self._kept.pop(key)
            if old_map is None or kept_map is not old_map or key[1] == new_map.base:
                continue  # computed again when asked
            prior = np.full(len(rows), np.nan)
            source = move.source[rows]
            prior[source >= 0] = before[source[source >= 0]]
            removed = move.removed
            if not (before[removed] == out[old_map.positions(key[1])[removed]]).any() and (
                raised_max(out, new_map.positions(key[1])[rows], prior, after[rows])
            ):  # no maximum removed or lowered: moved in place
                self._kept[key] = (new_map, out)


def raised_max(
    out: np.ndarray, positions: np.ndarray, before: np.ndarray, after: np.ndarray
) -> bool:
    """Move kept maxima ``out`` after the values at ``positions`` went from ``before`` (NaN:
    none) to ``after``, in place; False, leaving ``out`` as it was, when a maximum may have
    gone down (a value that was the maximum lowered or gone: compute them again).

    Example:
        >>> out = np.array([5.0, 2.0])
        >>> raised_max(out, np.array([1]), np.array([np.nan]), np.array([4.0])), out.tolist()
        (True, [5.0, 4.0])
        >>> raised_max(out, np.array([0]), np.array([5.0]), np.array([3.0]))
        False
    """
    with np.errstate(invalid="ignore"):
        lowered = (before == out[positions]) & ~(after >= before)
    if lowered.any():
        return False
    np.fmax.at(out, positions, after)
    return True


def _divided(top: np.ndarray, bottom: np.ndarray, scale: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / bottom * scale, np.nan)
