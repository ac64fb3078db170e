"""Scenarios: a name, a description, a base and ordered edits, kept in the project.

A scenario builds on the baseline (the project as imported) or on another scenario, so
"densify the centre + a new bus line" can reuse "densify the centre". Applying one is
copy-on-write: the result is a new City sharing every frame its edits leave alone
(:meth:`City.copy` with ``share_layers``); the baseline is never touched. Scenarios are kept
in ``City.scenarios`` as JSON-able dicts (the project's ``twin_scenarios`` table):
``{"name", "description", "base", "edits": [{"kind": ..., field: value}, ...]}``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from scenarios.assumptions import Assumptions, project_assumptions
from scenarios.change import Change, run_edit
from scenarios.edits import Edit, edit_from_dict
from scenarios.edits.refusals import refuse
from twin.city import City
from twin.errors import InvalidInputError

logger = logging.getLogger(__name__)

BASELINE = "baseline"
MAX_NAME_LENGTH = 100


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A planning scenario.

    Attributes:
        name: unique in the project ("Densifier le centre"); not "baseline".
        description: what it is for, in the planner's words.
        base: "baseline" or the name of the scenario it builds on.
        edits: the edits, applied in order after the base's.
    """

    name: str
    description: str = ""
    base: str = BASELINE
    edits: tuple[Edit, ...] = ()

    def __post_init__(self) -> None:
        check_name(self.name)
        if not self.base.strip():
            raise refuse(
                "scenario_base_empty",
                f"scenario '{self.name}': the base is empty; give 'baseline' or a scenario name.",
                name=self.name,
            )
        if self.base == self.name:
            raise refuse(
                "scenario_self_based",
                f"scenario '{self.name}' cannot be based on itself.",
                name=self.name,
            )
        object.__setattr__(self, "edits", tuple(self.edits))

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form stored in ``City.scenarios``."""
        return {
            "name": self.name,
            "description": self.description,
            "base": self.base,
            "edits": [edit.to_dict() for edit in self.edits],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "") -> Scenario:
        """Read :meth:`to_dict`'s form.

        Raises:
            InvalidInputError: a missing name, edits that are not a list, or a bad edit; the
                message names the scenario and the edit number (from 1).
        """
        where = where or f"scenario '{data.get('name', '?')}'"
        unknown = sorted(set(data) - {"name", "description", "base", "edits"})
        if unknown:
            raise InvalidInputError(
                f"{where}: unknown key '{unknown[0]}'; a scenario has name, description, base "
                "and edits."
            )
        name, description, base = data.get("name"), data.get("description", ""), data.get("base")
        for key, value in (("name", name), ("description", description), ("base", base)):
            if value is not None and not isinstance(value, str):
                raise InvalidInputError(f"{where}: '{key}' must be text, not {value!r}.")
        if not name:
            raise InvalidInputError(f"{where}: the scenario has no name; give one.")
        raw_edits = data.get("edits", [])
        if not isinstance(raw_edits, list):
            raise InvalidInputError(f"{where}: 'edits' must be a list of edits.")
        edits = tuple(
            edit_from_dict(raw, f"{where}, edit {number}")
            for number, raw in enumerate(raw_edits, start=1)
        )
        return cls(str(name), str(description or ""), str(base or BASELINE), edits)

    def with_edits(self, edits: Sequence[Edit]) -> Scenario:
        """The same scenario with other edits."""
        return dataclasses.replace(self, edits=tuple(edits))


def check_name(name: str) -> None:
    """Refuse an empty, reserved, multi-line or over-long scenario name."""
    if not isinstance(name, str) or not name.strip():
        raise refuse(
            "scenario_name_missing",
            "a scenario needs a name; give one (e.g. 'Densifier le centre').",
        )
    if name.strip().casefold() == BASELINE:
        raise refuse(
            "scenario_name_baseline",
            "'baseline' is the project as imported; name the scenario else.",
        )
    if "\n" in name or len(name) > MAX_NAME_LENGTH:
        raise refuse(
            "scenario_name_long",
            f"scenario name '{name[:40]}...' must be one line of at most {MAX_NAME_LENGTH} "
            "characters; put the details in the description.",
            name=name[:40],
            max=MAX_NAME_LENGTH,
        )


# -- kept in the project ------------------------------------------------------------------
def scenarios_of(city: City) -> dict[str, Scenario]:
    """The City's scenarios, by name.

    Raises:
        InvalidInputError: a stored scenario cannot be read (named in the message).
    """
    return {
        name: Scenario.from_dict(data, f"scenario '{name}' of the project")
        for name, data in city.scenarios.items()
    }


def store_scenario(city: City, scenario: Scenario, *, replace: bool = False) -> None:
    """Keep ``scenario`` in ``City.scenarios`` (saved with the project).

    Raises:
        InvalidInputError: a scenario of that name exists and ``replace`` is false, or its
            base is not in the project, or the bases would make a cycle.
    """
    if scenario.name in city.scenarios and not replace:
        raise refuse(
            "scenario_exists",
            f"the project already has a scenario '{scenario.name}'; choose another name or "
            "replace it.",
            name=scenario.name,
        )
    others = {**scenarios_of(city), scenario.name: scenario}
    scenario_chain(scenario.name, others)
    city.scenarios[scenario.name] = scenario.to_dict()
    logger.info("scenario '%s' stored (%d edits)", scenario.name, len(scenario.edits))


def remove_scenario(city: City, name: str) -> None:
    """Remove a scenario from ``City.scenarios``.

    Raises:
        InvalidInputError: no such scenario, or another is based on it.
    """
    if name not in city.scenarios:
        raise refuse(
            "scenario_unknown",
            f"the project has no scenario '{name}'.",
            name=name,
            known=sorted(city.scenarios),
        )
    children = [n for n, s in scenarios_of(city).items() if s.base == name]
    if children:
        raise refuse(
            "scenario_has_children",
            f"scenario '{children[0]}' is based on '{name}'; remove or rebase it first.",
            name=name,
            child=children[0],
        )
    del city.scenarios[name]


# -- applying -------------------------------------------------------------------------------
def scenario_chain(name: str, scenarios: Mapping[str, Scenario]) -> list[Scenario]:
    """The scenario and its bases, the one built on the baseline first.

    Raises:
        InvalidInputError: an unknown scenario or base, or bases that make a cycle.

    Example:
        >>> a, b = Scenario("A"), Scenario("B", base="A")
        >>> [s.name for s in scenario_chain("B", {"A": a, "B": b})]
        ['A', 'B']
    """
    chain: list[Scenario] = []
    seen: list[str] = []
    current = name
    while current != BASELINE:
        if current in seen:
            loop = " → ".join([*seen[seen.index(current) :], current])
            raise refuse(
                "scenario_cycle",
                f"scenario bases make a cycle ({loop}); rebase one of them.",
                loop=loop,
            )
        scenario = scenarios.get(current)
        if scenario is None:
            known = ", ".join(sorted(scenarios)) or "none"
            what = f"scenario '{current}'" + (f" (the base of '{seen[-1]}')" if seen else "")
            message = f"the project has no {what}; its scenarios: {known}."
            if seen:
                raise refuse(
                    "scenario_base_unknown",
                    message,
                    name=current,
                    child=seen[-1],
                    known=sorted(scenarios),
                )
            raise refuse("scenario_unknown", message, name=current, known=sorted(scenarios))
        seen.append(current)
        chain.append(scenario)
        current = scenario.base
    return chain[::-1]


def apply_edits(
    city: City,
    edits: Sequence[Edit],
    *,
    assumptions: Assumptions | None = None,
    where: str = "",
) -> list[Change]:
    """Run ``edits`` on ``city`` in order and return their Changes.

    Raises:
        InvalidInputError: an edit does not fit; the message names ``where`` and the edit
            number (from 1). Edits before it stay applied.
    """
    changes = []
    for number, edit in enumerate(edits, start=1):
        try:
            changes.append(run_edit(city, edit, assumptions))
        except InvalidInputError as error:
            prefix = f"{where}, edit {number}" if where else f"edit {number}"
            raise refuse(
                "edit_failed",
                f"{prefix} ({edit.kind}): {error}",
                where=where,
                number=number,
                edit=edit,
                cause=error,
            ) from None
    return changes


def apply_scenario(
    baseline: City,
    scenario: Scenario | str,
    scenarios: Mapping[str, Scenario] | None = None,
    *,
    assumptions: Assumptions | None = None,
) -> City:
    """A new City: the baseline with the scenario's bases' edits, then its own, applied.

    The result shares every frame its edits leave alone with ``baseline``, which is never
    changed. ``scenarios`` resolves the bases (default: the baseline's own scenarios); the
    result's metadata says which scenario it shows (``metadata["scenario"]``).

    Raises:
        InvalidInputError: an unknown base, a cycle of bases, or an edit that does not fit
            (named: scenario, edit number, kind).
    """
    known = dict(scenarios_of(baseline) if scenarios is None else scenarios)
    if isinstance(scenario, Scenario):
        known[scenario.name] = scenario
        name = scenario.name
    else:
        name = scenario
    chain = scenario_chain(name, known)
    if assumptions is None:  # the project's own values, where it overrides the defaults
        assumptions = project_assumptions(baseline)
    city = baseline.copy(share_layers=True)
    for step in chain:
        apply_edits(city, step.edits, assumptions=assumptions, where=f"scenario '{step.name}'")
    city.metadata["scenario"] = name
    logger.info("applied scenario '%s' (%d edits)", name, sum(len(step.edits) for step in chain))
    return city
