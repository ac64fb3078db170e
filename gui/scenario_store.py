"""The scenario commands of the app on the project's ``City.scenarios`` (no Qt): create, copy,
rename (scenarios based on it follow), describe, delete, import and export TOML files.

Everything goes through the public API of :mod:`scenarios.scenario` and
:mod:`scenarios.scenario_file`, so the checks are the CLI's: a bad name, a base that does not
exist, a cycle or a file that does not apply is refused with one line
(:class:`~twin.errors.InvalidInputError`) and ``City.scenarios`` is left as it was.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from pathlib import Path

from scenarios.edits.refusals import refuse, reworded
from scenarios.scenario import (
    BASELINE,
    Scenario,
    apply_scenario,
    check_name,
    remove_scenario,
    scenarios_of,
    store_scenario,
)
from scenarios.scenario_file import SUFFIX, read_scenario_file, write_scenario_file
from twin.city import City
from twin.errors import InvalidInputError

logger = logging.getLogger(__name__)


def unique_name(city: City, wanted: str) -> str:
    """``wanted``, or ``wanted (2)``, ``(3)`` ... the first the project does not use.

    Example:
        >>> city = City()
        >>> city.scenarios["Test"] = {"name": "Test"}
        >>> unique_name(city, "Test"), unique_name(city, "Autre")
        ('Test (2)', 'Autre')
    """
    wanted = wanted.strip()
    if wanted not in city.scenarios:
        return wanted
    number = 2
    while f"{wanted} ({number})" in city.scenarios:
        number += 1
    return f"{wanted} ({number})"


def scenario_of(city: City, name: str) -> Scenario:
    """The stored scenario ``name``.

    Raises:
        InvalidInputError: the project has no such scenario.
    """
    if name not in city.scenarios:
        raise refuse(
            "scenario_unknown",
            f"the project has no scenario '{name}'.",
            name=name,
            known=sorted(city.scenarios),
        )
    return Scenario.from_dict(city.scenarios[name], f"scenario '{name}' of the project")


def create_scenario(city: City, name: str, base: str = BASELINE) -> Scenario:
    """Store a new scenario without edits on ``base`` and return it.

    Raises:
        InvalidInputError: a bad or used name, or an unknown base.
    """
    scenario = Scenario(name.strip(), base=base)
    store_scenario(city, scenario)
    return scenario


def copy_scenario(city: City, source: str, name: str) -> Scenario:
    """Store a copy of ``source`` (same base, description and edits) named ``name``.

    Raises:
        InvalidInputError: no such scenario, or a bad or used name.
    """
    copy = dataclasses.replace(scenario_of(city, source), name=name.strip())
    store_scenario(city, copy)
    return copy


def rename_scenario(city: City, old: str, new: str) -> Scenario:
    """Rename ``old`` to ``new``; scenarios based on it are rebased on the new name. All or
    nothing.

    Raises:
        InvalidInputError: no such scenario, or a bad or used name.
    """
    new = new.strip()
    scenario = scenario_of(city, old)
    if new == old:
        return scenario
    check_name(new)
    if new in city.scenarios:
        raise refuse(
            "scenario_exists",
            f"the project already has a scenario '{new}'; choose another name.",
            name=new,
        )
    before = dict(city.scenarios)
    position = list(before).index(old)
    renamed = dataclasses.replace(scenario, name=new)
    try:
        store_scenario(city, renamed)
        for child in scenarios_of(city).values():
            if child.base == old and child.name != new:
                store_scenario(city, dataclasses.replace(child, base=new), replace=True)
        remove_scenario(city, old)
    except InvalidInputError:
        city.scenarios.clear()
        city.scenarios.update(before)
        raise
    _move(city, new, position)
    return renamed


def describe_scenario(city: City, name: str, description: str) -> Scenario:
    """Replace the description of ``name``.

    Raises:
        InvalidInputError: no such scenario.
    """
    described = dataclasses.replace(scenario_of(city, name), description=description.strip())
    store_scenario(city, described, replace=True)
    return described


def delete_scenario(city: City, name: str) -> None:
    """Remove ``name`` from the project.

    Raises:
        InvalidInputError: no such scenario, or another is based on it (rebase or delete that
            one first).
    """
    remove_scenario(city, name)


def import_scenario_file(
    city: City, path: str | Path, *, replace: bool = False, name: str = ""
) -> Scenario:
    """Read a scenario file, check it applies to the project, and store it (as ``name`` when
    given, e.g. to keep both).

    Raises:
        InvalidInputError: a bad file, a used name without ``replace``, an unknown base or an
            edit that does not fit the project (the message names the file and the edit).
        CrsError: the file's coordinates are in another CRS than the project's.
    """
    scenario = read_scenario_file(path, city)
    if name:
        scenario = dataclasses.replace(scenario, name=name)
    if scenario.name in city.scenarios and not replace:
        raise refuse(
            "scenario_exists",
            f"the project already has a scenario '{scenario.name}'; rename it or replace it.",
            name=scenario.name,
        )
    try:
        apply_scenario(city, scenario)
    except InvalidInputError as error:
        raise reworded(error, f"{path}: {error}") from None
    store_scenario(city, scenario, replace=replace)
    return scenario


def export_scenario_file(city: City, name: str, path: str | Path) -> Path:
    """Write scenario ``name`` to ``path`` (TOML, with the project's CRS) and return the path.

    Raises:
        InvalidInputError: no such scenario.
        OSError: the file cannot be written.
    """
    return write_scenario_file(scenario_of(city, name), path, crs=city.crs.to_string())


def file_name_for(name: str) -> str:
    """A file name for a scenario: ascii, lower case, dashes.

    Example:
        >>> file_name_for("Densifier le centre")
        'densifier-le-centre.toml'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "scenario"
    return slug + SUFFIX


def _move(city: City, name: str, position: int) -> None:
    """Put scenario ``name`` at ``position`` in ``City.scenarios`` (the list's order)."""
    order = [n for n in city.scenarios if n != name]
    order.insert(position, name)
    items = {n: city.scenarios[n] for n in order}
    city.scenarios.clear()
    city.scenarios.update(items)
