"""Where to put a model that has no georeferencing: X, Y, optional Z and a rotation."""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from gui.i18n import tr

#: (x, y, z, rotation): metres in the project CRS (z NaN when unknown), degrees.
Placement = tuple[float, float, float, float]


class PlacementDialog(QDialog):
    """Ask where the local origin of a model goes, pre-filled with ``default`` (x, y)."""

    def __init__(self, name: str, default: tuple[float, float], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("placement.title"))
        layout = QFormLayout(self)
        intro = QLabel(tr("placement.text", name=name))
        intro.setWordWrap(True)
        layout.addRow(intro)
        self.x = self._spin(default[0], 1e8)
        self.y = self._spin(default[1], 1e8)
        self.z = self._spin(0.0, 1e4)
        self.z.setEnabled(False)
        self.z_known = QCheckBox(tr("placement.z_known"))
        self.z_known.toggled.connect(self.z.setEnabled)
        self.rotation = self._spin(0.0, 360.0)
        layout.addRow(tr("placement.x"), self.x)
        layout.addRow(tr("placement.y"), self.y)
        layout.addRow(self.z_known, self.z)
        layout.addRow(tr("placement.rotation"), self.rotation)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def placement(self) -> Placement:
        """The values entered (z is NaN unless the altitude box is ticked)."""
        z = self.z.value() if self.z_known.isChecked() else math.nan
        return (self.x.value(), self.y.value(), z, self.rotation.value())

    @staticmethod
    def _spin(value: float, limit: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(-limit, limit)
        spin.setDecimals(2)
        spin.setValue(value)
        return spin


def ask_placement(
    name: str, default: tuple[float, float], parent: QWidget | None = None
) -> Placement | None:
    """Show the dialog (modal); the placement, or None if the user cancelled."""
    dialog = PlacementDialog(name, default, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.placement()
