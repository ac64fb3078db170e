"""The two lists of the storeys panel (:mod:`gui.drill_panel`): storeys, top first, like a
building directory, and the rooms of one storey (name, use with its colour, area).

Each list emits ``chosen(id)`` when the user picks a row, and shows a row chosen elsewhere with
:meth:`show_id` without emitting.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from gui.drilldown import DrillBuilding
from gui.i18n import format_number, tr
from twin.snapshot import USE_COLOURS

ID_ROLE = Qt.ItemDataRole.UserRole


class StoreyList(QListWidget):
    """The storeys of a building, top first: "R+1    niveau +3,9 m".

    Signals:
        chosen(id): the user clicked a storey (also the one already shown).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._syncing = False
        self.itemSelectionChanged.connect(self._on_row)
        self.itemClicked.connect(self._on_row)

    def fill(self, building: DrillBuilding | None, shown: str | None) -> None:
        """List the storeys of ``building`` (none for None), ``shown`` selected."""
        self._syncing = True
        try:
            self.clear()
            for storey in reversed(building.storeys if building is not None else ()):
                elevation = _signed(format_number(storey.elevation_m, 1))
                item = QListWidgetItem(
                    tr("drill.storey.item", name=storey.name, elevation=elevation)
                )
                item.setData(ID_ROLE, storey.id)
                rooms = len(building.spaces.get(storey.id, ())) if building is not None else 0
                item.setToolTip(
                    tr(
                        "drill.storey.tip",
                        altitude=format_number(storey.floor_z_m, 1),
                        height=format_number(storey.height_m, 1),
                        count=rooms,
                    )
                )
                self.addItem(item)
        finally:
            self._syncing = False
        self.show_id(shown)

    def ids(self) -> list[str]:
        """The storeys listed, top first."""
        return [self.item(row).data(ID_ROLE) for row in range(self.count())]

    def show_id(self, storey_id: str | None) -> None:
        """Select the row of ``storey_id`` (none for None) without emitting :attr:`chosen`."""
        self._syncing = True
        try:
            self.clearSelection()
            for row in range(self.count()):
                if self.item(row).data(ID_ROLE) == storey_id:
                    self.setCurrentItem(self.item(row))
        finally:
            self._syncing = False

    def _on_row(self, *_args: object) -> None:
        items = self.selectedItems()
        if not self._syncing and items:
            self.chosen.emit(items[0].data(ID_ROLE))


class SpaceTable(QTreeWidget):
    """The rooms of one storey: name, use (with its colour in the 3D view), area in m².
    Several rooms can be chosen (Ctrl or Shift and click), for the editing tools.

    Signals:
        chosen(id): the user selected a room (the one clicked last).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(False)
        self._syncing = False
        self.itemSelectionChanged.connect(self._on_row)
        self.retranslate()

    def retranslate(self) -> None:
        """Column headers in the current language."""
        self.setHeaderLabels([tr("drill.col.name"), tr("drill.col.use"), tr("drill.col.area")])

    def fill(
        self, building: DrillBuilding | None, storey_id: str | None, shown: str | None
    ) -> None:
        """List the rooms of ``storey_id`` (none for None), ``shown`` selected."""
        self._syncing = True
        try:
            self.clear()
            spaces = building.spaces.get(storey_id, ()) if building and storey_id else ()
            for space in spaces:
                name = (
                    space.label
                    if space.name in ("", space.label)
                    else (f"{space.name}  {space.label}")
                )
                area = format_number(space.area_m2, 1) if np.isfinite(space.area_m2) else "—"
                item = QTreeWidgetItem([name, tr(f"use.{space.use}"), area])
                item.setData(0, ID_ROLE, space.id)
                item.setIcon(1, _swatch(USE_COLOURS.get(space.use, USE_COLOURS["unknown"])))
                item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
                item.setToolTip(0, f"{space.name} — {space.long_name}".strip(" —"))
                self.addTopLevelItem(item)
            self.resizeColumnToContents(1)
            self.resizeColumnToContents(2)
        finally:
            self._syncing = False
        self.show_id(shown)

    def ids(self) -> list[str]:
        """The rooms listed."""
        return [item.data(0, ID_ROLE) for item in self._items()]

    def selected_ids(self) -> list[str]:
        """The rooms chosen, in list order."""
        return [item.data(0, ID_ROLE) for item in self._items() if item.isSelected()]

    def show_id(self, space_id: str | None) -> None:
        """Select the row of ``space_id`` (none for None) without emitting :attr:`chosen`; a
        room already among those chosen leaves the choice as it is."""
        if space_id is not None and space_id in self.selected_ids():
            return
        self._syncing = True
        try:
            self.clearSelection()
            for item in self._items():
                if item.data(0, ID_ROLE) == space_id:
                    self.setCurrentItem(item)
        finally:
            self._syncing = False

    def _items(self) -> list[QTreeWidgetItem]:
        rows = (self.topLevelItem(row) for row in range(self.topLevelItemCount()))
        return [item for item in rows if item is not None]

    def _on_row(self) -> None:
        items = self.selectedItems()
        if not self._syncing and items:
            current = self.currentItem()
            item = current if current is not None and current.isSelected() else items[0]
            self.chosen.emit(item.data(0, ID_ROLE))


def _signed(text: str) -> str:
    """``"3,9"`` → ``"+3,9"``: levels read like a lift's buttons.

    Example:
        >>> _signed("3,9"), _signed("-2,5"), _signed("0")
        ('+3,9', '-2,5', '0')
    """
    return text if text.startswith(("-", "−")) or text == "0" else f"+{text}"


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)
