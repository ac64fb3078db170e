"""Changing the use of buildings, and of IFC rooms one by one (see tests/scenarios/edit_city.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from scenarios.edits import ChangeSpaceUse, ChangeUse, change_space_use, change_use
from tests.scenarios.edit_city import edit_city, frames
from twin.city import City
from twin.errors import InvalidInputError


def row(city: City, layer: str, row_id: str) -> dict[str, object]:
    frame = city.layer(layer)
    return frame[frame["id"] == row_id].iloc[0].to_dict()


def test_turning_housing_into_offices_removes_its_dwellings_and_inhabitants() -> None:
    city = edit_city()
    change_use(city, ["B1"], "office")
    b1 = row(city, "buildings", "B1")
    assert b1["use"] == "office" and pd.isna(b1["use_mix"])
    assert b1["dwellings"] == 0 and b1["inhabitants"] == 0 and b1["households"] == 0


def test_half_an_office_building_turned_into_housing_gets_dwellings_for_that_half() -> None:
    city = edit_city()
    change_use(city, ["B2"], use_mix={"office": 0.5, "residential": 0.5})
    b2 = row(city, "buildings", "B2")
    assert b2["use"] == "office"  # the first of equal shares
    assert json.loads(b2["use_mix"]) == {"office": 0.5, "residential": 0.5}
    assert b2["dwellings"] == 1  # 0.5 × 200 m² = 100 m² / 92.5 m² per dwelling
    assert b2["inhabitants"] == pytest.approx(2.16)


def test_turning_a_room_into_a_cafe_recomputes_the_buildings_use_mix_from_room_areas() -> None:
    city = edit_city()
    change_space_use(city, ["R1"], "retail", "Café associatif")
    r1 = row(city, "spaces", "R1")
    assert r1["use"] == "retail" and r1["long_name"] == "Café associatif"
    h1 = row(city, "buildings", "H1")
    # office R2 40 m² + R4 100 m², retail R1 60 m²; the corridor (unknown use) is left out
    assert json.loads(h1["use_mix"]) == {"office": 0.7, "retail": 0.3}
    assert h1["use"] == "office"
    assert row(city, "spaces", "R2")["long_name"] == "Bureau"  # other rooms keep their names


def test_rooms_turned_into_housing_bring_dwellings_to_their_building() -> None:
    city = edit_city()
    change_space_use(city, ["R4"], "residential")
    h1 = row(city, "buildings", "H1")
    assert json.loads(h1["use_mix"])["residential"] == pytest.approx(0.5)  # 100 of 200 m²
    # 0.5 × (20 × 20 m × 2 storeys = 800 m²) = 400 m² / 92.5 = 4.3 dwellings
    assert h1["dwellings"] == 4


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: change_space_use(c, ["R1", "R9"], "retail"), "no room 'R9'"),
        (lambda c: change_space_use(c, ["R1"], "café"), "unknown use 'café'"),
        (lambda c: change_use(c, ["B1"], use_mix={"residential": 0.5}), "sum to 0.5"),
        (lambda c: change_use(c, ["B9"], "office"), "no building 'B9'"),
    ],
)
def test_a_use_change_that_does_not_fit_leaves_the_city_untouched(
    call: object, message: str
) -> None:
    city = edit_city()
    before = frames(city)
    with pytest.raises(InvalidInputError, match=message):
        call(city)  # type: ignore[operator]
    assert frames(city) == before


def test_use_edits_check_their_fields_when_made() -> None:
    with pytest.raises(InvalidInputError, match="either field 'use' or field 'use_mix'"):
        ChangeUse(("B1",), use="office", use_mix={"office": 1.0})
    with pytest.raises(InvalidInputError, match="field 'use' is 'bar'"):
        ChangeSpaceUse(("R1",), "bar")
    assert ChangeSpaceUse(("R1",), "retail", "Café").summary() == (
        "change the use of 1 room(s) to retail (Café)"
    )
