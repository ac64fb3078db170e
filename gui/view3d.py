"""The 3D view: a pyvistaqt QtInteractor showing one merged mesh per layer of the City.

Selection is a cell-colour update of the merged mesh (no actor per object); renders are
requested and coalesced by a short single-shot timer; a click (press and release without
dragging) picks a cell, whose ``object_index`` names the object, by a ray cast in numpy
(:mod:`gui.scene_pick`); the point under the cursor is looked up on a throttled timer from the
depth buffer, for the status bar.

After a change of the City, meshes are rebuilt in a worker thread (:mod:`gui.scene_worker`; an
edit of a few buildings re-extrudes, adds or removes only those) and the actors swapped when
ready; a big town is also opened that way. A big town's buildings are drawn as tiles, one actor
each (:mod:`gui.scene_tiles`): an edit swaps the actors of the tiles it touches only, a new
colour re-uploads only the tiles it touches, and VTK skips tiles out of view. While a build is
in flight, frames asked for wait for it (up to :data:`BUILD_RENDER_WAIT_MS`): one frame shows
the change. While the camera moves in a big scene, coarse stand-ins are drawn
(:mod:`gui.view_lod`). LoD1 buildings are closed: their back faces are culled, unless cut.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pyvistaqt import QtInteractor
from vtkmodules.vtkCommonDataModel import vtkPlane
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkWorldPointPicker

from gui.camera import frame_camera, side_camera, top_camera
from gui.scale_bar import ScaleBar
from gui.scenario_marks import OUTLINED_MARK_STRENGTH as MARKS_STRENGTH
from gui.scenario_marks import tinted
from gui.scene import SCENE_LAYERS, VERTEX_RGB, SceneLayer
from gui.scene_pick import pixel_ray, ray_pick
from gui.scene_update import FRAME_LAYERS, build_scene, scene_plan
from gui.scene_worker import SceneBuilder, SceneOutcome
from gui.view_lod import InteractionLod
from twin.city import City

logger = logging.getLogger(__name__)

BACKGROUND = "#f4f1ea"
RENDER_DELAY_MS = 15  # coalesces bursts of changes into one frame (~60 ms on software GL)
CURSOR_DELAY_MS = 80  # at most ~12 depth-buffer reads a second while the mouse moves
CLICK_TOLERANCE_PX = 4  # a press and release closer than this is a click, not a drag
#: A City with more rows than this in its drawn layers is opened with the meshes built in the
#: worker (the view fills in when they are ready); smaller ones are built at once.
BACKGROUND_OPEN_MIN_ROWS = 20_000
CULLED_LAYERS = ("buildings",)  # closed meshes: back faces never show unless cut
#: While a scene build runs, a frame asked for waits for it at most this long (the build's
#: own frame then shows the change: one full render instead of two).
BUILD_RENDER_WAIT_MS = 600


class View3D(QWidget):
    """The interactive 3D view of a City.

    Signals:
        object_picked(layer, object_id): the user clicked an object of a pickable layer.
        cursor_moved(point): (x, y, z) in the project CRS under the mouse, or None.
        layer_rebuilt(layer): a scene layer was (re)built from the City; per-object colours set
            with :meth:`set_object_colours` are lost and must be set again.
        layers_changed(): layers were added, rebuilt or removed (``layers`` is up to date).
        message(text): a line for the status bar (a long rebuild, a failed one); "" clears it.
    """

    object_picked = Signal(str, str)
    cursor_moved = Signal(object)
    layer_rebuilt = Signal(str)
    layers_changed = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plotter: Any = QtInteractor(self, auto_update=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plotter)
        self.plotter.set_background(BACKGROUND)
        self.plotter.add_axes(xlabel="E", ylabel="N", zlabel="Z", line_width=2, color="black")
        self.scale_bar = ScaleBar(self.plotter.renderer)

        self.layers: dict[str, SceneLayer] = {}
        self._actors: dict[str, Any] = {}  # one per layer (a tiled layer's first tile's)
        self._tile_actors: dict[str, list[Any]] = {}  # a tiled layer's, tile by tile
        self._visible: dict[str, bool] = dict.fromkeys(SCENE_LAYERS, True)
        self._opacity: dict[str, float] = dict.fromkeys(SCENE_LAYERS, 1.0)
        self._selected: dict[str, set[str]] = {}
        self._clip_z: dict[str, float] = {}
        self._labels: dict[str, Any] = {}
        self._origin = np.zeros(3)
        self._frame: tuple[np.ndarray, float] | None = None
        self._point_picker = vtkWorldPointPicker()
        self._highlighted: dict[str, np.ndarray] = {}  # object positions drawn in cyan
        self._marks: dict[str, dict[str, str]] = {}  # scenario marks: layer → {id: colour}
        self._overlays: dict[str, tuple[SceneLayer, str, float, Any]] = {}  # see set_overlay
        self._builder = SceneBuilder(lambda: dict(self.layers), self)
        self._builder.built.connect(self._on_built)
        self._builder.message.connect(self.message)
        self.lod = InteractionLod(
            self.plotter.iren.interactor,
            lambda n: self._visible.get(n, True),
            self.render_now,
            self,
        )
        # pyvistaqt renders into a framebuffer object, then schedules a paint that renders
        # again before the blit: every frame would cost two. So VTK's interactor only asks for
        # a paint, and a paint right after a frame drawn outside it just blits that frame.
        self._fresh_frame = False
        interactor = self.plotter.iren.interactor
        interactor.SetEnableRender(False)
        interactor.AddObserver("RenderEvent", self._on_interactor_render)
        self.plotter.ren_win.AddObserver("EndEvent", self._on_frame_drawn)
        self._press: QPoint | None = None
        self._auto_frame = True  # re-frame on resize until the user moves the camera
        self._cursor: QPoint | None = None

        self._render_timer = _single_shot(self, RENDER_DELAY_MS, self._on_render_timer)
        self._render_waiting_since: float | None = None  # a frame waits for a build since
        self._cursor_timer = _single_shot(self, CURSOR_DELAY_MS, self._report_cursor)
        self.plotter.installEventFilter(self)

    # -- content ----------------------------------------------------------------------------
    def set_city(self, city: City | None) -> None:
        """Show ``city`` (or nothing), framed on its town centre. A big town's meshes are built
        in the worker: the view fills in (and frames the town) when they are ready."""
        self._builder.reset()
        self.lod.restore()
        for name in list(self._actors):
            self._remove_actor(name)
        for key in list(self._labels):
            self.set_labels(key, None)
        for key in list(self._overlays):
            self.set_overlay(key, None)
        self._marks.clear()
        self.layers.clear()
        self._selected.clear()
        self._highlighted.clear()
        self._clip_z.clear()
        self._frame = None
        if city is not None:
            self._origin = np.array(city.ensure_origin(), dtype=np.float64)
            if _drawn_rows(city) >= BACKGROUND_OPEN_MIN_ROWS:
                self._builder.request(city, dict.fromkeys(SCENE_LAYERS))
            else:
                self.rebuild(city, SCENE_LAYERS)
        self.scale_bar.set_visible(bool(self.layers))
        self.reset_view()

    def rebuild(self, city: City, names: Iterable[str]) -> None:
        """Rebuild the given scene layers from ``city`` now, on this thread, keeping the camera
        (:meth:`schedule_change` does it in the background)."""
        self._builder.supersede()  # a build started before this one must not land after it
        self._apply_layers(build_scene(city, dict.fromkeys(names), self.layers))

    def schedule_change(
        self, city: City, layer: str, ids: Iterable[str], columns: Iterable[str]
    ) -> None:
        """Redraw what ``City.changed(layer, ids, columns)`` touches, in a worker thread:
        changes close together make one build, and a newer one supersedes a build in flight."""
        plan = scene_plan(layer, tuple(ids), tuple(columns))
        if plan:
            self._builder.request(city, plan)

    def scene_busy(self) -> bool:
        """Whether a background build runs or waits to start."""
        return self._builder.busy

    def wait_for_scene(self, timeout_ms: int = 60_000) -> bool:
        """Wait until the background builds are done and shown (tests, screenshots); False on
        timeout. Runs the event loop."""
        deadline = time.perf_counter() + timeout_ms / 1000
        while self._builder.busy and time.perf_counter() < deadline:
            self._builder.wait(timeout_ms)
            QCoreApplication.processEvents()
        return not self._builder.busy

    def _on_built(self, outcome: SceneOutcome) -> None:
        self._apply_layers(outcome.layers)

    def _apply_layers(self, built: dict[str, SceneLayer | None]) -> None:
        for name, layer in built.items():
            self._swap(name, layer)
        if self._frame is None:
            self._frame = self._compute_frame()
            if self._frame is not None and self._auto_frame:
                self.reset_view()
        self.scale_bar.set_visible(bool(self.layers))
        self.layers_changed.emit()
        self.request_render()

    def _swap(self, name: str, layer: SceneLayer | None) -> None:
        old = self.layers.get(name)
        same_objects = (
            old is not None
            and layer is not None
            and old.pickable
            and np.array_equal(old.object_ids, layer.object_ids)
        )
        actors = self._swap_tiles(name, old, layer)
        if actors is None and name in self._actors:
            self._remove_actor(name)
        self.layers.pop(name, None)
        self._highlighted.pop(name, None)
        if layer is None:
            return
        self.layers[name] = layer
        if actors is None:
            actors = self._add_layer(layer)
        self._actors[name] = actors[0]
        if layer.tiled:
            self._tile_actors[name] = actors
        self.lod.track(name, actors[0], layer, actors[1:])
        if layer.pickable:  # the colours set are kept for the same objects; marks always
            given = old.given_rgb if same_objects and old else layer.given_rgb  # rows spliced
            self.set_object_colours(name, given)
        if name in self._selected:
            self._apply_highlight(name, partial=True)  # the new mesh has no highlight yet
        if name in self._clip_z:
            self._apply_clip(name)
        self.layer_rebuilt.emit(name)

    def _swap_tiles(
        self, name: str, old: SceneLayer | None, layer: SceneLayer | None
    ) -> list[Any] | None:
        """Keep the actors of the tiles ``layer`` shares with ``old``, add actors for its new
        tiles, remove those of the tiles gone (buildings added or removed may add or drop a
        tile); None when the layer is not swapped tile by tile."""
        actors = self._tile_actors.get(name)
        if (
            old is None
            or layer is None
            or not actors
            or not (old.tiled and layer.tiled)
            or len(actors) != len(old.tiles)
        ):
            return None
        self.lod.forget(name)
        by_tile = {id(tile): actor for tile, actor in zip(old.tiles, actors, strict=True)}
        kept = [by_tile.pop(id(tile), None) for tile in layer.tiles]
        for actor in by_tile.values():
            self.plotter.remove_actor(actor, render=False)
        swapped = [
            actor if actor is not None else self._add_tile(name, tile, actors[0])
            for actor, tile in zip(kept, layer.tiles, strict=True)
        ]
        logger.debug(
            "%s: %d tiles of %d new, %d gone",
            name,
            sum(actor is None for actor in kept),
            len(swapped),
            len(by_tile),
        )
        return swapped

    def _remove_actor(self, name: str) -> None:
        self.lod.forget(name)
        actor = self._actors.pop(name)
        for tile in self._tile_actors.pop(name, [actor]):
            self.plotter.remove_actor(tile, render=False)

    def _layer_actors(self, name: str) -> list[Any]:
        """The actors drawing a layer (a tiled layer's: one per tile)."""
        if name in self._tile_actors:
            return self._tile_actors[name]
        return [self._actors[name]] if name in self._actors else []

    def _add_layer(self, layer: SceneLayer) -> list[Any]:
        """The actors of a layer: one, or one per tile (all like the first one)."""
        if not layer.tiled:
            return [self._add(layer)]
        first = self._add(layer, layer.tiles[0])
        return [first] + [self._add_tile(layer.name, tile, first) for tile in layer.tiles[1:]]

    def _add_tile(self, name: str, tile: Any, like: Any) -> Any:
        """An actor for a tile drawn like actor ``like`` (its property shared: opacity and
        culling set once; its mapper's colouring and cut copied). No pyvista here: a few
        microseconds a tile."""
        mapper = vtkPolyDataMapper()
        mapper.ShallowCopy(like.GetMapper())
        mapper.SetInputData(tile)
        mapper.SetScalarModeToUsePointFieldData()  # pyvista's mesh had them as active scalars
        mapper.SelectColorArray(VERTEX_RGB)
        mapper.SetColorModeToDirectScalars()
        mapper.ScalarVisibilityOn()
        actor = vtkActor()
        actor.SetMapper(mapper)
        actor.SetProperty(like.GetProperty())
        actor.SetPickable(like.GetPickable())
        actor.SetVisibility(self._visible.get(name, True) and not self.lod.hides(name))
        self.plotter.renderer.AddActor(actor)
        return actor

    def _add(self, layer: SceneLayer, mesh: Any = None) -> Any:
        options: dict[str, Any] = {"name": layer.name, "render": False, "reset_camera": False}
        if mesh is None:
            mesh = layer.mesh
        if layer.pickable:
            if not layer.tiled and "rgb" not in mesh.cell_data:
                mesh.cell_data["rgb"] = layer.colours()
            drawn = VERTEX_RGB if VERTEX_RGB in mesh.point_data else "rgb"
            actor = self.plotter.add_mesh(
                mesh,
                scalars=drawn,
                preference="point" if drawn == VERTEX_RGB else "cell",
                rgb=True,
                show_scalar_bar=False,
                **options,
            )
        elif layer.point_size:
            actor = self.plotter.add_mesh(
                layer.mesh,
                color=layer.colour,
                point_size=layer.point_size,
                render_points_as_spheres=True,
                **options,
            )
        elif layer.line_width:
            actor = self.plotter.add_mesh(
                layer.mesh, color=layer.colour, line_width=layer.line_width, **options
            )
        else:  # normals made in the worker (scene_update): smooth without a filter here
            actor = self.plotter.add_mesh(layer.mesh, color=layer.colour, **options)
            actor.GetProperty().SetInterpolationToPhong()
        actor.SetPickable(layer.pickable)
        actor.SetVisibility(self._visible.get(layer.name, True) and not self.lod.hides(layer.name))
        actor.GetProperty().SetOpacity(self._opacity.get(layer.name, 1.0))
        actor.GetProperty().SetBackfaceCulling(self._culled(layer.name))
        return actor

    def _culled(self, name: str) -> bool:
        return name in CULLED_LAYERS and name not in self._clip_z

    # -- layers panel -------------------------------------------------------------------------
    def set_layer_visible(self, name: str, visible: bool) -> None:
        """Show or hide a layer (remembered if the layer is rebuilt)."""
        self._visible[name] = visible
        for actor in self._layer_actors(name):
            actor.SetVisibility(visible and not self.lod.hides(name))
            self.request_render()
        for _layer, follows, _opacity, actor in self._overlays.values():
            if follows == name:
                actor.SetVisibility(visible)
                self.request_render()

    def set_layer_opacity(self, name: str, opacity: float) -> None:
        """Set a layer's opacity, 0 (invisible) to 1 (opaque)."""
        self._opacity[name] = float(np.clip(opacity, 0.0, 1.0))
        if name in self._actors:  # a tiled layer's actors share one property
            self._actors[name].GetProperty().SetOpacity(self._opacity[name])
            self.request_render()
        for _layer, follows, own_opacity, actor in self._overlays.values():
            if follows == name:
                actor.GetProperty().SetOpacity(own_opacity * self._opacity[name])
                self.request_render()

    def is_layer_visible(self, name: str) -> bool:
        """Whether a layer is drawn at rest (False when hidden or absent)."""
        return name in self._actors and self._visible.get(name, True)

    # -- per-object colours, cut, labels ------------------------------------------------------
    def set_object_colours(self, name: str, rgb: np.ndarray | None) -> None:
        """Colour each object of a pickable layer: (n_objects, 3) uint8 in the order of
        ``layers[name].object_ids``; None restores the layer's own colours (use, IFC class).

        Highlighted objects stay highlighted, marked ones (:meth:`set_marks`) tinted. Colours
        are lost when the layer is rebuilt (see the ``layer_rebuilt`` signal).
        """
        layer = self.layers.get(name)
        if layer is None or not layer.pickable:
            return
        if rgb is None:
            layer.given_rgb = None
            rgb = layer.default_rgb
        else:
            rgb = np.asarray(rgb, dtype=np.uint8)
            if rgb.shape != (len(layer.object_ids), 3):
                raise ValueError(
                    f"colours of '{name}' must be ({len(layer.object_ids)}, 3), not {rgb.shape}"
                )
            layer.given_rgb = rgb.copy()
        if self._marks.get(name):
            rgb = tinted(rgb, layer.object_ids, self._marks[name], MARKS_STRENGTH)
        if np.array_equal(rgb, layer.base_rgb):
            return  # already drawn so: no repaint of millions of cells, no new frame
        changed = np.flatnonzero((rgb != layer.base_rgb).any(axis=1))
        layer.base_rgb = rgb.copy()
        few = len(changed) * 20 < len(rgb)  # an edit recoloured a few: repaint only those
        self._apply_highlight(name, also=changed if few else None)
        self.request_render()

    def set_marks(self, name: str, colours: Mapping[str, str] | None) -> None:
        """Tint objects of a pickable layer lightly (:data:`MARKS_STRENGTH`: their colour
        stays readable) toward a mark colour, ``{object id: colour}`` (a scenario's changed
        rooms, outlined by an overlay), over whatever colours the layer is given, now and after
        later colourings and rebuilds; None or empty: no marks."""
        if colours:
            self._marks[name] = dict(colours)
        elif self._marks.pop(name, None) is None:
            return
        if name in self.layers:
            self.set_object_colours(name, self.layers[name].given_rgb)

    def marked_ids(self, name: str) -> dict[str, str]:
        """The marks of a layer drawn now: ``{object id: colour}`` for the ids it has."""
        layer = self.layers.get(name)
        marks = self._marks.get(name, {})
        if layer is None or not marks:
            return {}
        drawn = set(layer.object_ids.astype(str).tolist())
        return {key: colour for key, colour in marks.items() if key in drawn}

    def set_overlay(
        self, key: str, layer: SceneLayer | None, follows: str = "", opacity: float = 1.0
    ) -> None:
        """Draw ``layer`` (points or lines, unpickable; its ``name`` is ``key``) over the
        scene, shown and cut (:meth:`set_clip_height`) with scene layer ``follows`` (the halo
        of a scenario's new stops, the outline of its changed rooms); None removes it. Kept
        across rebuilds; :meth:`set_city` removes every overlay."""
        if key in self._overlays:
            self.plotter.remove_actor(self._overlays.pop(key)[3], render=False)
        if layer is not None:
            actor = self._add(layer)
            self._clip_mapper(actor.GetMapper(), follows)
            actor.SetVisibility(self._visible.get(follows, True))
            actor.GetProperty().SetOpacity(opacity * self._opacity.get(follows, 1.0))
            self._overlays[key] = (layer, follows, opacity, actor)
        self.request_render()

    def overlays(self) -> dict[str, SceneLayer]:
        """The overlays drawn, by key (tests)."""
        return {key: entry[0] for key, entry in self._overlays.items()}

    def set_clip_height(self, name: str, z: float | None) -> None:
        """Cut a layer horizontally: hide what lies above altitude ``z`` (project CRS, metres);
        None removes the cut. The cut survives rebuilds of the layer."""
        if z is None:
            self._clip_z.pop(name, None)
        else:
            self._clip_z[name] = float(z)
        self._apply_clip(name)
        self.request_render()

    def clip_height(self, name: str) -> float | None:
        """The altitude a layer is cut at, or None."""
        return self._clip_z.get(name)

    def _apply_clip(self, name: str) -> None:
        for _layer, follows, _opacity, overlay in self._overlays.values():
            if follows == name:  # the outline of a room above the cut goes with it
                self._clip_mapper(overlay.GetMapper(), name)
        actors = self._layer_actors(name)
        if not actors:
            return
        self.lod.restore()  # the full mapper holds the cut (the coarse one copies it)
        for actor in actors:
            self._clip_mapper(actor.GetMapper(), name)
            actor.GetProperty().SetBackfaceCulling(self._culled(name))  # a cut opens the solids

    def _clip_mapper(self, mapper: Any, name: str) -> None:
        """Cut ``mapper`` where layer ``name`` is cut (or not)."""
        mapper.RemoveAllClippingPlanes()
        if name in self._clip_z:
            plane = vtkPlane()
            plane.SetOrigin(0.0, 0.0, self._clip_z[name] - self._origin[2])
            plane.SetNormal(0.0, 0.0, -1.0)  # keeps what lies below the plane
            mapper.AddClippingPlane(plane)

    def set_labels(
        self, key: str, points: np.ndarray | None, texts: list[str] | None = None
    ) -> None:
        """Show text labels at ``points`` ((n, 3) project-CRS metres), one actor per ``key``;
        ``points=None`` removes the labels of ``key``."""
        if key in self._labels:
            self.plotter.remove_actor(self._labels.pop(key), render=False)
        if points is not None and len(points):
            local = np.asarray(points, dtype=np.float64) - self._origin
            self._labels[key] = self.plotter.add_point_labels(
                local,
                list(texts or []),
                font_size=13,
                text_color="#202020",
                point_size=1,
                shape_color="#fffdf5",
                shape_opacity=0.8,
                show_points=False,
                always_visible=True,
                render=False,
                reset_camera=False,
                name=f"labels:{key}",
            )
        self.request_render()

    def label_keys(self) -> list[str]:
        """Keys of the label sets shown."""
        return sorted(self._labels)

    # -- selection ----------------------------------------------------------------------------
    def set_selection(self, selected: dict[str, Iterable[str]]) -> None:
        """Highlight objects: ``{"buildings": ids, "ifc": ids}``; other layers are cleared."""
        previous = set(self._selected)
        self._selected = {name: {str(i) for i in ids} for name, ids in selected.items()}
        for name in previous | set(self._selected):
            self._apply_highlight(name, partial=True)
        self.request_render()

    def highlighted_ids(self, name: str) -> list[str]:
        """Ids of the objects drawn highlighted in a layer."""
        layer = self.layers.get(name)
        if layer is None:
            return []
        return [str(i) for i in layer.object_ids[self._highlighted_positions(name)]]

    def _highlighted_positions(self, name: str) -> np.ndarray:
        layer = self.layers[name]
        wanted = list(self._selected.get(name, ()))
        return np.flatnonzero(np.isin(layer.object_ids, wanted)) if wanted else np.empty(0, int)

    def _apply_highlight(
        self, name: str, partial: bool = False, also: np.ndarray | None = None
    ) -> None:
        """Colour a layer's cells; ``partial``: only those of the objects whose highlight
        changed (a selection in 100 000 buildings must not repaint 5 million cells), and
        those of ``also`` (object positions whose colour changed)."""
        layer = self.layers.get(name)
        if layer is None or not layer.pickable:
            return
        wanted = self._highlighted_positions(name)
        before = self._highlighted.get(name, np.empty(0, dtype=np.int64))
        objects = None
        if partial or also is not None:
            extra = also if also is not None else np.empty(0, dtype=np.int64)
            objects = np.union1d(np.union1d(before, wanted), extra).astype(np.int64)
        painted = layer.paint(wanted, objects)
        self._highlighted[name] = wanted
        for mesh in painted:  # only these meshes' buffers are uploaded again
            for data, array in ((mesh.GetCellData(), "rgb"), (mesh.GetPointData(), VERTEX_RGB)):
                if data.HasArray(array):
                    data.GetArray(array).Modified()
        self.lod.colours_changed(name)

    def pick_cell(self, name: str, cell_index: int) -> str | None:
        """Select the object owning cell ``cell_index`` of a layer; emit and return its id."""
        layer = self.layers.get(name)
        if layer is None or not layer.pickable or not 0 <= cell_index < layer.n_cells:
            return None
        object_id = str(layer.object_ids[layer.object_of_cell(cell_index)])
        logger.debug("picked %s cell %d: %s", name, cell_index, object_id)
        self.object_picked.emit(name, object_id)
        return object_id

    def pick_at(self, x: int, y: int) -> str | None:
        """Pick the object under widget pixel (x, y), top-left origin; None over nothing.

        The ray through the pixel is cast in numpy through the visible pickable layers (their
        cut included), so the answer never depends on what the last frame drew.
        """
        hit = self._hit_at(x, y)
        return None if hit is None else self.pick_cell(*hit)

    def object_at(self, x: int, y: int) -> tuple[str, str] | None:
        """(layer, object id) drawn at widget pixel (x, y), or None; selects nothing."""
        hit = self._hit_at(x, y)
        if hit is None:
            return None
        layer = self.layers[hit[0]]
        return hit[0], str(layer.object_ids[layer.object_of_cell(hit[1])])

    def _hit_at(self, x: int, y: int) -> tuple[str, int] | None:
        """(layer, cell) of the nearest pickable cell under widget pixel (x, y)."""
        start, end = pixel_ray(self.plotter.renderer, *self._display_xy(x, y))
        nearest: tuple[float, str, int] | None = None
        for name, layer in self.layers.items():
            if layer.store is None or layer.pick_boxes is None or not self.is_layer_visible(name):
                continue
            cut = self._clip_z.get(name)
            max_z = None if cut is None else cut - self._origin[2]
            hit = ray_pick(layer.store, layer.pick_boxes, start, end, max_z)
            if hit is not None and (nearest is None or hit[0] < nearest[0]):
                nearest = (hit[0], name, hit[1])
        return None if nearest is None else (nearest[1], nearest[2])

    def point_at(self, x: int, y: int) -> tuple[float, float, float] | None:
        """The project-CRS point drawn at widget pixel (x, y), or None over the background."""
        display_x, display_y = self._display_xy(x, y)
        renderer = self.plotter.renderer
        if renderer.GetZ(display_x, display_y) >= 0.999999:
            return None
        self._point_picker.Pick(display_x, display_y, 0, renderer)
        local = np.array(self._point_picker.GetPickPosition(), dtype=np.float64)
        return (local[0] + self._origin[0], local[1] + self._origin[1], local[2] + self._origin[2])

    # -- camera -------------------------------------------------------------------------------
    def reset_view(self) -> None:
        """Frame the town centre from the south-east, above (as the offscreen snapshot does)."""
        self._auto_frame = True
        self._set_camera(frame_camera(self._frame, self._aspect()) if self._frame else None)

    def view_top(self) -> None:
        """Look straight down, north up."""
        self._auto_frame = False
        self._set_camera(top_camera(self._frame, self._aspect()) if self._frame else None)

    def view_from(self, side: str) -> None:
        """Look horizontally at the town from ``"north"``, ``"south"``, ``"east"`` or ``"west"``."""
        self._auto_frame = False
        self._set_camera(
            side_camera(self._frame, side, self._ground_top(), self._aspect())
            if self._frame
            else None
        )

    def look_at(
        self,
        position: Iterable[float],
        focal_point: Iterable[float],
        up: Iterable[float] = (0.0, 0.0, 1.0),
    ) -> None:
        """Place the camera at ``position`` looking at ``focal_point`` (project-CRS metres),
        e.g. to frame one building; the view stops re-framing the town on resize."""
        self._auto_frame = False
        eye = np.asarray(list(position), dtype=np.float64) - self._origin
        focal = np.asarray(list(focal_point), dtype=np.float64) - self._origin
        self._set_camera((tuple(eye.tolist()), tuple(focal.tolist()), tuple(up)))

    def _set_camera(self, position: tuple[Any, Any, Any] | None) -> None:
        # The renderer's, not the plotter's: pyvista's Plotter.camera and reset_camera render
        # at once (twice on first use), seconds for a big town.
        renderer = self.plotter.renderer
        if position is None:
            renderer.view_isometric(render=False)
            renderer.reset_camera(render=False)
        else:
            camera = renderer.camera
            camera.position, camera.focal_point, camera.up = position
            renderer.ResetCameraClippingRange()
        renderer.camera_set = True
        self.request_render()

    def _aspect(self) -> float:
        """Width / height of the view (the window may not be laid out yet: then 1.6)."""
        width, height = self.plotter.width(), self.plotter.height()
        return width / height if width > 1 and height > 1 else 1.6

    def _ground_top(self) -> float:
        """The highest terrain point near the town (side views must look from above it)."""
        if "terrain" not in self.layers or self._frame is None:
            return -np.inf
        centre, span = self._frame
        points = np.asarray(self.layers["terrain"].mesh.points)
        near = np.hypot(*(points[:, :2] - centre[:2]).T) < 2.5 * span
        return float(points[near, 2].max()) if near.any() else -np.inf

    def _compute_frame(self) -> tuple[np.ndarray, float] | None:
        for name in FRAME_LAYERS:  # each layer's frame was computed in the worker
            if name in self.layers:
                return self.layers[name].frame
        return None

    # -- rendering ----------------------------------------------------------------------------
    def request_render(self) -> None:
        """Ask for a frame; requests within a few milliseconds make a single render."""
        if not self._render_timer.isActive():
            self._render_timer.start()

    def render_now(self) -> None:
        """Render at once (also before a screenshot)."""
        self._render_timer.stop()
        self._render_waiting_since = None
        self.plotter.render()

    def _on_render_timer(self) -> None:
        """Render, unless a scene build is in flight: its result asks for a frame soon, and
        one full frame is better than two (at most :data:`BUILD_RENDER_WAIT_MS` of waiting)."""
        now = time.perf_counter()
        if self._builder.busy:
            if self._render_waiting_since is None:
                self._render_waiting_since = now
            if now - self._render_waiting_since < BUILD_RENDER_WAIT_MS / 1000:
                self._render_timer.start()
                return
        self.render_now()

    def _on_interactor_render(self, *_args: Any) -> None:
        if not getattr(self.plotter, "_in_paint", True):
            self.plotter.update()  # VTK's camera interaction wants a frame: one paint
        elif self._fresh_frame:
            self._fresh_frame = False  # paintGL after a frame drawn outside it: blit that one
        else:
            self.plotter.ren_win.Render()

    def _on_frame_drawn(self, *_args: Any) -> None:
        self._fresh_frame = not getattr(self.plotter, "_in_paint", False)

    def close_view(self) -> None:
        """Stop the background builds and release the render window (before the widget goes)."""
        self._builder.shutdown()
        self._render_timer.stop()
        self._cursor_timer.stop()
        self.lod.restore()
        self.plotter.close()
        # pyvistaqt keeps Python wrappers of the widget's GL context and of the QOffscreenSurface
        # Qt made for it, which Qt deletes with the widget. A wrapper left behind stays in
        # PySide's table under that address, and a Qt object born there later reaches Python
        # with the wrong type (seen in the GUI tests: a dock's toggle action, a tree's header
        # coming back as a QOffscreenSurface). Forget them once VTK has finalized.
        forget = getattr(self.plotter, "_forget_context", None)
        if callable(forget):
            forget()

    # -- mouse --------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """Tell clicks from drags, and follow the cursor; VTK still gets every event."""
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._press = event.position().toPoint()
            self._auto_frame = False
            self.lod.watch_style()  # in case the interactor style was replaced
        elif kind == QEvent.Type.Wheel:
            self._auto_frame = False
            self.lod.wheel_turned()
        elif kind == QEvent.Type.Resize:
            self._fresh_frame = False  # the framebuffer is new: the next paint must draw
            if self._auto_frame and self._frame is not None:
                self.reset_view()
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            position = event.position().toPoint()
            if self._press is not None and (
                (position - self._press).manhattanLength() <= CLICK_TOLERANCE_PX
            ):
                self.pick_at(position.x(), position.y())
            self._press = None
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self._cursor = event.position().toPoint()
            if not self._cursor_timer.isActive():
                self._cursor_timer.start()
        elif kind == QEvent.Type.Leave:
            self._cursor = None
            self.cursor_moved.emit(None)
        return False

    def _report_cursor(self) -> None:
        if self._cursor is not None:
            self.cursor_moved.emit(self.point_at(self._cursor.x(), self._cursor.y()))

    def _display_xy(self, x: int, y: int) -> tuple[int, int]:
        ratio = self.plotter.devicePixelRatioF()
        return int(x * ratio), int((self.plotter.height() - y - 1) * ratio)


def _drawn_rows(city: City) -> int:
    """Rows of the City layers the view draws (how big the town is to build)."""
    return sum(len(city.layer(name)) for name in SCENE_LAYERS if name in city)


def _single_shot(parent: QObject, delay_ms: int, slot: Any) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(slot)
    return timer
