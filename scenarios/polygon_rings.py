"""The rings of many polygons as numpy columns, and points inside them, without GEOS loops.

:func:`polygon_rings` reads the coordinates of (multi)polygons ring by ring: one GEOS call for
all the coordinates, and the rings' lengths asked only of the few polygons with courtyards.
:func:`inside_at` tells whether points placed at fractions of each polygon's bounding box are
inside it (even-odd rule, so courtyards are out), by cutting the edges with a few horizontal
lines: four points per polygon cost about as much as two GEOS tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

_EDGES = 1 << 16  # edges cut at a time


@dataclass(frozen=True)
class Rings:
    """Rings of polygons: vertices (closed rings, in order) and what each ring belongs to.

    Attributes:
        x, y: vertex coordinates, ring after ring (each ring repeats its first vertex last).
        ring: for each vertex, its ring.
        owner: for each ring, the polygon (position in the array read).
        exterior: for each ring, whether it is an outer ring (not a courtyard).
    """

    x: np.ndarray
    y: np.ndarray
    ring: np.ndarray
    owner: np.ndarray
    exterior: np.ndarray

    def select(self, polygons: np.ndarray, n_polygons: int) -> Rings:
        """The rings of some of the polygons (positions among the ``n_polygons`` read), their
        owners renumbered as positions in ``polygons``."""
        polygons = np.asarray(polygons, dtype=np.int64)
        if len(polygons) == n_polygons and np.array_equal(polygons, np.arange(n_polygons)):
            return self
        position = np.full(n_polygons, -1, dtype=np.int64)
        position[polygons] = np.arange(len(polygons))
        taken = position[self.owner] >= 0
        vertex = np.flatnonzero(taken[self.ring])
        return Rings(
            self.x[vertex],
            self.y[vertex],
            (np.cumsum(taken) - 1)[self.ring[vertex]],
            position[self.owner[taken]],
            self.exterior[taken],
        )


def polygon_rings(geoms: np.ndarray) -> Rings:
    """The rings of (multi)polygons; other or empty geometries have none.

    Example:
        >>> from shapely.geometry import Polygon, box
        >>> yard = Polygon(box(0, 0, 9, 9).exterior, [box(3, 3, 6, 6).exterior])
        >>> rings = polygon_rings(np.array([box(0, 0, 1, 1), yard]))
        >>> rings.owner.tolist(), rings.exterior.tolist()
        ([0, 1, 1], [True, True, False])
    """
    geoms = np.asarray(geoms, dtype=object)
    kind = shapely.get_type_id(geoms)
    polys = np.flatnonzero(kind == shapely.GeometryType.POLYGON)
    owner, polygons = polys, geoms[polys]
    multi = np.flatnonzero(kind == shapely.GeometryType.MULTIPOLYGON)
    if len(multi):
        parts, part_owner = shapely.get_parts(geoms[multi], return_index=True)
        part = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
        polygons = np.concatenate([polygons, parts[part]])
        owner = np.concatenate([owner, multi[part_owner[part]]])
    coords, vertex_polygon = shapely.get_coordinates(polygons, return_index=True)
    holes = shapely.get_num_interior_rings(polygons)
    per_polygon = 1 + holes
    first = np.cumsum(per_polygon) - per_polygon  # each polygon's outer ring
    length = np.zeros(int(per_polygon.sum()), dtype=np.int64)
    length[first] = np.bincount(vertex_polygon, minlength=len(polygons))
    holed = np.flatnonzero(holes)
    if len(holed):  # the outer ring, then each courtyard, one after the other
        _ring_lengths(coords, vertex_polygon, holed, holes[holed], first[holed], length)
    exterior = np.zeros(len(length), dtype=bool)
    exterior[first] = True
    owners = np.repeat(owner, per_polygon)
    filled = length > 0  # an empty polygon has a ring without coordinates: none
    if not filled.all():
        length, exterior, owners = length[filled], exterior[filled], owners[filled]
    ring = np.repeat(np.arange(len(length)), length)
    return Rings(
        np.ascontiguousarray(coords[:, 0]),
        np.ascontiguousarray(coords[:, 1]),
        ring,
        owners,
        exterior,
    )


def _ring_lengths(
    coords: np.ndarray,
    vertex_polygon: np.ndarray,
    holed: np.ndarray,
    holes: np.ndarray,
    first: np.ndarray,
    length: np.ndarray,
) -> None:
    """Fill ``length`` (at ``first``, ``first + 1`` ...) with the number of coordinates of each
    ring of the polygons with courtyards: a ring ends where its first vertex comes back (a
    valid ring never passes through it before)."""
    at = np.searchsorted(vertex_polygon, holed)  # each polygon's first coordinate
    end = np.searchsorted(vertex_polygon, holed, side="right")
    mine = np.repeat(np.arange(len(holed)), end - at)
    vertex = np.repeat(at - np.cumsum(end - at) + (end - at), end - at) + np.arange(len(mine))
    x, y = coords[vertex, 0], coords[vertex, 1]
    start = at.copy()
    for k in range(int(holes.max()) + 1):
        some = holes >= k  # polygons with a ring number k
        back = (
            (x == coords[start[mine], 0]) & (y == coords[start[mine], 1]) & (vertex > start[mine])
        )
        back &= some[mine]
        closing = np.full(len(holed), np.iinfo(np.int64).max)
        np.minimum.at(closing, mine[back], vertex[back])
        length[first[some] + k] = closing[some] - start[some] + 1
        start = np.where(some, closing + 1, start)


def inside_at(
    rings: Rings, bounds: np.ndarray, fractions: tuple[tuple[float, float], ...]
) -> np.ndarray:
    """(polygons × fractions) whether the point at (fx, fy) of each polygon's bounding box
    (``bounds`` by polygon: minx, miny, maxx, maxy) is inside it (even-odd rule).

    Example:
        >>> from shapely.geometry import Polygon, box
        >>> ell = Polygon([(0, 0), (4, 0), (4, 2), (2, 2), (2, 4), (0, 4)])
        >>> geoms = np.array([ell, box(0, 0, 1, 1)])
        >>> quarters = ((0.25, 0.25), (0.75, 0.75))
        >>> inside_at(polygon_rings(geoms), shapely.bounds(geoms), quarters).tolist()
        [[True, False], [True, True]]
    """
    n = len(bounds)
    right = np.zeros((len(fractions), n), dtype=np.int64)  # crossings right of each point
    edges = np.flatnonzero(rings.ring[:-1] == rings.ring[1:])  # vertex → next, same ring
    width, height = bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]
    lines = {fy: bounds[:, 1] + fy * height for fy in sorted({fy for _, fy in fractions})}
    px = [bounds[:, 0] + fx * width for fx, _ in fractions]
    for first in range(0, len(edges), _EDGES):  # a slice of the edges stays in the cache
        edge = edges[first : first + _EDGES]
        polygon = rings.owner[rings.ring[edge]]
        x1, y1, x2, y2 = rings.x[edge], rings.y[edge], rings.x[edge + 1], rings.y[edge + 1]
        for fy, at in lines.items():
            line = at[polygon]  # the horizontal line through the points
            cut = np.flatnonzero((y1 > line) != (y2 > line))
            t = (line[cut] - y1[cut]) / (y2[cut] - y1[cut])
            crossing = x1[cut] + t * (x2[cut] - x1[cut])
            owner = polygon[cut]
            for column, (_, fy_) in enumerate(fractions):
                if fy_ == fy:
                    right[column] += np.bincount(owner[crossing > px[column][owner]], minlength=n)
    return (right % 2 == 1).T
