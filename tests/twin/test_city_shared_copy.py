"""City.copy(share_layers=True): a copy-on-write copy for scenarios; restore with given events;
update_values on a table without geometry."""

from __future__ import annotations

import pandas as pd

from tests.twin.factories import small_city


def test_a_shared_copy_holds_the_same_frames_until_either_city_changes_one() -> None:
    city = small_city()
    shared = city.copy(share_layers=True)
    assert all(shared.layer(n) is city.layer(n) for n in city.layer_names)
    shared.update_values("buildings", ["b1"], {"height_m": 40.0})
    assert city.layer("buildings").set_index("id").loc["b1", "height_m"] == 6.0
    assert shared.layer("buildings").set_index("id").loc["b1", "height_m"] == 40.0
    assert shared.layer("parcels") is city.layer("parcels")  # unchanged layers stay shared
    city.drop_rows("parcels", ["12990000AB0002"])
    assert "12990000AB0002" in set(shared.layer("parcels")["id"])


def test_a_shared_copy_has_its_own_metadata_scenarios_and_listeners() -> None:
    city = small_city()
    city.scenarios["A"] = {"name": "A", "edits": []}
    heard: list[str] = []
    city.changed.connect(lambda layer, _ids, _columns: heard.append(layer))
    shared = city.copy(share_layers=True)
    shared.scenarios["A"]["edits"].append({"kind": "demolish"})
    shared.metadata["scenario"] = "A"
    shared.update_values("buildings", ["b2"], {"floors": 3})
    assert city.scenarios["A"]["edits"] == [] and "scenario" not in city.metadata
    assert heard == []


def test_restore_can_tell_listeners_the_rows_it_puts_back() -> None:
    city = small_city()
    state = city.snapshot()
    city.update_values("buildings", ["b1"], {"height_m": 40.0})
    events: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    city.changed.connect(lambda layer, ids, columns: events.append((layer, ids, columns)))
    city.restore(state, events=[("buildings", ("b1",), ("height_m",))])
    assert events == [("buildings", ("b1",), ("height_m",))]
    assert city.layer("buildings") is state.layers["buildings"]


def test_values_of_a_table_without_geometry_can_be_updated() -> None:
    city = small_city()
    hours = pd.DataFrame({"id": ["s@7"], "stop_id": ["s"], "hour": [7], "departures": [4]})
    city.set_layer("transit_stop_hours", hours)
    city.update_values("transit_stop_hours", ["s@7"], {"departures": [6]})
    assert city.layer("transit_stop_hours")["departures"].tolist() == [6]
