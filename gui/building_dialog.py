"""The dialog of a new building, on a parcel (with a setback from its limits) or on a drawn
footprint: floors, storey height, use mix, dwellings (computed by the edit's rule until the
user changes them), a name; the footprint, floor area and dwellings it makes are previewed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from shapely.geometry.base import BaseGeometry

from gui.edit_dialogs import Apply, EditDialog, areas_text
from gui.edit_targets import footprint_on_parcel, geometry_wkt, new_building_figures
from gui.i18n import format_number, tr
from gui.use_mix_table import UseMixTable
from scenarios.assumptions import Assumptions
from scenarios.edits import AddBuilding, Edit

DEFAULT_FLOORS = 3
DEFAULT_SETBACK_M = 3.0


class BuildingDialog(EditDialog):
    """A new building on ``parcel_id`` (its outline ``shape``, a setback asked) or on the
    drawn footprint ``shape`` (``parcel_id`` empty)."""

    def __init__(
        self,
        shape: BaseGeometry,
        parcel_id: str,
        assumptions: Assumptions,
        apply: Apply,
        parent: QWidget | None = None,
    ) -> None:
        intro = (
            tr("edit.building.intro_parcel", parcel=parcel_id)
            if parcel_id
            else tr("edit.building.intro_drawn", area=areas_text(shape.area))
        )
        super().__init__(tr("edit.building.title"), intro, apply, parent)
        self.shape, self.parcel_id, self.assumptions = shape, parcel_id, assumptions
        self._dwellings_auto = True
        self._updating = False
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("edit.building.name_hint"))
        self.floors = self._spin(1, 200, DEFAULT_FLOORS)
        self.floors.setToolTip(tr("edit.building.floors_tip"))
        self.storey_height = self._real(0.0, 20.0, 0.0, 2)
        self.storey_height.setSingleStep(0.1)
        self.storey_height.setSpecialValueText(tr("edit.building.storey_auto"))
        self.storey_height.setSuffix(" m")
        self.storey_height.setToolTip(tr("edit.building.storey_tip"))
        self.mix = UseMixTable({"residential": 100.0})
        self.dwellings = self._spin(0, 100_000, 0)
        self.dwellings.setToolTip(tr("edit.building.dwellings_tip"))
        self.setback = self._real(0.0, 100.0, DEFAULT_SETBACK_M, 1)
        self.setback.setSuffix(" m")
        self.setback.setToolTip(tr("edit.building.setback_tip"))
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.form.addRow(tr("edit.building.name"), self.name)
        self.form.addRow(tr("edit.building.floors"), self.floors)
        self.form.addRow(tr("edit.building.storey"), self.storey_height)
        self.form.addRow(tr("edit.building.mix"), self.mix)
        self.form.addRow(tr("edit.building.dwellings"), self.dwellings)
        if parcel_id:
            self.form.addRow(tr("edit.building.setback"), self.setback)
        self.form.addRow(self.figures)
        self.finish_layout()
        for signal in (self.floors.valueChanged, self.setback.valueChanged, self.mix.changed):
            signal.connect(lambda *_: self.update_figures())
        self.dwellings.valueChanged.connect(self._on_dwellings_typed)
        self.update_figures()

    # -- figures --------------------------------------------------------------------------------
    def footprint(self) -> BaseGeometry:
        """The footprint the building would have (the parcel less its setback, or drawn)."""
        if self.parcel_id:
            return footprint_on_parcel(self.shape, self.setback.value())
        return self.shape

    def computed_dwellings(self) -> int:
        """Dwellings by the edit's rule for the fields as they are."""
        footprint = self.footprint()
        area = 0.0 if footprint.is_empty else float(footprint.area)
        return new_building_figures(
            area, self.floors.value(), self.mix.residential_share(), self.assumptions
        )[1]

    @property
    def dwellings_computed(self) -> bool:
        """Whether the dwellings follow the rule (the user has not typed a number)."""
        return self._dwellings_auto

    def update_figures(self) -> None:
        """Preview footprint, floor area and dwellings; dwellings follow unless typed."""
        footprint = self.footprint()
        area = 0.0 if footprint.is_empty else float(footprint.area)
        floor_area, dwellings = new_building_figures(
            area, self.floors.value(), self.mix.residential_share(), self.assumptions
        )
        if self._dwellings_auto:
            self._updating = True
            try:
                self.dwellings.setValue(dwellings)
            finally:
                self._updating = False
        self.figures.setText(
            tr(
                "edit.building.figures",
                footprint=areas_text(area),
                floors=self.floors.value(),
                area=areas_text(floor_area),
                dwellings=format_number(self.dwellings.value(), 0),
            )
        )

    def _on_dwellings_typed(self, _value: int) -> None:
        if not self._updating:
            self._dwellings_auto = False
            self.update_figures()

    # -- the edit -------------------------------------------------------------------------------
    def make_edit(self) -> Edit:
        on_parcel = bool(self.parcel_id)
        return AddBuilding(
            floors=self.floors.value(),
            footprint_wkt="" if on_parcel else geometry_wkt(self.shape),
            parcel_id=self.parcel_id,
            setback_m=self.setback.value() if on_parcel else 0.0,
            use_mix=self.mix.shares(),
            storey_height_m=self.storey_height.value(),
            dwellings=-1 if self._dwellings_auto else self.dwellings.value(),
            name=self.name.text().strip(),
        )
