"""What ``twin scenario list|show|apply|export|import|add-file`` do, as functions.

``twin/cli.py`` parses the arguments and prints; the work is here so the app and tests can
run it too. Every failure is a :class:`~twin.errors.TwinError` with one line for the user.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

from scenarios.scenario import Scenario, apply_scenario, scenarios_of, store_scenario
from scenarios.scenario_file import read_scenario_file, write_scenario_file
from twin.city import City
from twin.errors import InvalidInputError, ProjectError
from twin.feedback import Feedback
from twin.project import PROJECT_SUFFIX, load_project, project_path, save_project
from twin.provenance import StoredFile

logger = logging.getLogger(__name__)


def scenario_named(city: City, name: str, where: Path | str = "the project") -> Scenario:
    """The scenario ``name`` of the City.

    Raises:
        InvalidInputError: no such scenario (the message lists those there are).
    """
    scenarios = scenarios_of(city)
    if name not in scenarios:
        known = ", ".join(f"'{n}'" for n in sorted(scenarios)) or "none"
        raise InvalidInputError(
            f"{where} has no scenario '{name}' (its scenarios: {known}); see `twin scenario list`."
        )
    return scenarios[name]


def list_lines(city: City, where: Path | str = "the project") -> list[str]:
    """One line per scenario: name, base, number of edits, first line of the description."""
    scenarios = scenarios_of(city)
    if not scenarios:
        return [f"no scenario in {where}; add one with `twin scenario import {where} FILE.toml`."]
    lines = []
    for name in sorted(scenarios):
        scenario = scenarios[name]
        about = scenario.description.strip().splitlines()[0] if scenario.description else ""
        lines.append(
            f"{name}  (base: {scenario.base}, {len(scenario.edits)} edit(s))"
            + (f"  {about}" if about else "")
        )
    return lines


def show_lines(city: City, name: str, where: Path | str = "the project") -> list[str]:
    """The scenario's name, base, description and numbered edits."""
    scenario = scenario_named(city, name, where)
    lines = [f"scenario: {scenario.name}", f"base: {scenario.base}"]
    if scenario.description:
        lines += ["description:", *(f"  {line}" for line in scenario.description.splitlines())]
    lines.append(f"edits ({len(scenario.edits)}):")
    lines += [f"  {n}. {edit.summary()}" for n, edit in enumerate(scenario.edits, start=1)]
    return lines


def default_output(project: Path, name: str) -> Path:
    """Where ``apply`` writes without ``--save-as``: ``<project>-<scenario>.twin.gpkg``.

    Example:
        >>> default_output(Path("demo/valmont.twin.gpkg"), "Densifier le centre").name
        'valmont-densifier-le-centre.twin.gpkg'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "scenario"
    stem = project.name.removesuffix(PROJECT_SUFFIX).removesuffix(".gpkg")
    return project.with_name(f"{stem}-{slug}{PROJECT_SUFFIX}")


def apply_command(
    project: Path,
    name: str,
    out: Path | None = None,
    *,
    force: bool = False,
    feedback: Feedback | None = None,
) -> list[str]:
    """Apply a scenario of ``project`` and save the result as a new project file.

    Raises:
        ProjectError: the output exists (or is the project itself) and ``force`` is false.
        InvalidInputError: no such scenario, or an edit that does not fit the project.
    """
    path = project_path(project)
    target = project_path(out) if out is not None else default_output(path, name)
    if target.exists() and not force:
        if target.resolve() == path.resolve():
            raise ProjectError(
                f"{target} is the baseline project; choose another --save-as (or add --force "
                "to replace the baseline with the scenario)."
            )
        raise ProjectError(f"{target} exists; choose another --save-as, or add --force.")
    city = load_project(path)
    scenario_named(city, name, path)
    applied = apply_scenario(city, name)
    applied.name = f"{city.name} — {name}" if city.name else name
    save_project(applied, target, feedback=feedback)
    return [f"applied scenario '{name}' to {path}", f"saved {target}"]


def export_command(project: Path, name: str, file: Path) -> list[str]:
    """Write a scenario of ``project`` to a TOML file."""
    path = project_path(project)
    city = load_project(path)
    scenario = scenario_named(city, name, path)
    write_scenario_file(scenario, file, crs=city.crs.to_string())
    return [f"exported scenario '{name}' ({len(scenario.edits)} edit(s)) to {file}"]


def import_command(project: Path, file: Path, *, replace: bool = False) -> list[str]:
    """Add the scenario of a TOML file to ``project``, after checking it applies.

    The scenario is applied once to a copy (nothing is saved if an edit does not fit), then
    stored and the project saved atomically.

    Raises:
        InvalidInputError: a bad file, a name already used (without ``replace``), an unknown
            base, or an edit that does not fit (the message names the file and the edit).
    """
    path = project_path(project)
    city = load_project(path)
    scenario = read_scenario_file(file, city)
    if scenario.name in city.scenarios and not replace:
        raise InvalidInputError(
            f"{path} already has a scenario '{scenario.name}'; rename it in {file} or add "
            "--replace."
        )
    try:
        apply_scenario(city, scenario)
    except InvalidInputError as error:
        raise InvalidInputError(f"{file}: {error}") from None
    store_scenario(city, scenario, replace=replace)
    save_project(city, path)
    return [f"imported scenario '{scenario.name}' ({len(scenario.edits)} edit(s)) into {path}"]


def add_file_command(project: Path, stored: StoredFile, *, replace: bool = False) -> list[str]:
    """Store a building model (checked by the caller's reader) in ``project`` for
    ``place_model`` edits; the same file stored again changes nothing.

    Raises:
        InvalidInputError: another file of that name is stored and ``replace`` is false.
    """
    path = project_path(project)
    city = load_project(path)
    present = city.files.get(stored.name)
    if present is not None and present.sha256 == stored.sha256:
        return [f"{stored.name} is already stored in {path}; nothing to do."]
    if present is not None and not replace:
        raise InvalidInputError(
            f"{path} already stores another {stored.name}; rename the file, or add --replace "
            "(scenarios placing it will then place the new one)."
        )
    city.files[stored.name] = stored
    save_project(city, path)
    return [
        f"stored {stored.name} ({stored.size_bytes / 1024:,.0f} KB) in {path}; place it with a "
        f'place_model edit: file_name = "{stored.name}"'
    ]
