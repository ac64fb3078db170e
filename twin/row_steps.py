"""Which row of a layer's earlier frame each row of its current frame is.

The City never modifies a frame: every change stores a new one. :class:`RowSteps` remembers,
for the last few changes of each layer, how the new frame's rows map onto the old frame's
(same rows after a change of values; rows kept in order after a removal; rows added at the
end), by weak reference, so nothing is kept alive. Caches computed from an older frame ask
:meth:`RowSteps.source` and keep the values of the rows that are still there instead of
computing every row again (the indicator engine, the hierarchy index).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

KEPT_STEPS = 8
"""Changes remembered per layer."""


@dataclass(frozen=True)
class RowStep:
    """One change of a layer's frame.

    Attributes:
        before, after: the frames' tokens (frames are known by weak reference: a frame in the
            middle of a chain may be gone, the chain still holds).
        source: for each row of ``after``, its row in ``before`` (-1: added); None when the
            rows are the same (a change of values).
        links: whether ids or parent ids of rows changed (the rows are still the same rows).
    """

    before: int
    after: int
    source: np.ndarray | None
    links: bool = False


class RowSteps:
    """The recent row changes of every layer of one City."""

    def __init__(self) -> None:
        self._steps: dict[str, list[RowStep]] = {}
        self._tokens: dict[int, tuple[weakref.ref, int]] = {}  # id(frame) → (frame, token)
        self._next = 0

    def _token(self, frame: object, *, create: bool) -> int | None:
        """The token of a frame (None when unknown and not ``create``)."""
        key = id(frame)
        known = self._tokens.get(key)
        if known is not None and known[0]() is frame:
            return known[1]
        if not create:
            return None
        tokens = self._tokens

        def forget(ref: weakref.ref, key: int = key) -> None:
            if key in tokens and tokens[key][0] is ref:
                del tokens[key]

        self._next += 1
        tokens[key] = (weakref.ref(frame, forget), self._next)
        return self._next

    def record(
        self,
        layer: str,
        before: object,
        after: object,
        source: np.ndarray | None,
        *,
        links: bool = False,
    ) -> None:
        """Note that ``after`` replaced ``before`` (``source`` as in :class:`RowStep`)."""
        if before is None or after is None or before is after:
            return
        first = self._token(before, create=True)
        second = self._token(after, create=True)
        assert first is not None and second is not None
        steps = self._steps.setdefault(layer, [])
        steps.append(RowStep(first, second, source, links))
        del steps[:-KEPT_STEPS]

    def forget(self, layer: str) -> None:
        """Drop what is known of a layer (replaced whole, or removed)."""
        self._steps.pop(layer, None)

    def source(
        self, layer: str, since: object, now: object, *, links: bool = True
    ) -> np.ndarray | None:
        """For each row of ``now``, its row in ``since`` (-1: added since), or None when the
        two frames are not known to be related.

        ``links=False`` refuses a path through a change of ids or parent ids.

        Example:
            >>> import pandas as pd
            >>> old, new = pd.DataFrame({"id": list("abc")}), pd.DataFrame({"id": list("acd")})
            >>> steps = RowSteps()
            >>> steps.record("t", old, new, np.array([0, 2, -1]))
            >>> steps.source("t", old, new).tolist()
            [0, 2, -1]
        """
        if since is now:
            return np.arange(len(now))  # type: ignore[arg-type]
        start, current = self._token(since, create=False), self._token(now, create=False)
        if start is None or current is None:
            return None
        total: np.ndarray | None = None
        for step in reversed(self._steps.get(layer, [])):
            if step.after != current:
                continue
            if step.links and not links:
                return None
            if step.source is not None and total is None:
                total = step.source
            elif step.source is not None and total is not None:
                found = total >= 0
                composed = np.full(len(total), -1, dtype=np.int64)
                composed[found] = step.source[total[found]]
                total = composed
            current = step.before
            if current == start:
                return np.arange(len(now)) if total is None else total  # type: ignore[arg-type]
        return None

    def between(self, layer: str, old: object, new: object) -> np.ndarray | None:
        """:meth:`source` from ``old`` to ``new`` either way (a frame put back by an undo is
        related to the one it replaces the other way round), without a change of links."""
        forward = self.source(layer, old, new, links=False)
        if forward is not None:
            return forward
        backward = self.source(layer, new, old, links=False)
        if backward is None:
            return None
        out = np.full(len(new), -1, dtype=np.int64)  # type: ignore[arg-type]
        found = np.flatnonzero(backward >= 0)
        out[backward[found]] = found
        return out
