"""The colour-by legend: a title with its unit, then one row per class (swatch, label, count)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from gui.colouring import Colouring
from gui.i18n import format_number, tr

SWATCH_PX = 14


class Legend(QWidget):
    """Explains the colours of the buildings; hidden when there is nothing to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colouring: Colouring | None = None
        self._labels: list[tuple[QLabel, str]] = []
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)  # long titles (changes against the baseline) wrap
        self.message = QLabel()
        self.message.setWordWrap(True)
        self._rows = QWidget()
        self._grid = QGridLayout(self._rows)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self._rows)
        self.set_colouring(None)

    def set_colouring(self, colouring: Colouring | None) -> None:
        """Show the legend of ``colouring``; None hides the legend."""
        self.colouring = colouring
        self._labels.clear()
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.setVisible(colouring is not None)
        if colouring is None:
            return
        self.title.setText(colouring.heading)
        self.message.setText(colouring.message)
        self.message.setVisible(bool(colouring.message))
        for row, entry in enumerate(colouring.entries):
            count = format_number(entry.n_buildings, 0)
            swatch = QFrame()
            swatch.setFixedSize(SWATCH_PX, SWATCH_PX)
            swatch.setStyleSheet(f"background-color: {entry.colour}; border: 1px solid #606060;")
            label = QLabel(entry.label)
            number = QLabel(count)
            number.setStyleSheet("color: #707070;")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for widget in (swatch, label, number):
                widget.setToolTip(tr("colour.legend_tip", count=count))
            self._grid.addWidget(swatch, row, 0)
            self._grid.addWidget(label, row, 1)
            self._grid.addWidget(number, row, 2)
            self._labels.append((label, entry.colour))

    def rows(self) -> list[tuple[str, str]]:
        """(label text, swatch colour) of the rows shown, top to bottom."""
        return [(label.text(), colour) for label, colour in self._labels]
