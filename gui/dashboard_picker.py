"""The dashboard's "Scénarios" button: which scenarios are compared with the current situation
(the one the window shows, and those ticked in its menu)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from gui.i18n import tr
from scenarios.scenario import BASELINE


class ScenarioPicker(QToolButton):
    """A button whose menu ticks scenarios.

    Args:
        known: the project's scenario names now, in order.

    Signals:
        changed(): the choice changed.
    """

    changed = Signal()

    def __init__(self, known: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._known = known
        self.follow_shown = True
        self.pinned: list[str] = []
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.menu_.aboutToShow.connect(self._fill)
        self.setMenu(self.menu_)

    def columns(self, shown: str) -> list[str]:
        """The scenarios compared, in column order: the one ``shown`` first (when followed),
        then those ticked, all still in the project."""
        names = [shown] if self.follow_shown and shown != BASELINE else []
        names += [name for name in self.pinned if name not in names]
        known = set(self._known())
        return [name for name in names if name in known]

    def choose(self, names: Iterable[str], *, follow_shown: bool = True) -> None:
        """Tick ``names`` (and follow the scenario shown or not); emits ``changed``."""
        self.pinned = list(dict.fromkeys(names))
        self.follow_shown = follow_shown
        self.changed.emit()

    def retranslate(self) -> None:
        """Texts in the current language (the menu is made when it opens)."""
        self.setText(tr("dash.scenarios"))
        self.setToolTip(tr("dash.scenarios_tip"))

    def _fill(self) -> None:
        menu = self.menu_
        menu.clear()
        follow = menu.addAction(tr("dash.follow_shown"))
        follow.setCheckable(True)
        follow.setChecked(self.follow_shown)
        follow.toggled.connect(lambda on: self.choose(self.pinned, follow_shown=on))
        menu.addSeparator()
        names = self._known()
        for name in names:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in self.pinned)
            action.toggled.connect(lambda on, n=name: self._tick(n, on))
        menu.addSeparator()
        every = menu.addAction(tr("dash.all"))
        every.triggered.connect(lambda: self.choose(names, follow_shown=self.follow_shown))
        none = menu.addAction(tr("dash.none"))
        none.triggered.connect(lambda: self.choose([], follow_shown=self.follow_shown))

    def _tick(self, name: str, on: bool) -> None:
        pinned = [n for n in self.pinned if n != name] + ([name] if on else [])
        self.choose(pinned, follow_shown=self.follow_shown)
