"""The City's change methods check only what changed, share the rest copy-on-write, and move
the hierarchy index along instead of rebuilding it: the same frames, errors and index as the
whole-layer way."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from tests.twin.factories import small_city
from twin.city import City
from twin.errors import SpecError
from twin.hierarchy import HierarchyIndex
from twin.layer_changes import _conformed_rows, _conformed_values, row_positions
from twin.levels import LEVEL_LAYERS

X, Y = 668000.0, 6357000.0


def rebuilt(city: City) -> HierarchyIndex:
    frames = {level: city.layer(name) for level, name in LEVEL_LAYERS.items() if name in city}
    return HierarchyIndex.from_frames(frames)


def assert_same_hierarchy(city: City) -> None:
    moved, fresh = city.hierarchy, rebuilt(city)
    assert moved.ids.tolist() == fresh.ids.tolist()
    assert moved.parents.tolist() == fresh.parents.tolist()
    assert moved.levels.tolist() == fresh.levels.tolist()
    assert moved.orphan_ids == fresh.orphan_ids


def new_buildings(ids: list[str], parents: list[str | None]) -> gpd.GeoDataFrame:
    shapes = [box(X + 5 * i, Y + 90, X + 5 * i + 4, Y + 94) for i in range(len(ids))]
    return gpd.GeoDataFrame(
        {"id": ids, "parent_id": parents, "use": "residential", "floors": 2},
        geometry=shapes,
        crs="EPSG:2154",
    )


@pytest.mark.parametrize(
    "values",
    [
        {"height_m": [12.5, 30.0]},
        {"floors": "4", "dwellings": [None, 3]},
        {"use": "office", "use_mix": '{"office": 1}'},
        {"name": ["Mairie", None], "retrofit_target": "C"},
        {"geometry": [box(X, Y, X + 3, Y + 3), box(X + 4, Y, X + 8, Y + 3)]},
        {"id": ["n1", "n2"]},
    ],
)
def test_an_edit_gives_the_frame_a_whole_layer_check_would(values: dict[str, object]) -> None:
    city = small_city()
    frame, spec = city.layer("buildings"), city.spec("buildings")
    expected = _conformed_values(frame, spec, row_positions(frame, ["b2", "b4"]), values, city.crs)
    city.update_values("buildings", ["b2", "b4"], values)
    pd.testing.assert_frame_equal(city.layer("buildings"), expected, check_exact=True)


def test_an_edit_shares_the_columns_it_leaves_and_never_changes_the_old_frame() -> None:
    city = small_city()
    before = city.layer("buildings")
    heights = before["height_m"].to_numpy().copy()
    city.update_values("buildings", ["b1"], {"height_m": 40.0})
    after = city.layer("buildings")
    assert after is not before
    assert np.shares_memory(after["floors"].array._data, before["floors"].array._data)
    assert before["height_m"].to_numpy().tolist() == heights.tolist()
    assert after.set_index("id").loc["b1", "height_m"] == 40.0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"height_m": -1.0}, "outside the allowed range"),
        ({"floors": 2.5}, "must hold Int64"),
        ({"use": "château"}, "one of residential"),
        ({"id": "b1"}, "duplicate id"),
        ({"id": None}, "required"),
    ],
)
def test_a_bad_value_is_refused_with_the_message_of_the_whole_layer_check(
    values: dict[str, object], message: str
) -> None:
    city = small_city()
    frame, spec = city.layer("buildings"), city.spec("buildings")
    with pytest.raises(SpecError) as reference:
        _conformed_values(frame, spec, row_positions(frame, ["b2"]), values, city.crs)
    with pytest.raises(SpecError) as raised:
        city.update_values("buildings", ["b2"], values)
    assert str(raised.value) == str(reference.value)
    assert message in str(raised.value)
    assert city.layer("buildings") is frame


def test_appended_rows_are_checked_alone_and_give_the_whole_layer_frame() -> None:
    city = small_city()
    frame, spec = city.layer("buildings"), city.spec("buildings")
    rows = new_buildings(["n1", "n2"], ["12990000AB0001", None]).assign(comment=["neuf", None])
    expected = _conformed_rows(frame, rows, spec, city.crs, "scenario")
    assert city.append_rows("buildings", rows, source="scenario") == ["n1", "n2"]
    pd.testing.assert_frame_equal(city.layer("buildings"), expected, check_exact=True)


def test_an_appended_id_already_in_the_layer_gets_the_whole_layer_message() -> None:
    city = small_city()
    frame, spec = city.layer("buildings"), city.spec("buildings")
    rows = new_buildings(["n1", "b3"], [None, None])
    with pytest.raises(SpecError) as reference:
        _conformed_rows(frame, rows, spec, city.crs, "")
    with pytest.raises(SpecError, match="duplicate id") as raised:
        city.append_rows("buildings", rows)
    assert str(raised.value) == str(reference.value)
    assert city.layer("buildings") is frame


def test_the_hierarchy_follows_rows_added_removed_and_put_back_as_a_rebuild_would() -> None:
    city = small_city()
    _ = city.hierarchy
    state = city.snapshot()
    city.append_rows("buildings", new_buildings(["n1", "n2"], ["12990000AB0002", "gone"]))
    assert_same_hierarchy(city)
    assert "n2" in city.hierarchy.orphan_ids and city.hierarchy.parent_of("n1") == "12990000AB0002"
    city.drop_rows("buildings", ["b1", "n1"])
    assert_same_hierarchy(city)
    city.drop_rows("parcels", ["12990000AB0001"])  # its building b2 becomes an orphan
    assert_same_hierarchy(city)
    assert "b2" in city.hierarchy.orphan_ids
    city.restore(state)
    assert_same_hierarchy(city)
    assert city.hierarchy.children("12990000AB0001") == ["b1", "b2"]


def test_an_added_row_that_an_orphan_names_relinks_it() -> None:
    city = small_city()
    _ = city.hierarchy
    assert city.hierarchy.orphan_ids == ["b6"]
    parcel = gpd.GeoDataFrame(
        {"id": [city.layer("buildings").set_index("id").loc["b6", "parent_id"]]},
        geometry=[box(X, Y, X + 10, Y + 10)],
        crs="EPSG:2154",
    )
    city.append_rows("parcels", parcel)
    assert city.hierarchy.orphan_ids == []
    assert_same_hierarchy(city)


def test_row_source_tells_which_earlier_row_each_row_is_through_edits_and_undo() -> None:
    city = small_city()
    first = city.layer("buildings")
    city.update_values("buildings", ["b1"], {"height_m": 9.0})
    city.drop_rows("buildings", ["b2", "b4"])
    city.append_rows("buildings", new_buildings(["n1"], [None]))
    assert city.row_source("buildings", first).tolist() == [0, 2, 4, 5, -1]
    state = city.snapshot()
    city.drop_rows("buildings", ["b3"])
    dropped = city.layer("buildings")
    city.restore(state)  # an undo: b3 comes back, new to the frame it replaces
    assert city.row_source("buildings", dropped).tolist() == [0, -1, 1, 2, 3]
    city.set_layer("buildings", city.layer("buildings"))
    assert city.row_source("buildings", first) is None  # replaced whole: not known
