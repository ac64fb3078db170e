"""Side by side: two states of the town in two 3D views sharing one camera.

:class:`CompareArea` is the window's central widget. Normally it holds the window's 3D view
alone; in compare mode (View ▸ Comparer côte à côte, Ctrl+Shift+C) a second
:class:`~gui.view3d.View3D` is put on its left, showing another state — the current situation
by default, or any scenario — while the window's view, on the right, keeps showing what the
window shows (its colours, marks and selection). Both renderers use the very same VTK camera:
turning or zooming either view moves both, and each view draws a new frame when the other
drew one from a camera pose it has not drawn yet. Leaving closes the second view (its meshes
and OpenGL resources go with it) and the window's view takes the whole width again. The
window's view is never reparented: it sits in the splitter from the start.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.colouring import colour_buildings
from gui.error_texts import error_text
from gui.i18n import format_number, tr, translator
from gui.scenario_sessions import differing_sources
from gui.selection import highlight_for
from gui.view3d import View3D
from scenarios.scenario import BASELINE
from twin.city import City
from twin.errors import TwinError

if TYPE_CHECKING:
    from gui.main_window import MainWindow

logger = logging.getLogger(__name__)

COLOURED_LAYER = "buildings"
#: Colour-by columns drawn the same way in both views (numeric classes are cut per town, so
#: the other view keeps its own colours for those, and for changes against the baseline).
SHARED_COLOURINGS = ("construction_year", "height_source", "source")


class CompareArea(QWidget):
    """The central area of a main window: its 3D view, and a second one to compare with."""

    def __init__(self, view: View3D, window: MainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.view = view
        self.other: View3D | None = None
        self.other_name = BASELINE
        self._other_city: City | None = None
        self._observers: list[tuple[Any, int]] = []
        self._drawn_pose: dict[int, tuple[Any, ...]] = {}
        self.bar = QWidget()
        self.with_label = QLabel()
        self.with_combo = QComboBox()
        self.with_label.setBuddy(self.with_combo)
        self.shown_label = QLabel()
        self.leave_button = QPushButton()
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.with_label)
        row.addWidget(self.with_combo)
        row.addStretch(1)
        row.addWidget(self.shown_label)
        row.addStretch(1)
        row.addWidget(self.leave_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.splitter, 1)
        self.bar.hide()
        self._refetch = QTimer(self)
        self._refetch.setSingleShot(True)
        self._refetch.setInterval(200)
        self._refetch.timeout.connect(lambda: self.set_other(self.other_name))
        self.with_combo.activated.connect(
            lambda index: self.set_other(str(self.with_combo.itemData(index)))
        )
        self.leave_button.clicked.connect(self.leave)
        window.document.city_replaced.connect(self.leave)
        window.document.city_changed.connect(self._on_baseline_changed)
        translator().language_changed.connect(self.retranslate)
        self.retranslate()

    # -- mode -------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """Whether the two views are shown."""
        return self.other is not None

    def toggle(self) -> None:
        """Enter compare mode, or leave it."""
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self, other: str | None = None) -> bool:
        """Show ``other`` (a scenario, or :data:`~scenarios.scenario.BASELINE`) on the left of
        the window's view, from the same camera; by default the current situation (the first
        scenario when the window shows the current situation). False without a project."""
        baseline = self.main_window.document.city
        if baseline is None:
            return False
        if self.active:
            return self.set_other(other) if other is not None else True
        name = other or self._default_other(baseline)
        city = self._city_of(name)
        if city is None:
            return False
        origin = baseline.ensure_origin()
        pose = _pose(self.view)
        self.other = View3D(self.splitter)
        self.splitter.insertWidget(0, self.other)
        self.other.set_city(city)  # a big town is built in the view's worker
        self.other.plotter.renderer.camera = self.view.plotter.renderer.camera
        self._watch(self.view)
        self._watch(self.other)
        self.other.object_picked.connect(lambda _l, i: self.main_window.select_object(i, "compare"))
        self.other.layer_rebuilt.connect(lambda _name: self.recolour())
        self.other_name, self._other_city = name, city
        self.main_window.scenarios.shown_changed.connect(self._fill_combo)
        self.main_window.scenarios.city_changed.connect(self._on_shown_city_changed)
        self.bar.show()
        half = max(self.splitter.width() // 2, 1)
        self.splitter.setSizes([half, half])
        for shown in (self.other, self.view):  # the camera stays where the user had it
            shown.look_at(*_in_project(pose, origin))
        self._fill_combo()
        self.recolour()
        self.follow_selection(self.main_window.selected_id)
        self._update_actions()
        return True

    def leave(self) -> None:
        """Back to the window's view alone."""
        other, self.other = self.other, None
        if other is None:
            return
        self._refetch.stop()
        self.main_window.scenarios.shown_changed.disconnect(self._fill_combo)
        self.main_window.scenarios.city_changed.disconnect(self._on_shown_city_changed)
        for subject, tag in self._observers:
            subject.RemoveObserver(tag)
        self._observers.clear()
        self._drawn_pose.clear()
        other.close_view()
        other.hide()
        other.setParent(None)
        other.deleteLater()
        self._other_city = None
        self.bar.hide()
        self.view.request_render()
        self._update_actions()

    def set_other(self, name: str) -> bool:
        """Show ``name`` in the left view (False, and a dialog, if it cannot be applied)."""
        if self.other is None:
            return self.enter(name)
        city = self._city_of(name)
        if city is None:
            self._fill_combo()
            return False
        if city is not self._other_city:
            self._redraw(self.other, self._other_city, city)
        self.other_name, self._other_city = name, city
        self._fill_combo()
        self.recolour()
        self.follow_selection(self.main_window.selected_id)
        return True

    def other_city(self) -> City | None:
        """The City the left view shows (None out of compare mode)."""
        return self._other_city if self.active else None

    # -- following the window ------------------------------------------------------------
    def follow_selection(self, object_id: str | None) -> None:
        """Highlight the window's selection in the left view too."""
        if self.other is not None and self._other_city is not None:
            selection: dict[str, Iterable[str]] = dict(highlight_for(self._other_city, object_id))
            self.other.set_selection(selection)

    def recolour(self) -> None:
        """Colour the left view's buildings as the window's, where both use one scale."""
        other, city = self.other, self._other_city
        if other is None or city is None or COLOURED_LAYER not in other.layers:
            return
        column = self.main_window.layers_panel.colour_column()
        if column not in SHARED_COLOURINGS or COLOURED_LAYER not in city:
            other.set_object_colours(COLOURED_LAYER, None)
            return
        layer = other.layers[COLOURED_LAYER]
        colouring = colour_buildings(
            city.layer(COLOURED_LAYER), layer.object_ids, column, text=tr, number=format_number
        )
        other.set_object_colours(COLOURED_LAYER, None if colouring.is_empty else colouring.rgb)

    def close_views(self) -> None:
        """Release the second view (the window closes)."""
        self.leave()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.with_label.setText(tr("compare.with"))
        self.with_combo.setToolTip(tr("compare.with_tip"))
        self.leave_button.setText(tr("compare.leave"))
        self.leave_button.setToolTip(tr("compare.leave_tip"))
        self.shown_label.setToolTip(tr("compare.shown_tip"))
        self._fill_combo()

    # -- internals -------------------------------------------------------------------------
    def _default_other(self, baseline: City) -> str:
        if self.main_window.scenarios.shown_name != BASELINE:
            return BASELINE
        return next(iter(baseline.scenarios), BASELINE)

    def _city_of(self, name: str) -> City | None:
        control = self.main_window.scenarios
        baseline = self.main_window.document.city
        if name == BASELINE or baseline is None or control.sessions is None:
            return baseline
        try:
            return control.sessions.session(name).city
        except TwinError as error:
            text = tr("compare.error", name=name, error=error_text(error))
            QMessageBox.warning(self, tr("action.view.compare").replace("&", ""), text)
            return None

    def _label(self, name: str) -> str:
        return tr("compare.baseline") if name == BASELINE else name

    def _fill_combo(self) -> None:
        if not self.active:
            return
        baseline = self.main_window.document.city
        names = [BASELINE, *(baseline.scenarios if baseline is not None else ())]
        combo = self.with_combo
        combo.blockSignals(True)
        combo.clear()
        for name in names:
            combo.addItem(self._label(name), name)
        combo.setCurrentIndex(max(combo.findData(self.other_name), 0))
        combo.blockSignals(False)
        shown = self._label(self.main_window.scenarios.shown_name)
        self.shown_label.setText(tr("compare.shown", name=shown))

    def _watch(self, view: View3D) -> None:
        """After each frame of ``view``, ask the other view for one if the camera moved."""
        window = view.plotter.ren_win
        tag = window.AddObserver("EndEvent", lambda *_args: self._frame_drawn(view))
        self._observers.append((window, tag))

    def _frame_drawn(self, view: View3D) -> None:
        pose = _pose(view)
        self._drawn_pose[id(view)] = pose
        for other in (self.view, self.other):
            if other is not None and other is not view and self._drawn_pose.get(id(other)) != pose:
                other.request_render()

    def _on_shown_city_changed(self, layer: str, ids: tuple, columns: tuple) -> None:
        """An edit of the scenario shown: redraw the left view if it shows the same City."""
        city = self._other_city
        if self.other is not None and city is not None and city is self.main_window.shown_city():
            self.other.schedule_change(city, layer, ids, columns)

    def _on_baseline_changed(self, layer: str, ids: tuple, columns: tuple) -> None:
        """An import changed the current situation: follow it (a scenario is applied again)."""
        if self.other is None:
            return
        if self.other_name == BASELINE and self._other_city is not None:
            self.other.schedule_change(self._other_city, layer, ids, columns)
        else:
            self._refetch.start()

    @staticmethod
    def _redraw(view: View3D, before: City | None, city: City) -> None:
        """Rebuild the scene layers drawn from sources that differ (all of them while a build
        runs), as the scenarios panel does when another scenario is shown."""
        if before is None or view.scene_busy():
            names = [n for c in (before, city) if c is not None for n in _all_sources(c)]
        else:
            names = differing_sources(before, city)
        for name in dict.fromkeys(names):
            view.schedule_change(city, name, (), ())

    def _update_actions(self) -> None:
        actions = getattr(self.main_window, "action_set", None)
        if actions is not None:
            actions.update_enabled()


def _pose(view: View3D) -> tuple[Any, ...]:
    """The camera's position, focal point, view up and view angle (local coordinates)."""
    camera = view.plotter.renderer.camera
    return (
        tuple(camera.position),
        tuple(camera.focal_point),
        tuple(camera.up),
        float(camera.view_angle),
    )


def _in_project(
    pose: tuple[Any, ...], origin: tuple[float, float, float]
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """A local pose's position, focal point and view up in project coordinates."""
    position, focal, up = pose[0], pose[1], pose[2]
    return (
        tuple(p + o for p, o in zip(position, origin, strict=True)),
        tuple(f + o for f, o in zip(focal, origin, strict=True)),
        tuple(up),
    )


def _all_sources(city: City) -> list[str]:
    """Every layer, raster and mesh set of a City."""
    return sorted({*city.layer_names, *city.rasters, *city.meshes})
