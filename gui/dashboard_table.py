"""The dashboard's table: one row per indicator under its family, its unit, then a value per
column (the current situation, each scenario and its difference), differences in red when up
and blue when down. After an edit only the cells whose text changed are written again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from gui.dashboard_model import Column, DashboardRow
from gui.i18n import tr
from gui.indicator_cities import BASELINE_COLUMN

FIXED_COLUMNS = 2  # indicator, unit; the values follow
INCREASE_TEXT = "#a8322a"
DECREASE_TEXT = "#28579a"
NAME_ROLE = Qt.ItemDataRole.UserRole  # an indicator row's registered name
VALUE_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class IndicatorTree(QTreeWidget):
    """The indicators of one unit, grouped; the current row is the one charted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self._columns: list[Column] = []
        self._names: list[str] = []

    def show_rows(
        self,
        groups: list[tuple[str, list[DashboardRow]]],
        columns: list[Column],
        current_measure: str,
    ) -> None:
        """Show ``groups`` of rows with ``columns``; the same rows and columns as shown only
        have their values written (keeping scroll and current row)."""
        names = [row.indicator for _title, rows in groups for row in rows]
        if [c.key for c in columns] == [c.key for c in self._columns] and names == self._names:
            self._update_values({row.indicator: row for _t, rows in groups for row in rows})
            return
        self._columns, self._names = list(columns), names
        self._fill(groups, current_measure)

    def forget(self) -> None:
        """Build the table anew next time (texts of another language)."""
        self._columns, self._names = [], []

    def _fill(self, groups: list[tuple[str, list[DashboardRow]]], current_measure: str) -> None:
        self.blockSignals(True)
        self.clear()
        headers = [tr("dash.col.indicator"), tr("dash.col.unit")]
        headers += [header_text(column) for column in self._columns]
        self.setColumnCount(len(headers))
        self.setHeaderLabels(headers)
        header_item = self.headerItem()
        for position, column in enumerate(self._columns, start=FIXED_COLUMNS):
            tip = tr("dash.tip.delta", name=column.scenario) if column.is_delta else column.key
            header_item.setToolTip(position, tip)
            header_item.setTextAlignment(position, VALUE_ALIGNMENT)
        bold = QFont(self.font())
        bold.setBold(True)
        current: QTreeWidgetItem | None = None
        for title, rows in groups:
            group = QTreeWidgetItem(self, [title])
            group.setFont(0, bold)
            group.setFirstColumnSpanned(True)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for row in rows:
                item = QTreeWidgetItem(group, [row.title, row.unit])
                item.setData(0, NAME_ROLE, row.indicator)
                self._set_values(item, row, fresh=True)
                if row.measure == current_measure:
                    current = item
            group.setExpanded(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for position in range(1, len(headers)):
            header.setSectionResizeMode(position, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        if current is not None:
            self.setCurrentItem(current)
        self.blockSignals(False)

    def _update_values(self, rows: dict[str, DashboardRow]) -> None:
        root = self.invisibleRootItem()
        groups = [root.child(g) for g in range(root.childCount())]
        for group in (g for g in groups if g is not None):
            for item in (group.child(i) for i in range(group.childCount())):
                row = rows.get(str(item.data(0, NAME_ROLE))) if item is not None else None
                if item is not None and row is not None:
                    self._set_values(item, row)

    def _set_values(self, item: QTreeWidgetItem, row: DashboardRow, *, fresh: bool = False) -> None:
        """Write a row's values (only the cells whose text changed, unless ``fresh``)."""
        tip = row.meaning + (f"\n{tr('dash.note', note=row.note)}" if row.note else "")
        if fresh or item.toolTip(0) != tip:
            item.setToolTip(0, tip)
        for position, column in enumerate(self._columns):
            cell = FIXED_COLUMNS + position
            text = row.texts[position]
            if not fresh and item.text(cell) == text:
                continue  # most values do not move after an edit: no repaint for them
            item.setText(cell, text)
            if fresh:
                item.setTextAlignment(cell, VALUE_ALIGNMENT)
            number = row.number(position)
            if column.is_delta and number is not None and shows_a_change(text):
                colour = INCREASE_TEXT if number > 0 else DECREASE_TEXT
                item.setForeground(cell, QBrush(QColor(colour)))
            else:
                item.setForeground(cell, QBrush())


def chart_bars(
    row: DashboardRow, columns: list[Column]
) -> tuple[list[str], list[float | None], list[str]]:
    """The chart's bars for one row: a label, a value and its text per state (the current
    situation, each scenario), a scenario's text with its difference under it."""
    shown = [i for i, column in enumerate(columns) if not column.is_delta]
    texts = []
    for i in shown:
        delta = i + 1 < len(columns) and columns[i + 1].is_delta
        change = row.texts[i + 1] if delta else ""
        texts.append(f"{row.texts[i]}\n({change})" if shows_a_change(change) else row.texts[i])
    return [header_text(columns[i]) for i in shown], [row.number(i) for i in shown], texts


def header_text(column: Column) -> str:
    """A value column's title: « Situation actuelle », the scenario's name, or Δ."""
    if column.is_delta:
        return tr("dash.col.delta")
    return tr("dash.col.baseline") if column.key == BASELINE_COLUMN else column.key


def shows_a_change(text: str) -> bool:
    """Whether a difference as written is not zero ("+0,00" rounds a tiny one to nothing).

    Example:
        >>> shows_a_change("+3\\u202f873"), shows_a_change("0,00"), shows_a_change("—")
        (True, False, False)
    """
    return any(character in "123456789" for character in text)
