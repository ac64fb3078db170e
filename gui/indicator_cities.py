"""The Cities the indicators dashboard reads, and one indicator engine per City (no Qt).

:class:`IndicatorCities` lives in the dashboard's worker thread and is only ever touched there,
one job at a time. It keeps its own baseline (a ``City.copy(share_layers=True)`` of the
document's City: the same frames, never modified) and its own applied scenarios
(:class:`~gui.scenario_sessions.ScenarioSessions` over that baseline, so each scenario's own
edits run through a History), each with an
:class:`~scenarios.indicators.engine.IndicatorEngine` kept as long as its City. The window's
Cities are never read here: the GUI thread may edit them while a job runs.

Each job brings the project's scenario definitions (``City.scenarios``) as they are now. A
scenario whose edits grew by one edit (an edit done in the app) or lost its last ones (an
undo) follows by doing or undoing those edits on its own City, whose ``changed`` events tell
its engine what to recompute: after an edit only the indicators depending on what it changed
are computed again. A scenario whose base changed, or that cannot follow, is applied afresh.

The numbers are those ``twin indicators`` prints: the same engines over the same Cities
(the scenario's bases applied, then its edits), put side by side by
:func:`~scenarios.indicators.comparison.compare`.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from gui.error_texts import error_text
from gui.scenario_sessions import ScenarioSession, ScenarioSessions
from scenarios.indicators.base import INDICATORS, IndicatorSpec
from scenarios.indicators.comparison import IndicatorTable, compare
from scenarios.indicators.engine import IndicatorEngine, load_indicators, names_at, spec_of
from scenarios.scenario import Scenario
from twin.city import City
from twin.errors import TwinError
from twin.levels import LEVEL_LAYERS, Level

logger = logging.getLogger(__name__)

BASELINE_COLUMN = "baseline"  # as `twin indicators` names the current situation
#: Indicator groups and measures that take seconds on a town (horizons, sun paths): computed
#: only when the dashboard is asked for them.
EXPENSIVE_GROUPS = ("sunlight",)
EXPENSIVE_MEASURES = (
    "roof_pv_kwh",
    "roof_pv_kwp",
    "roof_pv_share_of_demand",
    "roof_unshaded_share",
)


def is_expensive(spec: IndicatorSpec) -> bool:
    """Whether an indicator is one of the slow ones (sunlight, roof solar).

    Example:
        >>> load_indicators() and is_expensive(spec_of("roof_pv_kwh_commune"))
        True
        >>> is_expensive(spec_of("dwellings_commune"))
        False
    """
    return spec.group in EXPENSIVE_GROUPS or spec.quantity in EXPENSIVE_MEASURES


@dataclass(frozen=True)
class IndicatorRequest:
    """What the dashboard asks its worker.

    Attributes:
        generation: the baseline's version (a new one after an import or another project).
        baseline: a ``copy(share_layers=True)`` of the document's City of that generation.
        definitions: the project's scenarios (``City.scenarios``) now; never changed.
        scenarios: the scenarios to compare with the baseline, in column order.
        level: the level of the unit shown.
        unit_id: the unit shown; None: the level's first (the territory).
        expensive: compute the slow indicators too (:func:`is_expensive`).
        table: compute the table (False: only the deltas are wanted).
        delta_scenario: the scenario whose change per building colours the view (None: none).
        delta_measures: the building measures of that change (``floor_area_m2`` ...).
    """

    generation: int
    baseline: City
    definitions: Mapping[str, Any]
    scenarios: tuple[str, ...] = ()
    level: Level = Level.TERRITORY
    unit_id: str | None = None
    expensive: bool = False
    table: bool = True
    delta_scenario: str | None = None
    delta_measures: tuple[str, ...] = ()


@dataclass
class IndicatorResult:
    """What a job brings back.

    Attributes:
        request: what was asked.
        unit_id: the unit shown (the territory's id when none was asked).
        unit_name: its name where the layer has one ("" otherwise).
        rows: one row per indicator of the unit: ``indicator``, ``measure``, ``unit``, then
            ``baseline``, each scenario and ``Δ <scenario>`` (as ``Comparison.long()``).
        scenarios: the scenario columns computed (a scenario that failed is left out).
        specs: the indicators' specs by name.
        notes: why values are missing, by ``table: indicator``.
        deltas: per building id, the shown scenario's change against the baseline, by measure.
        delta_units: the unit of each measure of ``deltas``.
        errors: one line per scenario that could not be applied.
        recomputed: how many indicator computations the job needed (0: all kept).
        seconds: how long the job took.
        failed: the job broke off (a bug): the worker's Cities are to be started afresh.
    """

    request: IndicatorRequest
    unit_id: str | None = None
    unit_name: str = ""
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenarios: tuple[str, ...] = ()
    specs: dict[str, IndicatorSpec] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    deltas: dict[str, pd.Series] = field(default_factory=dict)
    delta_units: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    recomputed: int = 0
    seconds: float = 0.0
    failed: bool = False


class IndicatorCities:
    """The dashboard's Cities and engines (use from one thread at a time)."""

    def __init__(self) -> None:
        self._generation: int | None = None
        self._baseline: City | None = None
        self._sessions: ScenarioSessions | None = None
        self._definitions: Mapping[str, Any] = {}
        self._engines: dict[str, IndicatorEngine] = {}  # BASELINE_COLUMN or a scenario's name

    def compute(self, request: IndicatorRequest) -> IndicatorResult:
        """The indicators ``request`` asks for (a scenario that cannot be applied is reported
        in ``errors`` and left out)."""
        start = time.perf_counter()
        load_indicators()
        self._follow(request)
        result = IndicatorResult(request)
        for engine in self._engines.values():
            engine.recomputed.clear()
        wanted = list(request.scenarios)
        if request.delta_scenario is not None and request.delta_scenario not in wanted:
            wanted.append(request.delta_scenario)
        engines: dict[str, IndicatorEngine] = {}
        for name in dict.fromkeys(wanted):
            try:
                engines[name] = self._scenario_engine(name)
            except TwinError as error:
                result.errors.append(f"{name}: {error_text(error)}")
        base = self._engine(BASELINE_COLUMN, self._city())
        if request.table:
            columns = [n for n in request.scenarios if n in engines]
            self._fill_table(result, base, {n: engines[n] for n in columns})
        if request.delta_scenario in engines:
            self._fill_deltas(result, base, engines[request.delta_scenario])
        result.recomputed = sum(len(engine.recomputed) for engine in self._engines.values())
        self._forget_unused()
        result.seconds = time.perf_counter() - start
        logger.debug(
            "indicators of %s %s: %d computed in %.3f s",
            request.level.name.lower(),
            result.unit_id,
            result.recomputed,
            result.seconds,
        )
        return result

    def close(self) -> None:
        """Stop every engine listening to its City."""
        for engine in self._engines.values():
            engine.close()
        self._engines.clear()

    # -- the Cities -------------------------------------------------------------------------
    def _follow(self, request: IndicatorRequest) -> None:
        """Take the request's baseline (a new generation starts afresh) and scenarios."""
        if request.generation != self._generation or self._sessions is None:
            self.close()
            self._generation = request.generation
            self._baseline = request.baseline
            self._baseline.scenarios = copy.deepcopy(dict(request.definitions))
            self._sessions = ScenarioSessions(self._baseline)
            self._definitions = request.definitions
            return
        old, new = self._definitions, request.definitions
        for name in {*old, *new}:
            before, after = old.get(name), new.get(name)
            if before == after:
                continue
            self._sessions.drop_dependants(name)
            if before is None or after is None or before.get("base") != after.get("base"):
                self._sessions.drop(name)
        self._city().scenarios = copy.deepcopy(dict(new))
        self._definitions = new

    def _city(self) -> City:
        assert self._baseline is not None
        return self._baseline

    def _scenario_engine(self, name: str) -> IndicatorEngine:
        return self._engine(name, self._session(name).city)

    def _session(self, name: str) -> ScenarioSession:
        """The scenario's City with its edits as defined now (done or undone to get there)."""
        assert self._sessions is not None
        if name not in self._definitions:
            raise TwinError(f"the project has no scenario '{name}'")
        target = Scenario.from_dict(self._definitions[name]).edits
        session = self._sessions.get(name)
        if session is not None and session.edits != target:
            kept = _common_start(session.edits, target)
            try:
                while len(session.edits) > kept and session.history.can_undo:
                    session.history.undo()
                if len(session.edits) > kept:
                    raise TwinError("too many edits to undo")
                for edit in target[kept:]:
                    session.history.do(edit)
            except TwinError as error:
                logger.info("scenario '%s' applied again (%s)", name, error)
                self._sessions.drop(name)
                session = None
        return session if session is not None else self._sessions.session(name)

    def _engine(self, key: str, city: City) -> IndicatorEngine:
        """The engine of ``city``, kept while the City is (a new City: a new engine)."""
        engine = self._engines.get(key)
        if engine is not None and engine.city is city:
            return engine
        if engine is not None:
            engine.close()
        assert self._sessions is not None
        baseline = None if key == BASELINE_COLUMN else self._city()
        engine = IndicatorEngine(city, baseline=baseline, assumptions=self._sessions.assumptions)
        self._engines[key] = engine
        return engine

    def _forget_unused(self) -> None:
        """Close the engines of scenarios no longer applied (dropped, renamed, deleted)."""
        assert self._sessions is not None
        for key in [k for k in self._engines if k != BASELINE_COLUMN]:
            session = self._sessions.get(key)
            if session is None or session.city is not self._engines[key].city:
                self._engines.pop(key).close()

    # -- what is computed -----------------------------------------------------------------
    def _fill_table(
        self, result: IndicatorResult, base: IndicatorEngine, engines: dict[str, IndicatorEngine]
    ) -> None:
        request = result.request
        names = [
            name
            for name in names_at(request.level)
            if request.expensive or not is_expensive(spec_of(name))
        ]
        full = base.table(request.level, names)
        unit = request.unit_id
        if unit is None and len(full.values.index):
            unit = str(full.values.index[0])
        tables = {BASELINE_COLUMN: _unit_table(full, unit)}
        for name, engine in engines.items():
            tables[name] = _unit_table(engine.table(request.level, names), unit)
        comparison = compare(tables)
        result.unit_id = unit
        result.rows = comparison.long()
        result.scenarios = tuple(engines)
        result.specs = {name: spec_of(name) for name in names}
        result.notes = comparison.notes()
        cities = [base.city, *(engine.city for engine in engines.values())]
        result.unit_name = _unit_name(cities, request.level, unit)

    def _fill_deltas(
        self, result: IndicatorResult, base: IndicatorEngine, scenario: IndicatorEngine
    ) -> None:
        """Per building of the scenario: its value minus the baseline's (a new building:
        its whole value; a building without a value: missing)."""
        for measure in result.request.delta_measures:
            name = f"{measure}_building"
            if name not in INDICATORS:
                continue
            after = pd.to_numeric(scenario.values(name), errors="coerce")
            before = pd.to_numeric(base.values(name), errors="coerce").reindex(after.index)
            result.deltas[measure] = after - before.fillna(0.0)
            result.delta_units[measure] = spec_of(name).unit


def _unit_table(table: IndicatorTable, unit: str | None) -> IndicatorTable:
    """The table's row of one unit (all missing where the unit is not in it)."""
    rows = table.values.reindex([unit] if unit is not None else [])
    rows.index = rows.index.rename("id")
    return IndicatorTable(table.level, rows, table.specs, table.notes)


def _unit_name(cities: list[City], level: Level, unit: str | None) -> str:
    """The name of a unit in the first City whose layer names it."""
    layer = LEVEL_LAYERS[level]
    for city in cities:
        if unit is None or layer not in city or "name" not in city.layer(layer).columns:
            continue
        frame = city.layer(layer)
        names = frame.loc[frame["id"].astype(str) == unit, "name"].dropna()
        if len(names) and str(names.iloc[0]).strip():
            return str(names.iloc[0])
    return ""


def _common_start(done: tuple[Any, ...], target: tuple[Any, ...]) -> int:
    """How many first items two sequences share.

    Example:
        >>> _common_start((1, 2, 3), (1, 2, 4, 5))
        2
    """
    count = 0
    for mine, theirs in zip(done, target, strict=False):
        if mine != theirs:
            break
        count += 1
    return count
