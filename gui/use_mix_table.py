"""The use mix of a building in a dialog: one row per use with its share of the floor area in
per cent, the total under the table (in red unless it makes 100 %)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import format_number, tr
from scenarios.edits.housing import MIX_USES
from twin.errors import InvalidInputError

TOLERANCE_PERCENT = 0.1  # the model accepts shares summing to 1 ± 0.001


class UseMixTable(QWidget):
    """Shares of floor area by use, in per cent.

    Signals:
        changed(): a use or a share changed (the total and what depends on it follow).
    """

    changed = Signal()

    def __init__(self, shares: Mapping[str, float] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([tr("edit.mix.use"), tr("edit.mix.share")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setToolTip(tr("edit.mix.tip"))
        self.table.setMinimumHeight(120)
        self.add_button = QPushButton(tr("edit.mix.add"))
        self.add_button.setToolTip(tr("edit.mix.add_tip"))
        self.add_button.clicked.connect(lambda: self.add_row(self._free_use(), 0.0))
        self.remove_button = QPushButton(tr("edit.mix.remove"))
        self.remove_button.setToolTip(tr("edit.mix.remove_tip"))
        self.remove_button.clicked.connect(self.remove_current_row)
        self.total = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.set_shares(shares or {"residential": 100.0})

    # -- values ---------------------------------------------------------------------------------
    def set_shares(self, shares: Mapping[str, float]) -> None:
        """Replace the rows: ``{use: per cent}``."""
        self.table.setRowCount(0)
        for use, percent in shares.items():
            self.add_row(use, percent)
        self._update_total()

    def add_row(self, use: str, percent: float) -> None:
        """Add a row with ``use`` and its share in per cent."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox()
        for known in MIX_USES:
            combo.addItem(tr(f"use.{known}"), known)
        combo.setCurrentIndex(max(0, combo.findData(use)))
        combo.currentIndexChanged.connect(lambda _i: self._update_total())
        spin = QDoubleSpinBox()
        spin.setRange(0.0, 100.0)
        spin.setDecimals(1)
        spin.setSingleStep(5.0)
        spin.setSuffix(" %")
        spin.setValue(float(percent))
        spin.valueChanged.connect(lambda _v: self._update_total())
        self.table.setCellWidget(row, 0, combo)
        self.table.setCellWidget(row, 1, spin)
        self._update_total()

    def remove_current_row(self) -> None:
        """Remove the row chosen in the table (the last one if none)."""
        row = self.table.currentRow() if self.table.currentRow() >= 0 else self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            self._update_total()

    def rows(self) -> list[tuple[str, float]]:
        """(use, per cent) of each row, in order."""
        found = []
        for row in range(self.table.rowCount()):
            combo, spin = self.table.cellWidget(row, 0), self.table.cellWidget(row, 1)
            if isinstance(combo, QComboBox) and isinstance(spin, QDoubleSpinBox):
                found.append((str(combo.currentData()), float(spin.value())))
        return found

    def total_percent(self) -> float:
        """The sum of the shares, in per cent."""
        return math.fsum(percent for _use, percent in self.rows())

    def shares(self) -> dict[str, float]:
        """The mix as the edits take it: ``{use: share}`` summing to 1 (rows at 0 % left out).

        Raises:
            InvalidInputError: no share, a use listed twice, or shares not making 100 % (the
                message, in the app's language, is the dialog's one line).
        """
        mix: dict[str, float] = {}
        for use, percent in self.rows():
            if percent <= 0:
                continue
            if use in mix:
                raise InvalidInputError(tr("edit.error.mix_twice", use=tr(f"use.{use}")))
            mix[use] = percent / 100.0
        if not mix:
            raise InvalidInputError(tr("edit.error.mix_empty"))
        total = self.total_percent()
        if abs(total - 100.0) > TOLERANCE_PERCENT:
            raise InvalidInputError(tr("edit.error.mix_total", total=format_number(total, 1)))
        return mix

    def residential_share(self) -> float:
        """The share of housing (0 to 1) of the rows as they are (for the previews)."""
        return sum(p for u, p in self.rows() if u == "residential") / 100.0

    # -- internals ------------------------------------------------------------------------------
    def _free_use(self) -> str:
        used = {use for use, _ in self.rows()}
        return next((use for use in MIX_USES if use not in used), MIX_USES[0])

    def _update_total(self) -> None:
        total = self.total_percent()
        good = abs(total - 100.0) <= TOLERANCE_PERCENT
        self.total.setText(tr("edit.mix.total", total=format_number(total, 1)))
        self.total.setStyleSheet("" if good else "color: #c0392b; font-weight: bold;")
        self.remove_button.setEnabled(self.table.rowCount() > 1)
        self.changed.emit()
