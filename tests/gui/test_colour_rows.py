"""Colouring the buildings after rows were added or removed: the row of each object found
through Arrow, and the columns offered read once, give what a plain look-up and a colouring
from scratch give."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gui import colouring
from gui.colouring import colour_buildings, colour_columns
from gui.object_rows import object_rows
from samples.synthetic import synthetic_buildings
from twin.city import City


def plain_rows(ids: list[object], wanted: list[object]) -> list[int]:
    """The first row of each wanted id, -1 if absent, read one by one (the reference)."""
    first: dict[object, int] = {}
    for row, node_id in enumerate(ids):
        first.setdefault(node_id, row)
    return [first.get(node_id, -1) for node_id in wanted]


def forget() -> None:
    for memo in (colouring._COLOURINGS, colouring._PRESENT, colouring._ROWS):
        memo.clear()


def test_rows_of_objects_in_another_order_equal_a_plain_look_up_for_every_kind_of_id() -> None:
    city = City(name="essai")
    city.set_layer("buildings", synthetic_buildings(400, seed=2))
    extra = city.layer("buildings").iloc[[5, 6]].copy()
    extra["id"] = ["NEW1", "NEW2"]
    city.append_rows("buildings", extra)  # the id column now in two Arrow chunks
    city.drop_rows("buildings", [str(city.layer("buildings")["id"].iloc[7])])
    frame = city.layer("buildings")
    ids = frame["id"].astype(str).tolist()
    wanted = np.array([*np.random.default_rng(1).permutation(ids)[:300], "ABSENT", "NEW2"])

    assert object_rows(frame, wanted).tolist() == plain_rows(ids, wanted.tolist())
    assert object_rows(frame, np.array(ids)).tolist() == list(range(len(ids)))
    repeated = pd.DataFrame({"id": pd.Series(["a", "b", "a", "c", None], dtype=object)})
    assert object_rows(repeated, ["a", "z", "b", "c"]).tolist() == [0, -1, 1, 3]
    numbers = pd.DataFrame({"id": [10, 20, 10]})  # not text: matched as Python objects
    assert object_rows(numbers, np.array([20, 10, "10"], dtype=object)).tolist() == [1, 0, -1]
    assert object_rows(numbers.iloc[:0], ["a"]).tolist() == [-1]


def test_columns_offered_and_colours_after_rows_added_and_removed_equal_fresh_ones() -> None:
    city = City(name="essai")
    town = synthetic_buildings(300, seed=4)
    town["construction_year"] = pd.array([1900] + [pd.NA] * (len(town) - 1), dtype="Int64")
    city.set_layer("buildings", town)
    ids = city.layer("buildings")["id"].astype(str).to_numpy()
    drawn = ids[1:][::-1]  # another order, the one building with a year not drawn
    assert "construction_year" in colour_columns(city.layer("buildings"), ids)
    assert "construction_year" not in colour_columns(city.layer("buildings"), drawn)

    new = city.layer("buildings").iloc[[1]].copy()
    new["id"], new["construction_year"] = "NEW", 1931
    city.append_rows("buildings", new)
    drawn = np.array([*drawn, "NEW"])
    after = city.layer("buildings")
    offered = colour_columns(after, drawn)
    by_year = colour_buildings(after, drawn, "construction_year")
    by_height = colour_buildings(after, drawn, "height_m")
    forget()
    assert offered == colour_columns(after.copy(deep=True), drawn)
    assert "construction_year" in offered
    for kept, column in ((by_year, "construction_year"), (by_height, "height_m")):
        afresh = colour_buildings(after.copy(deep=True), drawn, column)
        assert np.array_equal(kept.rgb, afresh.rgb) and kept.entries == afresh.entries

    city.drop_rows("buildings", ["NEW"])
    assert "construction_year" not in colour_columns(city.layer("buildings"), drawn)
