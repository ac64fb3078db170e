"""Scenario marks kept across the edits of the City shown: after a change of some rows, only
those rows are compared with the baseline again (no Qt).

:func:`~gui.scenario_marks.compare_rows` reads every row of both frames (~0.15 s for 100 000
buildings). An edit names the rows it changed, added or removed (``City.changed(layer, ids,
columns)``), and a row's mark depends on that row alone (its id's first row on each side), so
the marks of the other rows stay as they were: :func:`updated_marks` compares the named rows
only, a few milliseconds. :class:`MarksKeeper` hears the changes of the City shown and keeps
each layer's marks until asked again.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TypeAlias

import pandas as pd

from gui.scenario_marks import OBJECT_LAYERS, Marks, compare_rows
from twin.city import City

Frame: TypeAlias = pd.DataFrame | None


def updated_marks(marks: Marks, baseline: Frame, scenario: Frame, ids: Iterable[str]) -> Marks:
    """``marks`` of an earlier version of ``scenario`` once the rows ``ids`` changed, were
    added or removed: those ids compared again, the others' marks kept. Equal to
    ``compare_rows(baseline, scenario)`` when every row that differs between the two versions
    has its id in ``ids``.

    Example:
        >>> before = pd.DataFrame({"id": ["a", "b"], "floors": [1, 2]})
        >>> after = pd.DataFrame({"id": ["a", "b", "c"], "floors": [1, 3, 4]})
        >>> marks = updated_marks(compare_rows(before, before.copy()), before, after, ["b", "c"])
        >>> sorted(marks.new), sorted(marks.changed), marks == compare_rows(before, after)
        (['c'], ['b'], True)
    """
    touched = sorted({str(i) for i in ids})
    if not touched:
        return marks
    fresh = compare_rows(_rows_of(baseline, touched), _rows_of(scenario, touched))
    gone = frozenset(touched)
    return Marks(
        (marks.new - gone) | fresh.new,
        (marks.changed - gone) | fresh.changed,
        (marks.removed - gone) | fresh.removed,
    )


def _rows_of(frame: Frame, ids: list[str]) -> Frame:
    """The rows of ``frame`` whose id is one of ``ids``, in their order (None stays None)."""
    if frame is None or "id" not in frame:
        return frame
    return frame[frame["id"].astype(str).isin(ids).to_numpy(dtype=bool)]


class MarksKeeper:
    """The marks of the layers of one City (the one shown) against the baseline, made again
    only for the rows its changes named since they were last asked for.

    :meth:`follow` names the City whose changes :meth:`note` hears (another City: everything
    is forgotten). A change without ids (a layer replaced whole), or one that changed ids,
    makes the layer's marks anew from both frames; so does a new baseline frame, or a frame
    that changed with no change heard.
    """

    def __init__(self) -> None:
        self._city: weakref.ref[City] | None = None
        self._entries: dict[str, tuple[Frame, Frame, Marks]] = {}
        self._touched: dict[str, set[str] | None] = {}  # None: compare the whole layer

    def follow(self, city: City | None) -> None:
        """Hear the changes of ``city`` from now on (forgetting all if it is another one)."""
        if city is None or self._city is None or self._city() is not city:
            self.forget()
            self._city = weakref.ref(city) if city is not None else None

    def forget(self) -> None:
        """Forget every layer's marks."""
        self._entries.clear()
        self._touched.clear()

    def note(self, layer: str, ids: Iterable[str], columns: Iterable[str]) -> None:
        """``City.changed(layer, ids, columns)`` of the City followed."""
        if layer not in self._entries:
            return
        ids, columns = tuple(ids), tuple(columns)
        touched = self._touched.setdefault(layer, set())
        if not ids or "id" in columns or touched is None:
            self._touched[layer] = None
        else:
            touched.update(str(i) for i in ids)

    def marks(self, layer: str, baseline: Frame, city: City) -> Marks:
        """The marks of layer ``layer`` of ``city`` against ``baseline`` (the same layer of
        the baseline; None where absent): kept if ``city`` is the City followed, else
        compared whole."""
        frame = city.layer(layer) if layer in city else None
        if self._city is None or self._city() is not city:
            return compare_rows(baseline, frame)
        entry = self._entries.get(layer)
        touched = self._touched.pop(layer, set())
        if entry is None or entry[0] is not baseline or touched is None:
            marks = compare_rows(baseline, frame)
        elif touched:
            marks = updated_marks(entry[2], baseline, frame, touched)
        elif entry[1] is frame:
            marks = entry[2]
        else:  # a new frame no change was heard of: compare it whole
            marks = compare_rows(baseline, frame)
        self._entries[layer] = (baseline, frame, marks)
        return marks

    def object_marks(self, baseline: City | None, shown: City | None) -> dict[str, Marks]:
        """As :func:`gui.scenario_marks.object_marks`: the layers of
        :data:`~gui.scenario_marks.OBJECT_LAYERS` where ``shown`` (the City followed) differs
        from ``baseline``, with their marks."""
        if baseline is None or shown is None or shown is baseline:
            return {}
        out: dict[str, Marks] = {}
        for name in OBJECT_LAYERS:
            marks = self.marks(name, baseline.layer(name) if name in baseline else None, shown)
            if marks.any:
                out[name] = marks
        return out
