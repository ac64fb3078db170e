"""``compute_study``: a digital-impact study of one scenario against the baseline (or another
scenario), every section of :data:`~scenarios.study.model.SECTIONS` filled.

The scenario (and the compared one) are applied to the baseline copy-on-write; what changed is
read by comparing the Cities (:mod:`~scenarios.study.changes`); the site, the initial digital
state, premises, ducts, equipment, costs, energy and monitoring come from their modules; the
planning indicators from the indicator engine, as ``twin indicators`` computes them. Nothing is
rendered here. Bad input (an unknown scenario, no buildings, a missing assumption) is one
:class:`~twin.errors.TwinError` line; missing optional data (digital assets, roads, parcels)
gives NaN figures with a note.
"""

from __future__ import annotations

import datetime
import logging
import time

import pandas as pd

from scenarios.assumptions import Assumptions, project_assumptions
from scenarios.edits.refusals import refuse
from scenarios.indicators.engine import IndicatorEngine, load_indicators, spec_of
from scenarios.scenario import BASELINE, apply_scenario, scenario_chain, scenarios_of
from scenarios.study.assumption_log import AssumptionLog
from scenarios.study.changes import scenario_changes
from scenarios.study.effects import analyse
from scenarios.study.initial_state import digital_state, initial_state_section
from scenarios.study.model import SECTIONS, Figure, Section, Study, Table
from scenarios.study.planning import (
    planning_comparison,
    planning_figures,
    planning_names,
    planning_table,
)
from scenarios.study.premises import BUILDING_INDICATORS
from scenarios.study.sections import (
    costs_section,
    effects_section,
    measures_section,
    methods_section,
    monitoring_section,
    summary_section,
)
from scenarios.study.site import Site, site_paragraph, study_site
from twin.city import City

logger = logging.getLogger(__name__)


def compute_study(
    baseline: City,
    scenario_name: str,
    compare: str = BASELINE,
    assumptions: Assumptions | None = None,
) -> Study:
    """The digital-impact study of ``scenario_name`` against ``compare`` (``baseline`` or
    another scenario), with ``assumptions`` (default: the project's, see
    :func:`~scenarios.assumptions.project_assumptions`).

    Raises:
        InvalidInputError: an unknown scenario (the message lists the project's), a scenario
            compared with itself, no buildings layer, an edit that no longer fits, or a
            missing assumption.
    """
    started = time.perf_counter()
    if assumptions is None:  # the project's own values where it overrides the defaults
        assumptions = project_assumptions(baseline)
    log = AssumptionLog(assumptions)
    _check_names(baseline, scenario_name, compare)
    before = (
        baseline
        if compare == BASELINE
        else apply_scenario(baseline, compare, assumptions=assumptions)
    )
    after = apply_scenario(baseline, scenario_name, assumptions=assumptions)
    changes = scenario_changes(before, after)
    site = study_site(before, after, changes, log.value("study.site_buffer_m"))
    load_indicators()
    engines = (
        IndicatorEngine(
            before, baseline=None if before is baseline else baseline, assumptions=assumptions
        ),
        IndicatorEngine(after, baseline=baseline, assumptions=assumptions),
    )
    try:
        comparison = planning_comparison(*engines, compare, scenario_name)
        values = [_building_values(engine) for engine in engines]
    finally:
        for engine in engines:
            engine.close()
    for name in [*planning_names(), *BUILDING_INDICATORS]:
        if name in load_indicators():
            log.touch(spec_of(name).assumptions)
    radius = log.value("mobile.cell_radius_rural_m" if site.rural else "mobile.cell_radius_dense_m")
    state = digital_state(before, site, radius)
    analysis = analyse(before, after, changes, site, values[0], values[1], log)
    initial = initial_state_section(state, site, _site_figures(site))
    initial.paragraphs.insert(0, site_paragraph(site, changes))
    sections = {
        "project": _project_section(baseline, scenario_name, compare, comparison),
        "initial_state": initial,
        "effects": effects_section(analysis),
        "measures": measures_section(analysis),
        "costs_benefits": costs_section(analysis),
    }
    figures = {f.key: f for section in sections.values() for f in section.figures}
    sections["monitoring"] = monitoring_section({key: f.value for key, f in figures.items()}, log)
    log.touch(key for f in figures.values() for key in f.inputs)  # the methods list them all
    sections["methods"] = methods_section(analysis, log)
    sections["summary"] = summary_section(figures, scenario_name, compare, len(changes.studied_ids))
    study = Study(
        project=baseline.name,
        scenario=scenario_name,
        compare=compare,
        sections={key: sections[key] for key in SECTIONS},
        assumptions=log.used(),
        generated=datetime.date.today().isoformat(),
    )
    logger.info(
        "study of '%s' vs '%s' computed in %.2f s",
        scenario_name,
        compare,
        time.perf_counter() - started,
    )
    return study


def _check_names(baseline: City, scenario: str, compare: str) -> None:
    """Refuse unknown scenarios, a scenario compared with itself, and broken bases."""
    known = scenarios_of(baseline)
    listed = ", ".join(f"'{name}'" for name in sorted(known)) or "none"
    for name, what in ((scenario, "scenario"), (compare, "scenario to compare with")):
        if name == BASELINE and what != "scenario":
            continue
        if name not in known:
            raise refuse(
                "study_scenario_unknown",
                f"no {what} named '{name}' in the project (its scenarios: {listed}); see "
                "`twin scenario list`.",
                name=name,
                known=sorted(known),
            )
        scenario_chain(name, known)
    if scenario == compare:
        raise refuse(
            "study_compare_self",
            f"the study compares scenario '{scenario}' with itself; give another --compare "
            "(default: baseline).",
            name=scenario,
        )


def _building_values(engine: IndicatorEngine) -> pd.DataFrame:
    """The building indicators the study reads (NaN for any not registered)."""
    registered = load_indicators()
    index = engine.city.layer("buildings")["id"].astype(str)
    columns = {
        name: engine.values(name) if name in registered else pd.Series(float("nan"), index)
        for name in BUILDING_INDICATORS
    }
    return pd.DataFrame(columns)


def _project_section(baseline: City, scenario: str, compare: str, comparison: object) -> Section:
    """The scenario, its edits (its bases' first) and the planning indicators."""
    known = scenarios_of(baseline)
    chain = scenario_chain(scenario, known)
    rows = [  # the edits themselves: the report describes them in its language
        (step.name, number, edit)
        for step in chain
        for number, edit in enumerate(step.edits, start=1)
    ]
    edits = pd.DataFrame(rows, columns=["scenario", "number", "description"])
    target = known[scenario]
    section = Section("project")
    if target.description:
        section.paragraphs.append(("project.description", {"description": target.description}))
    section.paragraphs += [
        ("project.edits", {"scenario": scenario, "count": float(len(rows))}),
        ("project.indicators", {"compare": compare}),
    ]
    section.figures.append(Figure("edits_count", float(len(rows)), "edits", "model:scenarios"))
    section.figures += planning_figures(comparison, scenario)  # type: ignore[arg-type]
    section.tables += [planning_table(comparison), Table("edits", edits)]  # type: ignore[arg-type]
    return section


def _site_figures(site: Site) -> list[Figure]:
    """Area of the site and the parcels it is made of."""
    return [
        Figure(
            "site_area_ha", site.area_ha, "ha", "computed", ("model:parcels", "study.site_buffer_m")
        ),
        Figure("site_parcels", float(len(site.parcel_ids)), "parcels", "model:parcels"),
    ]
