"""The "Étages" panel: an IFC building storey by storey, like a building directory.

When the selection is (in) an IFC building, the panel lists its storeys, top first; choosing one
(or the action "Ouvrir le bâtiment IFC") drills down: the IFC layer of the 3D view is cut at the
storey's top ("masquer les étages au-dessus") or 1.2 m above its floor ("coupe"), the storey's
rooms are coloured by use and labelled with their names, and the camera looks down on the
building. The rooms are listed (name, use, area); choosing one selects it everywhere. "Quitter la
vue par étage" takes the cut, colours and labels away. The facts come from :mod:`gui.drilldown`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.camera import REFERENCE_ASPECT
from gui.drill_lists import SpaceTable, StoreyList
from gui.drilldown import (
    CUT_ABOVE_FLOOR_M,
    DrillBuilding,
    DrillMode,
    camera_over,
    drill_building,
    ifc_building_of,
    storey_colours,
)
from gui.i18n import format_number, tr, translator
from gui.scene import IFC_MESHES
from gui.selection import highlight_for
from gui.view3d import View3D
from twin.city import City

logger = logging.getLogger(__name__)

LABELS_KEY = "drill.spaces"


class DrillPanel(QWidget):
    """Storeys and rooms of one IFC building, and the drill-down of the 3D view.

    Signals:
        space_selected(id): the user chose a room in the list.
        offered(available): whether the selection lies in an IFC building (show the panel).
        message(text): a line for the status bar.
    """

    space_selected = Signal(str)
    offered = Signal(bool)
    message = Signal(str)

    def __init__(self, view: View3D, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self._city: City | None = None
        self._candidate: str | None = None  # the IFC building of the selection
        self._building: DrillBuilding | None = None  # the building listed
        self._drilled = False
        self._storey_id: str | None = None
        self._mode = DrillMode.HIDE_ABOVE
        self._selected_id: str | None = None

        self.open_action = QAction(self)
        self.open_action.setObjectName("drill.open")
        self.open_action.triggered.connect(lambda: self.open_building())
        self.leave_action = QAction(self)
        self.leave_action.setObjectName("drill.leave")
        self.leave_action.triggered.connect(self.leave)

        self.title = QLabel()
        self.title.setWordWrap(True)
        buttons = QHBoxLayout()
        for action in (self.open_action, self.leave_action):
            tool = QToolButton()
            tool.setDefaultAction(action)
            tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(tool)
        buttons.addStretch(1)
        self.mode_box = QGroupBox()
        self.mode_buttons = {mode: QRadioButton() for mode in DrillMode}
        self._mode_group = QButtonGroup(self)
        mode_layout = QVBoxLayout(self.mode_box)
        for mode, button in self.mode_buttons.items():
            self._mode_group.addButton(button)
            mode_layout.addWidget(button)
            button.toggled.connect(lambda on, m=mode: self.set_mode(m) if on else None)
        self.mode_buttons[self._mode].setChecked(True)
        self.storeys_title = QLabel()
        self.storey_list = StoreyList()
        self.storey_list.chosen.connect(self._on_storey_chosen)
        self.spaces_title = QLabel()
        self.space_list = SpaceTable()
        self.space_list.chosen.connect(self.space_selected)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.mode_box)
        layout.addWidget(self.storeys_title)
        layout.addWidget(self.storey_list, 1)
        layout.addWidget(self.spaces_title)
        layout.addWidget(self.space_list, 2)
        translator().language_changed.connect(self.retranslate)
        self.retranslate()

    # -- state ----------------------------------------------------------------------------------
    @property
    def building(self) -> DrillBuilding | None:
        """The building listed (the selection's, or the one drilled into)."""
        return self._building

    @property
    def drilled(self) -> bool:
        """Whether the 3D view shows one storey of :attr:`building`."""
        return self._drilled

    @property
    def storey_id(self) -> str | None:
        """The storey shown while drilled."""
        return self._storey_id if self._drilled else None

    @property
    def mode(self) -> DrillMode:
        """How the storeys above are taken away."""
        return self._mode

    @property
    def candidate(self) -> str | None:
        """The IFC building of the current selection (what "Ouvrir" opens), if any."""
        return self._candidate

    def storey_ids(self) -> list[str]:
        """The storeys listed, top first."""
        return self.storey_list.ids()

    def space_ids(self) -> list[str]:
        """The rooms listed (those of the storey shown)."""
        return self.space_list.ids()

    # -- commands -------------------------------------------------------------------------------
    def set_city(self, city: City | None) -> None:
        """Follow a new project: leave any drill-down, list nothing."""
        self.leave()
        self._city, self._candidate, self._building, self._selected_id = city, None, None, None
        self._refill()

    def follow_selection(self, object_id: str | None) -> None:
        """The selection changed (anywhere): offer its IFC building; while drilled into it,
        show the storey of a selected storey, room or element."""
        self._selected_id = object_id
        city = self._city
        self._candidate = ifc_building_of(city, object_id) if city is not None else None
        if self._drilled and self._building is not None:
            storey = self._building.storey_of(object_id) if object_id else None
            if storey is not None and storey != self._storey_id:
                self.choose_storey(storey)
            else:
                self._view.set_selection(self._highlight())
                self.space_list.show_id(object_id)
        elif self._candidate is not None and (
            self._building is None or self._building.id != self._candidate
        ):
            self._building = drill_building(city, self._candidate) if city is not None else None
            self._refill()
        self._update_actions()
        self.offered.emit(self._candidate is not None or self._drilled)

    def open_building(self, building_id: str | None = None, storey_id: str | None = None) -> bool:
        """Drill into an IFC building (default: the selection's) at ``storey_id`` (default: the
        storey of the selection, else the ground floor), the camera above it."""
        building_id = building_id or self._candidate
        if self._city is None or building_id is None:
            return False
        building = drill_building(self._city, building_id)
        if building is None:
            return False
        if storey_id is None and self._selected_id is not None:
            storey_id = building.storey_of(self._selected_id)
        storey_id = storey_id or building.default_storey()
        self._building, self._drilled, self._storey_id = building, True, storey_id
        self._refill()
        self._apply()
        floor_z = building.storey(storey_id).floor_z_m
        width, height = self._view.plotter.width(), self._view.plotter.height()
        aspect = width / height if width > 1 and height > 1 else REFERENCE_ASPECT
        self._view.look_at(*camera_over(building, floor_z, aspect))
        return True

    def choose_storey(self, storey_id: str) -> None:
        """Show storey ``storey_id`` of the building listed (drilling down if not yet)."""
        if self._building is None:
            return
        if not self._drilled:
            self.open_building(self._building.id, storey_id)
            return
        self._storey_id = storey_id
        self.storey_list.show_id(storey_id)
        self._fill_spaces()
        self._apply()

    def set_mode(self, mode: DrillMode | str) -> None:
        """Hide the storeys above, or cut 1.2 m above the floor."""
        self._mode = DrillMode(mode)
        if not self.mode_buttons[self._mode].isChecked():
            self.mode_buttons[self._mode].setChecked(True)
        if self._drilled:
            self._apply()

    def leave(self) -> None:
        """Back to the whole building: no cut, the layer's own colours, no labels."""
        was_drilled, self._drilled, self._storey_id = self._drilled, False, None
        if was_drilled:
            self._view.set_clip_height(IFC_MESHES, None)
            self._view.set_object_colours(IFC_MESHES, None)
            self._view.set_labels(LABELS_KEY, None)
            if self._city is not None:
                self._view.set_selection(dict(highlight_for(self._city, self._selected_id)))
            self._refill()
        self._update_actions()

    def reapply(self, layer: str) -> None:
        """The view rebuilt ``layer``: paint the drilled storey again (from the City's rows)."""
        if layer != IFC_MESHES or not self._drilled or self._building is None:
            return
        self.refresh()

    def on_city_changed(self, layer: str, *_changes: object) -> None:
        """Rows of the City changed: read the building listed again if its rows did."""
        if self._building is not None and layer in ("buildings", "storeys", "spaces"):
            self.refresh()

    def refresh(self) -> None:
        """Read the building again from the City (after an edit of its rows)."""
        if self._city is None or self._building is None:
            return
        building = drill_building(self._city, self._building.id)
        if building is None:
            self._building = None
            self.leave()
            self._refill()
            return
        self._building = building
        if self._drilled and self._storey_id not in {s.id for s in building.storeys}:
            self._storey_id = building.default_storey()
        self._refill()
        if self._drilled:
            self._apply()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.open_action.setText(tr("drill.open"))
        self.open_action.setToolTip(tr("drill.open.tip"))
        self.leave_action.setText(tr("drill.leave"))
        self.leave_action.setToolTip(tr("drill.leave.tip"))
        self.mode_box.setTitle(tr("drill.mode"))
        self.mode_buttons[DrillMode.HIDE_ABOVE].setText(tr("drill.mode.hide_above"))
        cut = format_number(CUT_ABOVE_FLOOR_M, 1)
        self.mode_buttons[DrillMode.CUT].setText(tr("drill.mode.cut", height=cut))
        self.storeys_title.setText(tr("drill.storeys"))
        self.space_list.retranslate()
        self._refill()

    # -- the 3D view ----------------------------------------------------------------------------
    def _apply(self) -> None:
        building, storey_id = self._building, self._storey_id
        if building is None or storey_id is None:
            return
        storey = building.storey(storey_id)
        self._view.set_clip_height(IFC_MESHES, storey.clip_z(self._mode))
        layer = self._view.layers.get(IFC_MESHES)
        if layer is not None and layer.pickable:
            rgb = storey_colours(building, layer.object_ids, layer.default_rgb, storey_id)
            self._view.set_object_colours(IFC_MESHES, rgb)
        spaces = building.spaces.get(storey_id, ())
        points = np.array([s.label_xyz for s in spaces], dtype=float).reshape(-1, 3)
        placed = np.isfinite(points).all(axis=1)
        texts = [s.label for s, ok in zip(spaces, placed, strict=True) if ok]
        self._view.set_labels(LABELS_KEY, points[placed] if placed.any() else None, texts)
        self._view.set_selection(self._highlight())
        area = float(np.nansum([s.area_m2 for s in spaces])) if spaces else 0.0
        self.message.emit(
            tr(
                "drill.status",
                building=building.name,
                storey=storey.name,
                count=len(spaces),
                area=format_number(area, 0),
            )
        )

    def _highlight(self) -> dict[str, Iterable[str]]:
        """The selection's highlight, without painting the whole model (or storey) cyan when
        the building or a storey itself is selected: the drill-down shows it already."""
        if self._city is None:
            return {}
        highlight: dict[str, Iterable[str]] = dict(highlight_for(self._city, self._selected_id))
        building, selected = self._building, self._selected_id
        if self._drilled and building is not None and selected is not None:
            whole = selected == building.id or any(s.id == selected for s in building.storeys)
            if whole:
                highlight[IFC_MESHES] = []
        return highlight

    # -- lists ----------------------------------------------------------------------------------
    def _refill(self) -> None:
        building = self._building
        if building is None:
            self.title.setText(tr("drill.hint"))
        else:
            count = len(building.storeys)
            self.title.setText(tr("drill.building", name=building.name, count=count))
        self.storey_list.fill(building, self.storey_id)
        self._fill_spaces()
        self._update_actions()

    def _fill_spaces(self) -> None:
        building, storey_id = self._building, self.storey_id
        if building is None or storey_id is None:
            self.spaces_title.setText(tr("drill.spaces.none"))
        else:
            self.spaces_title.setText(tr("drill.spaces", name=building.storey(storey_id).name))
        self.space_list.fill(building, storey_id, self._selected_id)

    def _on_storey_chosen(self, storey_id: str) -> None:
        if not self._drilled or storey_id != self._storey_id:
            self.choose_storey(storey_id)

    def _update_actions(self) -> None:
        building = self._building
        drilled_here = self._drilled and building is not None and building.id == self._candidate
        self.open_action.setEnabled(self._candidate is not None and not drilled_here)
        self.leave_action.setEnabled(self._drilled)
