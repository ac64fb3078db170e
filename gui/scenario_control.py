"""Which City the window shows — the current situation or a scenario — and the scenario's
edits, undo and redo.

:class:`ScenarioControl` owns the scenarios panel and the applied Cities
(:class:`~gui.scenario_sessions.ScenarioSessions`). Showing a scenario is one click: its City is
applied once and kept (switching back and forth costs no edit), and only the scene layers
whose source differs between the City shown and the next one are rebuilt, in the view's worker
thread (the buildings that differ spliced in when they are few:
:func:`~gui.scene_update.differing_buildings`). The baseline stays the document's City: it is
what is saved, with the scenarios in ``City.scenarios``, which every change of a scenario
updates at once (the document becomes dirty).

New and changed buildings of the scenario shown are tinted (:mod:`gui.scenario_marks`) on top
of the colours the layers panel gives them; the window calls :meth:`mark_changes` after each
colouring. Its changed IFC rooms are tinted in the model, its new and changed stops, lines
and digital equipment get a halo (:meth:`mark_objects`, whenever the City shown or one of
those layers changes).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from gui.actions import ActionSet
from gui.error_texts import error_text
from gui.i18n import tr, translator
from gui.marks_keeper import MarksKeeper
from gui.scenario_actions import show_undo_tips
from gui.scenario_commands import ScenarioCommands
from gui.scenario_marks import (
    OBJECT_LAYERS,
    ROOMS_LAYER,
    ROOMS_SCENE_LAYER,
    Marks,
    mark_colours,
    mark_halos,
    marked_colours,
)
from gui.scenario_panel import PANEL_ACTIONS, ScenarioPanel
from gui.scenario_sessions import ScenarioSession, ScenarioSessions, differing_sources
from gui.scenario_texts import describe_edit, session_lines
from gui.scene_update import differing_buildings
from scenarios.change import Change
from scenarios.edits import Edit
from scenarios.scenario import BASELINE, scenarios_of
from twin.city import City
from twin.errors import InvalidInputError, TwinError

if TYPE_CHECKING:
    from gui.main_window import MainWindow

logger = logging.getLogger(__name__)

MARKED_LAYER = "buildings"  # the scene layer whose new and changed objects are tinted


class ScenarioControl(QObject):
    """The scenario shown in a window, and the commands of the scenarios panel.

    Signals:
        shown_changed(): another City is shown (the current situation or a scenario).
        city_changed(layer, ids, columns): the City of the scenario shown changed (an edit,
            an undo, a redo), as ``City.changed`` says.
        message(text): a line for the status bar.
    """

    shown_changed = Signal()
    city_changed = Signal(str, tuple, tuple)
    message = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.panel = ScenarioPanel()
        self.commands = ScenarioCommands(self, window)
        self.sessions: ScenarioSessions | None = None
        self.status_label = QLabel()
        window.statusBar().addPermanentWidget(self.status_label)  # before the window's own
        self.actions: ActionSet | None = None
        self._shown = BASELINE
        self._listened: City | None = None
        self._drawn: City | None = None  # the City the view was last asked to draw
        self._drawn_only = True  # and no change of another City since (else no splice)
        self._reapply = QTimer(self)
        self._reapply.setSingleShot(True)
        self._reapply.timeout.connect(lambda: self.show(self._shown))
        self._marks = MarksKeeper()  # kept across edits: only the rows they name compared again
        self.document.city_replaced.connect(self._on_city_replaced)
        self.document.city_changed.connect(self._on_baseline_changed)
        self.panel.chosen.connect(self.show)
        translator().language_changed.connect(self.retranslate)
        self._on_city_replaced()

    # -- what is shown ------------------------------------------------------------------------
    @property
    def shown_name(self) -> str:
        """The scenario shown, or :data:`~scenarios.scenario.BASELINE`."""
        return self._shown

    def shown_session(self) -> ScenarioSession | None:
        """The applied scenario shown (None for the current situation)."""
        if self.sessions is None or self._shown == BASELINE:
            return None
        return self.sessions.get(self._shown)

    def shown_city(self) -> City | None:
        """The City the window shows: the scenario's, or the document's."""
        session = self.shown_session()
        return session.city if session is not None else self.document.city

    def show(self, name: str) -> bool:
        """Show scenario ``name`` (:data:`~scenarios.scenario.BASELINE`: the current
        situation); False (and one line in a dialog) if it cannot be applied."""
        baseline = self.document.city
        if baseline is None or self.sessions is None:
            return False
        if name != BASELINE and name not in baseline.scenarios:
            name = BASELINE
        before = self._drawn
        try:
            session = self.sessions.session(name) if name != BASELINE else None
        except TwinError as error:
            self.commands.show_error(tr("scenarios.error.show", name=name, error=error_text(error)))
            self.refresh()
            return False
        target = session.city if session is not None else baseline
        self._shown = name
        self._listen(session.city if session is not None else None)
        if before is not None and before is not target:
            self._redraw(before, target)
        self._drawn, self._drawn_only = target, True
        self.refresh()
        self.mark_objects()
        self.shown_changed.emit()
        self.message.emit(
            tr("scenarios.msg.shown", name=name)
            if session is not None
            else tr("scenarios.msg.baseline_shown")
        )
        return True

    # -- edits ----------------------------------------------------------------------------------
    def do_edit(self, edit: Edit) -> Change | None:
        """Run ``edit`` as the next edit of the scenario shown (undoable); None (and one line
        in a dialog) when no scenario is shown or the edit does not fit."""
        session = self.shown_session()
        if session is None:
            self.commands.show_error(tr("scenarios.error.no_scenario"))
            return None
        try:
            change = session.history.do(edit)
        except InvalidInputError as error:
            self.commands.show_error(tr("scenarios.error.command", error=error_text(error)))
            return None
        self.message.emit(tr("scenarios.msg.done", what=describe_edit(edit, change)))
        return change

    def undo(self) -> Change | None:
        """Undo the last edit of the scenario shown (it leaves the scenario; redo puts it
        back)."""
        return self._step("undo")

    def redo(self) -> Change | None:
        """Redo the last undone edit of the scenario shown."""
        return self._step("redo")

    def can_undo(self) -> bool:
        """Whether the scenario shown has an edit to undo."""
        session = self.shown_session()
        return session is not None and session.history.can_undo

    def can_redo(self) -> bool:
        """Whether the scenario shown has an undone edit to redo."""
        session = self.shown_session()
        return session is not None and session.history.can_redo

    # -- marks ----------------------------------------------------------------------------------
    def marks(self) -> Marks | None:
        """New, changed and removed buildings of the scenario shown (None: nothing shown or
        the current situation)."""
        baseline, shown = self.document.city, self.shown_city()
        if baseline is None or shown is None or shown is baseline or MARKED_LAYER not in shown:
            return None
        before = baseline.layer(MARKED_LAYER) if MARKED_LAYER in baseline else None
        return self._marks.marks(MARKED_LAYER, before, shown)

    def mark_changes(self) -> None:
        """Tint the new and changed buildings of the scenario shown, on top of the colours the
        view has (call it right after colouring them), and show the legend."""
        marks = self.marks()
        self.panel.set_marks(marks)
        layer = self.window.view.layers.get(MARKED_LAYER)
        if marks is None or layer is None or not (marks.new or marks.changed):
            return
        rgb = marked_colours(layer.base_rgb, layer.object_ids, marks)
        self.window.view.set_object_colours(MARKED_LAYER, rgb)

    def mark_objects(self) -> dict[str, Marks]:
        """Mark what the scenario shown adds or changes besides buildings: its rooms tinted in
        the IFC model, halos around its stops, lines and equipment, and the legend; the marks
        by City layer."""
        baseline, shown = self.document.city, self.shown_city()
        marks = self._marks.object_marks(baseline, shown)
        view = self.window.view
        view.set_marks(ROOMS_SCENE_LAYER, mark_colours(marks.get(ROOMS_LAYER)))
        if shown is not None:
            for key, halo in mark_halos(shown, marks).items():
                if halo.layer is not None or key in view.overlays():
                    view.set_overlay(key, halo.layer, halo.follows, halo.opacity)
        self.panel.set_object_marks(marks)
        return marks

    # -- panel, actions, texts --------------------------------------------------------------------
    def use_actions(self, actions: ActionSet) -> None:
        """Wire the panel's buttons to the window's actions (Ctrl+Shift+Z redoes too)."""
        self.actions = actions
        actions["edit.redo"].setShortcuts(
            [actions["edit.redo"].shortcut(), QKeySequence("Ctrl+Shift+Z")]
        )
        self.panel.attach({action_id: actions[action_id] for action_id in PANEL_ACTIONS})
        translator().language_changed.connect(self._update_actions)  # after the ActionSet's
        self._update_actions()

    def refresh(self) -> None:
        """The panel, the status bar and the actions from the project's scenarios now."""
        baseline = self.document.city
        try:
            scenarios = scenarios_of(baseline) if baseline is not None else {}
        except InvalidInputError as error:
            logger.warning("the project's scenarios cannot be read: %s", error)
            scenarios = {}
        self.panel.set_scenarios(scenarios, self._shown)
        session = self.shown_session()
        if session is None:
            self.panel.set_edits(BASELINE, [], [])
        else:
            done, undone = session_lines(session)
            self.panel.set_edits(self._shown, done, undone)
        self.panel.setEnabled(baseline is not None)
        self.status_label.setText(
            tr("scenarios.status.shown", name=self._shown)
            if session is not None
            else tr("scenarios.status.baseline")
        )
        self._update_actions()

    def retranslate(self) -> None:
        """Texts in the current language (the edits' lines too)."""
        self.status_label.setToolTip(tr("scenarios.tip.status"))
        self.refresh()

    def has_scenario(self) -> bool:
        """Whether a scenario (not the current situation) is shown."""
        return self.shown_session() is not None

    # -- internals ------------------------------------------------------------------------------
    def after_scenarios_changed(self, show: str | None = None) -> None:
        """The project's scenarios changed (a command): mark the document, show ``show``."""
        self.document.mark_unsaved()
        if show is not None and show != self._shown:
            self.show(show)
        elif self._shown != BASELINE and self.shown_session() is None:
            self.show(self._shown)  # dropped from the cache: apply it again
        else:
            self.refresh()

    def renamed(self, old: str, new: str) -> None:
        """Follow a renamed scenario: its applied City and History are kept."""
        if self.sessions is not None:
            self.sessions.rename(old, new)
        if self._shown == old:
            self._shown = new
            self.shown_changed.emit()  # the title names the scenario

    def forget(self, name: str) -> None:
        """Drop the applied City of ``name`` and those built on it (it changed or went)."""
        if self.sessions is not None:
            self.sessions.drop(name)

    def _step(self, action: str) -> Change | None:
        session = self.shown_session()
        if session is None:
            return None
        history = session.history
        if not (history.can_undo if action == "undo" else history.can_redo):
            return None
        try:
            change = history.undo() if action == "undo" else history.redo()
        except InvalidInputError as error:
            self.commands.show_error(tr("scenarios.error.command", error=error_text(error)))
            return None
        key = "scenarios.msg.undone" if action == "undo" else "scenarios.msg.redone"
        self.message.emit(tr(key, what=describe_edit(change.edit, change)))
        return change

    def _redraw(self, before: City, target: City) -> None:
        """Ask the view to rebuild the scene layers drawn from sources that differ (all of
        them if a build is still under way: what it would have drawn is unknown); the
        buildings that differ spliced in, out or again when they are few, unless the view
        heard the changes of another City since ``before`` was shown."""
        view = self.window.view
        busy = view.scene_busy()
        if busy:
            names = sorted({*before.layer_names, *before.rasters, *before.meshes})
            names += sorted({*target.layer_names, *target.rasters, *target.meshes})
        else:
            names = differing_sources(before, target)
        splice = not busy and self._drawn_only
        for name in dict.fromkeys(names):
            ids = differing_buildings(before, target) if name == "buildings" and splice else None
            if ids is None:
                view.schedule_change(target, name, (), ())
            elif ids:  # as if an edit had added, removed or changed them
                view.schedule_change(target, name, tuple(sorted(ids)), ())

    def _listen(self, city: City | None) -> None:
        if self._listened is not None:
            self._listened.changed.disconnect(self._forward)
        self._listened = city
        self._marks.follow(city)  # the marks hear the changes of the City listened to
        if city is not None:
            city.changed.connect(self._forward)

    def _forward(self, layer: str, ids: tuple, columns: tuple) -> None:
        self._marks.note(layer, ids, columns)
        if layer in OBJECT_LAYERS:
            self.mark_objects()
        self.city_changed.emit(layer, tuple(ids), tuple(columns))

    def _on_edited(self, name: str) -> None:
        self.document.mark_unsaved()
        self.refresh()

    def _on_city_replaced(self) -> None:
        self._listen(None)
        self._reapply.stop()
        self._shown = BASELINE
        self._marks.forget()
        self.panel.set_object_marks({})
        city = self.document.city
        self._drawn, self._drawn_only = city, True  # the window draws the new City whole
        self.sessions = ScenarioSessions(city, self._on_edited) if city is not None else None
        self.refresh()

    def _on_baseline_changed(self, *_change: object) -> None:
        """An import changed the baseline: every applied scenario is stale."""
        if self.sessions is None:
            return
        self.sessions.clear()
        if self._shown != BASELINE:  # the view hears the baseline's changes until shown again
            self._drawn_only = False
        if self._shown != BASELINE and not self._reapply.isActive():
            self.message.emit(tr("scenarios.msg.baseline_changed"))
            self._listen(None)
            self._reapply.start()  # once, after the burst of changes of an import

    def _update_actions(self) -> None:
        if self.actions is not None:
            self.actions.update_enabled()
            show_undo_tips(self.actions, self.shown_session())
