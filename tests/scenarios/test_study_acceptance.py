"""Acceptance of the digital-impact study (issue 8), as a user runs it: for each sample
scenario of the demo project, `twin study` writes the HTML report, and every indicator figure
it prints (the planning table, the figures sourced ``indicator:<name>``) equals what
`twin indicators PROJECT --scenario NAME --level territory --json` gives, every figure sourced
from an assumption equals `twin assumptions PROJECT --json`, each written the French way; the
edits and the assumptions read in French; the A4 PDF of one scenario has every section and no
empty page."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from samples.build import build_sample_project
from scenarios.assumptions import defaults
from scenarios.edit_texts import describe_edit
from scenarios.report.texts import text
from scenarios.report.typography import french_spacing
from scenarios.scenario import scenarios_of
from scenarios.study.model import SECTIONS
from tests.scenarios.test_study_report import plain, poppler
from twin.cli import main
from twin.project import load_project

DENSIFY = "Densifier le centre"
SCENARIOS = (
    DENSIFY,
    "Nouvelle ligne de bus",
    "Rénovation du quartier",
    "Tiers-lieu dans la mairie",
)
NNBSP, NBSP = "\u202f", "\u00a0"
#: A number written the French way: sign, thousands by narrow no-break spaces, decimal comma,
#: then its unit after a no-break space (a narrow one before %).
FRENCH_NUMBER = re.compile(
    rf"^(?P<sign>[+−]?)(?P<whole>\d{{1,3}}(?:{NNBSP}\d{{3}})*)(?:,(?P<decimals>\d+))?"
    rf"(?:[{NBSP}{NNBSP}](?P<unit>\S.*))?$"
)


# -- reading the page back ------------------------------------------------------------------------
@dataclass
class Printed:
    """What a report prints: its figures (key → value, source, text) and its tables
    (table → row → column → (value, text)); values as the page's ``data-value``."""

    figures: list[dict[str, str]] = field(default_factory=list)
    tables: dict[str, dict[str, dict[str, tuple[str, str]]]] = field(default_factory=dict)


class _Reader(HTMLParser):
    """Collects the elements carrying ``data-key`` (figures) and the cells of
    ``data-table`` tables (``data-row`` rows, ``data-column`` cells) with their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.printed = Printed()
        self._table = ""
        self._row = ""
        self._open: list[tuple[str, dict[str, str], list[str]]] = []  # (tag, attrs, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "table":
            self._table = found.get("data-table", "")
        elif tag == "tr":
            self._row = found.get("data-row", "")
        if "data-key" in found or (self._table and self._row and "data-column" in found):
            self._open.append((tag, found, []))

    def handle_data(self, data: str) -> None:
        for _, _, texts in self._open:
            texts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = ""
        if not self._open or self._open[-1][0] != tag:
            return
        _, found, texts = self._open.pop()
        shown = "".join(texts).strip()
        if "data-key" in found:
            self.printed.figures.append({**found, "text": shown})
        else:
            rows = self.printed.tables.setdefault(self._table, {})
            rows.setdefault(self._row, {})[found["data-column"]] = (
                found.get("data-value", ""),
                shown,
            )


def printed(html: str) -> Printed:
    reader = _Reader()
    reader.feed(html)
    return reader.printed


def as_number(raw: Any) -> float:
    """A JSON value or a ``data-value`` as a float (None and ``nan`` as NaN)."""
    return float("nan") if raw is None or raw == "" else float(raw)


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def assert_french(shown: str, value: float, *, signed: bool = False, percent: bool = False) -> None:
    """``shown`` is ``value`` written the French way, rounded to the decimals it shows."""
    if math.isnan(value):
        assert shown == "—", shown
        return
    match = FRENCH_NUMBER.match(shown)
    assert match, f"not a French number: {shown!r}"
    decimals = match["decimals"] or ""
    number = float(match["whole"].replace(NNBSP, "") + ("." + decimals if decimals else ""))
    number = -number if match["sign"] == "−" else number
    expected = 100 * value if percent else value
    assert abs(number - expected) <= 0.5 * 10 ** -len(decimals) + 1e-9 * abs(expected), shown
    if signed and round(expected, len(decimals)) > 0:
        assert match["sign"] == "+", shown


# -- the reports --------------------------------------------------------------------------------
def twin(*argv: str) -> str:
    """`twin ARGV...` through the CLI's own entry point; what it prints (exit status 0)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(argv))
    assert status == 0, argv
    return out.getvalue()


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_project(tmp_path_factory.mktemp("acceptance"))


@pytest.fixture(scope="session")
def reports(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The HTML study of each sample scenario, written by `twin study`."""
    folder = tmp_path_factory.mktemp("studies")
    out = {}
    for number, name in enumerate(SCENARIOS):
        path = folder / f"etude-{number}.html"
        print("\n" + twin("study", str(project), "--scenario", name, "-o", str(path)).strip())
        out[name] = path.read_text(encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def assumptions_json(project: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(twin("assumptions", str(project), "--json"))
    return document


def indicators_json(project: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        twin("indicators", str(project), "--scenario", name, "--level", "territory", "--json")
    )
    return document


def test_the_demo_project_has_the_four_sample_scenarios(project: Path) -> None:
    assert set(scenarios_of(load_project(project))) == set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_indicator_figure_of_the_report_equals_twin_indicators_json(
    project: Path, reports: dict[str, str], name: str
) -> None:
    document = indicators_json(project, name)
    records = {record["indicator"]: record for record in document["values"]}
    page = printed(reports[name])
    table = page.tables["planning_indicators"]
    assert len(table) >= 10 and set(table) <= set(records)
    columns = {"baseline": "baseline", name: name, f"Δ {name}": f"Δ {name}"}
    for indicator, cells in table.items():
        unit = document["indicators"][indicator]["unit"]
        assert set(cells) == set(columns), indicator
        for column in columns:
            raw, shown = cells[column]
            expected = as_number(records[indicator][column])
            assert same(as_number(raw), expected), (indicator, column, raw, expected)
            assert_french(shown, expected, signed=column.startswith("Δ"))
            if unit == "%" and column.startswith("Δ") and expected:
                assert shown.endswith(("point", "points")), shown  # a difference of %
    figures = [f for f in page.figures if f["data-source"].startswith("indicator:")]
    assert len({f["data-key"] for f in figures}) >= 6  # the headline differences
    for figure in figures:
        record = records[figure["data-source"].removeprefix("indicator:")]
        column = f"Δ {name}" if figure["data-key"].endswith("_delta") else name
        expected = as_number(record[column])
        assert same(as_number(figure["data-value"]), expected), figure
        assert_french(figure["text"], expected)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_assumption_the_report_prints_equals_twin_assumptions_json(
    reports: dict[str, str], assumptions_json: dict[str, Any], name: str
) -> None:
    page = printed(reports[name])
    figures = [f for f in page.figures if f["data-source"].startswith("assumption:")]
    assert figures  # the collective value per euro invested, at least
    for figure in figures:
        expected = assumptions_json[figure["data-source"].removeprefix("assumption:")]["value"]
        assert float(figure["data-value"]) == expected, figure
        assert_french(figure["text"], expected)
    table = page.tables["assumptions"]
    assert len(table) > 30
    for key, cells in table.items():
        raw, shown = cells["value"]
        expected = assumptions_json[key]["value"]
        assert json.loads(raw) == expected, key
        if isinstance(expected, list):
            continue
        percent = assumptions_json[key]["unit"] == "share"  # shares are read as percentages
        assert_french(shown, expected, percent=percent)
        assert not percent or shown.endswith(f"{NNBSP}%"), shown


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_french_report_describes_the_edits_and_the_assumptions_in_french(
    project: Path,
    reports: dict[str, str],
    assumptions_json: dict[str, Any],
    name: str,
) -> None:
    page = printed(reports[name])
    edits = scenarios_of(load_project(project))[name].edits
    shown = [cells["description"][1] for cells in page.tables["edits"].values()]
    assert [plain(line) for line in shown] == [plain(describe_edit(e, "fr")) for e in edits]
    for edit, line in zip(edits, shown, strict=True):
        assert plain(line) != plain(edit.summary()), line  # not the English summary
    meanings = {key: cells["meaning"][1] for key, cells in page.tables["assumptions"].items()}
    french = {key: a.meaning_fr for key, a in defaults().items()}
    for key, meaning in meanings.items():
        assert plain(meaning) == plain(french_spacing(french[key])), key
        assert plain(meaning) != plain(assumptions_json[key]["meaning"]), key


# -- the PDF --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pdf(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "etude.pdf"
    print("\n" + twin("study", str(project), "--scenario", DENSIFY, "-o", str(path)).strip())
    return path


def test_the_pdf_of_a_sample_scenario_has_no_empty_page(pdf: Path, tmp_path: Path) -> None:
    from PIL import Image

    subprocess.run([poppler("pdftoppm"), "-r", "40", "-png", pdf, tmp_path / "p"], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) > len(SECTIONS)
    for page in pages:  # ink between the running header and the page number
        grey = np.asarray(Image.open(page).convert("L"), dtype=float)
        body = grey[int(0.08 * len(grey)) : int(0.92 * len(grey))]
        assert (body < 200).mean() > 0.002, f"{page.name} is empty"
    print(f"\n{pdf.name}: {len(pages)} pages, {pdf.stat().st_size / 1e6:.1f} MB")


def test_the_pdf_of_a_sample_scenario_has_every_section_in_french(project: Path, pdf: Path) -> None:
    words = plain(
        subprocess.run(
            [poppler("pdftotext"), "-layout", pdf, "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for key in SECTIONS:
        assert plain(text(f"section.{key}", "fr")) in words, key
    for english in ("building(s)", "floor(s)", "add a 4-storey", "cost of one FTTH premise"):
        assert english not in words  # edits and assumption meanings are in French
    first = scenarios_of(load_project(project))[DENSIFY].edits[0]
    assert plain(french_spacing(describe_edit(first, "fr"))) in words
