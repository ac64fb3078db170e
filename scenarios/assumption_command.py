"""``twin assumptions PROJECT``: list the values a project uses, and set or reset its own."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

from scenarios.assumptions import (
    PROJECT_KEY,
    Assumptions,
    project_assumptions,
    read_overrides,
    set_project_assumptions,
)
from twin.errors import InvalidInputError
from twin.project import load_project, save_project

logger = logging.getLogger(__name__)


def assumptions_command(
    project: Path,
    *,
    set_pairs: Sequence[str] = (),
    from_file: Path | None = None,
    reset: Sequence[str] = (),
    reset_all: bool = False,
    as_json: bool = False,
) -> str:
    """Change the project's assumptions if asked (saved atomically), then list them all.

    ``set_pairs`` are ``KEY=VALUE`` texts; ``from_file`` a TOML overrides file; ``reset``
    keys go back to their default. Every change is checked before the project is written.

    Raises:
        InvalidInputError: a pair not written KEY=VALUE, an unknown key, a bad value.
    """
    city = load_project(project)
    overrides = {} if reset_all else dict(city.metadata.get(PROJECT_KEY) or {})
    for key in reset:
        if key not in project_assumptions(city):
            raise InvalidInputError(f"--reset {key}: no such assumption; see `twin assumptions`.")
        overrides.pop(key, None)
    if from_file is not None:
        overrides.update(read_overrides(from_file))
    overrides.update(parse_pairs(set_pairs))
    changed = bool(set_pairs or from_file or reset or reset_all)
    if changed:
        assumptions = set_project_assumptions(city, overrides)
        save_project(city, project)
        logger.info("saved %d local assumption(s) in %s", len(overrides), project)
    else:
        assumptions = project_assumptions(city)
    return assumptions_json(assumptions) if as_json else assumptions_text(assumptions)


def parse_pairs(pairs: Sequence[str]) -> dict[str, str]:
    """``["fibre.trench_eur_per_m=85"]`` → ``{"fibre.trench_eur_per_m": "85"}``.

    Example:
        >>> parse_pairs(["people.persons_per_household = 2,1"])
        {'people.persons_per_household': '2,1'}
    """
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InvalidInputError(
                f"--set '{pair}': write KEY=VALUE, e.g. --set fibre.trench_eur_per_m=85."
            )
        out[key.strip()] = value.strip()
    return out


def assumptions_text(assumptions: Assumptions) -> str:
    """One line per assumption: key, value and unit, status, source."""
    lines = []
    for key in sorted(assumptions):
        a = assumptions[key]
        value = a.value if not isinstance(a.value, tuple) else list(a.value)
        lines.append(f"{key} = {value} {a.unit}  [{a.status}]  {a.source}")
    return "\n".join(lines)


def assumptions_json(assumptions: Assumptions) -> str:
    """The assumptions as JSON: key → value, unit, status, source, year, meaning."""
    data = {
        key: {
            "value": list(a.value) if isinstance(a.value, tuple) else a.value,
            "unit": a.unit,
            "status": a.status,
            "source": a.source,
            "year": a.year,
            "meaning": a.meaning,
        }
        for key, a in sorted(assumptions.items())
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
