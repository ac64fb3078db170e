"""The indicator engine: computes indicators of a City, keeps them, recomputes only what an edit
touches.

:class:`IndicatorEngine` listens to ``City.changed(layer, ids, columns)``. Each kept value is
dropped only when :func:`~scenarios.indicators.base.depends_on` says the change reaches it
(changing ``buildings.height_m`` drops heights and floor areas, not coverage). Indicators made
of plans (:mod:`scenarios.indicators.plans`) share one
:class:`~scenarios.indicators.workspace.Workspace`, where the measure groups reading the
changed columns are recomputed and the per-level sums are moved by the changed rows' deltas;
the other indicators are called again. Indicators needing a measure group declared ``slow``
(roof solar: seconds for a big town the first time, then tens of milliseconds) are told apart
by :func:`is_slow`, so that the app computes them in a worker; asked for together with others,
their groups start first in helper processes
(:attr:`~scenarios.indicators.plans.MeasureGroup.start`) and the others are computed meanwhile.
:meth:`IndicatorEngine.table` gives an :class:`IndicatorTable` (rows: the units of a level;
columns: indicators, with units);
:func:`compare` puts a baseline and scenarios side by side with their differences.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

import scenarios.indicators as package
from scenarios.assumptions import Assumptions
from scenarios.indicators.base import INDICATORS, IndicatorSpec, depends_on
from scenarios.indicators.comparison import Comparison, IndicatorTable, compare
from scenarios.indicators.plans import GROUPS, Started, plan_groups, plan_is_slow, plan_of
from scenarios.indicators.workspace import Workspace
from twin.city import City
from twin.levels import Level

logger = logging.getLogger(__name__)

__all__ = [
    "Comparison",
    "IndicatorEngine",
    "IndicatorTable",
    "compare",
    "is_slow",
    "load_indicators",
]

_NOT_INDICATORS = {
    "base",
    "building_uses",
    "command",
    "comparison",
    "engine",
    "level_maps",
    "measure_cache",
    "measure_context",
    "plans",
    "report",
    "row_move",
    "workspace",
}


def load_indicators() -> dict[str, Callable[..., Any]]:
    """Import every module of :mod:`scenarios.indicators` so all indicators are registered.

    A module that fails to import is logged and left out (the others still work).
    """
    for module in pkgutil.iter_modules(package.__path__):
        if module.name in _NOT_INDICATORS or module.name.startswith("_"):
            continue
        try:
            importlib.import_module(f"{package.__name__}.{module.name}")
        except ImportError as error:
            logger.warning("indicators of %s left out: %s", module.name, error)
    return INDICATORS


def spec_of(name: str) -> IndicatorSpec:
    """The spec of a registered indicator."""
    try:
        return INDICATORS[name].spec  # type: ignore[attr-defined]
    except KeyError:
        raise KeyError(f"no indicator '{name}'") from None


#: The order groups are shown in (others after, in registration order).
GROUP_ORDER = ("urbanism", "people", "land", "energy", "climate", "sunlight", "mobility")


def is_slow(name: str) -> bool:
    """Whether an indicator needs a measure group declared ``slow``: computed from scratch it
    takes seconds for a big town (roof shading of 100 000 buildings: about 4 s), so the app
    computes it in a worker, on ``City.copy(share_layers=True)``. Its results are kept (per
    town, :mod:`scenarios.roof_shading`), so an engine asking afterwards, or after an edit,
    gets them in tens of milliseconds.

    Example:
        >>> _ = load_indicators()
        >>> is_slow("roof_pv_kwh_commune"), is_slow("footprint_m2_commune")
        (True, False)
    """
    plan = plan_of(INDICATORS[name]) if name in INDICATORS else None
    return plan is not None and plan_is_slow(plan)


def names_at(level: Level, groups: Iterable[str] = (), *, slow: bool | None = None) -> list[str]:
    """Registered indicators of ``level`` (of ``groups`` when given): urbanism first, then
    people, land, energy ... (:data:`GROUP_ORDER`), each in registration order.

    ``slow``: True for only the indicators :func:`is_slow` names, False for only the others.
    """
    wanted = set(groups)
    names = [
        name
        for name, function in INDICATORS.items()
        if function.spec.level == level  # type: ignore[attr-defined]
        and (not wanted or function.spec.group in wanted)  # type: ignore[attr-defined]
        and (slow is None or is_slow(name) == slow)
    ]
    rank = {group: i for i, group in enumerate(GROUP_ORDER)}
    return sorted(names, key=lambda n: rank.get(spec_of(n).group, len(rank)))


class IndicatorEngine:
    """Indicators of one City, kept until a change of what they read.

    Args:
        city: the City (the baseline, or a scenario's City).
        baseline: the City a scenario is compared with by the land indicators; None when
            ``city`` is the baseline itself (those indicators are then 0).
        assumptions: the ratios in force (default: the shipped defaults).
    """

    def __init__(
        self,
        city: City,
        *,
        baseline: City | None = None,
        assumptions: Assumptions | None = None,
    ) -> None:
        load_indicators()
        self.city = city
        self.baseline = baseline
        self.workspace = Workspace(city, assumptions=assumptions, baseline=baseline)
        self.workspace.tracks_events = True
        self._kept: dict[str, pd.Series] = {}
        self.recomputed: list[str] = []  # indicators computed since the last reset
        city.changed.connect(self._on_changed)
        if baseline is not None and baseline is not city:
            baseline.changed.connect(self._on_baseline_changed)

    def close(self) -> None:
        """Stop listening to the Cities."""
        self.city.changed.disconnect(self._on_changed)
        if self.baseline is not None and self.baseline is not self.city:
            self.baseline.changed.disconnect(self._on_baseline_changed)

    # -- events ---------------------------------------------------------------------------
    def _on_changed(self, layer: str, ids: tuple, columns: tuple) -> None:
        self.workspace.invalidate(layer, ids, columns)
        self._drop(layer, columns)
        if self.baseline is None or self.baseline is self.city:
            self._drop(f"baseline:{layer}", columns)

    def _on_baseline_changed(self, layer: str, ids: tuple, columns: tuple) -> None:
        self.workspace.invalidate(layer, ids, columns, baseline=True)
        self._drop(f"baseline:{layer}", columns)

    def _drop(self, layer: str, columns: tuple) -> None:
        for name in [n for n in self._kept if depends_on(spec_of(n), layer, columns)]:
            del self._kept[name]

    # -- values ---------------------------------------------------------------------------
    def values(self, name: str) -> pd.Series:
        """One indicator's values (kept until a change it depends on)."""
        if name not in self._kept:
            function = INDICATORS.get(name)
            if function is None:
                raise KeyError(f"no indicator '{name}'; see `twin indicators PROJECT --list`")
            plan = plan_of(function)
            if plan is not None:
                values = self.workspace.evaluate(plan, spec_of(name).level)
                finish = getattr(function, "finish", None)  # a plan's values turned into others
                if finish is not None:
                    values = finish(values)
            else:
                values = function(self.city, **self._arguments(function))
            values.name = name
            self._kept[name] = values
            self.recomputed.append(name)
        return self._kept[name]

    def _arguments(self, function: Callable[..., Any]) -> dict[str, Any]:
        accepted = inspect.signature(function).parameters
        arguments: dict[str, Any] = {}
        if "assumptions" in accepted:
            arguments["assumptions"] = self.workspace.assumptions
        if "baseline" in accepted:
            arguments["baseline"] = self.baseline
        return arguments

    def compute(self, names: Iterable[str]) -> dict[str, pd.Series]:
        """Several indicators' values by name.

        When slow indicators (:func:`is_slow`) are asked with others, the slow measure groups
        that can start in the background do so first (roof shading from scratch, in helper
        processes), the others are computed meanwhile, then the slow ones: the values are the
        same, computed at the same time.
        """
        names = list(names)
        todo = [name for name in dict.fromkeys(names) if name not in self._kept]
        slow = [name for name in todo if is_slow(name)]
        started: list[Started] = []
        try:
            if slow and len(slow) < len(todo):
                started = self._start_groups(slow)
            if started:  # the others meanwhile
                for name in todo:
                    if name not in slow:
                        self.values(name)
            return {name: self.values(name) for name in names}
        finally:
            for each in started:  # nothing once taken up by the group's computation
                each.cancel()

    def _start_groups(self, names: list[str]) -> list[Started]:
        """Start the measure groups of these indicators that can start in the background."""
        groups: set[str] = set()
        for name in names:
            plan = plan_of(INDICATORS[name])
            if plan is not None:
                groups |= plan_groups(plan)
        started = []
        for group in sorted(groups):
            handle = self.workspace.start(GROUPS[group])
            if handle is not None:
                started.append(handle)
        return started

    def table(self, level: Level, names: Iterable[str] | None = None) -> IndicatorTable:
        """The indicators of ``level`` (all registered ones by default) as a table."""
        chosen = list(names) if names is not None else names_at(level)
        wrong = [n for n in chosen if spec_of(n).level != level]
        if wrong:
            raise ValueError(f"{wrong[0]} is not an indicator of level {level.name.lower()}")
        values = self.compute(chosen)
        return IndicatorTable.from_values(level, values, [spec_of(n) for n in chosen])
