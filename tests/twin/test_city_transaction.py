"""City transactions: changes kept all together or not at all, events only after success."""

from __future__ import annotations

import pytest

from tests.twin.factories import small_city
from twin.city import City


def record(city: City) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    events: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    city.changed.connect(lambda layer, ids, columns: events.append((layer, ids, columns)))
    return events


def test_events_of_a_transaction_are_emitted_in_order_once_it_succeeds() -> None:
    city = small_city()
    events = record(city)
    with city.transaction():
        city.update_values("buildings", ["b1"], {"height_m": 12.0})
        city.drop_rows("parcels", ["12991000ZA0001"])
        assert events == []  # held back while the transaction runs
    assert events == [("buildings", ("b1",), ("height_m",)), ("parcels", ("12991000ZA0001",), ())]


def test_a_failing_transaction_puts_every_layer_back_and_emits_nothing() -> None:
    city = small_city()
    buildings = city.layer("buildings")
    events = record(city)
    with pytest.raises(ZeroDivisionError), city.transaction():
        city.update_values("buildings", ["b1"], {"height_m": 12.0})
        city.remove_layer("parcels")
        city.provenance.append(None)  # type: ignore[arg-type]
        city.origin = (1.0, 2.0, 0.0)
        _ = 1 / 0
    assert city.layer("buildings") is buildings
    assert "parcels" in city and city.hierarchy.parent_of("b1") == "12990000AB0001"
    assert city.provenance == [] and city.origin is None
    assert events == []


def test_a_failing_inner_transaction_undoes_only_its_own_part() -> None:
    city = small_city()
    events = record(city)
    with city.transaction():
        city.update_values("buildings", ["b1"], {"height_m": 12.0})
        with pytest.raises(RuntimeError), city.transaction():
            city.update_values("buildings", ["b2"], {"height_m": 30.0})
            raise RuntimeError("inner")
    heights = city.layer("buildings").set_index("id")["height_m"]
    assert heights["b1"] == 12.0 and heights["b2"] != 30.0
    assert events == [("buildings", ("b1",), ("height_m",))]


def test_a_snapshot_keeps_references_and_restore_tells_listeners_what_changed_back() -> None:
    city = small_city()
    state = city.snapshot()
    assert state.layers["buildings"] is city.layer("buildings")  # nothing copied
    city.drop_rows("buildings", ["b1"])
    events = record(city)
    city.restore(state)
    assert city.layer("buildings") is state.layers["buildings"]
    assert events == [("buildings", (), ())]
