"""The "Options d'import" dialog: the CLI's options in the app, checked in the dialog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from shapely.geometry import box

import importers.registry as registry
from gui.i18n import translator
from gui.import_options_dialog import ImportOptionsDialog
from gui.import_report import format_report
from gui.main_window import MainWindow
from importers.base import ImportOptions
from twin.city import City
from twin.cli import main
from twin.errors import CancelledError

IMPORT_TIMEOUT_MS = 120_000
SAMPLE_DATA = Path(__file__).resolve().parents[2] / "samples" / "data"


@pytest.fixture
def empty_window(qtbot: Any, settings: Any) -> MainWindow:
    """A window on a new, empty Lambert-93 project, in French."""
    translator().set_language("fr")
    window = MainWindow(settings)
    qtbot.addWidget(
        window,
        before_close_func=lambda w: setattr(
            w.files, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard
        ),
    )
    window.set_city(City("EPSG:2154", name="Olemps"), None)
    return window


def dialog_for(qtbot: Any, *paths: Path) -> ImportOptionsDialog:
    dialog = ImportOptionsDialog(list(paths))
    qtbot.addWidget(dialog)
    return dialog


def choose(combo: Any, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data} not offered"
    combo.setCurrentIndex(index)


def cli_options(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *flags: str) -> ImportOptions:
    """The options ``twin import`` passes to the importer for these flags."""
    project = tmp_path / "cli.twin.gpkg"
    assert main(["new", str(project)]) == 0
    seen: list[ImportOptions] = []

    def capture(path: Path, *, target_crs: Any, options: ImportOptions, feedback: Any) -> Any:
        seen.append(options)
        raise CancelledError("stop after the options")

    monkeypatch.setattr(registry, "read_file", capture)
    main(["import", str(project), str(SAMPLE_DATA / "bdtopo.gpkg"), *flags])
    return seen[0]


def test_the_dialog_builds_the_same_options_as_the_cli_flags(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapping = tmp_path / "bati.toml"
    mapping.write_text('[columns]\nuse = "USAGE1"\n[defaults]\nfloors = 1\n', encoding="utf-8")
    dialog = dialog_for(qtbot, SAMPLE_DATA / "bdtopo.gpkg")
    choose(dialog.kind, "buildings")
    choose(dialog.crs, "EPSG:3944")
    choose(dialog.layer, "batiment")
    dialog.mapping.setText(str(mapping))
    dialog.map_pairs.setText("height_m=HAUTEUR; floors=NB_ETAGES")
    dialog.storey_height.setValue(2.8)
    dialog.furniture.setChecked(True)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    expected = cli_options(
        monkeypatch,
        tmp_path,
        *("--as", "buildings", "--crs", "EPSG:3944", "--layer", "batiment"),
        *("--mapping", str(mapping), "--map", "height_m=HAUTEUR", "--map", "floors=NB_ETAGES"),
        *("--storey-height", "2.8", "--furniture"),
    )
    assert dialog.options == expected
    assert dialog.options.source_crs.to_epsg() == 3944
    assert dict(dialog.options.defaults) == {"floors": 1}


def test_a_typed_epsg_code_is_taken_and_auto_leaves_the_file_s_own(qtbot: Any) -> None:
    dialog = dialog_for(qtbot, SAMPLE_DATA / "bdtopo.gpkg")
    assert dialog.build_options() == ImportOptions()  # nothing chosen: the CLI's defaults
    dialog.crs.setCurrentText("epsg:27572")
    assert dialog.build_options().source_crs.to_epsg() == 27572


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("crs", "EPSG:99999", "Système de coordonnées inconnu : « EPSG:99999 »"),
        ("map", "height_m", "Correspondance mal écrite : « height_m »"),
        ("mapping", "/nulle/part.toml", "Fichier de correspondance introuvable"),
    ],
)
def test_a_bad_value_shows_one_clear_line_and_keeps_the_dialog_open(
    qtbot: Any, field: str, value: str, expected: str
) -> None:
    dialog = dialog_for(qtbot, SAMPLE_DATA / "bdtopo.gpkg")
    widget = {"crs": dialog.crs, "map": dialog.map_pairs, "mapping": dialog.mapping}[field]
    if field == "crs":
        widget.setCurrentText(value)
    else:
        widget.setText(value)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.options is None
    assert not dialog.error.isHidden()
    assert dialog.error.text().startswith(expected)
    assert "\n" not in dialog.error.text()


def test_an_invalid_toml_mapping_is_named_in_the_error_line(qtbot: Any, tmp_path: Path) -> None:
    broken = tmp_path / "cassé.toml"
    broken.write_text("[columns\nuse = ", encoding="utf-8")
    dialog = dialog_for(qtbot, SAMPLE_DATA / "bdtopo.gpkg")
    dialog.mapping.setText(str(broken))
    dialog.accept()
    assert dialog.error.text().startswith("Fichier de correspondance illisible (TOML invalide)")
    assert "cassé.toml" in dialog.error.text()


def test_the_layers_of_a_multi_layer_file_are_listed_with_the_crs_it_declares(
    qtbot: Any,
) -> None:
    dialog = dialog_for(qtbot, SAMPLE_DATA / "bdtopo.gpkg")
    layers = [dialog.layer.itemData(i) for i in range(dialog.layer.count())]
    assert layers == ["", "batiment", "troncon_de_route", "troncon_hydrographique"]
    assert dialog.layer.isEnabled()
    assert dialog.crs_note.text().startswith("Le fichier déclare : EPSG:2154 (RGF93")


def test_a_file_without_a_crs_asks_for_one(qtbot: Any, tmp_path: Path) -> None:
    plain = tmp_path / "sans_prj.shp"
    gpd.GeoDataFrame({"id": ["a"]}, geometry=[box(0, 0, 1, 1)]).to_file(plain)
    dialog = dialog_for(qtbot, plain)
    assert dialog.crs_note.text() == "Le fichier ne déclare aucun système : choisissez-le."
    assert not dialog.layer.isEnabled()  # one layer: nothing to choose


def test_every_importer_and_layer_is_offered_with_its_french_description(qtbot: Any) -> None:
    dialog = dialog_for(qtbot, SAMPLE_DATA / "mairie.ifc")
    offered = {dialog.kind.itemData(i): dialog.kind.itemText(i) for i in range(dialog.kind.count())}
    for importer in registry.importers():
        assert offered[importer.NAME].startswith("Format : ")
        assert offered[importer.NAME] != f"Format : importer.{importer.NAME}"  # has a text
    assert offered["buildings"] == "Couche du projet : Bâtiments (buildings)"
    assert offered[""].startswith("Détection automatique")
    assert dialog.crs_note.text() == "Système du fichier non lu (ni vecteur ni raster OGR)."


def test_the_command_is_in_the_file_menu_with_ctrl_shift_i(empty_window: MainWindow) -> None:
    action = empty_window.action_set["file.import_options"]
    assert action.text() == "Importer avec &options…"
    assert action.shortcut().toString() == "Ctrl+Shift+I"
    assert action in empty_window.menus["menu.file"].actions()
    assert action.isEnabled()


def test_cancelling_the_options_imports_nothing(empty_window: MainWindow) -> None:
    empty_window.imports.ask_paths = lambda: [str(SAMPLE_DATA / "bdtopo.gpkg")]
    empty_window.imports.ask_options = lambda paths: None
    assert not empty_window.imports.import_with_options()
    assert not empty_window.imports.running and not empty_window.document.dirty


def test_the_bdtopo_shapefile_imported_with_options_gives_a_french_report_then_english(
    empty_window: MainWindow, qtbot: Any, shared_data: Path
) -> None:
    source = shared_data / "bdtopo" / "olemps_12174_v3" / "BATIMENT.shp"
    imports = empty_window.imports
    imports.ask_paths = lambda: [str(source)]
    asked: list[list[Path]] = []

    def options(paths: list[Path]) -> ImportOptions | None:
        asked.append(paths)
        dialog = dialog_for(qtbot, *paths)
        choose(dialog.kind, "bdtopo")
        dialog.storey_height.setValue(2.5)
        dialog.accept()
        return dialog.options

    imports.ask_options = options
    reports: list[tuple[str, str]] = []
    imports.show_report = lambda text, details: reports.append((text, details))
    with qtbot.waitSignal(imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        empty_window.action_set["file.import_options"].trigger()
    assert done.args == [True] and asked == [[source]]
    buildings = empty_window.document.city.layer("buildings")
    assert len(buildings) == 2273
    from_floors = buildings[buildings["height_source"] == "floors"]
    assert len(from_floors) and (from_floors["height_m"] == from_floors["floors"] * 2.5).all()
    details = reports[0][1]
    assert "Bâtiments : 2\u202f273 lu(s), 2\u202f273 ajouté(s), 0 remplacé(s)" in details
    assert "Origine des hauteurs : mesurée 1\u202f989" in details
    assert "Problèmes relevés (15) :" in details
    assert "hauteur donnée inutilisable (nulle ou absurde)" in details
    assert "[height_unusable] × 15" in details and "exemples : BATIMENT" in details
    translator().set_language("en")
    english = format_report(imports.last_report)
    assert "Buildings: 2,273 read, 2,273 added, 0 replaced" in english
    assert "Where heights come from: measured 1,989" in english
    assert "Problems found (15):" in english and "given height unusable" in english
    assert "lu(s)" not in english


def test_a_geojson_read_as_buildings_with_a_column_mapping_through_the_options(
    empty_window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    source = tmp_path / "bati.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"ident": f"B{i}", "H": 7.5 + i},
            "geometry": box(2.57 + i * 1e-3, 44.35, 2.5705 + i * 1e-3, 44.3505).__geo_interface__,
        }
        for i in range(3)
    ]
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    dialog = dialog_for(qtbot, source)
    choose(dialog.kind, "buildings")
    dialog.map_pairs.setText("id=ident, height_m=H")
    dialog.accept()
    reports: list[tuple[str, str]] = []
    empty_window.imports.show_report = lambda text, details: reports.append((text, details))
    with qtbot.waitSignal(empty_window.imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        assert empty_window.imports.import_files([source], dialog.options)
    assert done.args == [True]
    buildings = empty_window.document.city.layer("buildings").set_index("id")
    assert buildings["height_m"].to_dict() == {"B0": 7.5, "B1": 8.5, "B2": 9.5}
    assert empty_window.document.city.provenance[-1].importer == "vector"
    assert "« vector »" in reports[0][1] and "Aucun problème relevé." in reports[0][1]
