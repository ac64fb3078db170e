"""Ducts to lay: from the nearest point of the existing network to each new building, along
the roads.

The road graph is :func:`twin.walk_network.build_road_network` over *every* road (ducts follow
roads, motorways included, not footpaths only). The network's points
(:func:`~scenarios.study.digital_assets.network_points`: along existing cables every 5 m, and
connection points) and each new building's centroid are attached to their nearest road segment
(:func:`twin.walk_access.attach`); one multi-source Dijkstra (every network point a source,
:func:`twin.walk_access.source_graph`) gives each road node its nearest point and the
predecessor tree the routes are read from. A route runs: network point → its road (access
leg) → along the roads → the point of the road nearest the building's centroid → straight to
the facade (the building leg stops at the footprint, not at its centre); a network point on
the building's own segment may be reached directly along it. The duct length to lay is the
length of the union of the routes (a street shared by two routes holds one trench).

Each piece (at most 10 m) of the union has a *context* for the cost of a trench dug later: a
*town centre* where buildings cover at least ``fibre.town_centre_min_coverage`` of the ground
within 50 m of its middle, *bare ground* along tracks and paths (``kind`` in
:data:`PATH_KINDS`), an ordinary *road* elsewhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import dijkstra

from twin.walk_access import Attachment, attach, source_graph
from twin.walk_network import WalkNetwork, build_road_network

logger = logging.getLogger(__name__)

CONTEXTS = ("town_centre", "road", "bare_ground")
PATH_KINDS = (
    "Chemin",
    "Sentier",
    "Piste cyclable",
    "Escalier",
    "track",
    "path",
    "footway",
    "cycleway",
    "bridleway",
    "steps",
)
COVERAGE_RADIUS_M = 50.0
#: Pieces of the ducts (m) judged one by one for their context.
CONTEXT_PIECE_M = 10.0


@dataclass(frozen=True)
class DuctPlan:
    """The new ducts.

    Attributes:
        routes: one row per new building routed: ``building_id``, ``length_m`` (its route),
            ``building_leg_m`` (road to facade), ``straight_m`` (straight distance from the
            footprint to the nearest network point), line geometry.
        length_m: length of the union of the routes (NaN when nothing could be routed and
            something had to be).
        length_by_context: that length split by :data:`CONTEXTS`.
        unrouted: new buildings no route reaches (cut off from the network's roads).
        reason: a note key when the length is unknown or partial ("" otherwise).
    """

    routes: gpd.GeoDataFrame
    length_m: float
    length_by_context: pd.Series
    unrouted: tuple[str, ...]
    reason: str


def unknown_plan(reason: str, crs: object, targets: int) -> DuctPlan:
    """A plan whose length is unknown (``reason``), or 0 when there is no target."""
    length = 0.0 if targets == 0 else float("nan")
    contexts = pd.Series(length, index=list(CONTEXTS))
    routes = gpd.GeoDataFrame(
        {"building_id": [], "length_m": [], "building_leg_m": [], "straight_m": []},
        geometry=[],
        crs=crs,
    )
    return DuctPlan(routes, length, contexts, (), reason if targets else "")


def plan_ducts(
    roads: gpd.GeoDataFrame,
    points: np.ndarray,
    targets: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    min_coverage: float,
) -> DuctPlan:
    """Route a duct from the nearest network point to each target building (``id``,
    footprint) along ``roads``; ``buildings`` (all of them) give the trench contexts."""
    if not len(targets):
        return unknown_plan("", roads.crs, 0)
    network = build_road_network(roads, label="duct")
    sources = attach(network, points)
    footprints = targets.geometry.to_numpy()
    aimed = attach(network, footprints)
    projection = _projection(network, aimed)
    facade = np.full(len(targets), None, dtype=object)
    legs = np.full(len(targets), np.nan)
    ok = aimed.edge >= 0
    if ok.any():
        lines = shapely.shortest_line(shapely.points(projection[ok]), footprints[ok])
        facade[ok] = shapely.get_point(lines, 1)
        legs[ok] = shapely.length(lines)
    aimed = replace(aimed, access_m=legs)
    lines_out, lengths = _routes(network, sources, aimed, projection, facade)
    straight = _straight_m(points, footprints)
    ids = targets["id"].astype(str).to_numpy()
    routed = np.isfinite(lengths)
    routes = gpd.GeoDataFrame(
        {
            "building_id": ids[routed],
            "length_m": lengths[routed],
            "building_leg_m": legs[routed],
            "straight_m": straight[routed],
        },
        geometry=lines_out[routed],
        crs=roads.crs,
    )
    unrouted = tuple(ids[~routed])
    if not routed.any():
        return unknown_plan("note.no_route", roads.crs, len(targets))
    union = shapely.union_all(routes.geometry.to_numpy())
    by_context = _contexts(union, network, roads, buildings, min_coverage)
    length = float(by_context.sum())
    logger.info("ducts: %d building(s) routed, %.0f m to lay", int(routed.sum()), length)
    return DuctPlan(routes, length, by_context, unrouted, "note.some_unrouted" if unrouted else "")


def _projection(network: WalkNetwork, at: Attachment) -> np.ndarray:
    """Where each attached point meets its segment (NaN rows where not attached)."""
    out = np.full((len(at), 2), np.nan)
    ok = at.edge >= 0
    start, end = network.edge_xy[at.edge[ok], 0], network.edge_xy[at.edge[ok], 1]
    out[ok] = start + at.fraction[ok, None] * (end - start)
    return out


def _routes(
    network: WalkNetwork,
    sources: Attachment,
    targets: Attachment,
    target_xy: np.ndarray,
    facade: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Each target's route (a line) and length; NaN length where none reaches it."""
    n_targets = len(targets)
    lines = np.full(n_targets, None, dtype=object)
    lengths = np.full(n_targets, np.nan)
    rows = np.flatnonzero(sources.edge >= 0)
    if not len(rows):
        return lines, lengths
    graph, extra = source_graph(network, sources, rows)
    node_m, predecessor, _ = dijkstra(
        graph, directed=True, indices=extra, min_only=True, return_predecessors=True
    )
    source_xy = _projection(network, sources)
    n_nodes = network.n_nodes
    # The paths are read one new building at a time from the predecessor tree: a path is a
    # chain of nodes (sequential by nature); new buildings are few.
    for i in np.flatnonzero(targets.edge >= 0):
        edge = targets.edge[i]
        u, v = network.edge_nodes[edge]
        length = network.edge_length_m[edge]
        part = targets.fraction[i] * length
        via = (node_m[u] + part, node_m[v] + length - part)
        end = u if via[0] <= via[1] else v
        best = min(via)
        same = rows[sources.edge[rows] == edge]
        direct = np.abs(sources.fraction[same] - targets.fraction[i]) * length
        direct = direct + sources.access_m[same]
        if len(same) and direct.min() < best:
            source = same[int(np.argmin(direct))]
            middle: list[np.ndarray] = []
            best = float(direct.min())
        elif np.isfinite(best):
            chain = [end]
            while predecessor[chain[-1]] < n_nodes:
                chain.append(predecessor[chain[-1]])
            source = rows[predecessor[chain[-1]] - n_nodes]
            middle = [network.node_xy[node] for node in reversed(chain)]
        else:
            continue
        start_xy = shapely.get_coordinates(sources_point(sources, source))[0]
        coords = [start_xy, source_xy[source], *middle, target_xy[i]]
        coords.append(shapely.get_coordinates(facade[i])[0])
        lines[i] = _line(np.array(coords))
        lengths[i] = best + targets.access_m[i]
    return lines, lengths


def sources_point(sources: Attachment, row: int) -> shapely.Point:
    """The network point ``row`` of an attachment."""
    return shapely.points(sources.point_xy[row])


def _line(coords: np.ndarray) -> shapely.LineString:
    """A line through the coordinates, consecutive repeats dropped."""
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = np.any(np.abs(np.diff(coords, axis=0)) > 1e-9, axis=1)
    coords = coords[keep]
    return shapely.linestrings(coords) if len(coords) >= 2 else shapely.LineString()


def _straight_m(points: np.ndarray, footprints: np.ndarray) -> np.ndarray:
    """Straight distance from each footprint to the nearest network point."""
    if not len(points):
        return np.full(len(footprints), np.nan)
    tree = shapely.STRtree(points)
    (rows, _), distance = tree.query_nearest(footprints, return_distance=True, all_matches=False)
    out = np.full(len(footprints), np.nan)
    out[rows] = distance
    return out


def _contexts(
    union: shapely.Geometry,
    network: WalkNetwork,
    roads: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    min_coverage: float,
) -> pd.Series:
    """Length of the union of the routes by trench context."""
    merged = shapely.line_merge(union) if not union.is_empty else union
    parts = shapely.get_parts(shapely.segmentize(merged, CONTEXT_PIECE_M))
    coords, index = shapely.get_coordinates(parts, return_index=True)
    pairs = np.flatnonzero(index[:-1] == index[1:])
    if not len(pairs):
        return pd.Series(0.0, index=list(CONTEXTS))
    start, end = coords[pairs], coords[pairs + 1]
    length = np.hypot(*(end - start).T)
    middle = shapely.points((start + end) / 2.0)
    discs = shapely.buffer(middle, COVERAGE_RADIUS_M)
    footprints = buildings.geometry.to_numpy()
    footprints = footprints[~(shapely.is_missing(footprints) | shapely.is_empty(footprints))]
    covered: np.ndarray = np.zeros(len(discs))
    if len(footprints):
        disc, building = shapely.STRtree(footprints).query(discs, predicate="intersects")
        area = shapely.area(shapely.intersection(discs[disc], footprints[building]))
        covered = np.bincount(disc, weights=area, minlength=len(discs))
    coverage = covered / shapely.area(discs)
    on_path = np.zeros(len(pairs), dtype=bool)
    if "kind" in roads.columns and network.n_edges:
        piece, nearest = network.segment_tree.query_nearest(middle, all_matches=False)
        path_road = roads["kind"].astype("string").isin(PATH_KINDS).fillna(False)
        on_path[piece] = path_road.to_numpy(dtype=bool)[network.edge_road[nearest]]
    context = np.where(
        coverage >= min_coverage, "town_centre", np.where(on_path, "bare_ground", "road")
    )
    totals = pd.Series(length).groupby(context).sum()
    return totals.reindex(list(CONTEXTS), fill_value=0.0).astype("float64")
