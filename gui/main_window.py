"""The main window: the 3D view in the middle, hierarchy and layers on the left, the inspector
on the right, menus and toolbar from :mod:`gui.window_actions`, a status bar with the CRS
and the coordinates under the cursor.

It routes one selection to every panel: a pick in 3D, a row of the tree or a search result
selects the object everywhere else (:meth:`MainWindow.select_object`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QWidget

from gui.actions import ActionSet
from gui.autosave import Autosaver
from gui.compare_view import CompareArea
from gui.dashboard import Dashboard
from gui.document import Document
from gui.drill_panel import DrillPanel
from gui.edit_tools import EditTools
from gui.file_import import FileImporter
from gui.hierarchy_panel import HierarchyPanel
from gui.i18n import format_number, tr, translator
from gui.inspector import Inspector
from gui.layer_panel import LayerPanel
from gui.project_files import ProjectFiles
from gui.scenario_control import ScenarioControl
from gui.selection import highlight_for, tree_target
from gui.study_export import StudyExporter
from gui.sun_control import SunControl
from gui.view3d import View3D
from gui.window_actions import build_menus, build_toolbar, retranslate_tips, window_actions
from gui.window_state import WindowLayout
from twin.city import City
from twin.levels import LEVEL_LAYERS

logger = logging.getLogger(__name__)

WINDOW_SIZE = (1600, 1000)
LANGUAGE_KEY = "language"


class MainWindow(QMainWindow):
    """The urban-twin desktop window."""

    def __init__(
        self,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        recovery_dir: Path | None = None,
    ) -> None:
        """``recovery_dir``: where autosaved copies go (default: the app's data folder)."""
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        translator().set_language(str(self.settings.value(LANGUAGE_KEY, translator().language)))
        self.document = Document(self)
        self.files = ProjectFiles(self, self.document, self.settings)
        self.autosave = Autosaver(self, self.document, self.settings, recovery_dir)
        self.autosave.confirm_replace = self.files.maybe_save
        self.imports = FileImporter(self)
        self.selected_id: str | None = None

        self.view = View3D(self)
        self.compare = CompareArea(self.view, self)  # the view, and another beside it to compare
        self.setCentralWidget(self.compare)
        self.hierarchy = HierarchyPanel()
        self.layers_panel = LayerPanel()
        self.inspector = Inspector()
        self.drill = DrillPanel(self.view)
        self.scenarios = ScenarioControl(self)  # which City is shown: baseline or a scenario
        self.sun = SunControl(self)  # sun light, shadows, sunlight study (gui.sun_control)
        self.study_export = StudyExporter(self)  # File ▸ Export the study (gui.study_export)
        self.dashboard = Dashboard(self)  # indicators: baseline vs scenarios (gui.dashboard)
        self.edit_tools = EditTools(self)  # the editing tools of the 3D view (gui.edit_tools)
        self.docks = {
            "dock.hierarchy": self._dock(
                "dock.hierarchy", self.hierarchy, Qt.DockWidgetArea.LeftDockWidgetArea
            ),
            "dock.layers": self._dock(
                "dock.layers", self.layers_panel, Qt.DockWidgetArea.LeftDockWidgetArea
            ),
            "scenarios.dock": self._dock(
                "scenarios.dock", self.scenarios.panel, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "dock.inspector": self._dock(
                "dock.inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "drill.dock": self._dock(
                "drill.dock", self.drill, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "sun.dock": self._dock(
                "sun.dock", self.sun.panel, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "dashboard.dock": self._dock(
                "dashboard.dock", self.dashboard, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
        }
        self.action_set = ActionSet(self, window_actions(self))
        self.menus: dict[str, QMenu] = build_menus(self, self.action_set)
        self.toolbar = build_toolbar(self, self.action_set)
        self.scenarios.use_actions(self.action_set)
        self.edit_tools.install(self.action_set, self.menus)
        self.menus["menu.view"].addSeparator()
        self.menus["menu.view"].addActions([self.drill.open_action, self.drill.leave_action])
        self.docks["drill.dock"].hide()  # shown when the selection is in an IFC building
        self.tabifyDockWidget(self.docks["dock.inspector"], self.docks["sun.dock"])
        self.docks["sun.dock"].hide()  # View ▸ Soleil, or shown when the sun is turned on
        self.docks["dashboard.dock"].hide()  # View ▸ Indicateurs (Ctrl+Shift+D)
        self.docks["dashboard.dock"].toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.toolbar.addAction(self.docks["dashboard.dock"].toggleViewAction())
        self.layers_panel.delta_source = self.dashboard.service  # "écart" colourings
        self.status_crs = QLabel()
        self.status_xyz = QLabel()
        self.status_xyz.setMinimumWidth(340)
        self.statusBar().addPermanentWidget(self.status_xyz)
        self.statusBar().addPermanentWidget(self.status_crs)

        self._connect()
        self.setAcceptDrops(True)
        self.resize(*WINDOW_SIZE)
        horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        self.window_layout = WindowLayout(
            self,
            self.settings,
            [
                (
                    [self.docks["dock.hierarchy"], self.docks["dock.inspector"]],
                    [320, 440],
                    horizontal,
                ),
                ([self.docks["dock.hierarchy"], self.docks["dock.layers"]], [640, 240], vertical),
                (
                    [self.docks["scenarios.dock"], self.docks["dock.inspector"]],
                    [430, 450],
                    vertical,
                ),
            ],
        )
        self.window_layout.restore()
        self.retranslate()
        self._on_city_replaced()

    # -- project ----------------------------------------------------------------------------
    def set_city(self, city: City | None, path: Path | None = None) -> None:
        """Show ``city`` (already loaded from ``path``)."""
        self.document.set_city(city, path)

    def import_files(self, paths: list[str | Path]) -> bool:
        """Import files into the project in the background (see :mod:`gui.file_import`)."""
        return self.imports.import_files(paths)

    def after_import(self, was_empty: bool) -> None:
        """Show what an import merged: rebuild everything if the project had no data before."""
        if was_empty:  # the City's origin was only set now: the view must start again
            self._on_city_replaced()
        self.action_set.update_enabled()

    def select_object(self, object_id: str | None, origin: str = "") -> None:
        """Select an object everywhere: tree row, 3D highlight, inspector.

        ``origin`` (``"tree"``, ``"view"``) names the panel the selection came from, which
        already shows it.
        """
        city = self.shown_city()
        self.selected_id = object_id if city is not None else None
        if city is None:
            return
        if origin != "tree":
            self.hierarchy.select_id(tree_target(city, object_id))
        self.view.set_selection(highlight_for(city, object_id))
        self.drill.follow_selection(object_id)
        self.inspector.show_object(city, object_id)
        self.dashboard.follow_selection(self.selected_id)
        self.compare.follow_selection(self.selected_id)

    # -- events -----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        """Offer to save unsaved changes; release the 3D view when closing."""
        if not self.files.maybe_save():
            event.ignore()
            return
        self.window_layout.save()
        self.autosave.end_session()
        self.imports.shutdown()
        self.sun.shutdown()
        self.study_export.shutdown()
        self.dashboard.shutdown()
        self.compare.close_views()
        self.view.close_view()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        """Accept files dragged from the file manager."""
        if dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        """Import the files dropped on the window."""
        files = dropped_files(event)
        if files:
            event.acceptProposedAction()
            self.import_files(files)

    def retranslate(self) -> None:
        """Menus, docks, toolbar, status bar and title in the current language."""
        for key, menu in self.menus.items():
            menu.setTitle(tr(key))
        for key, dock in self.docks.items():
            dock.setWindowTitle(tr(key))
        self.toolbar.setWindowTitle(tr("toolbar.main"))
        retranslate_tips(self)
        self.action_set.update_enabled()
        self.imports.retranslate()
        self.files.fill_recent_menu(self.menus["menu.recent"])
        self._update_status_crs()
        self._update_title()

    def _connect(self) -> None:
        self.document.city_replaced.connect(self._on_city_replaced)
        self.document.city_changed.connect(self._on_city_changed)
        self.document.dirty_changed.connect(lambda _dirty: self._update_title())
        self.document.path_changed.connect(self._update_title)
        self.files.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.imports.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for source in (self.sun, self.sun.study, self.study_export):
            source.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.autosave.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.files.recent_changed.connect(
            lambda: self.files.fill_recent_menu(self.menus["menu.recent"])
        )
        self.hierarchy.row_selected.connect(lambda i: self.select_object(i, origin="tree"))
        self.hierarchy.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.view.object_picked.connect(lambda _layer, i: self.select_object(i, origin="view"))
        self.view.cursor_moved.connect(self._show_cursor)
        self.view.layers_changed.connect(lambda: self.layers_panel.set_available(self.view.layers))
        self.view.message.connect(self._show_view_message)
        self.view.layer_rebuilt.connect(self.drill.reapply)
        self.document.city_changed.connect(self.drill.on_city_changed)
        self.drill.space_selected.connect(lambda i: self.select_object(i, origin="drill"))
        self.drill.offered.connect(self._offer_drill)
        self.drill.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.layers_panel.visibility_changed.connect(self.view.set_layer_visible)
        self.layers_panel.opacity_changed.connect(self.view.set_layer_opacity)
        self.layers_panel.colour_column_changed.connect(lambda _column: self._colour_buildings())
        self.dashboard.service.deltas_changed.connect(self._colour_buildings)
        self.view.layer_rebuilt.connect(self._on_layer_rebuilt)
        self.scenarios.shown_changed.connect(self._on_shown_changed)
        self.scenarios.city_changed.connect(self._on_city_changed)
        self.scenarios.city_changed.connect(self.drill.on_city_changed)
        self.scenarios.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        translator().language_changed.connect(self._on_language_changed)

    def shown_city(self) -> City | None:
        """The City the window shows: the document's, or the scenario chosen in the
        scenarios panel (see :class:`~gui.scenario_control.ScenarioControl`)."""
        return self.scenarios.shown_city()

    def _on_shown_changed(self) -> None:
        """Another scenario is shown: the panels follow it (the view rebuilds what differs)."""
        city = self.shown_city()
        self.drill.set_city(city)
        self.hierarchy.set_city(city)
        self.select_object(self.selected_id)
        self._colour_buildings(refresh_columns=True)
        self.action_set.update_enabled()
        self._update_title()

    def _on_city_replaced(self) -> None:
        city = self.document.city
        self.selected_id = None
        self.drill.set_city(city)
        self.view.set_city(city)
        self.hierarchy.set_city(city)
        self.inspector.show_object(city, None)
        self.layers_panel.set_available(self.view.layers)
        self._colour_buildings(refresh_columns=True)
        self.action_set.update_enabled()
        self._update_status_crs()
        self._update_title()

    def _on_city_changed(self, layer: str, _ids: tuple, columns: tuple) -> None:
        if layer in LEVEL_LAYERS.values():
            structural = not columns or "id" in columns or "parent_id" in columns
            if structural or "name" in columns:
                self.hierarchy.refresh(structure=structural)
        if layer == "buildings" and columns:  # rows added or removed, or the layer replaced:
            self._colour_buildings(refresh_columns=True)  # coloured once, when they are drawn
        shown = self.shown_city()  # the baseline, or the scenario shown
        if shown is not None:  # meshes are rebuilt in a worker thread
            self.view.schedule_change(shown, layer, _ids, columns)
        if self.selected_id is not None:
            self.inspector.refresh()

    def _show_view_message(self, text: str) -> None:
        """The 3D view's news in the status bar ("" clears it if it still says the view's)."""
        if text:
            self.statusBar().showMessage(text, 0 if text == tr("view.building") else 8000)
        elif self.statusBar().currentMessage() == tr("view.building"):
            self.statusBar().clearMessage()

    def _on_language_changed(self, language: str) -> None:
        self.settings.setValue(LANGUAGE_KEY, language)
        self.retranslate()
        self._colour_buildings()  # the legend's labels

    def _on_layer_rebuilt(self, name: str) -> None:
        if name == "buildings":  # the new mesh has the use colours: colour it again
            self._colour_buildings(refresh_columns=True)

    def _colour_buildings(self, refresh_columns: bool = False) -> None:
        """Colour the buildings by the layers panel's column (see LayerPanel.colour_view)."""
        self.layers_panel.colour_view(self.view, self.shown_city(), refresh_columns=refresh_columns)
        if self.layers_panel.shows_changes():  # the colours say what changed: no tint over them
            self.scenarios.panel.set_marks(self.scenarios.marks())
        else:
            self.scenarios.mark_changes()  # new and changed buildings of a scenario, tinted
        self.compare.recolour()
        self.sun.study.recolour()  # the sunlight study's colours on top, while it is shown

    def _offer_drill(self, available: bool) -> None:
        """Show the storeys panel (under the inspector, room for the rooms' list) when the
        selection lies in an IFC building. The scenarios dock above keeps the height its
        panel asks for (up to half the column); the inspector and the storeys share the rest
        2 : 3, the storeys at least their minimum."""
        dock = self.docks["drill.dock"]
        if not available or not dock.isHidden():
            return
        scenarios, inspector = self.docks["scenarios.dock"], self.docks["dock.inspector"]
        column = [scenarios, inspector, dock]
        total = scenarios.height() + inspector.height()
        dock.show()
        right = Qt.DockWidgetArea.RightDockWidgetArea
        placed = all(self.dockWidgetArea(d) == right and not d.isFloating() for d in column)
        if not (placed and scenarios.isVisible() and inspector.isVisible()):
            self.resizeDocks([inspector, dock], [380, 560], Qt.Orientation.Vertical)
            return
        title_px = scenarios.height() - self.scenarios.panel.height()
        need = min(title_px + self.scenarios.panel.comfortable_height(), total // 2)
        rest = max(total - need, 0)
        drill_px = min(max(rest * 3 // 5, dock.minimumSizeHint().height()), rest)
        sizes = [need, rest - drill_px, drill_px]
        self.resizeDocks(column, sizes, Qt.Orientation.Vertical)

    def _show_cursor(self, point: tuple[float, float, float] | None) -> None:
        if point is None:
            self.status_xyz.setText("")
            return
        x, y, z = (format_number(v, 1) for v in point)
        self.status_xyz.setText(tr("status.coords", x=x, y=y, z=z))

    def _update_status_crs(self) -> None:
        city = self.document.city
        if city is None:
            self.status_crs.setText(tr("status.no_crs"))
            return
        code = city.crs.to_string()
        self.status_crs.setText(tr("status.crs", name=f"{city.crs.name} ({code})"))

    def _update_title(self) -> None:
        parts = [self.document.title or tr("title.no_project")]
        if self.scenarios.has_scenario():
            parts.append(tr("scenarios.title", name=self.scenarios.shown_name))
        if self.document.path is not None:
            parts.append(self.document.path.name)
        if self.document.dirty:
            parts[0] = "* " + parts[0]
            parts.append(tr("title.unsaved"))
        self.setWindowTitle(" — ".join([*parts, tr("app.name")]))

    # -- construction -----------------------------------------------------------------------
    def _dock(self, key: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(tr(key), self)
        dock.setObjectName(key)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock


def dropped_files(event: QDragEnterEvent | QDropEvent) -> list[str | Path]:
    """The local files carried by a drag (none for text or web links)."""
    data = event.mimeData()
    if not data.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
