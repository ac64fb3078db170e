"""A word-wrapped text as high as its text, up to a number of lines; longer text scrolls."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget


class TextBox(QScrollArea):
    """A word-wrapped plain-text label (:attr:`label`) as high as its text, up to
    ``max_lines`` lines; a longer text scrolls inside the box."""

    def __init__(self, max_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.max_lines = max_lines

    def set_text(self, text: str) -> None:
        """Show ``text`` and fit the box's height to it."""
        self.label.setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        """A new width: the text wraps anew, the height follows."""
        super().resizeEvent(event)
        self._fit()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """One line, four lines wide (the box is as high as its text, see :meth:`_fit`)."""
        line = self.label.fontMetrics().lineSpacing()
        return QSize(4 * line, line)

    def cap_height(self) -> int:
        """The box's height for a text of ``max_lines`` lines or more."""
        return self.max_lines * self.label.fontMetrics().lineSpacing() + 2

    def _fit(self) -> None:
        line = self.label.fontMetrics().lineSpacing()
        needed = self.label.heightForWidth(max(self.viewport().width(), 4 * line))
        height = max(line, min(needed, self.cap_height()))
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)
