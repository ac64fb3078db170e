"""Colouring the buildings again after an edit: a colouring is kept while its column is
untouched (and never when the column changed, even in place), and the view repaints only the
cells of the buildings whose colour changed, to the same colours as a full repaint."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gui import colouring
from gui.colouring import colour_buildings, colour_columns
from gui.scene import VERTEX_RGB
from samples.synthetic import synthetic_buildings
from twin.city import City


def town(n_buildings: int = 2000) -> tuple[City, np.ndarray]:
    city = City(name="essai")
    city.set_layer("buildings", synthetic_buildings(n_buildings, seed=3))
    ids = city.layer("buildings")["id"].astype(str).to_numpy()
    return city, np.asarray(ids, dtype=str)


def fresh(buildings: pd.DataFrame, ids: np.ndarray, column: str) -> colouring.Colouring:
    """The colouring computed from scratch (nothing kept)."""
    for memo in (colouring._COLOURINGS, colouring._PRESENT, colouring._ROWS):
        memo.clear()
    return colour_buildings(buildings, ids, column)


def test_a_colouring_is_kept_while_its_column_is_untouched_by_an_edit() -> None:
    city, ids = town()
    by_use = colour_buildings(city.layer("buildings"), ids, "use")
    by_height = colour_buildings(city.layer("buildings"), ids, "height_m")
    heights = city.layer("buildings")["height_m"].to_numpy()[:5] + 40.0
    city.update_values("buildings", list(ids[:5]), {"height_m": heights})
    after = city.layer("buildings")

    assert colour_buildings(after, ids.copy(), "use") is by_use  # a rebuilt view: equal ids
    again = colour_buildings(after, ids, "height_m")
    assert again is not by_height
    expected = fresh(after, ids, "height_m")
    assert np.array_equal(again.rgb, expected.rgb) and again.entries == expected.entries
    assert not again.rgb.flags.writeable  # shared: nobody may change it
    assert colour_columns(after, ids) == colour_columns(fresh_frame(after), ids)


def fresh_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.copy(deep=True)


def test_a_column_changed_in_place_is_coloured_anew() -> None:
    city, ids = town(300)
    frame = city.layer("buildings").copy()
    before = colour_buildings(frame, ids, "use")
    frame.loc[frame.index[:150], "use"] = "office"  # copy-on-write: new buffers

    after = colour_buildings(frame, ids, "use")

    assert after is not before
    counts = {entry.label: entry.n_buildings for entry in after.entries}
    assert counts["Bureaux"] >= 150


def test_recolouring_a_few_buildings_repaints_exactly_their_cells(shown: Any) -> None:
    view = shown.view
    layer = view.layers["buildings"]
    rgb = layer.base_rgb.copy()
    rgb[[0, 5, len(rgb) - 1]] = (255, 0, 255)
    cells_before = np.asarray(layer.mesh.cell_data["rgb"]).copy()

    view.set_object_colours("buildings", rgb)

    cells = np.asarray(layer.mesh.cell_data["rgb"])
    assert np.array_equal(cells, layer.colours())  # what a full repaint gives
    repainted = np.flatnonzero((cells != cells_before).any(axis=1))
    objects = np.asarray(layer.mesh.cell_data["object_index"])[repainted]
    assert set(objects.tolist()) == {0, 5, len(rgb) - 1}
    if VERTEX_RGB in layer.mesh.point_data:
        per_point = rgb[np.asarray(layer.mesh.point_data["object_index"])]
        assert np.array_equal(np.asarray(layer.mesh.point_data[VERTEX_RGB]), per_point)
