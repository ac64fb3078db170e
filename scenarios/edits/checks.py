"""Checks and small helpers shared by the edits: ids, geometries, new ids; and refusals.

Every check raises :class:`~twin.errors.InvalidInputError` with one line saying what is wrong
and what to do, and runs before the City changes: a
:class:`~scenarios.edits.refusals.RefusedError` made by :func:`refuse`, whose
:class:`~scenarios.edits.refusals.Refusal` (a code and the message's values) lets the app say
it in its language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from scenarios.edits.refusals import REFUSALS, Refusal, RefusedError, refusal_of, refuse
from twin.city import City

__all__ = [
    "REFUSALS",
    "Refusal",
    "RefusedError",
    "candidates",
    "check_near_data",
    "check_new_id",
    "existing_rows",
    "next_ids",
    "overlapping_buildings",
    "parse_wkt",
    "refusal_of",
    "refuse",
    "unique",
]

#: How far (m) from the project's data a new geometry may lie: farther, it is probably in
#: another CRS (degrees, another Lambert zone).
MAX_DISTANCE_FROM_DATA_M = 10_000.0
#: Overlap (m²) between a new footprint and an existing building above which it is refused.
MAX_OVERLAP_M2 = 1.0


def unique(ids: Iterable[str]) -> list[str]:
    """The ids once each, in their first order."""
    return list(dict.fromkeys(str(i) for i in ids))


def existing_rows(city: City, layer: str, ids: Sequence[str], what: str) -> np.ndarray:
    """Row positions of ``ids`` in ``layer``.

    Raises:
        InvalidInputError: the layer is missing, no id is given, or an id is not in the layer.
    """
    if not ids:
        raise refuse(
            "ids_none",
            f"no {what} given; list the ids of the {what}s to change.",
            what=what,
            layer=layer,
        )
    if layer not in city:
        raise refuse(
            "layer_missing",
            f"the project has no {layer} layer; import {what}s first.",
            what=what,
            layer=layer,
        )
    column = city.layer(layer)["id"].astype(str)
    hit = column.isin(ids).to_numpy()
    found = dict(zip(column.to_numpy()[hit], np.flatnonzero(hit), strict=True))
    positions = np.array([found.get(i, -1) for i in ids], dtype=np.int64)
    missing = [i for i in ids if i not in found]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise refuse(
            "id_unknown",
            f"no {what} '{missing[0]}'{more} in the project; check the ids "
            f"(the {layer} layer lists them).",
            what=what,
            layer=layer,
            id=missing[0],
            more=len(missing) - 1,
        )
    return positions


def parse_wkt(text: str, field: str, kinds: tuple[str, ...]) -> BaseGeometry:
    """A geometry from WKT whose type is one of ``kinds`` (``"Polygon"``, ``"Point"`` ...).

    Raises:
        InvalidInputError: not WKT, empty, of another type, or (polygons) not valid.
    """
    try:
        geometry = shapely.from_wkt(text)
    except GEOSException as error:
        raise refuse(
            "wkt_unreadable",
            f"{field} is not WKT ({error}); write e.g. 'POLYGON ((x1 y1, x2 y2, x3 y3, x1 y1))' "
            "in the project CRS, in metres.",
            field=field,
            error=str(error),
        ) from None
    if geometry is None or geometry.is_empty:
        raise refuse("geometry_empty", f"{field} is empty; give a geometry.", field=field)
    if geometry.geom_type not in kinds:
        raise refuse(
            "geometry_kind",
            f"{field} is a {geometry.geom_type}, not a {' or '.join(kinds)}; give one.",
            field=field,
            kind=geometry.geom_type,
            kinds=list(kinds),
        )
    if geometry.geom_type.endswith("Polygon") and not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise refuse(
            "polygon_invalid",
            f"{field} is not a valid polygon ({reason}); redraw it.",
            field=field,
            reason=reason,
        )
    return geometry


def check_near_data(city: City, geometry: BaseGeometry, field: str) -> None:
    """Refuse a geometry far from the project's data (probably in another CRS)."""
    extent = _data_extent(city)
    if extent is None:
        return
    distance = shapely.box(*extent).distance(geometry)
    if distance > MAX_DISTANCE_FROM_DATA_M:
        raise refuse(
            "too_far",
            f"{field} lies {distance / 1000:,.0f} km from the project's data; give coordinates "
            f"in the project CRS ({city.crs.to_string()}), in metres.",
            field=field,
            distance_km=round(distance / 1000),
            crs=city.crs.to_string(),
        )


def _data_extent(city: City) -> tuple[float, float, float, float] | None:
    """The extent of the territory or communes where known (small layers), else of all."""
    for layer in ("territory", "communes"):
        if layer in city and len(city.layer(layer)):
            bounds = city.layer(layer).total_bounds
            if np.all(np.isfinite(bounds)):
                return (float(bounds[0]), float(bounds[1]), float(bounds[2]), float(bounds[3]))
    return city.extent()


def candidates(frame: gpd.GeoDataFrame, geometry: BaseGeometry) -> np.ndarray:
    """Row positions whose bounding box meets the geometry's (a cheap first filter, without
    building a spatial index for a frame an edit is about to replace)."""
    bounds = shapely.bounds(frame.geometry.to_numpy())
    minx, miny, maxx, maxy = geometry.bounds
    hit = (bounds[:, 0] <= maxx) & (bounds[:, 2] >= minx) & (bounds[:, 1] <= maxy)
    hit &= bounds[:, 3] >= miny
    return np.flatnonzero(hit)


def next_ids(frame: gpd.GeoDataFrame | None, prefix: str, count: int) -> list[str]:
    """``count`` new ids ``PREFIX1``, ``PREFIX2`` ... after the highest one in ``frame``.

    Example:
        >>> import pandas as pd
        >>> next_ids(pd.DataFrame({"id": ["NEW-1", "NEW-7", "B2"]}), "NEW-", 2)
        ['NEW-8', 'NEW-9']
    """
    highest = 0
    if frame is not None and len(frame):
        ids = frame["id"].astype(str)
        tails = ids[ids.str.startswith(prefix)].str.slice(len(prefix))
        numbers = pd.to_numeric(tails[tails.str.fullmatch(r"\d+")], errors="coerce")
        highest = int(numbers.max()) if len(numbers) else 0
    return [f"{prefix}{highest + n}" for n in range(1, count + 1)]


def check_new_id(city: City, layer: str, new_id: str) -> None:
    """Refuse an id given for a new row that already exists."""
    if layer in city and (city.layer(layer)["id"].astype(str) == new_id).any():
        raise refuse(
            "id_taken",
            f"id '{new_id}' is already used in the {layer} layer; choose another or leave it "
            "empty for a new one.",
            layer=layer,
            id=new_id,
        )


def overlapping_buildings(city: City, footprint: BaseGeometry) -> list[str]:
    """Ids of the buildings a footprint overlaps by more than :data:`MAX_OVERLAP_M2`."""
    if "buildings" not in city or not len(city.layer("buildings")):
        return []
    buildings = city.layer("buildings")
    near = candidates(buildings, footprint)
    if not len(near):
        return []
    shapes = buildings.geometry.to_numpy()[near]
    areas = shapely.area(shapely.intersection(shapes, footprint))
    hit = near[areas > MAX_OVERLAP_M2]
    return buildings["id"].astype(str).to_numpy()[hit].tolist()
