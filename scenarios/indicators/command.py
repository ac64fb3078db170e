"""What ``twin indicators PROJECT [--scenario NAME ...] [--level LEVEL] [--json|--csv]`` does.

The project is loaded (the baseline), each named scenario is applied to it
(:func:`scenarios.scenario.apply_scenario`, copy-on-write), the indicators of the level are
computed for each City by an :class:`~scenarios.indicators.engine.IndicatorEngine` (the
scenarios' land indicators against the baseline), and the tables are put side by side with the
differences. Every failure is a :class:`~twin.errors.TwinError` with one line for the user.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from pathlib import Path

from scenarios.assumptions import Assumptions, project_assumptions, read_overrides
from scenarios.indicators.comparison import Comparison, compare
from scenarios.indicators.engine import IndicatorEngine, load_indicators, names_at, spec_of
from scenarios.indicators.report import comparison_csv, comparison_json, comparison_text
from twin.city import City
from twin.errors import InvalidInputError
from twin.levels import LEVEL_LAYERS, Level
from twin.project import load_project

BASELINE = "baseline"
OUTPUTS = ("text", "csv", "json")


def parse_level(text: str) -> Level:
    """A level from its English or French name.

    Raises:
        InvalidInputError: an unknown level name.
    """
    try:
        return Level.parse(text)
    except ValueError as error:
        raise InvalidInputError(f"--level {text}: {error}") from None


def select_indicators(level: Level, patterns: Sequence[str] = ()) -> list[str]:
    """The indicators of ``level`` whose name, measure or group matches one of ``patterns``
    (shell patterns such as ``floor_area*``; all when none is given).

    Raises:
        InvalidInputError: a pattern matches nothing.
    """
    load_indicators()
    names = names_at(level)
    if not patterns:
        return names
    chosen: list[str] = []
    for pattern in patterns:
        found = [
            name
            for name in names
            if any(
                fnmatch.fnmatchcase(key, pattern)
                for key in (name, spec_of(name).quantity, spec_of(name).group)
            )
        ]
        if not found:
            raise InvalidInputError(
                f"--indicator {pattern}: no indicator of level {level.name.lower()} matches; "
                "see `twin indicators PROJECT --list`."
            )
        chosen += [name for name in found if name not in chosen]
    return chosen


def scenario_city(baseline: City, name: str, where: Path, assumptions: Assumptions) -> City:
    """The City of scenario ``name`` (its edits applied to a copy of the baseline).

    Raises:
        InvalidInputError: no scenario of that name (the message lists those there are), or
            an edit that does not fit.
    """
    if name not in baseline.scenarios:
        known = ", ".join(f"'{n}'" for n in sorted(baseline.scenarios)) or "none"
        raise InvalidInputError(
            f"no scenario named '{name}' in {where} (its scenarios: {known}); see "
            "`twin scenario list`."
        )
    from scenarios.scenario import apply_scenario

    return apply_scenario(baseline, name, assumptions=assumptions)


def comparison_of(
    baseline: City,
    scenarios: dict[str, City],
    level: Level,
    names: Sequence[str],
    assumptions: Assumptions | None = None,
) -> Comparison:
    """The indicators ``names`` of the baseline and of each scenario's City, side by side."""
    tables = {BASELINE: IndicatorEngine(baseline, assumptions=assumptions).table(level, names)}
    for name, city in scenarios.items():
        engine = IndicatorEngine(city, baseline=baseline, assumptions=assumptions)
        tables[name] = engine.table(level, names)
    return compare(tables)


def indicators_command(
    project: Path,
    *,
    scenarios: Sequence[str] = (),
    level: str = "commune",
    output: str = "text",
    patterns: Sequence[str] = (),
    french: bool = False,
    assumptions_file: Path | None = None,
    list_only: bool = False,
) -> str:
    """The text ``twin indicators`` prints."""
    if output not in OUTPUTS:
        raise InvalidInputError(f"output '{output}': choose one of {', '.join(OUTPUTS)}.")
    chosen_level = parse_level(level)
    names = select_indicators(chosen_level, patterns)
    if list_only:
        return "\n".join(f"{name}  [{spec_of(name).unit}]  {spec_of(name).title}" for name in names)
    baseline = load_project(project)
    assumptions = project_assumptions(baseline)
    if assumptions_file is not None:
        assumptions = assumptions.with_overrides(
            read_overrides(assumptions_file), source=str(assumptions_file)
        )
    cities = {
        name: scenario_city(baseline, name, project, assumptions)
        for name in dict.fromkeys(scenarios)
    }
    comparison = comparison_of(baseline, cities, chosen_level, names, assumptions)
    if output == "json":
        return comparison_json(comparison)
    if output == "csv":
        return comparison_csv(comparison, french=french)
    return comparison_text(comparison, french=french, names=_unit_names(baseline, chosen_level))


def _unit_names(city: City, level: Level) -> dict[str, str]:
    """Names of the level's units (communes' and districts' names), by id."""
    layer = LEVEL_LAYERS[level]
    if layer not in city or "name" not in city.layer(layer).columns:
        return {}
    frame = city.layer(layer)
    named = frame[frame["name"].notna()]
    return dict(zip(named["id"].astype(str), named["name"].astype(str), strict=True))
