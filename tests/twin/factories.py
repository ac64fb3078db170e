"""Small cities built in code for the tests of twin/."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from twin.city import City


def small_city() -> City:
    """A territory of two communes, three districts, four parcels and six buildings.

    Building b6 names a parcel that does not exist (an orphan), as happens mid-import.
    """
    city = City("EPSG:2154", name="Petite ville")
    x, y = 668000.0, 6357000.0

    def frame(rows: dict[str, list[object]], boxes: list[tuple[float, ...]]) -> gpd.GeoDataFrame:
        geometry = [box(x + a, y + b, x + c, y + d) for a, b, c, d in boxes]
        return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:2154")

    city.set_layer(
        "territory",
        frame({"id": ["T"], "parent_id": [None], "kind": ["study_area"]}, [(0, 0, 200, 100)]),
    )
    city.set_layer(
        "communes",
        frame(
            {"id": ["12990", "12991"], "parent_id": ["T", "T"], "name": ["Valmont", "Saint-Bruno"]},
            [(0, 0, 100, 100), (100, 0, 200, 100)],
        ),
    )
    city.set_layer(
        "districts",
        frame(
            {
                "id": ["129900101", "129900102", "129910000"],
                "parent_id": ["12990", "12990", "12991"],
            },
            [(0, 0, 50, 100), (50, 0, 100, 100), (100, 0, 200, 100)],
        ),
    )
    city.set_layer(
        "parcels",
        frame(
            {
                "id": ["12990000AB0001", "12990000AB0002", "12990000AC0001", "12991000ZA0001"],
                "parent_id": ["129900101", "129900101", "129900102", "129910000"],
            },
            [(0, 0, 50, 50), (0, 50, 50, 100), (50, 0, 100, 100), (100, 0, 200, 100)],
        ),
    )
    city.set_layer(
        "buildings",
        frame(
            {
                "id": ["b1", "b2", "b3", "b4", "b5", "b6"],
                "parent_id": [
                    "12990000AB0001",
                    "12990000AB0001",
                    "12990000AB0002",
                    "12990000AC0001",
                    "129910000",  # no parcel known: hangs from its district
                    "12990000ZZ9999",  # parcel not imported: an orphan
                ],
                "height_m": [6.0, 9.0, 3.0, 12.0, 4.5, 7.0],
                "dwellings": [2, 4, 1, 10, 0, 3],
                "use": ["residential"] * 4 + ["industrial", "residential"],
            },
            [
                (5, 5, 15, 15),
                (20, 5, 30, 20),
                (5, 60, 15, 70),
                (60, 10, 80, 30),
                (120, 10, 140, 30),
                (150, 50, 160, 60),
            ],
        ),
    )
    return city
