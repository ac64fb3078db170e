"""Hypothesis strategies for small Cities whose layers hold any values their specs allow.

Each layer gets 0 to 4 rows (an empty layer is a case of its own); every declared column gets
values of its dtype inside its range or set, or a missing value (None, NaN, NA) when it is not
required; ids and names are any Unicode text; a custom layer with its own spec, Unicode column
names and a raster with NaN holes come along. Used by the save-and-reopen property.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from hypothesis import strategies as st
from pyproj import CRS

from twin.catalogue import STANDARD_SPECS
from twin.city import City
from twin.raster import Raster
from twin.spec import ColumnSpec, LayerSpec

X0, Y0 = 660_000.0, 6_360_000.0
MAX_ROWS = 4

#: Any text, tabs and line breaks included, but no lone surrogates (UTF-8 cannot hold them)
#: and no NUL character (GDAL's strings end at the first one: docs/robustness.md).
CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
TEXT = st.text(CHARACTERS, max_size=12)
NAME_TEXT = st.text(CHARACTERS, min_size=1, max_size=12)

#: A layer of measurements the user declared: not in the catalogue, spec stored in the project.
CUSTOM = LayerSpec(
    name="mesures_bruit",
    title="Mesures de bruit (dB) — été",
    level=None,
    geometry_types=("Point",),
    columns=(
        ColumnSpec("id", "str", "identifiant du capteur", required=True),
        ColumnSpec("niveau_dB", "float64", "niveau sonore équivalent", "dB", 0, 200),
        ColumnSpec("période", "str", "jour ou nuit", allowed=("jour", "nuit")),
        ColumnSpec("capteurs_actifs", "Int64", "capteurs en service", "", 0),
        ColumnSpec("validé", "boolean", "mesure validée"),
    ),
    geometry_required=False,
    meaning="relevés acoustiques (été 2026)",
)


def _bounded(column: ColumnSpec, low: float, high: float) -> tuple[float, float]:
    minimum = low if column.minimum is None else max(low, column.minimum)
    maximum = high if column.maximum is None else min(high, column.maximum)
    return minimum, maximum


def column_values(column: ColumnSpec) -> st.SearchStrategy[Any]:
    """One value of a declared column: inside its range or set, or missing when allowed."""
    if column.dtype == "str":
        present: st.SearchStrategy[Any] = (
            st.sampled_from(column.allowed) if column.allowed else TEXT
        )
        missing: st.SearchStrategy[Any] = st.sampled_from([None, float("nan")])
    elif column.dtype == "Int64":
        low, high = _bounded(column, -(2**53), 2**53)
        present = st.integers(math.ceil(low), math.floor(high))
        missing = st.sampled_from([None, pd.NA])
    elif column.dtype == "float64":
        low, high = _bounded(column, -math.inf, math.inf)
        present = st.floats(
            low if math.isfinite(low) else None,
            high if math.isfinite(high) else None,
            allow_nan=False,
            allow_infinity=not (math.isfinite(low) and math.isfinite(high)),
        )
        missing = st.sampled_from([None, float("nan")])
    else:  # boolean
        present = st.booleans()
        missing = st.sampled_from([None, pd.NA])
    return present if column.required else st.one_of(present, missing)


@st.composite
def geometries(draw: st.DrawFn, spec: LayerSpec) -> shapely.Geometry | None:
    """A geometry of one of the spec's types, or None where the spec allows rows without."""
    if not spec.geometry_required and draw(st.integers(0, 4)) == 0:
        return None
    kind = draw(st.sampled_from(spec.geometry_types))
    x = X0 + draw(st.floats(-2_000, 2_000))
    y = Y0 + draw(st.floats(-2_000, 2_000))
    size = draw(st.floats(0.5, 80.0))
    if kind == "Point":
        return shapely.Point(x, y)
    if kind == "MultiPoint":
        return shapely.MultiPoint([(x, y), (x + size, y)])
    if kind == "LineString":
        return shapely.LineString([(x, y), (x + size, y + size / 2), (x + size, y + size)])
    if kind == "MultiLineString":
        return shapely.MultiLineString([[(x, y), (x + size, y)], [(x, y + 1), (x, y + size)]])
    if kind == "Polygon":
        return shapely.box(x, y, x + size, y + size / 2)
    return shapely.MultiPolygon(
        [shapely.box(x, y, x + size, y + size), shapely.box(x + 2 * size, y, x + 3 * size, y + 1)]
    )


@st.composite
def layers(draw: st.DrawFn, spec: LayerSpec) -> gpd.GeoDataFrame | pd.DataFrame:
    """A layer of ``spec`` with 0 to :data:`MAX_ROWS` rows and maybe an extra Unicode column."""
    rows = draw(st.integers(0, MAX_ROWS))
    ids = draw(st.lists(NAME_TEXT, min_size=rows, max_size=rows, unique=True))
    data: dict[str, list[Any]] = {"id": ids}
    for column in spec.columns:
        if column.name != "id" and (column.required or draw(st.booleans())):  # else added empty
            data[column.name] = draw(st.lists(column_values(column), min_size=rows, max_size=rows))
    taken = {name.casefold() for name in [*spec.column_names, "geometry", "fid"]}
    extra = draw(NAME_TEXT.filter(lambda name: name.strip() and name.casefold() not in taken))
    if draw(st.booleans()):
        data[extra] = draw(st.lists(st.one_of(TEXT, st.none()), min_size=rows, max_size=rows))
    if not spec.geometry_types:
        return pd.DataFrame(data)
    shapes = draw(st.lists(geometries(spec), min_size=rows, max_size=rows))
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(shapes, crs="EPSG:2154"))


@st.composite
def rasters(draw: st.DrawFn) -> Raster:
    """A small terrain with NaN holes (float32, metres)."""
    rows, columns = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    values = draw(
        st.lists(
            st.one_of(st.floats(-400, 4_800, width=32), st.just(float("nan"))),
            min_size=rows * columns,
            max_size=rows * columns,
        )
    )
    grid = np.array(values, dtype=np.float32).reshape(rows, columns)
    cell_m = draw(st.sampled_from([1.0, 5.0, 25.0]))
    transform = Affine(cell_m, 0.0, X0, 0.0, -cell_m, Y0)
    crs = CRS.from_epsg(2154)
    return Raster("terrain", grid, transform, crs, unit="m", meaning="altitude (NGF)")


@st.composite
def small_cities(draw: st.DrawFn) -> City:
    """A City of a few standard layers (some empty), maybe the custom one and a terrain."""
    city = City("EPSG:2154", name=draw(TEXT))
    names = draw(st.lists(st.sampled_from(sorted(STANDARD_SPECS)), max_size=5, unique=True))
    for name in names:
        city.set_layer(name, draw(layers(STANDARD_SPECS[name])))
    if draw(st.booleans()):
        city.set_layer(CUSTOM.name, draw(layers(CUSTOM)), CUSTOM)
    if draw(st.booleans()):
        city.set_raster(draw(rasters()))
    city.metadata = draw(st.dictionaries(NAME_TEXT, st.one_of(TEXT, st.integers()), max_size=3))
    return city
