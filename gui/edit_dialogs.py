"""The dialogs of the editing tools: fields in a form, one line saying what is wrong, OK runs
the edit.

Each dialog makes its edit (:meth:`EditDialog.make_edit`) and hands it to the ``apply``
callback it was given (the tools' path through the scenario's History); when the fields or the
edit are refused, the reason is one line in red above the buttons and the dialog stays open,
the City unchanged. Dialogs are opened without blocking (``open()``), so tests fill their
fields and call :meth:`~QDialog.accept` as the OK button does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from gui import error_texts
from gui.i18n import format_number, tr
from gui.use_mix_table import UseMixTable
from scenarios.edits import (
    AddFloors,
    ChangeSpaceUse,
    ChangeUse,
    Edit,
    Retrofit,
)
from scenarios.edits.land_energy import DPE_CLASSES
from twin.errors import InvalidInputError
from twin.uses import ALL_USES

#: Runs an edit; the reason it was refused (one line), or None when it was done.
Apply = Callable[[Edit], str | None]
ERROR_STYLE = "color: #c0392b;"
ROOM_USES = tuple(u for u in ALL_USES if u != "mixed")
DEFAULT_RETROFIT_CLASS = "C"


class EditDialog(QDialog):
    """A form for one edit; subclasses add their fields, then call :meth:`finish_layout`."""

    def __init__(
        self, title: str, intro: str, apply: Apply | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.form = QFormLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.error = QLabel()
        self.error.setObjectName("edit.error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._apply = apply
        self.edit: Edit | None = None  # the edit done, once accepted

    def finish_layout(self) -> None:
        """Put the error line and the buttons under the fields."""
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)

    @property
    def error_text(self) -> str:
        """The line saying what is wrong ("" when nothing is)."""
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def show_error(self, text: str) -> None:
        """Say what is wrong in one line; the dialog stays open."""
        self.error.setText(" ".join(str(text).split()))
        self.error.show()
        height = self.form.heightForWidth(self.width()) if self.form.hasHeightForWidth() else -1
        if height > self.height():  # a wrapped line: grow, so that all of it shows
            self.resize(self.width(), height)

    def make_edit(self) -> Edit:
        """The edit the fields describe.

        Raises:
            InvalidInputError: a field is wrong (the message is the dialog's line).
        """
        raise NotImplementedError

    def submit(self) -> str | None:
        """Make the edit and run it; the reason it was refused, or None."""
        edit = self.make_edit()
        if self._apply is not None:
            problem = self._apply(edit)
            if problem:
                return problem
        self.edit = edit
        return None

    def accept(self) -> None:
        """OK: run the edit; close only if it was done."""
        try:
            problem = self.submit()
        except InvalidInputError as error:
            problem = error_texts.error_text(error)
        if problem:
            self.show_error(problem)
            return
        super().accept()

    def _spin(self, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    def _real(self, low: float, high: float, value: float, decimals: int = 1) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setDecimals(decimals)
        spin.setValue(value)
        return spin


class FloorsDialog(EditDialog):
    """Add (or remove) storeys to the selected buildings."""

    def __init__(self, ids: Sequence[str], apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("edit.floors.title"), tr("edit.floors.intro", count=len(ids)), apply, parent
        )
        self.ids = tuple(ids)
        self.floors = self._spin(-50, 50, 1)
        self.floors.setToolTip(tr("edit.floors.tip"))
        self.form.addRow(tr("edit.floors.label"), self.floors)
        self.finish_layout()

    def make_edit(self) -> Edit:
        if self.floors.value() == 0:
            raise InvalidInputError(tr("edit.error.floors_zero"))
        return AddFloors(self.ids, self.floors.value())


class UseDialog(EditDialog):
    """A new use, or use mix, for the selected buildings."""

    def __init__(
        self,
        ids: Sequence[str],
        shares: dict[str, float],
        apply: Apply,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("edit.use.title"), tr("edit.use.intro", count=len(ids)), apply, parent)
        self.ids = tuple(ids)
        self.mix = UseMixTable(shares)
        self.form.addRow(tr("edit.building.mix"), self.mix)
        self.finish_layout()

    def make_edit(self) -> Edit:
        shares = self.mix.shares()
        if len(shares) == 1:
            return ChangeUse(self.ids, use=next(iter(shares)))
        return ChangeUse(self.ids, use_mix=shares)


class SpaceUseDialog(EditDialog):
    """A new use, and optionally a new name, for the rooms chosen in the storeys panel."""

    def __init__(
        self, space_ids: Sequence[str], names: str, apply: Apply, parent: QWidget | None = None
    ) -> None:
        intro = tr("edit.space_use.intro", count=len(space_ids), names=names)
        super().__init__(tr("edit.space_use.title"), intro, apply, parent)
        self.space_ids = tuple(space_ids)
        self.use = QComboBox()
        for use in ROOM_USES:
            self.use.addItem(tr(f"use.{use}"), use)
        self.long_name = QLineEdit()
        self.long_name.setPlaceholderText(tr("edit.space_use.name_hint"))
        self.form.addRow(tr("edit.space_use.use"), self.use)
        self.form.addRow(tr("edit.space_use.name"), self.long_name)
        self.finish_layout()

    def set_use(self, use: str) -> None:
        """Choose a use (one of the twin's uses)."""
        self.use.setCurrentIndex(max(0, self.use.findData(use)))

    def make_edit(self) -> Edit:
        return ChangeSpaceUse(
            self.space_ids, str(self.use.currentData()), self.long_name.text().strip()
        )


class RetrofitDialog(EditDialog):
    """The DPE class aimed at by the retrofit of the selected buildings, or of an area's
    (housing only, by default)."""

    def __init__(
        self,
        ids: Sequence[str],
        within_id: str,
        apply: Apply,
        parent: QWidget | None = None,
    ) -> None:
        intro = (
            tr("edit.retrofit.intro_area", name=within_id)
            if within_id
            else tr("edit.retrofit.intro", count=len(ids))
        )
        super().__init__(tr("edit.retrofit.title"), intro, apply, parent)
        self.ids, self.within_id = tuple(ids), within_id
        self.target = QComboBox()
        self.target.addItems(list(DPE_CLASSES))
        self.target.setCurrentText(DEFAULT_RETROFIT_CLASS)
        self.target.setToolTip(tr("edit.retrofit.tip"))
        self.form.addRow(tr("edit.retrofit.class"), self.target)
        self.housing_only = QCheckBox(tr("edit.retrofit.housing_only"))
        self.housing_only.setChecked(True)
        if within_id:
            self.form.addRow(self.housing_only)
        self.finish_layout()

    def make_edit(self) -> Edit:
        target = self.target.currentText()
        if self.within_id:
            uses = ("residential",) if self.housing_only.isChecked() else ()
            return Retrofit(target, within_id=self.within_id, uses=uses)
        return Retrofit(target, ids=self.ids)


def areas_text(area_m2: float) -> str:
    """An area for a dialog's figures ("1 234 m²")."""
    return f"{format_number(area_m2, 0)} {tr('unit.m2')}"
