"""What ``twin study PROJECT --scenario NAME [--compare OTHER] -o FILE.html|FILE.pdf
[--lang fr|en] [--assumptions FILE.toml]`` does.

Every input is checked before the work starts (output suffix and folder, language, scenario
names), the study is computed (:func:`scenarios.study.compute.compute_study`), both states are
built for the 3D views and maps, and the file is written atomically. Every failure is one
:class:`~twin.errors.TwinError` line; nothing is left half-written.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from scenarios.assumptions import Assumptions, project_assumptions, read_overrides
from scenarios.commands import scenario_named
from scenarios.edits.refusals import refuse
from scenarios.report.output import check_output, output_format, write_study
from scenarios.report.typography import check_lang
from scenarios.report.views import StudyCities
from scenarios.scenario import BASELINE, apply_scenario
from scenarios.study.model import Study
from twin.city import City
from twin.errors import InvalidInputError, TwinError
from twin.project import load_project

logger = logging.getLogger(__name__)


def study_command(
    project: Path,
    scenario: str,
    output: Path,
    *,
    compare: str = BASELINE,
    lang: str = "fr",
    assumptions_file: Path | None = None,
) -> list[str]:
    """Write the study of ``scenario`` against ``compare`` to ``output``; the lines to print."""
    started = time.perf_counter()
    fmt = output_format(output)
    check_lang(lang)
    check_output(output)
    baseline = load_project(project)
    assumptions = stored_assumptions(baseline, project)  # the project's values, then the file's
    if assumptions_file is not None:
        assumptions = assumptions.with_overrides(
            read_overrides(assumptions_file), source=str(assumptions_file)
        )
    scenario_named(baseline, scenario, project)
    if compare != BASELINE:
        scenario_named(baseline, compare, project)
    if compare == scenario:
        raise refuse(
            "study_compare_self",
            f"--compare {compare}: a scenario cannot be compared with itself; compare it with "
            "'baseline' or another scenario.",
            name=compare,
        )
    study = compute(baseline, scenario, compare, assumptions)
    cities = study_cities(baseline, scenario, compare, assumptions)
    write_study(study, output, lang=lang, cities=cities)
    seconds = time.perf_counter() - started
    size_mb = output.stat().st_size / 1e6
    return [
        f"wrote {output} ({fmt.upper()}, {size_mb:.1f} MB, {len(study.sections)} sections, "
        f"{seconds:.1f} s)"
    ]


def stored_assumptions(baseline: City, project: Path) -> Assumptions:
    """The project's assumptions (the defaults with its own values).

    Raises:
        InvalidInputError: the project stores a value for an unknown key, or one that is not
            a number: one line naming the project and how to reset it.
    """
    try:
        return project_assumptions(baseline)
    except InvalidInputError as error:
        what = str(error).removeprefix("projet: ").rstrip(".")
        raise InvalidInputError(
            f"{project} stores a wrong assumption value ({what}); reset the project's values "
            f"with `twin assumptions {project} --reset-all`, then set them again with --set."
        ) from None


def compute(baseline: City, scenario: str, compare: str, assumptions: Assumptions) -> Study:
    """The study, from the computation module (imported here: it is the heavy part)."""
    try:
        from scenarios.study.compute import compute_study
    except ModuleNotFoundError as error:
        if error.name != "scenarios.study.compute":
            raise
        raise TwinError(
            "this version of urban-twin cannot compute studies yet (scenarios/study/compute.py "
            "is missing); update urban-twin."
        ) from None
    return compute_study(baseline, scenario, compare=compare, assumptions=assumptions)


def study_cities(
    baseline: City, scenario: str, compare: str, assumptions: Assumptions | None = None
) -> StudyCities:
    """Both states the report shows: ``compare`` (the baseline or a scenario) and ``scenario``."""
    before = (
        baseline
        if compare == BASELINE
        else apply_scenario(baseline, compare, assumptions=assumptions)
    )
    after = apply_scenario(baseline, scenario, assumptions=assumptions)
    return StudyCities(before, after, compare, scenario)
