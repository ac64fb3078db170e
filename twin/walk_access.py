"""Attaching buildings and stops to the walking network, and walking distances between them.

A point (a building's centroid, a stop) is attached to the nearest segment of the network: it
walks straight to its projection on that segment (the *access leg*), then along the segment to
either end. The distance from a building to the nearest stop is one multi-source Dijkstra
(``scipy.sparse.csgraph.dijkstra``, every stop a source, ``min_only=True``): each stop is an
extra node joined to the ends of its segment by its access leg plus the part of the segment
on each side; a building and a stop on the same segment also get the direct walk along it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from twin.issues import Issue, Severity
from twin.walk_network import WalkNetwork

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """Where points join the network (arrays, one row per point).

    Attributes:
        edge: segment index, -1 for a point that could not be attached (empty geometry, empty
            network).
        fraction: position of the projection along the segment, 0 at its node u, 1 at v.
        access_m: straight distance from the point to its projection.
        point_xy: (n, 2) the points attached (centroids of polygons).
    """

    edge: np.ndarray
    fraction: np.ndarray
    access_m: np.ndarray
    point_xy: np.ndarray

    def __len__(self) -> int:
        return len(self.edge)


def attach(network: WalkNetwork, geometries: np.ndarray) -> Attachment:
    """Attach geometries (points as they are, others by their centroid) to the nearest segment.

    Example:
        >>> import geopandas as gpd
        >>> from shapely import LineString, Point
        >>> from twin.walk_network import build_walk_network
        >>> net = build_walk_network(gpd.GeoDataFrame(
        ...     {"id": ["a"]}, geometry=[LineString([(0, 0), (100, 0)])]))
        >>> at = attach(net, np.array([Point(30, 12)]))
        >>> at.edge.tolist(), at.fraction.tolist(), at.access_m.tolist()
        ([0], [0.3], [12.0])
    """
    geometries = np.asarray(geometries, dtype=object)
    n = len(geometries)
    edge = np.full(n, -1, dtype=np.int64)
    fraction = np.full(n, np.nan)
    access_m = np.full(n, np.nan)
    points = shapely.centroid(geometries) if n else np.empty(0, dtype=object)
    point_xy = np.full((n, 2), np.nan)
    usable = ~(shapely.is_missing(points) | shapely.is_empty(points)) if n else np.zeros(0, bool)
    if usable.any():
        point_xy[usable] = shapely.get_coordinates(points[usable])
    if network.n_edges == 0 or not usable.any():
        return Attachment(edge, fraction, access_m, point_xy)
    query, found = network.segment_tree.query_nearest(points[usable], all_matches=False)
    rows = np.flatnonzero(usable)[query]
    start, end = network.edge_xy[found, 0], network.edge_xy[found, 1]
    direction = end - start
    squared = np.einsum("ij,ij->i", direction, direction)
    along = np.einsum("ij,ij->i", point_xy[rows] - start, direction) / squared
    along = np.clip(along, 0.0, 1.0)
    projection = start + along[:, None] * direction
    edge[rows] = found
    fraction[rows] = along
    access_m[rows] = np.hypot(*(point_xy[rows] - projection).T)
    return Attachment(edge, fraction, access_m, point_xy)


def nearest_source(
    network: WalkNetwork,
    targets: Attachment,
    sources: Attachment,
    *,
    limit_m: float = np.inf,
) -> tuple[np.ndarray, np.ndarray]:
    """Walking distance from each target to its nearest source, and which source that is.

    Distances count both access legs and the partial segments. Targets farther than
    ``limit_m`` (the search stops there), unattached or cut off from every source get NaN and
    source -1.

    Returns:
        ``(distance_m, source)``: float array, and the position of the nearest source in
        ``sources`` (int64).

    Example:
        >>> import geopandas as gpd
        >>> from shapely import LineString, Point
        >>> from twin.walk_network import build_walk_network
        >>> net = build_walk_network(gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[
        ...     LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 100)])]))
        >>> homes = attach(net, np.array([Point(20, 5), Point(95, 90)]))
        >>> stops = attach(net, np.array([Point(100, 60)]))
        >>> distance_m, nearest = nearest_source(net, homes, stops)
        >>> distance_m.tolist(), nearest.tolist()  # 5 + 80 + 60; 5 + 30 (same segment)
        ([145.0, 35.0], [0, 0])
    """
    n_targets = len(targets)
    distance_m = np.full(n_targets, np.inf)
    nearest = np.full(n_targets, -1, dtype=np.int64)
    source_rows = np.flatnonzero(sources.edge >= 0)
    target_rows = np.flatnonzero(targets.edge >= 0)
    if len(source_rows) and len(target_rows):
        _through_nodes(
            network, targets, sources, source_rows, target_rows, limit_m, distance_m, nearest
        )
        _along_same_segment(network, targets, sources, source_rows, distance_m, nearest)
    beyond = ~np.isfinite(distance_m) | (distance_m > limit_m)
    distance_m[beyond] = np.nan
    nearest[beyond] = -1
    return distance_m, nearest


def source_graph(
    network: WalkNetwork, sources: Attachment, source_rows: np.ndarray
) -> tuple[csr_matrix, np.ndarray]:
    """The network's graph, directed, with one extra node per source (``sources`` at
    ``source_rows``, attached) joined one way to both ends of its segment by its access leg plus
    the part of the segment on that side, so no path passes through a source.

    Returns:
        ``(graph, extra)``: the (n + k) × (n + k) CSR matrix and the extra nodes' numbers
        (``n_nodes + 0 .. k - 1``, in ``source_rows`` order), to start a multi-source Dijkstra.
    """
    n, k = network.n_nodes, len(source_rows)
    edge = sources.edge[source_rows]
    u, v = network.edge_nodes[edge, 0], network.edge_nodes[edge, 1]
    length = network.edge_length_m[edge]
    part = sources.fraction[source_rows] * length
    access = sources.access_m[source_rows]
    base = network.graph.tocoo()
    extra = n + np.arange(k)
    rows = np.concatenate([base.row, extra, extra])
    cols = np.concatenate([base.col, u, v])
    weights = np.concatenate([base.data, access + part, access + length - part])
    return csr_matrix((weights, (rows, cols)), shape=(n + k, n + k)), extra


def _through_nodes(
    network: WalkNetwork,
    targets: Attachment,
    sources: Attachment,
    source_rows: np.ndarray,
    target_rows: np.ndarray,
    limit_m: float,
    distance_m: np.ndarray,
    nearest: np.ndarray,
) -> None:
    """Multi-source Dijkstra from the sources (extra nodes) to the ends of the targets' segments."""
    n = network.n_nodes
    graph, extra = source_graph(network, sources, source_rows)
    node_m, _, origin = dijkstra(
        graph, directed=True, indices=extra, min_only=True, limit=limit_m, return_predecessors=True
    )
    edge = targets.edge[target_rows]
    u, v = network.edge_nodes[edge, 0], network.edge_nodes[edge, 1]
    length = network.edge_length_m[edge]
    part = targets.fraction[target_rows] * length
    via_u = node_m[u] + part
    via_v = node_m[v] + (length - part)
    use_u = via_u <= via_v
    distance_m[target_rows] = targets.access_m[target_rows] + np.where(use_u, via_u, via_v)
    origin_node = np.where(use_u, origin[u], origin[v])
    reached = origin_node >= n
    nearest[target_rows[reached]] = source_rows[origin_node[reached] - n]


def _along_same_segment(
    network: WalkNetwork,
    targets: Attachment,
    sources: Attachment,
    source_rows: np.ndarray,
    distance_m: np.ndarray,
    nearest: np.ndarray,
) -> None:
    """The direct walk along the segment a target shares with one or more sources."""
    by_edge = source_rows[np.argsort(sources.edge[source_rows], kind="stable")]
    sorted_edges = sources.edge[by_edge]
    first = np.searchsorted(sorted_edges, targets.edge, side="left")
    last = np.searchsorted(sorted_edges, targets.edge, side="right")
    count = np.where(targets.edge >= 0, last - first, 0)
    if not count.any():
        return
    target = np.repeat(np.arange(len(targets)), count)
    offset = np.arange(len(target)) - np.repeat(np.cumsum(count) - count, count)
    source = by_edge[np.repeat(first, count) + offset]
    length = network.edge_length_m[targets.edge[target]]
    direct = (
        targets.access_m[target]
        + np.abs(targets.fraction[target] - sources.fraction[source]) * length
        + sources.access_m[source]
    )
    order = np.lexsort((direct, target))
    target, source, direct = target[order], source[order], direct[order]
    best = np.ones(len(target), dtype=bool)
    best[1:] = target[1:] != target[:-1]
    target, source, direct = target[best], source[best], direct[best]
    shorter = direct < distance_m[target]
    distance_m[target[shorter]] = direct[shorter]
    nearest[target[shorter]] = source[shorter]


def attachment_issues(
    network: WalkNetwork, attachment: Attachment, ids: np.ndarray, *, source: str
) -> list[Issue]:
    """Issues for points not attached, or attached to a part cut off from the main network.

    ``ids`` are the points' ids (``feature`` of each issue), ``source`` names their layer.
    """
    issues: list[Issue] = []
    unattached = np.flatnonzero(attachment.edge < 0)
    for row in unattached:
        issues.append(
            Issue(
                Severity.ERROR,
                "not_on_walk_network",
                "no walking distance: the feature has no location or there is no walkable road; "
                "import roads (BD TOPO or OpenStreetMap) covering it",
                source,
                str(ids[row]),
            )
        )
    attached = np.flatnonzero(attachment.edge >= 0)
    part = network.edge_component[attachment.edge[attached]]
    cut_off = attached[part != network.main_component]
    if len(cut_off):
        part_m = network.component_length_m[network.edge_component[attachment.edge[cut_off]]]
        main_m = float(network.component_length_m[network.main_component])
        for row, length in zip(cut_off, part_m, strict=True):
            issues.append(
                Issue(
                    Severity.WARNING,
                    "on_isolated_walk_network_part",
                    f"its nearest road belongs to a {length:,.0f} m piece of the walking network "
                    f"cut off from the main one ({main_m:,.0f} m): it only reaches what lies on "
                    "that piece; check the roads around it (a missing link or the data's edge)",
                    source,
                    str(ids[row]),
                )
            )
    if len(issues):
        logger.info("%s: %d point(s) off the main walking network", source, len(issues))
    return issues
