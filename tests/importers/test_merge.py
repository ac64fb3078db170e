"""Merging imports links rows into the hierarchy and keeps provenance."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from importers.base import ImportResult
from importers.merge import TERRITORY_ID, merge_result
from twin.city import City
from twin.provenance import ProvenanceRecord


def result(layer: str, frame: gpd.GeoDataFrame, source: str = "f.gpkg") -> ImportResult:
    record = ProvenanceRecord(
        source, "vector", "2026-11-21T00:00:00+00:00", "0" * 64, {layer: len(frame)}
    )
    return ImportResult(layers={layer: frame}, issues=[], provenance=record)


def frame(
    ids: list[str], boxes: list[tuple[int, int, int, int]], **columns: list[object]
) -> gpd.GeoDataFrame:
    # Offset into Lambert-93 (Rodez): small numbers would look like degrees to the merge checks.
    x, y = 668000, 6357000
    geometry = [box(x + b[0], y + b[1], x + b[2], y + b[3]) for b in boxes]
    return gpd.GeoDataFrame({"id": ids, **columns}, geometry=geometry, crs=2154)


def test_communes_make_the_territory_and_buildings_find_their_parcel() -> None:
    city = City(name="Valmont")
    merge_result(
        city, result("communes", frame(["12990", "12991"], [(0, 0, 100, 100), (100, 0, 200, 100)]))
    )
    merge_result(city, result("parcels", frame(["P1", "P2"], [(0, 0, 50, 100), (50, 0, 100, 100)])))
    report = merge_result(
        city,
        result(
            "buildings",
            frame(["b1", "b2", "b3"], [(40, 10, 90, 20), (45, 50, 55, 60), (150, 50, 160, 60)]),
        ),
    )
    hierarchy = city.hierarchy
    assert hierarchy.children(TERRITORY_ID) == ["12990", "12991"]
    assert city.layer("territory").area.iloc[0] == 20000
    assert hierarchy.parent_of("P1") == "12990"
    assert hierarchy.parent_of("b1") == "P2"  # 100 m² in P1, 400 m² in P2: the largest wins
    assert hierarchy.parent_of("b3") == "12991"  # no parcel there: the commune
    assert report.linked == {"buildings": 3}
    assert [record.layers for record in city.provenance][-1] == {"buildings": 3}


def test_reimporting_a_file_replaces_rows_with_the_same_id() -> None:
    city = City()
    merge_result(city, result("parcels", frame(["P1", "P2"], [(0, 0, 5, 5), (5, 0, 10, 5)])))
    report = merge_result(
        city,
        result(
            "parcels",
            frame(["P2", "P3"], [(5, 0, 10, 5), (10, 0, 15, 5)], contenance_m2=[30.0, 25.0]),
        ),
    )
    parcels = city.layer("parcels").set_index("id")
    assert sorted(parcels.index) == ["P1", "P2", "P3"]
    assert parcels.loc["P2", "contenance_m2"] == 30.0
    assert report.replaced == {"parcels": 1}
    assert report.added == {"parcels": 1}


def test_communes_imported_one_after_the_other_form_one_territory() -> None:
    city = City(name="Valmont")
    merge_result(city, result("communes", frame(["12990"], [(0, 0, 100, 100)])))
    merge_result(city, result("communes", frame(["12991"], [(100, 0, 200, 100)]), "b.json"))
    assert city.layer("territory").area.iloc[0] == 20000
    assert city.hierarchy.children(TERRITORY_ID) == ["12990", "12991"]
