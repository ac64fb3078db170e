"""Sunlight: the shadow map, winter-solstice sun hours on facades and ground, hours lost."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from scenarios.indicators.sunlight import (
    winter_sun_hours_facade_building,
    winter_sun_hours_lost_building,
)
from scenarios.sample_points import facade_points
from scenarios.shadow_map import Obstacles, shaded_points
from scenarios.sun import city_lat_lon, winter_solstice_positions
from scenarios.sun_loss import changed_buildings, sun_hours_lost
from scenarios.sunlight_hours import facade_sun_hours, ground_sun_hours
from twin.city import City

X, Y = 668000.0, 6357000.0  # Lambert-93 near Rodez (44.35° N)
STEP_H = 10 / 60  # the sun is followed every 10 minutes


def frame(rows: list[tuple[str, tuple[float, float, float, float], float]]) -> gpd.GeoDataFrame:
    """Buildings (id, (x0, y0, x1, y1) in metres from (X, Y), height) on flat ground at 0 m."""
    ids, boxes, heights = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"id": list(ids), "height_m": list(heights), "base_elevation_m": 0.0, "floors": 2},
        geometry=[box(X + a, Y + b, X + c, Y + d) for a, b, c, d in boxes],
        crs="EPSG:2154",
    )


def town(rows: list[tuple[str, tuple[float, float, float, float], float]]) -> City:
    city = City("EPSG:2154")
    city.set_layer("buildings", frame(rows))
    return city


TOWER = ("tower", (-40, 0, 40, 10), 30.0)  # 80 m wide, 30 m tall
HOUSE = ("house", (-5, 20, 5, 30), 6.0)  # 10 m north of the tower
FAR = ("far", (-5, -150, 5, -140), 6.0)  # 140 m south of it


def relative_y(points: gpd.GeoDataFrame) -> np.ndarray:
    return points.geometry.y.to_numpy() - Y


@pytest.mark.parametrize("elevation", [15.0, 30.0, 50.0])
@pytest.mark.parametrize("azimuth", [180.0, 90.0])
def test_a_20_m_building_casts_a_shadow_20_over_tan_elevation_long(
    azimuth: float, elevation: float
) -> None:
    obstacles = Obstacles.from_buildings(frame([("b", (0, 0, 10, 10), 20.0)]), (X, Y))
    length = 20.0 / math.tan(math.radians(elevation))
    distance = np.arange(0.05, length + 20, 0.1)  # from the shaded wall, away from the sun
    if azimuth == 180.0:  # sun in the south: shadow to the north of the north wall (y = 10)
        points = np.column_stack([np.full_like(distance, 5.0), 10 + distance, 0 * distance])
    else:  # sun in the east: shadow to the west of the west wall (x = 0)
        points = np.column_stack([-distance, np.full_like(distance, 5.0), 0 * distance])
    shaded = shaded_points(points, azimuth, elevation, obstacles, cell_m=0.5)
    edge = distance[np.argmin(shaded)]  # first lit point
    assert shaded[: np.argmin(shaded)].all()
    assert not shaded[np.argmin(shaded) :].any()
    assert edge == pytest.approx(length, abs=0.5)  # within one grid step


def test_points_above_the_roof_or_before_sunrise() -> None:
    obstacles = Obstacles.from_buildings(frame([("b", (0, 0, 10, 10), 20.0)]), (X, Y))
    high_up = np.array([[5.0, 15.0, 21.0]])  # north of the wall, higher than the roof
    assert not shaded_points(high_up, 180.0, 30.0, obstacles)[0]
    assert shaded_points(high_up, 180.0, -1.0, obstacles)[0]  # the sun is down
    assert not shaded_points(np.array([[5.0, 15.0, 0.0]]), 0.0, 30.0, obstacles)[0]  # sun north


def test_a_wall_right_north_of_a_tall_building_gets_no_sun_and_an_open_south_wall_all_day() -> None:
    city = town([TOWER, HOUSE])
    hours = facade_sun_hours(city, ["house", "tower"])
    house, tower = hours[hours.building_id == "house"], hours[hours.building_id == "tower"]
    house_south = house[relative_y(house) < 20]
    assert len(house_south) == 5 and (house_south.sun_hours == 0).all()
    tower_south = tower[relative_y(tower) < 0]
    # The sun rises at azimuth 123° and sets at 237°: always in front of a south wall.
    sun = winter_solstice_positions(*city_lat_lon(city), step_min=10)
    facing_south = sun.duration_h[(sun.azimuth_deg > 90) & (sun.azimuth_deg < 270)].sum()
    assert facing_south == pytest.approx(8.8, abs=0.2)
    assert tower_south.sun_hours.to_numpy() == pytest.approx(facing_south, abs=STEP_H)
    north_walls = tower[relative_y(tower) > 10]
    assert (north_walls.sun_hours == 0).all()  # facing north in December


def test_per_storey_points_are_one_per_storey_at_1_5_m_above_each_floor() -> None:
    obstacles = Obstacles.from_buildings(frame([HOUSE]), (X, Y))
    ground = facade_points(obstacles, np.array([0]))
    storeys = facade_points(obstacles, np.array([0]), storeys=np.array([2]))
    assert len(storeys) == 2 * len(ground)
    assert sorted(set(storeys.xyz[:, 2].tolist())) == [1.5, 4.5]


def test_party_walls_get_no_facade_points() -> None:
    terrace = frame([("a", (0, 0, 10, 10), 6.0), ("b", (10, 0, 20, 10), 6.0)])
    points = facade_points(Obstacles.from_buildings(terrace, (X, Y)), np.array([0, 1]))
    assert len(points) == 2 * (5 + 5 + 5)  # each house: 3 open walls of 5 points
    assert not np.any(np.isclose(points.xyz[:, 0], 10.0, atol=0.5))


def test_the_ground_just_north_of_the_tower_is_in_shade_all_day() -> None:
    city = town([TOWER])
    ground = ground_sun_hours(city, ["tower"], radius_m=20, step_m=2)
    y = relative_y(ground)
    x = ground.geometry.x.to_numpy() - X
    assert not ((x > -40) & (x < 40) & (y > 0) & (y < 10)).any()  # none inside the tower
    assert (ground.sun_hours[(y > 10) & (y < 20) & (np.abs(x) < 20)] == 0).all()
    south = ground.sun_hours[(y < -10) & (np.abs(x) < 20)]
    assert south.min() > 8.5  # nothing between them and the sun


def test_a_new_building_takes_hours_from_its_neighbours_and_none_from_a_far_one() -> None:
    city = town([TOWER, HOUSE, FAR])
    loss = sun_hours_lost(city, ["tower"])
    assert (loss.points.lost_hours >= 0).all()
    assert loss.buildings.loc["house", "mean_lost_hours"] > 1.0
    assert loss.buildings.loc["house", "max_lost_hours"] == pytest.approx(
        loss.points.hours_before[loss.points.building_id == "house"].max(), abs=STEP_H
    )  # its south wall loses all its sun
    assert loss.buildings.loc["far", "mean_lost_hours"] == 0.0
    assert loss.buildings.loc["far", "points"] > 0
    assert "tower" not in loss.buildings.index


def test_the_hours_lost_against_a_baseline_are_those_of_the_buildings_the_scenario_added() -> None:
    baseline = town([HOUSE, FAR])
    scenario = baseline.copy()
    tower = frame([TOWER]).assign(source="scenario")
    scenario.append_rows("buildings", tower, source="scenario")
    assert changed_buildings(scenario, baseline) == ["tower"]
    against_baseline = winter_sun_hours_lost_building(scenario, baseline=baseline)
    named = winter_sun_hours_lost_building(scenario, project_ids=["tower"])
    assert against_baseline.to_dict() == pytest.approx(named.to_dict())
    assert against_baseline["house"] > 1.0
    facades = winter_sun_hours_facade_building(scenario)  # the building a scenario added
    assert set(facades.index) == {"tower", "house", "far"}
    assert facades["house"] < facades["far"]


def test_demolishing_a_building_gives_its_neighbours_hours_back() -> None:
    before = town([TOWER, HOUSE])
    after = before.copy()
    after.drop_rows("buildings", ["tower"])
    loss = sun_hours_lost(after, baseline=before)
    assert loss.project_ids == ("tower",)
    assert loss.buildings.loc["house", "mean_lost_hours"] < -1.0  # hours gained


def test_without_a_project_the_sunlight_indicators_say_why_they_are_empty() -> None:
    city = town([HOUSE, FAR])
    for function in (winter_sun_hours_facade_building, winter_sun_hours_lost_building):
        values = function(city)
        assert values.empty and "no project" in values.attrs["reason"]
