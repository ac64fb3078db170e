"""Scenario marks kept across edits: after rows are added, removed or changed, comparing only
the rows the change names gives the same marks as comparing both frames afresh."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gui.marks_keeper import MarksKeeper, updated_marks
from gui.scenario_marks import Marks, compare_rows, object_marks
from samples.synthetic import synthetic_buildings
from twin.city import City


def town(n_buildings: int = 300) -> City:
    city = City(name="essai")
    city.set_layer("buildings", synthetic_buildings(n_buildings, seed=5))
    return city


def followed(city: City) -> tuple[City, MarksKeeper]:
    """A scenario of ``city`` (frames shared) and a keeper hearing its changes."""
    scenario = city.copy(share_layers=True)
    keeper = MarksKeeper()
    keeper.follow(scenario)
    scenario.changed.connect(keeper.note)
    return scenario, keeper


def fresh(baseline: City, scenario: City, layer: str = "buildings") -> Marks:
    return compare_rows(baseline.layer(layer), scenario.layer(layer))


def moved(rows: gpd.GeoDataFrame, dx_m: float) -> gpd.GeoDataFrame:
    rows = rows.copy()
    rows["geometry"] = shapely.transform(
        rows.geometry.to_numpy(), lambda xy: xy + np.array([dx_m, 0.0])
    )
    return rows


def test_marks_after_rows_added_removed_and_changed_equal_the_marks_made_afresh() -> None:
    baseline = town()
    scenario, keeper = followed(baseline)
    before = baseline.layer("buildings")
    ids = before["id"].astype(str).tolist()
    assert keeper.marks("buildings", before, scenario) == Marks()

    same_height = float(before["height_m"].iloc[7])  # set again: not a change
    new = moved(before.iloc[[10, 11]], 23.0)
    new["id"] = ["NEW1", "NEW2"]
    steps = [
        lambda: scenario.append_rows("buildings", new),
        lambda: scenario.drop_rows("buildings", [ids[3], "NEW2"]),
        lambda: scenario.update_values("buildings", [ids[5], ids[6]], {"height_m": [41.0, 42.0]}),
        lambda: scenario.update_values("buildings", [ids[7]], {"height_m": [same_height]}),
        lambda: scenario.append_rows("buildings", before.iloc[[3]]),  # put back as it was
        lambda: scenario.drop_rows("buildings", [ids[5]]),  # a changed one demolished
    ]
    for step in steps:
        step()
        assert keeper.marks("buildings", before, scenario) == fresh(baseline, scenario)

    marks = keeper.marks("buildings", before, scenario)
    assert marks.new == {"NEW1"} and marks.changed == {ids[6]} and marks.removed == {ids[5]}


def test_an_edit_made_in_a_transaction_is_marked_as_afresh_even_if_asked_for_in_between() -> None:
    baseline = town()
    scenario, keeper = followed(baseline)
    before = baseline.layer("buildings")
    ids = before["id"].astype(str).tolist()
    keeper.marks("buildings", before, scenario)

    with scenario.transaction():  # the events are held until it succeeds
        scenario.drop_rows("buildings", ids[:2])
        scenario.update_values("buildings", [ids[4]], {"floors": [9]})
        keeper.marks("buildings", before, scenario)  # asked while nothing was heard yet
    assert keeper.marks("buildings", before, scenario) == fresh(baseline, scenario)
    assert keeper.marks("buildings", before, scenario).removed == set(ids[:2])


def test_an_undo_a_new_baseline_frame_and_another_city_are_compared_whole() -> None:
    baseline = town()
    scenario, keeper = followed(baseline)
    before = baseline.layer("buildings")
    ids = before["id"].astype(str).tolist()
    state = scenario.snapshot()
    scenario.drop_rows("buildings", ids[:3])
    assert keeper.marks("buildings", before, scenario).removed == set(ids[:3])

    scenario.restore(state)  # changed without ids: the whole layer
    scenario.drop_rows("buildings", [ids[4]])  # and then some rows, before anyone asks
    assert keeper.marks("buildings", before, scenario) == fresh(baseline, scenario)
    assert keeper.marks("buildings", before, scenario).removed == {ids[4]}

    scenario.update_values("buildings", [ids[4 + 1]], {"id": ["RENAMED"]})  # ids changed
    scenario.update_values("buildings", [ids[6]], {"floors": [3]})
    assert keeper.marks("buildings", before, scenario) == fresh(baseline, scenario)

    baseline.update_values("buildings", [ids[8]], {"height_m": [77.0]})  # a new baseline frame
    marks = keeper.marks("buildings", baseline.layer("buildings"), scenario)
    assert marks == fresh(baseline, scenario) and ids[8] in marks.changed

    other = baseline.copy(share_layers=True)  # not followed: its changes are not heard
    other.drop_rows("buildings", [ids[9]])
    scenario.drop_rows("buildings", [ids[10]])  # heard, not asked for yet
    assert keeper.marks("buildings", baseline.layer("buildings"), other) == fresh(baseline, other)
    assert keeper.marks("buildings", baseline.layer("buildings"), scenario) == fresh(
        baseline, scenario
    )


def test_following_another_city_forgets_the_marks_kept() -> None:
    baseline = town()
    first, keeper = followed(baseline)
    before = baseline.layer("buildings")
    first.drop_rows("buildings", [str(before["id"].iloc[0])])
    keeper.marks("buildings", before, first)

    second = baseline.copy(share_layers=True)
    second.update_values("buildings", [str(before["id"].iloc[1])], {"floors": [7]})
    keeper.follow(second)
    assert keeper.marks("buildings", before, second) == fresh(baseline, second)


def test_object_layers_are_kept_as_the_buildings_and_equal_object_marks() -> None:
    baseline = town()
    stops = gpd.GeoDataFrame(
        {"id": ["S1", "S2", "S3"], "name": ["Gare", "Mairie", "Halle"]},
        geometry=shapely.points([[0, 0], [50, 0], [100, 0]]),
        crs="EPSG:2154",
    )
    baseline.set_layer("transit_stops", stops)
    scenario, keeper = followed(baseline)
    assert keeper.object_marks(baseline, scenario) == {}

    scenario.update_values("transit_stops", ["S2"], {"name": ["Hôtel de ville"]})
    scenario.drop_rows("transit_stops", ["S3"])
    kept = keeper.object_marks(baseline, scenario)
    assert kept == object_marks(baseline, scenario)
    assert kept["transit_stops"].changed == {"S2"} and kept["transit_stops"].removed == {"S3"}


def test_updated_marks_follow_the_first_row_of_a_repeated_id_as_compare_rows_does() -> None:
    before = pd.DataFrame({"id": ["a", "b", "b", "c"], "floors": [1, 2, 5, np.nan]})
    after = pd.DataFrame({"id": ["b", "a", "b", "d"], "floors": [2, 1, 9, 4]})
    start = compare_rows(before, before.copy())

    marks = updated_marks(start, before, after, ["a", "b", "c", "d"])

    assert marks == compare_rows(before, after)
    assert marks.new == {"d"} and marks.removed == {"c"} and not marks.changed
