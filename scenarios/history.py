"""Undo and redo, edit by edit, with listeners (the app's menus and views subscribe).

Example:
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from scenarios.edits import AddFloors
    >>> city = City()
    >>> city.set_layer("buildings", gpd.GeoDataFrame({"id": ["B1"], "use": ["residential"],
    ...     "floors": [2]}, geometry=[box(0, 0, 10, 10)], crs="EPSG:2154"))
    >>> history = History(city)
    >>> history.do(AddFloors(("B1",), 1)).summary()
    'add 1 floor(s) to 1 building(s): buildings 1'
    >>> city.layer("buildings")["floors"].tolist()
    [3]
    >>> history.undo().edit.kind, city.layer("buildings")["floors"].tolist(), history.can_redo
    ('add_floors', [2], True)
"""

from __future__ import annotations

import logging

from psygnal import Signal

from scenarios.assumptions import Assumptions
from scenarios.change import Change, redo_change, run_edit, undo_change
from scenarios.edits.base import Edit
from scenarios.edits.refusals import refuse
from twin.city import City

logger = logging.getLogger(__name__)


class History:
    """The edits done on one City, undoable and redoable in order.

    Args:
        city: the City the edits change.
        assumptions: the ratios edits use (default: the shipped ones).
        limit: how many edits can be undone; older ones are forgotten (each keeps the frames
            its edit replaced: 20 to 40 MB for the buildings of a 100,000-building town).
    """

    changed = Signal(str, object)
    """Emitted as ``changed(action, change)`` after ``"do"``, ``"undo"`` and ``"redo"`` (the
    Change), and ``changed("clear", None)``. The City's own ``changed`` events come first."""

    def __init__(
        self, city: City, assumptions: Assumptions | None = None, *, limit: int = 100
    ) -> None:
        self.city = city
        self.assumptions = assumptions
        self.limit = limit
        self._done: list[Change] = []
        self._undone: list[Change] = []

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return bool(self._undone)

    @property
    def undo_summary(self) -> str:
        """What undo would undo ("" if nothing)."""
        return self._done[-1].edit.summary() if self._done else ""

    @property
    def redo_summary(self) -> str:
        """What redo would redo ("" if nothing)."""
        return self._undone[-1].edit.summary() if self._undone else ""

    @property
    def edits(self) -> tuple[Edit, ...]:
        """The edits done and not undone, in order (what a scenario would hold)."""
        return tuple(change.edit for change in self._done)

    @property
    def changes(self) -> tuple[Change, ...]:
        """The changes done and not undone, in order."""
        return tuple(self._done)

    def do(self, edit: Edit) -> Change:
        """Run ``edit`` and push it; the redo list is cleared.

        Raises:
            InvalidInputError: the edit does not fit the City; nothing changed.
        """
        change = run_edit(self.city, edit, self.assumptions)
        self._done.append(change)
        del self._done[: max(len(self._done) - self.limit, 0)]
        self._undone.clear()
        self.changed.emit("do", change)
        return change

    def undo(self) -> Change:
        """Undo the last edit and return its Change.

        Raises:
            InvalidInputError: nothing to undo, or the City was changed otherwise since.
        """
        if not self._done:
            raise refuse("nothing_to_undo", "nothing to undo.")
        change = self._done[-1]
        undo_change(self.city, change)
        self._undone.append(self._done.pop())
        self.changed.emit("undo", change)
        return change

    def redo(self) -> Change:
        """Redo the last undone edit and return its Change.

        Raises:
            InvalidInputError: nothing to redo, or the City was changed otherwise since.
        """
        if not self._undone:
            raise refuse("nothing_to_redo", "nothing to redo.")
        change = self._undone[-1]
        redo_change(self.city, change)
        self._done.append(self._undone.pop())
        self.changed.emit("redo", change)
        return change

    def clear(self) -> None:
        """Forget every edit (the City stays as it is)."""
        self._done.clear()
        self._undone.clear()
        self.changed.emit("clear", None)
