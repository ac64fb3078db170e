"""Helpers shared by the dedicated importers of French sources (cadastre, BD TOPO, IRIS).

Reading a layer with pyogrio (errors turned into one clear message), finding source columns
whatever their case, cleaning geometries (repairs, duplicates, slivers) with issues that name
the feature's id, keeping values inside their column's range, and assembling the output frame
(declared columns first, the source's other columns kept for the inspector).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from importers.base import ImportOptions
from importers.geojson_head import is_gzip
from importers.ogr_reading import read_vector
from importers.sniffing import ensure_utf8_text, is_geojson
from importers.vector import _clean_geometries, _to_target_crs
from twin.errors import InvalidInputError
from twin.issues import Issue, Severity
from twin.spec import POLYGONAL, LayerSpec

logger = logging.getLogger(__name__)

#: Polygons smaller than this are reported as slivers (m², in a projected CRS).
SLIVER_AREA_M2 = 1.0


def read_layer(
    path: Path | str,
    *,
    name: str,
    layer: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Read one layer with pyogrio through Arrow.

    ``path`` may be a GDAL virtual path (``/vsigzip/...``); ``name`` is the file name shown in
    messages.

    Raises:
        InvalidInputError: OGR cannot open or read the layer, or a geometry cannot be built.
        CrsError: the layer's coordinate system cannot be read.
    """
    if isinstance(path, Path) and path.is_file() and (is_geojson(path) or is_gzip(path)):
        ensure_utf8_text(path, name)
    try:
        return read_vector(path, name=name, layer=layer, bbox=bbox, encoding=encoding)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        where = f"{name} (layer '{layer}')" if layer else name
        raise InvalidInputError(
            f"{where} cannot be read ({str(exc).splitlines()[0]}); check that the file is "
            "complete and not damaged (a shapefile needs its .shx and .dbf beside it).",
            code="file_unreadable",
            values={"file": where, "detail": str(exc).splitlines()[0]},
        ) from exc


def gpkg_fields(path: Path) -> dict[str, list[str]]:
    """Layer name → field names of a GeoPackage, from its SQLite catalogue (no GDAL, fast).

    Empty when the file cannot be read as a GeoPackage.
    """
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            tables = [str(row[0]) for row in db.execute("SELECT table_name FROM gpkg_contents")]
            return {
                table: [
                    str(row[1])
                    for row in db.execute(f'PRAGMA table_info("{table.replace(chr(34), "")}")')
                ]
                for table in tables
            }
    except (sqlite3.Error, OSError, ValueError):
        return {}


def column(frame: pd.DataFrame, *names: str) -> pd.Series | None:
    """The first of ``names`` that ``frame`` has, matched without regard to case, else None.

    >>> frame = pd.DataFrame({"HAUTEUR": [5.0]})
    >>> column(frame, "hauteur").tolist(), column(frame, "height") is None
    ([5.0], True)
    """
    name = column_name(frame, *names)
    return None if name is None else frame[name]


def column_name(frame: pd.DataFrame, *names: str) -> str | None:
    """The actual name of the first of ``names`` that ``frame`` has (any case), else None."""
    by_lower = {str(c).lower(): str(c) for c in frame.columns}
    for name in names:
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    return None


def has_fields(fields: list[str], required: set[str]) -> bool:
    """True when every name in ``required`` is among ``fields`` (case-insensitive).

    >>> has_fields(["CODE_IRIS", "NOM_IRIS"], {"code_iris", "nom_iris"})
    True
    """
    present = {field.lower() for field in fields}
    return {name.lower() for name in required} <= present


def text(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Values as stripped text (pandas ``string``), empty text as missing; all missing if absent.

    >>> text(pd.Series([" AB ", "", None]), pd.RangeIndex(3)).tolist()
    ['AB', <NA>, <NA>]
    """
    if values is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    out = values.astype("string").str.strip()
    return out.where(out.str.len() > 0)


def numbers(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Values as float64 (unparseable values become NaN); all NaN if absent."""
    if values is None:
        return pd.Series(np.nan, index=index, dtype="float64")
    return pd.to_numeric(values, errors="coerce").astype("float64")


def years(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Years of dates given as dates, datetimes or text (``1982-01-01``), as float64."""
    if values is None:
        return pd.Series(np.nan, index=index, dtype="float64")
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    dates = pd.to_datetime(values.astype(object), errors="coerce", format="mixed")
    return dates.dt.year.astype("float64")


def to_target_crs(
    frame: gpd.GeoDataFrame, path: Path, options: ImportOptions, target_crs: CRS
) -> gpd.GeoDataFrame:
    """Reproject to ``target_crs`` (``options.source_crs`` when the file declares none).

    Raises:
        CrsError: the file declares no CRS and none was given.
    """
    return _to_target_crs(frame, path, options, target_crs)


def clean_geometries(
    frame: gpd.GeoDataFrame, spec: LayerSpec, source: str, issues: list[Issue]
) -> gpd.GeoDataFrame:
    """2D geometries, invalid ones repaired, empty ones left out, each reported by its ``id``.

    Polygonal layers also get duplicates (the same outline twice) and slivers (less than
    :data:`SLIVER_AREA_M2`) reported; those rows are kept.
    """
    ids = frame["id"].astype(str).to_numpy()
    first = len(issues)
    out = _clean_geometries(frame, spec, source, issues)
    for number in range(first, len(issues)):
        issue = issues[number]
        if issue.feature.isdigit():
            issues[number] = replace(issue, feature=str(ids[int(issue.feature)]))
    if set(spec.geometry_types) <= set(POLYGONAL) and len(out):
        _report_duplicates_and_slivers(out, source, issues)
    return out


def _report_duplicates_and_slivers(
    frame: gpd.GeoDataFrame, source: str, issues: list[Issue]
) -> None:
    geometry = frame.geometry.to_numpy()
    areas = shapely.area(geometry)
    # Cheap key first (bounds, area, vertex count): only rows sharing it are compared exactly.
    rough = pd.DataFrame(shapely.bounds(geometry), index=frame.index)
    rough["area"] = np.round(areas, 3)  # the same ring from another corner: last bits differ
    rough["vertices"] = shapely.get_num_coordinates(geometry)
    candidates = np.flatnonzero(rough.duplicated(keep=False).to_numpy())
    if len(candidates):
        keys = pd.Series(shapely.to_wkb(shapely.normalize(geometry[candidates])), index=candidates)
        duplicated = keys.duplicated(keep="first")
        first_ids = frame["id"].iloc[candidates].groupby(keys.to_numpy()).transform("first")
        for position in np.flatnonzero(duplicated.to_numpy()):
            issues.append(
                Issue(
                    Severity.WARNING,
                    "duplicate_geometry",
                    f"same outline as '{first_ids.iloc[position]}'; both kept",
                    source,
                    str(frame["id"].iloc[candidates[position]]),
                )
            )
    for row in np.flatnonzero(areas < SLIVER_AREA_M2):
        issues.append(
            Issue(
                Severity.WARNING,
                "sliver",
                f"polygon of {areas[row]:.2f} m² (under {SLIVER_AREA_M2:g} m²); kept",
                source,
                str(frame["id"].iloc[row]),
            )
        )


def unique_ids(
    frame: gpd.GeoDataFrame, source: str, issues: list[Issue], prefix: str
) -> gpd.GeoDataFrame:
    """Give rows without an id ``PREFIX-<row>``; rows repeating an id are left out, reported."""
    ids = frame["id"].astype(object)
    missing = ids.isna().to_numpy()
    if missing.any():
        numbered = [f"{prefix}-{row}" for row in np.flatnonzero(missing)]
        ids = ids.copy()
        ids[missing] = numbered
        issues.append(
            Issue(
                Severity.INFO,
                "id_missing",
                f"{int(missing.sum())} feature(s) without an identifier numbered {prefix}-ROW",
                source,
            )
        )
    frame = frame.assign(id=ids.astype(str))
    repeated = frame["id"].duplicated(keep="first").to_numpy()
    for row in np.flatnonzero(repeated):
        issues.append(
            Issue(
                Severity.ERROR,
                "duplicate_id",
                "identifier already used by an earlier feature; this one is left out",
                source,
                str(frame["id"].iloc[row]),
            )
        )
    return frame[~repeated].reset_index(drop=True) if repeated.any() else frame


def keep_in_range(
    frame: pd.DataFrame, spec: LayerSpec, source: str, issues: list[Issue]
) -> pd.DataFrame:
    """Blank numeric values outside their column's declared range, one issue each."""
    out = frame.copy()
    for spec_column in spec.columns:
        if spec_column.name not in out or spec_column.dtype not in ("Int64", "float64"):
            continue
        values = pd.to_numeric(out[spec_column.name], errors="coerce").astype("float64")
        low = -np.inf if spec_column.minimum is None else spec_column.minimum
        high = np.inf if spec_column.maximum is None else spec_column.maximum
        bad = (values.notna() & ((values < low) | (values > high))).to_numpy()
        for row in np.flatnonzero(bad):
            issues.append(
                Issue(
                    Severity.WARNING,
                    f"{spec_column.name}_out_of_range",
                    f"{spec_column.name} {values.iloc[row]:g} outside {low:g} to {high:g} "
                    f"{spec_column.unit}; left empty".rstrip(),
                    source,
                    str(out["id"].iloc[row]) if "id" in out else str(row),
                )
            )
        out[spec_column.name] = values.where(~bad)
    return out


def assemble(
    source: gpd.GeoDataFrame,
    columns: Mapping[str, pd.Series | object],
    spec: LayerSpec,
    used: Iterable[str | None] = (),
) -> gpd.GeoDataFrame:
    """The output frame: ``columns`` (declared names) then the source's other columns.

    Source columns named in ``used``, or whose name matches a declared column in another case
    (a GeoPackage cannot hold both ``ID`` and ``id``), are left out.
    """
    out = pd.DataFrame(index=source.index)
    for name, values in columns.items():
        out[name] = values
    taken = {name.lower() for name in spec.column_names} | {name.lower() for name in out}
    taken |= {name.lower() for name in used if name}
    geometry = source.active_geometry_name
    for name in source.columns:
        if name != geometry and str(name).lower() not in taken:
            out[name] = source[name]
            taken.add(str(name).lower())
    return gpd.GeoDataFrame(out, geometry=source.geometry.to_numpy(), crs=source.crs)
