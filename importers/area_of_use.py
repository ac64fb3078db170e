"""Is a box of coordinates where its CRS is meant to be used?

Lambert-93 is made for metropolitan France: data that land in the Sahara or off Africa after
reprojection had a wrong CRS, or raw numbers taken for coordinates (a CityJSON without its
``transform``, metres declared as degrees). :func:`outside_area_of_use` tells, with a margin.
"""

from __future__ import annotations

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError

#: How far (degrees) outside its CRS's area of use data may still lie.
AREA_MARGIN_DEG = 2.0


def outside_area_of_use(crs: object, box: tuple[float, ...]) -> str | None:
    """The name of the area ``crs`` is made for when ``box`` (minx, miny, maxx, maxy in
    ``crs``) lies wholly outside it, even with :data:`AREA_MARGIN_DEG`; None otherwise, or
    when the CRS declares no area.

    >>> outside_area_of_use("EPSG:2154", (650000, 6860000, 651000, 6861000)) is None
    True
    >>> outside_area_of_use("EPSG:2154", (0, 0, 10000, 10000))
    'France - onshore and offshore, mainland and Corsica (France métropolitaine including Corsica)'
    """
    source = CRS.from_user_input(crs)
    area = source.area_of_use
    if area is None or area.west > area.east:  # none, or across the antimeridian
        return None
    name = area.name.rstrip(".")
    try:
        transformer = Transformer.from_crs(source, 4326, always_xy=True)
        minx, miny, maxx, maxy = (float(value) for value in box)
        west, south, east, north = transformer.transform_bounds(
            minx, miny, maxx, maxy, densify_pts=21
        )
    except ProjError:
        return name
    if not np.all(np.isfinite([west, south, east, north])):
        return name
    margin = AREA_MARGIN_DEG
    apart = (
        west > area.east + margin
        or east < area.west - margin
        or south > area.north + margin
        or north < area.south - margin
    )
    return name if apart else None
