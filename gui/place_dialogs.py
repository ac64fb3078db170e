"""The dialogs of what is placed by clicking the ground: a transit stop (its name and
service, after the click) and digital equipment (its kind, before the clicks)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from gui.edit_dialogs import Apply, EditDialog
from gui.i18n import tr
from scenarios.edits import AddDigitalAsset, AddTransitStop, Edit
from scenarios.edits.digital import KINDS, LINEAR_KINDS
from twin.errors import InvalidInputError


class StopDialog(EditDialog):
    """Name and service of a stop placed on the ground."""

    def __init__(
        self, point_wkt: str, default_name: str, apply: Apply, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("edit.stop.title"), tr("edit.stop.intro"), apply, parent)
        self.point_wkt = point_wkt
        self.name = QLineEdit(default_name)
        self.departures = self._real(0.0, 600.0, 4.0)
        self.departures.setToolTip(tr("edit.stop.departures_tip"))
        self.routes = QLineEdit()
        self.routes.setPlaceholderText(tr("edit.stop.routes_hint"))
        self.form.addRow(tr("edit.stop.name"), self.name)
        self.form.addRow(tr("edit.stop.departures"), self.departures)
        self.form.addRow(tr("edit.stop.routes"), self.routes)
        self.finish_layout()

    def make_edit(self) -> Edit:
        if not self.name.text().strip():
            raise InvalidInputError(tr("edit.error.stop_name"))
        return AddTransitStop(
            self.point_wkt,
            self.name.text().strip(),
            self.departures.value(),
            self.routes.text().strip(),
        )


class DigitalDialog(EditDialog):
    """What digital equipment to place (the points or the line are clicked next)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("edit.digital.title"), tr("edit.digital.intro"), None, parent)
        self.kind = QComboBox()
        for kind in KINDS:
            label = tr(f"scenarios.asset.{kind}")
            self.kind.addItem(label[:1].upper() + label[1:], kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData("sensor")))
        self.count = self._spin(1, 100_000, 1)
        self.count.setToolTip(tr("edit.digital.count_tip"))
        self.technology = QLineEdit()
        self.technology.setPlaceholderText(tr("edit.digital.technology_hint"))
        self.operator = QLineEdit()
        self.form.addRow(tr("edit.digital.kind"), self.kind)
        self.form.addRow(tr("edit.digital.count"), self.count)
        self.form.addRow(tr("edit.digital.technology"), self.technology)
        self.form.addRow(tr("edit.digital.operator"), self.operator)
        self.finish_layout()

    @property
    def asset_kind(self) -> str:
        """The kind chosen (``sensor``, ``fibre_cable`` ...)."""
        return str(self.kind.currentData())

    @property
    def linear(self) -> bool:
        """Whether the kind is drawn as a line (cables, ducts)."""
        return self.asset_kind in LINEAR_KINDS

    def set_kind(self, kind: str) -> None:
        """Choose a kind."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))

    def submit(self) -> str | None:
        return None  # the edit is made once its place is clicked

    def make_asset(self, geometry_wkt: str) -> AddDigitalAsset:
        """The edit once its place is known (a WKT point, or a line for cables and ducts).

        Raises:
            InvalidInputError: the geometry does not suit the kind.
        """
        return AddDigitalAsset(
            asset_kind=self.asset_kind,
            geometry_wkt=geometry_wkt,
            count=self.count.value(),
            technology=self.technology.text().strip(),
            operator=self.operator.text().strip(),
        )
