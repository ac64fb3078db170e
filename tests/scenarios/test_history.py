"""Undo and redo: apply then undo gives back the baseline exactly; redo re-applies."""

from __future__ import annotations

import pandas as pd
import pytest

from scenarios.change import run_edit
from scenarios.edits import AddBuilding, AddDigitalAsset, AddFloors, SetHeight
from scenarios.history import History
from tests.scenarios.edit_city import (
    EVERY_KIND,
    X0,
    Y0,
    assert_same_city,
    edit_city,
    frames,
    rect_wkt,
)
from twin.errors import InvalidInputError


def test_every_edit_kind_applied_then_undone_gives_back_the_baseline_exactly() -> None:
    city = edit_city()
    baseline = city.copy()  # a deep copy: in-place changes would show
    history = History(city)
    for edit in EVERY_KIND:
        history.do(edit)
    assert len(city.layer("buildings")) == 2 and "transit_routes" in city
    while history.can_undo:
        history.undo()
    assert_same_city(city, baseline)


def test_redo_re_applies_every_edit_to_the_same_result() -> None:
    city = edit_city()
    history = History(city)
    for edit in EVERY_KIND:
        history.do(edit)
    applied = city.copy()
    while history.can_undo:
        history.undo()
    while history.can_redo:
        history.redo()
    assert_same_city(city, applied)
    assert history.edits == tuple(EVERY_KIND)


def test_listeners_hear_each_do_undo_and_redo_with_its_change() -> None:
    city = edit_city()
    history = History(city)
    heard: list[tuple[str, str]] = []
    history.changed.connect(lambda action, change: heard.append((action, change.edit.kind)))
    history.do(AddFloors(("B1",), 1))
    history.undo()
    history.redo()
    assert heard == [("do", "add_floors"), ("undo", "add_floors"), ("redo", "add_floors")]
    assert history.undo_summary == "add 1 floor(s) to 1 building(s)" and not history.can_redo


def test_undo_tells_the_city_listeners_which_rows_and_columns_came_back() -> None:
    city = edit_city()
    history = History(city)
    change = history.do(SetHeight(("B1",), 9.0))
    events: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    city.changed.connect(lambda layer, ids, columns: events.append((layer, ids, columns)))
    history.undo()
    assert events == list(change.events)
    assert change.layers == ("buildings",) and change.ids("buildings") == ("B1",)
    assert "height_m" in change.columns("buildings") and "floors" in change.columns("buildings")


def test_a_change_records_the_rows_a_new_layer_brought() -> None:
    city = edit_city()
    change = run_edit(city, AddDigitalAsset("sensor", f"POINT ({X0} {Y0})", count=3))
    assert change.ids("digital_assets") == ("NEW-DIGITAL-1",)
    assert change.before.layers["digital_assets"] is None


def test_an_edit_that_does_not_fit_is_not_pushed_and_changes_nothing() -> None:
    city = edit_city()
    history = History(city)
    history.do(AddFloors(("B1",), 1))
    before = frames(city)
    with pytest.raises(InvalidInputError, match="overlaps building 'B1'"):
        history.do(AddBuilding(floors=2, footprint_wkt=rect_wkt(0, 0, 30, 30)))
    assert frames(city) == before
    assert len(history.changes) == 1 and history.can_undo


def test_undo_refuses_when_the_city_was_changed_outside_the_history() -> None:
    city = edit_city()
    history = History(city)
    history.do(AddFloors(("B1",), 1))
    city.update_values("buildings", ["B2"], {"name": "Poste"})
    with pytest.raises(InvalidInputError, match="layer 'buildings' was changed otherwise"):
        history.undo()
    assert city.layer("buildings").set_index("id").loc["B2", "name"] == "Poste"


def test_nothing_to_undo_or_redo_is_one_clear_error() -> None:
    history = History(edit_city())
    with pytest.raises(InvalidInputError, match="nothing to undo"):
        history.undo()
    with pytest.raises(InvalidInputError, match="nothing to redo"):
        history.redo()
    assert not history.can_undo and history.undo_summary == ""


def test_undoing_an_edit_keeps_later_frames_of_other_layers_shared() -> None:
    city = edit_city()
    parcels = city.layer("parcels")
    history = History(city)
    history.do(AddFloors(("B1",), 1))
    history.undo()
    assert city.layer("parcels") is parcels
    assert isinstance(city.layer("buildings"), pd.DataFrame)


def test_the_history_forgets_the_oldest_edits_beyond_its_limit() -> None:
    city = edit_city()
    history = History(city, limit=2)
    for _ in range(3):
        history.do(AddFloors(("B1",), 1))
    history.undo()
    history.undo()
    assert not history.can_undo
    assert city.layer("buildings").set_index("id").loc["B1", "floors"] == 6  # the first stays
