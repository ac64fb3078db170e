"""A lazy Qt item model over the City's territory → room hierarchy.

Each item is a hierarchy row, identified by its integer code in the
:class:`~twin.hierarchy.HierarchyIndex` (stored as the index's ``internalId``). Children are
read from the index only when a parent is expanded and handed to the view in batches through
``canFetchMore``/``fetchMore``, so a district with 100 000 buildings never becomes 100 000
items at once. Names come from the hierarchy layers' ``name`` column, as one array.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from gui.i18n import level_label, tr, translator
from gui.search import hierarchy_names
from twin.city import City
from twin.hierarchy import HierarchyIndex
from twin.levels import Level

logger = logging.getLogger(__name__)

BATCH_ROWS = 500  # rows handed to the view per fetchMore
ROOT = -1  # the code of the invisible root (parent of the territory and of orphans)
COLUMN_KEYS: tuple[str, ...] = ("tree.name", "tree.level")
ID_ROLE = Qt.ItemDataRole.UserRole  # data(index, ID_ROLE) is the row's id
_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ID_ROLE})

AnyIndex = QModelIndex | QPersistentModelIndex


class HierarchyModel(QAbstractItemModel):
    """Two columns (name, level) over the hierarchy of a City, loaded as the user expands."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hierarchy: HierarchyIndex | None = None
        self._names = np.empty(0, dtype=object)
        self._child_counts = np.empty(0, dtype=np.int64)
        self._has_children: list[bool] = []  # by code: asked for every row laid out
        self._children: dict[int, np.ndarray] = {}
        self._child_lists: dict[int, list[int]] = {}  # the same codes, read per row faster
        self._loaded: dict[int, int] = {}
        self._level_texts: dict[int, str] = {}  # in the current language
        translator().language_changed.connect(self.retranslate)

    # -- content ----------------------------------------------------------------------------
    def set_city(self, city: City | None) -> None:
        """Show the hierarchy of ``city`` (or nothing); call again after structural changes."""
        self.beginResetModel()
        self._hierarchy = None if city is None else city.hierarchy
        self._names = hierarchy_names(city, self._hierarchy)
        self._child_counts = _child_counts(self._hierarchy)
        self._has_children = (self._child_counts > 0).tolist()
        self._children.clear()
        self._child_lists.clear()
        self._loaded.clear()
        self.endResetModel()
        if self._hierarchy is not None:
            self.fetchMore(QModelIndex())

    def refresh_names(self, city: City) -> None:
        """Re-read the ``name`` columns (after an edit that did not change the structure)."""
        self._names = hierarchy_names(city, self._hierarchy)
        self._repaint()

    def retranslate(self) -> None:
        """Level names and headers follow the language."""
        self._level_texts.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMN_KEYS) - 1)
        self._repaint()

    def _repaint(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    # -- lookups ----------------------------------------------------------------------------
    def id_of(self, index: AnyIndex) -> str | None:
        """The hierarchy id of an item (None for the invisible root)."""
        if not index.isValid() or self._hierarchy is None:
            return None
        return str(self._hierarchy.ids[index.internalId()])

    def index_of_id(self, node_id: str) -> QModelIndex:
        """The item of ``node_id``, loading its ancestors' children as far as needed.

        Returns an invalid index when the id is not in the hierarchy.
        """
        hierarchy = self._hierarchy
        found = _code_of(hierarchy, node_id)
        if hierarchy is None or found < 0:
            return QModelIndex()
        path = [found]
        while hierarchy.parents[path[-1]] >= 0:
            path.append(int(hierarchy.parents[path[-1]]))
        parent = QModelIndex()
        for code in reversed(path):
            parent_code = int(hierarchy.parents[code])
            row = int(np.searchsorted(self._child_codes(parent_code), code))
            if self._loaded.get(parent_code, 0) <= row:  # one insertion, up to the row's batch
                self._load(parent, parent_code, (row // BATCH_ROWS + 1) * BATCH_ROWS)
            parent = self.index(row, 0, parent)
        return parent

    # -- QAbstractItemModel -----------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """The item at ``row`` under ``parent`` (only among the rows already fetched)."""
        parent_code = parent.internalId() if parent.isValid() else ROOT  # twice a row laid out
        if not 0 <= column < len(COLUMN_KEYS) or not 0 <= row < self._loaded.get(parent_code, 0):
            return QModelIndex()
        return self.createIndex(row, column, self._child_lists[parent_code][row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """The parent item (invalid for the territory and orphans)."""
        if not index.isValid() or self._hierarchy is None:
            return QModelIndex()
        parent_code = int(self._hierarchy.parents[index.internalId()])
        if parent_code == ROOT:
            return QModelIndex()
        grandparent = int(self._hierarchy.parents[parent_code])
        row = int(np.searchsorted(self._child_codes(grandparent), parent_code))
        return self.createIndex(row, 0, parent_code)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows fetched so far under ``parent``."""
        if parent.isValid() and parent.column() > 0:
            return 0
        return self._loaded.get(self._code(parent), 0) if self._hierarchy is not None else 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Name and level."""
        return len(COLUMN_KEYS)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        """Whether an item has children (from the index's counts, without loading them)."""
        if self._hierarchy is None:
            return False
        if not parent.isValid():
            return bool(len(self._hierarchy))
        return parent.column() == 0 and self._has_children[parent.internalId()]

    def canFetchMore(self, parent: AnyIndex) -> bool:  # noqa: N802
        """Whether some children of ``parent`` are not handed to the view yet."""
        if self._hierarchy is None or (parent.isValid() and parent.column() > 0):
            return False
        code = self._code(parent)
        return self._loaded.get(code, 0) < len(self._child_codes(code))

    def fetchMore(self, parent: AnyIndex) -> None:  # noqa: N802
        """Hand the next batch of children of ``parent`` to the view."""
        if not self.canFetchMore(parent):
            return
        code = self._code(parent)
        self._load(parent, code, self._loaded.get(code, 0) + BATCH_ROWS)

    def _load(self, parent: AnyIndex, code: int, rows: int) -> None:
        """Hand the view the children of ``parent`` up to ``rows`` (capped at all of them)."""
        loaded = self._loaded.get(code, 0)
        until = min(len(self._child_codes(code)), rows)
        if until <= loaded:
            return
        self.beginInsertRows(parent, loaded, until - 1)
        self._loaded[code] = until
        self.endInsertRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Name (or id) and level; the id as tooltip and under :data:`ID_ROLE`."""
        if role not in _ROLES or not index.isValid() or self._hierarchy is None:
            return None  # the view asks ~10 roles per row, for each row it lays out
        code = index.internalId()
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 1:  # asked for every row the column is sized on
                level = int(self._hierarchy.levels[code])
                if level not in self._level_texts:
                    self._level_texts[level] = level_label(Level(level))
                return self._level_texts[level]
            name = self._names[code] if code < len(self._names) else None
            if isinstance(name, str) and name:
                return name
        return str(self._hierarchy.ids[code])

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Translated column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMN_KEYS)
        ):
            return tr(COLUMN_KEYS[section])
        return None

    # -- internals --------------------------------------------------------------------------
    def _code(self, index: AnyIndex) -> int:
        return int(index.internalId()) if index.isValid() else ROOT

    def _child_codes(self, code: int) -> np.ndarray:
        """Codes of the children of ``code`` (ascending, as HierarchyIndex.children orders them)."""
        if code not in self._children:
            hierarchy = self._hierarchy
            if hierarchy is None:
                return np.empty(0, dtype=np.int64)
            # ascending codes: layer order, as HierarchyIndex.children; read from the parent
            # links, not through the ids (whose index a patched hierarchy makes anew: ~40 ms)
            links = hierarchy.parents
            codes = np.flatnonzero(links < 0 if code == ROOT else links == code)
            self._children[code] = np.asarray(codes, dtype=np.int64)
            self._child_lists[code] = self._children[code].tolist()
        return self._children[code]


def _code_of(hierarchy: HierarchyIndex | None, node_id: str) -> int:
    """The code of ``node_id`` (-1 if absent), found by comparing the ids (a few ms) rather
    than through the id index a patched hierarchy would make first (~40 ms for 100 000)."""
    if hierarchy is None:
        return -1
    found = np.flatnonzero(hierarchy.ids == node_id)
    return int(found[0]) if len(found) else -1


def _child_counts(hierarchy: HierarchyIndex | None) -> np.ndarray:
    """Number of children of every row, by code, in one pass (not one lookup per row)."""
    if hierarchy is None:
        return np.empty(0, dtype=np.int64)
    parents = hierarchy.parents[hierarchy.parents >= 0]
    return np.bincount(parents, minlength=len(hierarchy)).astype(np.int64)
