"""The walking network: the walkable roads as a graph of straight segments, in metres.

Every vertex of a walkable road line is a node and every straight piece between two consecutive
vertices is an edge weighted by its length (intermediate vertices of degree two cost nothing in
Dijkstra and keep the attachment of buildings exact). Coordinates are snapped to
:data:`SNAP_M` so lines that share a vertex meet there; lines that only *cross* without a shared
vertex (a bridge over a road, a footpath under a railway) stay apart, as in the data. The graph
is a ``scipy.sparse`` matrix: connected components and Dijkstra come from
``scipy.sparse.csgraph``; attaching points and measuring distances is in
:mod:`twin.walk_access`.

It lives in twin/ because it is part of the city model derived from the ``roads`` layer (like
the LoD1 meshes from ``buildings``), used by the indicators, the reports and the app.
:func:`build_road_network` builds the same graph over every road (not only walkable ones): the
digital-impact study routes ducts along it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

logger = logging.getLogger(__name__)

#: Coordinates closer than this (metres) are the same node.
SNAP_M = 0.01

#: Road classes pedestrians may not use, from OSM (``highway``) and BD TOPO (``nature``); used
#: only where ``walkable`` is unknown (NA), an explicit ``walkable`` always wins.
NOT_WALKABLE_KINDS = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "Type autoroutier",
    "Bretelle",
)


@dataclass(frozen=True)
class NetworkSummary:
    """How connected a walking network is.

    Attributes:
        n_nodes, n_edges: vertices and straight segments of the graph.
        length_m: total length of the segments.
        n_components: connected parts (a part may be a single footpath).
        largest_edge_share, largest_length_share: the share (0..1) of the segments and of the
            length in the largest part (the one with the most length).
    """

    n_nodes: int
    n_edges: int
    length_m: float
    n_components: int
    largest_edge_share: float
    largest_length_share: float

    def describe(self) -> str:
        """One line for logs and reports."""
        return (
            f"{self.n_nodes:,} nodes, {self.n_edges:,} segments, {self.length_m / 1000:,.1f} km "
            f"in {self.n_components:,} connected part(s); the largest holds "
            f"{self.largest_edge_share:.1%} of the segments and "
            f"{self.largest_length_share:.1%} of the length"
        )


@dataclass(frozen=True, eq=False)
class WalkNetwork:
    """A walking graph built by :func:`build_walk_network`.

    Attributes:
        node_xy: (n_nodes, 2) node coordinates in the roads' CRS.
        edge_xy: (n_edges, 2, 2) start and end of each segment, as drawn.
        edge_nodes: (n_edges, 2) the nodes (u, v) each segment joins.
        edge_length_m: (n_edges,) segment lengths.
        edge_road: (n_edges,) position (row number) of the segment's road in the roads frame.
        road_ids: the roads frame's ``id`` column (all rows, walkable or not).
        graph: symmetric (n_nodes, n_nodes) CSR matrix of lengths (the shortest of parallel
            segments between two nodes).
        node_component: (n_nodes,) connected-part label of each node.
        main_component: label of the largest part (the most length).
    """

    node_xy: np.ndarray
    edge_xy: np.ndarray
    edge_nodes: np.ndarray
    edge_length_m: np.ndarray
    edge_road: np.ndarray
    road_ids: np.ndarray
    graph: csr_matrix
    node_component: np.ndarray
    main_component: int

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_xy)

    @property
    def n_edges(self) -> int:
        """Number of segments."""
        return len(self.edge_nodes)

    @property
    def edge_component(self) -> np.ndarray:
        """Connected-part label of each segment."""
        return self.node_component[self.edge_nodes[:, 0]]

    @cached_property
    def component_length_m(self) -> np.ndarray:
        """Total segment length of each connected part, by label."""
        n_parts = int(self.node_component.max()) + 1 if self.n_nodes else 0
        return np.bincount(self.edge_component, weights=self.edge_length_m, minlength=n_parts)

    @cached_property
    def segment_tree(self) -> shapely.STRtree:
        """A spatial index of the segments (two-point lines), in edge order."""
        return shapely.STRtree(shapely.linestrings(self.edge_xy))

    def summary(self) -> NetworkSummary:
        """Counts, length and connectivity of the network."""
        n_edges = self.n_edges
        total_m = float(self.edge_length_m.sum())
        main = self.edge_component == self.main_component
        return NetworkSummary(
            n_nodes=self.n_nodes,
            n_edges=n_edges,
            length_m=total_m,
            n_components=len(self.component_length_m),
            largest_edge_share=float(main.mean()) if n_edges else 0.0,
            largest_length_share=float(self.edge_length_m[main].sum() / total_m)
            if total_m > 0
            else 0.0,
        )


def walkable_mask(roads: pd.DataFrame) -> np.ndarray:
    """Which road rows pedestrians may use: ``walkable`` true, or unknown and not a motorway or
    trunk road (``kind``).

    Example:
        >>> roads = pd.DataFrame({"walkable": pd.array([True, False, None, None], "boolean"),
        ...                       "kind": ["trunk", "footway", "motorway", "residential"]})
        >>> walkable_mask(roads).tolist()
        [True, False, False, True]
    """
    n = len(roads)
    kind = roads["kind"] if "kind" in roads.columns else pd.Series([None] * n, index=roads.index)
    by_kind = ~kind.isin(NOT_WALKABLE_KINDS).to_numpy(dtype=bool)
    if "walkable" not in roads.columns:
        return by_kind
    walkable = roads["walkable"].astype("boolean")
    known = walkable.notna().to_numpy(dtype=bool)
    return np.where(known, walkable.fillna(False).to_numpy(dtype=bool), by_kind)


def _node_numbers(coords: np.ndarray, snap_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Node number of each coordinate (equal after snapping to ``snap_m``) and node positions."""
    if len(coords) == 0:
        return np.empty(0, dtype=np.int64), np.empty((0, 2))
    keys = np.round(coords / snap_m).astype(np.int64)
    low = keys.min(axis=0)
    span = keys.max(axis=0) - low + 1
    if float(span[0]) * float(span[1]) < 2**62:
        combined = (keys[:, 0] - low[0]) * span[1] + (keys[:, 1] - low[1])
        _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    else:  # an extent too large for one integer key (a continent at 1 cm): slower, same result
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    return inverse.ravel().astype(np.int64), coords[first]


def build_walk_network(roads: gpd.GeoDataFrame, *, snap_m: float = SNAP_M) -> WalkNetwork:
    """The walking graph of the walkable rows of a ``roads`` layer (see :func:`walkable_mask`).

    Lengths are in the units of the roads' CRS (metres in a project). Z is ignored (plan
    lengths). Segments that shrink to a point after snapping are left out.

    Example:
        >>> from shapely import LineString
        >>> roads = gpd.GeoDataFrame({"id": ["a", "b", "c"]}, geometry=[
        ...     LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 50)]),
        ...     LineString([(50, -10), (50, 10)])])  # c crosses a without a shared vertex
        >>> net = build_walk_network(roads)
        >>> net.n_nodes, net.n_edges, net.summary().n_components
        (5, 3, 2)
    """
    return build_road_network(
        roads, positions=np.flatnonzero(walkable_mask(roads)), snap_m=snap_m, label="walking"
    )


def build_road_network(
    roads: gpd.GeoDataFrame,
    *,
    positions: np.ndarray | None = None,
    snap_m: float = SNAP_M,
    label: str = "road",
) -> WalkNetwork:
    """The graph of the road rows at ``positions`` (every row when None), built as
    :func:`build_walk_network` builds the walking one: ducts and cables follow every road,
    motorways included, where pedestrians follow only the walkable ones.

    Example:
        >>> from shapely import LineString
        >>> roads = gpd.GeoDataFrame({"id": ["a", "b"], "kind": ["motorway", "residential"]},
        ...     geometry=[LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 50)])])
        >>> build_road_network(roads).n_edges, build_walk_network(roads).n_edges
        (2, 1)
    """
    if positions is None:
        positions = np.arange(len(roads))
    geometries = np.asarray(roads.geometry.to_numpy(), dtype=object)[positions]
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    positions, geometries = positions[present], geometries[present]
    parts, part_row = shapely.get_parts(geometries, return_index=True)
    coords, coord_part = shapely.get_coordinates(parts, return_index=True)
    node, node_xy = _node_numbers(coords, snap_m)

    consecutive = np.flatnonzero(coord_part[:-1] == coord_part[1:])
    u, v = node[consecutive], node[consecutive + 1]
    keep = u != v
    consecutive, u, v = consecutive[keep], u[keep], v[keep]
    edge_xy = np.stack([coords[consecutive], coords[consecutive + 1]], axis=1)
    length_m = np.hypot(*(edge_xy[:, 1] - edge_xy[:, 0]).T)
    edge_road = positions[part_row[coord_part[consecutive]]]

    graph = _graph(u, v, length_m, len(node_xy))
    n_parts, labels = connected_components(graph, directed=False)
    part_length = np.bincount(labels[u], weights=length_m, minlength=n_parts)
    network = WalkNetwork(
        node_xy=node_xy,
        edge_xy=edge_xy,
        edge_nodes=np.stack([u, v], axis=1),
        edge_length_m=length_m,
        edge_road=edge_road.astype(np.int64),
        road_ids=roads["id"].astype(str).to_numpy(dtype=object)
        if "id" in roads.columns
        else np.arange(len(roads)).astype(str).astype(object),
        graph=graph,
        node_component=labels.astype(np.int64),
        main_component=int(np.argmax(part_length)) if n_parts else -1,
    )
    logger.info("%s network: %s", label, network.summary().describe())
    return network


def _graph(u: np.ndarray, v: np.ndarray, length_m: np.ndarray, n_nodes: int) -> csr_matrix:
    """Symmetric CSR matrix keeping the shortest of parallel segments (a sparse matrix built
    from coordinates would add them up)."""
    a, b = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((length_m, b, a))
    a, b, w = a[order], b[order], length_m[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    a, b, w = a[first], b[first], w[first]
    rows = np.concatenate([a, b])
    cols = np.concatenate([b, a])
    return csr_matrix((np.concatenate([w, w]), (rows, cols)), shape=(n_nodes, n_nodes))
