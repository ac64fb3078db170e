"""The "Soleil" dock: sun on/off, date (with 21 June, 21 December and equinox buttons), a time
slider from sunrise to sunset, the sun's azimuth and elevation; below, the winter-solstice
sunlight study of the project (run, cancel, clear, summary and legends).

Only widgets here: :class:`gui.sun_control.SunControl` decides what they show.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from gui.colouring import Colouring
from gui.i18n import tr, translator
from gui.legend import Legend
from gui.sun_clock import SLIDER_STEP_MIN


class SunPanel(QScrollArea):
    """Widgets of the sun dock (scrolled when the dock is short).

    Signals:
        date_chosen(date): the day changed (a ``datetime.date``).
        minutes_chosen(minutes): the time slider moved (minutes after local midnight).
        quick_date(kind): a quick button: ``"summer"``, ``"winter"`` or ``"equinox"``.
        study_requested(), study_cancelled(), study_cleared(): the study's buttons.
    """

    date_chosen = Signal(object)
    minutes_chosen = Signal(int)
    quick_date = Signal(str)
    study_requested = Signal()
    study_cancelled = Signal()
    study_cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._inner = QWidget()
        self.setWidget(self._inner)
        self.toggle = QCheckBox()
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.dateChanged.connect(lambda day: self.date_chosen.emit(day.toPython()))
        self.quick_buttons = {kind: QPushButton() for kind in ("summer", "winter", "equinox")}
        for kind, button in self.quick_buttons.items():
            button.clicked.connect(lambda _checked=False, k=kind: self.quick_date.emit(k))
        self.time_slider = QSlider(Qt.Orientation.Horizontal)
        self.time_slider.setSingleStep(SLIDER_STEP_MIN)
        self.time_slider.setPageStep(60)
        self.time_slider.setTickInterval(60)
        self.time_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.time_slider.valueChanged.connect(self._on_slider)
        self.time_label = QLabel()
        self.time_label.setMinimumWidth(44)
        self.daylight_label = QLabel()
        self.position_label = QLabel()
        self.shadow_label = QLabel()
        self.shadow_label.setWordWrap(True)
        self.shadow_label.setStyleSheet("color: #606060;")

        self.study_box = QGroupBox()
        self.study_button = QPushButton()
        self.cancel_button = QPushButton()
        self.clear_button = QPushButton()
        self.study_button.clicked.connect(self.study_requested)
        self.cancel_button.clicked.connect(self.study_cancelled)
        self.clear_button.clicked.connect(self.study_cleared)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.project_label = QLabel()
        self.summary = QLabel()
        for label in (self.project_label, self.summary):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lost_legend = Legend()
        self.hours_legend = Legend()
        self._layout()
        self.set_study_running(False)
        self.set_study_shown(False)
        translator().language_changed.connect(self._on_language_changed)
        self.retranslate()

    def _layout(self) -> None:
        grid = QGridLayout()
        self._date_title, self._time_title = QLabel(), QLabel()
        grid.addWidget(self._date_title, 0, 0)
        grid.addWidget(self.date_edit, 0, 1)
        quick = QHBoxLayout()
        for button in self.quick_buttons.values():
            quick.addWidget(button)
        grid.addLayout(quick, 1, 0, 1, 2)
        grid.addWidget(self._time_title, 2, 0)
        time_row = QHBoxLayout()
        time_row.addWidget(self.time_slider, 1)
        time_row.addWidget(self.time_label)
        grid.addLayout(time_row, 2, 1)
        grid.setColumnStretch(1, 1)

        buttons = QHBoxLayout()
        for button in (self.study_button, self.cancel_button, self.clear_button):
            buttons.addWidget(button)
        study = QVBoxLayout(self.study_box)
        study.addWidget(self.project_label)
        study.addLayout(buttons)
        study.addWidget(self.progress)
        study.addWidget(self.summary)
        study.addWidget(self.lost_legend)
        study.addWidget(self.hours_legend)

        layout = QVBoxLayout(self._inner)
        layout.addWidget(self.toggle)
        layout.addLayout(grid)
        layout.addWidget(self.daylight_label)
        layout.addWidget(self.position_label)
        layout.addWidget(self.shadow_label)
        layout.addWidget(self.study_box)
        layout.addStretch(1)

    # -- what the control sets ----------------------------------------------------------------
    def set_day(self, day: dt.date, daylight: tuple[int, int], minutes: int) -> None:
        """Show ``day`` and a slider over its daylight at ``minutes``, without emitting."""
        for widget in (self.date_edit, self.time_slider):
            widget.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.time_slider.setRange(*daylight)
        self.time_slider.setValue(minutes)
        for widget in (self.date_edit, self.time_slider):
            widget.blockSignals(False)
        self.time_label.setText(clock(minutes))
        if daylight[0] >= daylight[1]:
            self.daylight_label.setText(tr("sun.no_daylight"))
        else:
            self.daylight_label.setText(
                tr("sun.daylight", rise=clock(daylight[0]), set=clock(daylight[1]))
            )

    def set_study_running(self, running: bool) -> None:
        """Progress and Cancel while the study runs; Run otherwise."""
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.study_button.setEnabled(not running)
        if running:
            self.progress.setValue(0)

    def set_study_shown(self, shown: bool) -> None:
        """Whether a study is on the view (Clear is offered)."""
        self.clear_button.setEnabled(shown)

    def set_legends(self, lost: Colouring | None, hours: Colouring | None) -> None:
        """The study's two legends (None hides one)."""
        self.lost_legend.set_colouring(lost)
        self.hours_legend.set_colouring(hours)

    def minutes(self) -> int:
        """The time on the slider, minutes after local midnight."""
        return int(self.time_slider.value())

    def day(self) -> dt.date:
        """The day chosen."""
        day = self.date_edit.date()
        return dt.date(day.year(), day.month(), day.day())

    def _on_slider(self, value: int) -> None:
        stepped = round(value / SLIDER_STEP_MIN) * SLIDER_STEP_MIN
        self.time_label.setText(clock(stepped))
        self.minutes_chosen.emit(int(stepped))

    def _on_language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        """Texts and tooltips in the current language."""
        self.toggle.setText(tr("sun.toggle"))
        self.toggle.setToolTip(tr("tip.sun.toggle"))
        self._date_title.setText(tr("sun.date"))
        self._time_title.setText(tr("sun.time"))
        self.date_edit.setToolTip(tr("sun.tip.date"))
        self.date_edit.setDisplayFormat(
            "dd/MM/yyyy" if translator().language == "fr" else "yyyy-MM-dd"
        )
        for kind, button in self.quick_buttons.items():
            button.setText(tr(f"sun.{kind}"))
            button.setToolTip(tr(f"sun.tip.{kind}"))
        self.time_slider.setToolTip(tr("sun.tip.time"))
        self.position_label.setToolTip(tr("sun.tip.position"))
        self.shadow_label.setToolTip(tr("sun.tip.shadows"))
        self.study_box.setTitle(tr("sun.study.title"))
        self.study_button.setText(tr("sun.study.run"))
        self.study_button.setToolTip(tr("tip.sun.study"))
        self.cancel_button.setText(tr("sun.study.cancel"))
        self.cancel_button.setToolTip(tr("sun.tip.cancel"))
        self.clear_button.setText(tr("sun.study.clear"))
        self.clear_button.setToolTip(tr("sun.tip.clear"))


def clock(minutes: int) -> str:
    """``"10:05"`` for 605 minutes after midnight.

    Example:
        >>> clock(605), clock(1440)
        ('10:05', '24:00')
    """
    return f"{minutes // 60}:{minutes % 60:02d}"
