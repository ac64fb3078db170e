"""Buildings demolished and added in a scenario, as the window follows them: coloured once,
when the view draws them (not also before, on the old objects), and marked as marks made
afresh would mark them; the tree and the edits' lines follow."""

from __future__ import annotations

from typing import Any

import numpy as np

from gui.scenario_marks import compare_rows, marked_colours
from gui.scenario_texts import describe_edit
from scenarios.edits import AddBuilding, Demolish

SCENARIO = "Essai"


def test_buildings_demolished_and_added_in_a_scenario_are_coloured_once_and_marked_right(
    shown: Any, qtbot: Any
) -> None:
    app = shown
    app.scenarios.commands.ask_name = lambda _title, _default: SCENARIO
    app.action_set.trigger("scenario.new")
    assert app.scenarios.shown_name == SCENARIO and app.view.wait_for_scene()
    city, baseline = app.shown_city(), app.document.city
    colourings: list[int] = []
    colour = app._colour_buildings
    app._colour_buildings = lambda *args, **kwargs: (colourings.append(1), colour(*args, **kwargs))
    buildings = city.layer("buildings")
    gone = str(buildings["id"].iloc[4])
    footprint = buildings.geometry.iloc[4]

    def drawn() -> np.ndarray:
        return app.view.layers["buildings"].object_ids.astype(str)

    app.select_object(gone)
    assert app.scenarios.do_edit(Demolish((gone,))) is not None
    qtbot.waitUntil(lambda: gone not in drawn() and not app.view.scene_busy(), timeout=30_000)
    assert colourings == [1]
    assert app.scenarios.do_edit(AddBuilding(floors=3, footprint_wkt=footprint.wkt, id="NEUF"))
    qtbot.waitUntil(lambda: "NEUF" in drawn() and not app.view.scene_busy(), timeout=30_000)
    assert colourings == [1, 1]

    marks = app.scenarios.marks()
    assert marks == compare_rows(baseline.layer("buildings"), city.layer("buildings"))
    assert marks.new == {"NEUF"} and gone in marks.removed
    layer = app.view.layers["buildings"]
    assert np.array_equal(layer.base_rgb, marked_colours(layer.default_rgb, drawn(), marks))
    model = app.hierarchy.model
    assert model.index_of_id("NEUF").isValid() and not model.index_of_id(gone).isValid()
    lines = app.scenarios.panel.edit_lines()
    changes = app.scenarios.shown_session().history.changes
    assert [line.split(". ", 1)[1] for line in lines] == [
        describe_edit(change.edit, change) for change in changes
    ]

    app.scenarios.undo()  # the building added goes again: its rows compared again
    qtbot.waitUntil(lambda: "NEUF" not in drawn() and not app.view.scene_busy(), timeout=30_000)
    after_undo = app.scenarios.marks()
    assert after_undo == compare_rows(baseline.layer("buildings"), city.layer("buildings"))
    assert "NEUF" not in after_undo.new and gone in after_undo.removed
