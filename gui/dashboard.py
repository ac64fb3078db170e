"""The "Indicateurs" dock: the indicators of the selected unit in the current situation and in
scenarios, side by side with their differences and units, grouped by family, and a chart of
the chosen indicator.

The unit is the selection's (a building, a parcel, a district, a commune; a room or storey
counts as its building), or one of the units above it chosen in the level list; the territory
when nothing is selected. The scenarios are the one shown and those ticked in the
"Scénarios" menu. Values come from :class:`~gui.indicator_service.IndicatorService` (engines
kept per City in a worker thread, so an edit recomputes only what depends on it); while a job
runs the status says "calcul…" and the last values stay. Slow families (winter sunlight,
rooftop solar) are computed only when ticked.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import pandas as pd
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.dashboard_chart import IndicatorChart
from gui.dashboard_model import Column, DashboardRow, columns_of, grouped_rows, selection_units
from gui.dashboard_picker import ScenarioPicker
from gui.dashboard_table import IndicatorTree, chart_bars
from gui.i18n import level_label, tr, translator
from gui.indicator_cities import IndicatorResult
from gui.indicator_service import IndicatorService, TableWish
from twin.levels import Level

if TYPE_CHECKING:
    from gui.main_window import MainWindow

logger = logging.getLogger(__name__)

POLL_MS = 800  # how often a shown dashboard checks whether the project's scenarios changed
DEFAULT_CHARTED = "floor_area_m2"  # the measure charted until the user picks a row
DOCK_HEIGHT_PX = 340


class Dashboard(QWidget):
    """The indicators dashboard of a main window.

    Signals:
        updated(): new values are shown.
    """

    updated = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main_window = window
        self.service = IndicatorService(
            lambda: window.document.city, lambda: window.scenarios.shown_name, self
        )
        self.result: IndicatorResult | None = None
        self.update_ms = 0.0  # GUI-thread time the last result took to show (table, chart)
        self._units: dict[Level, str] = {}
        self._chosen_level: Level | None = None  # None: the selection's own level
        self._rows: list[DashboardRow] = []
        self._columns: list[Column] = []
        self._charted = DEFAULT_CHARTED  # the measure charted (the same at every level)
        self._selected: str | None = None

        self.level_label = QLabel()
        self.level_combo = QComboBox()
        self.level_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.level_label.setBuddy(self.level_combo)
        self.scenario_button = ScenarioPicker(self._known_scenarios)
        self.scenario_button.changed.connect(self.request)
        self.expensive_box = QCheckBox()
        self.status = QLabel()
        self.unit_label = QLabel()
        font = self.unit_label.font()
        font.setBold(True)
        self.unit_label.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #707070;")
        self.tree = IndicatorTree()
        self.chart = IndicatorChart()

        bar = QHBoxLayout()
        bar.addWidget(self.level_label)
        bar.addWidget(self.level_combo)
        bar.addWidget(self.scenario_button)
        bar.addWidget(self.expensive_box)
        bar.addStretch(1)
        bar.addWidget(self.status)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.unit_label)
        column.addWidget(self.hint)
        column.addWidget(self.tree, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.splitter)

        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_scenarios)
        self.level_combo.currentIndexChanged.connect(self._on_level_chosen)
        self.expensive_box.toggled.connect(lambda _on: self.request())
        self.tree.currentItemChanged.connect(self._on_current_row)
        self.service.computed.connect(self._on_computed)
        self.service.busy_changed.connect(lambda _busy: self._show_status())
        document, scenarios = window.document, window.scenarios
        document.city_replaced.connect(self._on_city_replaced)
        document.city_changed.connect(lambda *_change: self.service.new_generation())
        scenarios.shown_changed.connect(self._on_shown_changed)
        scenarios.city_changed.connect(lambda *_change: self.request())
        translator().language_changed.connect(self.retranslate)
        self.retranslate()
        self._on_city_replaced()

    # -- what is shown --------------------------------------------------------------------------
    @property
    def level(self) -> Level:
        """The level shown: the one chosen, else the selection's (the territory without one)."""
        if self._chosen_level is not None and self._chosen_level in self._units:
            return self._chosen_level
        return max(self._units) if self._units else Level.TERRITORY

    @property
    def unit_id(self) -> str | None:
        """The unit shown (None: the level's first, when the project has no territory row)."""
        return self._units.get(self.level)

    def scenario_columns(self) -> list[str]:
        """The scenarios compared with the current situation, in column order."""
        return self.scenario_button.columns(self.main_window.scenarios.shown_name)

    def set_scenarios(self, names: list[str], *, follow_shown: bool = True) -> None:
        """Compare these scenarios (and the one shown when ``follow_shown``)."""
        self.scenario_button.choose(names, follow_shown=follow_shown)

    def set_level(self, level: Level) -> bool:
        """Show the selection's unit at ``level`` (False if the selection has none there)."""
        index = self.level_combo.findData(int(level))
        if index < 0:
            return False
        self.level_combo.setCurrentIndex(index)
        return True

    def follow_selection(self, object_id: str | None) -> None:
        """Show the indicators of the selected object's unit (the window calls this)."""
        self._selected = object_id
        self._chosen_level = None
        self._update_units()
        self.request()

    def values(self) -> pd.DataFrame:
        """The numbers shown, one row per indicator: ``baseline``, each scenario and
        ``Δ <scenario>`` (empty before the first result)."""
        if self.result is None or self.result.rows.empty:
            return pd.DataFrame()
        return self.result.rows.set_index("indicator")

    def cell_text(self, indicator: str, key: str) -> str:
        """The text shown for ``indicator`` in column ``key`` (``baseline``, a scenario,
        ``Δ <scenario>``); "" when not shown."""
        positions = [i for i, c in enumerate(self._columns) if c.key == key]
        row = next((r for r in self._rows if r.indicator == indicator), None)
        return row.texts[positions[0]] if row is not None and positions else ""

    def request(self) -> None:
        """Ask for the values of the unit and scenarios now shown (when the dock is visible)."""
        if not self.isVisible() or self.main_window.document.city is None:
            self.service.want_table(None)
            return
        self.service.want_table(
            TableWish(
                self.level,
                self.unit_id,
                tuple(self.scenario_columns()),
                self.expensive_box.isChecked(),
            )
        )
        self._show_status()

    # -- events ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        """Shown: compute what is wanted and follow the project's scenarios."""
        super().showEvent(event)
        self._poll.start()
        self.request()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt name)
        """Hidden: nothing to compute for the table."""
        super().hideEvent(event)
        self._poll.stop()
        self.service.want_table(None)

    def shutdown(self) -> None:
        """Stop the background work (the window closes)."""
        self._poll.stop()
        self.service.shutdown()

    def _on_city_replaced(self) -> None:
        self.service.new_generation()
        self.result = None
        self._rows, self._columns = [], []
        self.tree.clear()
        self.tree.forget()
        self._selected = None
        self._chosen_level = None
        self._update_units()
        self._show_result()
        self.request()

    def _on_shown_changed(self) -> None:
        self._update_units()  # the selection may lie elsewhere in another scenario
        self.request()

    def _check_scenarios(self) -> None:
        if self.service.scenarios_changed():
            self.request()

    def _on_level_chosen(self, index: int) -> None:
        data = self.level_combo.itemData(index)
        if data is None:
            return
        self._chosen_level = Level(int(data))
        self.request()

    def _on_computed(self, result: IndicatorResult) -> None:
        if not result.request.table or result.request.generation != self.service.generation:
            return  # only deltas, or computed for a project (or an import) since replaced
        start = time.perf_counter()
        self.result = result
        self._show_result()
        self._show_status()
        self.update_ms = 1000 * (time.perf_counter() - start)
        self.updated.emit()

    def _on_current_row(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        row = next((r for r in self._rows if r.indicator == name), None)
        if row is not None:
            self._charted = row.measure
            self._show_chart()

    # -- drawing ---------------------------------------------------------------------------
    def _update_units(self) -> None:
        self._units = selection_units(self.main_window.shown_city(), self._selected)
        combo = self.level_combo
        combo.blockSignals(True)
        combo.clear()
        for level in self._units:
            combo.addItem(level_label(level), int(level))
        combo.setCurrentIndex(combo.findData(int(self.level)))
        combo.blockSignals(False)
        combo.setEnabled(combo.count() > 1)

    def _show_result(self) -> None:
        result = self.result
        if result is None:
            self.unit_label.setText(
                tr("dash.no_project") if self.main_window.document.city is None else ""
            )
            self.hint.setVisible(False)
            return
        french = translator().language == "fr"
        groups = grouped_rows(result, tr, french=french)
        columns = columns_of(result)
        rows = [row for _title, group in groups for row in group]
        self._columns, self._rows = columns, rows
        self.tree.show_rows(groups, columns, self._charted)
        level = level_label(result.request.level)
        name = result.unit_name or (result.unit_id or "")
        if result.unit_name and result.unit_id and result.request.level != Level.TERRITORY:
            self.unit_label.setText(tr("dash.unit_id", level=level, name=name, id=result.unit_id))
        else:
            self.unit_label.setText(tr("dash.unit", level=level, name=name))
        hints = [tr("dash.error", error=error) for error in result.errors]
        if not result.scenarios:
            hints.append(tr("dash.hint"))
        self.hint.setText("\n".join(hints))
        self.hint.setVisible(bool(hints))
        self._show_chart()

    def _show_chart(self) -> None:
        row = next((r for r in self._rows if r.measure == self._charted), None)
        if row is None:
            self.chart.show_values("", [], [], [])
            return
        title = f"{row.title} ({row.unit})" if row.unit else row.title
        self.chart.show_values(title, *chart_bars(row, self._columns))

    def _show_status(self) -> None:
        if self.service.busy:
            self.status.setText(tr("dash.computing"))
            self.status.setToolTip("")
        elif self.result is not None:
            self.status.setText(tr("dash.done"))
            self.status.setToolTip(
                tr(
                    "dash.done_tip",
                    ms=round(1000 * self.result.seconds),
                    count=self.result.recomputed,
                )
            )
        else:
            self.status.setText("")

    def _known_scenarios(self) -> list[str]:
        city = self.main_window.document.city
        return list(city.scenarios) if city is not None else []

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """Room for a dozen rows and the chart when the dock first opens."""
        return QSize(1000, DOCK_HEIGHT_PX)

    def retranslate(self) -> None:
        """Texts in the current language (the values too: digits differ)."""
        self.level_label.setText(tr("dash.level"))
        self.level_combo.setToolTip(tr("dash.level_tip"))
        self.scenario_button.retranslate()
        self.expensive_box.setText(tr("dash.expensive"))
        self.expensive_box.setToolTip(tr("dash.expensive_tip"))
        self.tree.setToolTip(tr("dash.tree_tip"))
        self.chart.setToolTip(tr("dash.chart_tip"))
        self.chart.retranslate()
        for index in range(self.level_combo.count()):
            level = Level(int(self.level_combo.itemData(index)))
            self.level_combo.setItemText(index, level_label(level))
        self.tree.forget()  # headers and group titles too
        self._show_result()
        self._show_status()
