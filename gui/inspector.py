"""The inspector panel: the selected object's attributes, provenance and IFC property sets.

The content comes from :func:`gui.inspection.describe`; this widget lays it out as a two-column
tree (attribute, value) with one expanded branch per section, and redoes it when the language
or the object's row changes.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import tr, translator
from gui.inspection import Description, describe
from twin.city import City

LABEL_SHARE = 0.45  # at most this share of the width for the attribute names


class Inspector(QWidget):
    """Shows one object of the City (or a hint when nothing is selected)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._city: City | None = None
        self._object_id: str | None = None
        self.description: Description | None = None

        self._title = QLabel()
        self._title.setWordWrap(True)
        font = self._title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._title.setFont(font)
        self._tree = QTreeWidget()
        self._tree.setColumnCount(2)
        self._tree.setAlternatingRowColors(True)
        self._tree.setUniformRowHeights(True)
        self._tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self._tree.header().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._title)
        layout.addWidget(self._tree, 1)
        translator().language_changed.connect(self.retranslate)
        self.retranslate()

    @property
    def object_id(self) -> str | None:
        """The id shown, if any."""
        return self._object_id

    def show_object(self, city: City | None, object_id: str | None) -> None:
        """Describe ``object_id`` of ``city``; None clears the panel."""
        self._city, self._object_id = city, object_id
        self.refresh()

    def refresh(self) -> None:
        """Describe the current object again (after an edit or a language switch)."""
        self._tree.clear()
        self.description = None
        if self._city is not None and self._object_id is not None:
            self.description = describe(self._city, self._object_id)
        if self.description is None:
            self._title.setText(tr("inspector.empty"))
            return
        self._title.setText(self.description.title)
        bold = QFont(self._tree.font())
        bold.setBold(True)
        for section in self.description.sections:
            branch = QTreeWidgetItem(self._tree, [section.title])
            branch.setFont(0, bold)
            branch.setFirstColumnSpanned(True)
            for item in section.fields:
                leaf = QTreeWidgetItem(branch, [item.label, item.value])
                leaf.setToolTip(0, item.tip or item.label)
                leaf.setToolTip(1, item.value if not item.tip else f"{item.value}\n{item.tip}")
            branch.setExpanded(True)
        self._fit_label_column()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        """Keep the label column fitted to the new width."""
        super().resizeEvent(event)
        self._fit_label_column()

    def _fit_label_column(self) -> None:
        """Labels as wide as they need, but never more than half the panel: values matter more."""
        self._tree.resizeColumnToContents(0)
        limit = int(self._tree.viewport().width() * LABEL_SHARE)
        if self._tree.columnWidth(0) > limit > 0:
            self._tree.setColumnWidth(0, limit)

    def value_of(self, label: str) -> str | None:
        """The value shown for an attribute label (None when not shown)."""
        return None if self.description is None else self.description.value_of(label)

    def retranslate(self) -> None:
        """Headers and content in the current language."""
        self._tree.setHeaderLabels([tr("inspector.attribute"), tr("inspector.value")])
        self.refresh()
