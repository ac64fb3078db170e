"""Duct routing along the roads on small hand-made streets: lengths that can be checked with a
ruler, shared streets counted once, trench contexts, buildings no road reaches."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import LineString, Point, box

from scenarios.study.digital_assets import network_points
from scenarios.study.ducts import plan_ducts


def roads(lines: list[LineString], kinds: list[str] | None = None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"r{i}" for i in range(len(lines))], "kind": kinds or ["residential"] * len(lines)},
        geometry=lines,
        crs="EPSG:2154",
    )


def cable(line: LineString) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["c1"], "kind": ["fibre_cable"], "status": ["existing"]},
        geometry=[line],
        crs="EPSG:2154",
    )


def buildings(*footprints: shapely.Polygon) -> gpd.GeoDataFrame:
    ids = [f"b{i}" for i in range(len(footprints))]
    return gpd.GeoDataFrame({"id": ids}, geometry=list(footprints), crs="EPSG:2154")


# An L of streets: (0,0)-(200,0) then (200,0)-(200,200); the cable runs 3 m beside the first
# street from x = 0 to x = 50 only.
STREETS = roads([LineString([(0, 0), (200, 0)]), LineString([(200, 0), (200, 200)])])
CABLE = cable(LineString([(0, 3), (50, 3)]))


def test_a_duct_runs_from_the_cable_end_along_the_streets_to_the_facade() -> None:
    # A 10 m square whose centre (215, 150) is 15 m east of the second street: its facade is
    # 10 m from the street. Route: cable end (50, 3) → 3 m to the street → 150 m to the corner
    # → 150 m up → 10 m to the facade = 313 m.
    house = box(210, 145, 220, 155)
    plan = plan_ducts(STREETS, network_points(CABLE), buildings(house), buildings(house), 0.25)
    assert plan.routes["length_m"].iloc[0] == pytest.approx(313.0)
    assert plan.length_m == pytest.approx(313.0)
    assert plan.routes.geometry.iloc[0].length == pytest.approx(313.0)
    assert plan.routes["building_leg_m"].iloc[0] == pytest.approx(10.0)
    straight = shapely.distance(CABLE.geometry.iloc[0], house)
    assert plan.length_m >= straight
    assert plan.routes["straight_m"].iloc[0] == pytest.approx(straight)


def test_a_building_beside_the_cable_gets_the_short_duct_along_its_own_street() -> None:
    # Centre (30, -15): the street point nearest it is (30, 0), on the cable's own segment: 3 m
    # from the cable point (30, 3) to the street, then 10 m to the facade at y = -10.
    house = box(25, -20, 35, -10)
    plan = plan_ducts(STREETS, network_points(CABLE), buildings(house), buildings(house), 0.25)
    assert plan.length_m == pytest.approx(13.0)


def test_two_buildings_on_the_same_street_share_its_trench() -> None:
    first, second = box(210, 95, 220, 105), box(210, 145, 220, 155)
    both = buildings(first, second)
    plan = plan_ducts(STREETS, network_points(CABLE), both, both, 0.25)
    routes = plan.routes.set_index("building_id")["length_m"]
    assert routes.to_dict() == pytest.approx({"b0": 263.0, "b1": 313.0})
    # the union: 3 + 150 + 150 m of street, and two 10 m legs
    assert plan.length_m == pytest.approx(323.0)
    assert plan.length_m < routes.sum()


def test_trenches_are_priced_by_context() -> None:
    # The second street is a track: its 150 m and the 10 m leg beside it are bare ground.
    # Houses on both sides of the first street up to x = 120 make that part a town centre;
    # beyond x = 170 (50 m from the last house) it is an ordinary road.
    track = roads(list(STREETS.geometry), ["residential", "Chemin"])
    row = [box(x, y, x + 8, y + 24) for x in np.arange(0, 120, 10) for y in (6, -30)]
    house = box(210, 145, 220, 155)
    everything = buildings(house, *row)
    plan = plan_ducts(track, network_points(CABLE), buildings(house), everything, 0.25)
    by_context = plan.length_by_context
    assert plan.length_m == pytest.approx(313.0)
    assert by_context.sum() == pytest.approx(plan.length_m)
    assert by_context["bare_ground"] == pytest.approx(160.0)
    assert by_context["town_centre"] + by_context["road"] == pytest.approx(153.0)
    assert by_context["town_centre"] >= 60.0 and by_context["road"] >= 30.0


def test_a_building_no_street_reaches_is_left_unrouted() -> None:
    island = roads([*STREETS.geometry, LineString([(1000, 0), (1100, 0)])])
    near, cut_off = box(210, 145, 220, 155), box(1040, 10, 1050, 20)
    targets = buildings(near, cut_off)
    plan = plan_ducts(island, network_points(CABLE), targets, targets, 0.25)
    assert plan.unrouted == ("b1",)
    assert plan.reason == "note.some_unrouted"
    assert plan.length_m == pytest.approx(313.0)


def test_connection_points_are_network_points_too() -> None:
    assets = gpd.GeoDataFrame(
        {"id": ["p"], "kind": ["connection_point"], "status": ["existing"]},
        geometry=[Point(200, 140)],
        crs="EPSG:2154",
    )
    house = box(210, 145, 220, 155)
    plan = plan_ducts(STREETS, network_points(assets), buildings(house), buildings(house), 0.25)
    assert plan.length_m == pytest.approx(20.0)  # 10 m along the street, 10 m to the facade
