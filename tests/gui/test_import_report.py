"""The import report: structured from the result, written in French or English, every issue
code the importers emit explained in both languages."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from gui.i18n import Translator, translator
from gui.import_report import ISSUE_SUFFIXES, explain_issue, file_report, format_report
from gui.strings import TABLES
from importers.base import ImportResult
from importers.merge import MergeReport
from twin.issues import Issue, Severity
from twin.provenance import ProvenanceRecord

IMPORTERS = Path(__file__).resolve().parents[2] / "importers"


def _code_parameters(trees: list[ast.Module]) -> dict[str, int]:
    """Functions of importers/ taking a ``code`` parameter, and its position."""
    found = {"Issue": 1}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [arg.arg for arg in node.args.args]
                if "code" in names:
                    found[node.name] = names.index("code")
    return found


def issue_codes_in_importers() -> tuple[set[str], set[str]]:
    """(literal codes, literal tails of f-string codes such as ``_out_of_range``) passed to
    ``Issue(...)`` or to a helper's ``code`` parameter anywhere in importers/."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in IMPORTERS.glob("*.py")]
    helpers = _code_parameters(trees)
    literal: set[str] = set()
    tails: set[str] = set()
    for node in (n for tree in trees for n in ast.walk(tree)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in helpers:
            continue
        position = helpers[name]
        given = [k.value for k in node.keywords if k.arg == "code"]
        argument = node.args[position] if len(node.args) > position else (given or [None])[0]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            literal.add(argument.value)
        elif isinstance(argument, ast.JoinedStr):
            last = argument.values[-1]
            assert isinstance(last, ast.Constant), ast.unparse(argument)
            tails.add(str(last.value))
    return literal, tails


def test_the_importers_issue_codes_are_found() -> None:
    literal, tails = issue_codes_in_importers()
    assert {"invalid_geometry", "height_unusable", "incomplete_way", "duplicate_id"} <= literal
    assert "_out_of_range" in tails and len(literal) >= 30


def test_every_issue_code_of_the_importers_is_explained_in_french_and_english() -> None:
    literal, tails = issue_codes_in_importers()
    for language in ("fr", "en"):
        missing = sorted(code for code in literal if f"issue.{code}" not in TABLES[language])
        assert missing == [], f"issue codes without a {language} explanation"
    for tail in tails:
        suffix = tail.removeprefix("_")
        assert suffix in ISSUE_SUFFIXES, f"codes ending in {tail} have no explanation"
        for language in ("fr", "en"):
            assert f"issue.suffix.{suffix}" in TABLES[language]


@pytest.fixture
def english() -> Iterator[Translator]:
    translator().set_language("en")
    yield translator()
    translator().set_language("fr")


def test_codes_made_from_a_column_and_unknown_codes_still_read_as_sentences(
    english: Translator,
) -> None:
    assert explain_issue("floors_out_of_range") == (
        "value of 'floors' outside its allowed range, left empty"
    )
    assert explain_issue("brand_new_code") == "problem 'brand_new_code' (see the detail)"
    english.set_language("fr")
    assert explain_issue("brand_new_code") == "problème « brand_new_code » (voir le détail)"
    assert explain_issue("lanes_unparseable") == "valeur de « lanes » illisible, laissée vide"


def sample_result() -> ImportResult:
    frame = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "height_source": ["measured", "measured", "floors", "use_default"],
        },
        geometry=[box(i, 0, i + 1, 1) for i in range(4)],
        crs=2154,
    )
    issues = [
        Issue(Severity.INFO, "height_unusable", "height 0 m", "bati.shp", f"x{i}") for i in (1, 2)
    ]
    issues += [Issue(Severity.ERROR, "duplicate_id", "id again", "bati.shp", "x9")]
    issues += [Issue(Severity.WARNING, "mystery", "odd", "bati.shp")]
    record = ProvenanceRecord("bati.shp", "bdtopo", "2026-11-21T00:00:00+00:00", "")
    return ImportResult(layers={"buildings": frame}, issues=issues, provenance=record)


def test_the_report_groups_issues_by_code_errors_first_with_examples() -> None:
    merge = MergeReport(added={"buildings": 3}, replaced={"buildings": 1}, linked={"buildings": 4})
    report = file_report(sample_result(), merge)
    assert [(g.code, g.count) for g in report.issues] == [
        ("duplicate_id", 1),
        ("mystery", 1),
        ("height_unusable", 2),
    ]
    assert report.issues[2].examples == ("x1", "x2")
    assert dict(report.height_sources) == {"measured": 2, "floors": 1, "use_default": 1}
    assert (report.layers[0].read, report.layers[0].added, report.layers[0].replaced) == (4, 3, 1)


def test_the_report_reads_in_french_then_in_english(english: Translator) -> None:
    merge = MergeReport(added={"buildings": 3}, replaced={"buildings": 1}, linked={"buildings": 4})
    report = file_report(sample_result(), merge)
    text = format_report([report])
    assert "Buildings: 4 read, 3 added, 1 replaced" in text
    assert "Where heights come from: measured 2, floors × storey height 1" in text
    assert "Error (feature left out) — identifier already used, feature left out" in text
    english.set_language("fr")
    text = format_report([report])
    assert text.splitlines()[0] == (
        "bati.shp — lu par l'importeur « bdtopo » : BD TOPO v3 de l'IGN (bâtiments, tronçons de "
        "route, communes)"
    )
    assert "Bâtiments : 4 lu(s), 3 ajouté(s), 1 remplacé(s)" in text
    assert "Bâtiments : 4 rattaché(s) à leur parent par recouvrement" in text
    assert "Problèmes relevés (4) :" in text
    assert (
        "Erreur (entité écartée) — identifiant déjà utilisé, entité écartée [duplicate_id]" in text
    )
    assert "Avertissement — problème « mystery » (voir le détail) [mystery] × 1" in text
    assert "exemples : x1, x2" in text and "détail de la source : height 0 m" in text
