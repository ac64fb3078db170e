"""Retrofit, de-sealing, transit and digital edits (see tests/scenarios/edit_city.py)."""

from __future__ import annotations

import pytest

from scenarios.change import run_edit
from scenarios.edits import (
    AddDigitalAsset,
    AddTransitLine,
    Retrofit,
    add_digital_asset,
    add_transit_line,
    add_transit_stop,
    deseal,
    retrofit,
)
from scenarios.indicators.stop_access import stop_departures_per_h
from tests.scenarios.edit_city import X0, Y0, edit_city, frames
from twin.city import City
from twin.errors import InvalidInputError


def column(city: City, layer: str, name: str) -> dict[str, object]:
    frame = city.layer(layer)
    return dict(zip(frame["id"], frame[name], strict=True))


def test_a_retrofit_targets_buildings_below_the_class_and_leaves_better_ones() -> None:
    city = edit_city()
    retrofit(city, ["B1", "B2", "H1"], "C")
    targets = column(city, "buildings", "retrofit_target")
    assert targets["B1"] == "C"  # class E: retrofitted
    assert targets["H1"] == "C"  # class unknown: retrofitted
    assert targets["B2"] != "C"  # already class B


def test_a_retrofit_within_a_district_takes_the_buildings_of_the_uses_given() -> None:
    city = edit_city()
    run_edit(city, Retrofit("C", within_id="129900101"))  # residential by default
    targets = column(city, "buildings", "retrofit_target")
    assert {building for building, target in targets.items() if target == "C"} == {"B1"}
    with pytest.raises(InvalidInputError, match="no industrial building"):
        run_edit(city, Retrofit("C", within_id="129900101", uses=("industrial",)))
    with pytest.raises(InvalidInputError, match="a building, not an area"):
        run_edit(city, Retrofit("C", within_id="B1"))


def test_de_sealing_adds_up_and_stops_at_the_area_free_of_buildings() -> None:
    city = edit_city()
    deseal(city, "P1", 1000.0)
    deseal(city, "P1", 500.0)
    assert column(city, "parcels", "desealed_area_m2")["P1"] == pytest.approx(1500.0)
    before = frames(city)
    # 2,500 m² - 600 m² (B1) - 100 m² (B2) - 1,500 m² de-sealed = 300 m² left
    with pytest.raises(InvalidInputError, match="at most 300 m² can be de-sealed, not 400 m²"):
        deseal(city, "P1", 400.0)
    assert frames(city) == before


def test_a_new_stop_gets_its_peak_departures_in_whole_departures_per_hour() -> None:
    city = edit_city()
    add_transit_stop(city, f"POINT ({X0 + 80} {Y0 + 80})", "Collège", 2.5)
    stops = city.layer("transit_stops")
    assert stops["id"].iloc[-1] == "scenario:NEW-STOP-1"
    assert stops["headway_peak_min"].iloc[-1] == pytest.approx(24.0)
    hours = city.layer("transit_stop_hours")
    new = hours[hours["stop_id"] == "scenario:NEW-STOP-1"]
    assert new["departures"].tolist() == [3, 2]  # 2.5/h over 07:00-09:00: 5 departures
    # accessibility reads the same service from either column
    assert stop_departures_per_h(city)[-1] == pytest.approx(2.5)
    assert stop_departures_per_h(city, (7, 9))[-1] == pytest.approx(2.5)


def test_a_line_through_existing_stops_adds_its_departures_both_ways() -> None:
    city = edit_city()
    edit = AddTransitLine("3", 4.0, stop_ids=("f:T1", "f:T2"))
    add_transit_line(city, edit)
    departures = column(city, "transit_stops", "departures_peak_per_h")
    assert departures == {"f:T1": 8.0, "f:T2": 6.0}  # each a terminus: +4 departures/h
    assert column(city, "transit_stops", "routes") == {"f:T1": "1, 3", "f:T2": "1, 2, 3"}
    assert column(city, "transit_stop_hours", "departures")["f:T1@7"] == 8
    assert stop_departures_per_h(city, (7, 9)).tolist() == [8.0, 6.0]
    routes = city.layer("transit_routes")
    assert routes["id"].tolist() == ["scenario:NEW-LINE-1"] and routes["mode"].iloc[0] == "bus"
    assert routes.geometry.iloc[0].length == pytest.approx(100.0)


def test_a_drawn_line_gets_a_stop_at_each_vertex_served_twice_in_the_middle() -> None:
    city = edit_city()
    line = f"LINESTRING ({X0} {Y0 + 60}, {X0 + 300} {Y0 + 60}, {X0 + 600} {Y0 + 60})"
    add_transit_line(city, AddTransitLine("4", 4.0, line_wkt=line, stop_names=("A", "B", "C")))
    stops = city.layer("transit_stops").iloc[2:]
    assert stops["name"].tolist() == ["A", "B", "C"]
    assert stops["departures_peak_per_h"].tolist() == [4.0, 8.0, 4.0]
    one_way = AddTransitLine("5", 4.0, line_wkt=line, both_directions=False)
    add_transit_line(city, one_way)
    assert city.layer("transit_stops")["departures_peak_per_h"].tolist()[-3:] == [4.0, 4.0, 0.0]
    assert city.layer("transit_stops")["name"].tolist()[-1] == "5 3"


def test_a_line_with_an_unknown_stop_changes_nothing() -> None:
    city = edit_city()
    before = frames(city)
    with pytest.raises(InvalidInputError, match="no transit stop 'f:T9'"):
        add_transit_line(city, AddTransitLine("3", 4.0, stop_ids=("f:T1", "f:T9")))
    assert frames(city) == before
    with pytest.raises(InvalidInputError, match="2 name\\(s\\) for the 3 vertices"):
        AddTransitLine("3", 4.0, line_wkt="LINESTRING (0 0, 1 1, 2 2)", stop_names=("A", "B"))


def test_a_planned_fibre_duct_is_measured_along_its_line() -> None:
    city = edit_city()
    line = f"LINESTRING ({X0} {Y0}, {X0 + 300} {Y0}, {X0 + 300} {Y0 + 180})"
    add_digital_asset(city, AddDigitalAsset("fibre_duct", line, laying="underground"))
    add_digital_asset(
        city,
        AddDigitalAsset("smart_meter", f"POINT ({X0 + 10} {Y0 + 10})", count=30, building_id="B1"),
    )
    assets = city.layer("digital_assets")
    assert assets["id"].tolist() == ["NEW-DIGITAL-1", "NEW-DIGITAL-2"]
    assert assets["length_m"].iloc[0] == pytest.approx(480.0)
    assert assets["status"].tolist() == ["planned", "planned"]
    assert assets["count"].tolist() == [1, 30]


def test_digital_assets_refuse_a_point_for_a_duct_and_an_unknown_building() -> None:
    with pytest.raises(InvalidInputError, match="a fibre_duct is a line"):
        AddDigitalAsset("fibre_duct", "POINT (1 1)")
    with pytest.raises(InvalidInputError, match="'asset_kind' is 'router'"):
        AddDigitalAsset("router", "POINT (1 1)")
    city = edit_city()
    with pytest.raises(InvalidInputError, match="no building 'B9'"):
        add_digital_asset(city, AddDigitalAsset("sensor", f"POINT ({X0} {Y0})", building_id="B9"))
    assert "digital_assets" not in city
