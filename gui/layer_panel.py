"""The layers panel: a visibility checkbox and an opacity slider per layer of the 3D view, then
the column the buildings are coloured by and its legend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QSlider, QWidget

from gui.colouring import DEFAULT_COLUMN, Colouring, colour_buildings, colour_columns
from gui.compare_colouring import is_delta_column
from gui.i18n import format_number, tr, translator
from gui.legend import Legend
from gui.scene import SCENE_LAYERS
from twin.city import City

if TYPE_CHECKING:
    from gui.view3d import View3D

COLOURED_LAYER = "buildings"  # the scene layer coloured by a column


class DeltaSource(Protocol):
    """Where the "change against the baseline" colourings come from
    (:class:`gui.indicator_service.IndicatorService`)."""

    def delta_columns(self) -> list[str]:
        """The change columns offered now (none while the current situation is shown)."""

    def delta_colouring(self, column: str, object_ids: Sequence[str] | np.ndarray) -> Colouring:
        """Colours of the objects by a change column."""


class LayerPanel(QWidget):
    """One row per scene layer; rows of layers the project lacks are greyed out. Below them,
    "colour the buildings by" a column, and the legend of the colours.

    Signals:
        visibility_changed(layer, visible)
        opacity_changed(layer, opacity 0..1)
        colour_column_changed(column): the user chose another column to colour by.
    """

    visibility_changed = Signal(str, bool)
    opacity_changed = Signal(str, float)
    colour_column_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checkboxes: dict[str, QCheckBox] = {}
        self.sliders: dict[str, QSlider] = {}
        self.delta_source: DeltaSource | None = None  # changes against the baseline
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

        row = len(SCENE_LAYERS) + 1
        self._colour_label = QLabel()
        self.colour_combo = QComboBox()
        self.colour_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.colour_combo.setMinimumContentsLength(24)  # long change titles: full in the list
        self._colour_label.setBuddy(self.colour_combo)
        self.colour_combo.currentIndexChanged.connect(
            lambda _index: self.colour_column_changed.emit(self.colour_column())
        )
        self.legend = Legend()
        grid.addWidget(self._colour_label, row, 0, 1, 2)
        grid.addWidget(self.colour_combo, row + 1, 0, 1, 2)
        grid.addWidget(self.legend, row + 2, 0, 1, 2)
        grid.setRowMinimumHeight(row, 24)  # a gap between the layers and the colouring
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(row + 3, 1)
        self.set_colour_columns([])
        translator().language_changed.connect(self.retranslate)
        self.retranslate()

    def set_available(self, names: Iterable[str]) -> None:
        """Enable the rows of the layers the 3D view has, grey out the others."""
        available = set(names)
        for name in SCENE_LAYERS:
            self.checkboxes[name].setEnabled(name in available)
            self.sliders[name].setEnabled(name in available)

    # -- colour-by ----------------------------------------------------------------------------
    def set_colour_columns(self, columns: Sequence[str]) -> None:
        """Offer ``columns`` (see :func:`gui.colouring.colour_columns`), keeping the current
        choice when it is still there, else the use; emits nothing."""
        current = self.colour_column()
        combo = self.colour_combo
        combo.blockSignals(True)
        combo.clear()
        for column in columns:
            combo.addItem(tr(f"colour.col.{column}"), column)
        for choice in (current, DEFAULT_COLUMN):
            if choice in columns:
                combo.setCurrentIndex(list(columns).index(choice))
                break
        combo.blockSignals(False)
        combo.setEnabled(bool(columns))

    def shows_changes(self) -> bool:
        """Whether the buildings are coloured by a change against the baseline."""
        return is_delta_column(self.colour_column())

    def colour_columns(self) -> list[str]:
        """The columns offered, in menu order."""
        return [str(self.colour_combo.itemData(i)) for i in range(self.colour_combo.count())]

    def colour_column(self) -> str:
        """The column chosen (the use when nothing is offered)."""
        data = self.colour_combo.currentData()
        return str(data) if data is not None else DEFAULT_COLUMN

    def set_colour_column(self, column: str) -> bool:
        """Choose ``column`` as the user would (emits ``colour_column_changed``); False when
        the column is not offered."""
        index = self.colour_combo.findData(column)
        if index < 0:
            return False
        if index == self.colour_combo.currentIndex():
            self.colour_column_changed.emit(column)
        self.colour_combo.setCurrentIndex(index)
        return True

    def show_colouring(self, colouring: Colouring | None) -> None:
        """Show the legend of the buildings' colours (None hides it)."""
        self.legend.set_colouring(colouring)

    def colour_view(
        self, view: View3D, city: City | None, *, refresh_columns: bool = False
    ) -> Colouring | None:
        """Colour the view's buildings by the chosen column and show the legend; with
        ``refresh_columns``, first offer the columns of the buildings drawn anew (after a
        rebuild, a change of their rows, another City). The use is the layer's own colours;
        a column with nothing to colour leaves them too, and the legend says why."""
        layer = view.layers.get(COLOURED_LAYER)
        if city is None or COLOURED_LAYER not in city or layer is None:
            if refresh_columns:
                self.set_colour_columns([])
            self.show_colouring(None)
            return None
        buildings = city.layer(COLOURED_LAYER)
        if refresh_columns:
            columns = colour_columns(buildings, layer.object_ids)
            if self.delta_source is not None:
                columns += self.delta_source.delta_columns()
            self.set_colour_columns(columns)
        column = self.colour_column()
        if is_delta_column(column) and self.delta_source is not None:
            colouring = self.delta_source.delta_colouring(column, layer.object_ids)
        else:
            colouring = colour_buildings(
                buildings, layer.object_ids, column, text=tr, number=format_number
            )
        own = colouring.is_empty or column == DEFAULT_COLUMN
        view.set_object_colours(COLOURED_LAYER, None if own else colouring.rgb)
        self.show_colouring(colouring)
        return colouring

    def retranslate(self) -> None:
        """Labels and tooltips in the current language."""
        self._opacity_header.setText(tr("layers.opacity"))
        for name in SCENE_LAYERS:
            self.checkboxes[name].setText(tr(f"layer.{name}"))
            self.checkboxes[name].setToolTip(tr("layers.tip"))
            self.sliders[name].setToolTip(tr("layers.opacity"))
        self._colour_label.setText(tr("colour.by"))
        self.colour_combo.setToolTip(tr("colour.by_tip"))
        for index, column in enumerate(self.colour_columns()):
            self.colour_combo.setItemText(index, tr(f"colour.col.{column}"))
