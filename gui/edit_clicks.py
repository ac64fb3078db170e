"""Clicking points on the ground of the 3D view for the editing tools.

While a tool waits for points, :class:`GroundClicker` takes the left clicks of the view (the
camera does not turn with the left button then; the middle and right buttons and the wheel
still pan and zoom): each click adds the point drawn under the cursor
(:meth:`~gui.view3d.View3D.point_at`). One point ends a ``"point"`` tool at once; a ``"line"``
or ``"polygon"`` ends with a double click or Enter, Backspace takes the last point back, Esc
cancels. The points are previewed as a line (closed for a polygon) that follows the cursor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import pyvista as pv
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent

from gui.i18n import tr
from gui.view3d import CLICK_TOLERANCE_PX, View3D

logger = logging.getLogger(__name__)

PREVIEW_ACTOR = "edit.preview"
PREVIEW_POINTS_ACTOR = "edit.preview_points"
PREVIEW_COLOUR = "#e4007c"  # magenta: apart from the use colours, the marks and the selection
PREVIEW_LIFT_M = 1.0  # drawn above the ground so the terrain does not hide it
MODES = ("point", "line", "polygon")

Point3 = tuple[float, float, float]


class GroundClicker(QObject):
    """Points clicked on the ground of a 3D view, for one tool at a time.

    Args:
        view: the 3D view.
        origin: the local origin of the scene (project CRS), to draw the preview.

    Signals:
        finished(points): the tool's points, [(x, y, z), ...] in the project CRS.
        cancelled(): Esc, or another tool started.
        message(text): a line for the status bar (what to do next, a click off the ground).
    """

    finished = Signal(list)
    cancelled = Signal()
    message = Signal(str)

    def __init__(self, view: View3D, origin: Callable[[], Point3]) -> None:
        super().__init__(view)
        self._view = view
        self._origin = origin
        self.mode: str | None = None
        self.points: list[Point3] = []
        self._cursor: Point3 | None = None
        self._press: QPoint | None = None
        self._swallow_release = False
        self._prompt = ""
        view.plotter.installEventFilter(self)  # after the view's own: called before it
        view.cursor_moved.connect(self._on_cursor)

    @property
    def active(self) -> bool:
        """Whether a tool waits for points."""
        return self.mode is not None

    def start(self, mode: str, prompt: str) -> None:
        """Wait for points (``"point"``, ``"line"`` or ``"polygon"``); ``prompt`` goes to the
        status bar. A tool already waiting is cancelled."""
        if mode not in MODES:
            raise ValueError(f"unknown click mode '{mode}'; use one of {MODES}")
        if self.active:
            self.cancel()
        self.mode, self.points, self._cursor, self._prompt = mode, [], None, prompt
        self._view.plotter.setCursor(Qt.CursorShape.CrossCursor)
        self._view.plotter.setFocus()
        self.message.emit(prompt)

    def add_point(self, point: Point3) -> None:
        """Add a point (a click on the ground); a ``"point"`` tool ends with it."""
        if not self.active:
            return
        self.points.append((float(point[0]), float(point[1]), float(point[2])))
        if self.mode == "point":
            self.finish()
            return
        self._draw_preview()
        self.message.emit(tr("edit.click.count", prompt=self._prompt, count=len(self.points)))

    def click_at(self, x: int, y: int) -> bool:
        """A click at widget pixel (x, y): add the ground point drawn there; False (and a line
        in the status bar) over the background."""
        point = self._view.point_at(x, y)
        if point is None:
            self.message.emit(tr("edit.click.off_ground"))
            return False
        self.add_point(point)
        return True

    def undo_point(self) -> None:
        """Take the last point back."""
        if self.points:
            self.points.pop()
            self._draw_preview()

    def finish(self) -> None:
        """End the tool with its points (a line needs 2, a polygon 3: otherwise wait on)."""
        if not self.active:
            return
        needed = {"point": 1, "line": 2, "polygon": 3}[str(self.mode)]
        if len(self.points) < needed:
            self.message.emit(tr("edit.click.more", count=needed))
            return
        points = list(self.points)
        self._stop()
        self.finished.emit(points)

    def cancel(self) -> None:
        """Stop waiting for points, without an edit."""
        if not self.active:
            return
        self._stop()
        self.message.emit(tr("edit.click.cancelled"))
        self.cancelled.emit()

    # -- events ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """While a tool waits: left clicks add points, Enter ends, Backspace takes back, Esc
        cancels; everything else goes on to the view."""
        if not self.active:
            return False
        kind = event.type()
        if isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.LeftButton:
            position = event.position().toPoint()
            if kind == QEvent.Type.MouseButtonPress:
                self._press = position
                return True
            if kind == QEvent.Type.MouseButtonDblClick:
                self._swallow_release = True
                self.finish()
                return True
            if kind == QEvent.Type.MouseButtonRelease:
                if self._swallow_release:
                    self._swallow_release = False
                elif self._press is not None and (
                    (position - self._press).manhattanLength() <= CLICK_TOLERANCE_PX
                ):
                    self.click_at(position.x(), position.y())
                self._press = None
                return True
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.finish()
                return True
            if key == Qt.Key.Key_Escape:
                self.cancel()
                return True
            if key == Qt.Key.Key_Backspace:
                self.undo_point()
                return True
        return False

    # -- preview --------------------------------------------------------------------------------
    def _on_cursor(self, point: Any) -> None:
        if self.active and self.mode != "point" and self.points:
            self._cursor = None if point is None else (point[0], point[1], point[2])
            self._draw_preview()

    def _draw_preview(self) -> None:
        plotter = self._view.plotter
        drawn = list(self.points)
        if self._cursor is not None and self.active:
            drawn.append(self._cursor)
        if not drawn:
            self._clear_preview()
            return
        local = np.asarray(drawn, dtype=np.float64) - np.asarray(self._origin(), dtype=np.float64)
        local[:, 2] += PREVIEW_LIFT_M
        vertices = pv.PolyData(local[: len(self.points)])
        plotter.add_mesh(
            vertices,
            color=PREVIEW_COLOUR,
            point_size=10,
            render_points_as_spheres=True,
            name=PREVIEW_POINTS_ACTOR,
            pickable=False,
            render=False,
            reset_camera=False,
        )
        if len(local) >= 2:
            closed = self.mode == "polygon" and len(local) >= 3
            line = pv.lines_from_points(np.vstack([local, local[:1]]) if closed else local)
            plotter.add_mesh(
                line,
                color=PREVIEW_COLOUR,
                line_width=3,
                name=PREVIEW_ACTOR,
                pickable=False,
                render=False,
                reset_camera=False,
            )
        else:
            plotter.remove_actor(PREVIEW_ACTOR, render=False)
        self._view.request_render()

    def preview_shown(self) -> bool:
        """Whether the preview line is drawn (tests)."""
        return PREVIEW_ACTOR in self._view.plotter.renderer.actors

    def _clear_preview(self) -> None:
        plotter = self._view.plotter
        plotter.remove_actor(PREVIEW_ACTOR, render=False)
        plotter.remove_actor(PREVIEW_POINTS_ACTOR, render=False)
        self._view.request_render()

    def _stop(self) -> None:
        self.mode, self._cursor, self._press = None, None, None
        self.points = []
        self._view.plotter.unsetCursor()
        self._clear_preview()
