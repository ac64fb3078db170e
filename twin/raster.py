"""Rasters of the City (the terrain DEM first): a grid of float32 values in the project CRS.

Missing values are NaN in memory, whatever the source's nodata value was. The project file
keeps each raster as a GeoPackage gridded-coverage table (QGIS shows it), see twin/project.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import CRS
from rasterio.transform import array_bounds


@dataclass(frozen=True, eq=False)
class Raster:
    """A single-band grid of values in a projected CRS.

    Attributes:
        name: the raster's name in the City (``"terrain"`` for the DEM).
        values: (rows, columns) float32, NaN where there is no data.
        transform: pixel → map affine transform (rasterio convention, pixel corners).
        crs: the CRS of the map coordinates (the project CRS once imported).
        unit: unit of the values (``"m"`` for altitudes).
        meaning: one line saying what the values are.
    """

    name: str
    values: np.ndarray
    transform: Affine
    crs: CRS
    unit: str = "m"
    meaning: str = ""

    def __post_init__(self) -> None:
        if self.values.ndim != 2:
            raise ValueError(f"raster values must be 2-D, got shape {self.values.shape}")
        if self.values.dtype != np.float32:
            object.__setattr__(self, "values", self.values.astype(np.float32))

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return (int(self.values.shape[0]), int(self.values.shape[1]))

    @property
    def pixel_size_m(self) -> tuple[float, float]:
        """Pixel width and height in map units (positive)."""
        return (abs(float(self.transform.a)), abs(float(self.transform.e)))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) of the grid in map units."""
        rows, columns = self.shape
        west, south, east, north = array_bounds(rows, columns, self.transform)
        return (
            float(min(west, east)),
            float(min(south, north)),
            float(max(west, east)),
            float(max(south, north)),
        )

    def sample(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Bilinear values at map points (NaN outside the grid or next to missing data).

        >>> from affine import Affine
        >>> grid = Raster("t", np.array([[0.0, 10.0], [20.0, 30.0]]), Affine(1, 0, 0, 0, -1, 2),
        ...               CRS.from_epsg(2154))
        >>> grid.sample(np.array([1.0, 0.5, 5.0]), np.array([1.0, 1.5, 1.0])).tolist()
        [15.0, 0.0, nan]
        """
        x = np.asarray(x, dtype="float64")
        y = np.asarray(y, dtype="float64")
        column, row = ~self.transform @ (x, y)
        # Pixel centres sit at half-integer positions: shift so that they are integers.
        column = np.asarray(column) - 0.5
        row = np.asarray(row) - 0.5
        rows, columns = self.shape
        column = np.clip(column, 0.0, columns - 1.0, where=np.isfinite(column), out=column)
        row = np.clip(row, 0.0, rows - 1.0, where=np.isfinite(row), out=row)
        inside = _inside(x, y, self.bounds)
        c0 = np.floor(np.where(inside, column, 0)).astype(np.int64).clip(0, max(columns - 2, 0))
        r0 = np.floor(np.where(inside, row, 0)).astype(np.int64).clip(0, max(rows - 2, 0))
        c1 = np.minimum(c0 + 1, columns - 1)
        r1 = np.minimum(r0 + 1, rows - 1)
        fc = np.where(inside, column - c0, 0.0)
        fr = np.where(inside, row - r0, 0.0)
        v = self.values
        top = v[r0, c0] * (1 - fc) + v[r0, c1] * fc
        bottom = v[r1, c0] * (1 - fc) + v[r1, c1] * fc
        out = (top * (1 - fr) + bottom * fr).astype("float64")
        out[~inside] = np.nan
        return out


def _inside(x: np.ndarray, y: np.ndarray, bounds: tuple[float, float, float, float]) -> np.ndarray:
    minx, miny, maxx, maxy = bounds
    return (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
