"""Where an IFC model lies on the map: from its model coordinates (metres) to the target CRS.

Tried in this order (the first found wins; ``--at`` overrides them all):

1. ``IfcMapConversion`` to an ``IfcProjectedCRS`` (IFC4, IFC4X3), or the ``ePSet_MapConversion``
   and ``ePSet_ProjectedCRS`` property sets of IFC2X3 (on the project or the site);
2. ``IfcRigidOperation`` (IFC4X3), to a projected or a geographic CRS;
3. ``IfcSite`` RefLatitude / RefLongitude / RefElevation with the context's TrueNorth:
   approximate, reported as ``approximate_placement``.

The result is an affine map (model metres → the model CRS's x, y units and metres of height)
followed, when the model CRS is not the target, by a pyproj transformation of x and y; both
are applied to all vertices at once. See docs/formats/ifc.md.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import ifcopenshell
import ifcopenshell.util.element
import ifcopenshell.util.placement
import ifcopenshell.util.unit
import numpy as np

from importers.base import ImportOptions
from importers.ifc_crs import (
    Georeference,
    after_wcs,
    axis_unit_m,
    local_tangent_crs,
    parse_crs,
    site_latitude_longitude,
)
from importers.ifc_georef_site import rigid_operation, site_placement
from twin.errors import CrsError, InvalidInputError
from twin.issues import Issue, Severity

logger = logging.getLogger(__name__)

#: A map scale (map metres per model metre) outside this range is a unit mix-up, not a scale.
PLAUSIBLE_SCALE = (0.9, 1.1)


def georeference(
    model: ifcopenshell.file,
    name: str,
    options: ImportOptions,
    unit_scale: float,
    issues: list[Issue],
) -> Georeference:
    """The georeference of ``model`` (lengths in metres after ``unit_scale``).

    Raises:
        InvalidInputError: the model has no georeferencing and no ``--at`` was given.
        CrsError: the model's CRS is unknown to PROJ and nothing else places it.
    """
    if options.placement_xyz is not None:
        if _has_conversion(model) or site_latitude_longitude(model) is not None:
            issues.append(
                Issue(
                    Severity.INFO,
                    "georeferencing_overridden",
                    "the file's own georeferencing is ignored: --at was given",
                    name,
                )
            )
        return _placement(options)
    unknown_crs: list[CrsError] = []
    for reader in (_map_conversion, rigid_operation):
        try:
            found = reader(model, name, unit_scale, issues)
        except CrsError as exc:
            unknown_crs.append(exc)
            continue
        if found is not None:
            return found
    found = site_placement(model, name, unit_scale, issues)
    if found is not None:
        for error in unknown_crs:
            issues.append(Issue(Severity.WARNING, "crs_unknown", str(error), name))
        return found
    if unknown_crs:  # the first one, with its code and values
        first = unknown_crs[0]
        raise CrsError(str(first), code=first.code, values=first.values)
    raise InvalidInputError(
        f"{name} has no georeferencing (no IfcMapConversion, no site latitude/longitude); give "
        "its place with --at X,Y[,Z] --rotation DEG",
        code="ifc_no_georef",
        values={"file": name},
    )


def _placement(options: ImportOptions) -> Georeference:
    x, y, z = (float(v) for v in options.placement_xyz or (0.0, 0.0, 0.0))
    height_known = math.isfinite(z)
    angle = math.radians(options.rotation_deg)
    c, s = math.cos(angle), math.sin(angle)
    matrix = np.array([[c, -s, 0.0, x], [s, c, 0.0, y], [0.0, 0.0, 1.0, z if height_known else 0]])
    details: dict[str, Any] = {"placement_xyz": [x, y, z if height_known else None]}
    details["rotation_deg"] = options.rotation_deg
    return Georeference("placement_option", matrix, None, height_known, details)


def _has_conversion(model: ifcopenshell.file) -> bool:
    if model.schema == "IFC2X3":
        return bool(_pset_2x3(model, "ePSet_MapConversion"))
    return bool(model.by_type("IfcMapConversion"))


def _map_conversion(
    model: ifcopenshell.file, name: str, unit_scale: float, issues: list[Issue]
) -> Georeference | None:
    if model.schema == "IFC2X3":
        values = _pset_2x3(model, "ePSet_MapConversion")
        crs_values = _pset_2x3(model, "ePSet_ProjectedCRS")
        if not values:
            return None
        crs_name, map_unit = str(crs_values.get("Name") or ""), None
        factors: tuple[float, ...] = (1.0, 1.0, 1.0)
    else:
        conversions = model.by_type("IfcMapConversion")
        if not conversions:
            return None
        conversion = next(
            (c for c in conversions if getattr(c.SourceCRS, "ContextType", None) == "Model"),
            conversions[0],
        )
        values = conversion.get_info(recursive=False)
        target = conversion.TargetCRS
        crs_name, map_unit = str(target.Name or ""), getattr(target, "MapUnit", None)
        factors = tuple(
            float(getattr(conversion, a, None) or 1.0) for a in ("FactorX", "FactorY", "FactorZ")
        )
    crs = parse_crs(crs_name, name, "IfcMapConversion")
    geographic = crs.is_geographic  # Eastings/Northings are then a longitude and a latitude
    map_unit_m = (
        1.0
        if geographic
        else ifcopenshell.util.unit.get_named_unit_scale(map_unit)
        if map_unit
        else axis_unit_m(crs)
    )
    scale = _map_scale(float(values.get("Scale") or 1.0), unit_scale, map_unit_m, name, issues)
    abscissa = float(values.get("XAxisAbscissa") or 0.0)
    ordinate = float(values.get("XAxisOrdinate") or 0.0)
    theta = math.atan2(ordinate, abscissa) if (abscissa or ordinate) else 0.0
    c, s = math.cos(theta), math.sin(theta)
    kx, ky, kz = (scale * f for f in factors)
    eastings, northings = (
        float(values.get("Eastings") or 0.0),
        float(values.get("Northings") or 0.0),
    )
    height = float(values.get("OrthogonalHeight") or 0.0)
    source = local_tangent_crs(northings, eastings) if geographic else crs
    x0, y0 = (0.0, 0.0) if geographic else (eastings, northings)
    matrix = np.array(
        [
            [kx * c, -ky * s, 0.0, x0],
            [kx * s, ky * c, 0.0, y0],
            [0.0, 0.0, kz * map_unit_m, height * map_unit_m],
        ]
    )
    details = {
        "model_crs": crs.to_string(),
        "crs_name": crs_name,
        "eastings": eastings,
        "northings": northings,
        "orthogonal_height": height,
        "rotation_deg": math.degrees(theta),
        "scale": scale * map_unit_m,
        "map_unit_m": map_unit_m,
    }
    matrix = after_wcs(model, matrix, unit_scale)
    return Georeference("map_conversion", matrix, source, True, details)


def _map_scale(
    scale: float, unit_scale: float, map_unit_m: float, name: str, issues: list[Issue]
) -> float:
    """Map units per model metre, reading IfcMapConversion.Scale the way the units allow.

    IFC4 says Scale converts model units to map units (0.001 for millimetres to metres);
    files also write it as a pure scale factor (units converted apart), or inverted. The
    reading that gives a plausible scale (0.9 to 1.1 map metres per model metre) is kept;
    if none does, the units alone decide and the Scale is reported as ignored.
    """
    if scale <= 0 or not math.isfinite(scale):
        scale = 1.0
    as_units = scale * map_unit_m / unit_scale  # map metres per model metre, IFC4 reading
    low, high = PLAUSIBLE_SCALE
    if low <= as_units <= high:
        return scale / unit_scale
    if low <= scale <= high:
        return scale / map_unit_m
    issues.append(
        Issue(
            Severity.WARNING,
            "map_scale_ignored",
            f"IfcMapConversion Scale {scale:g} would make the model {as_units:g} times its size "
            f"(model unit {unit_scale:g} m, map unit {map_unit_m:g} m); the units alone are used "
            "(1 m in the model = 1 m on the map): check the placement",
            name,
        )
    )
    return 1.0 / map_unit_m


def _pset_2x3(model: ifcopenshell.file, pset: str) -> dict[str, Any]:
    """An IFC2X3 georeferencing property set, from the project or else the site."""
    for product in [*model.by_type("IfcProject"), *model.by_type("IfcSite")]:
        values = ifcopenshell.util.element.get_pset(product, pset)
        if values:
            return dict(values)
    return {}
