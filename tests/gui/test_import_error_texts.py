"""Errors met with files in the app's language: every code of twin.errors.FILE_ERRORS has a
French and an English text naming the app's fields where the CLI names a flag, and real bad
files reach the user in French (the import dialog, File ▸ Open, Save, the study's child
process), never as the CLI's English line."""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import string
import zipfile
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from pyproj import CRS
from PySide6.QtWidgets import QMessageBox

from gui.autosave_worker import AutosaveWorker
from gui.error_texts import error_text, refusal_text
from gui.i18n import translator
from gui.import_worker import ImportJob, needs_placement
from gui.main_window import MainWindow
from gui.strings import EN, FR
from gui.study_export_worker import _refusal
from gui.study_process import main as study_main
from importers.base import ImportOptions
from importers.registry import read_file
from tests.importers.ifc_authoring import Author
from tests.robustness import bad_files as bad
from tests.robustness.bad_files import feature, square
from tests.twin.error_sites import coded_sites
from twin.errors import FILE_ERRORS, CrsError, TwinError

IMPORT_TIMEOUT_MS = 120_000
#: What the app shows instead of a CLI flag: the label of the dialog's field.
FIELDS = {
    "--crs": "options.crs",
    "--as": "options.kind",
    "--map": "options.kind",
    "--layer": "options.layer",
    "--at": "placement.title",
    "--rotation": "placement.title",
}
FLAG = re.compile(r"--[a-z]+")


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    translator().set_language("fr")
    yield
    translator().set_language("fr")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_file_error_code_has_a_french_and_an_english_text_using_only_its_values() -> None:
    for code, names in FILE_ERRORS.items():
        key = f"error.{code}"
        assert key in FR and key in EN, code
        assert placeholders(FR[key]) <= names and placeholders(EN[key]) <= names, code
        assert FR[key] != EN[key], code


def test_where_the_cli_names_a_flag_the_app_names_the_field_of_its_dialog() -> None:
    flags: dict[str, set[str]] = {}
    for site in coded_sites():
        if site.code is not None:
            commands_left_out = re.sub(r"`[^`]*`", "", site.message)  # `twin new --crs ...`
            flags.setdefault(site.code, set()).update(FLAG.findall(commands_left_out))
    assert flags["crs_missing"] == {"--crs"} and flags["ifc_no_georef"] >= {"--at"}
    for code, found in flags.items():
        for flag in found & set(FIELDS):
            label = FR[FIELDS[flag]]
            assert f"« {label} »" in FR[f"error.{code}"], (code, flag)
            assert f"“{EN[FIELDS[flag]]}”" in EN[f"error.{code}"], (code, flag)
    for code in FILE_ERRORS:
        assert not FLAG.search(FR[f"error.{code}"]) and not FLAG.search(EN[f"error.{code}"]), code


def test_a_wrapped_error_and_lists_are_written_for_the_reader() -> None:
    cause = CrsError("a.shp has no CRS.", code="crs_missing", values={"file": "a.shp"})
    merged = TwinError(
        "a.shp could not be merged: a.shp has no CRS.",
        code="merge_failed",
        values={"file": "a.shp", "cause": cause},
    )
    text = error_text(merged)
    assert text.startswith("« a.shp » n'a pas pu être ajouté au projet, qui est resté tel quel")
    assert text.endswith(error_text(cause)) and "no CRS" not in text
    needed = TwinError(
        "a.shp: say which layer it feeds with --as.",
        code="layer_needed",
        values={"file": "a.shp", "layers": ["parcels", "buildings"]},
    )
    assert "couches possibles : Parcelles, Bâtiments." in error_text(needed)
    translator().set_language("en")
    assert "possible layers: Parcels, Buildings." in error_text(needed)


def test_an_ifc_crs_unknown_to_proj_asks_for_the_models_place_like_a_missing_one() -> None:
    unknown = CrsError(
        "m.ifc: the CRS of its IfcMapConversion ('Grille') is unknown to PROJ; ...",
        code="ifc_crs_unknown",
        values={"file": "m.ifc", "entity": "IfcMapConversion", "crs": "Grille"},
    )
    assert needs_placement(unknown, ImportJob(Path("m.ifc")))
    placed = ImportJob(Path("m.ifc"), ImportOptions(placement_xyz=(0.0, 0.0, 0.0)))
    assert not needs_placement(unknown, placed)
    assert not needs_placement(CrsError("a.shp has no CRS; use --crs."), ImportJob(Path("a")))


# -- real bad files through the app's import --------------------------------------------------
def _zip_bomb(folder: Path) -> Path:
    path = folder / "donnees.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("donnees.csv", b"\0" * (300 * 2**20))
    return path


def _ifc_without_building(folder: Path) -> Path:
    author = Author()
    author.element("IfcWall", "Mur seul", author.site, author.box(0, 0, 5, 0.2, 3))
    author.map_conversion("EPSG:2154", bad.X0, bad.Y0, 100.0)
    return author.write(folder / "elements.ifc")


#: (file maker, options, code, French words): each refused in one French line.
BAD_FILES: dict[str, tuple[Callable[[Path], Path], ImportOptions, str, str]] = {
    "random bytes named .gpkg": (
        bad.noise_named("bruit.gpkg"),
        ImportOptions(),
        "format_unrecognised_named",
        "Aucun import ne reconnaît le contenu de « bruit.gpkg », bien que son nom se termine "
        "par .gpkg",
    ),
    "a zip bomb": (
        _zip_bomb,
        ImportOptions(),
        "zip_bomb",
        "« donnees.zip » se décompresserait en 300 Mo",
    ),
    "an IFC model without IfcBuilding": (
        _ifc_without_building,
        ImportOptions(),
        "ifc_no_building",
        "« elements.ifc » ne contient aucun IfcBuilding : exportez le bâtiment",
    ),
    "a shapefile without .prj": (
        bad.shapefile("sans_prj.shp", crs=None),
        ImportOptions(kind="buildings"),
        "crs_missing",
        "« sans_prj.shp » n'indique pas son système de coordonnées : choisissez-le dans le champ "
        "« Système de coordonnées » (Fichier ▸ Importer avec options…)",
    ),
    "a GeoJSON in degrees declaring Lambert-93": (
        bad.geojson(
            "degres.geojson",
            [feature(square(2.57, 44.35, 0.0001))],
            crs="urn:ogc:def:crs:EPSG::2154",
        ),
        ImportOptions(kind="buildings"),
        "degrees_as_projected",
        "ressemblent à des longitudes et latitudes en degrés",
    ),
    "a GeoJSON without a layer given": (
        bad.geojson("sans_contenu.geojson", [feature(square(bad.X0, bad.Y0))]),
        ImportOptions(),
        "layer_needed",
        "indiquez quelle couche du projet ce fichier alimente dans le champ « Contenu »",
    ),
}


def _cli_line(path: Path, options: ImportOptions) -> tuple[str, str | None]:
    """What ``twin import`` would print for ``path`` (read and checked as the CLI does)."""
    from importers.merge import check_result
    from twin.city import City

    try:
        check_result(City("EPSG:2154"), read_file(path, target_crs=CRS(2154), options=options))
    except TwinError as error:
        return str(error), error.code
    raise AssertionError(f"{path.name} was not refused")


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_in_french_in_the_import_dialog_and_changes_nothing(
    case: str, window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    make, options, code, words = BAD_FILES[case]
    path = make(tmp_path)
    english, raised = _cli_line(path, options)
    assert raised == code
    city = window.document.city
    frames = {name: city.layer(name) for name in city.layer_names}
    errors: list[str] = []
    window.imports.show_error = errors.append
    window.imports.show_report = lambda *_args: pytest.fail("no report for a refused file")
    window.imports.ask_placement = lambda *_args: pytest.fail("no placement asked")

    with qtbot.waitSignal(window.imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        assert window.imports.import_files([path], options)

    assert done.args == [False] and len(errors) == 1
    assert errors[0].startswith(f"Impossible d'importer « {path.name} » ; le projet n'a pas été")
    assert words in errors[0]
    assert english not in errors[0] and not FLAG.search(errors[0])
    assert all(city.layer(name) is frame for name, frame in frames.items())
    assert not window.document.dirty


def test_the_import_error_box_shows_the_french_text(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, title, text: shown.append((title, text))
    )
    path = bad.shapefile("sans_prj.shp", crs=None)(tmp_path)
    with qtbot.waitSignal(window.imports.finished, timeout=IMPORT_TIMEOUT_MS):
        window.imports.import_files([path], ImportOptions(kind="buildings"))
    assert shown == [
        (
            "Import impossible",
            "Impossible d'importer « sans_prj.shp » ; le projet n'a pas été modifié.\n\n"
            "« sans_prj.shp » n'indique pas son système de coordonnées : choisissez-le dans le "
            "champ « Système de coordonnées » (Fichier ▸ Importer avec options…), par exemple "
            "Lambert-93 (EPSG:2154).",
        )
    ]


def test_the_import_error_box_for_people_to_look_at(
    window: MainWindow, qtbot: Any, tmp_path: Path, screenshots_dir: Path
) -> None:
    errors: list[str] = []
    window.imports.show_error = errors.append
    path = _zip_bomb(tmp_path)
    with qtbot.waitSignal(window.imports.finished, timeout=IMPORT_TIMEOUT_MS):
        window.imports.import_files([path])
    box = QMessageBox(QMessageBox.Icon.Critical, "Import impossible", errors[0], parent=window)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert "bombe de décompression" in box.text()
    assert box.grab().save(str(screenshots_dir / "import_error_in_french.png"))


# -- projects: open, save, the study's child process ----------------------------------------
def _newer(sample_project: Path, folder: Path) -> Path:
    copy = folder / "recent.twin.gpkg"
    shutil.copyfile(sample_project, copy)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE twin_metadata SET value = '99' WHERE key = 'schema_version'")
    db.close()
    return copy


def test_a_project_from_a_newer_version_is_refused_in_french_then_english(
    window: MainWindow, sample_project: Path, tmp_path: Path
) -> None:
    errors: list[str] = []
    window.files.show_error = errors.append
    newer = _newer(sample_project, tmp_path)
    city = window.document.city

    assert not window.files.open(newer)
    translator().set_language("en")
    assert not window.files.open(newer)

    assert errors[0].startswith(
        f"Impossible d'ouvrir le projet.\n\n{newer} a été écrit par une version plus récente "
        "d'urban-twin (format de projet 99 ; cette version lit jusqu'au format"
    )
    assert errors[1].startswith(f"The project could not be opened.\n\n{newer} was written by")
    assert "update urban-twin" not in errors[0]
    assert window.document.city is city


def test_random_bytes_opened_as_a_project_are_refused_in_french(
    window: MainWindow, tmp_path: Path
) -> None:
    errors: list[str] = []
    window.files.show_error = errors.append
    fake = bad.noise_named("bruit.twin.gpkg")(tmp_path)
    assert not window.files.open(fake)
    assert errors == [
        f"Impossible d'ouvrir le projet.\n\n{fake} n'est pas un projet urban-twin : créez un "
        "projet, puis importez-y ce fichier (Fichier ▸ Importer des fichiers…)."
    ]


def test_saving_into_a_missing_folder_is_refused_in_french(
    window: MainWindow, tmp_path: Path
) -> None:
    errors: list[str] = []
    window.files.show_error = errors.append
    target = tmp_path / "absent" / "ville.twin.gpkg"
    assert not window.files.save_as(target)
    assert errors == [
        f"Impossible d'enregistrer le projet.\n\nImpossible d'enregistrer {target} : le dossier "
        f"{target.parent} n'existe pas ; créez-le ou choisissez-en un autre."
    ]


def test_the_study_child_reports_a_project_error_for_the_app_to_say_in_french(
    sample_project: Path, tmp_path: Path
) -> None:
    newer = _newer(sample_project, tmp_path)
    out = io.StringIO()
    with redirect_stdout(out):
        status = study_main([str(newer), "--scenario", "X", "-o", str(tmp_path / "etude.html")])
    assert status == 2
    message = json.loads(out.getvalue().splitlines()[-1])
    assert message["code"] == "project_newer" and "newer urban-twin" in message["error"]
    refusal = _refusal(message)
    assert refusal is not None
    assert refusal_text(refusal).startswith(f"{newer} a été écrit par une version plus récente")


def test_an_autosave_that_cannot_be_written_is_said_in_french(
    window: MainWindow, tmp_path: Path
) -> None:
    city = window.document.city
    outcomes: list[Any] = []
    target = tmp_path / "absent" / "copie.twin.gpkg"
    worker = AutosaveWorker(city.copy(), target, "k", window.autosave._generation)
    worker.signals.finished.connect(outcomes.append)
    worker.run()  # in this thread: the outcome arrives at once
    messages: list[str] = []
    window.autosave.message.connect(messages.append)

    window.autosave._on_finished(outcomes[0])

    assert messages == [
        f"Enregistrement automatique impossible : Impossible d'enregistrer {target} : le "
        f"dossier {target.parent} n'existe pas ; créez-le ou choisissez-en un autre."
    ]
