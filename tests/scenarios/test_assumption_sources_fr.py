"""The French study report prints every assumption's source in French (``source_fr``), the
English report the English ``source``; a value set locally prints where it comes from, in
French where it has French words, else as it was given, never the default's source alone."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from samples.build import build_sample_project
from scenarios.assumptions import Assumptions, defaults
from scenarios.report.document import study_html
from scenarios.report.tables import assumptions_view
from scenarios.report.typography import french_spacing
from scenarios.study.compute import compute_study
from scenarios.study.model import Study
from tests.scenarios.test_study_acceptance import printed
from tests.scenarios.test_study_report import plain
from twin.city import City
from twin.project import load_project

SCENARIO = "Densifier le centre"
#: Words of the English sources an elected official must not meet in the French report.
ENGLISH = ("no public source found", "an estimate", "to be replaced")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
QUOTED = re.compile(r"«[^»]*»")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> City:
    return load_project(build_sample_project(tmp_path_factory.mktemp("sources_fr")))


@pytest.fixture(scope="module")
def study(baseline: City) -> Study:
    return compute_study(baseline, SCENARIO, assumptions=defaults())


def printed_sources(html: str) -> dict[str, str]:
    """The source column of the report's assumptions table: key → text, spaces made plain."""
    table = printed(html).tables["assumptions"]
    return {key: plain(cells["source"][1]) for key, cells in table.items()}


def test_every_shipped_assumption_has_a_french_source_of_its_own() -> None:
    for key, a in defaults().items():
        assert a.source_fr and a.source_fr != a.source, key
        assert a.source_in("fr") == a.source_fr and a.source_in("en") == a.source, key
        if a.is_estimate:
            assert "estimation" in a.source_fr, key
        for english in ENGLISH:
            assert english not in a.source_fr, key


def test_the_french_sources_keep_the_quoted_words_and_the_years_as_read() -> None:
    for key, a in defaults().items():
        for quoted in QUOTED.findall(a.source):
            assert quoted in a.source_fr, (key, quoted)
        assert set(YEAR.findall(a.source)) <= set(YEAR.findall(a.source_fr)), key


def test_the_french_report_prints_the_french_source_of_every_assumption(study: Study) -> None:
    html = study_html(study, "fr")
    shown = printed_sources(html)
    shipped = defaults()
    assert {shipped[key].status for key in shown} == {"sourced", "estimate"}
    for key, source in shown.items():
        assert source == plain(french_spacing(shipped[key].source_fr)), key
    assert "forfait de 250 €" in shown["fibre.final_connection_eur"]  # a sourced value
    assert shown["smart.lorawan_gateway_eur"].startswith("aucune source publique trouvée")
    for english in ENGLISH:
        assert english not in html, english


def test_the_english_report_still_prints_the_english_sources(study: Study) -> None:
    shown = printed_sources(study_html(study, "en"))
    for key, source in shown.items():
        assert source == plain(defaults()[key].source), key
    assert shown["smart.lorawan_gateway_eur"].startswith("no public source found")


def test_a_local_value_prints_its_own_source_in_the_french_report(baseline: City) -> None:
    local = defaults().with_overrides({"fibre.trench_eur_per_m": 85}, source="Mairie")
    own = replace(
        local["fibre.final_connection_eur"],
        value=300.0,
        status="local",
        source="Town survey, 2024: 300 € per dwelling",
        source_fr="",  # no French words: the report prints the source as given
    )
    assumptions = Assumptions({**local, own.key: own})
    shown = printed_sources(
        study_html(compute_study(baseline, SCENARIO, assumptions=assumptions), "fr")
    )
    assert shown[own.key] == plain(french_spacing(own.source))
    trench = defaults()["fibre.trench_eur_per_m"]
    assert shown[trench.key].startswith("Mairie (par défaut : 70 €/m, ")
    assert shown[trench.key] != plain(french_spacing(trench.source_fr))  # not the default's alone
    assert plain(french_spacing(trench.source_fr)) in shown[trench.key]


def test_the_plain_assumptions_table_prints_shipped_sources_in_french() -> None:
    shipped = defaults()["fibre.final_connection_eur"]
    study = Study(
        project="Valmont",
        scenario=SCENARIO,
        compare="baseline",
        sections={},  # no methods table: the report prints the plain assumptions table
        assumptions={
            shipped.key: (shipped.value, shipped.unit, shipped.source, shipped.status),
            "people.persons_per_household": (2.3, "personnes/ménage", "Town survey", "local"),
        },
        generated="2025-11-22",
    )
    french, english = assumptions_view(study, "fr"), assumptions_view(study, "en")
    assert french is not None and english is not None
    assert [plain(row[3]) for row in french.rows] == [
        plain(french_spacing(shipped.source_fr)),
        "Town survey",
    ]
    assert [row[3] for row in english.rows] == [shipped.source, "Town survey"]
