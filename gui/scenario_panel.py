"""The "Scénarios" panel: the current situation and the project's scenarios (each under its
base), the commands on them, the selected scenario's description and numbered edits, undo and
redo, and the legend of the marks in the 3D view.

The panel only shows and asks: a click on a row emits :attr:`ScenarioPanel.chosen`, and its
buttons trigger the window's actions (:mod:`gui.scenario_actions`); the work is done by
:class:`gui.scenario_control.ScenarioControl`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import format_number, tr, translator
from gui.scenario_marks import CHANGED_COLOUR, NEW_COLOUR, Marks
from gui.scenario_texts import EditLine
from scenarios.scenario import BASELINE, Scenario

NAME_ROLE = Qt.ItemDataRole.UserRole
#: The panel's buttons: (action id, label key, row, column).
BUTTONS: tuple[tuple[str, str, int, int], ...] = (
    ("scenario.new", "scenarios.button.new", 0, 0),
    ("scenario.copy", "scenarios.button.copy", 0, 1),
    ("scenario.rename", "scenarios.button.rename", 0, 2),
    ("scenario.describe", "scenarios.button.describe", 0, 3),
    ("scenario.delete", "scenarios.button.delete", 1, 0),
    ("scenario.import", "scenarios.button.import", 1, 1),
    ("scenario.export", "scenarios.button.export", 1, 2),
)
EDIT_BUTTONS: tuple[tuple[str, str], ...] = (
    ("edit.undo", "scenarios.button.undo"),
    ("edit.redo", "scenarios.button.redo"),
)
#: The actions the panel's buttons trigger.
PANEL_ACTIONS: tuple[str, ...] = tuple(b[0] for b in BUTTONS) + tuple(b[0] for b in EDIT_BUTTONS)


class ScenarioPanel(QWidget):
    """The scenarios dock's widget.

    Signals:
        chosen(name): the user clicked a row (:data:`~scenarios.scenario.BASELINE` for the
            current situation).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setMinimumHeight(110)  # five rows stay visible when the docks are crowded
        self.tree.currentItemChanged.connect(self._on_current)
        self.buttons: dict[str, QToolButton] = {}
        grid = QGridLayout()
        grid.setSpacing(4)
        for action_id, _key, row, column in BUTTONS:
            grid.addWidget(self._button(action_id), row, column)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.description.setStyleSheet("QLabel { color: #404040; }")
        self.edits_title = QLabel()
        bold = QFont(self.edits_title.font())
        bold.setBold(True)
        self.edits_title.setFont(bold)
        self.edits = QListWidget()
        self.edits.setWordWrap(True)
        self.edits.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.edits.setMinimumHeight(70)
        undo_row = QGridLayout()
        for column, (action_id, _key) in enumerate(EDIT_BUTTONS):
            undo_row.addWidget(self._button(action_id), 0, column)
        self.marks = QLabel()
        self.marks.setTextFormat(Qt.TextFormat.RichText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tree, 3)
        layout.addLayout(grid)
        layout.addWidget(self.description)
        layout.addWidget(self.edits_title)
        layout.addWidget(self.edits, 4)
        layout.addLayout(undo_row)
        layout.addWidget(self.marks)

        self._scenarios: dict[str, Scenario] = {}
        self._shown = BASELINE
        self._syncing = False
        self._marks: Marks | None = None
        self._actions: dict[str, QAction] = {}
        translator().language_changed.connect(self.retranslate)
        self.retranslate()

    # -- content --------------------------------------------------------------------------------
    def set_scenarios(self, scenarios: Mapping[str, Scenario], shown: str) -> None:
        """List the current situation and ``scenarios`` (each under its base), ``shown``
        selected; emits nothing."""
        self._scenarios = dict(scenarios)
        self._shown = shown if shown in self._scenarios else BASELINE
        self._syncing = True
        try:
            self.tree.clear()
            root = QTreeWidgetItem(self.tree, [tr("scenarios.baseline"), ""])
            root.setData(0, NAME_ROLE, BASELINE)
            root.setToolTip(0, tr("scenarios.tip.baseline"))
            items = {BASELINE: root}
            pending = list(self._scenarios.values())
            while pending:  # parents first; a scenario with an unknown base goes at the root
                placed = [s for s in pending if s.base in items or s.base not in self._scenarios]
                if not placed:
                    placed = pending
                for scenario in placed:
                    parent = items.get(scenario.base, root)
                    items[scenario.name] = self._item(parent, scenario)
                pending = [s for s in pending if s not in placed]
            self.tree.expandAll()
            self.tree.setCurrentItem(items[self._shown])
        finally:
            self._syncing = False
        self._show_description()

    def names(self) -> list[str]:
        """The names listed, in display order (the current situation first, as BASELINE)."""
        found: list[str] = []

        def walk(item: QTreeWidgetItem | None) -> None:
            if item is None:
                return
            found.append(str(item.data(0, NAME_ROLE)))
            for index in range(item.childCount()):
                walk(item.child(index))

        for index in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(index))
        return found

    def item_of(self, name: str) -> QTreeWidgetItem | None:
        """The row of ``name`` (BASELINE: the current situation), or None."""
        found = self.tree.findItems(
            "*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive, 0
        )
        return next((item for item in found if item.data(0, NAME_ROLE) == name), None)

    def set_edits(self, name: str, done: Sequence[EditLine], undone: Sequence[EditLine]) -> None:
        """List the edits of ``name``, numbered, then the undone ones (greyed, redoable)."""
        self.edits.clear()
        if name == BASELINE:
            self.edits_title.setText(tr("scenarios.edits.baseline"))
            return
        self.edits_title.setText(tr("scenarios.edits.title", name=name))
        if not done and not undone:
            item = QListWidgetItem(tr("scenarios.edits.empty"))
            item.setForeground(Qt.GlobalColor.gray)
            self.edits.addItem(item)
        for number, (text, tip) in enumerate(done, start=1):
            item = QListWidgetItem(f"{number}. {text}")
            item.setToolTip(tip)
            self.edits.addItem(item)
        for number, (text, tip) in enumerate(reversed(undone), start=len(done) + 1):
            item = QListWidgetItem(f"{number}. {tr('scenarios.edit.undone', text=text)}")
            item.setToolTip(tip)
            item.setForeground(Qt.GlobalColor.gray)
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
            self.edits.addItem(item)

    def edit_lines(self) -> list[str]:
        """The lines of the edits list (tests)."""
        return [self.edits.item(row).text() for row in range(self.edits.count())]

    def set_marks(self, marks: Marks | None) -> None:
        """The legend of the marks in the 3D view (None: nothing marked, no legend)."""
        self._marks = marks
        if marks is None or not marks.any:
            self.marks.setText("")
            return
        parts = [tr("scenarios.marks.title")]
        for colour, key, ids in (
            (NEW_COLOUR, "scenarios.marks.new", marks.new),
            (CHANGED_COLOUR, "scenarios.marks.changed", marks.changed),
        ):
            if ids:
                count = format_number(len(ids), 0)
                parts.append(f'<span style="color:{colour}">■</span> {tr(key, count=count)}')
        if marks.removed:
            parts.append(tr("scenarios.marks.removed", count=format_number(len(marks.removed), 0)))
        self.marks.setText("&nbsp;&nbsp;".join(parts))

    def attach(self, actions: Mapping[str, QAction]) -> None:
        """Make the buttons trigger the window's actions and follow their state and tips."""
        self._actions = dict(actions)
        for action_id, button in self.buttons.items():
            action = self._actions.get(action_id)
            if action is None:
                continue
            button.clicked.connect(action.trigger)
            action.changed.connect(lambda b=button, a=action: self._follow(b, a))
            self._follow(button, action)

    def retranslate(self) -> None:
        """Texts and tooltips in the current language."""
        self.tree.setHeaderLabels([tr("scenarios.col.name"), tr("scenarios.col.edits")])
        self.tree.setToolTip(tr("scenarios.tip.list"))
        labels = [(a, key) for a, key, *_ in BUTTONS] + list(EDIT_BUTTONS)
        for action_id, key in labels:
            self.buttons[action_id].setText(tr(key))
        self.edits.setToolTip(tr("scenarios.tip.edits"))
        self.description.setToolTip(tr("scenarios.tip.description"))
        self.marks.setToolTip(tr("scenarios.tip.marks"))
        if self._scenarios or self.tree.topLevelItemCount():
            self.set_scenarios(self._scenarios, self._shown)
        self.set_marks(self._marks)

    # -- internals ------------------------------------------------------------------------------
    def _item(self, parent: QTreeWidgetItem, scenario: Scenario) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [scenario.name, format_number(len(scenario.edits), 0)])
        item.setData(0, NAME_ROLE, scenario.name)
        base = tr("scenarios.baseline") if scenario.base == BASELINE else scenario.base
        about = scenario.description or tr("scenarios.description.none")
        item.setToolTip(0, tr("scenarios.tip.item", base=base, description=about))
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _button(self, action_id: str) -> QToolButton:
        button = QToolButton()
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setObjectName(f"button.{action_id}")
        self.buttons[action_id] = button
        return button

    def _follow(self, button: QToolButton, action: QAction) -> None:
        button.setEnabled(action.isEnabled())
        button.setToolTip(action.toolTip())
        button.setStatusTip(action.statusTip())

    def _show_description(self) -> None:
        scenario = self._scenarios.get(self._shown)
        if scenario is None:
            self.description.setText(tr("scenarios.tip.baseline"))
        else:
            self.description.setText(scenario.description or tr("scenarios.description.none"))

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if self._syncing or current is None:
            return
        self._shown = str(current.data(0, NAME_ROLE))
        self._show_description()
        self.chosen.emit(self._shown)
