"""The editing tools of the 3D view: add a building on a parcel or on a drawn footprint,
demolish the selection, add floors, change the use of buildings or of chosen IFC rooms,
retrofit, add a transit stop or digital equipment where the user clicks.

Each tool makes an edit (:mod:`scenarios.edits`) and runs it as the next edit of the scenario
shown, through its History (:meth:`EditTools.apply`), the path the scenarios panel's edits
take: the edit is stored in ``City.scenarios`` at once, the document becomes dirty, Ctrl+Z /
Ctrl+Y undo and redo it, the view redraws what changed and tints the new and changed
buildings. A refused edit is one line (in its dialog, or in the status bar) and changes
nothing. The tools work in a scenario only: with the current situation shown they are
disabled, and their tooltips say to create or choose a scenario.

Questions go through attributes tests can answer (``confirm``); dialogs open without blocking
and are kept in :attr:`EditTools.dialog`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar

from gui.actions import ActionSet, ActionSpec
from gui.building_dialog import BuildingDialog
from gui.edit_clicks import GroundClicker, Point3
from gui.edit_dialogs import (
    EditDialog,
    FloorsDialog,
    RetrofitDialog,
    SpaceUseDialog,
    UseDialog,
)
from gui.edit_palette import EditPalette, tool_specs
from gui.edit_targets import (
    current_shares,
    geometry_wkt,
    level_of,
    line_from_points,
    parcel_at,
    parcel_geometry,
    point_wkt,
    polygon_from_points,
    room_names,
    selected_buildings,
)
from gui.error_texts import error_text
from gui.i18n import tr
from gui.place_dialogs import DigitalDialog, StopDialog
from gui.scenario_texts import describe_edit
from scenarios.assumptions import Assumptions, defaults
from scenarios.edits import Demolish, Edit
from twin.city import City
from twin.errors import InvalidInputError, TwinError
from twin.levels import Level

if TYPE_CHECKING:
    from gui.main_window import MainWindow

logger = logging.getLogger(__name__)


class EditTools(QObject):
    """The editing tools of one window.

    Signals:
        message(text): a line for the status bar (what to click, why an edit was refused).
    """

    message = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.control = window.scenarios
        self.clicker = GroundClicker(window.view, self._origin)
        self.clicker.finished.connect(self._on_points)
        self.clicker.cancelled.connect(lambda: setattr(self, "_pending", None))
        self.clicker.message.connect(self.message)
        self.dialog: EditDialog | None = None
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.palette: EditPalette | None = None
        self._pending: Callable[[list[Point3]], None] | None = None
        self.control.shown_changed.connect(self.clicker.cancel)
        window.document.city_replaced.connect(self.clicker.cancel)

    # -- actions ---------------------------------------------------------------------------------
    def action_specs(self) -> list[ActionSpec]:
        """The tools as actions, enabled while a scenario is shown."""
        callbacks: dict[str, Callable[[], object]] = {
            "edit.add_building": self.add_building,
            "edit.draw_footprint": self.draw_footprint,
            "edit.demolish": self.demolish,
            "edit.add_floors": self.add_floors,
            "edit.change_use": self.change_use,
            "edit.retrofit": self.retrofit,
            "edit.add_stop": self.add_stop,
            "edit.add_digital": self.add_digital,
        }
        return tool_specs(callbacks, self.available)

    def install(self, actions: ActionSet, menus: dict[str, QMenu]) -> None:
        """Put the tools in the Édition menu and in their palette (:mod:`gui.edit_palette`);
        their messages go to the status bar."""
        self.palette = EditPalette(self.window, actions, menus)
        self.message.connect(lambda text: self.window.statusBar().showMessage(text, 10000))

    @property
    def toolbar(self) -> QToolBar | None:
        """The tool palette (None before :meth:`install`)."""
        return self.palette.toolbar if self.palette is not None else None

    def available(self) -> bool:
        """Whether the tools can edit: a scenario (not the current situation) is shown."""
        return self.window.document.city is not None and self.control.has_scenario()

    # -- the one path of every edit ------------------------------------------------------------
    def apply(self, edit: Edit) -> str | None:
        """Run ``edit`` as the next edit of the scenario shown (undoable, stored, drawn);
        the reason it was refused (one line, the City unchanged), or None."""
        session = self.control.shown_session()
        if session is None:
            return tr("scenarios.error.no_scenario")
        try:
            change = session.history.do(edit)
        except TwinError as error:
            logger.info("edit %s refused: %s", edit.kind, error)
            return tr("scenarios.error.command", error=error_text(error))
        self.control.message.emit(tr("scenarios.msg.done", what=describe_edit(edit, change)))
        return None

    # -- tools ----------------------------------------------------------------------------------
    def add_building(self) -> None:
        """A building on the selected parcel, or on the parcel the user clicks next."""
        city = self._city()
        if city is None:
            return
        selected = self.window.selected_id
        if level_of(city, selected) == Level.PARCEL and selected is not None:
            self.building_on_parcel(selected)
            return
        self._wait("point", tr("edit.prompt.parcel"), self._on_parcel_point)

    def building_on_parcel(self, parcel_id: str) -> BuildingDialog | None:
        """Open the new-building dialog on ``parcel_id``."""
        city = self._city()
        outline = parcel_geometry(city, parcel_id) if city is not None else None
        if outline is None:
            self.message.emit(tr("edit.error.no_parcel"))
            return None
        dialog = BuildingDialog(outline, parcel_id, self._assumptions(), self.apply, self.window)
        self._open(dialog)
        return dialog

    def draw_footprint(self) -> None:
        """Click the footprint's corners on the ground, then the new-building dialog."""
        if self._city() is not None:
            self._wait("polygon", tr("edit.prompt.footprint"), self._on_footprint)

    def demolish(self) -> None:
        """Demolish the selected buildings (those of a selected parcel or district), after
        confirming."""
        city = self._city()
        ids = selected_buildings(city, self.window.selected_id)
        if city is None or not ids:
            self.message.emit(tr("edit.error.no_buildings"))
            return
        if not self.confirm(tr("edit.demolish.title"), tr("edit.demolish.text", count=len(ids))):
            return
        problem = self.apply(Demolish(tuple(ids)))
        if problem:
            self.message.emit(problem)
            return
        shown, selected = self._city(), self.window.selected_id
        if shown is not None and selected is not None and selected not in shown.hierarchy:
            self.window.select_object(None)  # the selected building is gone

    def add_floors(self) -> None:
        """Add (or remove) storeys to the selected buildings."""
        ids = self._buildings_or_say()
        if ids:
            self._open(FloorsDialog(ids, self.apply, self.window))

    def change_use(self) -> None:
        """The use of the rooms chosen in the storeys panel, or else of the selected
        buildings."""
        city = self._city()
        rooms = self.chosen_rooms()
        if city is not None and rooms:
            names = room_names(city, rooms)
            self._open(SpaceUseDialog(rooms, names, self.apply, self.window))
            return
        ids = self._buildings_or_say()
        if city is not None and ids:
            self._open(UseDialog(ids, current_shares(city, ids[0]), self.apply, self.window))

    def retrofit(self) -> None:
        """Retrofit the selected buildings, or the housing of a selected area, to a DPE
        class."""
        city = self._city()
        selected = self.window.selected_id
        level = level_of(city, selected)
        if (
            city is not None
            and selected is not None
            and level is not None
            and level < Level.BUILDING
        ):
            self._open(RetrofitDialog((), selected, self.apply, self.window))
            return
        ids = self._buildings_or_say()
        if ids:
            self._open(RetrofitDialog(ids, "", self.apply, self.window))

    def add_stop(self) -> None:
        """Click where the stop goes, then its name and service."""
        if self._city() is not None:
            self._wait("point", tr("edit.prompt.stop"), self._on_stop_point)

    def add_digital(self) -> None:
        """Choose the kind of equipment, then click its place (a line for cables and ducts)."""
        if self._city() is None:
            return
        dialog = DigitalDialog(self.window)
        dialog.accepted.connect(lambda: self._place_digital(dialog))
        self._open(dialog)

    def chosen_rooms(self) -> list[str]:
        """The rooms chosen in the storeys panel's list that the City shown has."""
        city = self._city()
        if city is None or "spaces" not in city:
            return []
        chosen = self.window.drill.space_list.selected_ids()
        known = set(city.layer("spaces")["id"].astype(str))
        return [i for i in chosen if i in known]

    # -- steps ----------------------------------------------------------------------------------
    def _on_parcel_point(self, points: list[Point3]) -> None:
        x, y, _z = points[0]
        parcel = parcel_at(self._city(), x, y)
        if parcel is None:
            self.message.emit(tr("edit.error.no_parcel"))
            return
        self.building_on_parcel(parcel)

    def _on_footprint(self, points: list[Point3]) -> None:
        try:
            polygon = polygon_from_points(points)
        except InvalidInputError as error:
            self.message.emit(tr("scenarios.error.command", error=error_text(error)))
            return
        self._open(BuildingDialog(polygon, "", self._assumptions(), self.apply, self.window))

    def _on_stop_point(self, points: list[Point3]) -> None:
        x, y, _z = points[0]
        default = tr("edit.stop.default_name")
        self._open(StopDialog(point_wkt(x, y), default, self.apply, self.window))

    def _place_digital(self, dialog: DigitalDialog) -> None:
        def place(points: list[Point3]) -> None:
            try:
                if dialog.linear:
                    where = geometry_wkt(line_from_points(points))
                else:
                    where = point_wkt(points[0][0], points[0][1])
                edit = dialog.make_asset(where)
            except InvalidInputError as error:
                self.message.emit(tr("scenarios.error.command", error=error_text(error)))
                return
            problem = self.apply(edit)
            if problem:
                self.message.emit(problem)

        prompt = "edit.prompt.digital_line" if dialog.linear else "edit.prompt.digital_point"
        self._wait("line" if dialog.linear else "point", tr(prompt), place)

    def _on_points(self, points: list[Point3]) -> None:
        step, self._pending = self._pending, None
        if step is not None:
            step(points)

    def _wait(self, mode: str, prompt: str, then: Callable[[list[Point3]], None]) -> None:
        self.clicker.start(mode, prompt)
        self._pending = then

    def _open(self, dialog: EditDialog) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.reject()
        self.dialog = dialog
        dialog.open()

    def _buildings_or_say(self) -> list[str]:
        ids = selected_buildings(self._city(), self.window.selected_id)
        if not ids:
            self.message.emit(tr("edit.error.no_buildings"))
        return ids

    def _city(self) -> City | None:
        return self.window.shown_city() if self.available() else None

    def _assumptions(self) -> Assumptions:
        sessions = self.control.sessions
        return sessions.assumptions if sessions is not None else defaults()

    def _origin(self) -> Point3:
        city = self.window.shown_city()
        return city.ensure_origin() if city is not None else (0.0, 0.0, 0.0)

    def _confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, title, text, buttons.Yes | buttons.No, buttons.No
        )
        return answer == buttons.Yes
