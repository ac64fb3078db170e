"""Coarse level of detail while the camera moves in a big scene, full detail at rest.

When VTK's interactor style starts an interaction (a mouse button goes down on the view, the
wheel turns) in a scene of at least :data:`LOD_MIN_CELLS` cells, each layer's actor draws its
coarse stand-in (:mod:`gui.scene_lod`) through a second mapper, and the parcels' fine lines are
hidden. When the interaction ends, the full mappers come back before VTK draws the last frame,
so the picture at rest is always the full one. Both mappers keep their OpenGL buffers: swapping
them uploads nothing. A turn of the wheel ends its interaction at once: the full picture then
comes back after :data:`WHEEL_REST_MS` without another turn, so a quick zoom stays coarse.
A tiled layer (:mod:`gui.scene_tiles`) draws its one coarse stand-in through its first tile's
actor and hides the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer
from vtkmodules.vtkRenderingCore import vtkPolyDataMapper

from gui.scene import VERTEX_RGB, SceneLayer
from gui.scene_lod import hidden_while_moving

logger = logging.getLogger(__name__)

#: Scenes with at least this many cells (triangles and line segments) get the coarse level.
LOD_MIN_CELLS = 1_000_000
#: Quiet time after a turn of the wheel before the full picture comes back.
WHEEL_REST_MS = 250


@dataclass
class _Tracked:
    actor: Any
    layer: SceneLayer
    full: Any  # the actor's own mapper
    coarse: Any  # mapper of layer.coarse, or None
    coloured_version: int = -1  # colour version the coarse cells were last coloured with
    others: list[Any] = field(default_factory=list)  # a tiled layer's other tiles' actors


class InteractionLod(QObject):
    """Swaps the view's actors to their coarse stand-ins while the camera moves.

    ``wanted_visible(name)`` says whether the user shows a layer; ``render()`` draws a frame.
    """

    def __init__(
        self,
        interactor: Any,
        wanted_visible: Callable[[str], bool],
        render: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.enabled = True
        self.min_cells = LOD_MIN_CELLS
        self.coarse = False
        self.switches = 0  # how many times the coarse level was put on (for tests)
        self._interactor = interactor
        self._wanted_visible = wanted_visible
        self._render = render
        self._tracked: dict[str, _Tracked] = {}
        self._colour_versions: dict[str, int] = {}
        self._style: Any = None
        self._wheel = False
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(WHEEL_REST_MS)
        self._rest_timer.timeout.connect(self._rest_after_wheel)
        self.watch_style()

    # -- layers ------------------------------------------------------------------------------
    def track(self, name: str, actor: Any, layer: SceneLayer, others: Any = ()) -> None:
        """Follow a layer's new actor (its coarse mapper is made now, on the GUI thread);
        ``others``: a tiled layer's other actors, hidden while its stand-in is drawn."""
        self.forget(name)
        coarse = None
        if layer.coarse is not None:
            coarse = vtkPolyDataMapper()
            coarse.SetInputData(layer.coarse)
            if layer.pickable:
                coarse.SetScalarModeToUsePointFieldData()
                coarse.SelectColorArray(VERTEX_RGB)
                coarse.SetColorModeToDirectScalars()
                coarse.ScalarVisibilityOn()
            else:
                coarse.ScalarVisibilityOff()
        self._tracked[name] = _Tracked(actor, layer, actor.GetMapper(), coarse, others=list(others))
        if self.coarse:
            self._go_coarse(name, self._tracked[name])

    def forget(self, name: str) -> None:
        """Stop following a layer (its actor is being removed): give it its full mapper back."""
        tracked = self._tracked.pop(name, None)
        if tracked is not None and tracked.actor.GetMapper() is not tracked.full:
            tracked.actor.SetMapper(tracked.full)
        if tracked is not None and self.coarse:
            for actor in [tracked.actor, *tracked.others]:
                actor.SetVisibility(self._wanted_visible(name))

    def colours_changed(self, name: str) -> None:
        """The full layer's colours changed: the coarse one is recoloured when next used."""
        self._colour_versions[name] = self._colour_versions.get(name, 0) + 1
        tracked = self._tracked.get(name)
        if self.coarse and tracked is not None and tracked.actor.GetMapper() is tracked.coarse:
            self._colour_coarse(name, tracked)

    def hides(self, name: str) -> bool:
        """Whether the coarse level hides this layer now."""
        tracked = self._tracked.get(name)
        return self.coarse and tracked is not None and self._hidden_when_moving(tracked)

    def scene_cells(self) -> int:
        """Cells drawn at rest (visible layers)."""
        return sum(t.layer.n_cells for n, t in self._tracked.items() if self._wanted_visible(n))

    # -- interaction -------------------------------------------------------------------------
    def watch_style(self) -> None:
        """Observe the interactor style's start and end of interactions (again if replaced)."""
        style = self._interactor.GetInteractorStyle()
        if style is None or style is self._style:
            return
        self._style = style
        style.AddObserver("StartInteractionEvent", lambda *_: self.begin())
        style.AddObserver("EndInteractionEvent", lambda *_: self.end())

    def wheel_turned(self) -> None:
        """A wheel event reaches the view (its interaction ends at once: rest comes later)."""
        self._wheel = True

    def begin(self) -> None:
        """The camera starts moving: coarse level if the scene is big enough."""
        self._rest_timer.stop()
        if self.coarse or not self.enabled or self.scene_cells() < self.min_cells:
            return
        self.coarse = True
        self.switches += 1
        for name, tracked in self._tracked.items():
            self._go_coarse(name, tracked)
        logger.debug("coarse level on (%d cells at rest)", self.scene_cells())

    def end(self) -> None:
        """The camera stops: full detail before VTK draws the final frame (after a wheel
        turn, once the wheel has been quiet for :data:`WHEEL_REST_MS`)."""
        if self._wheel:
            self._wheel = False
            if self.coarse:
                self._rest_timer.start()
            return
        self.restore()

    def restore(self) -> None:
        """Full detail again (does not render)."""
        self._rest_timer.stop()
        if not self.coarse:
            return
        self.coarse = False
        for name, tracked in self._tracked.items():
            tracked.actor.SetMapper(tracked.full)
            for actor in [tracked.actor, *tracked.others]:
                actor.SetVisibility(self._wanted_visible(name))

    def _rest_after_wheel(self) -> None:
        if self.coarse:
            self.restore()
            self._render()

    def _go_coarse(self, name: str, tracked: _Tracked) -> None:
        if self._hidden_when_moving(tracked):
            for actor in [tracked.actor, *tracked.others]:
                actor.SetVisibility(False)
        elif tracked.coarse is not None:
            _copy_clipping_planes(tracked.full, tracked.coarse)
            if tracked.layer.pickable:
                self._colour_coarse(name, tracked)
            tracked.actor.SetMapper(tracked.coarse)
            for actor in tracked.others:  # the stand-in covers every tile
                actor.SetVisibility(False)

    def _colour_coarse(self, name: str, tracked: _Tracked) -> None:
        version = self._colour_versions.get(name, 0)
        if tracked.coloured_version == version:
            return
        layer = tracked.layer
        if layer.tiled and layer.drawn_rgb is not None:
            per_object = layer.drawn_rgb
        else:
            cell_rgb = np.asarray(layer.mesh.cell_data["rgb"])
            per_object = cell_rgb[_first_cell_of_objects(layer)]  # each object's colour now
        corners = layer.coarse.n_points // max(len(per_object), 1)  # the boxes' 8 corners
        layer.coarse.point_data[VERTEX_RGB] = np.repeat(per_object, corners, axis=0)
        tracked.coloured_version = version

    @staticmethod
    def _hidden_when_moving(tracked: _Tracked) -> bool:
        layer = tracked.layer
        return hidden_while_moving(layer.name, layer.line_width, layer.n_cells)


def _copy_clipping_planes(source: Any, target: Any) -> None:
    """Give ``target`` mapper the clipping planes (the cut) of ``source``."""
    target.RemoveAllClippingPlanes()
    planes = source.GetClippingPlanes()
    for index in range(planes.GetNumberOfItems() if planes is not None else 0):
        target.AddClippingPlane(planes.GetItem(index))


def _first_cell_of_objects(layer: SceneLayer) -> np.ndarray:
    """Index of one cell of each object (0 for objects without cells)."""
    if layer.store is not None:
        return np.minimum(layer.store.face_offsets[:-1], max(layer.mesh.n_cells - 1, 0))
    object_index = np.asarray(layer.mesh.cell_data["object_index"])
    first = np.zeros(len(layer.object_ids), dtype=np.int64)
    cells = np.arange(len(object_index))[::-1]
    first[object_index[::-1]] = cells
    return first
