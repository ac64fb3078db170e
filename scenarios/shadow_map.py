"""Shadow map: which points a set of buildings hides from the sun, for one sun position.

The buildings are LoD1 prisms (footprint, base altitude, top altitude = base + height), the
same blocks :func:`twin.lod1.building_meshes` draws. For one sun position the model is a
**height field aligned with the sun**:

1. the plane is turned so that the sun's horizontal direction is the grid's ``v`` axis and
   only the strip the points can be shaded from is kept (the points' extent, stretched
   ``reach_m`` towards the sun);
2. the footprints of the buildings in that strip are rasterised (numpy scanlines, cell
   centres: :mod:`scenarios.polygon_raster`) into a grid of roof altitudes, ``cell_m`` per cell;
3. one running maximum along the sun's direction gives, for every cell, the lowest altitude
   that still sees the sun there, ``max over cells k nearer the sun of (H[k] - distance ×
   tan(elevation))``;
4. a point at altitude ``z`` is shaded when that altitude, read one cell towards the sun from
   it, is above ``z`` plus the rise of the ray over that distance.

Steps 2-3 are whole-array numpy; nothing loops over points or buildings. Shadow edges are
exact to about one cell (a 20 m building's shadow ends at ``20 / tan(elevation)`` within
``cell_m``). The terrain itself does not cast shadows (hills are not obstacles), and
buildings without a height cast none.

Coordinates are metres relative to :attr:`Obstacles.origin_xy` (the City's local origin),
altitudes are absolute (NGF metres), like the City's ``base_elevation_m``.
"""

from __future__ import annotations

import functools
import logging
import math
import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from scenarios.polygon_raster import burn_max, polygon_edges
from scenarios.polygon_rings import Rings, polygon_rings

logger = logging.getLogger(__name__)

DEFAULT_CELL_M = 0.5
MAX_REACH_M = 1000.0
"""Buildings further than this towards the sun are never searched (the sun is then < 2° up)."""
MAX_CELLS = 16_000_000
"""Grids larger than this are split into bands across the sun's direction (64 MB each)."""
_EMPTY = np.float32(-1e6)


@dataclass(frozen=True, eq=False)
class Obstacles:
    """Buildings as shadow casters.

    Attributes:
        footprints: polygons, coordinates relative to ``origin_xy``.
        base_m: ground altitude under each building (missing values filled from the
            nearest building that has one; 0 m if none has).
        top_m: roof altitude (base + height); NaN for buildings without a height.
        ids: the buildings' ids.
        origin_xy: what was subtracted from the coordinates (Lambert-93 metres).
    """

    footprints: np.ndarray
    base_m: np.ndarray
    top_m: np.ndarray
    ids: np.ndarray
    origin_xy: tuple[float, float]

    @classmethod
    def from_buildings(
        cls, buildings: gpd.GeoDataFrame, origin_xy: tuple[float, float]
    ) -> Obstacles:
        """The LoD1 blocks of a buildings frame (``height_m``, ``base_elevation_m``).

        Footprints are taken as they are (the importers repair invalid ones).
        """
        geoms = buildings.geometry.to_numpy()
        if tuple(origin_xy) != (0.0, 0.0):
            geoms = shapely.transform(geoms, lambda xy: xy - np.asarray(origin_xy))
        height = _column(buildings, "height_m")
        base = _filled_bases(geoms, _column(buildings, "base_elevation_m"))
        top = np.where(height > 0, base + height, np.nan)
        ids = buildings["id"].astype(str).to_numpy() if "id" in buildings else np.arange(len(geoms))
        return cls(geoms, base, top, ids.astype(str), (float(origin_xy[0]), float(origin_xy[1])))

    def __len__(self) -> int:
        return len(self.footprints)

    def select(self, keep: np.ndarray) -> Obstacles:
        """The obstacles where the boolean mask ``keep`` is true."""
        return Obstacles(
            self.footprints[keep],
            self.base_m[keep],
            self.top_m[keep],
            self.ids[keep],
            self.origin_xy,
        )

    @functools.cached_property
    def tree(self) -> shapely.STRtree:
        """Spatial index of the footprints (built once per Obstacles)."""
        return shapely.STRtree(self.footprints)

    @functools.cached_property
    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every ring edge of the footprints: start (E, 2), end (E, 2), obstacle index (E,)."""
        return polygon_edges(self.footprints)

    def rings_of(self, blocks: np.ndarray) -> Rings:
        """The rings of some footprints (owners: positions in ``blocks``); for many of them,
        read once for all the footprints and kept."""
        if "_rings" not in self.__dict__ and 4 * len(blocks) < len(self):
            return polygon_rings(self.footprints[blocks])
        return self._rings.select(blocks, len(self))

    def keep_rings(self) -> None:
        """Read the rings of every footprint now and keep them (for :meth:`rings_of`)."""
        assert self._rings is not None

    @functools.cached_property
    def _rings(self) -> Rings:
        return polygon_rings(self.footprints)

    @functools.cached_property
    def bounds(self) -> np.ndarray:
        """(n, 4) bounding boxes of the footprints (NaN for missing ones)."""
        return shapely.bounds(self.footprints)

    @functools.cached_property
    def bound_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The bounding boxes as four contiguous columns: minx, miny, maxx, maxy."""
        minx, miny, maxx, maxy = (np.ascontiguousarray(self.bounds[:, i]) for i in range(4))
        return minx, miny, maxx, maxy

    @functools.cached_property
    def empty(self) -> np.ndarray:
        """Mask of the empty footprints (missing ones are not empty: see ``bounds``)."""
        return np.asarray(shapely.is_empty(self.footprints), dtype=bool)

    @functools.cached_property
    def areas(self) -> np.ndarray:
        """Area of each footprint, m² (NaN for missing ones)."""
        return np.asarray(shapely.area(self.footprints), dtype="float64")

    @functools.cached_property
    def casting(self) -> np.ndarray:
        """Mask of the obstacles that can cast a shadow (a height and a polygon)."""
        return np.isfinite(self.top_m) & ~self.empty

    def total_bounds(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) over every footprint, as ``GeoSeries.total_bounds``
        (NaN when none has a position)."""
        if len(self) == 0:
            return (np.nan, np.nan, np.nan, np.nan)
        minx, miny, maxx, maxy = self.bound_columns
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "All-NaN slice encountered", RuntimeWarning)
            return (
                float(np.nanmin(minx)),
                float(np.nanmin(miny)),
                float(np.nanmax(maxx)),
                float(np.nanmax(maxy)),
            )

    def known(self, **values: np.ndarray) -> Obstacles:
        """These obstacles, with some of ``bounds``, ``empty`` and ``areas`` given rather than
        computed (carried over from an earlier Obstacles of the same footprints:
        :mod:`scenarios.obstacle_rows`)."""
        unknown = set(values) - {"bounds", "empty", "areas"}
        if unknown:
            raise ValueError(f"cannot set {', '.join(sorted(unknown))} of Obstacles")
        self.__dict__.update(values)
        return self

    def default_reach_m(self, lowest_z_m: float, elevation_deg: float) -> float:
        """How far towards the sun a building can still shade a point at ``lowest_z_m``."""
        tops = self.top_m[self.casting]
        if tops.size == 0 or elevation_deg <= 0:
            return 0.0
        rise = float(tops.max()) - lowest_z_m
        return float(np.clip(rise / math.tan(math.radians(elevation_deg)), 0.0, MAX_REACH_M))


def _column(frame: gpd.GeoDataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return np.asarray(frame[name].to_numpy(dtype="float64", na_value=np.nan))


def _filled_bases(geoms: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Missing base altitudes taken from the nearest building that has one (0 m if none)."""
    missing = ~np.isfinite(base)
    if not missing.any():
        return base
    filled = base.copy()
    lost = np.flatnonzero(missing)
    filled[lost] = nearest_bases(geoms, base, lost, base_tree(geoms, base))
    return filled


def base_tree(geoms: np.ndarray, base: np.ndarray) -> shapely.STRtree:
    """Spatial index of the footprints that have a base altitude, in row order."""
    return shapely.STRtree(geoms[np.isfinite(base)])


def nearest_bases(
    geoms: np.ndarray, base: np.ndarray, rows: np.ndarray, tree: shapely.STRtree
) -> np.ndarray:
    """For ``rows``, the base altitude of the nearest footprint that has one (``tree``:
    :func:`base_tree` of the same footprints and bases); 0 m where there is none."""
    known = np.flatnonzero(np.isfinite(base))
    found = np.full(len(rows), np.nan)
    if len(known) and len(rows):
        source, target = tree.query_nearest(geoms[rows], all_matches=False)
        found[source] = base[known[target]]
    found[~np.isfinite(found)] = 0.0
    return found


def shaded_points(
    points_xyz: np.ndarray,
    azimuth_deg: float,
    elevation_deg: float,
    obstacles: Obstacles,
    *,
    cell_m: float = DEFAULT_CELL_M,
    reach_m: float | None = None,
) -> np.ndarray:
    """For one sun position, which points (x, y relative to the origin; z altitude) are shaded.

    Args:
        points_xyz: (n, 3) points: ground grid, facade points (a little in front of the wall),
            roof points.
        azimuth_deg, elevation_deg: the sun (clockwise from north; above the horizon).
        obstacles: the buildings that may shade them.
        cell_m: grid step of the height field; shadow edges are right within about one cell.
        reach_m: how far towards the sun to look for buildings (default: as far as the
            tallest building can shade the lowest point, at most 1 km).

    Returns:
        (n,) bool, True where a building hides the sun (all True with the sun below the
        horizon).

    Example:
        >>> from shapely.geometry import box
        >>> tower = gpd.GeoDataFrame({"id": ["t"], "height_m": [20.0], "base_elevation_m": [0.0]},
        ...                          geometry=[box(0, 0, 10, 10)])
        >>> obstacles = Obstacles.from_buildings(tower, (0.0, 0.0))
        >>> north = np.array([[5.0, 15.0, 0.0], [5.0, 40.0, 0.0]])  # 5 m and 30 m north
        >>> shaded_points(north, 180.0, 45.0, obstacles).tolist()  # shadow 20 m long
        [True, False]
    """
    points = np.asarray(points_xyz, dtype="float64").reshape(-1, 3)
    if elevation_deg <= 0:
        return np.ones(len(points), dtype=bool)
    result = np.zeros(len(points), dtype=bool)
    if len(points) == 0 or not obstacles.casting.any():
        return result
    if not cell_m > 0:
        raise ValueError(f"cell_m must be above 0, got {cell_m}")
    tan_e = math.tan(math.radians(elevation_deg))
    z_low = float(points[:, 2].min())
    reach = obstacles.default_reach_m(z_low, elevation_deg) if reach_m is None else float(reach_m)
    if reach <= 0:
        return result
    azimuth = math.radians(azimuth_deg)
    cos_a, sin_a = math.cos(azimuth), math.sin(azimuth)
    u = points[:, 0] * cos_a - points[:, 1] * sin_a  # across the sun's direction
    v = points[:, 0] * sin_a + points[:, 1] * cos_a  # towards the sun
    span_v = float(v.max() - v.min()) + reach + 3 * cell_m
    span_u = float(u.max() - u.min()) + 3 * cell_m
    bands = max(1, math.ceil(span_u * span_v / cell_m**2 / MAX_CELLS))
    band = np.minimum(((u - u.min()) / (span_u / bands)).astype(np.int64), bands - 1)
    for b in range(bands):
        members = np.flatnonzero(band == b)
        if members.size:
            result[members] = _shade_band(
                u[members],
                v[members],
                points[members, 2],
                obstacles,
                cos_a,
                sin_a,
                tan_e,
                cell_m,
                reach,
            )
    return result


def _shade_band(
    u: np.ndarray,
    v: np.ndarray,
    z: np.ndarray,
    obstacles: Obstacles,
    cos_a: float,
    sin_a: float,
    tan_e: float,
    cell_m: float,
    reach: float,
) -> np.ndarray:
    """Shaded points of one band of the sun-aligned grid (see the module's steps).

    Rows run away from the sun (row 0 is the furthest towards it), columns across, so the
    running maximum goes down the rows: the fast, contiguous axis for numpy.
    """
    u0 = float(u.min()) - cell_m
    v_far = float(v.max()) + reach + cell_m  # towards the sun
    n_u = math.ceil((float(u.max()) + cell_m - u0) / cell_m) + 1
    n_v = math.ceil((v_far - float(v.min()) + cell_m) / cell_m) + 1
    corners_u = np.array([u0, u0 + n_u * cell_m, u0 + n_u * cell_m, u0])
    corners_v = np.array([v_far - n_v * cell_m, v_far - n_v * cell_m, v_far, v_far])
    strip = shapely.polygons(
        np.stack([corners_u * cos_a + corners_v * sin_a, -corners_u * sin_a + corners_v * cos_a], 1)
    )
    candidates = obstacles.tree.query(strip)
    z_ref = float(z.min())
    candidates = candidates[obstacles.top_m[candidates] > z_ref]  # NaN tops drop out too
    if candidates.size == 0:
        return np.zeros(len(u), dtype=bool)
    start, end, owner = obstacles.edges
    chosen = np.zeros(len(obstacles), dtype=bool)
    chosen[candidates] = True
    keep = chosen[owner]

    def to_grid(xy: np.ndarray) -> np.ndarray:  # (x, y) → (u, -v)
        return np.stack(
            [xy[:, 0] * cos_a - xy[:, 1] * sin_a, -(xy[:, 0] * sin_a + xy[:, 1] * cos_a)], axis=1
        )

    roof = burn_max(
        to_grid(start[keep]),
        to_grid(end[keep]),
        owner[keep],
        np.nan_to_num(obstacles.top_m - z_ref, nan=float(_EMPTY)),
        origin=(u0, -v_far),
        cell=cell_m,
        shape=(n_v, n_u),
        fill=float(_EMPTY),
    )
    # M[r] = max over rows k <= r (nearer the sun) of (H[k] + k * cell * tan(e)).
    rise = (np.arange(n_v, dtype=np.float32) * np.float32(cell_m * tan_e))[:, None]
    roof += rise
    lowest = np.maximum.accumulate(roof, axis=0)
    column = np.clip(((u - u0) / cell_m).astype(np.int64), 0, n_u - 1)
    row = np.clip(((-v - cell_m + v_far) / cell_m).astype(np.int64), 0, n_v - 1)  # one cell ahead
    # Shaded when M[r] - r*c*t, the lowest altitude seeing the sun over row r's centre, is
    # above the ray there, z + (v_far - (r + 0.5) * c - v) * tan(e): the r terms cancel.
    threshold = (z - z_ref) + (v_far - 0.5 * cell_m - v) * tan_e
    return np.asarray(lowest[row, column] > threshold + 1e-4, dtype=bool)
