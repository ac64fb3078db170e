"""A small town whose indicators a planner can work out by hand.

One commune (12345, 150 × 100 m = 1.5 ha) in a territory T; two districts (D1, 90 × 100 m, west;
D2, 60 × 100 m, east); three parcels: P1 = 25 × 40 m = 1,000 m² (D1), P2 = 50 × 40 m drawn
(2,000 m²) but 2,100 m² in the cadastre (D1), P3 = 20 × 20 m = 400 m² (D2, no cadastral area
given: the drawn one counts). Buildings:

| id | parcel | footprint | storeys | use | other |
|---|---|---|---|---|---|
| A | P1 | 20 × 30 = 600 m² | 5 (given) | residential | 40 dwellings, 15.2 m |
| B | P2 | 10 × 10 = 100 m² | unknown, 7 m high | office | |
| C | P2 | 20 × 10 = 200 m² | 3 (given) | mixed, no use mix | 4 dwellings, 10 m |
| D | P3 | 5 × 4 = 20 m² | unknown, 2.5 m high | annex | |
| E | P3 | 10 × 10 = 100 m² | 2 (given) | public | 150 m² known, half public half office |
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from twin.city import City

X, Y = 700000.0, 6300000.0


def rectangle(x0: float, y0: float, width: float, depth: float) -> object:
    """A width × depth rectangle with its lower-left corner at (X + x0, Y + y0)."""
    return box(X + x0, Y + y0, X + x0 + width, Y + y0 + depth)


def frame(rows: dict[str, list[object]], shapes: list[object]) -> gpd.GeoDataFrame:
    """Rows with their shapes, in Lambert-93."""
    return gpd.GeoDataFrame(rows, geometry=shapes, crs="EPSG:2154")


def planner_town() -> City:
    """The town of the module docstring."""
    city = City("EPSG:2154", name="Ville de calcul")
    city.set_layer(
        "territory", frame({"id": ["T"], "kind": ["study_area"]}, [rectangle(0, 0, 150, 100)])
    )
    city.set_layer(
        "communes",
        frame(
            {"id": ["12345"], "parent_id": ["T"], "name": ["Calcul"]}, [rectangle(0, 0, 150, 100)]
        ),
    )
    city.set_layer(
        "districts",
        frame(
            {"id": ["D1", "D2"], "parent_id": ["12345", "12345"]},
            [rectangle(0, 0, 90, 100), rectangle(90, 0, 60, 100)],
        ),
    )
    city.set_layer(
        "parcels",
        frame(
            {
                "id": ["P1", "P2", "P3"],
                "parent_id": ["D1", "D1", "D2"],
                "contenance_m2": [1000.0, 2100.0, None],
            },
            [rectangle(0, 0, 25, 40), rectangle(30, 0, 50, 40), rectangle(100, 0, 20, 20)],
        ),
    )
    city.set_layer(
        "buildings",
        frame(
            {
                "id": ["A", "B", "C", "D", "E"],
                "parent_id": ["P1", "P2", "P2", "P3", "P3"],
                "use": ["residential", "office", "mixed", "annex", "public"],
                "floors": [5, None, 3, None, 2],
                "height_m": [15.2, 7.0, 10.0, 2.5, 8.0],
                "dwellings": [40, None, 4, None, None],
                "floor_area_m2": [None, None, None, None, 150.0],
                "use_mix": [None, None, None, None, '{"public": 0.5, "office": 0.5}'],
                "source": ["bdtopo"] * 4 + ["ifc"],
            },
            [
                rectangle(2, 2, 20, 30),
                rectangle(35, 5, 10, 10),
                rectangle(50, 20, 20, 10),
                rectangle(102, 2, 5, 4),
                rectangle(108, 8, 10, 10),
            ],
        ),
    )
    return city
