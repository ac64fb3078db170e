"""The main window's size, position and dock layout, kept in QSettings between sessions.

:class:`WindowLayout` remembers the layout the window was built with, restores the saved one at
start-up (``window/geometry``, ``window/state``), saves it on close, and puts the built one
back on request (View ▸ Reset the layout). A saved state of another :data:`STATE_VERSION` (an
older app with other docks) is ignored rather than half-applied.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

logger = logging.getLogger(__name__)

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
#: Bump when docks or toolbars are added or renamed, so old saved layouts are dropped.
STATE_VERSION = 1


class WindowLayout:
    """Save, restore and reset the geometry and dock layout of ``window``.

    Create it once the window has all its docks and toolbars: the layout at that moment is
    the default that :meth:`reset` puts back. ``dock_sizes`` lists default sizes as
    (docks, sizes in pixels, orientation), applied at creation and on reset.
    """

    def __init__(
        self,
        window: QMainWindow,
        settings: QSettings,
        dock_sizes: list[tuple[list[QDockWidget], list[int], Qt.Orientation]] | None = None,
    ) -> None:
        self.window = window
        self.settings = settings
        self._dock_sizes = list(dock_sizes or [])
        self._apply_dock_sizes()
        self._default_size = QSize(window.size())
        self._default_state = window.saveState(STATE_VERSION)

    def restore(self) -> bool:
        """Apply the saved geometry and dock layout, if any; True when a layout was restored."""
        geometry = self.settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.window.restoreGeometry(geometry)
        state = self.settings.value(STATE_KEY)
        if not isinstance(state, QByteArray) or state.isEmpty():
            return False
        restored = bool(self.window.restoreState(state, STATE_VERSION))
        if not restored:
            logger.info("saved window layout ignored (another version)")
        return restored

    def save(self) -> None:
        """Store the geometry and dock layout (call it when the window closes)."""
        self.settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        self.settings.setValue(STATE_KEY, self.window.saveState(STATE_VERSION))

    def reset(self) -> None:
        """Put docks and toolbars back where the window was built with them, at the default
        size, and forget the saved layout."""
        if self.window.isMaximized() or self.window.isFullScreen():
            self.window.showNormal()
        self.window.restoreState(self._default_state, STATE_VERSION)
        self.window.resize(self._default_size)
        self._apply_dock_sizes()
        self.settings.remove(GEOMETRY_KEY)
        self.settings.remove(STATE_KEY)

    def _apply_dock_sizes(self) -> None:
        for docks, sizes, orientation in self._dock_sizes:
            self.window.resizeDocks(docks, sizes, orientation)
