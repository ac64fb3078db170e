"""Indicator tables (units of a level × indicators, with units) and baseline/scenario comparisons.

Example:
    >>> from scenarios.indicators.base import IndicatorSpec
    >>> spec = IndicatorSpec("footprint_m2_commune", "Emprise", "m2", Level.COMMUNE, (), ".",
    ...                      measure="footprint_m2")
    >>> base = IndicatorTable.from_values(
    ...     Level.COMMUNE, {spec.name: pd.Series([100.0], index=["12990"])}, [spec])
    >>> more = IndicatorTable.from_values(
    ...     Level.COMMUNE, {spec.name: pd.Series([160.0], index=["12990"])}, [spec])
    >>> long = compare({"baseline": base, "densify": more}).long()
    >>> long[["baseline", "densify", "Δ densify"]].values.tolist()
    [[100.0, 160.0, 60.0]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from scenarios.indicators.base import IndicatorSpec
from twin.levels import Level

DELTA = "Δ "


@dataclass(frozen=True)
class IndicatorTable:
    """Indicators of one level: one row per unit (and ``(unassigned)``), one column per
    indicator (named as registered; :meth:`header` gives ``measure [unit]``).

    Attributes:
        level: the level of the rows.
        values: the numbers, index ``id``.
        specs: the indicators' specs, in column order.
        notes: why some values are missing (an indicator's ``attrs["reason"]``), by name.
    """

    level: Level
    values: pd.DataFrame
    specs: tuple[IndicatorSpec, ...]
    notes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_values(
        cls, level: Level, values: Mapping[str, pd.Series], specs: Sequence[IndicatorSpec]
    ) -> IndicatorTable:
        """Assemble Series (indexed by id) into a table; rows keep the first Series' order and
        ids only some Series have come after."""
        index: pd.Index | None = None
        for series in values.values():
            if index is None:
                index = series.index
            elif series.index is not index and not series.index.equals(index):
                index = index.append(series.index.difference(index, sort=False))
        if index is None:
            index = pd.Index([], name="id")
        elif index.name != "id":
            index = index.rename("id")
        columns = {
            name: (series if series.index is index else series.reindex(index)).to_numpy()
            for name, series in values.items()
        }
        frame = pd.DataFrame(columns, index=index)
        notes = {
            name: str(series.attrs["reason"])
            for name, series in values.items()
            if series.attrs.get("reason")
        }
        return cls(level, frame, tuple(specs), notes)

    @property
    def units(self) -> dict[str, str]:
        """Unit of each column."""
        return {spec.name: spec.unit for spec in self.specs}

    def header(self, name: str) -> str:
        """``measure [unit]`` of a column."""
        spec = next(s for s in self.specs if s.name == name)
        return f"{spec.quantity} [{spec.unit}]" if spec.unit else spec.quantity

    def with_headers(self) -> pd.DataFrame:
        """The values with ``measure [unit]`` column names."""
        return self.values.rename(columns={s.name: self.header(s.name) for s in self.specs})


@dataclass(frozen=True)
class Comparison:
    """The same indicators for a baseline and scenarios, at one level.

    Attributes:
        level: the level of the rows.
        tables: the baseline's table first, then each scenario's, by name.
    """

    level: Level
    tables: dict[str, IndicatorTable]

    @property
    def baseline(self) -> str:
        """Name of the reference (the first table)."""
        return next(iter(self.tables))

    @property
    def scenarios(self) -> list[str]:
        """Names of the scenarios."""
        return list(self.tables)[1:]

    @property
    def specs(self) -> dict[str, IndicatorSpec]:
        """Every indicator's spec by name, baseline's order first."""
        out: dict[str, IndicatorSpec] = {}
        for table in self.tables.values():
            out.update({spec.name: spec for spec in table.specs if spec.name not in out})
        return out

    def long(self) -> pd.DataFrame:
        """One row per unit and indicator: ``id``, ``indicator``, ``unit``, a column per table
        and ``Δ <scenario>`` = scenario − baseline (NaN where either is missing)."""
        stacked = {name: table.values.stack() for name, table in self.tables.items()}
        frame = pd.concat(stacked, axis=1, sort=False)
        frame.index = frame.index.set_names(["id", "indicator"])
        base = pd.to_numeric(frame[self.baseline], errors="coerce")  # classes have no Δ
        for name in self.scenarios:
            frame[DELTA + name] = pd.to_numeric(frame[name], errors="coerce") - base
        frame = frame.reset_index()
        specs = self.specs
        frame.insert(2, "unit", frame["indicator"].map(lambda n: specs[n].unit))
        frame.insert(2, "measure", frame["indicator"].map(lambda n: specs[n].quantity))
        return frame

    def notes(self) -> dict[str, str]:
        """Why values are missing, by ``table: indicator``."""
        return {
            f"{table_name}: {name}": note
            for table_name, table in self.tables.items()
            for name, note in table.notes.items()
        }


def compare(tables: Mapping[str, IndicatorTable]) -> Comparison:
    """Put tables of one level side by side; the first is the baseline.

    Raises:
        ValueError: no table, or tables of different levels.
    """
    if not tables:
        raise ValueError("nothing to compare: give at least the baseline's table")
    levels = {table.level for table in tables.values()}
    if len(levels) != 1:
        raise ValueError(f"tables of different levels: {sorted(level.name for level in levels)}")
    return Comparison(levels.pop(), dict(tables))
