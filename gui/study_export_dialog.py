"""File ▸ Export the digital-impact study: the dialog asking for the scenario, what it is
compared with, the report's language, HTML or PDF, and the file (its suffix follows the format).
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import LANGUAGES, tr, translator
from gui.study_export_worker import ExportRequest
from scenarios.scenario import BASELINE

FORMATS = ("html", "pdf")


class ExportDialog(QDialog):
    """Asks what study to export and where."""

    def __init__(
        self, scenarios: list[str], shown: str, folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("export.title"))
        self.folder = folder
        self.scenario = QComboBox()
        self.scenario.addItems(scenarios)
        self.scenario.setCurrentText(shown if shown in scenarios else scenarios[0])
        self.scenario.setToolTip(tr("export.tip.scenario"))
        self.compare = QComboBox()
        self.compare.setToolTip(tr("export.tip.compare"))
        self._scenarios = scenarios
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(tr(f"action.lang.{code}"), code)
        self.language.setCurrentIndex(LANGUAGES.index(translator().language))
        self.formats = {fmt: QRadioButton(tr(f"export.{fmt}")) for fmt in FORMATS}
        self.formats["html"].setChecked(True)
        group = QButtonGroup(self)
        for button in self.formats.values():
            group.addButton(button)
            button.toggled.connect(lambda _on: self._follow_format())
        self.file = QLineEdit()
        self.file.setToolTip(tr("export.tip.file"))
        browse = QPushButton(tr("export.browse"))
        browse.clicked.connect(self._browse)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.problem.hide()

        form = QFormLayout()
        form.addRow(tr("export.scenario"), self.scenario)
        form.addRow(tr("export.compare"), self.compare)
        form.addRow(tr("export.language"), self.language)
        formats = QVBoxLayout()
        for button in self.formats.values():
            formats.addWidget(button)
        form.addRow(tr("export.format"), formats)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        form.addRow(tr("export.file"), file_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.scenario.currentTextChanged.connect(self._fill_compare)
        self._fill_compare()
        self.resize(560, self.sizeHint().height())

    def fmt(self) -> str:
        """``"html"`` or ``"pdf"``."""
        return next(fmt for fmt, button in self.formats.items() if button.isChecked())

    def request(self) -> ExportRequest | None:
        """The export asked for (None while the file is missing)."""
        text = self.file.text().strip()
        if not text:
            return None
        return ExportRequest(
            scenario=self.scenario.currentText(),
            path=with_suffix(Path(text).expanduser(), self.fmt()),
            compare=str(self.compare.currentData()),
            lang=str(self.language.currentData()),
        )

    def _accept(self) -> None:
        if self.request() is None:
            self.problem.setText(tr("export.no_file"))
            self.problem.show()
            return
        self.accept()

    def _fill_compare(self) -> None:
        chosen = self.scenario.currentText()
        previous = self.compare.currentData()
        self.compare.clear()
        self.compare.addItem(tr("export.baseline"), BASELINE)
        for name in self._scenarios:
            if name != chosen:
                self.compare.addItem(name, name)
        index = self.compare.findData(previous)
        self.compare.setCurrentIndex(max(index, 0))
        self.file.setText(str(self.folder / f"etude-{slug(chosen)}.{self.fmt()}"))

    def _follow_format(self) -> None:
        text = self.file.text().strip()
        if text:
            self.file.setText(str(with_suffix(Path(text), self.fmt())))

    def _browse(self) -> None:
        fmt = self.fmt()
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("export.title"), self.file.text(), tr(f"export.filter.{fmt}")
        )
        if path:
            self.file.setText(str(with_suffix(Path(path), fmt)))


def with_suffix(path: Path, fmt: str) -> Path:
    """``path`` ending in ``.html`` or ``.pdf`` as ``fmt`` says.

    Example:
        >>> with_suffix(Path("/tmp/etude"), "pdf").name, with_suffix(Path("a.HTML"), "pdf").name
        ('etude.pdf', 'a.pdf')
    """
    if path.suffix.lower() in (".html", ".htm", ".pdf"):
        path = path.with_suffix("")
    return path.with_name(f"{path.name}.{fmt}")


def slug(name: str) -> str:
    """A file-name friendly form of a scenario's name.

    Example:
        >>> slug("Densifier le centre !")
        'densifier-le-centre'
    """
    text = re.sub(r"[^\w]+", "-", name.lower(), flags=re.UNICODE).strip("-")
    return text or "scenario"
