"""The numpy geometry under the roof shading gives what GEOS and brute force give: boxes within
a distance, rings of polygons with courtyards and several parts, points inside them, and the
padded ring tables the horizons are raised with."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from samples.synthetic import synthetic_buildings
from scenarios.box_join import boxes_within
from scenarios.horizon_rings import outer_rings
from scenarios.polygon_rings import inside_at, polygon_rings
from scenarios.sample_points import roof_points
from scenarios.shadow_map import Obstacles


def brute_pairs(query: np.ndarray, reach: np.ndarray, boxes: np.ndarray) -> set[tuple[int, int]]:
    dx = np.maximum(boxes[None, :, 0] - query[:, None, 2], query[:, None, 0] - boxes[None, :, 2])
    dy = np.maximum(boxes[None, :, 1] - query[:, None, 3], query[:, None, 1] - boxes[None, :, 3])
    with np.errstate(invalid="ignore"):
        near = np.hypot(np.maximum(dx, 0), np.maximum(dy, 0)) <= reach[:, None]
    return set(zip(*(axis.tolist() for axis in np.nonzero(near)), strict=True))


def test_boxes_within_reach_are_exactly_those_a_brute_force_search_finds() -> None:
    rng = np.random.default_rng(4)
    for _ in range(5):
        corner = rng.random((400, 2)) * 1000
        size = rng.random((400, 2)) * rng.choice([4.0, 30.0, 400.0], 400)[:, None]
        boxes = np.column_stack([corner, corner + size])
        boxes[rng.random(400) < 0.05] = np.nan  # missing footprints meet nothing
        start = rng.random((60, 2)) * 1200 - 100
        query = np.column_stack([start, start + rng.random((60, 2)) * 20])
        reach = rng.random(60) * 150
        reach[:3] = -1.0  # nothing wanted
        q, b = boxes_within(query, reach, boxes)
        found = list(zip(q.tolist(), b.tolist(), strict=True))
        assert len(found) == len(set(found))  # each pair once
        assert set(found) == brute_pairs(query, reach, boxes)


def test_a_climb_keeps_only_the_boxes_rising_above_the_slope() -> None:
    boxes = np.array([[10.0, 0, 12, 2], [40, 0, 42, 2], [70, 0, 72, 2]])  # 8, 38, 68 m away
    query = np.array([[0.0, 0, 2, 2]])
    heights = np.array([10.0, 5.0, 40.0])  # 0.5 × distance: 4, 19 and 34 m needed
    _, b = boxes_within(query, 100.0, boxes, (heights, np.zeros(1), 0.5))
    assert sorted(b.tolist()) == [0, 2]
    _, b = boxes_within(query, 50.0, boxes, (heights, np.zeros(1), 0.5))
    assert b.tolist() == [0]  # the third is out of reach


def test_rings_come_apart_outer_courtyards_and_parts() -> None:
    yard = Polygon(
        box(0, 0, 30, 30).exterior, [box(5, 5, 10, 10).exterior, box(20, 20, 25, 25).exterior]
    )
    parts = MultiPolygon([box(100, 0, 110, 10), box(120, 0, 130, 10)])
    geoms = np.array([box(0, 50, 10, 60), yard, None, parts, Polygon()], dtype=object)
    rings = polygon_rings(geoms)
    assert rings.owner.tolist() == [0, 1, 1, 1, 3, 3]
    assert rings.exterior.tolist() == [True, True, False, False, True, True]
    for number in range(len(rings.owner)):  # each ring closed, with the coordinates GEOS has
        mine = rings.ring == number
        xy = np.column_stack([rings.x[mine], rings.y[mine]])
        assert (xy[0] == xy[-1]).all() and len(xy) == 5


def test_points_in_polygons_are_those_geos_finds_courtyards_and_parts_included() -> None:
    footprints = synthetic_buildings(500, seed=2).geometry.to_numpy()  # with courtyards
    extra = np.array(
        [
            MultiPolygon([box(0, 0, 10, 10), box(20, 0, 30, 10)]),
            Polygon([(0, 0), (10, 0), (10, 10), (5, 2), (0, 10)]),  # a deep notch
        ],
        dtype=object,
    )
    geoms = np.concatenate([footprints, extra])
    fractions = ((0.25, 0.25), (0.75, 0.25), (0.5, 0.5), (0.25, 0.75), (0.75, 0.75))
    bounds = shapely.bounds(geoms)
    inside = inside_at(polygon_rings(geoms), bounds, fractions)
    for column, (fx, fy) in enumerate(fractions):
        x = bounds[:, 0] + fx * (bounds[:, 2] - bounds[:, 0])
        y = bounds[:, 1] + fy * (bounds[:, 3] - bounds[:, 1])
        np.testing.assert_array_equal(inside[:, column], shapely.contains_xy(geoms, x, y))
    assert not inside[:, 2].all() and inside.any()


def test_roof_points_are_the_representative_point_and_the_quarters_inside() -> None:
    obstacles = Obstacles.from_buildings(synthetic_buildings(300, seed=5), (0.0, 0.0))
    points, owner = roof_points(obstacles, np.arange(len(obstacles)))
    geoms = obstacles.footprints
    assert shapely.contains_xy(geoms[owner], points[:, 0], points[:, 1]).all()
    representative = shapely.get_coordinates(shapely.point_on_surface(geoms))
    first = np.searchsorted(owner, np.arange(len(obstacles)))
    np.testing.assert_array_equal(points[first, :2], representative)
    np.testing.assert_array_equal(points[:, 2], obstacles.top_m[owner])
    counts = np.bincount(owner, minlength=len(obstacles))
    assert counts.min() >= 1 and counts.max() == 5 and (np.diff(owner) >= 0).all()


def test_ring_tables_hold_each_outer_ring_counter_clockwise_padded_with_its_first_vertex() -> None:
    frame = gpd.GeoDataFrame(
        {"height_m": [6.0, 9.0, 12.0]},
        geometry=[
            box(0, 0, 10, 4).reverse(),  # clockwise
            Polygon(box(20, 0, 40, 20).exterior, [box(25, 5, 30, 10).exterior]),
            Polygon([(50, 0), (60, 0), (60, 6), (55, 8), (52, 9), (50, 6)]),
        ],
    )
    obstacles = Obstacles.from_buildings(frame, (0.0, 0.0))
    table = outer_rings(obstacles, np.arange(3), (0.0, 0.0))
    assert table.block.tolist() == [0, 1, 2]  # the courtyard is not a ring of its own
    for ring in range(3):
        group = table.groups[table.group[ring]]
        x, y = group.x[table.row[ring]], group.y[table.row[ring]]
        walls = shapely.get_num_coordinates(shapely.get_exterior_ring(frame.geometry[ring])) - 1
        assert shapely.is_ccw(shapely.linearrings(x[: walls + 1], y[: walls + 1]))
        assert (x[walls:] == x[0]).all() and (y[walls:] == y[0]).all()  # padding: no wall
        outline = shapely.polygons(shapely.linearrings(x, y))
        assert shapely.equals(outline, shapely.polygons(frame.geometry[ring].exterior))
