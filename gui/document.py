"""The open project: its City, its file and whether it has unsaved changes.

The City's ``changed`` psygnal signal marks the document dirty and is relayed as a Qt signal,
so widgets follow edits without knowing psygnal; saving clears the mark.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from twin.city import City
from twin.project import load_project, project_path, save_project

logger = logging.getLogger(__name__)


class Document(QObject):
    """The City being worked on.

    Signals:
        city_replaced(): another City (or none) is now open.
        city_changed(layer, ids, columns): the City changed (relayed from ``City.changed``).
        dirty_changed(dirty): unsaved changes appeared or were saved.
        path_changed(): the project file changed (opened, saved as).
    """

    city_replaced = Signal()
    city_changed = Signal(str, tuple, tuple)
    dirty_changed = Signal(bool)
    path_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.city: City | None = None
        self.path: Path | None = None
        self._dirty = False

    @property
    def dirty(self) -> bool:
        """Whether the City changed since it was opened or saved."""
        return self._dirty

    @property
    def title(self) -> str:
        """The project's name, or its file name when it has none."""
        if self.city is not None and self.city.name:
            return self.city.name
        return self.path.name.removesuffix(".twin.gpkg") if self.path else ""

    def set_city(self, city: City | None, path: Path | None = None) -> None:
        """Work on ``city`` (already loaded from ``path``, if any), with no unsaved changes."""
        if self.city is not None:
            self.city.changed.disconnect(self._on_city_changed)
        self.city = city
        if city is not None:
            city.changed.connect(self._on_city_changed)
        self.path = path
        self._set_dirty(False)
        self.path_changed.emit()
        self.city_replaced.emit()

    def open(self, path: str | Path) -> None:
        """Load a project file.

        Raises:
            TwinError: the file is missing, not a project or too new (the City is unchanged).
        """
        resolved = project_path(path)
        city = load_project(resolved)
        logger.info("opened %s", resolved)
        self.set_city(city, resolved)

    def save(self, path: str | Path | None = None) -> Path:
        """Save to ``path`` (default: the current file) and clear the dirty mark.

        Raises:
            ValueError: no path is given and the document has none.
            TwinError, OSError: the file cannot be written (the old file stays as it was).
        """
        if self.city is None:
            raise ValueError("there is no project to save")
        target = project_path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the project has no file yet; give a path")
        saved = save_project(self.city, target)
        logger.info("saved %s", saved)
        if saved != self.path:
            self.path = saved
            self.path_changed.emit()
        self._set_dirty(False)
        return saved

    def mark_unsaved(self) -> None:
        """Mark the document as having unsaved changes (a City recovered after a crash)."""
        self._set_dirty(True)

    def _on_city_changed(self, layer: str, ids: tuple, columns: tuple) -> None:
        self._set_dirty(True)
        self.city_changed.emit(layer, ids, columns)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
