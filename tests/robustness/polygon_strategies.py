"""Hypothesis strategies for broken footprints, each with the polygon a repair should give.

Every strategy draws a :class:`Broken` polygon: the ring as a source would hand it over
(self-intersecting, with spikes, with repeated points) and ``expected``, what is really drawn
there. Coordinates lie around the sample town in Lambert-93 (metres), where doubles keep about
1e-9 m: the repairs are compared within :func:`area_tolerance_m2`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from hypothesis import strategies as st

#: Around the sample town (Lambert-93, metres).
X0, Y0 = 660_000.0, 6_360_000.0
#: Relative area a repair may change: make_valid only adds vertices where edges cross, and
#: those are computed in doubles (about 1e-9 m at 10^6 m), far below a millimetre.
RELATIVE_TOLERANCE = 1e-6
#: Plus one square centimetre, for the smallest footprints.
ABSOLUTE_TOLERANCE_M2 = 1e-4


def area_tolerance_m2(expected_area_m2: float) -> float:
    """How much area a repair may gain or lose on a footprint of ``expected_area_m2``."""
    return RELATIVE_TOLERANCE * expected_area_m2 + ABSOLUTE_TOLERANCE_M2


@dataclass(frozen=True)
class Broken:
    """A footprint as a source gives it, and the polygon a repair should make of it."""

    kind: str
    given: shapely.Polygon
    expected: shapely.Geometry


@st.composite
def placements(draw: st.DrawFn) -> tuple[float, float, float, float, float]:
    """Where and how a shape is drawn: centre x, y (m), size (m), x/y stretch, rotation (rad)."""
    x = X0 + draw(st.floats(-5_000, 5_000))
    y = Y0 + draw(st.floats(-5_000, 5_000))
    size_m = draw(st.floats(3.0, 300.0))
    stretch = draw(st.floats(0.4, 2.5))
    angle = draw(st.floats(0.0, 2 * math.pi))
    return x, y, size_m, stretch, angle


def _place(points: np.ndarray, where: tuple[float, float, float, float, float]) -> np.ndarray:
    """Unit-circle points stretched, rotated, scaled and moved (affine: convexity is kept)."""
    x, y, size_m, stretch, angle = where
    stretched = points * np.array([size_m * stretch, size_m / stretch])
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    return stretched @ rotation.T + np.array([x, y])


@st.composite
def convex_rings(draw: st.DrawFn, corners: int | None = None) -> np.ndarray:
    """The corners of a convex polygon, anticlockwise (points of an ellipse, 15° apart or more)."""
    n = corners if corners is not None else draw(st.integers(3, 9))
    gaps = np.array(draw(st.lists(st.floats(1.0, 4.0), min_size=n, max_size=n)))
    angles = np.cumsum(gaps) / gaps.sum() * 2 * math.pi  # every gap ≥ 360° / 4n > 10°
    start = draw(st.floats(0.0, 2 * math.pi))
    unit = np.column_stack([np.cos(angles + start), np.sin(angles + start)])
    return _place(unit, draw(placements()))


def _with_repeats(draw: st.DrawFn, ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with some of its points repeated in place (as careless exports do)."""
    repeats = draw(st.lists(st.integers(0, len(ring) - 1), max_size=4))
    out: list[tuple[float, float]] = []
    for position, point in enumerate(ring):
        out.extend([point] * (1 + repeats.count(position)))
    return out


@st.composite
def bow_ties(draw: st.DrawFn) -> Broken:
    """A quadrilateral drawn corner 1, 2, 4, 3: two triangles touching where the edges cross.

    The repair should keep both triangles: the union of (P0, P1, X) and (X, P3, P2), X being
    the crossing of P1-P3 and P2-P0.
    """
    p0, p1, p2, p3 = (tuple(map(float, point)) for point in draw(convex_rings(4)))
    crossing = shapely.intersection(shapely.LineString([p1, p3]), shapely.LineString([p2, p0]))
    x = (crossing.x, crossing.y)
    expected = shapely.union(shapely.Polygon([p0, p1, x]), shapely.Polygon([x, p3, p2]))
    given = shapely.Polygon(_with_repeats(draw, [p0, p1, p3, p2]))
    return Broken("bow_tie", given, expected)


@st.composite
def spiked(draw: st.DrawFn) -> Broken:
    """A convex polygon with zero-width spikes (out and back along one line), outwards or
    inwards (no further than the centre), at corners or in the middle of edges.

    A spike has no area: the repair should give back the polygon without them.
    """
    corners = [tuple(map(float, point)) for point in draw(convex_rings())]
    base = shapely.Polygon(corners)
    centre = np.array(base.centroid.coords[0])
    n = len(corners)
    spikes = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.booleans(), st.floats(0.1, 0.9), st.booleans()),
            min_size=1,
            max_size=3,
            unique_by=lambda spike: spike[0],
        )
    )
    by_edge = {edge: (mid_edge, share, outwards) for edge, mid_edge, share, outwards in spikes}
    ring: list[tuple[float, float]] = []
    for edge, corner in enumerate(corners):
        ring.append(corner)
        if edge not in by_edge:
            continue
        mid_edge, share, outwards = by_edge[edge]
        start = np.array(corner)
        if mid_edge:
            start = (start + np.array(corners[(edge + 1) % n])) / 2
            ring.append((float(start[0]), float(start[1])))
        towards = start - centre if outwards else centre - start
        tip = start + towards * (share if not outwards else 3 * share)
        ring.extend([(float(tip[0]), float(tip[1])), (float(start[0]), float(start[1]))])
    return Broken("spikes", shapely.Polygon(_with_repeats(draw, ring)), base)


@st.composite
def repeated_points(draw: st.DrawFn) -> Broken:
    """A valid convex polygon whose points repeat: valid already, it must come back as it is."""
    corners = [tuple(map(float, point)) for point in draw(convex_rings())]
    given = shapely.Polygon(_with_repeats(draw, corners))
    return Broken("repeated_points", given, shapely.Polygon(corners))


def broken_footprints() -> st.SearchStrategy[Broken]:
    """Any of the broken footprints above."""
    return st.one_of(bow_ties(), spiked(), repeated_points())
