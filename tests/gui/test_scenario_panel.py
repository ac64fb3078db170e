"""The scenarios panel on the sample town: the four sample scenarios listed, one click to show
one (its new building drawn and marked, the baseline untouched), the commands on scenarios,
TOML export and import, undo and redo of edits, French and English, and a screenshot."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QImage, QKeySequence

from gui.i18n import translator
from gui.scenario_marks import CHANGED_COLOUR, NEW_COLOUR
from gui.scene import hex_to_rgb
from samples.sample_scenarios import sample_scenarios
from scenarios.edits import AddFloors
from scenarios.scenario import BASELINE, scenarios_of

DENSIFY = "Densifier le centre"
BUS = "Nouvelle ligne de bus"
DEMOLISHED = "BATIMENT0000000241875285"  # one of the three buildings the densification demolishes


@pytest.fixture
def app(shown: Any) -> Iterator[Any]:
    """The window on screen, its scenario dialogs answered by the test (errors fail it)."""

    def unexpected(text: str) -> None:
        raise AssertionError(f"unexpected error dialog: {text}")

    shown.scenarios.commands.show_error = unexpected
    yield shown
    translator().set_language("fr")


def click(window: Any, name: str) -> None:
    """Choose a row of the scenarios list as the user would, and wait for the 3D view."""
    item = window.scenarios.panel.item_of(name)
    assert item is not None, f"no row for {name}"
    window.scenarios.panel.tree.setCurrentItem(item)
    assert window.view.wait_for_scene()


def drawn_buildings(window: Any) -> set[str]:
    return {str(i) for i in window.view.layers["buildings"].object_ids}


def colour_of(window: Any, building_id: str) -> np.ndarray:
    layer = window.view.layers["buildings"]
    position = int(np.flatnonzero(layer.object_ids.astype(str) == building_id)[0])
    return layer.base_rgb[position].astype(int)


def test_the_four_sample_scenarios_are_listed_under_the_current_situation(app: Any) -> None:
    panel = app.scenarios.panel
    expected = sorted(scenario.name for scenario in sample_scenarios())
    assert len(expected) == 4
    assert panel.names() == [BASELINE, *expected]
    root = panel.item_of(BASELINE)
    assert root.text(0) == "Situation actuelle" and root.childCount() == 4  # all on the baseline
    edits = {name: len(s.edits) for name, s in scenarios_of(app.document.city).items()}
    assert {name: int(panel.item_of(name).text(1)) for name in expected} == edits
    assert app.scenarios.shown_name == BASELINE
    assert panel.edits_title.text().startswith("Modifications")


def test_one_click_shows_the_densified_centre_and_back_to_the_current_situation(
    app: Any,
) -> None:
    baseline = app.document.city
    baseline_buildings = baseline.layer("buildings")
    assert "NEW-1" not in drawn_buildings(app)

    click(app, DENSIFY)

    shown = app.shown_city()
    assert shown is not baseline and shown.metadata["scenario"] == DENSIFY
    assert "NEW-1" in set(shown.layer("buildings")["id"]) and "NEW-1" in drawn_buildings(app)
    assert DEMOLISHED not in drawn_buildings(app)
    assert "Densifier le centre" in app.windowTitle()
    assert app.scenarios.status_label.text() == "Scénario : Densifier le centre"
    lines = app.scenarios.panel.edit_lines()
    assert len(lines) == 3 and lines[2].startswith("3. Ajouter un bâtiment : 4 niveaux, ")
    assert "logements" in lines[2]
    # the new building is tinted green, a raised one blue, an untouched one keeps its colour
    marks = app.scenarios.marks()
    assert marks.new == {"NEW-1"} and len(marks.changed) == 10 and DEMOLISHED in marks.removed
    new_rgb, changed_rgb = colour_of(app, "NEW-1"), colour_of(app, sorted(marks.changed)[0])
    assert new_rgb[1] > new_rgb[0] and new_rgb[1] > new_rgb[2]
    assert changed_rgb[2] > changed_rgb[0] and changed_rgb[2] > changed_rgb[1]
    layer = app.view.layers["buildings"]
    untouched = ~np.isin(layer.object_ids.astype(str), [*marks.new, *marks.changed])
    assert np.array_equal(layer.base_rgb[untouched], layer.default_rgb[untouched])
    app.select_object("NEW-1")  # the inspector reads the scenario's City
    assert app.inspector.object_id == "NEW-1" and app.inspector.description is not None
    # the baseline is the document's, unchanged and not dirty
    assert app.document.city is baseline and baseline.layer("buildings") is baseline_buildings
    assert not app.document.dirty

    click(app, BASELINE)

    assert app.shown_city() is baseline
    assert "NEW-1" not in drawn_buildings(app) and DEMOLISHED in drawn_buildings(app)
    assert np.array_equal(app.view.layers["buildings"].base_rgb, layer_default(app))
    assert app.scenarios.status_label.text() == "Situation actuelle"
    assert "scénario" not in app.windowTitle()

    session = app.scenarios.sessions.get(DENSIFY)
    start = time.perf_counter()
    click(app, DENSIFY)  # applied once: switching back reuses its City
    seconds = time.perf_counter() - start
    assert app.scenarios.sessions.get(DENSIFY) is session and app.shown_city() is session.city
    assert "NEW-1" in drawn_buildings(app)
    print(f"\nfirst apply {session.seconds:.3f} s, switching back with the 3D view {seconds:.3f} s")


def layer_default(window: Any) -> np.ndarray:
    return window.view.layers["buildings"].default_rgb


def test_a_scenario_that_changes_no_building_leaves_the_buildings_alone(app: Any) -> None:
    click(app, DENSIFY)
    click(app, BUS)
    stops = app.view.layers["transit_stops"]
    assert (
        len(app.shown_city().layer("transit_stops"))
        == len(app.document.city.layer("transit_stops")) + 5
    )
    assert stops is not None
    assert app.shown_city().layer("buildings") is app.document.city.layer("buildings")
    assert "NEW-1" not in drawn_buildings(app)
    assert app.scenarios.marks() is not None and not app.scenarios.marks().any
    assert np.array_equal(app.view.layers["buildings"].base_rgb, layer_default(app))


def test_creating_renaming_copying_and_deleting_scenarios_update_the_project(app: Any) -> None:
    commands, city = app.scenarios.commands, app.document.city
    answers = iter(["Écoquartier", "Écoquartier des Tilleuls", "Densifier encore"])
    commands.ask_name = lambda _title, _default: next(answers)
    commands.confirm = lambda _title, _text: True

    app.action_set.trigger("scenario.new")
    assert city.scenarios["Écoquartier"] == {
        "name": "Écoquartier",
        "description": "",
        "base": BASELINE,
        "edits": [],
    }
    assert app.document.dirty and app.windowTitle().startswith("* ")
    assert app.scenarios.shown_name == "Écoquartier"
    assert "Écoquartier" in app.scenarios.panel.names()

    app.action_set.trigger("scenario.rename")
    assert "Écoquartier" not in city.scenarios
    assert city.scenarios["Écoquartier des Tilleuls"]["edits"] == []
    assert app.scenarios.shown_name == "Écoquartier des Tilleuls"

    commands.ask_description = lambda _title, _current: "Ligne 1\nLigne 2"
    app.action_set.trigger("scenario.describe")
    assert city.scenarios["Écoquartier des Tilleuls"]["description"] == "Ligne 1\nLigne 2"
    assert app.scenarios.panel.description.text() == "Ligne 1\nLigne 2"

    click(app, DENSIFY)
    app.action_set.trigger("scenario.copy")
    assert city.scenarios["Densifier encore"]["edits"] == city.scenarios[DENSIFY]["edits"]
    assert city.scenarios["Densifier encore"]["base"] == BASELINE
    assert app.scenarios.shown_name == "Densifier encore"
    assert app.view.wait_for_scene()
    assert "NEW-1" in drawn_buildings(app)

    app.action_set.trigger("scenario.delete")
    assert "Densifier encore" not in city.scenarios
    assert app.scenarios.shown_name == BASELINE
    assert "Densifier encore" not in app.scenarios.panel.names()
    assert app.view.wait_for_scene()
    assert "NEW-1" not in drawn_buildings(app)


def test_a_refused_name_is_one_line_in_a_dialog_and_changes_nothing(app: Any) -> None:
    commands, city = app.scenarios.commands, app.document.city
    errors: list[str] = []
    commands.show_error = errors.append
    commands.ask_name = lambda _title, _default: DENSIFY  # already used
    before = dict(city.scenarios)

    assert commands.new_scenario() is None

    assert len(errors) == 1 and "\n" not in errors[0] and DENSIFY in errors[0]
    assert city.scenarios == before and not app.document.dirty


def test_exporting_then_importing_a_scenario_round_trips(app: Any, tmp_path: Path) -> None:
    commands, city = app.scenarios.commands, app.document.city
    click(app, DENSIFY)
    commands.ask_save_path = lambda suggested: str(tmp_path / suggested)
    app.action_set.trigger("scenario.export")
    written = tmp_path / "densifier-le-centre.toml"
    assert written.exists() and 'name = "Densifier le centre"' in written.read_text("utf-8")

    commands.ask_open_path = lambda: str(written)
    commands.confirm = lambda _title, _text: False  # keep both: import under another name
    app.action_set.trigger("scenario.import")

    copy = "Densifier le centre (2)"
    assert city.scenarios[copy] == {**city.scenarios[DENSIFY], "name": copy}
    assert app.view.wait_for_scene()
    assert app.scenarios.shown_name == copy and "NEW-1" in drawn_buildings(app)
    assert app.document.dirty

    commands.confirm = lambda _title, _text: True  # replace the one of the same name
    assert commands.import_scenario(written) == DENSIFY
    assert city.scenarios[DENSIFY]["edits"] == city.scenarios[copy]["edits"]
    assert list(city.scenarios).count(DENSIFY) == 1


def test_undo_and_redo_of_an_edit_restore_the_scenario_exactly(app: Any) -> None:
    click(app, BUS)
    city = app.shown_city()
    before = {name: city.layer(name) for name in city.layer_names}
    stored_before = app.document.city.scenarios[BUS]
    target = str(city.layer("buildings")["id"].iloc[0])
    height = float(city.layer("buildings")["height_m"].iloc[0])

    change = app.scenarios.do_edit(AddFloors((target,), 2))

    assert change is not None and city.layer("buildings") is not before["buildings"]
    after = {name: city.layer(name) for name in city.layer_names}
    stored = app.document.city.scenarios[BUS]["edits"]
    assert len(stored) == 2 and stored[-1] == {"kind": "add_floors", "ids": [target], "floors": 2}
    assert app.document.dirty
    assert app.view.wait_for_scene()
    assert app.scenarios.marks().changed == {target}
    assert app.scenarios.panel.edit_lines()[-1] == "2. Ajouter 2 niveaux à 1 bâtiment"
    new_height = float(city.layer("buildings").set_index("id").loc[target, "height_m"])
    assert new_height > height
    undo, redo = app.action_set["edit.undo"], app.action_set["edit.redo"]
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert "Ctrl+Y" in [s.toString() for s in redo.shortcuts()]
    assert "Ajouter 2 niveaux" in undo.toolTip() and undo.isEnabled() and not redo.isEnabled()

    app.action_set.trigger("edit.undo")

    assert all(city.layer(name) is frame for name, frame in before.items())
    assert city.layer_names == list(before)
    assert app.document.city.scenarios[BUS] == stored_before
    assert app.scenarios.panel.edit_lines()[-1].endswith("(annulée)")
    assert redo.isEnabled()

    app.action_set.trigger("edit.redo")

    for name, frame in after.items():
        pd.testing.assert_frame_equal(city.layer(name), frame)
    assert app.document.city.scenarios[BUS]["edits"] == stored
    assert app.view.wait_for_scene()
    assert app.scenarios.marks().changed == {target}


def test_the_panel_undoes_an_edit_loaded_with_the_project(app: Any) -> None:
    click(app, DENSIFY)
    assert app.scenarios.panel.buttons["edit.undo"].isEnabled()

    app.scenarios.panel.buttons["edit.undo"].click()  # the new building leaves the scenario

    assert app.view.wait_for_scene()
    assert "NEW-1" not in drawn_buildings(app)
    assert len(app.document.city.scenarios[DENSIFY]["edits"]) == 2
    assert app.document.dirty

    app.scenarios.panel.buttons["edit.redo"].click()

    assert app.view.wait_for_scene()
    assert "NEW-1" in drawn_buildings(app)
    assert len(app.document.city.scenarios[DENSIFY]["edits"]) == 3


def test_a_change_of_the_baseline_applies_the_scenario_shown_again(app: Any, qtbot: Any) -> None:
    click(app, DENSIFY)
    old = app.shown_city()
    building = str(app.document.city.layer("buildings")["id"].iloc[0])

    app.document.city.update_values("buildings", [building], {"name": ["Halle neuve"]})

    qtbot.waitUntil(lambda: app.shown_city() is not old and app.scenarios.has_scenario())
    names = app.shown_city().layer("buildings").set_index("id")["name"]
    assert names.loc[building] == "Halle neuve" and "NEW-1" in names.index


def test_the_panel_reads_in_english(app: Any) -> None:
    click(app, DENSIFY)
    translator().set_language("en")
    panel = app.scenarios.panel
    assert app.docks["scenarios.dock"].windowTitle() == "Scenarios"
    assert panel.item_of(BASELINE).text(0) == "Current situation"
    assert panel.edits_title.text() == "Edits of “Densifier le centre”"
    lines = panel.edit_lines()
    assert lines[0] == "1. Add 1 storey to 10 buildings"
    assert lines[2].startswith("3. Add a building: 4 storeys, ") and "dwellings" in lines[2]
    assert panel.buttons["scenario.new"].text() == "New…"
    assert app.menus["menu.scenarios"].title() == "&Scenarios"
    assert app.scenarios.status_label.text() == "Scenario: Densifier le centre"
    assert "scenario “Densifier le centre”" in app.windowTitle()
    assert "changed" in panel.marks.text() and "new" in panel.marks.text()


def test_a_screenshot_shows_the_panel_and_the_densified_centre(
    app: Any, qtbot: Any, screenshots_dir: Path
) -> None:
    click(app, DENSIFY)
    app.view.render_now()
    qtbot.wait(100)
    app.view.render_now()
    path = screenshots_dir / "scenario_panel.png"
    assert app.grab().save(str(path))
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(
        image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * image.height()
    )
    pixels = raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        -1, 3
    )
    # the marked buildings show: pixels near the green of the new one, the blue of the raised
    for colour in (NEW_COLOUR, CHANGED_COLOUR):
        tint = np.array(hex_to_rgb(colour), dtype=int)
        assert (np.abs(pixels.astype(int) - tint).sum(axis=1) < 120).sum() > 50, colour
