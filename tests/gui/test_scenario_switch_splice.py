"""Showing another scenario splices the buildings that differ into the 3D view's buildings
layer (few of them) instead of rebuilding it: after each switch on the sample town the view
draws what a layer built anew draws (objects, boxes, faces, pick and coarse boxes), in the
colours, marks and selection of a full rebuild; over the limit the layer is rebuilt whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import gui.scene_update
from gui.scene import VERTEX_RGB
from gui.scene_update import build_scene, differing_buildings
from scenarios.scenario import BASELINE, scenarios_of
from tests.gui.test_scene_rows import shapes_of

DENSIFY = "Densifier le centre"
THIRD_PLACE = "Tiers-lieu"  # « Tiers-lieu dans la mairie »: the name starts so
SELECTED = "BATIMENT0000000241875285"  # demolished by the densification
HEIGHT_COLOURS = "height_m"


@pytest.fixture
def app(shown: Any) -> Any:
    """The window on screen, its scenario dialogs answered by the test (errors fail it)."""

    def unexpected(text: str) -> None:
        raise AssertionError(f"unexpected error dialog: {text}")

    shown.scenarios.commands.show_error = unexpected
    return shown


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """How each buildings layer the view is given was made: "whole" or "splice"."""
    made: list[str] = []

    def spy(function: Any, kind: str) -> Any:
        def wrapped(city: Any, *args: Any) -> Any:
            if kind != "whole" or args[0] == "buildings":
                made.append(kind)
            return function(city, *args)

        return wrapped

    for name, kind in [
        ("build_layer", "whole"),
        ("spliced_rows", "splice"),
        ("spliced_buildings", "splice"),
    ]:
        monkeypatch.setattr(gui.scene_update, name, spy(getattr(gui.scene_update, name), kind))
    yield made


def show(window: Any, name: str) -> None:
    """Choose a row of the scenarios list as the user would, and wait for the 3D view."""
    if name != BASELINE:
        name = next(n for n in scenarios_of(window.document.city) if n.startswith(name))
    window.scenarios.panel.tree.setCurrentItem(window.scenarios.panel.item_of(name))
    assert window.view.wait_for_scene()


def drawn_colours(layer: Any) -> dict[str, tuple[Any, ...]]:
    """Each object's colour (given, drawn) and the colours of its vertices on screen, by id."""
    vertex_rgb = np.asarray(layer.mesh.point_data[VERTEX_RGB])
    offsets = layer.store.vertex_offsets
    return {
        str(object_id): (
            tuple(layer.base_rgb[k].tolist()),
            np.unique(vertex_rgb[offsets[k] : offsets[k + 1]], axis=0).tobytes(),
        )
        for k, object_id in enumerate(layer.object_ids)
    }


def assert_as_built_anew(window: Any) -> None:
    """The view's buildings are those of a layer built from scratch on the City shown, and
    coloured (colour-by, marks, selection) as after a full rebuild of the view's layer."""
    city = window.shown_city()
    ours = window.view.layers["buildings"]
    fresh = build_scene(city, {"buildings": None}, {})["buildings"]
    assert fresh is not None and not ours.tiled
    assert shapes_of(ours) == shapes_of(fresh)
    by_id = np.argsort(ours.object_ids), np.argsort(fresh.object_ids)
    assert np.array_equal(ours.default_rgb[by_id[0]], fresh.default_rgb[by_id[1]])
    colours = drawn_colours(ours)
    window.view.rebuild(city, ["buildings"])  # the window colours it again, as after a build
    assert drawn_colours(window.view.layers["buildings"]) == colours


def test_switching_scenarios_splices_the_few_buildings_that_differ(
    app: Any, builds: list[str]
) -> None:
    combo = app.layers_panel.colour_combo
    combo.setCurrentIndex(combo.findData(HEIGHT_COLOURS))
    app.select_object(SELECTED)
    for name in [DENSIFY, BASELINE, THIRD_PLACE]:
        before = app.shown_city()
        builds.clear()
        show(app, name)
        differing = differing_buildings(before, app.shown_city())
        assert differing is not None and len(differing) <= gui.scene_update.ROW_SPLICE_MAX
        assert builds == (["splice"] if differing else []), name
        assert_as_built_anew(app)


def test_the_densification_differs_by_its_edited_buildings_only(app: Any) -> None:
    baseline = app.document.city
    show(app, DENSIFY)
    scenario = app.shown_city()
    differing = differing_buildings(baseline, scenario)
    marks = app.scenarios.marks()
    assert differing is not None and marks is not None
    # its heights, footprints, new and demolished buildings; not what the view does not draw
    assert set(differing) <= marks.new | marks.changed | marks.removed
    assert marks.new <= differing and marks.removed <= differing and SELECTED in differing
    assert differing_buildings(scenario, scenario.copy(share_layers=True)) == frozenset()


def test_a_switch_over_the_limit_rebuilds_the_whole_layer_rightly(
    app: Any, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gui.scene_update, "ROW_SPLICE_MAX", 1)
    for name in [DENSIFY, BASELINE]:
        builds.clear()
        show(app, name)
        assert builds == ["whole"], name
        assert_as_built_anew(app)
