"""What the indicators dashboard shows, as plain data (no Qt): the units a selection belongs to,
and the rows of a result grouped by family with their texts.

Values are written as ``twin indicators`` writes them
(:func:`scenarios.indicators.report.format_value`: rounded by unit, French digits in French,
``—`` when missing, signed differences).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from gui.indicator_cities import BASELINE_COLUMN, IndicatorResult
from gui.indicator_texts import Text, group_title, indicator_title, unit_label
from gui.selection import tree_target
from scenarios.indicators.comparison import DELTA
from scenarios.indicators.engine import GROUP_ORDER
from scenarios.indicators.report import format_value
from twin.city import City
from twin.levels import Level


@dataclass(frozen=True)
class Column:
    """A value column: ``key`` in the result's rows (``baseline``, a scenario, ``Δ <name>``),
    the scenario it belongs to, and whether it is a difference."""

    key: str
    scenario: str
    is_delta: bool


@dataclass(frozen=True)
class DashboardRow:
    """One indicator of the unit: its name and measure (the same at every level), title,
    unit as shown, its value per column (as a number where it is one) and those values as
    text, its meaning and why a value is missing."""

    indicator: str
    measure: str
    title: str
    unit: str
    values: tuple[object, ...]
    texts: tuple[str, ...]
    meaning: str
    note: str = ""

    def number(self, position: int) -> float | None:
        """The value of column ``position`` as a finite number, else None."""
        value = self.values[position]
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return number if math.isfinite(number) else None


def columns_of(result: IndicatorResult) -> list[Column]:
    """The value columns: the baseline, then each scenario followed by its difference."""
    columns = [Column(BASELINE_COLUMN, BASELINE_COLUMN, False)]
    for name in result.scenarios:
        columns += [Column(name, name, False), Column(DELTA + name, name, True)]
    return columns


def grouped_rows(
    result: IndicatorResult, text: Text, *, french: bool
) -> list[tuple[str, list[DashboardRow]]]:
    """The result's indicators as (group title, rows), groups in :data:`GROUP_ORDER`."""
    columns = columns_of(result)
    frame = result.rows
    groups: dict[str, list[DashboardRow]] = {}
    if frame.empty:
        return []
    notes = _notes_by_indicator(result.notes)
    for record in frame.to_dict(orient="records"):
        name = str(record["indicator"])
        spec = result.specs[name]
        values = tuple(_clean(record.get(column.key)) for column in columns)
        texts = tuple(
            format_value(value, spec.unit, french=french, signed=column.is_delta)
            for value, column in zip(values, columns, strict=True)
        )
        row = DashboardRow(
            name,
            spec.quantity,
            indicator_title(spec, text),
            unit_label(spec.unit, text),
            values,
            texts,
            spec.meaning,
            notes.get(name, ""),
        )
        groups.setdefault(spec.group or "other", []).append(row)
    rank = {group: i for i, group in enumerate(GROUP_ORDER)}
    ordered = sorted(groups, key=lambda g: rank.get(g, len(rank)))
    return [(group_title(group, text), groups[group]) for group in ordered]


def selection_units(city: City | None, object_id: str | None) -> dict[Level, str]:
    """The unit of each level the selection lies in, territory first, down to the selected
    row itself; only the territory without a selection (or an unknown one).

    A room or a storey belongs to its building; an IFC element to its container.
    """
    if city is None:
        return {}
    hierarchy = city.hierarchy
    units: dict[Level, str] = {}
    territory = hierarchy.ids_at(Level.TERRITORY)
    if len(territory):
        units[Level.TERRITORY] = str(territory[0])
    target = tree_target(city, object_id)
    if target is None:
        return units
    chain = [target, *hierarchy.ancestors(target)]
    for node in reversed(chain):
        units[hierarchy.level_of(node)] = node
    return dict(sorted(units.items()))


def _clean(value: object) -> object:
    """None for missing values (NaN, NA), the value otherwise."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value


def _notes_by_indicator(notes: dict[str, str]) -> dict[str, str]:
    """``{"table: indicator": note}`` → ``{indicator: note}`` (the first note of each)."""
    found: dict[str, str] = {}
    for key, note in notes.items():
        indicator = key.rpartition(": ")[2]
        found.setdefault(indicator, note)
    return found
