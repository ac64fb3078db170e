"""Actions as data: one :class:`ActionSpec` per command, shared by menus, toolbar and tests.

A spec names its label and tooltip by translation key, its shortcut, its callback and when it
is enabled. :class:`ActionSet` turns the specs into ``QAction`` objects once, retranslates them
when the language changes and re-evaluates ``enabled_when`` on :meth:`ActionSet.update_enabled`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from gui.i18n import tr, translator


@dataclass(frozen=True)
class ActionSpec:
    """One command of the app.

    Attributes:
        id: stable identifier (``"file.open"``), used by menus, toolbar and tests.
        label_key: translation key of the menu text.
        callback: what the action does.
        shortcut: a key sequence (``"Ctrl+O"``) or a standard key; None for none.
        tip_key: translation key of the tooltip and status tip; None for none.
        enabled_when: a predicate evaluated by :meth:`ActionSet.update_enabled`; None: always.
        checked_when: for checkable actions (a language), whether it is checked now.
    """

    id: str
    label_key: str
    callback: Callable[[], object]
    shortcut: str | QKeySequence.StandardKey | None = None
    tip_key: str | None = None
    enabled_when: Callable[[], bool] | None = None
    checked_when: Callable[[], bool] | None = None


class ActionSet(QObject):
    """The ``QAction`` objects made from a list of specs, kept translated and up to date."""

    def __init__(self, parent: QObject, specs: Iterable[ActionSpec]) -> None:
        super().__init__(parent)
        self.specs: dict[str, ActionSpec] = {}
        self._actions: dict[str, QAction] = {}
        for spec in specs:
            if spec.id in self.specs:
                raise ValueError(f"two actions share the id '{spec.id}'")
            action = QAction(parent)
            action.setObjectName(spec.id)
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            if spec.checked_when is not None:
                action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, s=spec: s.callback())
            self.specs[spec.id] = spec
            self._actions[spec.id] = action
        self.retranslate()
        self.update_enabled()
        translator().language_changed.connect(self.retranslate)

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[QAction]:
        return iter(self._actions.values())

    def trigger(self, action_id: str) -> None:
        """Run an action as if the user chose it (only when enabled)."""
        self._actions[action_id].trigger()

    def retranslate(self) -> None:
        """Set every label and tooltip in the current language (shortcut shown in the tip)."""
        for action_id, action in self._actions.items():
            spec = self.specs[action_id]
            action.setText(tr(spec.label_key))
            if spec.tip_key is None:
                continue
            tip = tr(spec.tip_key)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})" if keys else tip)
            action.setStatusTip(tip)

    def update_enabled(self) -> None:
        """Re-evaluate every ``enabled_when`` and ``checked_when``."""
        for action_id, action in self._actions.items():
            spec = self.specs[action_id]
            if spec.enabled_when is not None:
                action.setEnabled(bool(spec.enabled_when()))
            if spec.checked_when is not None:
                action.setChecked(bool(spec.checked_when()))
