"""The dispatcher: run an edit, and record the Change it made so it can be undone and redone.

A City never modifies a layer's frame in place: every change stores a new frame. So a Change
only keeps references to the frames (and mesh sets) an edit replaced, before and after, taken
with :meth:`City.snapshot`; undo and redo put them back with :meth:`City.restore`, exactly,
for the cost of a few dict updates. Edits run inside :meth:`City.transaction`: one that fails
half-way leaves the City as it was.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from scenarios.assumptions import Assumptions
from scenarios.edits.base import Edit, assumptions_or_default
from scenarios.edits.refusals import refuse
from twin.city import City, CityState

logger = logging.getLogger(__name__)

Event = tuple[str, tuple[str, ...], tuple[str, ...]]
"""A ``City.changed`` event: (layer, ids, columns); empty columns: whole rows."""


@dataclasses.dataclass(frozen=True)
class Parts:
    """The parts of a City an edit replaced: ``None`` where the layer or mesh set was absent."""

    layers: Mapping[str, Any]
    specs: Mapping[str, Any]
    meshes: Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Change:
    """What one edit changed.

    Attributes:
        edit: the edit that ran.
        events: the ``changed`` events it emitted, in order (layer, ids, columns).
        before: the replaced frames, specs and mesh sets as they were before.
        after: the same parts as the edit left them.
    """

    edit: Edit
    events: tuple[Event, ...]
    before: Parts
    after: Parts

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers (and mesh sets) that changed, in the order they changed."""
        names = [event[0] for event in self.events]
        names += [*self.before.layers, *self.before.meshes]
        return tuple(dict.fromkeys(names))

    def ids(self, layer: str) -> tuple[str, ...]:
        """Ids of the rows of ``layer`` that were changed, added or removed (for a layer
        the edit created or replaced whole, the rows that appeared or went)."""
        found = [i for name, ids, _ in self.events if name == layer for i in ids]
        if any(name == layer and not ids for name, ids, _ in self.events):
            found += _added_or_removed(self.before.layers.get(layer), self.after.layers.get(layer))
        return tuple(dict.fromkeys(found))

    def columns(self, layer: str) -> tuple[str, ...]:
        """Columns of ``layer`` that changed; empty when whole rows were added or removed."""
        found: list[str] = []
        for name, _, columns in self.events:
            if name != layer:
                continue
            if not columns:
                return ()
            found.extend(columns)
        return tuple(dict.fromkeys(found))

    def summary(self) -> str:
        """One line: the edit and the rows it touched per layer.

        Example:
            >>> from scenarios.edits import Retrofit
            >>> empty = Parts({}, {}, {})
            >>> Change(Retrofit("C", ids=("B1",)), (("buildings", ("B1",), ("retrofit_target",)),),
            ...        empty, empty).summary()
            'energy retrofit of 1 building(s) to class C: buildings 1'
        """
        counts = ", ".join(f"{layer} {len(self.ids(layer))}" for layer in self.layers)
        return f"{self.edit.summary()}: {counts or 'nothing changed'}"


def run_edit(city: City, edit: Edit, assumptions: Assumptions | None = None) -> Change:
    """Apply ``edit`` to ``city`` (all or nothing) and return what it changed.

    Raises:
        InvalidInputError: the edit does not fit the City (unknown id ...); nothing changed.
    """
    assumptions = assumptions_or_default(assumptions)
    before = city.snapshot()
    events: list[Event] = []

    def record(layer: str, ids: tuple[str, ...], columns: tuple[str, ...]) -> None:
        events.append((layer, tuple(ids), tuple(columns)))

    city.changed.connect(record)
    try:
        with city.transaction():
            edit.run(city, assumptions)
    finally:
        city.changed.disconnect(record)
    old, new = _differing(before, city.snapshot())
    if not events:  # run inside someone else's transaction: events come later, as whole layers
        events = [(name, (), ()) for name in [*old.layers, *old.meshes]]
    change = Change(edit, tuple(events), old, new)
    logger.info("edit: %s", change.summary())
    return change


def undo_change(city: City, change: Change) -> None:
    """Put back the frames ``change`` replaced.

    Raises:
        InvalidInputError: the City was changed otherwise since (its frames are not the ones
            the change left): undoing would lose that work.
    """
    _swap(city, change, change.after, change.before, "undo")


def redo_change(city: City, change: Change) -> None:
    """Put back the frames ``change`` had made (after an undo).

    Raises:
        InvalidInputError: the City was changed otherwise since the undo.
    """
    _swap(city, change, change.before, change.after, "redo")


def _added_or_removed(before: Any, after: Any) -> list[str]:
    def ids(frame: Any) -> set[str]:
        return set() if frame is None or "id" not in frame else set(frame["id"].astype(str))

    old, new = ids(before), ids(after)
    return sorted(new - old) + sorted(old - new)


def _differing(before: CityState, after: CityState) -> tuple[Parts, Parts]:
    def changed(then: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
        return [n for n in dict.fromkeys([*then, *now]) if then.get(n) is not now.get(n)]

    layers = changed(before.layers, after.layers)
    meshes = changed(before.meshes, after.meshes)
    old = Parts(
        {n: before.layers.get(n) for n in layers},
        {n: before.specs.get(n) for n in layers},
        {n: before.meshes.get(n) for n in meshes},
    )
    new = Parts(
        {n: after.layers.get(n) for n in layers},
        {n: after.specs.get(n) for n in layers},
        {n: after.meshes.get(n) for n in meshes},
    )
    return old, new


def _swap(city: City, change: Change, expected: Parts, wanted: Parts, action: str) -> None:
    state = city.snapshot()
    stale = [n for n, frame in expected.layers.items() if state.layers.get(n) is not frame]
    stale += [n for n, store in expected.meshes.items() if state.meshes.get(n) is not store]
    if stale:
        raise refuse(
            f"{action}_stale",
            f"cannot {action} « {change.edit.summary()} »: layer '{stale[0]}' was changed "
            f"otherwise since; {action} the later changes first.",
            edit=change.edit,
            layer=stale[0],
        )
    restored = dataclasses.replace(
        state,
        layers=_put(state.layers, wanted.layers),
        specs=_put(state.specs, wanted.specs),
        meshes=_put(state.meshes, wanted.meshes),
    )
    city.restore(restored, events=change.events)


def _put(current: Mapping[str, Any], parts: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(current)
    for name, value in parts.items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return out
