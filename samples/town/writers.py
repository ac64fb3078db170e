"""Reproducible file writing: GeoPackage layers without clock time, IGN-like identifiers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio

FIXED_TIMESTAMP = "2024-01-15T00:00:00.000Z"
"""Timestamp written in ``gpkg_contents.last_change`` instead of the current time."""


@contextmanager
def fixed_gpkg_clock() -> Iterator[None]:
    """Make GDAL stamp GeoPackage contents with :data:`FIXED_TIMESTAMP`."""
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def write_layer(
    frame: gpd.GeoDataFrame, path: Path, layer: str, geometry_name: str = "geom"
) -> None:
    """Write (or add) one layer of a GeoPackage, reproducibly."""
    with fixed_gpkg_clock():
        pyogrio.write_dataframe(
            frame,
            path,
            layer=layer,
            driver="GPKG",
            layer_options={"GEOMETRY_NAME": geometry_name, "SPATIAL_INDEX": "YES"},
        )


def ign_ids(prefix: str, count: int, rng: np.random.Generator, start: int) -> list[str]:
    """``count`` increasing IGN ``cleabs`` identifiers: 8-letter prefix and 16 digits.

    Real identifiers are not contiguous; the gaps here are drawn from the generator.
    """
    if len(prefix) != 8:
        raise ValueError("IGN prefixes have 8 characters")
    steps = rng.integers(1, 40, size=count)
    numbers = start + np.cumsum(steps)
    return [f"{prefix}{int(n):016d}" for n in numbers]


RNB_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def rnb_id(rng: np.random.Generator) -> str:
    """A 12-character identifier shaped like the Référentiel National des Bâtiments'."""
    return "".join(RNB_ALPHABET[int(i)] for i in rng.integers(0, len(RNB_ALPHABET), size=12))
