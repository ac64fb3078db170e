"""Relief of the sample territory: a river valley between gentle hills, as a 25 m DEM.

The model is analytic (a valley profile around the river, a side valley cut by a stream,
a few seeded hills) and is
sampled on a grid aligned on 25 m multiples of Lambert-93, like IGN's BD ALTI 25 m.  All
altitudes used elsewhere (buildings, roads, the town hall) are read back from that grid
by bilinear interpolation, so every file agrees with ``mnt_25m.tif``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from shapely import LineString

from samples.town.frame import LAMBERT93, l93_to_local_xy, local_to_l93_xy

log = logging.getLogger(__name__)

PIXEL_SIZE = 25.0
NODATA = -99999.0
RIVER_NAME = "L'Aveyron"
MARGIN = 500.0
"""Distance kept between the territory's bounding box and the edge of the DEM."""


def river_v(u: np.ndarray) -> np.ndarray:
    """Local ``v`` of the river centreline for the local abscissa ``u`` (meanders)."""
    u = np.asarray(u, dtype=float)
    return (
        -300.0
        + 55.0 * np.sin(2 * math.pi * u / 2600.0 + 0.7)
        + 30.0 * np.sin(2 * math.pi * u / 950.0 + 2.1)
    )


def river_bed(u: np.ndarray) -> np.ndarray:
    """Altitude of the river bed: the water flows east, losing about 1.3 m per km."""
    return 390.0 - 0.0013 * np.asarray(u, dtype=float)


def river_line(u_min: float = -7000.0, u_max: float = 4000.0) -> LineString:
    """The river centreline in the local frame, one vertex every 50 m."""
    u = np.arange(u_min, u_max + 1.0, 50.0)
    return LineString(np.column_stack([u, river_v(u)]))


STREAM_NAME = "le Ruisseau de la Serre"


def stream_u(v: np.ndarray) -> np.ndarray:
    """Local ``u`` of the tributary stream that comes down from the north-east hills."""
    v = np.asarray(v, dtype=float)
    return 950.0 + 90.0 * np.sin(v / 420.0) - 0.12 * v


def stream_line(v_max: float = 4000.0) -> LineString:
    """The tributary centreline, from its source down to its confluence with the river."""
    v = np.arange(v_max, -400.0, -50.0)
    u = stream_u(v)
    keep = v >= river_v(u)
    line = LineString(np.column_stack([u[keep], v[keep]]))
    end = line.coords[-1]
    confluence = (float(end[0]), float(river_v(np.array([end[0]]))[0]))
    return LineString([*line.coords, confluence])


@dataclass(frozen=True)
class Hill:
    """A Gaussian bump added to the valley profile."""

    u: float
    v: float
    amplitude: float
    sigma: float


def make_hills(rng: np.random.Generator, count: int = 14) -> list[Hill]:
    """Draw the hills of the territory (positions in the local frame)."""
    hills = []
    for _ in range(count):
        hills.append(
            Hill(
                u=float(rng.uniform(-6500, 3500)),
                v=float(rng.uniform(-2500, 2500)),
                amplitude=float(rng.uniform(-15.0, 26.0)),
                sigma=float(rng.uniform(350.0, 900.0)),
            )
        )
    return hills


def relief(u: np.ndarray, v: np.ndarray, hills: list[Hill]) -> np.ndarray:
    """Analytic altitude (m, NGF-IGN69) at local coordinates."""
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    d = v - river_v(u)
    north = 100.0 * (1.0 - np.exp(-((np.maximum(d, 0.0) / 1000.0) ** 1.6)))
    south = 104.0 * (1.0 - np.exp(-((np.maximum(-d, 0.0) / 700.0) ** 1.6)))
    bumps = np.zeros_like(u)
    for hill in hills:
        r2 = (u - hill.u) ** 2 + (v - hill.v) ** 2
        bumps += hill.amplitude * np.exp(-r2 / (2.0 * hill.sigma**2))
    bumps *= 1.0 - np.exp(-np.abs(d) / 250.0)
    height = river_bed(u) + north + south + bumps
    side = 1.0 / (1.0 + np.exp(-(d - 60.0) / 40.0))
    valley = np.exp(-((u - stream_u(v)) ** 2) / (2.0 * 150.0**2))
    height -= 0.45 * (height - river_bed(u)) * valley * side
    return np.clip(height, 381.0, 521.0)


@dataclass(frozen=True)
class Terrain:
    """A north-up DEM grid in Lambert-93 with bilinear sampling."""

    heights: np.ndarray
    """Altitudes, shape (rows, cols), float32, NODATA where unknown."""
    west: float
    north: float
    pixel: float = PIXEL_SIZE

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols) of the grid."""
        return self.heights.shape[0], self.heights.shape[1]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the grid in Lambert-93."""
        rows, cols = self.shape
        return (
            self.west,
            self.north - rows * self.pixel,
            self.west + cols * self.pixel,
            self.north,
        )

    def altitude(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Bilinear altitude at Lambert-93 points (pixel values sit at pixel centres)."""
        rows, cols = self.shape
        fc = (np.asarray(x, dtype=float) - self.west) / self.pixel - 0.5
        fr = (self.north - np.asarray(y, dtype=float)) / self.pixel - 0.5
        fc = np.clip(fc, 0.0, cols - 1.000001)
        fr = np.clip(fr, 0.0, rows - 1.000001)
        c0 = np.floor(fc).astype(int)
        r0 = np.floor(fr).astype(int)
        tc = fc - c0
        tr = fr - r0
        h = self.heights.astype(float)
        top = h[r0, c0] * (1 - tc) + h[r0, c0 + 1] * tc
        bottom = h[r0 + 1, c0] * (1 - tc) + h[r0 + 1, c0 + 1] * tc
        return top * (1 - tr) + bottom * tr

    def altitude_local(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Bilinear altitude at local frame points."""
        x, y = local_to_l93_xy(u, v)
        return self.altitude(x, y)


def build_terrain(
    bounds_l93: tuple[float, float, float, float], rng: np.random.Generator
) -> Terrain:
    """Sample the relief on a 25 m grid covering ``bounds_l93`` plus a margin.

    A small triangle of pixels in the north-west corner, far outside the territory, is set
    to NODATA, as real DEM tiles have holes at their edges.
    """
    west = math.floor((bounds_l93[0] - MARGIN) / PIXEL_SIZE) * PIXEL_SIZE
    south = math.floor((bounds_l93[1] - MARGIN) / PIXEL_SIZE) * PIXEL_SIZE
    east = math.ceil((bounds_l93[2] + MARGIN) / PIXEL_SIZE) * PIXEL_SIZE
    north = math.ceil((bounds_l93[3] + MARGIN) / PIXEL_SIZE) * PIXEL_SIZE
    cols = round((east - west) / PIXEL_SIZE)
    rows = round((north - south) / PIXEL_SIZE)
    xs = west + (np.arange(cols) + 0.5) * PIXEL_SIZE
    ys = north - (np.arange(rows) + 0.5) * PIXEL_SIZE
    gx, gy = np.meshgrid(xs, ys)
    gu, gv = l93_to_local_xy(gx, gy)
    heights = np.round(relief(gu, gv, make_hills(rng)), 2).astype(np.float32)
    rr, cc = np.indices(heights.shape)
    heights[rr + cc < 10] = NODATA
    log.info(
        "DEM %d x %d pixels, %.1f to %.1f m", cols, rows, heights[heights > 0].min(), heights.max()
    )
    return Terrain(heights=heights, west=west, north=north)


def write_dem(terrain: Terrain, path: Path) -> Path:
    """Write the DEM as a compressed float32 GeoTIFF in Lambert-93."""
    rows, cols = terrain.shape
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": 1,
        "dtype": "float32",
        "crs": LAMBERT93,
        "transform": Affine(terrain.pixel, 0.0, terrain.west, 0.0, -terrain.pixel, terrain.north),
        "nodata": NODATA,
        "compress": "deflate",
        "predictor": 3,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(terrain.heights, 1)
        dst.update_tags(
            TIFFTAG_DATETIME="2024:01:15 00:00:00",
            TIFFTAG_IMAGEDESCRIPTION="MNT 25 m - territoire fictif de Valmont-sur-Aveyron",
            AREA_OR_POINT="Area",
        )
        dst.set_band_description(1, "altitude (m, NGF-IGN69)")
    return path
