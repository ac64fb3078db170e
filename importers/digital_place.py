"""Features placed where they cannot be: outside the area the project CRS is made for (a
point at 0,0, latitude and longitude swapped), or far from every other feature of the file
(a stray geocoding). Both are reported with their place and left out, so that one bad row
does not stretch the project over a continent.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from twin.issues import Issue, Severity

#: Degrees of margin around the CRS's area of use.
AREA_MARGIN_DEG = 1.0
#: A feature is far from the rest beyond this many times the distance within which 90 % of
#: the features lie from their median centre, and beyond FAR_MINIMUM_M.
FAR_FACTOR = 10.0
FAR_MINIMUM_M = 20_000.0
#: Fewer features than this: no "far from the rest" test (no rest to speak of).
FAR_MINIMUM_ROWS = 10


def drop_outside_crs_area(
    frame: gpd.GeoDataFrame, crs: CRS, issues: list[Issue]
) -> gpd.GeoDataFrame:
    """Rows with a vertex outside ``crs``'s area of use (± a margin) left out, reported."""
    area = crs.area_of_use
    if area is None or not len(frame):
        return frame
    coordinates, rows = shapely.get_coordinates(frame.geometry.to_numpy(), return_index=True)
    to_degrees = Transformer.from_crs(crs, 4326, always_xy=True)
    lon, lat = to_degrees.transform(coordinates[:, 0], coordinates[:, 1])
    lon, lat = np.asarray(lon), np.asarray(lat)
    outside = ~(np.isfinite(lon) & np.isfinite(lat))
    outside |= (lat < area.south - AREA_MARGIN_DEG) | (lat > area.north + AREA_MARGIN_DEG)
    if area.west <= area.east:  # an area across the antimeridian is not checked in longitude
        outside |= (lon < area.west - AREA_MARGIN_DEG) | (lon > area.east + AREA_MARGIN_DEG)
    bad = np.bincount(rows[outside], minlength=len(frame)) > 0
    first = np.zeros(len(frame), dtype=int)
    present, start = np.unique(rows, return_index=True)
    first[present] = start  # each row's first vertex
    for row in np.flatnonzero(bad):
        vertex = first[row]
        issues.append(
            Issue(
                Severity.ERROR,
                "outside_crs_area",
                f"placed at longitude {lon[vertex]:.4f}, latitude {lat[vertex]:.4f}, outside the "
                f"area {crs.name} is made for ({area.name}); left out: check its coordinates",
                str(frame["source_layer"].iloc[row]),
                str(frame["id"].iloc[row]),
            )
        )
    return frame[~bad].reset_index(drop=True)


def drop_far_from_the_rest(frame: gpd.GeoDataFrame, issues: list[Issue]) -> gpd.GeoDataFrame:
    """Rows far from the median centre of all rows (see :data:`FAR_FACTOR`) left out."""
    if len(frame) < FAR_MINIMUM_ROWS:
        return frame
    bounds = shapely.bounds(frame.geometry.to_numpy())
    x, y = (bounds[:, 0] + bounds[:, 2]) / 2.0, (bounds[:, 1] + bounds[:, 3]) / 2.0
    distance_m = np.hypot(x - np.median(x), y - np.median(y))
    typical_m = float(np.percentile(distance_m, 90))
    limit_m = max(FAR_FACTOR * typical_m, FAR_MINIMUM_M)
    far = distance_m > limit_m
    for row in np.flatnonzero(far):
        issues.append(
            Issue(
                Severity.ERROR,
                "far_from_the_rest",
                f"{distance_m[row] / 1000:,.0f} km from the other features (90 % lie within "
                f"{typical_m / 1000:,.1f} km of their centre); left out: check its "
                "coordinates",
                str(frame["source_layer"].iloc[row]),
                str(frame["id"].iloc[row]),
            )
        )
    return frame[~far].reset_index(drop=True)
