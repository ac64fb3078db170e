"""Georeferences from IfcRigidOperation (IFC4X3) and from the site's latitude and longitude."""

from __future__ import annotations

import math

import ifcopenshell
import ifcopenshell.util.placement
import ifcopenshell.util.unit
import numpy as np

from importers.ifc_crs import (
    Georeference,
    after_wcs,
    axis_unit_m,
    local_tangent_crs,
    parse_crs,
    site_latitude_longitude,
)
from twin.issues import Issue, Severity


def rigid_operation(
    model: ifcopenshell.file, name: str, unit_scale: float, issues: list[Issue]
) -> Georeference | None:
    if model.schema in ("IFC2X3", "IFC4"):
        return None
    operations = model.by_type("IfcRigidOperation")
    if not operations:
        return None
    operation = operations[0]
    target = operation.TargetCRS
    first, second = operation.FirstCoordinate, operation.SecondCoordinate
    crs = parse_crs(str(target.Name or ""), name, "IfcRigidOperation")
    geographic = target.is_a("IfcGeographicCRS") or first.is_a("IfcPlaneAngleMeasure")
    if geographic:
        unit = getattr(target, "AngleUnit", None)
        radians = (
            ifcopenshell.util.unit.get_named_unit_scale(unit)
            if unit
            else ifcopenshell.util.unit.calculate_unit_scale(model, "PLANEANGLEUNIT")
        )
        lon = math.degrees(float(first.wrappedValue) * radians)
        lat = math.degrees(float(second.wrappedValue) * radians)
        height_unit = getattr(target, "HeightUnit", None)
        height_m = float(operation.Height or 0.0) * (
            ifcopenshell.util.unit.get_named_unit_scale(height_unit) if height_unit else 1.0
        )
        matrix = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, height_m]])
        source, model_crs = local_tangent_crs(lat, lon), f"{crs.to_string()} (lon {lon}, lat {lat})"
    else:
        unit = getattr(target, "MapUnit", None)
        map_unit_m = ifcopenshell.util.unit.get_named_unit_scale(unit) if unit else axis_unit_m(crs)
        east, north = float(first.wrappedValue), float(second.wrappedValue)
        k = 1.0 / map_unit_m
        height_m = float(operation.Height or 0.0) * map_unit_m
        matrix = np.array([[k, 0, 0, east], [0, k, 0, north], [0, 0, 1.0, height_m]])
        source, model_crs = crs, crs.to_string()
    details = {"model_crs": model_crs, "first": float(first.wrappedValue)}
    details["second"] = float(second.wrappedValue)
    matrix = after_wcs(model, matrix, unit_scale)
    return Georeference("rigid_operation", matrix, source, True, details)


def site_placement(
    model: ifcopenshell.file, name: str, unit_scale: float, issues: list[Issue]
) -> Georeference | None:
    found = site_latitude_longitude(model)
    if found is None:
        return None
    site, lat, lon = found
    origin = np.zeros(3)
    if site.ObjectPlacement is not None:
        origin = ifcopenshell.util.placement.get_local_placement(site.ObjectPlacement)[:3, 3]
        origin = origin * unit_scale
    north = _true_north(model)
    east = np.array([north[1], -north[0]])
    elevation_m = float(site.RefElevation or 0.0) * unit_scale
    matrix = np.array(
        [
            [east[0], east[1], 0.0, -float(east @ origin[:2])],
            [north[0], north[1], 0.0, -float(north @ origin[:2])],
            [0.0, 0.0, 1.0, elevation_m - origin[2]],
        ]
    )
    rotation = math.degrees(math.atan2(north[1], north[0])) - 90.0
    issues.append(
        Issue(
            Severity.WARNING,
            "approximate_placement",
            f"placed from the site's latitude/longitude ({lat:.6f}, {lon:.6f}) and true north "
            f"({rotation:+.1f}°): approximate (often rounded, or the office's address); check "
            "it on the map and give the exact place with --at X,Y[,Z] --rotation DEG, or add "
            "an IfcMapConversion to the model",
            name,
            str(site.GlobalId),
        )
    )
    details = {"model_crs": f"EPSG:4326 (lat {lat:.7f}, lon {lon:.7f})", "latitude": lat}
    details |= {"longitude": lon, "ref_elevation_m": elevation_m, "true_north_deg": rotation}
    return Georeference(
        "site_latitude_longitude", matrix, local_tangent_crs(lat, lon), True, details
    )


def _true_north(model: ifcopenshell.file) -> np.ndarray:
    """Unit vector of true north in model x, y (the Model context's TrueNorth, else +y)."""
    contexts = model.by_type("IfcGeometricRepresentationContext", include_subtypes=False)
    for context in sorted(contexts, key=lambda c: c.ContextType != "Model"):
        if context.TrueNorth is not None:
            ratios = np.array(context.TrueNorth.DirectionRatios[:2], dtype=np.float64)
            norm = float(np.hypot(*ratios))
            if norm > 0:
                return ratios / norm
    return np.array([0.0, 1.0])
