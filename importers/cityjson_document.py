"""Decoding CityJSON files: JSON or CityJSONSeq, version, vertices, coordinate system.

The vertices of the whole file are decoded in one numpy step (``v * scale + translate``).
A CityJSONSeq's features number their own vertices: each object remembers where its feature's
vertices start (:meth:`CityModel.span`), so boundaries are never rewritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS
from pyproj.exceptions import CRSError

from importers.base import ImportOptions
from twin.errors import CrsError, InvalidInputError
from twin.issues import Issue, Severity

SUPPORTED_VERSIONS = ("1.1", "2.0")


@dataclass
class CityModel:
    """A CityJSON document decoded: its header, city objects and real-world vertices."""

    header: dict[str, Any]
    objects: dict[str, dict[str, Any]]
    vertices: np.ndarray
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # CityJSONSeq only
    issues: list[Issue] = field(default_factory=list)

    def span(self, object_id: str) -> tuple[int, int]:
        """(first vertex, vertex count) an object's indices refer to."""
        return self.spans.get(object_id, (0, len(self.vertices)))


def load(path: Path) -> CityModel:
    """Decode a CityJSON file or CityJSONSeq, check its version, decode its vertices.

    Raises:
        InvalidInputError: not JSON, not CityJSON 1.1/2.0, no CityObjects or vertices.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{path.name} is not UTF-8 text, so not CityJSON; check that it is the right file, "
            "or export it again as CityJSON.",
            code="format_not_importer",
            values={"file": path.name, "importer": "cityjson"},
        ) from exc
    try:
        document = json.loads(text)
        features: list[dict[str, Any]] = []
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise InvalidInputError(
                f"{path.name} is not valid JSON ({exc.msg} at line {exc.lineno}, column "
                f"{exc.colno}); the file is damaged or truncated: download or export it again.",
                code="json_invalid",
                values={"file": path.name, "detail": f"{exc.msg}, {exc.lineno}:{exc.colno}"},
            ) from exc
        document, features = _sequence(text, path)
    if not isinstance(document, dict) or document.get("type") != "CityJSON":
        raise InvalidInputError(
            f'{path.name} is JSON but not CityJSON (no "type": "CityJSON"); check that it is the '
            "right file, or export it again as CityJSON.",
            code="format_not_importer",
            values={"file": path.name, "importer": "cityjson"},
        )
    version = str(document.get("version", ""))
    if not any(version == v or version.startswith(v + ".") for v in SUPPORTED_VERSIONS):
        raise InvalidInputError(
            f"{path.name} is CityJSON version '{version}', which is not supported (supported: "
            f"{', '.join(SUPPORTED_VERSIONS)}); upgrade it, e.g. `cjio {path.name} upgrade save "
            "upgraded.city.json`.",
            code="cityjson_version",
            values={"file": path.name, "version": version, "supported": list(SUPPORTED_VERSIONS)},
        )
    for key, kind in (("CityObjects", dict), ("vertices", list)):
        if not isinstance(document.get(key), kind):
            raise InvalidInputError(
                f'{path.name} has no "{key}"; a CityJSON file needs it: the file is damaged '
                "or was not written as CityJSON: export it again.",
                code="cityjson_member_missing",
                values={"file": path.name, "member": key},
            )
    if not features:
        vertices = _vertices(document["vertices"], document, path)
        model = CityModel(document, document["CityObjects"], vertices)
    else:
        model = _merge_features(document, features, path)
    _drop_non_objects(model, path.name)
    return model


def _drop_non_objects(model: CityModel, source: str) -> None:
    """City objects must be JSON objects; anything else is reported and left out."""
    for object_id in [k for k, v in model.objects.items() if not isinstance(v, dict)]:
        del model.objects[object_id]
        model.issues.append(
            Issue(
                Severity.ERROR,
                "invalid_city_object",
                "not a JSON object; left out",
                source,
                object_id,
            )
        )


def _sequence(text: str, path: Path) -> tuple[Any, list[dict[str, Any]]]:
    """A CityJSONSeq: one CityJSON header line, then one CityJSONFeature per line."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    decoded = []
    for number, line in lines:
        try:
            decoded.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InvalidInputError(
                f"{path.name} line {number} is not valid JSON ({exc.msg}); neither a CityJSON "
                "file nor a CityJSONSeq: the file is damaged or truncated: export it again.",
                code="cityjson_line_damaged",
                values={"file": path.name, "line": number},
            ) from exc
    return decoded[0], decoded[1:]


def _merge_features(header: dict[str, Any], features: list[Any], path: Path) -> CityModel:
    objects: dict[str, dict[str, Any]] = dict(header["CityObjects"])
    spans: dict[str, tuple[int, int]] = {}
    raw: list[Any] = list(header["vertices"])
    issues: list[Issue] = []
    for number, feature in enumerate(features, 2):
        if not isinstance(feature, dict) or feature.get("type") != "CityJSONFeature":
            raise InvalidInputError(
                f"{path.name} line {number} is not a CityJSONFeature; the CityJSONSeq file is "
                "damaged: export it again.",
                code="cityjson_line_damaged",
                values={"file": path.name, "line": number},
            )
        found = feature.get("CityObjects")
        found_vertices = feature.get("vertices")
        if not isinstance(found, dict) or not isinstance(found_vertices, list):
            raise InvalidInputError(
                f'{path.name} line {number}: a CityJSONFeature needs "CityObjects" and '
                '"vertices"; the file is damaged: export it again.',
                code="cityjson_line_damaged",
                values={"file": path.name, "line": number},
            )
        span = (len(raw), len(found_vertices))
        raw.extend(found_vertices)
        for object_id, city_object in found.items():
            if object_id in objects:
                issues.append(
                    Issue(
                        Severity.WARNING,
                        "duplicate_city_object",
                        f"id given again on line {number}; the first kept",
                        path.name,
                        object_id,
                    )
                )
                continue
            objects[object_id] = city_object
            spans[object_id] = span
    model = CityModel(header, objects, _vertices(raw, header, path), spans, issues)
    return model


def _vertices(raw: list[Any], header: dict[str, Any], path: Path) -> np.ndarray:
    """All vertices as float64 (n, 3) in real-world units: ``v * scale + translate``."""
    try:
        vertices = np.asarray(raw, dtype=np.float64).reshape(-1, 3) if raw else np.zeros((0, 3))
        if raw and len(vertices) != len(raw):
            raise ValueError("not triples")
        transform = header.get("transform")
        if transform is not None:
            scale = np.asarray(transform["scale"], dtype=np.float64).reshape(3)
            translate = np.asarray(transform["translate"], dtype=np.float64).reshape(3)
            vertices = vertices * scale + translate
        if not np.isfinite(vertices).all():
            raise ValueError("not finite")
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise InvalidInputError(
            f"{path.name}: its vertices are not [x, y, z] triples of finite numbers or its "
            '"transform" lacks a 3-number scale and translate; the file is damaged: export it '
            "again.",
            code="cityjson_vertices",
            values={"file": path.name},
        ) from exc
    return vertices


def source_crs(
    header: dict[str, Any], path: Path, options: ImportOptions, issues: list[Issue]
) -> tuple[CRS, str]:
    """The horizontal CRS of the file (a compound CRS's first part) and its vertical CRS name."""
    declared = (header.get("metadata") or {}).get("referenceSystem")
    crs = options.source_crs
    if declared:
        try:
            crs = CRS.from_user_input(str(declared))
        except CRSError as exc:
            if options.source_crs is None:
                raise CrsError(
                    f"{path.name} declares the coordinate system '{declared}', which is not "
                    "known; give the right one with --crs EPSG:XXXX.",
                    code="crs_unknown_declared",
                    values={"file": path.name, "crs": str(declared)},
                ) from exc
        else:
            if options.source_crs is not None and not CRS(options.source_crs).equals(crs):
                issues.append(
                    Issue(
                        Severity.INFO,
                        "crs_option_ignored",
                        f"the file declares {declared}; --crs was not used",
                        path.name,
                    )
                )
    if crs is None:
        raise CrsError(
            f"{path.name} declares no coordinate system (metadata.referenceSystem); give it with "
            "--crs EPSG:XXXX (for example --crs EPSG:2154 for Lambert-93).",
            code="crs_missing",
            values={"file": path.name},
        )
    vertical = ""
    if crs.is_compound:
        vertical = crs.sub_crs_list[1].name if len(crs.sub_crs_list) > 1 else ""
        crs = crs.sub_crs_list[0]
    if crs.is_vertical:
        raise CrsError(
            f"{path.name} declares only a vertical CRS; give the horizontal one with --crs.",
            code="crs_vertical_only",
            values={"file": path.name},
        )
    return (crs.to_2d() if len(crs.axis_info) > 2 else crs), vertical
