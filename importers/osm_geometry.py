"""Geometries of OpenStreetMap ways and multipolygon relations, built from coordinate arrays.

Ways become polygons or lines in one shapely call each (coordinates with an index per way);
multipolygon relations join their member ways into rings (``line_merge``), make polygons of the
closed rings and take the union of the outer ones minus the union of the inner ones. A way with
nodes missing from the extract, an open building way or a ring that does not close is reported
as an :class:`~twin.issues.Issue` and not built.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from importers.osm_reader import OsmExtract, way_coordinates
from twin.issues import Issue, Severity


def way_geometries(
    extract: OsmExtract, positions: np.ndarray, *, closed: bool, source: str, issues: list[Issue]
) -> tuple[np.ndarray, np.ndarray]:
    """Polygons (``closed``) or lines of the ways at ``positions``, in lon/lat.

    Returns the positions that were built and their geometries; the others are reported:
    ``incomplete_way`` (nodes missing from the extract), ``unclosed_way`` (a building way that
    does not end where it starts), ``degenerate_way`` (too few nodes).
    """
    ways = extract.ways
    refs_count = ways.offsets[positions + 1] - ways.offsets[positions]
    coords, owner, missing = way_coordinates(extract, positions)
    ids = ways.ids[positions]
    incomplete = missing > 0
    what = "building way" if closed else "highway"
    texts = [
        f"{what} with {count} node(s) missing from the extract (cut by its edge); not built"
        for count in missing[incomplete]
    ]
    _report(issues, ids[incomplete], "incomplete_way", texts, source)
    usable = ~incomplete
    if closed:
        padded = np.append(ways.refs, -1)  # a way without nodes reads -1 (too short anyway)
        first = padded[ways.offsets[positions]]
        last = padded[ways.offsets[positions + 1] - 1]
        too_short = usable & (refs_count < 4)
        unclosed = usable & ~too_short & (first != last)
        message = "a building way that does not end where it starts; not built"
        _report(issues, ids[unclosed], "unclosed_way", message, source)
    else:
        too_short = usable & (refs_count < 2)
        unclosed = np.zeros(len(positions), dtype=bool)
    _report(
        issues, ids[too_short], "degenerate_way", "too few nodes for a shape; not built", source
    )
    keep = usable & ~too_short & ~unclosed
    rows = keep[owner]
    new_index = np.cumsum(keep) - 1
    maker = shapely.linearrings if closed else shapely.linestrings
    geometries = maker(coords[rows], indices=new_index[owner[rows]]) if keep.any() else np.array([])
    if closed and len(geometries):
        geometries = shapely.polygons(geometries)
    return positions[keep], np.asarray(geometries, dtype=object)


def relation_polygons(
    extract: OsmExtract, *, source: str, issues: list[Issue]
) -> tuple[np.ndarray, np.ndarray]:
    """Polygons (with holes) of the building multipolygon relations, in lon/lat.

    Returns the positions (in ``extract.relations``) that were built and their geometries.
    A relation with a member way absent from the file, or with member nodes missing, is
    reported as ``incomplete_relation``; one whose rings do not close as ``unclosed_ring``.
    """
    relations, members = extract.relations, extract.members
    if not len(members):
        return np.array([], dtype=np.int64), np.array([], dtype=object)
    way_position = pd.Series(np.arange(len(extract.ways)), index=extract.ways.ids)
    position = way_position.reindex(members["way"].to_numpy()).to_numpy()
    absent = np.isnan(position)
    positions = np.where(absent, 0, position).astype(np.int64)
    coords, owner, missing = way_coordinates(extract, positions)
    lacking = absent | (missing > 0)
    broken = np.zeros(len(relations), dtype=bool)
    broken[members["relation"].to_numpy()[lacking]] = True
    message = "member ways or nodes missing from the extract (cut by its edge); not built"
    _report(issues, _relation_ids(relations, broken), "incomplete_relation", message, source)

    use = ~broken[members["relation"].to_numpy()] & (missing == 0) & ~absent
    use &= np.bincount(owner, minlength=len(positions)) >= 2
    if not use.any():
        return np.array([], dtype=np.int64), np.array([], dtype=object)
    rows = use[owner]
    compact = np.cumsum(use) - 1
    lines = shapely.linestrings(coords[rows], indices=compact[owner[rows]])
    inner = members["role"].to_numpy()[use] == "inner"
    relation = members["relation"].to_numpy()[use]
    group = relation * 2 + inner
    groups, group_index = np.unique(group, return_inverse=True)
    merged = shapely.line_merge(shapely.multilinestrings(lines, indices=group_index))
    parts, part_group = shapely.get_parts(merged, return_index=True)
    closed = shapely.is_closed(parts) & (shapely.get_num_coordinates(parts) >= 4)
    unclosed = np.zeros(len(relations), dtype=bool)
    unclosed[groups[part_group[~closed]] // 2] = True
    message = "its member ways do not form closed rings; not built"
    _report(issues, _relation_ids(relations, unclosed), "unclosed_ring", message, source)

    ring_coords, ring_index = shapely.get_coordinates(parts[closed], return_index=True)
    polygons = shapely.polygons(shapely.linearrings(ring_coords, indices=ring_index))
    frame = gpd.GeoDataFrame(
        {
            "relation": groups[part_group[closed]] // 2,
            "inner": groups[part_group[closed]] % 2 == 1,
        },
        geometry=polygons,
    )
    unions = frame.dissolve(by=["relation", "inner"]).geometry
    built = np.flatnonzero(~broken & ~unclosed)
    outer = unions.reindex(list(zip(built, [False] * len(built), strict=True))).to_numpy()
    holes = unions.reindex(list(zip(built, [True] * len(built), strict=True))).to_numpy()
    holes = np.where(pd.isna(holes), shapely.Polygon(), holes)
    has_outer = ~pd.isna(outer)
    _report(
        issues,
        relations["id"].to_numpy()[built[~has_outer]],
        "unclosed_ring",
        "no outer ring; not built",
        source,
        "relation",
    )
    geometries = shapely.difference(outer[has_outer], holes[has_outer])
    return built[has_outer], np.asarray(geometries, dtype=object)


def _relation_ids(relations: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    return relations["id"].to_numpy()[mask]


def _report(
    issues: list[Issue],
    ids: np.ndarray,
    code: str,
    message: str | list[str],
    source: str,
    kind: str = "",
) -> None:
    kind = kind or ("relation" if code in ("incomplete_relation", "unclosed_ring") else "way")
    texts = message if isinstance(message, list) else [message] * len(ids)
    issues.extend(
        Issue(Severity.ERROR, code, text, source, f"{kind}/{osm_id}")
        for osm_id, text in zip(ids, texts, strict=True)
    )
