"""Accessibility indicators on a small town a planner can redo by hand: a 100 m street grid, two
stops and five buildings whose walks and shares are worked out in the comments."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import LineString, Point, box

from scenarios.indicators import accessibility as acc
from scenarios.indicators.base import INDICATORS, depends_on
from scenarios.indicators.stop_access import stop_access
from twin.city import City
from twin.errors import InvalidInputError
from twin.levels import Level

X0, Y0 = 668000.0, 6357000.0


def frame(rows: dict[str, list[object]], geometry: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:2154")


def square(cx: float, cy: float, half: float = 5.0) -> object:
    return box(X0 + cx - half, Y0 + cy - half, X0 + cx + half, Y0 + cy + half)


def grid_town(inhabitants: list[float | None] | None = None) -> City:
    """Streets every 100 m over 400 x 400 m; stop S1 (6 departures/h) 4 m west of the x=200
    street at y=260, stop S2 (2 departures/h) on the x=0 street at y=396.

    Buildings (10 m squares, centroid → access leg → where it joins):
      B1 (130, 215), 20 inh., parcel P1 of D1: 15 m to y=200 at x=130, then to S1
         70 + 60 m and S1's own 4 m access leg: 149 m
      B2 (30, 385), 10 inh., parcel P1 of D1: 15 m to y=400 at x=30; to S2 (on the street)
         30 + 4: 49 m, its nearest stop but a rare one; to S1 15 + 170 + 140 + 4 = 329 m
      B3 (385, 30), 30 inh., parcel P2 of D2: 15 m to x=400 at y=30; to S1
         15 + 200 + 230 + 4 = 449 m
      B4 (460, 5), 40 inh., district D2 (no parcel): 60 m to x=400 at y=5; to S1
         60 + 200 + 255 + 4 = 519 m
      B5 (215, 130), office, 0 inh., parcel P3 of D3: 15 m to x=200 at y=130; to S1
         15 + 130 + 4 = 149 m
    """
    city = City("EPSG:2154", name="Grille")
    whole = box(X0, Y0, X0 + 500, Y0 + 500)
    city.set_layer("territory", frame({"id": ["T"], "kind": ["study_area"]}, [whole]))
    city.set_layer("communes", frame({"id": ["12990"], "parent_id": ["T"]}, [whole]))
    city.set_layer(
        "districts",
        frame(
            {"id": ["D1", "D2", "D3"], "parent_id": ["12990"] * 3},
            [square(100, 250, 100), square(400, 250, 100), square(250, 100, 50)],
        ),
    )
    city.set_layer(
        "parcels",
        frame(
            {"id": ["P1", "P2", "P3"], "parent_id": ["D1", "D2", "D3"]},
            [square(80, 300, 80), square(385, 30, 10), square(215, 130, 10)],
        ),
    )
    centres = [(130, 215), (30, 385), (385, 30), (460, 5), (215, 130)]
    city.set_layer(
        "buildings",
        frame(
            {
                "id": ["B1", "B2", "B3", "B4", "B5"],
                "parent_id": ["P1", "P1", "P2", "D2", "P3"],
                "use": ["residential"] * 4 + ["office"],
                "inhabitants": [20.0, 10.0, 30.0, 40.0, 0.0]
                if inhabitants is None
                else inhabitants,
            },
            [square(x, y) for x, y in centres],
        ),
    )
    ticks = [100.0 * i for i in range(5)]
    lines = [LineString([(X0 + x, Y0 + y) for y in ticks]) for x in ticks]
    lines += [LineString([(X0 + x, Y0 + y) for x in ticks]) for y in ticks]
    city.set_layer(
        "roads", frame({"id": [f"R{i}" for i in range(10)], "kind": ["residential"] * 10}, lines)
    )
    city.set_layer(
        "transit_stops",
        frame(
            {
                "id": ["demo:S1", "demo:S2"],
                "name": ["Centre", "Nord"],
                "departures_peak_per_h": [6.0, 2.0],
            },
            [Point(X0 + 196, Y0 + 260), Point(X0, Y0 + 396)],
        ),
    )
    city.set_layer(
        "transit_stop_hours",
        gpd.GeoDataFrame(
            {
                "id": ["demo:S1@7", "demo:S1@8", "demo:S1@17", "demo:S2@7", "demo:S2@17"],
                "stop_id": ["demo:S1", "demo:S1", "demo:S1", "demo:S2", "demo:S2"],
                "hour": [7, 8, 17, 7, 17],
                "departures": [6, 6, 2, 2, 8],
            }
        ),
    )
    return city


def test_each_building_gets_the_hand_computed_walk_to_its_nearest_stop_and_that_stop() -> None:
    city = grid_town()
    table = stop_access(city).table
    assert table["distance_to_stop_m"].to_dict() == pytest.approx(
        {"B1": 149.0, "B2": 49.0, "B3": 449.0, "B4": 519.0, "B5": 149.0}
    )
    nearest = table["nearest_stop_id"]
    assert nearest[nearest != "demo:S1"].index.tolist() == ["B2"]
    assert acc.nearest_stop_departures_per_h(city).tolist() == [6.0, 2.0, 6.0, 6.0, 6.0]
    # B2's nearest stop has 2 departures/h: the nearest well-served one is S1, 329 m away.
    served = acc.walk_distance_to_served_stop_m(city)
    assert served["B2"] == pytest.approx(329.0)
    assert acc.walk_distance_to_stop_m(city).name == "distance_to_stop_m"


def test_the_share_of_inhabitants_near_a_well_served_stop_is_the_hand_computed_one() -> None:
    city = grid_town()
    # Within 500 m of S1: B1 (149 m), B2 (329 m), B3 (449 m); not B4 (519 m).
    districts = acc.share_inhabitants_near_served_stop_district(city)
    assert districts["D1"] == pytest.approx(100.0)  # 30 of 30
    assert districts["D2"] == pytest.approx(100 * 30 / 70)  # B3 yes, B4 no
    assert np.isnan(districts["D3"])  # an office district: no inhabitants, not 0 %
    assert "1 district(s) without inhabitants" in districts.attrs["reason"]
    commune = acc.share_inhabitants_near_served_stop_commune(city)
    assert commune.to_dict() == pytest.approx({"12990": 60.0})  # 60 of 100
    territory = acc.share_inhabitants_near_served_stop_territory(city)
    assert territory.to_dict() == pytest.approx({"T": 60.0})
    parcels = acc.share_inhabitants_near_served_stop_parcel(city)
    assert parcels[["P1", "P2"]].tolist() == pytest.approx([100.0, 100.0])
    assert np.isnan(parcels["P3"])


def test_distance_and_departure_thresholds_are_parameters() -> None:
    city = grid_town()
    within_400 = acc.share_of_inhabitants_served(city, Level.DISTRICT, walk_distance_m=400)
    assert within_400[["D1", "D2"]].tolist() == pytest.approx([100.0, 0.0])  # B3 at 464 m
    # From 2 departures/h S2 counts too; from 7 no stop does: 0 %, a real figure, not NaN.
    frequent = acc.share_of_inhabitants_served(city, Level.COMMUNE, min_departures_per_h=7)
    assert frequent["12990"] == 0.0
    rare = stop_access(city, min_departures_per_h=2).table
    assert rare.loc["B2", "nearest_served_stop_id"] == "demo:S2"


def test_other_peak_hours_are_read_from_the_departures_per_hour() -> None:
    city = grid_town()
    # 17:00-18:00: S1 has 2 departures, S2 8: only S2 is well served. B1 walks 15 + 130 + 196
    # = 341 m to it, B2 49 m; B3 and B4 are over 700 m away.
    evening = acc.walk_distance_to_served_stop_m(city, peak_hours=(17, 18))
    assert evening[["B1", "B2"]].tolist() == pytest.approx([341.0, 49.0])
    share = acc.share_of_inhabitants_served(city, Level.DISTRICT, peak_hours=(17, 18))
    assert share[["D1", "D2"]].tolist() == pytest.approx([100.0, 0.0])


def test_buildings_beyond_the_search_limit_get_nan_and_count_as_not_served() -> None:
    city = grid_town()
    near = acc.walk_distance_to_stop_m(city, search_limit_m=300)
    assert near[["B1", "B2", "B5"]].notna().all() and near[["B3", "B4"]].isna().all()
    assert acc.share_of_inhabitants_served(city, Level.COMMUNE, walk_distance_m=300)[
        "12990"
    ] == pytest.approx(100 * 20 / 100)


def test_without_inhabitants_the_share_is_nan_with_a_reason_not_zero() -> None:
    city = grid_town(inhabitants=[None] * 5)
    share = acc.share_inhabitants_near_served_stop_commune(city)
    assert share.isna().all() and len(share) == 1
    assert "population grid" in share.attrs["reason"]


def test_without_stops_or_roads_distances_are_nan_and_say_what_to_import() -> None:
    city = grid_town()
    city.remove_layer("transit_stops")
    distance = acc.walk_distance_to_stop_m(city)
    assert distance.isna().all() and list(distance.index) == ["B1", "B2", "B3", "B4", "B5"]
    assert "GTFS" in distance.attrs["reason"]
    assert acc.share_inhabitants_near_served_stop_commune(city).isna().all()
    city = grid_town()
    city.remove_layer("roads")
    assert "roads" in acc.walk_distance_to_stop_m(city).attrs["reason"]


def test_a_change_of_service_level_is_seen_by_the_next_computation() -> None:
    city = grid_town()
    assert acc.share_inhabitants_near_served_stop_commune(city)["12990"] == pytest.approx(60.0)
    city.update_values("transit_stops", ["demo:S1"], {"departures_peak_per_h": 1.0})
    assert acc.share_inhabitants_near_served_stop_commune(city)["12990"] == 0.0


def test_out_of_range_parameters_are_refused_with_a_clear_message() -> None:
    city = grid_town()
    with pytest.raises(InvalidInputError, match="above 0 m"):
        acc.share_of_inhabitants_served(city, Level.COMMUNE, walk_distance_m=0)
    with pytest.raises(InvalidInputError, match="0 or more"):
        stop_access(city, min_departures_per_h=-1)
    with pytest.raises(InvalidInputError, match="07:00-09:00"):
        stop_access(city, peak_hours=(9, 7))


def test_the_indicators_declare_their_level_unit_and_what_makes_them_stale() -> None:
    expected = {
        "walk_distance_to_stop_m": (Level.BUILDING, "m"),
        "nearest_stop_departures_per_h": (Level.BUILDING, "departures/h"),
        "walk_distance_to_served_stop_m": (Level.BUILDING, "m"),
        "share_inhabitants_near_served_stop_parcel": (Level.PARCEL, "%"),
        "share_inhabitants_near_served_stop_district": (Level.DISTRICT, "%"),
        "share_inhabitants_near_served_stop_commune": (Level.COMMUNE, "%"),
        "share_inhabitants_near_served_stop_territory": (Level.TERRITORY, "%"),
    }
    levels = {
        name: (INDICATORS[name].spec.level, INDICATORS[name].spec.unit)  # type: ignore[attr-defined]
        for name in expected
    }
    assert levels == expected
    distance = acc.walk_distance_to_stop_m.spec  # type: ignore[attr-defined]
    share = acc.share_inhabitants_near_served_stop_district.spec  # type: ignore[attr-defined]
    assert depends_on(share, "buildings", ("inhabitants",))
    assert not depends_on(distance, "buildings", ("inhabitants",))
    assert depends_on(distance, "buildings") and depends_on(distance, "roads", ("geometry",))
    assert depends_on(share, "transit_stops", ("departures_peak_per_h",))
    assert not depends_on(distance, "transit_stops", ("departures_peak_per_h",))
    assert acc.share_inhabitants_near_served_stop_commune(grid_town()).index.name == "id"


def test_inhabitants_missing_on_some_buildings_count_as_none_there() -> None:
    city = grid_town(inhabitants=[20.0, None, 30.0, 40.0, None])
    share = acc.share_inhabitants_near_served_stop_district(city)
    assert share[["D1", "D2"]].tolist() == pytest.approx([100.0, 100 * 30 / 70])
    assert pd.isna(share["D3"])
