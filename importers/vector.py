"""Any OGR vector file (GeoPackage, Shapefile, GeoJSON, FlatGeobuf) with a column mapping.

For data from sources without a dedicated importer: the user says which layer of the twin the
file feeds (``--as buildings``) and how its columns map onto that layer's columns (flags or a
small TOML mapping file, see docs/mapping.md). Read with pyogrio through Arrow, reprojected to
the project CRS; invalid geometries repaired and reported, empty ones reported and left out.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError, ProjError

from importers.base import ImportOptions, ImportResult
from importers.ogr_reading import read_vector
from importers.sniffing import (
    ensure_utf8_text,
    is_flatgeobuf,
    is_geojson,
    is_geopackage,
    is_shapefile,
)
from twin.catalogue import STANDARD_SPECS
from twin.errors import CrsError, InvalidInputError, plain_message
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity
from twin.spec import POLYGONAL, LayerSpec

logger = logging.getLogger(__name__)

NAME = "vector"
DESCRIPTION = "Any vector file (GeoPackage, Shapefile, GeoJSON, FlatGeobuf) with a column mapping"
SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb")


def sniff(path: Path) -> bool:
    """True for GeoPackage, Shapefile, GeoJSON and FlatGeobuf content."""
    return is_geopackage(path) or is_shapefile(path) or is_flatgeobuf(path) or is_geojson(path)


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read a vector file into the layer named by ``options.kind``.

    Raises:
        InvalidInputError: no target layer given, the source layer is missing, or OGR cannot
            read the file.
        CrsError: the file declares no CRS and none was given with ``--crs``.
    """
    feedback = ensure_feedback(feedback)
    spec = _target_spec(path, options)
    frame = _read_frame(path, options, bbox)
    feedback.set_progress(0.4)
    frame = _to_target_crs(frame, path, options, target_crs)
    issues: list[Issue] = []
    frame = _clean_geometries(frame, spec, path.name, issues)
    feedback.set_progress(0.7)
    frame = apply_mapping(frame, spec, options, path.name, issues)
    feedback.set_progress(1.0)
    details = {
        "source_layer": options.source_layer,
        "mapping": dict(options.mapping),
        "source_crs": str(options.source_crs.to_string()) if options.source_crs else "",
    }
    return ImportResult.of(path.name, NAME, {spec.name: frame}, issues, details)


def _target_spec(path: Path, options: ImportOptions) -> LayerSpec:
    spec = STANDARD_SPECS.get(options.kind)
    if spec is None:
        choices = ", ".join(STANDARD_SPECS)
        raise InvalidInputError(
            f"{path.name}: say which layer this file feeds with --as (one of {choices}).",
            code="layer_needed",
            values={"file": path.name, "layers": list(STANDARD_SPECS)},
        )
    return spec


def _read_frame(
    path: Path, options: ImportOptions, bbox: tuple[float, float, float, float] | None
) -> gpd.GeoDataFrame:
    if is_geojson(path):
        ensure_utf8_text(path)
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        layer = options.source_layer or layers[0]
        if layer not in layers:
            raise InvalidInputError(
                f"{path.name} has no layer '{layer}' (its layers: {', '.join(layers)}); "
                "choose one of them.",
                code="source_layer_missing",
                values={"file": path.name, "source_layer": layer, "source_layers": list(layers)},
            )
        return read_vector(path, name=path.name, layer=layer, bbox=bbox)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InvalidInputError(
            f"{path.name} cannot be read as a vector file ({str(exc).splitlines()[0]}); "
            "check that the file is complete (a shapefile needs its .shx and .dbf beside it).",
            code="file_unreadable",
            values={"file": path.name, "detail": str(exc).splitlines()[0]},
        ) from exc


def _to_target_crs(
    frame: gpd.GeoDataFrame, path: Path, options: ImportOptions, target_crs: CRS
) -> gpd.GeoDataFrame:
    if frame.crs is None:
        if options.source_crs is None:
            raise CrsError(
                f"{path.name} does not say which coordinate system it uses; give it with "
                "--crs (for example --crs EPSG:2154 for Lambert-93).",
                code="crs_missing",
                values={"file": path.name},
            )
        frame = frame.set_crs(options.source_crs)
    try:
        return frame.to_crs(target_crs) if not CRS(frame.crs).equals(target_crs) else frame
    except (CRSError, ProjError) as exc:  # a .prj PROJ reads but cannot use
        raise CrsError(
            f"{path.name} cannot be moved from its coordinate system into the project's "
            f"({plain_message(exc)}); check its .prj, or delete it and give the system with --crs.",
            code="crs_transform_failed",
            values={"file": path.name, "detail": plain_message(exc)},
        ) from exc


def _clean_geometries(
    frame: gpd.GeoDataFrame, spec: LayerSpec, source: str, issues: list[Issue]
) -> gpd.GeoDataFrame:
    geometry = frame.geometry.to_numpy()
    geometry = shapely.force_2d(geometry) if shapely.has_z(geometry).any() else geometry.copy()
    empty = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    unusable = ~empty & ~_finite(geometry)  # NaN or infinite coordinates: nothing to repair
    geometry[unusable] = None
    empty |= unusable
    invalid = ~empty & ~shapely.is_valid(geometry)
    if invalid.any():
        repaired = _make_valid(geometry[invalid])
        if set(spec.geometry_types) <= set(POLYGONAL):
            repaired = _polygonal_part(repaired)
        geometry[invalid] = repaired
    unrepaired = invalid & shapely.is_missing(geometry)  # GEOS could not repair them
    unusable |= unrepaired
    if invalid.any():
        for position in np.flatnonzero(invalid & ~unrepaired):
            issues.append(
                Issue(
                    Severity.WARNING,
                    "invalid_geometry",
                    "invalid polygon repaired (make_valid)",
                    source,
                    str(position),
                )
            )
    empty = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    for position in np.flatnonzero(empty):
        what = "feature without geometry left out"
        if unusable[position]:
            why = (
                "cannot be repaired" if unrepaired[position] else "has NaN or infinite coordinates"
            )
            what = f"geometry {why}: feature left out"
        issues.append(Issue(Severity.ERROR, "empty_geometry", what, source, str(position)))
    frame = frame.set_geometry(gpd.GeoSeries(geometry, index=frame.index, crs=frame.crs))
    return frame[~empty].reset_index(drop=True)


def _make_valid(geometries: np.ndarray) -> np.ndarray:
    """``make_valid`` of each geometry; None for those GEOS fails on (absurd coordinates)."""
    try:
        return np.asarray(shapely.make_valid(geometries), dtype=object)
    except shapely.errors.GEOSException:  # rare: find which ones, one by one
        out = np.empty(len(geometries), dtype=object)
        for position, geometry in enumerate(geometries):
            try:
                out[position] = shapely.make_valid(geometry)
            except shapely.errors.GEOSException:
                out[position] = None
        return out


def _finite(geometries: np.ndarray) -> np.ndarray:
    """True for each geometry whose coordinates are all finite numbers."""
    coordinates, owner = shapely.get_coordinates(geometries, return_index=True)
    bad = np.bincount(owner[~np.isfinite(coordinates).all(axis=1)], minlength=len(geometries))
    return bad == 0


def _polygonal_part(geometries: np.ndarray) -> np.ndarray:
    """Keep the polygonal part of what make_valid returned (it may add lines or points)."""
    out = geometries.copy()
    collections = shapely.get_type_id(out) == shapely.GeometryType.GEOMETRYCOLLECTION
    for position in np.flatnonzero(collections):
        parts = shapely.get_parts(out[position])
        polygons = parts[np.isin(shapely.get_type_id(parts), [3, 6])]
        out[position] = shapely.union_all(polygons) if len(polygons) else shapely.Polygon()
    return out


def apply_mapping(
    frame: gpd.GeoDataFrame,
    spec: LayerSpec,
    options: ImportOptions,
    source: str,
    issues: list[Issue],
) -> gpd.GeoDataFrame:
    """Rename, translate and complete source columns into the target layer's columns.

    Target columns are taken from ``options.mapping`` (target → source, matched without
    regard to case), else from a source column of the same name. Columns whose name ends in
    ``_year`` accept dates. Values listed in ``options.values`` are translated; others become
    missing and are reported. ``options.defaults`` fill what is still missing. Source columns
    not mapped are kept, for the inspector.
    """
    by_lower = {str(column).lower(): column for column in frame.columns}
    out = pd.DataFrame(index=frame.index)
    used: set[str] = set()
    for column in spec.column_names:
        wanted = options.mapping.get(column, column)
        found = by_lower.get(str(wanted).lower())
        if found is None:
            if column in options.mapping:
                raise InvalidInputError(
                    f"{source}: the mapping takes '{column}' from column '{wanted}', which the "
                    f"file does not have (its columns: {', '.join(map(str, frame.columns))}); "
                    "fix the mapping.",
                    code="mapping_column_missing",
                    values={
                        "file": source,
                        "column": column,
                        "source_column": wanted,
                        "columns": [str(name) for name in frame.columns],
                    },
                )
            continue
        used.add(found)
        values = frame[found]
        if column.endswith("_year") and not pd.api.types.is_numeric_dtype(values):
            values = pd.to_datetime(values, errors="coerce", format="mixed").dt.year
        if column in options.values:
            values = _translate(values, options.values[column], column, source, issues)
        out[column] = values
    for column, default in options.defaults.items():
        if column not in out.columns:
            out[column] = default
        else:
            out[column] = out[column].where(out[column].notna(), default)
    if "id" in spec.column_names and "id" not in out.columns:
        stem = Path(source).stem
        out["id"] = [f"{stem}-{i}" for i in range(len(frame))]
    for column in frame.columns:
        if column not in used and column != frame.active_geometry_name and column not in out:
            out[column] = frame[column]
    return gpd.GeoDataFrame(out, geometry=frame.geometry, crs=frame.crs)


def _translate(
    values: pd.Series, table: Mapping[str, str], column: str, source: str, issues: list[Issue]
) -> pd.Series:
    translated = values.map(dict(table))
    unknown = values.notna() & translated.isna()
    for value, count in values[unknown].value_counts().items():
        issues.append(
            Issue(
                Severity.WARNING,
                f"{column}_unmapped",
                f"{count} value(s) '{value}' of {column} have no translation; left empty",
                source,
            )
        )
    return translated
