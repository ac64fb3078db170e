"""A small town built in code for the edit tests, with numbers a planner can check by hand.

Coordinates are metres from (X0, Y0) in Lambert-93. One commune, one district (IRIS), three
parcels; the terrain is a plane rising 1 m every 10 m eastwards from 100 m at X0.

- P1 (0..50 × 0..50, 2,500 m²) holds B1 and B2; P2 (50..100 × 0..50) is empty; P3 (100..200 ×
  0..100) holds the IFC hall H1.
- B1: residential, footprint 20 × 30 m (600 m²), 5 floors, 15 m, 30 dwellings, 60 inhabitants,
  28 households, DPE class E.
- B2: office, 10 × 10 m (100 m²), 2 floors, 7 m, DPE class B.
- H1: public IFC hall, 20 × 20 m, 2 storeys (S0, S1) and 4 rooms: R1 public 60 m², R2 office
  40 m², R3 circulation (unknown) 20 m² on S0; R4 office 100 m² on S1; each element has a mesh.
- Stops T1 and T2 (4 and 2 departures/h in the peak) with their peak-hour rows.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine
from pandas.testing import assert_frame_equal
from shapely.geometry import Point, box

from scenarios.edits import (
    AddBuilding,
    AddDigitalAsset,
    AddFloors,
    AddTransitLine,
    AddTransitStop,
    ChangeSpaceUse,
    ChangeUse,
    Demolish,
    Deseal,
    Edit,
    Retrofit,
    SetHeight,
)
from twin.city import City
from twin.mesh import MeshStore
from twin.raster import Raster

X0, Y0 = 668000.0, 6357000.0


def rect(a: float, b: float, c: float, d: float) -> object:
    """A box in metres from (X0, Y0)."""
    return box(X0 + a, Y0 + b, X0 + c, Y0 + d)


def rect_wkt(a: float, b: float, c: float, d: float) -> str:
    """:func:`rect` as WKT."""
    return rect(a, b, c, d).wkt  # type: ignore[attr-defined]


def _frame(rows: dict[str, list[object]], shapes: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=shapes, crs="EPSG:2154")


def edit_city() -> City:
    """The small town described in the module's documentation."""
    city = City("EPSG:2154", name="Bourg d'essai")
    city.set_layer(
        "communes", _frame({"id": ["12990"], "parent_id": [None]}, [rect(0, 0, 200, 100)])
    )
    city.set_layer(
        "districts",
        _frame(
            {"id": ["129900101"], "parent_id": ["12990"], "kind": ["iris"]}, [rect(0, 0, 200, 100)]
        ),
    )
    city.set_layer(
        "parcels",
        _frame(
            {"id": ["P1", "P2", "P3"], "parent_id": ["129900101"] * 3},
            [rect(0, 0, 50, 50), rect(50, 0, 100, 50), rect(100, 0, 200, 100)],
        ),
    )
    city.set_layer(
        "buildings",
        _frame(
            {
                "id": ["B1", "B2", "H1"],
                "parent_id": ["P1", "P1", "P3"],
                "use": ["residential", "office", "public"],
                "floors": [5, 2, 2],
                "height_m": [15.0, 7.0, 8.0],
                "height_source": ["measured", "measured", "ifc"],
                "dwellings": [30, None, None],
                "inhabitants": [60.0, 0.0, 0.0],
                "households": [28.0, 0.0, 0.0],
                "energy_class": ["E", "B", None],
                "source": ["bdtopo", "bdtopo", "ifc"],
            },
            [rect(5, 5, 25, 35), rect(30, 5, 40, 15), rect(120, 20, 140, 40)],
        ),
    )
    city.set_layer(
        "storeys",
        _frame(
            {"id": ["S0", "S1"], "parent_id": ["H1", "H1"], "elevation_m": [0.0, 4.0]},
            [None, None],
        ),
    )
    city.set_layer(
        "spaces",
        _frame(
            {
                "id": ["R1", "R2", "R3", "R4"],
                "parent_id": ["S0", "S0", "S0", "S1"],
                "long_name": ["Salle", "Bureau", "Circulation", "Bureaux"],
                "use": ["public", "office", "unknown", "office"],
                "area_m2": [60.0, 40.0, 20.0, 100.0],
            },
            [None] * 4,
        ),
    )
    city.set_layer(
        "ifc_elements",
        pd.DataFrame(
            {
                "id": ["H1", "S0", "S1", "R1", "R2", "R3", "R4", "W1"],
                "parent_id": [None, "H1", "H1", "S0", "S0", "S0", "S1", "S0"],
                "building_id": ["H1"] * 8,
                "ifc_class": ["IfcBuilding", "IfcBuildingStorey", "IfcBuildingStorey"]
                + ["IfcSpace"] * 4
                + ["IfcWall"],
            }
        ),
    )
    city.set_meshes("ifc", _cubes(["R1", "R2", "R3", "R4", "W1"]))
    city.set_layer(
        "transit_stops",
        _frame(
            {
                "id": ["f:T1", "f:T2"],
                "name": ["Place", "Gare"],
                "routes": ["1", "1, 2"],
                "departures_peak_per_h": [4.0, 2.0],
                "headway_peak_min": [15.0, 30.0],
            },
            [Point(X0 + 60, Y0 + 60), Point(X0 + 160, Y0 + 60)],
        ),
    )
    city.set_layer(
        "transit_stop_hours",
        pd.DataFrame(
            {
                "id": ["f:T1@7", "f:T1@8", "f:T2@7", "f:T2@8"],
                "stop_id": ["f:T1", "f:T1", "f:T2", "f:T2"],
                "hour": [7, 8, 7, 8],
                "departures": [4, 4, 2, 2],
            }
        ),
    )
    transform = Affine(10.0, 0.0, X0 - 100, 0.0, -10.0, Y0 + 200)
    columns = np.arange(50, dtype=np.float32)
    terrain = np.tile(100.0 + (columns * 10 + 5 - 100) / 10, (40, 1)).astype(np.float32)
    city.set_raster(Raster("terrain", terrain, transform, city.crs, unit="m"))
    return city


def _cubes(ids: list[str]) -> MeshStore:
    corners = np.array(
        [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]],
        dtype=np.float32,
    )
    faces = np.array([[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7]], dtype=np.int32)
    n = len(ids)
    return MeshStore(
        vertices=np.vstack([corners + k * 2 for k in range(n)]).astype(np.float32),
        faces=np.vstack([faces + 8 * k for k in range(n)]).astype(np.int32),
        vertex_offsets=np.arange(n + 1, dtype=np.int64) * 8,
        face_offsets=np.arange(n + 1, dtype=np.int64) * 4,
        object_ids=np.array(ids),
        origin=(X0, Y0, 0.0),
    )


def assert_same_city(city: City, expected: City) -> None:
    """Every layer equal to the expected one (``assert_frame_equal``), the same mesh objects."""
    assert city.layer_names == expected.layer_names
    for name in expected.layer_names:
        assert_frame_equal(city.layer(name), expected.layer(name))
    assert set(city.meshes) == set(expected.meshes)
    for name, store in expected.meshes.items():
        assert city.meshes[name].object_ids.tolist() == store.object_ids.tolist()


def frames(city: City) -> dict[str, object]:
    """Every layer's frame and mesh set, by reference (to check nothing was replaced)."""
    return {**{name: city.layer(name) for name in city.layer_names}, **city.meshes}


#: One edit of every kind that fits :func:`edit_city`, in an order where each still fits.
EVERY_KIND: list[Edit] = [
    AddBuilding(
        floors=3, parcel_id="P2", setback_m=4.0, use_mix={"residential": 0.8, "retail": 0.2}
    ),
    AddFloors(("B1",), 1),
    SetHeight(("B2",), 12.0),
    ChangeUse(("B1",), use_mix={"residential": 0.5, "office": 0.5}),
    ChangeSpaceUse(("R1", "R3"), "retail", "Café"),
    Retrofit("C", ids=("B1", "H1")),
    Deseal("P1", 300.0),
    AddTransitStop(f"POINT ({X0 + 90} {Y0 + 90})", "Collège", 3.0),
    AddTransitLine("9", 4.0, stop_ids=("f:T1", "f:T2", "scenario:NEW-STOP-1")),
    AddDigitalAsset("fibre_duct", f"LINESTRING ({X0} {Y0}, {X0 + 50} {Y0})"),
    Demolish(("H1", "NEW-1")),
]
