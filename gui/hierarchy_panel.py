"""The hierarchy panel: a search box over a lazy tree of territory → commune → … → space."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import tr, translator
from gui.search import HierarchySearch
from gui.tree_model import HierarchyModel
from twin.city import City


class HierarchyPanel(QWidget):
    """Search box and tree; selecting a row (by hand or by search) emits its id.

    Signals:
        row_selected(id): the user selected a row in the tree or found one by searching.
        message(text): a line for the status bar (search results).
    """

    row_selected = Signal(str)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._city: City | None = None
        self._search: HierarchySearch | None = None
        self._matches: list[str] = []
        self._match = 0
        self._last_text = ""
        self._syncing = False
        self._reselect: str | None = None  # the row to select again after a rebuild
        self._reselect_timer = QTimer(self)
        self._reselect_timer.setSingleShot(True)
        self._reselect_timer.setInterval(0)
        self._reselect_timer.timeout.connect(self._select_again)

        self.search_box = QLineEdit()
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(lambda: self.find(self.search_box.text()))
        self.model = HierarchyModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search_box)
        layout.addWidget(self.view, 1)
        translator().language_changed.connect(self.retranslate)
        self.retranslate()

    def set_city(self, city: City | None) -> None:
        """Show the hierarchy of ``city``, the territory expanded."""
        self._cancel_reselect()
        self._city = city
        self._search = None
        self._matches, self._last_text = [], ""
        self.model.set_city(city)
        root = self.model.index(0, 0)
        if root.isValid():
            self.view.expand(root)

    def refresh(self, structure: bool) -> None:
        """Follow a change of the City: rebuild the tree if ids or parents changed, else names.

        After a rebuild, the row selected is selected again once the current event is over
        (laying out the rows up to it is the tree's slow part: 50 000 rows take ~0.1 s; an
        edit's changes of buildings, storeys and rooms: once), the tree keeping its picture
        until then; asking the panel anything does it at once."""
        if self._city is None:
            return
        self._search = None
        if structure:
            selected = self._reselect if self._reselect is not None else self._selected()
            self.set_city(self._city)
            if selected is not None:
                self._reselect = selected
                self.view.setUpdatesEnabled(False)
                self._reselect_timer.start()
        else:
            self.model.refresh_names(self._city)

    def _select_again(self) -> None:
        node_id = self._reselect
        if node_id is not None:
            self.select_id(node_id)

    def _cancel_reselect(self) -> None:
        self._reselect = None
        self._reselect_timer.stop()
        self.view.setUpdatesEnabled(True)

    def selected_id(self) -> str | None:
        """The id of the selected row, if any."""
        self._select_again()
        return self._selected()

    def _selected(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.id_of(rows[0]) if rows else None

    def select_id(self, node_id: str | None) -> bool:
        """Select and show a row without emitting :attr:`row_selected`; False if not found."""
        self._cancel_reselect()
        index = self.model.index_of_id(node_id) if node_id is not None else None
        self._syncing = True
        try:
            if index is None or not index.isValid():
                self.view.clearSelection()
                return False
            parent = index.parent()
            while parent.isValid():
                self.view.expand(parent)
                parent = parent.parent()
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            return True
        finally:
            self._syncing = False

    def find(self, text: str) -> str | None:
        """Select the first row matching ``text`` (the next one when searched again)."""
        if self._city is None or not text.strip():
            return None
        if text != self._last_text:
            if self._search is None:
                self._search = HierarchySearch(self._city)
            self._matches, self._match, self._last_text = self._search.find(text), 0, text
        elif self._matches:
            self._match = (self._match + 1) % len(self._matches)
        if not self._matches:
            self.message.emit(tr("search.none", text=text))
            return None
        found = self._matches[self._match]
        self.select_id(found)
        self.message.emit(
            tr("search.found", text=text, index=self._match + 1, count=len(self._matches))
        )
        self.row_selected.emit(found)
        return found

    def retranslate(self) -> None:
        """Placeholder and tooltip in the current language."""
        self.search_box.setPlaceholderText(tr("search.placeholder"))
        self.search_box.setToolTip(tr("search.tip"))

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._syncing:
            return
        node_id = self.selected_id()
        if node_id is not None:
            self.row_selected.emit(node_id)
