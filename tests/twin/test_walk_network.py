"""The walking network joins roads where they share a vertex (not where they only cross), walks
only where pedestrians may, and gives walking distances that a planner can redo by hand on a
100 m grid; on the real Redon OpenStreetMap extract it is one network but for pieces cut off by
the extract's edge, and never shorter than the straight line."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS, Transformer
from scipy.sparse.csgraph import dijkstra
from shapely import LineString, Point, box

from importers import osm
from importers.base import ImportOptions, ImportResult
from twin.issues import Severity
from twin.walk_access import attach, attachment_issues, nearest_source
from twin.walk_network import SNAP_M, WalkNetwork, build_walk_network, walkable_mask

LAMBERT93 = CRS.from_epsg(2154)


def roads_frame(lines: list[LineString], **columns: list[object]) -> gpd.GeoDataFrame:
    """A roads layer of ``lines`` with ids r0, r1 ... and optional columns."""
    ids = [f"r{i}" for i in range(len(lines))]
    return gpd.GeoDataFrame({"id": ids, **columns}, geometry=lines, crs=LAMBERT93)


def grid_roads(step_m: float = 100.0, count: int = 5) -> gpd.GeoDataFrame:
    """Streets every ``step_m`` over a square, each drawn as one line through every crossing."""
    ticks = [step_m * i for i in range(count)]
    lines = [LineString([(x, y) for y in ticks]) for x in ticks]
    lines += [LineString([(x, y) for x in ticks]) for y in ticks]
    return roads_frame(lines)


def points(*xy: tuple[float, float]) -> np.ndarray:
    return np.array([Point(x, y) for x, y in xy], dtype=object)


# --- building the graph ---------------------------------------------------------------------


def test_a_square_grid_becomes_one_network_with_a_node_at_every_crossing() -> None:
    network = build_walk_network(grid_roads())
    summary = network.summary()
    assert (summary.n_nodes, summary.n_edges, summary.n_components) == (25, 40, 1)
    assert summary.length_m == pytest.approx(4000.0)
    assert summary.largest_edge_share == 1.0


def test_lines_that_only_cross_without_a_shared_vertex_stay_apart_like_a_bridge() -> None:
    road = LineString([(0, 0), (100, 0)])
    bridge = LineString([(50, -20), (50, 20)])  # crosses the road at (50, 0): no vertex there
    network = build_walk_network(roads_frame([road, bridge]))
    assert network.summary().n_components == 2
    distance_m, _ = nearest_source(
        network, attach(network, points((0, 0))), attach(network, points((50, 20)))
    )
    assert np.isnan(distance_m[0])


def test_lines_sharing_a_vertex_join_even_when_drawn_a_few_millimetres_apart() -> None:
    near = SNAP_M * 0.4
    network = build_walk_network(
        roads_frame([LineString([(0, 0), (100, 0)]), LineString([(100 + near, near), (100, 80)])])
    )
    assert network.summary().n_components == 1
    distance_m, _ = nearest_source(
        network, attach(network, points((0, 0))), attach(network, points((100, 80)))
    )
    assert distance_m[0] == pytest.approx(180.0, abs=0.02)


def test_pedestrians_walk_where_walkable_is_true_or_unknown_but_not_on_unknown_motorways() -> None:
    roads = pd.DataFrame(
        {
            "walkable": pd.array([True, False, None, None, None], dtype="boolean"),
            "kind": ["trunk", "footway", "motorway", "Type autoroutier", "residential"],
        }
    )
    assert walkable_mask(roads).tolist() == [True, False, False, False, True]
    lines = [LineString([(0, 10 * i), (100, 10 * i)]) for i in range(5)]
    network = build_walk_network(roads_frame(lines, **roads.to_dict("list")))
    assert sorted(network.road_ids[np.unique(network.edge_road)]) == ["r0", "r4"]


def test_a_street_drawn_twice_counts_once_and_the_walk_takes_the_shorter_way() -> None:
    straight = LineString([(0, 0), (100, 0)])
    detour = LineString([(0, 0), (50, 40), (100, 0)])
    network = build_walk_network(roads_frame([detour, straight, straight]))
    # The detour's halves (64.03 m) and one 100 m edge each way: not 200 m for the copies.
    assert sorted(network.graph.data.round(2).tolist()) == [64.03] * 4 + [100.0] * 2
    distance_m, _ = nearest_source(
        network, attach(network, points((0, 0))), attach(network, points((100, 0)))
    )
    assert distance_m[0] == pytest.approx(100.0)


def test_multilinestrings_and_missing_geometries_are_handled() -> None:
    multi = shapely.MultiLineString([[(0, 0), (50, 0)], [(50, 0), (100, 0)]])
    network = build_walk_network(roads_frame([multi, None]))
    assert (network.n_edges, network.summary().n_components) == (2, 1)
    assert set(network.edge_road.tolist()) == {0}


def test_without_any_walkable_road_nothing_is_attached_and_no_distance_is_given() -> None:
    roads = roads_frame([LineString([(0, 0), (100, 0)])], walkable=pd.array([False], "boolean"))
    network = build_walk_network(roads)
    at = attach(network, points((10, 5)))
    distance_m, nearest = nearest_source(network, at, at)
    assert network.n_edges == 0 and at.edge.tolist() == [-1]
    assert np.isnan(distance_m[0]) and nearest[0] == -1
    issues = attachment_issues(network, at, np.array(["b1"]), source="buildings")
    assert [(i.code, i.feature) for i in issues] == [("not_on_walk_network", "b1")]


# --- walking distances a planner can check by hand ------------------------------------------


def test_on_a_100_m_grid_the_walk_to_the_nearest_stop_is_the_hand_computed_one() -> None:
    network = build_walk_network(grid_roads())
    # A 10 x 10 m building centred 30 m east of the x=0 street, 15 m north of the y=100 one:
    # its centroid (30, 115) walks 15 m to (30, 100) on y=100.
    building = box(25, 110, 35, 120)
    stops = points((260, 304), (0, 395))  # 4 m off y=300; on x=0 near the grid's top
    at_building = attach(network, np.array([building]))
    assert at_building.access_m[0] == pytest.approx(15.0)
    distance_m, nearest = nearest_source(network, at_building, attach(network, stops))
    # Stop 0 joins y=300 at x=260 (4 m access): east along y=100 to x=200 (170 m), north to
    # y=300 (200 m), east to x=260 (60 m), plus 15 m and 4 m of access legs: 449 m.
    # Stop 1 is on x=0: west to x=0 (30 m), north to y=395 (295 m), plus 15 m: 340 m, nearer.
    assert nearest[0] == 1
    assert distance_m[0] == pytest.approx(15 + 30 + 295)
    only_first, _ = nearest_source(network, at_building, attach(network, stops[:1]))
    assert only_first[0] == pytest.approx(15 + 170 + 200 + 60 + 4)


def test_a_building_and_a_stop_on_the_same_segment_walk_directly_between_them() -> None:
    network = build_walk_network(grid_roads())
    distance_m, _ = nearest_source(
        network, attach(network, points((30, 110))), attach(network, points((60, 104)))
    )
    assert distance_m[0] == pytest.approx(10 + 30 + 4)  # not round a node and back


def test_buildings_beyond_the_search_limit_get_no_distance_and_no_stop() -> None:
    network = build_walk_network(grid_roads())
    buildings = attach(network, points((30, 110), (400, 400)))
    distance_m, nearest = nearest_source(
        network, buildings, attach(network, points((0, 0))), limit_m=300.0
    )
    assert distance_m[0] == pytest.approx(10 + 100 + 30)
    assert np.isnan(distance_m[1]) and nearest[1] == -1


def test_points_on_a_cut_off_piece_are_reported_and_cannot_reach_the_main_network() -> None:
    roads = grid_roads()
    island = roads_frame([LineString([(1000, 0), (1050, 0)])])
    island["id"] = ["island"]
    network = build_walk_network(pd.concat([roads, island], ignore_index=True))
    buildings = attach(network, points((1020, 10), (30, 110)))
    issues = attachment_issues(network, buildings, np.array(["far", "near"]), source="buildings")
    assert [(i.code, i.feature, i.severity) for i in issues] == [
        ("on_isolated_walk_network_part", "far", Severity.WARNING)
    ]
    assert "50 m" in issues[0].message
    distance_m, _ = nearest_source(network, buildings, attach(network, points((0, 0))))
    assert np.isnan(distance_m[0]) and distance_m[1] == pytest.approx(140.0)


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(st.floats(-50, 450), st.floats(-50, 450)),
    st.tuples(st.floats(-50, 450), st.floats(-50, 450)),
)
def test_on_the_grid_the_walk_is_never_shorter_than_the_straight_line(
    start: tuple[float, float], end: tuple[float, float]
) -> None:
    network = build_walk_network(grid_roads())
    distance_m, _ = nearest_source(
        network, attach(network, points(start)), attach(network, points(end))
    )
    assert distance_m[0] >= Point(start).distance(Point(end)) - 1e-9


# --- the real Redon OpenStreetMap extract ----------------------------------------------------


@pytest.fixture(scope="module")
def redon(shared_data: Path) -> tuple[ImportResult, WalkNetwork]:
    """The roads of ../shared/data/roads/redon.osm through the OSM importer, and their network."""
    result = osm.read(
        shared_data / "roads" / "redon.osm", target_crs=LAMBERT93, options=ImportOptions()
    )
    return result, build_walk_network(result.layers["roads"])


def test_redon_is_one_walking_network_but_for_small_pieces(
    redon: tuple[ImportResult, WalkNetwork],
) -> None:
    _, network = redon
    summary = network.summary()
    print(f"\nRedon OSM walking network: {summary.describe()}")
    assert summary.n_edges > 1000
    assert summary.largest_edge_share > 0.95 and summary.largest_length_share > 0.95
    small = np.delete(network.component_length_m, network.main_component)
    assert small.max() < 0.01 * summary.length_m  # the others are scraps of under 1 %


def test_redon_ways_sharing_an_osm_node_are_in_the_same_network_piece(
    redon: tuple[ImportResult, WalkNetwork], shared_data: Path
) -> None:
    result, network = redon
    path = shared_data / "roads" / "redon.osm"
    roads = result.layers["roads"]
    built = set(roads["id"][walkable_mask(roads)])  # a cycleway with foot=no is not walked
    unbuilt = {
        issue.feature
        for issue in result.issues
        if issue.code in ("incomplete_way", "highway_area_skipped")
        and "building" not in issue.message
    }
    lon_lat: dict[int, tuple[float, float]] = {}
    way_nodes: dict[str, list[int]] = {}
    for item in osmium.FileProcessor(str(path)):
        if item.is_node():
            lon_lat[item.id] = (item.location.lon, item.location.lat)
        elif item.is_way() and f"way/{item.id}" in built | unbuilt:
            way_nodes[f"way/{item.id}"] = [node.ref for node in item.nodes]
    to_l93 = Transformer.from_crs(4326, LAMBERT93, always_xy=True)
    node_of = {tuple(k): i for i, k in enumerate(np.round(network.node_xy / SNAP_M).astype(int))}

    def network_nodes(osm_ids: list[int]) -> list[int]:
        known = [lon_lat[i] for i in osm_ids if i in lon_lat]
        if not known:
            return []
        x, y = to_l93.transform(*np.array(known).T)
        keys = np.round(np.c_[x, y] / SNAP_M).astype(int)
        return [node_of[tuple(k)] for k in keys if tuple(k) in node_of]

    # Every OSM node of a built road is a node of the network, and two roads sharing an OSM
    # node end in the same piece: snapping never leaves a junction open.
    part_of_osm_node: dict[int, int] = {}
    for way_id in built:
        refs = way_nodes[way_id]
        nodes = network_nodes(refs)
        assert len(nodes) == len(refs)
        for ref, node in zip(refs, nodes, strict=True):
            part = int(network.node_component[node])
            assert part_of_osm_node.setdefault(ref, part) == part
    # Why not one piece: each cut-off piece touches a highway the importer could not build
    # (cut by the extract's edge, or drawn as an area), or shares no node with any other road.
    touching_unbuilt = {
        int(network.node_component[node])
        for way_id in unbuilt
        for node in network_nodes(way_nodes.get(way_id, []))
    }
    shared_refs = pd.Series([r for w in built for r in set(way_nodes[w])]).value_counts()
    for part in range(len(network.component_length_m)):
        if part == network.main_component:
            continue
        roads_in_part = network.road_ids[
            np.unique(network.edge_road[network.edge_component == part])
        ]
        alone = all((shared_refs[list(set(way_nodes[w]))] == 1).all() for w in roads_in_part)
        assert part in touching_unbuilt or (alone and len(roads_in_part) == 1)
    print(
        f"\nRedon: {len(network.component_length_m) - 1} cut-off pieces, "
        f"{len(touching_unbuilt - {network.main_component})} touching an unbuilt highway "
        f"({len(unbuilt)} highways not built: cut by the extract or drawn as areas)"
    )


def test_redon_walking_distances_are_never_shorter_than_straight_lines(
    redon: tuple[ImportResult, WalkNetwork],
) -> None:
    _, network = redon
    rng = np.random.default_rng(12)
    main = np.flatnonzero(network.node_component == network.main_component)
    sources = rng.choice(main, 25, replace=False)
    walked_m = dijkstra(network.graph, directed=False, indices=sources)
    straight_m = np.hypot(*(network.node_xy[sources][:, None, :] - network.node_xy[main][None]).T)
    walked_main = walked_m[:, main]
    assert np.isfinite(walked_main).all()
    assert (walked_main >= straight_m.T - 1e-6).all()
    assert np.median(walked_main / np.maximum(straight_m.T, 1.0)) > 1.0  # streets are not straight


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_redon_walks_between_random_points_are_never_shorter_than_straight_lines(
    redon: tuple[ImportResult, WalkNetwork], ax: float, ay: float, bx: float, by: float
) -> None:
    _, network = redon
    (x0, y0), (x1, y1) = network.node_xy.min(axis=0), network.node_xy.max(axis=0)
    a = (x0 + ax * (x1 - x0), y0 + ay * (y1 - y0))
    b = (x0 + bx * (x1 - x0), y0 + by * (y1 - y0))
    distance_m, _ = nearest_source(network, attach(network, points(a)), attach(network, points(b)))
    assert np.isnan(distance_m[0]) or distance_m[0] >= Point(a).distance(Point(b)) - 1e-6
