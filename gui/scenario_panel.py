"""The "Scénarios" panel: the current situation and the project's scenarios (each under its
base), the commands on them, the selected scenario's description and numbered edits, undo and
redo, and the legend of the marks in the 3D view.

The panel only shows and asks: a click on a row emits :attr:`ScenarioPanel.chosen`, and its
buttons (one row: new, copy, rename, describe, and a "Plus" menu with delete, import and export)
trigger the window's actions (:mod:`gui.scenario_actions`); the work is done by
:class:`gui.scenario_control.ScenarioControl`. Whatever the dock's size nothing overlaps: the
content scrolls when the dock is smaller than it needs, and a long description scrolls in a box
of a few lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import format_number, tr, translator
from gui.scenario_marks import CHANGED_COLOUR, NEW_COLOUR, OBJECT_LAYERS, Marks
from gui.scenario_texts import EditLine
from gui.text_box import TextBox
from scenarios.scenario import BASELINE, Scenario

NAME_ROLE = Qt.ItemDataRole.UserRole
#: The panel's buttons in one row: (action id, label key).
BUTTONS: tuple[tuple[str, str], ...] = (
    ("scenario.new", "scenarios.button.new"),
    ("scenario.copy", "scenarios.button.copy"),
    ("scenario.rename", "scenarios.button.rename"),
    ("scenario.describe", "scenarios.button.describe"),
)
#: The commands of the row's "Plus" menu (the window's actions themselves).
MORE_ACTIONS: tuple[str, ...] = ("scenario.delete", "scenario.import", "scenario.export")
EDIT_BUTTONS: tuple[tuple[str, str], ...] = (
    ("edit.undo", "scenarios.button.undo"),
    ("edit.redo", "scenarios.button.redo"),
)
#: The actions the panel's buttons and menu trigger.
PANEL_ACTIONS: tuple[str, ...] = (
    *(b[0] for b in BUTTONS),
    *MORE_ACTIONS,
    *(b[0] for b in EDIT_BUTTONS),
)
LIST_ROWS = 5  # scenarios the list shows at least
EDIT_LINES = 4  # lines the edits list shows at least
SPACING_PX = 4  # between the panel's pieces
CONTENT_MARGIN_PX = 6  # around them
DESCRIPTION_LINES = 3  # a longer description scrolls in its box


class ScenarioPanel(QWidget):
    """The scenarios dock's widget: its content scrolls rather than overlap when the dock is
    smaller than it needs (the list keeps :data:`LIST_ROWS` rows, the edits
    :data:`EDIT_LINES` lines).

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
        self.tree.currentItemChanged.connect(self._on_current)
        self.buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout()
        row.setSpacing(SPACING_PX)
        for action_id, _key in BUTTONS:
            row.addWidget(self._button(action_id))
        self.more_menu = QMenu(self)
        self.more = QToolButton()
        self.more.setObjectName("button.scenario.more")
        self.more.setMenu(self.more_menu)
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.more.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        row.addWidget(self.more)
        self.description_box = TextBox(DESCRIPTION_LINES)
        self.description = self.description_box.label
        self.description.setStyleSheet("QLabel { color: #404040; }")
        self.edits_title = QLabel()
        bold = QFont(self.edits_title.font())
        bold.setBold(True)
        self.edits_title.setFont(bold)
        self.edits = QListWidget()
        self.edits.setWordWrap(True)
        self.edits.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for view in (self.tree, self.edits):  # no preferred height: the minimum, then stretch
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        undo_row = QHBoxLayout()
        undo_row.setSpacing(SPACING_PX)
        for action_id, _key in EDIT_BUTTONS:
            undo_row.addWidget(self._button(action_id))
        self.marks = QLabel()
        self.marks.setTextFormat(Qt.TextFormat.RichText)
        self.marks.setWordWrap(True)

        self._content = content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(*[CONTENT_MARGIN_PX] * 4)
        layout.setSpacing(SPACING_PX)
        layout.addWidget(self.tree, 3)
        layout.addLayout(row)
        layout.addWidget(self.description_box)
        layout.addWidget(self.edits_title)
        layout.addWidget(self.edits, 4)
        layout.addLayout(undo_row)
        layout.addWidget(self.marks)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)

        self._scenarios: dict[str, Scenario] = {}
        self._shown = BASELINE
        self._syncing = False
        self._marks: Marks | None = None
        self._object_marks: dict[str, Marks] = {}
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
        self._fit_views()
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
        parts = []
        if marks is not None and marks.any:
            for colour, key, ids in (
                (NEW_COLOUR, "scenarios.marks.new", marks.new),
                (CHANGED_COLOUR, "scenarios.marks.changed", marks.changed),
            ):
                if ids:
                    count = format_number(len(ids), 0)
                    parts.append(f'<span style="color:{colour}">■</span> {tr(key, count=count)}')
            if marks.removed:
                count = format_number(len(marks.removed), 0)
                parts.append(tr("scenarios.marks.removed", count=count))
        for layer in OBJECT_LAYERS:  # rooms, stops, lines, equipment
            other = self._object_marks.get(layer, Marks())
            for colour, state, ids in (
                (NEW_COLOUR, "new", other.new),
                (CHANGED_COLOUR, "changed", other.changed),
            ):
                if ids:
                    text = tr(f"scenarios.marks.{layer}.{state}", count=format_number(len(ids), 0))
                    parts.append(f'<span style="color:{colour}">■</span> {text}')
        text = "&nbsp;&nbsp;".join([tr("scenarios.marks.title"), *parts]) if parts else ""
        self.marks.setText(text)

    def set_object_marks(self, marks: Mapping[str, Marks]) -> None:
        """The rooms, stops, lines and equipment marked in the 3D view, by City layer (their
        legend follows the buildings')."""
        self._object_marks = dict(marks)
        self.set_marks(self._marks)

    def comfortable_height(self) -> int:
        """The height at which nothing scrolls, even with a description of
        :data:`DESCRIPTION_LINES` lines and a legend of two: the list at
        :data:`LIST_ROWS` rows, the edits at :data:`EDIT_LINES` lines."""
        line = self.fontMetrics().lineSpacing()
        now = self._content.minimumSizeHint().height()
        longer = self.description_box.cap_height() - self.description_box.height()
        return now + max(longer, 0) + max(2 * line - self.marks.height(), 0)

    def attach(self, actions: Mapping[str, QAction]) -> None:
        """Make the buttons trigger the window's actions and follow their state and tips."""
        self._actions = dict(actions)
        self.more_menu.clear()
        self.more_menu.addActions([actions[a] for a in MORE_ACTIONS if a in actions])
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
        for action_id, key in (*BUTTONS, *EDIT_BUTTONS):
            self.buttons[action_id].setText(tr(key))
        self.more.setText(tr("scenarios.button.more") + " ▾")
        self.more.setToolTip(tr("scenarios.tip.more"))
        self._fit_views()
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
        button.setSizePolicy(QSizePolicy.Policy.MinimumExpanding, QSizePolicy.Policy.Fixed)
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
            self.description_box.set_text(tr("scenarios.tip.baseline"))
        else:
            text = scenario.description or tr("scenarios.description.none")
            self.description_box.set_text(text)

    def _fit_views(self) -> None:
        """The list at least :data:`LIST_ROWS` rows high, the edits :data:`EDIT_LINES` lines,
        the panel no narrower than its row of buttons and no lower than the list and the
        buttons (the rest scrolls)."""
        line = self.fontMetrics().lineSpacing()
        row = max(self.tree.sizeHintForRow(0), line + 4)
        frame = 2 * self.tree.frameWidth()
        header = self.tree.header().sizeHint().height()
        self.tree.setMinimumHeight(header + LIST_ROWS * row + frame + 2)
        self.edits.setMinimumHeight(EDIT_LINES * line + 2 * self.edits.frameWidth() + 8)
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()  # as narrow as the buttons
        self.scroll_area.setMinimumWidth(self._content.minimumSizeHint().width() + bar)
        margins = CONTENT_MARGIN_PX + 2 * SPACING_PX
        buttons = max(button.sizeHint().height() for button in self.buttons.values())
        self.scroll_area.setMinimumHeight(self.tree.minimumHeight() + buttons + margins)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        """Sizes from the style and fonts in force once shown."""
        self._fit_views()
        super().showEvent(event)

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if self._syncing or current is None:
            return
        self._shown = str(current.data(0, NAME_ROLE))
        self._show_description()
        self.chosen.emit(self._shown)
