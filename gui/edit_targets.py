"""What the editing tools act on, read from the City shown (no Qt): the buildings of the
selection, the parcel under a clicked point, a footprint from clicked points, and the figures a
new building's dialog previews (footprint, floor area, dwellings) by the edit's own rules.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gui.selection import highlight_for
from scenarios.assumptions import Assumptions
from scenarios.edits.housing import dwellings_for, parse_use_mix
from scenarios.edits.refusals import refuse
from twin.city import City
from twin.levels import Level

PARCELS = "parcels"
MIN_FOOTPRINT_M2 = 1.0  # what the add_building edit accepts
SAME_POINT_M = 0.01  # clicked points closer than this are one point


def selected_buildings(city: City | None, object_id: str | None) -> list[str]:
    """The buildings a selection stands for: a building itself; the building of a storey, a
    room or an IFC element; every building of a parcel, district or commune.

    Example:
        >>> selected_buildings(None, "B1"), selected_buildings(City(), None)
        ([], [])
    """
    if city is None or object_id is None or "buildings" not in city:
        return []
    return [str(i) for i in highlight_for(city, object_id).get("buildings", [])]


def level_of(city: City | None, object_id: str | None) -> Level | None:
    """The hierarchy level of a selected id (None for none, or an IFC element)."""
    if city is None or object_id is None or object_id not in city.hierarchy:
        return None
    return city.hierarchy.level_of(object_id)


def parcel_at(city: City | None, x: float, y: float) -> str | None:
    """The id of the parcel holding point (x, y) of the project CRS, or None.

    Example:
        >>> import geopandas as gpd
        >>> from shapely.geometry import box
        >>> city = City()
        >>> city.set_layer("parcels", gpd.GeoDataFrame({"id": ["P1", "P2"]},
        ...     geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:2154"))
        >>> parcel_at(city, 15, 5), parcel_at(city, 30, 5)
        ('P2', None)
    """
    if city is None or PARCELS not in city or not len(city.layer(PARCELS)):
        return None
    frame = city.layer(PARCELS)
    hits = frame.sindex.query(shapely.Point(x, y), predicate="intersects")
    return str(frame["id"].iloc[int(np.min(hits))]) if len(hits) else None


def parcel_geometry(city: City, parcel_id: str) -> BaseGeometry | None:
    """The outline of a parcel, or None if the City has no such parcel."""
    if PARCELS not in city:
        return None
    frame = city.layer(PARCELS)
    rows = np.flatnonzero(frame["id"].astype(str).to_numpy() == parcel_id)
    return frame.geometry.iloc[int(rows[0])] if len(rows) else None


def footprint_on_parcel(parcel: BaseGeometry, setback_m: float) -> BaseGeometry:
    """The footprint a parcel leaves with a setback from its limits (as the add_building edit
    computes it: the outline moved inwards, mitred corners).

    Example:
        >>> from shapely.geometry import box
        >>> round(footprint_on_parcel(box(0, 0, 20, 30), 3.0).area, 6)
        336.0
    """
    return shapely.force_2d(parcel.buffer(-setback_m, join_style="mitre"))


def polygon_from_points(points: Sequence[Sequence[float]]) -> BaseGeometry:
    """A footprint from the points clicked (x, y, z ignored), refused in one line when it is
    not a valid polygon of at least 1 m².

    Example:
        >>> polygon_from_points([(0, 0, 5), (10, 0, 5), (10, 10, 5), (0, 10, 5)]).area
        100.0
        >>> corners = [(668046, 6357099), (668058, 6357099), (668058, 6357109), (668046, 6357109)]
        >>> polygon_from_points(corners).area  # Lambert-93: no relative tolerance
        120.0
        >>> polygon_from_points([(0, 0), (1, 0)])
        Traceback (most recent call last):
        scenarios.edits.refusals.RefusedError: a footprint needs at least 3 points; 2 were clicked.
    """
    xy = np.asarray([tuple(p)[:2] for p in points], dtype=np.float64).reshape(-1, 2)
    if len(xy) > 1 and np.allclose(xy[0], xy[-1], rtol=0.0, atol=SAME_POINT_M):
        xy = xy[:-1]  # the first point clicked again closes the polygon
    if len(xy) < 3:
        raise refuse(
            "footprint_points",
            f"a footprint needs at least 3 points; {len(xy)} were clicked.",
            count=len(xy),
        )
    polygon = shapely.Polygon(xy)
    if not polygon.is_valid:
        reason = shapely.is_valid_reason(polygon)
        raise refuse(
            "footprint_crosses",
            f"the footprint crosses itself ({reason}); draw it again without crossing its sides.",
            reason=reason,
        )
    if polygon.area < MIN_FOOTPRINT_M2:
        raise refuse(
            "footprint_small",
            f"the footprint covers {polygon.area:.2f} m²; draw a larger one.",
            area_m2=float(polygon.area),
        )
    return polygon


def line_from_points(points: Sequence[Sequence[float]]) -> BaseGeometry:
    """A line through the points clicked (x, y), at least 2 distinct ones.

    Example:
        >>> line_from_points([(0, 0, 1), (3, 4, 1)]).length
        5.0
    """
    xy = np.asarray([tuple(p)[:2] for p in points], dtype=np.float64).reshape(-1, 2)
    if len(xy) < 2 or np.allclose(xy, xy[0], rtol=0.0, atol=SAME_POINT_M):
        raise refuse("line_points", "a line needs at least 2 different points; click more.")
    return shapely.LineString(xy)


def new_building_figures(
    footprint_m2: float, floors: int, residential_share: float, assumptions: Assumptions
) -> tuple[float, int]:
    """(gross floor area m², dwellings) of a new building as the add_building edit computes
    them: footprint × floors, residential floor area / floor area per dwelling, rounded.

    Example:
        >>> from scenarios.assumptions import defaults
        >>> new_building_figures(250.0, 4, 0.75, defaults())  # 750 m² of housing / 92.5 m²
        (1000.0, 8)
    """
    area_m2 = float(footprint_m2) * int(floors)
    housing_m2 = area_m2 * float(residential_share)
    return area_m2, int(dwellings_for(np.array([housing_m2]), assumptions)[0])


def point_wkt(x: float, y: float) -> str:
    """A WKT point in the project CRS, to the centimetre.

    Example:
        >>> point_wkt(668052.07384, 6357104.4)
        'POINT (668052.07 6357104.4)'
    """
    return shapely.to_wkt(shapely.Point(round(x, 2), round(y, 2)), trim=True)


def geometry_wkt(geometry: BaseGeometry) -> str:
    """WKT of a drawn geometry, coordinates to the centimetre."""
    return shapely.to_wkt(shapely.set_precision(geometry, 0.01), trim=True)


def current_shares(city: City, building_id: str) -> dict[str, float]:
    """A building's use mix in per cent (its use at 100 % without a mix), for the dialog.

    Example:
        >>> import geopandas as gpd
        >>> from shapely.geometry import box
        >>> city = City()
        >>> city.set_layer("buildings", gpd.GeoDataFrame({"id": ["A", "B"],
        ...     "use": ["mixed", "office"],
        ...     "use_mix": ['{"residential": 0.75, "retail": 0.25}', None]},
        ...     geometry=[box(0, 0, 9, 9), box(10, 0, 19, 9)], crs="EPSG:2154"))
        >>> current_shares(city, "A"), current_shares(city, "B")
        ({'residential': 75.0, 'retail': 25.0}, {'office': 100.0})
    """
    buildings = city.layer("buildings")
    rows = buildings[buildings["id"].astype(str) == building_id]
    if not len(rows):
        return {"residential": 100.0}
    mix = parse_use_mix(rows["use_mix"].iloc[0]) if "use_mix" in rows else None
    if mix:
        return {use: share * 100.0 for use, share in mix.items()}
    use = str(rows["use"].iloc[0])
    return {use if use not in ("mixed", "unknown") else "residential": 100.0}


def room_names(city: City, space_ids: list[str], limit: int = 4) -> str:
    """The rooms' names for a dialog ("R01 Accueil, R03 Bureau …"), the first few."""
    spaces = city.layer("spaces")
    rows = spaces[spaces["id"].astype(str).isin(space_ids)]
    names = [
        " ".join(str(v) for v in (name, long) if isinstance(v, str) and v)
        for name, long in zip(
            rows.get("name", [None] * len(rows)),
            rows.get("long_name", [None] * len(rows)),
            strict=True,
        )
    ]
    names = [n or "?" for n in names]
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" … (+{more})" if more > 0 else "")
