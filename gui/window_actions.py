"""The main window's commands as data, and the menus and toolbar laid out from them.

Each command's label and tooltip keys derive from its id (``action.<id>``, ``tip.<id>``), so
adding a command is one row here and two lines per language in :mod:`gui.strings`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QStyle, QToolBar

from gui.actions import ActionSet, ActionSpec
from gui.i18n import LANGUAGES, tr, translator
from gui.scenario_actions import SCENARIO_MENUS, scenario_action_specs

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: Menus: (title key, action ids); "-" is a separator, "@recent" the recent-files submenu.
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "menu.file",
        (
            "file.open",
            "file.import",
            "file.import_options",
            "file.save",
            "file.save_as",
            "-",
            "file.export_study",
            "-",
            "@recent",
            "-",
            "file.quit",
        ),
    ),
    SCENARIO_MENUS[0],  # Edit: undo, redo
    (
        "menu.view",
        (
            "view.reset",
            "view.top",
            "view.north",
            "view.south",
            "view.east",
            "view.west",
            "-",
            "view.compare",
            "-",
            "sun.toggle",
            "sun.study",
            "-",
        ),
    ),
    SCENARIO_MENUS[1],  # Scenarios
    ("menu.language", tuple(f"lang.{code}" for code in LANGUAGES)),
)
TOOLBAR: tuple[str, ...] = (
    "file.open",
    "file.import",
    "file.save",
    "-",
    "view.reset",
    "view.top",
    "view.north",
    "view.south",
    "view.east",
    "view.west",
    "view.compare",
    "sun.toggle",
    "-",
    "edit.undo",
    "edit.redo",
)
ICONS: dict[str, QStyle.StandardPixmap] = {
    "file.open": QStyle.StandardPixmap.SP_DialogOpenButton,
    "file.save": QStyle.StandardPixmap.SP_DialogSaveButton,
    "file.import": QStyle.StandardPixmap.SP_FileDialogNewFolder,
}

#: (id, callback, shortcut, enabled: True = needs a project, or a predicate).
_Row = tuple[str, Callable[[], object], str | QKeySequence.StandardKey, bool | Callable[[], bool]]


def window_actions(window: MainWindow) -> list[ActionSpec]:
    """Every command of the main window: file, camera views (numpad-like keys), language."""

    def has_city() -> bool:
        return window.document.city is not None

    def can_import() -> bool:
        return has_city() and not window.imports.running

    keys = QKeySequence.StandardKey
    view = window.view
    rows: list[_Row] = [
        ("file.open", window.files.open_dialog, keys.Open, False),
        ("file.import", window.imports.import_dialog, "Ctrl+I", can_import),
        ("file.import_options", window.imports.import_with_options, "Ctrl+Shift+I", can_import),
        ("file.save", window.files.save, keys.Save, True),
        ("file.save_as", window.files.save_as, "Ctrl+Shift+S", True),
        ("file.quit", window.close, "Ctrl+Q", False),
        ("view.reset", view.reset_view, "Ctrl+0", True),
        ("view.top", view.view_top, "Ctrl+5", True),
        ("view.north", partial(view.view_from, "north"), "Ctrl+8", True),
        ("view.south", partial(view.view_from, "south"), "Ctrl+2", True),
        ("view.east", partial(view.view_from, "east"), "Ctrl+6", True),
        ("view.west", partial(view.view_from, "west"), "Ctrl+4", True),
    ]
    specs = [
        ActionSpec(
            action_id,
            f"action.{action_id}",
            callback,
            shortcut,
            f"tip.{action_id}",
            needs_city if callable(needs_city) else has_city if needs_city else None,
        )
        for action_id, callback, shortcut, needs_city in rows
    ]
    specs.append(
        ActionSpec(
            "view.reset_layout",
            "session.action.reset_layout",
            lambda: window.window_layout.reset(),
            tip_key="session.tip.reset_layout",
        )
    )
    specs += scenario_action_specs(window)
    specs.append(
        ActionSpec(
            "view.compare",
            "action.view.compare",
            window.compare.toggle,
            "Ctrl+Shift+C",
            "tip.view.compare",
            has_city,
            checked_when=lambda: window.compare.active,
        )
    )
    specs += window.edit_tools.action_specs()
    specs += window.sun.action_specs()
    specs += window.study_export.action_specs()
    for code in LANGUAGES:
        specs.append(
            ActionSpec(
                f"lang.{code}",
                f"action.lang.{code}",
                partial(translator().set_language, code),
                tip_key=f"tip.lang.{code}",
                checked_when=partial(lambda c: translator().language == c, code),
            )
        )
    return specs


def build_menus(window: MainWindow, actions: ActionSet) -> dict[str, QMenu]:
    """The menu bar from :data:`MENUS`, plus the docks' show/hide toggles in the View menu."""
    menus: dict[str, QMenu] = {}
    for key, items in MENUS:
        menu = window.menuBar().addMenu(tr(key))
        menus[key] = menu
        for item in items:
            if item == "-":
                menu.addSeparator()
            elif item == "@recent":
                menus["menu.recent"] = menu.addMenu(tr("menu.recent"))
            else:
                menu.addAction(actions[item])
    for dock in window.docks.values():
        menus["menu.view"].addAction(dock.toggleViewAction())
    if "view.reset_layout" in actions.specs:
        menus["menu.view"].addSeparator()
        menus["menu.view"].addAction(actions["view.reset_layout"])
    return menus


def retranslate_tips(window: MainWindow) -> None:
    """Tooltips of what is not an :class:`ActionSpec`: the docks' show/hide toggles, the
    docks' inner widgets and the status bar (panels set their own finer tips)."""
    for dock in window.docks.values():
        tip = tr("session.tip.dock", name=dock.windowTitle())
        dock.toggleViewAction().setToolTip(tip)
        dock.toggleViewAction().setStatusTip(tip)
    window.hierarchy.view.setToolTip(tr("session.tip.tree"))
    window.layers_panel.setToolTip(tr("session.tip.layers"))
    window.inspector.setToolTip(tr("session.tip.inspector"))
    window.status_crs.setToolTip(tr("session.tip.crs"))
    window.status_xyz.setToolTip(tr("session.tip.coords"))
    window.imports.progress_bar.setToolTip(tr("session.tip.import_progress"))
    window.imports.cancel_button.setToolTip(tr("session.tip.import_cancel"))


def build_toolbar(window: MainWindow, actions: ActionSet) -> QToolBar:
    """The toolbar from :data:`TOOLBAR` (icons for file commands, text for the views)."""
    toolbar = QToolBar(tr("toolbar.main"), window)
    toolbar.setObjectName("toolbar.main")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action_id, pixmap in ICONS.items():
        actions[action_id].setIcon(window.style().standardIcon(pixmap))
    for item in TOOLBAR:
        if item == "-":
            toolbar.addSeparator()
        else:
            toolbar.addAction(actions[item])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar
