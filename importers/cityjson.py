"""CityJSON 1.1 / 2.0 (and CityJSONSeq) 3D city models → the buildings layer.

Each ``Building`` with its ``BuildingPart`` children becomes one row: its best level of detail
(the highest by default), a 2D footprint (union of the GroundSurfaces projected on the plane,
else of all its surfaces), its base altitude (lowest z) and height (highest z − lowest z,
``height_source`` "geometry"), plus floors, construction year, use and roof type from its
attributes. Other city objects (terrain, roads, vegetation ...) are counted, not imported.
Vertices are decoded with numpy in one step; polygons are built in one shapely call
(:mod:`importers.cityjson_geometry`). See docs/formats/cityjson.md.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from importers.base import ImportOptions, ImportResult
from importers.cityjson_attributes import attribute_columns
from importers.cityjson_buildings import BuildingRow, collect
from importers.cityjson_document import load
from importers.cityjson_document import source_crs as crs_of
from importers.cityjson_geometry import footprints
from importers.heights import MAX_PLAUSIBLE_HEIGHT_M, complete_heights
from importers.sniffing import head
from importers.source_tools import clean_geometries
from twin.catalogue import BUILDINGS
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity

logger = logging.getLogger(__name__)

NAME = "cityjson"
DESCRIPTION = "CityJSON 1.1 / 2.0 and CityJSONSeq 3D city models (buildings)"
SUFFIXES = (".city.json", ".json", ".city.jsonl", ".jsonl")

#: A geometry lower than this (m) is flat (a LoD0 footprint): its height comes from elsewhere.
MIN_GEOMETRY_HEIGHT_M = 0.1

_CITYJSON_TYPE = re.compile(rb'"type"\s*:\s*"CityJSON"')
_CITY_OBJECTS = re.compile(rb'^\{\s*"CityObjects"\s*:')


def sniff(path: Path) -> bool:
    """True for JSON whose first (or last) bytes declare ``"type": "CityJSON"``.

    Covers CityJSONSeq (its first line is a CityJSON object) and files written with sorted
    keys, which start with ``"CityObjects"``.
    """
    text = head(path).lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return False
    if _CITYJSON_TYPE.search(text) or _CITY_OBJECTS.match(text):
        return True
    size = path.stat().st_size
    with path.open("rb") as stream:
        stream.seek(max(size - 4096, 0))
        return bool(_CITYJSON_TYPE.search(stream.read()))


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read a CityJSON file's buildings into the buildings layer in ``target_crs``.

    ``bbox`` (in the file's coordinates) keeps the buildings whose footprint meets it.

    Raises:
        InvalidInputError: not JSON, not CityJSON 1.1/2.0, no CityObjects or vertices, or a
            vertex index that points outside the vertex list (a damaged file).
        CrsError: the file declares no CRS and none was given with ``--crs``, or an unknown one.
    """
    feedback = ensure_feedback(feedback)
    model = load(path)
    issues = model.issues
    source_crs, vertical = crs_of(model.header, path, options, issues)
    feedback.set_progress(0.3)
    rows, collected = collect(model, path.name, issues, feedback)
    feedback.set_progress(0.6)
    shapes = footprints(model.vertices, collected)
    frame = _frame(rows, shapes, source_crs, path.name, options, issues)
    if bbox is not None:
        frame = frame[frame.intersects(shapely.box(*bbox))].reset_index(drop=True)
    if not CRS(frame.crs).equals(target_crs):
        frame = frame.to_crs(target_crs)
    frame = clean_geometries(frame, BUILDINGS, path.name, issues)
    feedback.set_progress(1.0)
    details = {
        "cityjson_version": str(model.header.get("version")),
        "reference_system": str((model.header.get("metadata") or {}).get("referenceSystem")),
        "source_crs": source_crs.to_string(),
        "vertical_crs": vertical,
        "lod": {str(k): int(v) for k, v in frame["lod"].value_counts().items()},
        "city_objects": dict(Counter(str(o.get("type")) for o in model.objects.values())),
    }
    return ImportResult.of(path.name, NAME, {BUILDINGS.name: frame}, issues, details)


def _frame(
    rows: list[BuildingRow],
    shapes: Any,
    crs: CRS,
    source: str,
    options: ImportOptions,
    issues: list[Issue],
) -> gpd.GeoDataFrame:
    ids = [row.id for row in rows]
    columns = attribute_columns(
        [row.attributes for row in rows], ids, source, issues, options.values.get("use")
    )
    columns.insert(0, "id", pd.Series(ids, dtype=object))
    columns["lod"] = pd.Series([row.lod for row in rows], dtype=object)
    columns["source"] = NAME
    geometric = shapes.z_max - shapes.z_min
    usable = (geometric >= MIN_GEOMETRY_HEIGHT_M) & (geometric <= MAX_PLAUSIBLE_HEIGHT_M)
    for row in np.flatnonzero(~usable):
        issues.append(
            Issue(
                Severity.INFO,
                "geometry_height_unusable",
                f"geometry {geometric[row]:.2f} m high (flat or absurd); height "
                "taken from attributes or estimated",
                source,
                ids[row],
            )
        )
    columns["height_m"] = np.where(usable, geometric, columns.pop("measured_height_m"))
    columns = complete_heights(
        columns,
        source=source,
        storey_height_m=options.storey_height_m,
        roof_altitude_m=columns.pop("roof_altitude_m"),
        ground_altitude_m=columns.pop("ground_altitude_m"),
        issues=issues,
    )
    columns.loc[usable, "height_source"] = "geometry"
    base = pd.Series(shapes.z_min, dtype="float64")
    low, high = (
        BUILDINGS.column("base_elevation_m").minimum,
        BUILDINGS.column("base_elevation_m").maximum,
    )
    odd = ~base.between(low, high)
    for row in np.flatnonzero(odd):
        issues.append(
            Issue(
                Severity.WARNING,
                "base_elevation_unusable",
                f"lowest z {base.iloc[row]:g} is not an altitude; left empty",
                source,
                ids[row],
            )
        )
    columns["base_elevation_m"] = base.where(~odd)
    frame = gpd.GeoDataFrame(columns, geometry=list(shapes.geometry), crs=crs)
    empty = frame.geometry.is_empty.to_numpy()
    for row in np.flatnonzero(empty):
        issues.append(
            Issue(
                Severity.ERROR,
                "footprint_missing",
                "no footprint could be made from its surfaces; left out",
                source,
                ids[row],
            )
        )
    return frame[~empty].reset_index(drop=True)
