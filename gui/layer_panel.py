"""The layers panel: a visibility checkbox and an opacity slider per layer of the 3D view."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSlider, QWidget

from gui.i18n import tr, translator
from gui.scene import SCENE_LAYERS


class LayerPanel(QWidget):
    """One row per scene layer; rows of layers the project lacks are greyed out.

    Signals:
        visibility_changed(layer, visible)
        opacity_changed(layer, opacity 0..1)
    """

    visibility_changed = Signal(str, bool)
    opacity_changed = Signal(str, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checkboxes: dict[str, QCheckBox] = {}
        self.sliders: dict[str, QSlider] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        self._opacity_header = QLabel()
        grid.addWidget(self._opacity_header, 0, 1)
        for row, name in enumerate(SCENE_LAYERS, start=1):
            checkbox = QCheckBox()
            checkbox.setChecked(True)
            checkbox.toggled.connect(lambda on, n=name: self.visibility_changed.emit(n, on))
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, 100)
            slider.setValue(100)
            slider.setMinimumWidth(90)
            slider.valueChanged.connect(lambda v, n=name: self.opacity_changed.emit(n, v / 100))
            grid.addWidget(checkbox, row, 0)
            grid.addWidget(slider, row, 1)
            self.checkboxes[name] = checkbox
            self.sliders[name] = slider
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(len(SCENE_LAYERS) + 1, 1)
        translator().language_changed.connect(self.retranslate)
        self.retranslate()

    def set_available(self, names: Iterable[str]) -> None:
        """Enable the rows of the layers the 3D view has, grey out the others."""
        available = set(names)
        for name in SCENE_LAYERS:
            self.checkboxes[name].setEnabled(name in available)
            self.sliders[name].setEnabled(name in available)

    def retranslate(self) -> None:
        """Labels and tooltips in the current language."""
        self._opacity_header.setText(tr("layers.opacity"))
        for name in SCENE_LAYERS:
            self.checkboxes[name].setText(tr(f"layer.{name}"))
            self.checkboxes[name].setToolTip(tr("layers.tip"))
            self.sliders[name].setToolTip(tr("layers.opacity"))
