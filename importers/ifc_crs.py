"""Coordinate systems and georeferences of IFC models: the Georeference transform (model metres
to the target CRS, vectorised), CRS names, the site's latitude and longitude."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import ifcopenshell
import ifcopenshell.util.placement
import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from twin.errors import CrsError

_EPSG = re.compile(r"EPSG\D{0,3}(\d{4,6})", re.IGNORECASE)


def parse_crs(name: str, source: str, where: str) -> CRS:
    """The horizontal CRS named ``name`` (``EPSG:25832``, ``urn:ogc:def:crs:EPSG::2154`` ...).

    >>> parse_crs("EPSG:2154", "m.ifc", "IfcMapConversion").to_epsg()
    2154
    >>> parse_crs("urn:ogc:def:crs:EPSG::25832", "m.ifc", "IfcMapConversion").to_epsg()
    25832

    Raises:
        CrsError: PROJ does not know the name.
    """
    candidates = [name.strip()]
    match = _EPSG.search(name)
    if match:
        candidates.insert(0, f"EPSG:{match.group(1)}")
    for candidate in candidates:
        if not candidate:
            continue
        try:
            crs = CRS.from_user_input(candidate)
        except CRSError:
            continue
        if crs.is_compound:
            crs = crs.sub_crs_list[0]
        return crs
    raise CrsError(
        f"{source}: the CRS of its {where} ({name!r}) is unknown to PROJ; write its EPSG code "
        "as the CRS name (e.g. EPSG:2154), or give the place with --at X,Y[,Z] --rotation DEG",
        code="ifc_crs_unknown",
        values={"file": source, "entity": where, "crs": name},
    )


def axis_unit_m(crs: CRS) -> float:
    """Metres per unit of the CRS's first axis (1 for metres, 0.3048006 for US feet)."""
    axes = crs.axis_info
    if axes and axes[0].unit_conversion_factor and axes[0].unit_name not in ("degree", "radian"):
        return float(axes[0].unit_conversion_factor)
    return 1.0


def local_tangent_crs(latitude: float, longitude: float) -> CRS:
    """A transverse Mercator CRS in metres centred on (latitude, longitude), WGS 84.

    Model metres east and north of the point are coordinates in it (scale 1 at the centre).
    """
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0={latitude!r} +lon_0={longitude!r} +k=1 +x_0=0 +y_0=0 "
        "+datum=WGS84 +units=m +no_defs +type=crs"
    )


def compound_degrees(value: object) -> float | None:
    """Decimal degrees of an IfcCompoundPlaneAngleMeasure (degrees, minutes, seconds[, µs]).

    >>> round(compound_degrees((49, 6, 1, 566000)), 6), round(compound_degrees((-87, -38, -21)), 4)
    (49.100435, -87.6392)
    """
    if not isinstance(value, (tuple, list)) or not value:
        return None
    parts = [float(v) for v in value] + [0.0] * (4 - len(value))
    degrees, minutes, seconds, micro = parts[:4]
    return degrees + minutes / 60.0 + (seconds + micro / 1e6) / 3600.0


def site_latitude_longitude(
    model: ifcopenshell.file,
) -> tuple[ifcopenshell.entity_instance, float, float] | None:
    """(site, latitude, longitude) of the first IfcSite with a usable RefLatitude/RefLongitude.

    (0, 0) is taken as "not set": exporters write it by default.
    """
    for site in model.by_type("IfcSite"):
        lat = compound_degrees(site.RefLatitude)
        lon = compound_degrees(site.RefLongitude)
        if lat is None or lon is None or (lat == 0.0 and lon == 0.0):
            continue
        if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
            return site, lat, lon
    return None


@dataclass(frozen=True)
class Georeference:
    """How model coordinates (metres) become target-CRS coordinates.

    Attributes:
        method: ``placement_option``, ``map_conversion``, ``rigid_operation`` or
            ``site_latitude_longitude``.
        matrix: (3, 4) affine from model metres to (x, y) in ``source_crs`` units and z in
            metres of the height system.
        source_crs: the CRS of the affine's x, y; None when it already is the target CRS.
        height_known: False when no altitude is known (``--at X,Y`` without Z).
        details: what was read, for the provenance.
    """

    method: str
    matrix: np.ndarray
    source_crs: CRS | None = None
    height_known: bool = True
    details: dict[str, Any] = field(default_factory=dict)
    _transformer: Transformer | None = None

    def with_target(self, target_crs: CRS) -> Georeference:
        """The same georeference, with the pyproj transformation to ``target_crs`` ready."""
        if self.source_crs is None or self.source_crs.equals(target_crs):
            return Georeference(self.method, self.matrix, None, self.height_known, self.details)
        transformer = _transformer(self.source_crs.to_wkt(), target_crs.to_wkt())
        return Georeference(
            self.method, self.matrix, self.source_crs, self.height_known, self.details, transformer
        )

    def to_target(self, xyz: np.ndarray) -> np.ndarray:
        """(n, 3) float64 target-CRS coordinates of (n, 3) model coordinates in metres.

        >>> geo = Georeference("placement_option", np.array([[0.0, -1, 0, 10], [1, 0, 0, 20],
        ...                                                 [0, 0, 1, 5]]))
        >>> geo.to_target(np.array([[1.0, 0.0, 2.0]])).tolist()
        [[10.0, 21.0, 7.0]]
        """
        xyz = np.asarray(xyz, dtype=np.float64).reshape(-1, 3)
        # Term by term, not with a matrix product: BLAS may round a row differently depending
        # on where it falls in the array, and meshes streamed in batches must not change.
        m = self.matrix
        out = np.empty_like(xyz)
        for row in range(3):
            out[:, row] = (
                xyz[:, 0] * m[row, 0] + xyz[:, 1] * m[row, 1] + xyz[:, 2] * m[row, 2] + m[row, 3]
            )
        if self._transformer is not None and len(out):
            x, y = self._transformer.transform(out[:, 0], out[:, 1])
            out[:, 0], out[:, 1] = x, y
        return out


@functools.lru_cache(maxsize=32)
def _transformer(source_wkt: str, target_wkt: str) -> Transformer:
    """A cached pyproj transformer (making one costs ~20 ms)."""
    return Transformer.from_crs(CRS(source_wkt), CRS(target_wkt), always_xy=True)


def after_wcs(model: ifcopenshell.file, matrix: np.ndarray, unit_scale: float) -> np.ndarray:
    """Compose with the inverse of the context's WorldCoordinateSystem, like ifcopenshell's
    geolocation utilities: the map conversion places the WCS origin."""
    wcs = None
    for context in model.by_type("IfcGeometricRepresentationContext", include_subtypes=False):
        wcs = context.WorldCoordinateSystem
        if context.ContextType == "Model":
            break
    if wcs is None or not wcs.is_a("IfcAxis2Placement3D"):
        return matrix
    placement = ifcopenshell.util.placement.get_axis2placement(wcs)
    placement[:3, 3] *= unit_scale
    if np.allclose(placement, np.eye(4)):
        return matrix
    return (np.vstack([matrix, [0.0, 0.0, 0.0, 1.0]]) @ np.linalg.inv(placement))[:3]
