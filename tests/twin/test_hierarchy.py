"""The hierarchy index answers children, ancestors and roll-ups over whole columns."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.twin.factories import small_city
from twin.errors import HierarchyError
from twin.hierarchy import UNASSIGNED, HierarchyIndex
from twin.levels import Level


def test_children_are_the_rows_naming_the_node_as_parent() -> None:
    hierarchy = small_city().hierarchy
    assert hierarchy.children("T") == ["12990", "12991"]
    assert hierarchy.children("12990000AB0001") == ["b1", "b2"]
    assert hierarchy.children("b1") == []
    assert hierarchy.child_count("129910000") == 2  # a parcel and a building without parcel


def test_ancestors_run_from_the_parent_up_to_the_territory() -> None:
    hierarchy = small_city().hierarchy
    assert hierarchy.ancestors("b3") == ["12990000AB0002", "129900101", "12990", "T"]
    assert hierarchy.ancestors("b5") == ["129910000", "12991", "T"]  # skips the parcel level
    assert hierarchy.ancestors("T") == []


def test_a_building_naming_a_missing_parcel_is_reported_as_an_orphan() -> None:
    hierarchy = small_city().hierarchy
    assert hierarchy.orphan_ids == ["b6"]
    assert hierarchy.parent_of("b6") is None


def test_counts_per_level_match_the_layers() -> None:
    counts = small_city().hierarchy.count_per_level()
    assert counts[Level.COMMUNE] == 2
    assert counts[Level.PARCEL] == 4
    assert counts[Level.BUILDING] == 6
    assert counts[Level.SPACE] == 0


def test_ancestor_at_finds_the_commune_of_each_building_at_once() -> None:
    hierarchy = small_city().hierarchy
    communes = hierarchy.ancestor_at(["b1", "b4", "b5", "b6"], Level.COMMUNE)
    assert communes.tolist() == ["12990", "12990", "12991", None]


def test_roll_up_sums_dwellings_per_commune_and_conserves_the_total() -> None:
    city = small_city()
    buildings = city.layer("buildings")
    dwellings = pd.Series(buildings["dwellings"].to_numpy(float), index=buildings["id"])
    per_commune = city.hierarchy.roll_up(dwellings, Level.BUILDING, Level.COMMUNE)
    assert per_commune["12990"] == 17
    assert per_commune["12991"] == 0
    assert per_commune[UNASSIGNED] == 3  # the orphan's dwellings are kept, not lost
    assert per_commune.sum() == dwellings.sum()


def test_roll_up_to_the_same_level_returns_every_row() -> None:
    city = small_city()
    values = pd.Series([1.0, 2.0, 3.0, 4.0], index=city.layer("parcels")["id"])
    same = city.hierarchy.roll_up(values, Level.PARCEL, Level.PARCEL)
    assert same.to_dict() == values.to_dict()


def test_roll_up_refuses_to_go_down_the_hierarchy() -> None:
    city = small_city()
    values = pd.Series([1.0], index=["12990"])
    with pytest.raises(HierarchyError, match="lower level"):
        city.hierarchy.roll_up(values, Level.COMMUNE, Level.BUILDING)


def test_descendants_at_lists_every_building_of_a_commune() -> None:
    hierarchy = small_city().hierarchy
    assert hierarchy.descendants_at("12990", Level.BUILDING) == ["b1", "b2", "b3", "b4"]
    assert hierarchy.descendants_at("T", Level.DISTRICT) == ["129900101", "129900102", "129910000"]


def test_an_id_used_twice_is_refused_with_a_message_saying_what_to_do() -> None:
    frames = {
        Level.COMMUNE: pd.DataFrame({"id": ["A"], "parent_id": [None]}),
        Level.BUILDING: pd.DataFrame({"id": ["A"], "parent_id": [None]}),
    }
    with pytest.raises(HierarchyError, match="needs its own id"):
        HierarchyIndex.from_frames(frames)


def test_a_parent_below_its_child_is_refused() -> None:
    frames = {
        Level.COMMUNE: pd.DataFrame({"id": ["C"], "parent_id": ["B"]}),
        Level.BUILDING: pd.DataFrame({"id": ["B"], "parent_id": [None]}),
    }
    with pytest.raises(HierarchyError, match="parent must be higher"):
        HierarchyIndex.from_frames(frames)


def test_the_hierarchy_is_rebuilt_after_a_parent_link_changes() -> None:
    city = small_city()
    assert city.hierarchy.parent_of("b1") == "12990000AB0001"
    city.update_values("buildings", ["b1"], {"parent_id": "12990000AC0001"})
    assert city.hierarchy.parent_of("b1") == "12990000AC0001"
    assert city.hierarchy.children("12990000AC0001") == ["b1", "b4"]
