"""The buildings' shadows on the ground for one sun position, as a dark overlay for the 3D view
(no Qt here).

VTK's own shadow-map pass (``plotter.enable_shadows()``) was tried under Xvfb's llvmpipe on the
sample town: 0.1 to 0.9 s per frame, and no building shadow visible (one shadow map spans the
whole 10 km terrain, so a texel is metres wide, and the terrain shades itself). So the shadows
come from the project's own height-field shadow map (:func:`scenarios.shadow_map.shaded_points`):

1. the ground cells a building can shade are found without testing them: each casting
   building's box swept away from the sun by its shadow length (height / tan(elevation), at
   most :data:`MAX_SHADOW_M`), summed into a grid with one 2D prefix sum;
2. cells under a footprint are dropped (scanline rasterisation, :func:`burn_max`);
3. the remaining cell centres, at the terrain's altitude, go through ``shaded_points``;
4. shaded cells are merged into runs along each row (at most :data:`RUN_MAX_CELLS` long) and
   drawn as quads draped on the terrain, :data:`SHADOW_LIFT_M` above it.

The cell is 1 m, coarser when the area that can be shaded holds more than
:data:`MAX_OVERLAY_CELLS` cells. Everything is whole-array numpy.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyvista as pv

from scenarios.polygon_raster import burn_max
from scenarios.shadow_map import Obstacles, shaded_points
from twin.city import City
from twin.raster import Raster

logger = logging.getLogger(__name__)

BASE_CELL_M = 1.0
MAX_OVERLAY_CELLS = 600_000
"""Ground cells tested at most (the cell grows beyond)."""
MAX_GRID_CELLS = 12_000_000
"""The working grid over the shadows' extent holds at most this many cells (48 MB)."""
COARSE_CELLS = 1_000_000
"""The grid the reachable ground is first counted on."""
MAX_SHADOW_M = 400.0
"""Shadows are drawn up to this length (a 10 m house at 1.5° of elevation)."""
SHADOW_MARGIN = 1.15
"""Shadow lengths are stretched by this much: the ground may fall away from the building."""
SHADOW_LIFT_M = 0.6
RUN_MAX_CELLS = 16


@dataclass(frozen=True)
class ShadowOverlay:
    """Shaded ground for one sun position.

    Attributes:
        points: (4 m, 3) float32 quad corners, relative to the City's origin.
        quads: (m, 4) corner indices of each quad (a run of shaded cells along a row).
        shaded_cells: ground cells in shadow.
        tested_cells: ground cells tested.
        cell_m: the cell size.
        seconds: time taken.
    """

    azimuth_deg: float
    elevation_deg: float
    points: np.ndarray
    quads: np.ndarray
    shaded_cells: int
    tested_cells: int
    cell_m: float
    seconds: float = 0.0

    def polydata(self) -> Any:
        """The quads as one PolyData (None when nothing is shaded)."""
        if not len(self.quads):
            return None
        faces = np.column_stack([np.full(len(self.quads), 4), self.quads]).ravel()
        return pv.PolyData(self.points, faces)


class ShadowCaster:
    """The buildings of one City as shadow casters, and the ground they stand on.

    Built once per buildings frame (``Obstacles`` keeps its spatial index), in a worker.
    """

    def __init__(self, city: City) -> None:
        self.buildings = city.layer("buildings") if "buildings" in city else None
        self.origin = np.asarray(city.ensure_origin(), dtype="float64")
        self.terrain: Raster | None = city.rasters.get("terrain")
        frame = self.buildings if self.buildings is not None else _empty_frame()
        self.obstacles = Obstacles.from_buildings(frame, (self.origin[0], self.origin[1]))

    def overlay(
        self, azimuth_deg: float, elevation_deg: float, *, max_cells: int = MAX_OVERLAY_CELLS
    ) -> ShadowOverlay:
        """The shaded ground for the sun at ``azimuth_deg`` / ``elevation_deg``."""
        started = time.perf_counter()
        obstacles = self.obstacles
        if elevation_deg <= 0 or not obstacles.casting.any():
            return _nothing(azimuth_deg, elevation_deg)
        boxes = _swept_boxes(obstacles, azimuth_deg, elevation_deg)
        cell = _cell_size(boxes, max_cells)
        x0, y0 = (
            math.floor(boxes[:, 0].min() / cell) * cell,
            math.floor(boxes[:, 1].min() / cell) * cell,
        )
        shape = (
            math.ceil((boxes[:, 3].max() - y0) / cell),
            math.ceil((boxes[:, 2].max() - x0) / cell),
        )
        ground = _covered(boxes, x0, y0, cell, shape) & ~_under_buildings(
            obstacles, x0, y0, cell, shape
        )
        rows, columns = np.nonzero(ground)
        xy = np.column_stack([x0 + (columns + 0.5) * cell, y0 + (rows + 0.5) * cell])
        z = self._ground_z(xy)
        shaded = shaded_points(
            np.column_stack([xy, z]), azimuth_deg, elevation_deg, obstacles, cell_m=cell
        )
        grid = np.zeros(shape, dtype=bool)
        grid[rows[shaded], columns[shaded]] = True
        points, quads = self._quads(grid, x0, y0, cell, rows * shape[1] + columns, z)
        seconds = time.perf_counter() - started
        logger.debug(
            "shadows at %.1f°/%.1f°: %d of %d cells (%.1f m) in %.2f s",
            azimuth_deg,
            elevation_deg,
            int(shaded.sum()),
            len(z),
            cell,
            seconds,
        )
        return ShadowOverlay(
            azimuth_deg, elevation_deg, points, quads, int(shaded.sum()), len(z), cell, seconds
        )

    def _ground_z(self, xy: np.ndarray) -> np.ndarray:
        """Ground altitude of points relative to the origin (x, y): the terrain, else the base
        of the nearest building."""
        z = np.full(len(xy), np.nan)
        if self.terrain is not None and len(xy):
            z = self.terrain.sample(xy[:, 0] + self.origin[0], xy[:, 1] + self.origin[1])
        missing = np.flatnonzero(~np.isfinite(z))
        if missing.size:
            import shapely

            points = shapely.points(xy[missing])
            nearest = self.obstacles.tree.query_nearest(points, all_matches=False)[1]
            z[missing] = self.obstacles.base_m[nearest]
        return z

    def _quads(
        self,
        grid: np.ndarray,
        x0: float,
        y0: float,
        cell: float,
        tested_flat: np.ndarray,
        tested_z: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Runs of shaded cells along rows as quads draped on the ground."""
        row, first, last = _runs(grid, RUN_MAX_CELLS)
        if not len(row):
            return np.empty((0, 3), dtype=np.float32), np.empty((0, 4), dtype=np.int64)
        left, right = x0 + first * cell, x0 + (last + 1) * cell
        bottom, top = y0 + row * cell, y0 + (row + 1) * cell
        cx = np.stack([left, right, right, left], axis=1).ravel()
        cy = np.stack([bottom, bottom, top, top], axis=1).ravel()
        run_z = tested_z[np.searchsorted(tested_flat, row * grid.shape[1] + first)]
        z = np.repeat(run_z, 4)
        if self.terrain is not None:
            sampled = self.terrain.sample(cx + self.origin[0], cy + self.origin[1])
            z = np.where(np.isfinite(sampled), sampled, z)
        points = np.column_stack([cx, cy, z + SHADOW_LIFT_M - self.origin[2]]).astype(np.float32)
        return points, np.arange(len(points), dtype=np.int64).reshape(-1, 4)


def _empty_frame() -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame({"id": [], "height_m": [], "base_elevation_m": []}, geometry=[])


def _nothing(azimuth_deg: float, elevation_deg: float) -> ShadowOverlay:
    return ShadowOverlay(
        azimuth_deg,
        elevation_deg,
        np.empty((0, 3), dtype=np.float32),
        np.empty((0, 4), dtype=np.int64),
        0,
        0,
        BASE_CELL_M,
    )


def _swept_boxes(obstacles: Obstacles, azimuth_deg: float, elevation_deg: float) -> np.ndarray:
    """(n, 4) boxes (minx, miny, maxx, maxy) of each casting building swept along its shadow."""
    casting = obstacles.casting
    bounds = obstacles.bounds[casting]
    height = obstacles.top_m[casting] - obstacles.base_m[casting]
    length = np.minimum(height / math.tan(math.radians(elevation_deg)), MAX_SHADOW_M)
    length = length * SHADOW_MARGIN + 2 * BASE_CELL_M
    azimuth = math.radians(azimuth_deg)
    dx, dy = -math.sin(azimuth) * length, -math.cos(azimuth) * length  # away from the sun
    return np.column_stack(
        [
            bounds[:, 0] + np.minimum(dx, 0),
            bounds[:, 1] + np.minimum(dy, 0),
            bounds[:, 2] + np.maximum(dx, 0),
            bounds[:, 3] + np.maximum(dy, 0),
        ]
    )


def _cell_size(boxes: np.ndarray, max_cells: int) -> float:
    """1 m, or coarser so that the ground the shadows can reach (counted on a coarse grid of
    about :data:`COARSE_CELLS` cells) and the working grid stay within their limits."""
    extent = float(
        (boxes[:, 2].max() - boxes[:, 0].min()) * (boxes[:, 3].max() - boxes[:, 1].min())
    )
    coarse = max(BASE_CELL_M, math.sqrt(extent / COARSE_CELLS))
    x0, y0 = float(boxes[:, 0].min()), float(boxes[:, 1].min())
    shape = (
        math.ceil((boxes[:, 3].max() - y0) / coarse),
        math.ceil((boxes[:, 2].max() - x0) / coarse),
    )
    reached = float(_covered(boxes, x0, y0, coarse, shape).sum()) * coarse**2
    needed = max(reached / max_cells, extent / MAX_GRID_CELLS)
    return max(BASE_CELL_M, math.sqrt(needed))


def _covered(
    boxes: np.ndarray, x0: float, y0: float, cell: float, shape: tuple[int, int]
) -> np.ndarray:
    """Cells inside at least one box: +1/-1 at the boxes' corners, then a 2D prefix sum."""
    rows, columns = shape
    c0 = np.clip(np.floor((boxes[:, 0] - x0) / cell).astype(np.int64), 0, columns)
    c1 = np.clip(np.ceil((boxes[:, 2] - x0) / cell).astype(np.int64), 0, columns)
    r0 = np.clip(np.floor((boxes[:, 1] - y0) / cell).astype(np.int64), 0, rows)
    r1 = np.clip(np.ceil((boxes[:, 3] - y0) / cell).astype(np.int64), 0, rows)
    counts = np.zeros((rows + 1, columns + 1), dtype=np.int32)
    np.add.at(counts, (r0, c0), 1)
    np.add.at(counts, (r0, c1), -1)
    np.add.at(counts, (r1, c0), -1)
    np.add.at(counts, (r1, c1), 1)
    np.cumsum(counts, axis=0, out=counts)
    np.cumsum(counts, axis=1, out=counts)
    return counts[:rows, :columns] > 0


def _under_buildings(
    obstacles: Obstacles, x0: float, y0: float, cell: float, shape: tuple[int, int]
) -> np.ndarray:
    """Cells whose centre lies inside a footprint."""
    start, end, owner = obstacles.edges
    burnt = burn_max(
        start,
        end,
        owner,
        np.ones(len(obstacles), dtype=np.uint8),
        origin=(x0, y0),
        cell=cell,
        shape=shape,
        fill=0,
        dtype=np.uint8,
    )
    return burnt > 0


def _runs(grid: np.ndarray, max_length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, first and last column of each run of True cells along the rows, runs longer than
    ``max_length`` cut.

    Example:
        >>> row, first, last = _runs(np.array([[1, 1, 1, 0, 1], [0, 1, 0, 0, 0]], bool), 2)
        >>> row.tolist(), first.tolist(), last.tolist()
        ([0, 0, 0, 1], [0, 2, 4, 1], [1, 2, 4, 1])
    """
    rows, columns = grid.shape
    padded = np.zeros((rows, columns + 2), dtype=np.int8)
    padded[:, 1:-1] = grid
    step = np.diff(padded.ravel())
    starts = np.flatnonzero(step == 1) + 1
    ends = np.flatnonzero(step == -1)
    row = starts // (columns + 2)
    first = starts % (columns + 2) - 1
    last = ends % (columns + 2) - 1
    pieces = (last - first) // max_length + 1
    piece = np.arange(int(pieces.sum())) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    row, first, last = np.repeat(row, pieces), np.repeat(first, pieces), np.repeat(last, pieces)
    first = first + piece * max_length
    return row, first, np.minimum(first + max_length - 1, last)
