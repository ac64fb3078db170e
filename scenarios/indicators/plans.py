"""Indicators as plans over measures, so that one definition serves every level.

A **measure** is one number per row of a base layer (buildings, parcels, storeys, spaces):
``footprint_m2``, ``floor_area_residential_m2``, ``dwellings`` ... Measures are computed in
**groups** (one vectorised function gives several measures that share work), each declaring the
``layer.column``s it reads, the other groups it needs and the assumptions it uses.

A **plan** says how an indicator at a level is made of measures:

- :class:`Sum`: the measure summed over the base rows under each unit (the value itself at the
  base level); rows with no ancestor at the level go to ``(unassigned)`` so totals are kept;
  with ``via=Level.PARCEL`` only rows that have a parcel are counted (for ratios to parcel area);
- :class:`Value`: the measure itself, at its base level (missing values stay NaN);
- :class:`Max`: the largest value under each unit;
- :class:`LevelArea`: the area of the level's own polygons (m²);
- :class:`Ratio` and :class:`Difference` of two plans.

:func:`plan_indicator` registers a plan as an ordinary indicator: a pure function
``f(city, *, assumptions=None, baseline=None) -> pandas.Series`` whose ``reads`` are derived from
the plan. The engine (:mod:`scenarios.indicators.engine`) evaluates the same plans against
cached measures and keeps sums up to date by deltas after an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from scenarios.indicators.base import IndicatorSpec, indicator
from twin.levels import LEVEL_LAYERS, Level, level_of_layer

if TYPE_CHECKING:
    import pandas as pd

    from scenarios.assumptions import Assumptions
    from scenarios.indicators.measure_context import MeasureContext
    from twin.city import City


@dataclass(frozen=True)
class Sum:
    """Sum of a measure under each unit of the level (``via``: only rows under that level)."""

    measure: str
    via: Level | None = None


@dataclass(frozen=True)
class Value:
    """The measure itself, one value per row of its base layer (NaN kept)."""

    measure: str


@dataclass(frozen=True)
class Max:
    """The largest value of a measure under each unit (NaN where none is known)."""

    measure: str


@dataclass(frozen=True)
class LevelArea:
    """Area (m²) of the polygons of the level itself; NaN for ``(unassigned)``."""


@dataclass(frozen=True)
class Ratio:
    """``numerator / denominator × scale``; NaN where the denominator is 0 or unknown."""

    numerator: Plan
    denominator: Plan
    scale: float = 1.0


@dataclass(frozen=True)
class Difference:
    """``first − second``."""

    first: Plan
    second: Plan


Plan = Sum | Value | Max | LevelArea | Ratio | Difference


@dataclass(frozen=True)
class MeasureGroup:
    """Measures computed together over the rows of one base layer.

    Attributes:
        name: identifier of the group.
        layer: the base layer (one value per row): ``buildings``, ``parcels``, ``storeys``,
            ``spaces``.
        outputs: the measures it gives.
        reads: ``layer.column``s read (``baseline:layer.column`` for the baseline City).
        compute: ``compute(context) -> {measure: array aligned with the layer's rows}``.
        needs: groups whose measures it uses (same layer, or the baseline's).
        assumptions: the assumption keys it uses.
        rowwise: each row's values depend only on that row (and on the same row of the
            groups it needs): after an edit of a few rows, only those rows are recomputed.
        slow: computing it from scratch takes seconds for a big town (roof shading): the app
            computes the indicators needing it in a worker (:func:`group_is_slow`).
        start: ``start(context)`` may start computing the group from scratch in the
            background (helper processes) and return a :class:`Started`, which the group's
            ``compute`` later takes up; the engine calls it before computing other indicators
            when it will need the group (:meth:`IndicatorEngine.compute`).
    """

    name: str
    layer: str
    outputs: tuple[str, ...]
    reads: tuple[str, ...]
    compute: Callable[[MeasureContext], dict[str, np.ndarray]]
    needs: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    rowwise: bool = False
    slow: bool = False
    start: Callable[[MeasureContext], Started | None] | None = None


class Started(Protocol):
    """Work a measure group started in the background (:attr:`MeasureGroup.start`)."""

    def cancel(self) -> None:
        """Stop it if the group's computation did not take it up."""


#: Every measure group by name, and the group giving each measure.
GROUPS: dict[str, MeasureGroup] = {}
MEASURES: dict[str, str] = {}


def measure_group(
    name: str,
    layer: str,
    outputs: tuple[str, ...],
    reads: tuple[str, ...],
    *,
    needs: tuple[str, ...] = (),
    assumptions: tuple[str, ...] = (),
    rowwise: bool = False,
    slow: bool = False,
    start: Callable[[MeasureContext], Started | None] | None = None,
) -> Callable[[Callable[[MeasureContext], dict[str, np.ndarray]]], MeasureGroup]:
    """Register a function computing ``outputs`` over the rows of ``layer`` as a group
    (see :class:`MeasureGroup`)."""

    def register(function: Callable[[MeasureContext], dict[str, np.ndarray]]) -> MeasureGroup:
        group = MeasureGroup(
            name, layer, outputs, reads, function, needs, assumptions, rowwise, slow, start
        )
        if name in GROUPS and GROUPS[name].compute is not function:
            raise ValueError(f"measure group '{name}' is registered twice")
        GROUPS[name] = group
        for output in outputs:
            MEASURES[output] = name
        return group

    return register


def group_of(measure: str) -> MeasureGroup:
    """The group that computes ``measure``."""
    try:
        return GROUPS[MEASURES[measure]]
    except KeyError:
        raise KeyError(f"no measure '{measure}'; known: {', '.join(sorted(MEASURES))}") from None


def group_closure(names: set[str]) -> set[str]:
    """The groups and every group they need, transitively."""
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(GROUPS[name].needs)
    return seen


def plan_measures(plan: Plan) -> set[str]:
    """The measures a plan reads."""
    if isinstance(plan, Sum | Value | Max):
        return {plan.measure}
    if isinstance(plan, Ratio):
        return plan_measures(plan.numerator) | plan_measures(plan.denominator)
    if isinstance(plan, Difference):
        return plan_measures(plan.first) | plan_measures(plan.second)
    return set()


def plan_groups(plan: Plan) -> set[str]:
    """The measure groups a plan needs, transitively."""
    return group_closure({MEASURES[m] for m in plan_measures(plan) if m in MEASURES})


def plan_is_slow(plan: Plan) -> bool:
    """Whether a plan needs a measure group declared ``slow`` (from scratch: seconds)."""
    return any(GROUPS[name].slow for name in plan_groups(plan))


def plan_reads(plan: Plan, level: Level) -> tuple[str, ...]:
    """What a plan reads at ``level``: the columns of its measures' groups, the parent links
    climbed from each base layer up to ``level``, the level's own rows (the values are given
    per row of it) and, for :class:`LevelArea`, the level's polygons."""
    reads: list[str] = [f"{LEVEL_LAYERS[level]}.id"]
    groups = group_closure({MEASURES[m] for m in plan_measures(plan) if m in MEASURES})
    for name in sorted(groups):
        group = GROUPS[name]
        reads.extend(group.reads)
        base = level_of_layer(group.layer)
        if base is not None:
            for n in range(int(base), int(level), -1):
                reads.append(f"{LEVEL_LAYERS[Level(n)]}.parent_id")
    if _has_level_area(plan):
        reads.append(f"{LEVEL_LAYERS[level]}.geometry")
    return tuple(dict.fromkeys(reads))


def plan_assumptions(plan: Plan) -> tuple[str, ...]:
    """The assumption keys a plan's measures use."""
    groups = group_closure({MEASURES[m] for m in plan_measures(plan) if m in MEASURES})
    keys = [key for name in sorted(groups) for key in GROUPS[name].assumptions]
    return tuple(sorted(set(keys)))


def _has_level_area(plan: Plan) -> bool:
    if isinstance(plan, LevelArea):
        return True
    if isinstance(plan, Ratio):
        return _has_level_area(plan.numerator) or _has_level_area(plan.denominator)
    if isinstance(plan, Difference):
        return _has_level_area(plan.first) or _has_level_area(plan.second)
    return False


def plan_indicator(
    name: str,
    title: str,
    unit: str,
    level: Level,
    plan: Plan,
    meaning: str,
    *,
    measure: str,
    group: str,
) -> Callable[..., pd.Series]:
    """Register ``plan`` at ``level`` as the indicator ``name`` and return its function.

    The function is pure: ``f(city, *, assumptions=None, baseline=None)`` evaluates the plan
    on a fresh workspace (the engine keeps one instead, to update by deltas).
    """
    spec = IndicatorSpec(
        name,
        title,
        unit,
        level,
        plan_reads(plan, level),
        meaning,
        measure=measure,
        group=group,
        assumptions=plan_assumptions(plan),
    )

    def compute(
        city: City, *, assumptions: Assumptions | None = None, baseline: City | None = None
    ) -> pd.Series:
        from scenarios.indicators.workspace import Workspace

        return Workspace(city, assumptions=assumptions, baseline=baseline).evaluate(plan, level)

    compute.__name__ = compute.__qualname__ = name
    compute.__doc__ = meaning
    compute.plan = plan  # type: ignore[attr-defined]
    return indicator(spec)(compute)


def plan_of(function: Callable[..., Any]) -> Plan | None:
    """The plan behind a registered indicator, or None for an ordinary function."""
    return getattr(function, "plan", None)


#: Levels above the building (for ratios to parcel area), and with the building.
PARCEL_UP = (Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY)
BUILDING_UP = (Level.BUILDING, *PARCEL_UP)
LEVEL_TITLES = {
    Level.TERRITORY: "territoire",
    Level.COMMUNE: "commune",
    Level.DISTRICT: "quartier",
    Level.PARCEL: "parcelle",
    Level.BUILDING: "bâtiment",
    Level.STOREY: "étage",
    Level.SPACE: "pièce",
}


def plan_indicators(
    measure: str,
    title: str,
    unit: str,
    levels: tuple[Level, ...],
    plan: Plan | Callable[[Level], Plan],
    meaning: str,
    *,
    group: str,
) -> dict[Level, Callable[..., pd.Series]]:
    """Register ``measure`` at each of ``levels`` as ``<measure>_<level>`` (« title (niveau) »).

    ``plan`` is one plan for every level or a function giving the plan of a level.
    """
    return {
        level: plan_indicator(
            f"{measure}_{level.name.lower()}",
            f"{title} ({LEVEL_TITLES[level]})",
            unit,
            level,
            plan(level) if callable(plan) else plan,
            meaning,
            measure=measure,
            group=group,
        )
        for level in levels
    }
