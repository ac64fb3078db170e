"""The "Options d'import" dialog: the choices of ``twin import``'s flags, for the app.

What the file holds (automatic, one of the registry's importers, or a project layer for the
generic importer), the source CRS (the one the file declares, a common French one, or any
``EPSG:xxxx`` typed in), the layer of a multi-layer file (listed with pyogrio), a TOML mapping,
column pairs, the storey height and IFC furniture. The values go through
:func:`importers.options.build_import_options`, exactly as the CLI's flags do; a value that
cannot be used shows one line in the dialog, which stays open.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import pyogrio
from pyproj import CRS
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from gui.error_texts import error_text
from gui.i18n import tr
from gui.import_report import layer_label
from importers.base import ImportOptions
from importers.options import STOREY_HEIGHT_RANGE_M, OptionError, build_import_options
from importers.registry import IMPORTER_MODULES
from twin.catalogue import STANDARD_SPECS
from twin.errors import TwinError

logger = logging.getLogger(__name__)

#: Lambert conformal conic zones CC42 to CC50 (EPSG:3942 to 3950).
CC_ZONES = tuple(range(42, 51))
#: UTM zones of mainland France, WGS 84 north (EPSG:32630 to 32632).
UTM_ZONES = (30, 31, 32)


def importer_names() -> list[str]:
    """The registry's importers, by name, in the registry's order (without importing them)."""
    return [module.rsplit(".", 1)[-1] for module in IMPORTER_MODULES]


def common_crs_choices() -> list[tuple[str, str]]:
    """(code, description) of the CRSs French data usually come in.

    Example:
        >>> [code for code, _ in common_crs_choices()][:3]
        ['EPSG:2154', 'EPSG:4326', 'EPSG:3942']
    """
    choices = [("EPSG:2154", tr("options.crs.2154")), ("EPSG:4326", tr("options.crs.4326"))]
    choices += [(f"EPSG:{3900 + zone}", tr("options.crs.cc", zone=zone)) for zone in CC_ZONES]
    choices += [(f"EPSG:{32600 + zone}", tr("options.crs.utm", zone=zone)) for zone in UTM_ZONES]
    return choices


def file_layers(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """(layer, geometry type) of the files' layers, in order; empty for what OGR cannot list."""
    found: dict[str, str] = {}
    for path in paths:
        try:
            for name, geometry in pyogrio.list_layers(path):
                found.setdefault(str(name), str(geometry or ""))
        except (pyogrio.errors.DataSourceError, OSError, ValueError) as exc:
            logger.debug("no OGR layers in %s: %s", path, exc)
    return list(found.items())


def declared_crs(path: Path, layer: str = "") -> str | None:
    """The CRS a file declares (``EPSG:2154``), ``""`` when it declares none, None when OGR
    cannot read it (an IFC, a GeoTIFF)."""
    try:
        info = pyogrio.read_info(path, layer=layer or 0)  # 0: the first layer
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        logger.debug("no OGR information for %s: %s", path, exc)
        return None
    return str(info.get("crs") or "")


class ImportOptionsDialog(QDialog):
    """Ask how to read ``paths``; after ``accept()``, :attr:`options` holds the choice."""

    def __init__(self, paths: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = [Path(p) for p in paths]
        self.options: ImportOptions | None = None
        self.setWindowTitle(tr("options.title"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        names = ", ".join(path.name for path in self.paths)
        intro = QLabel(tr("options.files", names=names))
        intro.setWordWrap(True)
        form.addRow(intro)

        self.kind = QComboBox()
        self._fill_kinds()
        form.addRow(tr("options.kind"), self.kind)

        self.crs = QComboBox()
        self.crs.setEditable(True)
        self.crs.addItem(tr("options.crs.auto"), "")
        for code, description in common_crs_choices():
            self.crs.addItem(f"{code} — {description}", code)
        crs_edit = self.crs.lineEdit()
        if crs_edit is not None:
            crs_edit.setPlaceholderText(tr("options.crs.placeholder"))
        self.crs_note = QLabel()
        form.addRow(tr("options.crs"), self.crs)
        form.addRow("", self.crs_note)

        self.layer = QComboBox()
        self.layer.addItem(tr("options.layer.auto"), "")
        for name, geometry in file_layers(self.paths):
            shape = geometry or tr("options.layer.no_geometry")
            self.layer.addItem(tr("options.layer.item", name=name, geometry=shape), name)
        self.layer.setEnabled(self.layer.count() > 2)  # one layer: nothing to choose
        self.layer.currentIndexChanged.connect(self._update_crs_note)
        form.addRow(tr("options.layer"), self.layer)

        self.mapping = QLineEdit()
        self.mapping.setPlaceholderText(tr("options.mapping.placeholder"))
        self.browse = QPushButton(tr("options.mapping.browse"))
        self.browse.clicked.connect(self._browse_mapping)
        row = QHBoxLayout()
        row.addWidget(self.mapping, 1)
        row.addWidget(self.browse)
        form.addRow(tr("options.mapping"), row)

        self.map_pairs = QLineEdit()
        self.map_pairs.setPlaceholderText(tr("options.map.placeholder"))
        form.addRow(tr("options.map"), self.map_pairs)

        self.storey_height = QDoubleSpinBox()
        self.storey_height.setRange(*STOREY_HEIGHT_RANGE_M)
        self.storey_height.setDecimals(2)
        self.storey_height.setSingleStep(0.1)
        self.storey_height.setValue(ImportOptions().storey_height_m)
        self.storey_height.setSuffix(" m")
        form.addRow(tr("options.storey_height"), self.storey_height)

        self.furniture = QCheckBox(tr("options.furniture"))
        form.addRow(self.furniture)

        self.error = QLabel()
        self.error.setObjectName("options.error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)  # one sentence, wrapped if the dialog is narrow
        self.error.setVisible(False)
        form.addRow(self.error)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form.addRow(buttons)
        self._update_crs_note()

    # -- values ---------------------------------------------------------------------------------
    def crs_text(self) -> str:
        """The CRS chosen: ``""`` for the file's own, else what was picked or typed."""
        text = self.crs.currentText().strip()
        for index in range(self.crs.count()):
            if text == self.crs.itemText(index):
                return str(self.crs.itemData(index) or "")
        return text.split(" ", 1)[0] if text.upper().startswith("EPSG:") else text

    def map_pair_list(self) -> list[str]:
        """The column pairs typed, split on commas or semicolons."""
        return [pair.strip() for pair in re.split(r"[,;]", self.map_pairs.text()) if pair.strip()]

    def build_options(self) -> ImportOptions:
        """The options chosen, built as ``twin import`` builds them.

        Raises:
            OptionError: a value cannot be used (the option is named in the error).
        """
        mapping = self.mapping.text().strip()
        return build_import_options(
            kind=str(self.kind.currentData() or ""),
            crs=self.crs_text(),
            layer=str(self.layer.currentData() or ""),
            map_pairs=self.map_pair_list(),
            mapping_file=Path(mapping) if mapping else None,
            storey_height_m=self.storey_height.value(),
            furniture=self.furniture.isChecked(),
        )

    def accept(self) -> None:
        """Close with the options, or stay open with one line saying what is wrong."""
        try:
            self.options = self.build_options()
        except OptionError as exc:
            self.show_error(option_error_line(exc))
            return
        except TwinError as exc:
            self.show_error(tr("options.error.other", error=error_text(exc)))
            return
        self.show_error("")
        super().accept()

    def show_error(self, text: str) -> None:
        """Show (or, with ``""``, hide) the error line."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- helpers --------------------------------------------------------------------------------
    def _fill_kinds(self) -> None:
        self.kind.addItem(tr("options.kind.auto"), "")
        self.kind.insertSeparator(self.kind.count())
        for name in importer_names():
            description = tr(f"importer.{name}")
            self.kind.addItem(tr("options.kind.importer", description=description), name)
        self.kind.insertSeparator(self.kind.count())
        for name in STANDARD_SPECS:
            self.kind.addItem(tr("options.kind.layer", layer=layer_label(name), name=name), name)

    def _update_crs_note(self) -> None:
        declared = declared_crs(self.paths[0], str(self.layer.currentData() or ""))
        if declared is None:
            self.crs_note.setText(tr("options.crs.not_read"))
        elif not declared:
            self.crs_note.setText(tr("options.crs.none"))
        else:
            try:
                name = f"{declared} ({CRS.from_user_input(declared).name})"
            except Exception:  # a CRS pyproj cannot name: show the code as OGR gave it
                name = declared
            self.crs_note.setText(tr("options.crs.declared", crs=name))

    def _browse_mapping(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("options.mapping"), str(self.paths[0].parent), tr("options.mapping.filter")
        )
        if path:
            self.mapping.setText(path)


def option_error_line(error: OptionError) -> str:
    """The dialog's line for an unusable option, in the app's language."""
    if error.option == "mapping" and not Path(error.value).exists():
        return tr("options.error.mapping_missing", value=error.value)
    key = f"options.error.{error.option}"
    if error.option in ("crs", "map", "mapping", "storey_height"):
        return tr(key, value=error.value)
    return tr("options.error.other", error=error_text(error))


def ask_import_options(
    paths: Sequence[Path], parent: QWidget | None = None
) -> ImportOptions | None:
    """Show the dialog (modal); the options chosen, or None if the user cancelled."""
    dialog = ImportOptionsDialog(paths, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.options
