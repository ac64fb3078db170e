"""OpenStreetMap XML (.osm) and PBF (.osm.pbf) → the ``buildings`` and ``roads`` layers.

Read with pyosmium (libosmium). Buildings are closed ways and multipolygon relations tagged
``building=*`` (not ``no``); roads are ways tagged ``highway=*``. Ways and relations cut by the
extract's edge are reported (``incomplete_way``, ``incomplete_relation``) and not built.
Geometries are built from coordinate arrays in EPSG:4326 and reprojected to the project CRS;
tags become columns (see docs/formats/osm.md).
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from importers.base import ImportOptions, ImportResult
from importers.heights import complete_heights, count_height_sources
from importers.osm_columns import building_columns, road_columns
from importers.osm_geometry import relation_polygons, way_geometries
from importers.osm_reader import OsmExtract, read_extract
from importers.sniffing import head
from importers.source_tools import clean_geometries, keep_in_range
from twin.catalogue import BUILDINGS, ROADS
from twin.errors import InvalidInputError, UnsupportedFormatError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity
from twin.spec import LayerSpec, conform

logger = logging.getLogger(__name__)

NAME = "osm"
DESCRIPTION = "OpenStreetMap XML (.osm) or PBF (.osm.pbf): buildings and roads"
SUFFIXES = (".osm", ".osm.pbf", ".pbf")

WGS84 = CRS.from_epsg(4326)

#: After an optional byte-order mark, XML declaration, comments and doctype: the <osm> root.
_XML_HEAD = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*"  # byte-order mark
    rb"(?:<\?xml[^>]*\?>\s*)?"  # declaration
    rb"(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"  # comments, doctype
    rb"<osm[\s>/]",
    re.DOTALL,
)
#: A PBF file starts with a BlobHeader whose type (field 1, 9 bytes) is "OSMHeader".
_PBF_HEADER_TYPE = b"\x0a\x09OSMHeader"


def sniff(path: Path) -> bool:
    """True for OSM XML (an ``<osm>`` root) and OSM PBF (an ``OSMHeader`` blob first).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     osm = Path(folder) / "extract.xml"
    ...     _ = osm.write_bytes(b'\\xef\\xbb\\xbf<?xml version="1.0"?>\\n<osm version="0.6"/>')
    ...     sniff(osm)
    True
    """
    return file_format(path) is not None


def file_format(path: Path) -> str | None:
    """``"osm"`` (XML), ``"pbf"`` or None, from the file's first bytes."""
    data = head(path)
    if _XML_HEAD.match(data):
        return "osm"
    if len(data) >= 4 + len(_PBF_HEADER_TYPE):
        length = int.from_bytes(data[:4], "big")
        if 0 < length <= 64 * 1024 and _PBF_HEADER_TYPE in data[4 : 4 + length]:
            return "pbf"
    return None


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read an OSM extract into ``buildings`` and ``roads`` in ``target_crs``.

    ``options.kind`` (``--as``) may name one of the two layers to read only that one.
    ``bbox`` (minx, miny, maxx, maxy in ``target_crs``) keeps only the features it touches.

    Raises:
        UnsupportedFormatError: the file is neither OSM XML nor OSM PBF.
        InvalidInputError: libosmium cannot parse it, or ``--as`` names another layer.
    """
    feedback = ensure_feedback(feedback)
    started = time.perf_counter()
    file_format_name = file_format(path)
    if file_format_name is None:
        raise UnsupportedFormatError(
            f"{path.name} is neither OpenStreetMap XML (an <osm> root) nor PBF; export the "
            "area again as .osm or .osm.pbf.",
            code="format_not_importer",
            values={"file": path.name, "importer": NAME},
        )
    wanted = _wanted_layers(path, options.kind)
    extract = read_extract(path, file_format_name)
    feedback.set_progress(0.5)
    feedback.raise_if_cancelled()
    issues: list[Issue] = []
    layers: dict[str, gpd.GeoDataFrame] = {}
    details: dict[str, object] = {
        "format": file_format_name,
        **{f"{kind}_in_file": count for kind, count in extract.counts.items()},
    }
    if "buildings" in wanted:
        buildings, counts = _buildings(extract, path.name, target_crs, options, bbox, issues)
        layers["buildings"] = buildings
        details.update(counts, height_sources=count_height_sources(buildings))
    feedback.set_progress(0.8)
    feedback.raise_if_cancelled()
    if "roads" in wanted:
        layers["roads"], counts = _roads(extract, path.name, target_crs, bbox, issues)
        details.update(counts)
    feedback.set_progress(1.0)
    logger.info("%s read in %.2f s", path.name, time.perf_counter() - started)
    return ImportResult.of(path.name, NAME, layers, issues, details)


def _wanted_layers(path: Path, kind: str) -> tuple[str, ...]:
    """Both layers, or the one named by ``--as``."""
    if kind in ("", NAME):
        return ("buildings", "roads")
    if kind in ("buildings", "roads"):
        return (kind,)
    raise InvalidInputError(
        f"{path.name}: an OpenStreetMap file feeds the buildings and roads layers, not "
        f"'{kind}'; use --as buildings, --as roads, or leave --as out for both.",
        code="osm_layer",
        values={"file": path.name, "layer": kind},
    )


def _buildings(
    extract: OsmExtract,
    source: str,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None,
    issues: list[Issue],
) -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    tags = extract.ways.tags
    candidates = np.flatnonzero((tags["building"].notna() & tags["building"].ne("no")).to_numpy())
    built, polygons = way_geometries(extract, candidates, closed=True, source=source, issues=issues)
    relation_rows, relation_shapes = relation_polygons(extract, source=source, issues=issues)
    way_part = tags.iloc[built].assign(id=[f"way/{i}" for i in extract.ways.ids[built]])
    relations = extract.relations.iloc[relation_rows]
    relation_part = relations.assign(id=[f"relation/{i}" for i in relations["id"]])
    frame = gpd.GeoDataFrame(
        pd.concat([way_part, relation_part], ignore_index=True),
        geometry=np.concatenate([polygons, relation_shapes]),
        crs=WGS84,
    )
    counts = {
        "building_ways": len(candidates),
        "buildings_from_ways": len(built),
        "building_relations": len(extract.relations),
        "buildings_from_relations": len(relation_rows),
    }
    frame, counts["buildings_outside_bbox"] = _project(
        frame, BUILDINGS, target_crs, bbox, source, issues
    )
    columns = building_columns(frame, NAME, source, issues)
    columns = keep_in_range(columns, BUILDINGS, source, issues)
    columns = complete_heights(
        columns, source=source, storey_height_m=options.storey_height_m, issues=issues
    )
    roof_levels = columns["roof_levels"].astype("float64").fillna(0).to_numpy()
    from_floors = (columns["height_source"] == "floors").to_numpy()
    columns.loc[from_floors, "height_m"] += 0.5 * roof_levels[from_floors] * options.storey_height_m
    out = gpd.GeoDataFrame(columns, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return conform(out, BUILDINGS, source=source), counts


def _roads(
    extract: OsmExtract,
    source: str,
    target_crs: CRS,
    bbox: tuple[float, float, float, float] | None,
    issues: list[Issue],
) -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    tags = extract.ways.tags
    highway = tags["highway"].notna().to_numpy()
    area = (tags["area"] == "yes").to_numpy() & highway
    for way_id, kind in zip(extract.ways.ids[area], tags["highway"][area], strict=True):
        issues.append(
            Issue(
                Severity.INFO,
                "highway_area_skipped",
                f"highway={kind} drawn as an area (area=yes); not a centreline, skipped",
                source,
                f"way/{way_id}",
            )
        )
    candidates = np.flatnonzero(highway & ~area)
    built, lines = way_geometries(extract, candidates, closed=False, source=source, issues=issues)
    road_tags = tags.iloc[built].reset_index(drop=True)
    backwards = (road_tags["oneway"].str.strip() == "-1").fillna(False).to_numpy()
    lines = np.where(backwards, shapely.reverse(lines), lines) if len(lines) else lines
    frame = gpd.GeoDataFrame(
        road_tags.assign(id=[f"way/{i}" for i in extract.ways.ids[built]]),
        geometry=np.asarray(lines, dtype=object),
        crs=WGS84,
    )
    counts = {
        "highway_ways": int(highway.sum()),
        "highway_areas_skipped": int(area.sum()),
        "roads_built": len(built),
    }
    frame, counts["roads_outside_bbox"] = _project(frame, ROADS, target_crs, bbox, source, issues)
    columns = keep_in_range(road_columns(frame, NAME, source, issues), ROADS, source, issues)
    frame = gpd.GeoDataFrame(columns, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return conform(frame, ROADS, source=source), counts


def _project(
    frame: gpd.GeoDataFrame,
    spec: LayerSpec,
    target_crs: CRS,
    bbox: tuple[float, float, float, float] | None,
    source: str,
    issues: list[Issue],
) -> tuple[gpd.GeoDataFrame, int]:
    """Reproject, keep what touches ``bbox``, repair invalid geometries (reported by id),
    report duplicates and slivers."""
    frame = frame.to_crs(target_crs)
    outside = 0
    if bbox is not None:
        inside = frame.intersects(shapely.box(*bbox)).to_numpy()
        outside = int((~inside).sum())
        frame = frame[inside].reset_index(drop=True)
    return clean_geometries(frame, spec, source, issues), outside
