"""Building edits with numbers a planner can check by hand (see tests/scenarios/edit_city.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from scenarios.edits import (
    AddBuilding,
    AddFloors,
    Demolish,
    SetHeight,
    add_building,
    add_floors,
    demolish,
    set_height,
)
from scenarios.edits.base import edit_from_dict
from tests.scenarios.edit_city import X0, Y0, edit_city, frames, rect_wkt
from twin.city import City
from twin.errors import InvalidInputError


def row(city: City, building_id: str) -> dict[str, object]:
    buildings = city.layer("buildings")
    return buildings[buildings["id"] == building_id].iloc[0].to_dict()


def test_a_20_by_30_m_footprint_of_5_storeys_adds_3000_m2_of_gross_floor_area() -> None:
    city = edit_city()
    add_building(city, AddBuilding(floors=5, footprint_wkt=rect_wkt(55, 5, 75, 35)))
    new = row(city, "NEW-1")
    assert new["floor_area_m2"] == pytest.approx(3000.0)
    assert new["height_m"] == pytest.approx(15.0)  # 5 housing storeys of 3 m
    assert new["dwellings"] == 32  # 3,000 m² / 92.5 m² per dwelling = 32.4, rounded
    assert new["inhabitants"] == pytest.approx(32 * 2.16)
    assert new["households"] == 32
    assert new["use"] == "residential" and json.loads(new["use_mix"]) == {"residential": 1.0}
    assert new["height_source"] == "edited" and new["source"] == "scenario"
    assert new["parent_id"] == "P2"  # the parcel it stands on


def test_a_new_building_stands_on_the_lowest_ground_under_its_footprint() -> None:
    city = edit_city()
    add_building(city, AddBuilding(floors=1, footprint_wkt=rect_wkt(55, 5, 75, 35)))
    # the terrain rises 1 m per 10 m eastwards from 100 m at X0: 105.5 m at x = 55 m
    assert row(city, "NEW-1")["base_elevation_m"] == pytest.approx(105.5)


def test_a_use_mix_gives_the_main_use_and_dwellings_only_for_the_housing_share() -> None:
    city = edit_city()
    mix = {"retail": 0.25, "residential": 0.75}
    add_building(city, AddBuilding(floors=5, footprint_wkt=rect_wkt(55, 5, 75, 35), use_mix=mix))
    new = row(city, "NEW-1")
    assert new["use"] == "residential"
    assert json.loads(new["use_mix"]) == {"residential": 0.75, "retail": 0.25}
    assert new["dwellings"] == 24  # 0.75 × 3,000 m² = 2,250 m² / 92.5 = 24.3


def test_an_office_building_takes_the_office_storey_height_unless_one_is_given() -> None:
    city = edit_city()
    office = {"office": 1.0}
    add_building(city, AddBuilding(floors=4, footprint_wkt=rect_wkt(55, 5, 65, 15), use_mix=office))
    add_building(
        city,
        AddBuilding(
            floors=4, footprint_wkt=rect_wkt(70, 5, 80, 15), use_mix=office, storey_height_m=4.0
        ),
    )
    assert row(city, "NEW-1")["height_m"] == pytest.approx(14.0)  # 4 × 3.5 m
    assert row(city, "NEW-2")["height_m"] == pytest.approx(16.0)
    assert row(city, "NEW-1")["dwellings"] == 0


def test_a_building_on_a_parcel_keeps_the_setback_from_its_limits() -> None:
    city = edit_city()
    add_building(city, AddBuilding(floors=2, parcel_id="P2", setback_m=5.0, dwellings=10))
    new = row(city, "NEW-1")
    assert new["geometry"].area == pytest.approx(1600.0)  # (50 - 2 × 5)²
    assert new["floor_area_m2"] == pytest.approx(3200.0)
    assert new["dwellings"] == 10 and new["inhabitants"] == pytest.approx(21.6)
    assert new["geometry"].bounds == pytest.approx((X0 + 55, Y0 + 5, X0 + 95, Y0 + 45))


def test_new_buildings_are_numbered_and_a_given_id_is_kept() -> None:
    city = edit_city()
    add_building(city, AddBuilding(floors=1, footprint_wkt=rect_wkt(55, 5, 60, 10)))
    add_building(city, AddBuilding(floors=1, footprint_wkt=rect_wkt(65, 5, 70, 10), id="Projet A"))
    add_building(city, AddBuilding(floors=1, footprint_wkt=rect_wkt(75, 5, 80, 10)))
    assert city.layer("buildings")["id"].tolist()[-3:] == ["NEW-1", "Projet A", "NEW-2"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"floors": 2}, "either field 'footprint_wkt'"),
        ({"floors": 2, "footprint_wkt": "LINESTRING (0 0, 1 1)"}, "LineString, not a Polygon"),
        ({"floors": 2, "footprint_wkt": "POLYGON ((0 0"}, "is not WKT"),
        ({"floors": 0, "parcel_id": "P2"}, "field 'floors' is 0"),
        (
            {"floors": 2, "parcel_id": "P2", "use_mix": {"residential": 0.7, "retail": 0.2}},
            "sum to 0.9",
        ),
        ({"floors": 2, "parcel_id": "P2", "use_mix": {"housing": 1.0}}, "unknown use 'housing'"),
    ],
)
def test_a_bad_field_is_refused_when_the_edit_is_made(fields: dict, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        edit_from_dict({"kind": "add_building", **fields})


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (AddBuilding(floors=2, footprint_wkt=rect_wkt(20, 20, 40, 40)), "overlaps building 'B1'"),
        (AddBuilding(floors=2, parcel_id="P9"), "no parcel 'P9'"),
        (AddBuilding(floors=2, parcel_id="P2", setback_m=30.0), "leaves nothing of parcel 'P2'"),
        (AddBuilding(floors=2, footprint_wkt="POLYGON ((2 46, 3 46, 3 47, 2 46))"), "km from"),
        (AddBuilding(floors=2, footprint_wkt=rect_wkt(55, 5, 60, 10), id="B1"), "already used"),
    ],
)
def test_a_building_that_does_not_fit_leaves_the_city_untouched(
    edit: AddBuilding, message: str
) -> None:
    city = edit_city()
    before = frames(city)
    with pytest.raises(InvalidInputError, match=message):
        add_building(city, edit)
    assert frames(city) == before  # the very same frames: nothing was replaced


def test_adding_2_floors_to_5_adds_2_storeys_of_floor_area_dwellings_and_people() -> None:
    city = edit_city()
    add_floors(city, ["B1"], 2)
    b1 = row(city, "B1")
    assert b1["floors"] == 7 and b1["height_m"] == pytest.approx(21.0)
    assert b1["floor_area_m2"] == pytest.approx(4200.0)  # 600 m² × 7
    assert b1["dwellings"] == 42  # 30 dwellings × 7 / 5
    assert b1["inhabitants"] == pytest.approx(60 + 12 * 2.16)  # one household per new dwelling
    assert b1["households"] == pytest.approx(28 + 12)
    assert b1["height_source"] == "edited"


def test_an_office_building_gains_floors_but_no_dwellings() -> None:
    city = edit_city()
    add_floors(city, ["B2"], 1)
    b2 = row(city, "B2")
    assert b2["floors"] == 3 and b2["height_m"] == pytest.approx(10.5)  # + 3.5 m office storey
    assert b2["floor_area_m2"] == pytest.approx(300.0)
    assert pd.isna(b2["dwellings"])


def test_setting_a_lower_height_removes_floors_and_their_people_in_proportion() -> None:
    city = edit_city()
    set_height(city, ["B1"], 9.0)
    b1 = row(city, "B1")
    assert b1["floors"] == 3 and b1["height_m"] == pytest.approx(9.0)
    assert b1["floor_area_m2"] == pytest.approx(1800.0)
    assert b1["dwellings"] == 18
    assert b1["inhabitants"] == pytest.approx(36.0)  # 60 × 18 / 30
    assert b1["households"] == pytest.approx(16.8)


def test_removing_every_floor_is_refused_and_changes_nothing() -> None:
    city = edit_city()
    before = frames(city)
    with pytest.raises(InvalidInputError, match="would leave none"):
        add_floors(city, ["B1", "B2"], -2)
    with pytest.raises(InvalidInputError, match="no building 'B9'"):
        set_height(city, ["B1", "B9"], 12.0)
    assert frames(city) == before


def test_demolishing_an_ifc_building_removes_its_storeys_rooms_elements_and_meshes() -> None:
    city = edit_city()
    demolish(city, ["H1"])
    assert city.layer("buildings")["id"].tolist() == ["B1", "B2"]
    assert len(city.layer("storeys")) == len(city.layer("spaces")) == 0
    assert len(city.layer("ifc_elements")) == 0
    assert city.meshes["ifc"].n_objects == 0


def test_demolishing_an_unknown_building_changes_nothing() -> None:
    city = edit_city()
    before = frames(city)
    with pytest.raises(InvalidInputError, match="no building 'NOPE'"):
        demolish(city, ["B1", "NOPE"])
    assert frames(city) == before


def test_edits_say_what_they_do_in_one_line() -> None:
    assert AddFloors(("B1", "B2"), 1).summary() == "add 1 floor(s) to 2 building(s)"
    assert Demolish(("B1",)).summary() == "demolish 1 building(s)"
    assert SetHeight(("B1",), 9.0).summary() == "set the height of 1 building(s) to 9 m"
    assert "4-storey residential building on parcel P2" in AddBuilding(4, parcel_id="P2").summary()
