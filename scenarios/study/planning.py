"""The project's planning indicators, baseline (or the compared scenario) against the scenario,
computed exactly as ``twin indicators PROJECT --level territory --scenario NAME --json`` does
(:class:`~scenarios.indicators.engine.IndicatorEngine` tables put side by side by
:func:`~scenarios.indicators.comparison.compare`), so each number equals that command's.
"""

from __future__ import annotations

import math

import pandas as pd

from scenarios.indicators.comparison import DELTA, Comparison, compare
from scenarios.indicators.engine import IndicatorEngine, load_indicators, spec_of
from scenarios.study.model import Figure, Table
from twin.levels import Level

LEVEL = Level.TERRITORY
#: The planning indicators of the study (territory level), in table order; those not
#: registered (a module that failed to import) are left out.
PLANNING_INDICATORS = (
    "floor_area_m2_territory",
    "floor_area_residential_m2_territory",
    "surface_de_plancher_m2_territory",
    "footprint_m2_territory",
    "dwellings_territory",
    "inhabitants_territory",
    "households_territory",
    "jobs_territory",
    "newly_sealed_m2_territory",
    "net_sealed_m2_territory",
    "floor_area_built_m2_territory",
    "floor_area_reused_m2_territory",
    "final_energy_kwh_territory",
    "primary_energy_kwh_territory",
    "co2_kg_territory",
    "share_inhabitants_near_served_stop_territory",
)
#: Indicators whose difference is also a Figure of the project section.
HEADLINE = (
    "dwellings_territory",
    "inhabitants_territory",
    "floor_area_m2_territory",
    "jobs_territory",
    "newly_sealed_m2_territory",
    "final_energy_kwh_territory",
)


def planning_names() -> list[str]:
    """The planning indicators that are registered."""
    registered = load_indicators()
    return [name for name in PLANNING_INDICATORS if name in registered]


def planning_comparison(
    before: IndicatorEngine, after: IndicatorEngine, compare_name: str, scenario: str
) -> Comparison:
    """The territory tables of both engines side by side (``compare_name`` first)."""
    names = planning_names()
    return compare({compare_name: before.table(LEVEL, names), scenario: after.table(LEVEL, names)})


def planning_table(comparison: Comparison) -> Table:
    """One row per indicator (index: its name): ``unit``, the compared value (column named
    after the compared state, ``baseline`` by default), the scenario's, and
    ``Δ <scenario>``, as :meth:`Comparison.long` gives them."""
    long = comparison.long()
    long = long[long["id"] == long["id"].iloc[0]] if len(long) else long
    frame = long.drop(columns=["id", "measure"]).set_index("indicator")
    return Table("planning_indicators", frame)  # units: the unit column, row by row


def planning_figures(comparison: Comparison, scenario: str) -> list[Figure]:
    """The differences of the headline indicators: key ``<measure>_delta``, value the
    ``Δ <scenario>`` column of ``twin indicators --json`` (scenario − compared state), source
    ``indicator:<name>``."""
    long = comparison.long().set_index("indicator")
    out = []
    for name in HEADLINE:
        if name not in long.index:
            continue
        value = float(pd.to_numeric(long.loc[name, DELTA + scenario], errors="coerce"))
        spec = spec_of(name)
        note = comparison.tables[scenario].notes.get(name, "")
        out.append(
            Figure(
                f"{spec.quantity}_delta",
                value,
                spec.unit,
                f"indicator:{name}",
                (f"indicator:{name}",),
                note or ("" if math.isfinite(value) else "note.indicator_missing"),
            )
        )
    return out
