"""A scale bar in the corner of the 3D view: a round length (10 m, 20 m, 50 m …) at the focal point.

It is two 2D actors (the bar and its label) updated at the start of every render from the
camera, so it follows zooming without a timer. In an oblique perspective view it is exact at
the focal point's depth only, which is what a planner reads it for.
"""

from __future__ import annotations

import math
from typing import Any

from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor2D, vtkPolyDataMapper2D, vtkTextActor

MAX_BAR_PX = 160
MARGIN_PX = 24
TICK_PX = 6


def nice_length(max_length: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``max_length`` (> 0).

    Example:
        >>> nice_length(137.0), nice_length(260.0), nice_length(0.7)
        (100.0, 200.0, 0.5)
    """
    if max_length <= 0 or not math.isfinite(max_length):
        raise ValueError(f"max_length must be a positive number, got {max_length}")
    power = 10.0 ** math.floor(math.log10(max_length))
    for step in (5.0, 2.0, 1.0):
        if step * power <= max_length:
            return step * power
    return power  # pragma: no cover - step 1 always fits


def length_label(length_m: float) -> str:
    """``"50 m"``, ``"2 km"``, ``"0.5 m"``.

    Example:
        >>> length_label(50.0), length_label(2000.0), length_label(0.5)
        ('50 m', '2 km', '0.5 m')
    """
    if length_m >= 1000:
        return f"{length_m / 1000:g} km"
    return f"{length_m:g} m"


class ScaleBar:
    """The bar and its label, drawn in the bottom-right corner of ``renderer``."""

    def __init__(self, renderer: Any) -> None:
        self._renderer = renderer
        self._points = vtkPoints()
        self._points.SetNumberOfPoints(6)
        lines = vtkCellArray()
        for first, second in ((0, 1), (2, 3), (4, 5)):  # the bar and its two end ticks
            lines.InsertNextCell(2)
            lines.InsertCellPoint(first)
            lines.InsertCellPoint(second)
        polydata = vtkPolyData()
        polydata.SetPoints(self._points)
        polydata.SetLines(lines)
        mapper = vtkPolyDataMapper2D()
        mapper.SetInputData(polydata)
        self.bar = vtkActor2D()
        self.bar.SetMapper(mapper)
        self.bar.GetProperty().SetColor(0.1, 0.1, 0.1)
        self.bar.GetProperty().SetLineWidth(3)
        self.label = vtkTextActor()
        text = self.label.GetTextProperty()
        text.SetColor(0.1, 0.1, 0.1)
        text.SetFontSize(15)
        text.SetJustificationToCentered()
        renderer.AddViewProp(self.bar)
        renderer.AddViewProp(self.label)
        renderer.AddObserver("StartEvent", lambda *_: self.update())

    def set_visible(self, visible: bool) -> None:
        """Show or hide the bar (hidden while the view is empty)."""
        self.bar.SetVisibility(visible)
        self.label.SetVisibility(visible)

    def metres_per_pixel(self) -> float:
        """Ground metres per screen pixel at the focal point (0 before the first render)."""
        height_px = self._renderer.GetSize()[1]
        if height_px <= 0:
            return 0.0
        camera = self._renderer.GetActiveCamera()
        if camera.GetParallelProjection():
            return 2.0 * camera.GetParallelScale() / height_px
        visible_m = 2.0 * camera.GetDistance() * math.tan(math.radians(camera.GetViewAngle()) / 2)
        return visible_m / height_px

    def update(self) -> None:
        """Choose the bar's length for the current zoom and place it."""
        per_px = self.metres_per_pixel()
        if per_px <= 0:
            return
        length_m = nice_length(MAX_BAR_PX * per_px)
        width_px = length_m / per_px
        right = self._renderer.GetSize()[0] - MARGIN_PX
        left, y = right - width_px, MARGIN_PX
        corners = (
            (left, y),
            (right, y),
            (left, y - TICK_PX),
            (left, y + TICK_PX),
            (right, y - TICK_PX),
            (right, y + TICK_PX),
        )
        for index, (x, y_px) in enumerate(corners):
            self._points.SetPoint(index, x, y_px, 0.0)
        self._points.Modified()
        self.label.SetInput(length_label(length_m))
        self.label.SetPosition((left + right) / 2, y + TICK_PX + 4)
