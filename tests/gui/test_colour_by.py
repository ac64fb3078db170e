"""Colour-by a column in the window: the combo, the cell colours of the buildings, the legend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from gui.colouring import COLOUR_COLUMNS, colour_buildings
from gui.i18n import translator
from gui.scene import HIGHLIGHT_COLOUR, hex_to_rgb

SCREENSHOT = Path("/tmp/colour_by_height.png")


def cell_colours(window: Any) -> np.ndarray:
    return np.asarray(window.view.layers["buildings"].mesh.cell_data["rgb"]).copy()


def expected_cells(window: Any, column: str) -> np.ndarray:
    """Cell colours the buildings should have when coloured by ``column``."""
    layer = window.view.layers["buildings"]
    city = window.document.city
    rgb = colour_buildings(city.layer("buildings"), layer.object_ids, column).rgb
    return rgb[np.asarray(layer.mesh.cell_data["object_index"])]


def choose(window: Any, title: str) -> None:
    """Pick a column in the combo by its visible title, as a user would."""
    combo = window.layers_panel.colour_combo
    index = combo.findText(title)
    assert index >= 0, f"{title!r} not offered: {window.layers_panel.colour_columns()}"
    combo.setCurrentIndex(index)


def test_the_combo_offers_the_columns_with_values_and_starts_on_use(window: Any) -> None:
    panel = window.layers_panel
    assert panel.colour_column() == "use"
    offered = panel.colour_columns()
    assert {"use", "height_m", "construction_year", "floors"} <= set(offered)
    buildings = window.document.city.layer("buildings")
    drawn = buildings[buildings["id"].isin(window.view.layers["buildings"].object_ids)]
    with_values = [c for c in COLOUR_COLUMNS if c in drawn and drawn[c].notna().any()]
    assert offered == with_values  # e.g. not the floor area, known for the IFC town hall only
    assert panel.legend.title.text() == "Usage"
    assert ("Habitat", "#e8c07d") in panel.legend.rows()


def test_choosing_height_colours_the_cells_by_height_classes_in_metres(window: Any) -> None:
    use_cells = cell_colours(window)
    choose(window, "Hauteur")
    cells = cell_colours(window)
    assert (cells != use_cells).any(axis=1).mean() > 0.5
    assert (cells == expected_cells(window, "height_m")).all()
    legend = window.layers_panel.legend
    assert legend.title.text() == "Hauteur (m)"
    rows = legend.rows()
    assert 3 <= len(rows) <= 5
    assert all(label.endswith(" m") and " – " in label for label, _ in rows)
    drawn = {tuple(c) for c in np.unique(cells, axis=0)}
    assert drawn == {hex_to_rgb(colour) for _, colour in rows}


def test_going_back_to_use_restores_the_use_colours(window: Any) -> None:
    layer = window.view.layers["buildings"]
    use_cells = cell_colours(window)
    choose(window, "Période de construction")
    assert (cell_colours(window) != use_cells).any()
    assert window.layers_panel.legend.rows()[-1][0] == "non renseigné"
    choose(window, "Usage")
    assert (cell_colours(window) == use_cells).all()
    assert (layer.base_rgb == layer.default_rgb).all()


def test_a_rebuild_of_the_buildings_keeps_the_colouring(window: Any) -> None:
    choose(window, "Hauteur")
    old_layer = window.view.layers["buildings"]
    window.view.rebuild(window.document.city, ["buildings"])
    assert window.view.layers["buildings"] is not old_layer
    assert (cell_colours(window) == expected_cells(window, "height_m")).all()
    assert window.layers_panel.colour_column() == "height_m"


def test_an_edit_of_the_heights_recolours_and_updates_the_legend(window: Any, qtbot: Any) -> None:
    choose(window, "Hauteur")
    city = window.document.city
    tallest = str(city.layer("buildings").sort_values("height_m")["id"].iloc[-1])
    city.update_values("buildings", [tallest], {"height_m": 96.0})
    qtbot.waitUntil(lambda: window.layers_panel.legend.rows()[-1][0].endswith("96 m"), timeout=3000)
    qtbot.wait(150)  # the scene rebuild that follows the edit
    assert (cell_colours(window) == expected_cells(window, "height_m")).all()


def test_the_selection_highlight_shows_on_top_of_a_colouring(window: Any) -> None:
    choose(window, "Hauteur")
    layer = window.view.layers["buildings"]
    chosen = str(layer.object_ids[10])
    window.select_object(chosen)
    cells = cell_colours(window)
    index = np.asarray(layer.mesh.cell_data["object_index"])
    mine = index == 10
    assert (cells[mine] == hex_to_rgb(HIGHLIGHT_COLOUR)).all()
    assert (cells[~mine] == expected_cells(window, "height_m")[~mine]).all()
    choose(window, "Période de construction")  # a new colouring keeps the highlight
    assert (cell_colours(window)[mine] == hex_to_rgb(HIGHLIGHT_COLOUR)).all()


def test_a_new_city_refreshes_the_columns_and_falls_back_to_use(
    window: Any, sample_city: Any
) -> None:
    choose(window, "Période de construction")
    buildings = sample_city.layer("buildings")
    sample_city.update_values(
        "buildings", list(buildings["id"]), {"construction_year": [None] * len(buildings)}
    )
    window.set_city(sample_city)
    panel = window.layers_panel
    assert "construction_year" not in panel.colour_columns()
    assert panel.colour_column() == "use"
    assert panel.legend.title.text() == "Usage"
    window.set_city(None)
    assert panel.colour_columns() == [] and not panel.colour_combo.isEnabled()
    assert panel.legend.isHidden()


def test_switching_language_translates_the_combo_and_the_legend(window: Any) -> None:
    choose(window, "Période de construction")
    translator().set_language("en")
    panel = window.layers_panel
    assert panel.colour_combo.currentText() == "Construction period"
    assert panel.legend.title.text() == "Construction period"
    labels = [label for label, _ in panel.legend.rows()]
    assert labels[0] == "before 1919" and labels[-1] == "not given"
    assert panel.colour_column() == "construction_year"


def test_screenshot_of_the_window_coloured_by_height(shown: Any, qtbot: Any) -> None:
    choose(shown, "Hauteur")
    shown.view.render_now()
    qtbot.wait(50)
    assert shown.grab().save(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
