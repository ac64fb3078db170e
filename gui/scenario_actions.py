"""The scenario commands as :class:`~gui.actions.ActionSpec` rows: Edit ▸ Undo / Redo and the
Scenarios menu (labels ``action.<id>``, tooltips ``tip.<id>`` in :mod:`gui.strings_scenarios`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from gui.actions import ActionSet, ActionSpec
from gui.i18n import tr
from gui.scenario_sessions import ScenarioSession
from gui.scenario_texts import describe_edit
from scenarios.scenario import BASELINE

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: Menus of the scenario commands: (title key, action ids); "-" is a separator.
SCENARIO_MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("menu.edit", ("edit.undo", "edit.redo")),
    (
        "menu.scenarios",
        (
            "scenario.new",
            "scenario.copy",
            "scenario.rename",
            "scenario.describe",
            "scenario.delete",
            "-",
            "scenario.import",
            "scenario.export",
            "-",
            "scenario.baseline",
        ),
    ),
)


def scenario_action_specs(window: MainWindow) -> list[ActionSpec]:
    """Undo (Ctrl+Z), redo (Ctrl+Y; Ctrl+Shift+Z too, added by the control), and the commands
    on the project's scenarios."""
    control = window.scenarios
    commands = control.commands

    def has_city() -> bool:
        return window.document.city is not None

    def has_scenario() -> bool:
        return has_city() and control.has_scenario()

    def not_baseline() -> bool:
        return has_city() and control.shown_name != BASELINE

    rows: list[
        tuple[str, Callable[[], object], str | QKeySequence.StandardKey | None, Callable[[], bool]]
    ] = [
        ("edit.undo", control.undo, QKeySequence.StandardKey.Undo, control.can_undo),
        ("edit.redo", control.redo, "Ctrl+Y", control.can_redo),
        ("scenario.new", commands.new_scenario, "Ctrl+Shift+N", has_city),
        ("scenario.copy", commands.copy_scenario, None, has_scenario),
        ("scenario.rename", commands.rename_scenario, None, has_scenario),
        ("scenario.describe", commands.describe_scenario, None, has_scenario),
        ("scenario.delete", commands.delete_scenario, None, has_scenario),
        ("scenario.import", commands.import_scenario, None, has_city),
        ("scenario.export", commands.export_scenario, None, has_scenario),
        ("scenario.baseline", lambda: control.show(BASELINE), None, not_baseline),
    ]
    return [
        ActionSpec(action_id, f"action.{action_id}", callback, shortcut, f"tip.{action_id}", when)
        for action_id, callback, shortcut, when in rows
    ]


def show_undo_tips(actions: ActionSet, session: ScenarioSession | None) -> None:
    """Say in undo's and redo's tooltips which edit they concern ("Annuler : Démolir 3
    bâtiments (Ctrl+Z)"); the plain tips when there is none."""
    last_done = session.history.changes[-1] if session and session.history.can_undo else None
    last_undone = session.undone[-1] if session and session.undone else None
    for action_id, change in (("edit.undo", last_done), ("edit.redo", last_undone)):
        action = actions[action_id]
        if change is None:
            tip = tr(f"tip.{action_id}")
        else:
            what = describe_edit(change.edit, change)
            tip = tr(f"scenarios.tip.{action_id.removeprefix('edit.')}_what", what=what)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
