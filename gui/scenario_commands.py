"""The scenarios panel's commands: new, copy, rename, describe, delete, import, export.

Each asks what it needs through a dialog attribute (``ask_name``, ``ask_description``,
``confirm``, ``ask_open_path``, ``ask_save_path``, ``show_error``), so tests can answer them,
does the work with :mod:`gui.scenario_store` and tells the
:class:`~gui.scenario_control.ScenarioControl` what to show next. Errors of the model are one
line in a dialog, never a traceback; the project is then as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from gui import scenario_store as store
from gui.error_texts import error_text
from gui.i18n import tr
from scenarios.scenario import BASELINE
from scenarios.scenario_file import read_scenario_file
from twin.city import City
from twin.errors import TwinError

if TYPE_CHECKING:
    from gui.scenario_control import ScenarioControl

logger = logging.getLogger(__name__)

Button = QMessageBox.StandardButton


class ScenarioCommands(QObject):
    """The commands on the project's scenarios, for one window."""

    def __init__(self, control: ScenarioControl, window: QWidget) -> None:
        super().__init__(control)
        self.control = control
        self._window = window
        self.ask_name: Callable[[str, str], str | None] = self._ask_name
        self.ask_description: Callable[[str, str], str | None] = self._ask_description
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.ask_open_path: Callable[[], str] = self._ask_open_path
        self.ask_save_path: Callable[[str], str] = self._ask_save_path
        self.show_error: Callable[[str], None] = self._show_error

    @property
    def _city(self) -> City | None:
        """The document's City (the baseline, which holds the scenarios)."""
        return self.control.document.city

    def _selected(self) -> str | None:
        name = self.control.shown_name
        return None if name == BASELINE else name

    # -- commands -------------------------------------------------------------------------------
    def new_scenario(self) -> str | None:
        """Create an empty scenario on the current situation and show it; its name."""
        city = self._city
        if city is None:
            return None
        default = store.unique_name(city, tr("scenarios.default.new"))
        name = self.ask_name(tr("scenarios.dialog.new_title"), default)
        if not name:
            return None
        if not self._run(lambda: store.create_scenario(city, name)):
            return None
        self._done(tr("scenarios.msg.created", name=name.strip()), show=name.strip())
        return name.strip()

    def copy_scenario(self) -> str | None:
        """Copy the selected scenario (same base, description and edits) and show the copy."""
        city, source = self._city, self._selected()
        if city is None or source is None:
            return None
        default = store.unique_name(city, tr("scenarios.default.copy", name=source))
        name = self.ask_name(tr("scenarios.dialog.copy_title", name=source), default)
        if not name:
            return None
        if not self._run(lambda: store.copy_scenario(city, source, name)):
            return None
        self._done(tr("scenarios.msg.created", name=name.strip()), show=name.strip())
        return name.strip()

    def rename_scenario(self) -> str | None:
        """Rename the selected scenario (those based on it follow); the new name."""
        city, old = self._city, self._selected()
        if city is None or old is None:
            return None
        name = self.ask_name(tr("scenarios.dialog.rename_title", name=old), old)
        if not name or name.strip() == old:
            return None
        if not self._run(lambda: store.rename_scenario(city, old, name)):
            return None
        new = name.strip()
        self.control.renamed(old, new)
        self._done(tr("scenarios.msg.renamed", old=old, name=new))
        return new

    def describe_scenario(self) -> bool:
        """Write the selected scenario's description (several lines)."""
        city, name = self._city, self._selected()
        if city is None or name is None:
            return False
        current = store.scenario_of(city, name).description
        text = self.ask_description(tr("scenarios.dialog.describe_title", name=name), current)
        if text is None or text.strip() == current.strip():
            return False
        if not self._run(lambda: store.describe_scenario(city, name, text)):
            return False
        self._done(tr("scenarios.msg.described", name=name))
        return True

    def delete_scenario(self) -> bool:
        """Delete the selected scenario after confirming; show its base."""
        city, name = self._city, self._selected()
        if city is None or name is None:
            return False
        scenario = store.scenario_of(city, name)
        text = tr("scenarios.dialog.delete_text", name=name, count=len(scenario.edits))
        if not self.confirm(tr("scenarios.dialog.delete_title"), text):
            return False
        if not self._run(lambda: store.delete_scenario(city, name)):
            return False
        self.control.forget(name)
        base = scenario.base if scenario.base in city.scenarios else BASELINE
        self._done(tr("scenarios.msg.deleted", name=name), show=base)
        return True

    def import_scenario(self, path: str | Path | None = None) -> str | None:
        """Add the scenario of a TOML file (asking whether to replace one of the same name)
        and show it; its name."""
        city = self._city
        if city is None:
            return None
        chosen = str(path) if path is not None else self.ask_open_path()
        if not chosen:
            return None
        try:
            read = read_scenario_file(chosen, city)
            name, replace = read.name, False
            if name in city.scenarios:
                other = store.unique_name(city, name)
                replace = self.confirm(
                    tr("scenarios.dialog.replace_title"),
                    tr("scenarios.dialog.replace_text", name=name, other=other),
                )
                name = name if replace else other
            scenario = store.import_scenario_file(city, chosen, replace=replace, name=name)
        except (TwinError, OSError) as error:
            self.show_error(tr("scenarios.error.import", path=chosen, error=error_text(error)))
            return None
        self.control.forget(scenario.name)
        self._done(
            tr("scenarios.msg.imported", name=scenario.name, path=chosen), show=scenario.name
        )
        return scenario.name

    def export_scenario(self, path: str | Path | None = None) -> Path | None:
        """Write the selected scenario to a TOML file; the file."""
        city, name = self._city, self._selected()
        if city is None or name is None:
            return None
        chosen = str(path) if path is not None else self.ask_save_path(store.file_name_for(name))
        if not chosen:
            return None
        try:
            written = store.export_scenario_file(city, name, chosen)
        except (TwinError, OSError) as error:
            self.show_error(tr("scenarios.error.export", path=chosen, error=error_text(error)))
            return None
        self.control.message.emit(tr("scenarios.msg.exported", name=name, path=written))
        return written

    # -- internals ------------------------------------------------------------------------------
    def _run(self, work: Callable[[], object]) -> bool:
        try:
            work()
        except TwinError as error:
            logger.info("scenario command refused: %s", error)
            self.show_error(tr("scenarios.error.command", error=error_text(error)))
            return False
        return True

    def _done(self, message: str, show: str | None = None) -> None:
        self.control.after_scenarios_changed(show)
        self.control.message.emit(message)

    def _folder(self) -> str:
        path = self.control.document.path
        return str(path.parent) if path is not None else ""

    def _show_error(self, text: str) -> None:
        QMessageBox.critical(self._window, tr("dialog.error_title"), text)

    def _ask_name(self, title: str, default: str) -> str | None:
        text, ok = QInputDialog.getText(
            self._window, title, tr("scenarios.dialog.name"), QLineEdit.EchoMode.Normal, default
        )
        return text if ok else None

    def _ask_description(self, title: str, current: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(
            self._window, title, tr("scenarios.dialog.describe_label"), current
        )
        return text if ok else None

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self._window, title, text, Button.Yes | Button.No, Button.No)
        return answer == Button.Yes

    def _ask_open_path(self) -> str:
        chosen, _ = QFileDialog.getOpenFileName(
            self._window,
            tr("scenarios.dialog.import_title"),
            self._folder(),
            tr("scenarios.dialog.filter"),
        )
        return chosen

    def _ask_save_path(self, file_name: str) -> str:
        start = str(Path(self._folder()) / file_name) if self._folder() else file_name
        chosen, _ = QFileDialog.getSaveFileName(
            self._window,
            tr("scenarios.dialog.export_title"),
            start,
            tr("scenarios.dialog.filter"),
        )
        return chosen
