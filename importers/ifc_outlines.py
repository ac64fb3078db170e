"""2D outlines of IFC meshes seen from above: of elements, then of storeys and buildings.

An element's outline is the union of its upward-facing triangles projected on the plane: for
a closed solid they cover exactly its projection. For most elements (extrusions, and any solid
that a vertical line crosses once) those triangles tile the outline without overlapping, and
GEOS's coverage union merges them quickly, many elements per call; an element whose triangles
overlap (a wall with a window: its sills lie under its top) is merged by a full overlay union.

Storey and building outlines are unions of element outlines. Outlines covered by the largest
one of their group (inner walls on the slab, the same outline on every storey) are left out
of the union first, which is what makes big models fast. Results are cleaned: hairline gaps closed,
tiny holes dropped, redundant vertices removed; real holes (courtyards) are kept.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.errors import GEOSException

from importers.vector import _polygonal_part

#: Triangles smaller than this seen from above (m²) are left out of outlines.
MIN_TRIANGLE_AREA_M2 = 1e-8
#: Holes smaller than this (m²) in an outline are gaps between meshes, not courtyards.
MIN_HOLE_AREA_M2 = 0.05
#: Gaps narrower than twice this (m) are closed (buffer out, then in, mitred corners).
CLOSING_M = 2e-3


def element_outlines(
    xy: np.ndarray, faces: np.ndarray, face_object: np.ndarray, wanted: np.ndarray
) -> np.ndarray:
    """(n_objects,) outline of each wanted object (None for others and for flat-less ones).

    ``face_object`` is the object of each face, non-decreasing (a MeshStore's order).

    >>> xy = np.array([[0.0, 0], [2, 0], [2, 1], [0, 1]])
    >>> faces = np.array([[0, 1, 2], [0, 2, 3], [0, 2, 1]])
    >>> shapes = element_outlines(xy, faces, np.array([0, 0, 1]), np.array([True, True]))
    >>> round(shapes[0].area, 6), shapes[1]
    (2.0, None)
    """
    out = np.full(len(wanted), None, dtype=object)
    a, b, c = xy[faces[:, 0]], xy[faces[:, 1]], xy[faces[:, 2]]
    doubled = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    keep = (doubled > 2 * MIN_TRIANGLE_AREA_M2) & wanted[face_object]
    if not keep.any():
        return out
    objects = face_object[keep]
    triangles = shapely.polygons(np.stack([a[keep], b[keep], c[keep], a[keep]], axis=1))
    starts = np.flatnonzero(np.r_[True, objects[1:] != objects[:-1]])
    counts = np.diff(np.r_[starts, len(objects)])
    areas = np.add.reduceat(doubled[keep], starts) / 2.0
    unions = _grouped_coverage_union(triangles, starts, counts)
    united = shapely.area(unions)
    overlapping = ~(np.abs(united - areas) <= 1e-6 * areas + 1e-9)  # also catches None (NaN)
    for group in np.flatnonzero(overlapping):
        unions[group] = shapely.union_all(triangles[starts[group] : starts[group] + counts[group]])
    out[objects[starts]] = unions
    return out


def _grouped_coverage_union(
    triangles: np.ndarray, starts: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """Coverage union of each run of triangles, runs of similar length padded into one array
    and merged in one call; a run GEOS refuses (not a clean tiling) gives None."""
    out = np.full(len(starts), None, dtype=object)
    size_class = np.ceil(np.log2(counts)).astype(np.int64)
    for value in np.unique(size_class):
        runs = np.flatnonzero(size_class == value)
        lengths = counts[runs]
        rows = np.repeat(np.arange(len(runs)), lengths)
        first = np.repeat(np.cumsum(lengths) - lengths, lengths)
        columns = np.arange(lengths.sum()) - first
        padded = np.full((len(runs), int(lengths.max())), None, dtype=object)
        padded[rows, columns] = triangles[np.repeat(starts[runs], lengths) + columns]
        try:
            out[runs] = shapely.coverage_union_all(padded, axis=1)
        except GEOSException:
            for row, run in enumerate(runs):
                try:
                    out[run] = shapely.coverage_union_all(padded[row, : lengths[row]])
                except GEOSException:
                    out[run] = None
    return out


def merge_outlines(outlines: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """(n_groups,) cleaned union of the outlines of each group (``groups`` -1: none).

    >>> slab, wall = shapely.box(0, 0, 10, 8), shapely.box(2, 2, 2.2, 6)
    >>> outside = shapely.box(-0.1, 0, 0, 8)
    >>> merged = merge_outlines(np.array([slab, wall, slab, outside]), np.array([0, 0, 0, 1]), 3)
    >>> round(merged[0].area, 6), round(merged[1].area, 6), merged[2]
    (80.0, 0.8, None)
    """
    out = np.full(n_groups, None, dtype=object)
    present = np.flatnonzero((groups >= 0) & ~shapely.is_missing(outlines))
    if not len(present):
        return out
    shapes, owner = outlines[present], groups[present]
    area = shapely.area(shapes)
    # Left out: outlines covered by the largest of their group (inner walls on the slab,
    # the same storey outline again); the largest itself is kept.
    by_size = np.lexsort((-area, owner))
    first = by_size[np.r_[True, owner[by_size][1:] != owner[by_size][:-1]]]
    largest = np.full(n_groups, -1, dtype=np.int64)
    largest[owner[first]] = first
    shapely.prepare(shapes[first])
    redundant = shapely.covered_by(shapes, shapes[largest[owner]])
    redundant[first] = False
    shapes, owner = shapes[~redundant], owner[~redundant]
    order = np.argsort(owner, kind="stable")
    shapes, owner = shapes[order], owner[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    ends = np.r_[starts[1:], len(owner)]
    unions = np.array(
        [
            shapely.union_all(shapes[s:e]) if e - s > 1 else shapes[s]
            for s, e in zip(starts, ends, strict=True)
        ],
        dtype=object,
    )
    out[owner[starts]] = clean_outlines(unions)
    return out


def clean_outlines(geometries: np.ndarray) -> np.ndarray:
    """Valid (multi)polygons without hairline gaps, tiny holes or redundant vertices; None for
    missing or empty ones.

    >>> halves = shapely.box(0, 0, 1, 1).union(shapely.box(1.000001, 0, 2, 1))
    >>> (clean,) = clean_outlines(np.array([halves]))
    >>> clean.geom_type, len(clean.exterior.coords)
    ('Polygon', 5)
    """
    out = np.full(len(geometries), None, dtype=object)
    present = np.flatnonzero(~shapely.is_missing(geometries) & ~shapely.is_empty(geometries))
    if not len(present):
        return out
    shapes = shapely.buffer(geometries[present], CLOSING_M, join_style="mitre")
    shapes = shapely.buffer(shapes, -CLOSING_M, join_style="mitre")
    shapes = shapely.simplify(shapes, CLOSING_M / 2)
    invalid = ~shapely.is_valid(shapes)
    if invalid.any():
        shapes[invalid] = shapely.make_valid(shapes[invalid])
    shapes = _polygonal_part(shapes)
    holes = np.flatnonzero(shapely.get_num_interior_rings(shapes) > 0)
    multi = np.flatnonzero(shapely.get_type_id(shapes) == shapely.GeometryType.MULTIPOLYGON)
    for position in np.union1d(holes, multi).astype(np.int64):
        shapes[position] = _without_tiny_holes(shapes[position])
    empty = shapely.is_empty(shapes)
    shapes[empty] = None
    out[present] = shapes
    return out


def _without_tiny_holes(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = [
        shapely.Polygon(
            polygon.exterior,
            [r for r in polygon.interiors if shapely.Polygon(r).area >= MIN_HOLE_AREA_M2],
        )
        for polygon in shapely.get_parts(geometry)
    ]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
