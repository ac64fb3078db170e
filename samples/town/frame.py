"""Local planning frame of the sample town and its conversions to real coordinates.

Every piece of the town is drawn in a local frame ``(u, v)`` in metres whose origin is
the town centre and whose axes follow the street grid.  The frame is a rotation plus a
translation of Lambert-93 (EPSG:2154), so distances and areas are the same in both.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

LAMBERT93 = "EPSG:2154"
WGS84 = "EPSG:4326"
LAEA_EUROPE = "EPSG:3035"

ORIGIN_X = 668_000.0
"""Lambert-93 easting of the local origin (the Place de la Mairie)."""
ORIGIN_Y = 6_357_000.0
"""Lambert-93 northing of the local origin."""
ROTATION_DEG = 8.0
"""Counter-clockwise angle from Lambert-93 east to the local ``u`` axis."""

COS = math.cos(math.radians(ROTATION_DEG))
SIN = math.sin(math.radians(ROTATION_DEG))

G = TypeVar("G", bound=BaseGeometry)


def local_to_l93_xy(u: npt.ArrayLike, v: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert local frame coordinates to Lambert-93 eastings and northings."""
    uu = np.asarray(u, dtype=float)
    vv = np.asarray(v, dtype=float)
    return ORIGIN_X + COS * uu - SIN * vv, ORIGIN_Y + SIN * uu + COS * vv


def l93_to_local_xy(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert Lambert-93 eastings and northings to local frame coordinates."""
    dx = np.asarray(x, dtype=float) - ORIGIN_X
    dy = np.asarray(y, dtype=float) - ORIGIN_Y
    return COS * dx + SIN * dy, -SIN * dx + COS * dy


def to_l93(geom: G) -> G:
    """Return a copy of a 2D local-frame geometry in Lambert-93."""

    def _apply(coords: np.ndarray) -> np.ndarray:
        x, y = local_to_l93_xy(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, _apply)


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def reproject_xy(
    x: np.ndarray, y: np.ndarray, source: str, target: str
) -> tuple[np.ndarray, np.ndarray]:
    """Reproject coordinate arrays between two CRS given as ``EPSG:xxxx`` strings."""
    tx, ty = _transformer(source, target).transform(np.asarray(x), np.asarray(y))
    return np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)


def reproject(geom: G, source: str, target: str) -> G:
    """Reproject a 2D geometry between two CRS given as ``EPSG:xxxx`` strings."""

    def _apply(coords: np.ndarray) -> np.ndarray:
        x, y = reproject_xy(coords[:, 0], coords[:, 1], source, target)
        return np.column_stack([x, y])

    return shapely.transform(geom, _apply)
