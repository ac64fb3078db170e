"""A project's summary: what `twin info` and `twin demo` print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd

from twin.city import City
from twin.levels import Level
from twin.project import SCHEMA_VERSION


def project_summary(city: City, path: Path) -> dict[str, Any]:
    """Layers with counts, CRS, extent, hierarchy counts per level, provenance and stored files."""
    hierarchy = city.hierarchy
    extent = city.extent()
    return {
        "project": str(path),
        "name": city.name,
        "schema_version": SCHEMA_VERSION,
        "crs": city.crs.to_string(),
        "crs_name": city.crs.name,
        "extent": list(extent) if extent else None,
        "origin": list(city.origin) if city.origin else None,
        "layers": [
            {
                "name": name,
                "title": city.spec(name).title,
                "level": _level_name(city.spec(name).level),
                "rows": len(city.layer(name)),
                "geometry": _geometry_types(city.layer(name)),
            }
            for name in city.layer_names
        ],
        "hierarchy": {
            level.name.lower(): count for level, count in hierarchy.count_per_level().items()
        },
        "orphans": len(hierarchy.orphan_ids),
        "buildings": _building_counts(city),
        "rasters": [
            {
                "name": r.name,
                "unit": r.unit,
                "shape": list(r.shape),
                "pixel_size_m": r.pixel_size_m[0],
                "bounds": list(r.bounds),
            }
            for r in city.rasters.values()
        ],
        "provenance": [record.to_dict() for record in city.provenance],
        "files": [
            {
                "name": f.name,
                "media_type": f.media_type,
                "size_bytes": f.size_bytes,
                "sha256": f.sha256,
            }
            for f in city.files.values()
        ],
    }


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary as text lines for a terminal."""
    lines = [
        f"{summary['project']}  ({summary['name'] or 'sans nom'})",
        f"CRS: {summary['crs_name']} ({summary['crs']})",
    ]
    if summary["extent"]:
        minx, miny, maxx, maxy = summary["extent"]
        lines.append(
            f"extent: {minx:.0f} {miny:.0f} – {maxx:.0f} {maxy:.0f} "
            f"({(maxx - minx) / 1000:.1f} × {(maxy - miny) / 1000:.1f} km)"
        )
    has_data = summary["layers"] or summary["rasters"]
    lines.append("layers:" if has_data else "layers: none yet (use `twin import`)")
    for layer in summary["layers"]:
        geometry = "/".join(layer["geometry"]) or "no geometry"
        lines.append(f"  {layer['name']:<14} {layer['rows']:>8} rows  {geometry}")
    for raster in summary["rasters"]:
        rows, columns = raster["shape"]
        size = f"{raster['pixel_size_m']:g} m"
        lines.append(f"  {raster['name']:<14} raster {columns} x {rows} pixels of {size}")
    for column, counts in summary["buildings"].items():
        lines.append(f"buildings by {column}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    counts = [f"{level} {count}" for level, count in summary["hierarchy"].items() if count]
    if counts:
        lines.append("hierarchy: " + ", ".join(counts))
    if summary["orphans"]:
        lines.append(f"  {summary['orphans']} rows name a parent that is not in the project")
    if summary["provenance"]:
        lines.append("provenance:")
        for record in summary["provenance"]:
            layers = ", ".join(f"{k} {v}" for k, v in record["layers"].items()) or "no rows"
            lines.append(
                f"  {record['source']} ({record['importer']}, {record['imported_at']}"
                f", sha256 {record['sha256'][:12]}…): {layers}"
            )
    for stored in summary["files"]:
        lines.append(f"stored file: {stored['name']} ({stored['size_bytes'] / 1e6:.1f} MB)")
    return lines


def _geometry_types(frame: object) -> list[str]:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
        return []
    return sorted(set(frame.geom_type.dropna()))


def _building_counts(city: City) -> dict[str, dict[str, int]]:
    """Buildings counted by use and by height source (what an import report is judged on)."""
    if "buildings" not in city:
        return {}
    buildings = city.layer("buildings")
    return {
        column: {
            str(key): int(count)
            for key, count in buildings[column].fillna("(none)").value_counts().items()
        }
        for column in ("use", "height_source")
    }


def _level_name(level: Level | None) -> str | None:
    return None if level is None else level.name.lower()
