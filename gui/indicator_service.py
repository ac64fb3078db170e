"""The indicators of the open project, computed off the GUI thread for the dashboard and the
"change against the baseline" colouring.

:class:`IndicatorService` gathers what its clients want (the dashboard's table: a level, a
unit, scenarios; the colouring's change per building of the scenario shown), coalesces the
requests of a burst of changes with a short timer, and runs one job at a time in a fresh
thread (:class:`gui.threads.FreshThreads`) over its :class:`~gui.indicator_cities.IndicatorCities`,
which only the jobs touch. A request made while a job runs waits and replaces any older one
waiting. Each request carries a ``copy(share_layers=True)`` of the baseline (taken once per
generation: after an import or another project) and the scenario definitions as they are
then (copied only when they changed), so the worker never reads a City the GUI edits.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from gui.colouring import Colouring
from gui.compare_colouring import (
    DELTA_MEASURES,
    colour_deltas,
    delta_column,
    is_delta_column,
    measure_of,
    pending_colouring,
)
from gui.i18n import format_number, tr
from gui.indicator_cities import IndicatorCities, IndicatorRequest, IndicatorResult
from gui.threads import FreshThreads
from scenarios.scenario import BASELINE
from twin.city import City
from twin.levels import Level

logger = logging.getLogger(__name__)

COALESCE_MS = 30  # changes closer than this make one job
SHUTDOWN_WAIT_MS = 30_000
MAX_RETRIES = 1  # a job that failed is run once more, on Cities and engines made afresh


@dataclass(frozen=True)
class TableWish:
    """What the dashboard shows: the unit ``unit_id`` of ``level`` (None: the territory),
    the baseline and ``scenarios``; the slow indicators when ``expensive``."""

    level: Level
    unit_id: str | None
    scenarios: tuple[str, ...]
    expensive: bool = False


class _Signals(QObject):
    """The job's signal (the object lives in the GUI thread, so the slot runs there)."""

    finished = Signal(object)


class _Job:
    """One computation in the worker thread; emits ``finished(IndicatorResult)`` once."""

    def __init__(self, cities: IndicatorCities, request: IndicatorRequest, signals: _Signals):
        self.cities = cities
        self.request = request
        self.signals = signals

    def run(self) -> None:
        """Compute; never raises (a failure comes back as the result's error)."""
        try:
            result = self.cities.compute(self.request)
        except Exception as exc:  # a bug must not vanish in a thread: report it
            logger.exception("computing the indicators failed")
            error = f"{type(exc).__name__}: {exc}"
            result = IndicatorResult(self.request, errors=[error], failed=True)
        self.signals.finished.emit(result)


class IndicatorService(QObject):
    """The indicators the window's panels want, computed in the background.

    Args:
        baseline: the document's City now (None: no project).
        shown: the scenario the window shows now (:data:`~scenarios.scenario.BASELINE`:
            the current situation).

    Signals:
        computed(result): an :class:`~gui.indicator_cities.IndicatorResult` came back.
        deltas_changed(): new changes per building for the colouring.
        busy_changed(busy): a job started (True) or the last one ended (False).
    """

    computed = Signal(object)
    deltas_changed = Signal()
    busy_changed = Signal(bool)

    def __init__(
        self,
        baseline: Callable[[], City | None],
        shown: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._baseline = baseline
        self._shown = shown
        self._threads = FreshThreads("indicators")
        self._cities = IndicatorCities()
        self._signals = _Signals()
        self._signals.finished.connect(self._on_finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._submit)
        self._generation = 0
        self._snapshot: City | None = None
        self._definitions: Mapping[str, Any] = {}
        self._table: TableWish | None = None
        self._deltas_wanted = False
        self._running: IndicatorRequest | None = None
        self._retries = 0  # jobs started again after a failure, since the last success
        self._waiting: IndicatorRequest | None = None
        self.latest: IndicatorResult | None = None  # the newest result with a table
        self.latest_deltas: IndicatorResult | None = None  # the newest with deltas

    # -- what is wanted ---------------------------------------------------------------------
    def want_table(self, wish: TableWish | None) -> None:
        """Ask for the dashboard's table (None: not shown, nothing to compute for it)."""
        self._table = wish
        if wish is not None:
            self.schedule()

    def new_generation(self) -> None:
        """The baseline changed (an import, another project): start again from a new copy."""
        self._generation += 1
        self._snapshot = None
        self.latest_deltas = None
        self.schedule()

    def schedule(self) -> None:
        """Compute what is wanted soon (requests within :data:`COALESCE_MS` make one job)."""
        if not self._timer.isActive():
            self._timer.start()

    @property
    def generation(self) -> int:
        """The baseline's version now (results of an older one are out of date)."""
        return self._generation

    def scenarios_changed(self) -> bool:
        """Whether the project's scenarios differ from those last sent to the worker."""
        city = self._baseline()
        return city is not None and city.scenarios != self._definitions

    @property
    def busy(self) -> bool:
        """Whether a job runs, waits, or is about to be asked for."""
        return self._running is not None or self._waiting is not None or self._timer.isActive()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Run the event loop until every job asked for is done (tests); False on timeout."""
        deadline = time.perf_counter() + timeout_ms / 1000
        while self.busy and time.perf_counter() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.002)
        return not self.busy

    def shutdown(self) -> None:
        """Stop asking; wait for the running job (the window closes)."""
        self._timer.stop()
        self._waiting = None
        self._table = None
        self._threads.waitForDone(SHUTDOWN_WAIT_MS)

    # -- the colouring's change per building ------------------------------------------------
    def delta_columns(self) -> list[str]:
        """The "change against the baseline" columns the buildings can be coloured by (none
        while the current situation is shown)."""
        if self._shown() == BASELINE or self._baseline() is None:
            return []
        return [delta_column(measure) for measure in DELTA_MEASURES]

    def delta_colouring(self, column: str, object_ids: Sequence[str] | np.ndarray) -> Colouring:
        """Colours of ``object_ids`` by the change ``column`` of the scenario shown; while it
        is being computed, the last ones known (or none, and the legend says so)."""
        measure = measure_of(column) if is_delta_column(column) else ""
        result = self.latest_deltas
        if result is None or not self._fresh(result):
            self._deltas_wanted = True
            self.schedule()
        if result is None or measure not in result.deltas:
            failed = result is not None and self._fresh(result)  # asked, and none came back
            key = "dash.delta.none" if failed else "dash.delta.pending"
            return pending_colouring(column, len(object_ids), text=tr, message_key=key)
        return colour_deltas(
            result.deltas[measure],
            object_ids,
            column,
            unit=result.delta_units.get(measure, ""),
            text=tr,
            number=format_number,
        )

    def _fresh(self, result: IndicatorResult) -> bool:
        request = result.request
        return (
            request.generation == self._generation
            and request.delta_scenario == self._shown()
            and request.definitions is self._current_definitions()
        )

    # -- jobs ---------------------------------------------------------------------------------
    def _current_definitions(self) -> Mapping[str, Any]:
        """The project's scenarios, copied only when they changed since the last copy."""
        city = self._baseline()
        now = city.scenarios if city is not None else {}
        if now != self._definitions:
            self._definitions = copy.deepcopy(now)
        return self._definitions

    def _request(self) -> IndicatorRequest | None:
        city = self._baseline()
        shown = self._shown()
        deltas = self._deltas_wanted and shown != BASELINE
        if city is None or (self._table is None and not deltas):
            return None
        if self._snapshot is None:
            self._snapshot = city.copy(share_layers=True)
        definitions = self._current_definitions()
        table = self._table or TableWish(Level.TERRITORY, None, ())
        known = tuple(name for name in table.scenarios if name in definitions)
        return IndicatorRequest(
            generation=self._generation,
            baseline=self._snapshot,
            definitions=definitions,
            scenarios=known,
            level=table.level,
            unit_id=table.unit_id,
            expensive=table.expensive,
            table=self._table is not None,
            delta_scenario=shown if deltas and shown in definitions else None,
            delta_measures=DELTA_MEASURES if deltas else (),
        )

    def _submit(self) -> None:
        request = self._request()
        if request is None:
            return
        self._deltas_wanted = False
        if self._running is not None:
            waiting = self._waiting
            if waiting is not None and waiting.delta_scenario and request.delta_scenario is None:
                request = replace(  # keep the deltas the waiting request asked for
                    request,
                    delta_scenario=waiting.delta_scenario,
                    delta_measures=waiting.delta_measures,
                )
            self._waiting = request
            return
        self._start(request)

    def _start(self, request: IndicatorRequest) -> None:
        was_busy = self.busy
        self._running = request
        self._threads.start(_Job(self._cities, request, self._signals))
        if not was_busy:
            self.busy_changed.emit(True)

    def _on_finished(self, result: IndicatorResult) -> None:
        self._running = None
        retry = False
        if result.failed:  # its state may be half-made: start afresh
            self._cities.close()
            self._cities = IndicatorCities()
            retry = self._waiting is None and self._retries < MAX_RETRIES
            if retry:  # once more from scratch: a fresh computation
                self._retries += 1
                self._waiting = result.request
                logger.warning("indicators computed again from scratch after: %s", result.errors)
        else:
            self._retries = 0
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self._start(waiting)
        if retry:
            return
        for error in result.errors:
            logger.warning("indicators: %s", error)
        if result.request.table:
            self.latest = result
        if result.request.delta_scenario is not None:
            self.latest_deltas = result
        self.computed.emit(result)
        if result.request.delta_scenario is not None:
            self.deltas_changed.emit()
        if not self.busy:
            self.busy_changed.emit(False)
