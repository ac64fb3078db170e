"""The editing tools' place in the window: their actions (labels, tooltips, shortcuts), the
Édition menu and a tool palette on the left edge of the window.

The palette stands on the left rather than on a row of its own at the top, where it would
change the 3D view's aspect more (and the main toolbar's row is full). A disabled tool's
tooltip says why: the current situation is shown, and edits go into a scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QToolBar

from gui.actions import ActionSet, ActionSpec
from gui.i18n import tr, translator

#: The tools: (action id, shortcut), in menu and palette order.
TOOLS: tuple[tuple[str, str], ...] = (
    ("edit.add_building", "Ctrl+Alt+B"),
    ("edit.draw_footprint", "Ctrl+Alt+F"),
    ("edit.demolish", "Ctrl+Alt+X"),
    ("edit.add_floors", "Ctrl+Alt+H"),
    ("edit.change_use", "Ctrl+Alt+U"),
    ("edit.retrofit", "Ctrl+Alt+R"),
    ("edit.add_stop", "Ctrl+Alt+T"),
    ("edit.add_digital", "Ctrl+Alt+N"),
)
TOOL_IDS = tuple(action_id for action_id, _ in TOOLS)
EDIT_MENU = "menu.edit"


def tool_specs(
    callbacks: Mapping[str, Callable[[], object]], available: Callable[[], bool]
) -> list[ActionSpec]:
    """One action per tool (label ``action.<id>``, tooltip ``tip.<id>``), enabled when
    ``available()``."""
    return [
        ActionSpec(
            action_id,
            f"action.{action_id}",
            callbacks[action_id],
            shortcut,
            f"tip.{action_id}",
            available,
        )
        for action_id, shortcut in TOOLS
    ]


class EditPalette(QObject):
    """The tools in the Édition menu and in a vertical toolbar titled "Édition"."""

    def __init__(self, window: QMainWindow, actions: ActionSet, menus: Mapping[str, QMenu]) -> None:
        super().__init__(window)
        self.actions = actions
        tools = [actions[action_id] for action_id in TOOL_IDS]
        menu = menus.get(EDIT_MENU)
        if menu is not None:
            menu.addSeparator()
            menu.addActions(tools)
        self.toolbar = QToolBar(tr("edit.toolbar"), window)
        self.toolbar.setObjectName("toolbar.edit")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; padding: 4px;")
        self.toolbar.addWidget(self.title)
        self.toolbar.addActions(tools)
        window.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.toolbar)
        for action_id in TOOL_IDS:
            actions[action_id].changed.connect(lambda a=action_id: self._follow_state(a))
        translator().language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        """Title, short palette texts and tooltips in the current language."""
        self.toolbar.setWindowTitle(tr("edit.toolbar"))
        self.title.setText(tr("edit.toolbar.title"))
        self.title.setToolTip(tr("edit.toolbar.tip"))
        for action_id in TOOL_IDS:
            self.actions[action_id].setIconText(tr(f"edit.short.{action_id}"))
            self._follow_state(action_id)

    def _follow_state(self, action_id: str) -> None:
        """A disabled tool's tooltip says to create or choose a scenario."""
        action, spec = self.actions[action_id], self.actions.specs[action_id]
        tip = tr(str(spec.tip_key))
        if not action.isEnabled():
            tip = tr("edit.tip.needs_scenario", tip=tip)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        full = f"{tip} ({keys})" if keys else tip
        if action.toolTip() != full:  # setting it emits changed again
            action.setToolTip(full)
            action.setStatusTip(tip)
