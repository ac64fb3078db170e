"""The digital-impact study's report: a hand-made Study of the sample town rendered to one
self-contained HTML page (French typography, the interactive 3D view inside) and to an A4 PDF
(looked at page by page with poppler), in French and English; `twin study` refuses bad input
with one line and never leaves a half-written file."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from samples.build import build_sample_project
from scenarios.report.document import study_html
from scenarios.report.maps import frame_box, map_uri, scale_length_m
from scenarios.report.output import write_atomically, write_study
from scenarios.report.texts import TEXTS, number_text, text
from scenarios.report.typography import NBSP, NNBSP, french_spacing
from scenarios.report.views import NEW_COLOUR, REMOVED_COLOUR, StudyCities, building_changes
from scenarios.scenario import apply_scenario, scenarios_of
from scenarios.study.model import SECTIONS, Figure, MapLayer, Section
from tests.scenarios.study_sample import hand_made_study, network_layers
from twin.cli import main
from twin.errors import InvalidInputError
from twin.project import load_project
from twin.snapshot import building_colours

SCENARIO = "Densifier le centre"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_project(tmp_path_factory.mktemp("study_report"))


@pytest.fixture(scope="module")
def cities(project: Path) -> StudyCities:
    baseline = load_project(project)
    return StudyCities(baseline, apply_scenario(baseline, SCENARIO), "baseline", SCENARIO)


@pytest.fixture(scope="module")
def html_fr(cities: StudyCities) -> str:
    return study_html(hand_made_study(cities.after), "fr", cities=cities)


@pytest.fixture(scope="module")
def pdf_fr(cities: StudyCities, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "etude.pdf"
    return write_study(hand_made_study(cities.after), path, lang="fr", cities=cities)


def poppler(tool: str) -> str:
    """A poppler tool (pdftoppm, pdftotext, pdfinfo); skip without it, fail in CI."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (poppler-utils) is missing: .ci/setup installs it")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return found


def plain(words: str) -> str:
    """Spaces of any kind as one space (pdftotext and HTML differ in which they keep)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", words).strip()


# -- HTML ---------------------------------------------------------------------------------------
def test_the_html_has_every_section_title_in_order(html_fr: str) -> None:
    positions = [html_fr.find(f">{text(f'section.{key}', 'fr')}</h2>") for key in SECTIONS]
    assert all(position > 0 for position in positions), positions
    assert positions == sorted(positions)


def test_numbers_and_punctuation_follow_french_typography(html_fr: str) -> None:
    assert f"1{NNBSP}250,5{NBSP}m" in html_fr  # duct length 1250.54 m
    assert f"112{NNBSP}549{NBSP}€" in html_fr  # the saving, euros after the number
    assert f"87,5{NNBSP}%" in html_fr
    assert f"Mesures{NNBSP}: éviter" in html_fr
    assert f"«{NNBSP}Densifier le centre{NNBSP}»" in html_fr
    assert "1,250.5" not in html_fr and "1 250,5" not in html_fr  # no comma, no plain space


def test_every_figure_of_the_study_appears_with_its_formatted_value(
    html_fr: str, cities: StudyCities
) -> None:
    for figure in hand_made_study(cities.after).all_figures():
        assert number_text(figure.value, figure.unit, "fr") in html_fr, figure.key


def test_the_html_is_self_contained(html_fr: str) -> None:
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"https?:", html_fr)
    sources = re.findall(r"<img [^>]*src=\"([^\"]+)\"", html_fr)
    assert len(sources) >= 2 + 2 + 2  # two 3D views, two charts, two maps
    assert all(source.startswith("data:image/") for source in sources)


def test_the_still_3d_views_show_the_town_and_differ_where_it_changed(html_fr: str) -> None:
    from PIL import Image

    views = re.findall(r'<img src="data:image/jpeg;base64,([^"]+)"', html_fr)
    assert len(views) == 2
    before, after = (
        np.asarray(Image.open(io.BytesIO(base64.b64decode(v))).convert("RGB"), dtype=float)
        for v in views
    )
    assert before.std() > 10 and after.std() > 10  # not a blank or black picture
    red = (after[..., 0] > 180) & (after[..., 1] < 80) & (after[..., 2] < 90)
    assert red.mean() > 0.0005  # the new building, highlighted, seen from the same camera
    changed = np.abs(after - before).sum(axis=2) > 60
    assert 0.0005 < changed.mean() < 0.2


def test_the_interactive_3d_view_carries_both_states_and_its_viewer(html_fr: str) -> None:
    assert 'iframe data-scene="vtkjs-before"' in html_fr
    assert 'iframe data-scene="vtkjs-after"' in html_fr
    blocks = dict(
        re.findall(
            r'<script type="application/json" id="([\w-]+)">(.*?)</script>', html_fr, flags=re.S
        )
    )
    viewer = json.loads(blocks["vtkjs-viewer"])
    assert "OfflineLocalView" in viewer
    assert not re.search(r"<script[^>]+src=", viewer)  # vtk.js inlined, nothing fetched
    sizes = []
    for name in ("vtkjs-before", "vtkjs-after"):
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(json.loads(blocks[name]))))
        scene = json.loads(archive.read("index.json"))
        assert scene["scene"]["dependencies"]  # the renderer and its actors
        assert len(scene["hashes"]) >= 4  # points and cells of the ground and the buildings
        sizes.append(len(blocks[name]))
    print(
        f"\nHTML {len(html_fr) / 1e6:.2f} MB: viewer {len(blocks['vtkjs-viewer']) / 1e6:.2f} MB, "
        f"scenes {sizes[0] / 1e6:.2f} + {sizes[1] / 1e6:.2f} MB"
    )
    assert len(html_fr) < 6e6  # the sample town's study stays easy to mail


def test_the_english_study_speaks_english_with_english_numbers(cities: StudyCities) -> None:
    html = study_html(hand_made_study(cities.after), "en", cities=None)
    for key in SECTIONS:
        assert f">{text(f'section.{key}', 'en')}</h2>" in html
    assert "Non-technical summary" in html and "Résumé non technique" not in html
    assert "1,250.5\u00a0m" in html and "€112,549" in html
    assert '<html lang="en">' in html


def test_unknown_text_keys_render_as_themselves_and_never_fail() -> None:
    study = hand_made_study()
    odd = study.sections["effects"]
    odd.paragraphs.append(("no.such.paragraph", {"x": 1}))
    odd.paragraphs.append(("summary.premises", {}))  # its values missing: left in braces
    odd.figures.append(Figure("mystery_figure", 3.0, "widgets", "somewhere"))
    fibre, _, _ = network_layers()
    odd.maps.append(MapLayer("mystery_layer", fibre.frame, "no_such_style"))
    study.sections["appendix"] = Section("appendix", paragraphs=[("appendix.text", {})])
    html = study_html(study, "fr")
    assert "no.such.paragraph" in html
    assert "{premises}" in html
    assert f"3{NBSP}widgets" in html and "mystery figure" in html
    assert ">appendix</h2>" in html  # a section the report does not know, at the end


# -- 3D --------------------------------------------------------------------------------------------
def test_the_views_highlight_what_the_scenario_adds_changes_and_demolishes(
    cities: StudyCities,
) -> None:
    edits = {edit.kind: edit for edit in scenarios_of(cities.before)[SCENARIO].edits}
    changes = building_changes(cities.before, cities.after)
    assert set(changes.removed) == set(edits["demolish"].ids)
    assert set(edits["add_floors"].ids) <= set(changes.changed)
    assert len(changes.new) == 1 and changes.new[0] not in set(cities.before.layer("buildings").id)
    assert changes.highlight_after[changes.new[0]] == NEW_COLOUR
    assert all(changes.highlight_before[i] == REMOVED_COLOUR for i in changes.removed)


def test_highlight_colours_apply_by_id_and_ignore_ids_the_city_lacks(cities: StudyCities) -> None:
    first = str(cities.after.layer("buildings")["id"].iloc[0])
    colours = building_colours(cities.after, {first: "#ff0000", "NOT-THERE": "#00ff00"}, "#000000")
    assert tuple(colours[0]) == (255, 0, 0)
    assert not colours[1:].any()


# -- texts and typography -----------------------------------------------------------------------
def test_paragraph_values_are_written_with_their_units() -> None:
    premises = Figure("premises_to_connect", 53.0, "premises", "computed")
    values = {"premises": premises, "buildings": (11, "buildings")}
    assert text("summary.premises", "fr", values) == (
        f"Le projet construit ou transforme 11{NBSP}bâtiments, où il faut raccorder "
        f"53{NBSP}prises à la fibre."
    )
    assert f"where 53{NBSP}premises must be" in text("summary.premises", "en", values)
    one = {"premises": (1.0, "premises"), "buildings": (1.0, "buildings")}
    assert f"1{NBSP}bâtiment, où il faut raccorder 1{NBSP}prise " in text(
        "summary.premises", "fr", one
    )


def test_french_spacing_leaves_addresses_and_times_alone() -> None:
    assert french_spacing("voir https://x.fr/?a=1 à 10:30 !") == (
        f"voir https://x.fr/?a=1 à 10:30{NNBSP}!"
    )
    assert french_spacing("« oui »; non ?") == f"«{NNBSP}oui{NNBSP}»{NNBSP}; non{NNBSP}?"


def test_every_text_the_computation_names_has_french_and_english() -> None:
    study_texts = pytest.importorskip("scenarios.study.texts")
    keys = [*study_texts.NOTES, *study_texts.PARAGRAPHS, *(f"section.{k}" for k in SECTIONS)]
    missing = [key for key in keys if key not in TEXTS]
    assert not missing
    placeholders = {
        key: set(re.findall(r"\{(\w+)\}", study_texts.PARAGRAPHS[key]))
        for key in study_texts.PARAGRAPHS
    }
    for key, names in placeholders.items():  # both languages fill the values it is given
        for language in TEXTS[key]:
            assert set(re.findall(r"\{(\w+)\}", language)) <= names, key


def test_every_shipped_assumption_has_its_meaning_in_french_for_the_french_report() -> None:
    from scenarios.assumptions import defaults

    for key, assumption in defaults().items():
        assert assumption.meaning_fr and assumption.meaning_fr != assumption.meaning, key
    local = defaults().with_overrides({"fibre.trench_eur_per_m": 80}, source="Mairie")
    assert (
        local["fibre.trench_eur_per_m"].meaning_fr
        == defaults()["fibre.trench_eur_per_m"].meaning_fr
    )


# -- maps ---------------------------------------------------------------------------------------
def test_a_map_has_a_legend_a_scale_bar_and_a_north_arrow(cities: StudyCities) -> None:
    layers = network_layers(cities.after)
    svg = base64.b64decode(map_uri(layers, "fr", cities.after).split(",", 1)[1]).decode()
    box = frame_box(layers, cities.after, 6.4 / 4.6)
    length = scale_length_m(box[2] - box[0])
    scale = f"{length / 1000:g}{NBSP}km" if length >= 1000 else f"{length:g}{NBSP}m"
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert scale in texts and "N" in texts
    assert {"fibre existante", "fourreaux prévus", "prises à raccorder"} <= set(texts)


# -- PDF ----------------------------------------------------------------------------------------
def test_the_pdf_has_a_page_per_section_and_no_empty_page(pdf_fr: Path, tmp_path: Path) -> None:
    info = subprocess.run([poppler("pdfinfo"), pdf_fr], capture_output=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert pages >= len(SECTIONS) + 1  # a cover, then each section on its own page
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info.stdout)
    subprocess.run([poppler("pdftoppm"), "-r", "50", "-png", pdf_fr, tmp_path / "page"], check=True)
    from PIL import Image

    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    for image in images:  # something between the running header and the page number
        grey = np.asarray(Image.open(image).convert("L"), dtype=float)
        body = grey[int(0.1 * len(grey)) : int(0.9 * len(grey))]
        assert (body < 200).mean() > 0.002, f"{image.name} is empty"


def test_the_pdf_text_has_every_section_title_and_the_page_numbers(pdf_fr: Path) -> None:
    words = subprocess.run(
        [poppler("pdftotext"), "-layout", pdf_fr, "-"], capture_output=True, text=True, check=True
    ).stdout
    for key in SECTIONS:
        assert plain(text(f"section.{key}", "fr")) in plain(words)
    pages = words.count("\f")
    assert f"{pages} / {pages}" in plain(words)  # the last page's number
    assert "Vue 3D interactive" not in words  # the interactive view stays in the HTML


# -- twin study ---------------------------------------------------------------------------------
def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("output", "extra", "expected"),
    [
        ("missing/etude.html", (), "does not exist"),
        ("etude.docx", (), "FILE.html"),
        ("etude.html", ("--lang", "de"), "--lang de"),
        ("etude.html", ("--scenario", "Pas de scénario"), "no scenario 'Pas de scénario'"),
        ("etude.html", ("--compare", "Ailleurs"), "no scenario 'Ailleurs'"),
        ("etude.html", ("--compare", SCENARIO), "cannot be compared with itself"),
    ],
)
def test_twin_study_refuses_bad_input_in_one_line_and_writes_nothing(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    output: str,
    extra: tuple[str, ...],
    expected: str,
) -> None:
    argv = ["study", str(project), "--scenario", SCENARIO, "-o", str(tmp_path / output), *extra]
    status, _out, err = run(capsys, *argv)
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and expected in err
    assert list(tmp_path.rglob("*")) == []


def refused(capsys: pytest.CaptureFixture[str], project: Path, output: Path, *extra: str) -> str:
    """`twin study` of SCENARIO to ``output``: exit 2, one line on stderr (returned)."""
    argv = ["study", str(project), "--scenario", SCENARIO, "-o", str(output), *extra]
    status, _out, err = run(capsys, *argv)
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_an_overrides_file_naming_an_unknown_or_bad_assumption_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    output = tmp_path / "out" / "etude.html"
    output.parent.mkdir()
    unknown = tmp_path / "in" / "valeurs.toml"
    unknown.write_text("fibre.tranchee_eur_par_m = 80\n", encoding="utf-8")
    err = refused(capsys, project, output, "--assumptions", str(unknown))
    assert "valeurs.toml" in err and "unknown assumption 'fibre.tranchee_eur_par_m'" in err
    bad = tmp_path / "in" / "mauvais.toml"
    bad.write_text('[fibre]\ntrench_eur_per_m = "cher"\n', encoding="utf-8")
    assert "must be a number" in refused(capsys, project, output, "--assumptions", str(bad))
    assert list(output.parent.iterdir()) == []


def test_a_project_storing_a_broken_assumption_value_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from twin.project import save_project

    city = load_project(project)
    city.metadata["assumptions"] = {"fibre.ancienne_cle": 12}  # from another version
    broken = save_project(city, tmp_path / "ancien.twin.gpkg")
    output = tmp_path / "out" / "etude.pdf"
    output.parent.mkdir()
    err = refused(capsys, broken, output)
    assert "ancien.twin.gpkg" in err and "'fibre.ancienne_cle'" in err and "--reset-all" in err
    assert list(output.parent.iterdir()) == []


def test_an_assumption_the_study_needs_missing_from_those_in_force_is_refused(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import scenarios.assumptions as module

    key = "fibre.duct_in_open_trench_eur_per_m"
    shipped = module.defaults()
    monkeypatch.setattr(  # an assumptions file from an older version, without the key
        module,
        "defaults",
        lambda: module.Assumptions({k: a for k, a in shipped.items() if k != key}),
    )
    err = refused(capsys, project, tmp_path / "etude.html")
    assert f"needs assumption '{key}'" in err
    assert list(tmp_path.iterdir()) == []


def test_an_output_path_that_cannot_be_written_is_refused_before_any_work(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "note.txt"
    a_file.write_text("x", encoding="utf-8")
    err = refused(capsys, project, a_file / "etude.html")
    assert "is a file, not a folder" in err
    assert list(tmp_path.iterdir()) == [a_file]
    read_only = tmp_path / "lecture-seule"
    read_only.mkdir()
    read_only.chmod(0o555)
    try:
        if os.access(read_only, os.W_OK):  # root writes anyway: a folder no one can write
            read_only = Path("/sys")
        if not read_only.is_dir():
            pytest.skip("no read-only folder to try on this system")
        assert "is read-only" in refused(capsys, project, read_only / "etude.html")
        assert not (read_only / "etude.html").exists()
    finally:
        (tmp_path / "lecture-seule").chmod(0o755)


def test_a_failed_write_leaves_neither_the_file_nor_its_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "etude.html"

    def refuse(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(InvalidInputError, match="No space left"):
        write_atomically(target, b"<html></html>")
    assert list(tmp_path.iterdir()) == []


def test_twin_study_writes_the_computed_study_of_a_sample_scenario(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("scenarios.study.compute")
    output = tmp_path / "etude.html"
    status, out, err = run(capsys, "study", str(project), "--scenario", SCENARIO, "-o", str(output))
    assert status == 0, err
    print("\n" + out.strip())
    html = output.read_text(encoding="utf-8")
    assert all(f">{text(f'section.{key}', 'fr')}</h2>" in html for key in SECTIONS)
    assert 'iframe data-scene="vtkjs-after"' in html
    assert [path.name for path in tmp_path.iterdir()] == ["etude.html"]
