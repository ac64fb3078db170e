"""Walking a CityJSON model's buildings: each Building with its BuildingPart descendants.

For each building the LoD to read is chosen (the highest by default) and the geometries at that
LoD, its own and its parts', go into a :class:`~importers.cityjson_geometry.SurfaceCollector`.
Objects that are not buildings are counted by type; broken ones are reported and skipped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from importers.cityjson_document import CityModel
from importers.cityjson_geometry import (
    AREAL_TYPES,
    BrokenGeometryError,
    SurfaceCollector,
    choose_lod,
    lod_label,
)
from twin.errors import InvalidInputError
from twin.feedback import Feedback
from twin.issues import Issue, Severity


@dataclass
class BuildingRow:
    """One building found: its id, the LoD read and its (the Building's) attributes."""

    id: str
    lod: str
    attributes: dict[str, Any]


def collect(
    model: CityModel, source: str, issues: list[Issue], feedback: Feedback
) -> tuple[list[BuildingRow], SurfaceCollector]:
    """Walk buildings and their parts; put their chosen-LoD surfaces into a collector."""
    objects = model.objects
    parts_of = {
        oid: _parts(objects, oid) for oid, o in objects.items() if o.get("type") == "Building"
    }
    in_buildings = {part for parts in parts_of.values() for part in parts}
    for oid, obj in objects.items():
        if obj.get("type") == "BuildingPart" and oid not in in_buildings:
            issues.append(
                Issue(
                    Severity.WARNING,
                    "orphan_building_part",
                    "BuildingPart without a Building parent; imported as a building",
                    source,
                    oid,
                )
            )
            parts_of[oid] = _parts(objects, oid)
    skipped = Counter(
        str(o.get("type"))
        for o in objects.values()
        if o.get("type") not in ("Building", "BuildingPart")
    )
    for kind, count in sorted(skipped.items()):
        issues.append(
            Issue(
                Severity.INFO,
                "skipped_city_objects",
                f"{count} {kind} object(s) are not buildings; not imported",
                source,
                kind,
            )
        )
    rows: list[BuildingRow] = []
    collected = SurfaceCollector()
    for done, (oid, parts) in enumerate(parts_of.items()):
        if done % 2000 == 0:
            feedback.raise_if_cancelled()
        row = _add_building(model, oid, parts, collected, source, issues)
        if row is not None:
            rows.append(row)
    return rows, collected


def _parts(objects: dict[str, dict[str, Any]], root: str) -> list[str]:
    """The BuildingPart descendants of ``root`` (children of children too), each once."""
    found: list[str] = []
    todo = list(objects[root].get("children") or [])
    seen = {root}
    while todo:
        child = todo.pop()
        if not isinstance(child, str) or child in seen:
            continue
        if objects.get(child, {}).get("type") != "BuildingPart":
            continue
        seen.add(child)
        found.append(child)
        todo.extend(objects[child].get("children") or [])
    return found


def _add_building(
    model: CityModel,
    oid: str,
    parts: list[str],
    collected: SurfaceCollector,
    source: str,
    issues: list[Issue],
) -> BuildingRow | None:
    candidates: list[tuple[str, tuple[dict[str, Any], int, int]]] = []
    others: set[str] = set()
    try:
        for member in (oid, *parts):
            offset, count = model.span(member)
            for geometry in model.objects[member].get("geometry") or []:
                if geometry.get("type") in AREAL_TYPES:
                    candidates.append((lod_label(geometry.get("lod")), (geometry, offset, count)))
                else:
                    others.add(str(geometry.get("type")))
        if not candidates:
            detail = f" (only {', '.join(sorted(others))})" if others else ""
            issues.append(
                Issue(
                    Severity.ERROR,
                    "no_geometry",
                    f"building without surfaces{detail}; left out",
                    source,
                    oid,
                )
            )
            return None
        lod = choose_lod(sorted({label for label, _ in candidates}))
        chosen = [triple for label, triple in candidates if label == lod]
        _report_parts_without(lod, chosen, parts, model, source, issues)
        added = collected.add(chosen)
    except (BrokenGeometryError, ValueError, AttributeError, TypeError) as exc:
        issues.append(
            Issue(
                Severity.ERROR,
                "invalid_city_object",
                f"geometry cannot be read ({exc}); left out",
                source,
                oid,
            )
        )
        return None
    except IndexError as exc:
        raise InvalidInputError(
            f"{source}: city object '{oid}' uses {exc}; the file is damaged or truncated: "
            "download or export it again.",
            code="file_damaged",
            values={"file": source, "detail": f"city object '{oid}' uses {exc}"},
        ) from exc
    if not added:
        issues.append(
            Issue(
                Severity.ERROR,
                "no_geometry",
                "building with empty geometry; left out",
                source,
                oid,
            )
        )
        return None
    attributes = model.objects[oid].get("attributes")
    return BuildingRow(oid, lod, attributes if isinstance(attributes, dict) else {})


def _report_parts_without(
    lod: str,
    chosen: list[tuple[dict[str, Any], int, int]],
    parts: list[str],
    model: CityModel,
    source: str,
    issues: list[Issue],
) -> None:
    """BuildingParts with geometry, but none at the building's LoD, are missing from it."""
    used = {id(geometry) for geometry, _, _ in chosen}
    for part in parts:
        geometries = model.objects[part].get("geometry") or []
        if geometries and not any(id(geometry) in used for geometry in geometries):
            issues.append(
                Issue(
                    Severity.WARNING,
                    "part_without_lod",
                    f"BuildingPart has no LoD {lod} geometry like the rest of its building; "
                    "left out of the footprint and height",
                    source,
                    part,
                )
            )
