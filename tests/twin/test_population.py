"""Dasymetric allocation of the population grid to residential buildings."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from pyproj import CRS
from shapely.geometry import box

from importers.registry import read_file
from twin.city import City
from twin.population import allocate_population, apply_population, residential_floor_area_m2

L93 = CRS.from_epsg(2154)
X, Y = 668_000.0, 6_357_000.0


def _cells(rows: list[tuple[str, float, float, tuple[float, float]]]) -> gpd.GeoDataFrame:
    """Cells of 200 m given as (id, inhabitants, households, lower-left offset)."""
    return gpd.GeoDataFrame(
        {
            "id": [row[0] for row in rows],
            "inhabitants": [row[1] for row in rows],
            "households": [row[2] for row in rows],
        },
        geometry=[box(X + dx, Y + dy, X + dx + 200, Y + dy + 200) for *_, (dx, dy) in rows],
        crs=L93,
    )


def _buildings(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    """Buildings given as dicts with an ``at`` box (offsets from the cells' origin)."""
    boxes = [row.pop("at") for row in rows]
    geometry = [box(X + a, Y + b, X + c, Y + d) for a, b, c, d in boxes]  # type: ignore[misc]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=L93)


def test_two_cells_by_hand_share_people_by_floor_area_and_report_the_cell_without_homes() -> None:
    cells = _cells([("A", 100.0, 40.0, (0, 0)), ("B", 30.0, 12.0, (200, 0))])
    buildings = _buildings(
        [
            # 10 m x 10 m, 2 floors: 200 m² of housing
            {"id": "house", "use": "residential", "floors": 2, "at": (10, 10, 20, 20)},
            # floor area given: 600 m², three times the house
            {"id": "flats", "use": "residential", "floor_area_m2": 600.0, "at": (50, 50, 60, 60)},
            {"id": "shed", "use": "annex", "floors": 1, "at": (80, 80, 90, 90)},
            {"id": "shop", "use": "retail", "floors": 1, "at": (250, 50, 270, 70)},
        ]
    )
    allocation = allocate_population(buildings, cells)
    people = allocation.buildings["inhabitants"]
    assert people.to_dict() == pytest.approx({"house": 25.0, "flats": 75.0, "shed": 0, "shop": 0})
    assert allocation.buildings.loc["flats", "households"] == pytest.approx(30.0)
    assert allocation.cells_without_housing == ["B"]
    assert allocation.unallocated_inhabitants == 30.0
    assert allocation.allocated_inhabitants + allocation.unallocated_inhabitants == 130.0
    [issue] = [i for i in allocation.issues if i.code == "population_cell_without_housing"]
    assert issue.feature == "B" and "30 inhabitants and 12 households" in issue.message


def test_a_building_straddling_two_cells_takes_part_in_each_by_its_footprint_share() -> None:
    cells = _cells([("A", 40.0, 20.0, (0, 0)), ("B", 90.0, 30.0, (200, 0))])
    buildings = _buildings(
        [
            # 40 m x 10 m across the border x = 200: 30 m in A, 10 m in B; 1 floor
            {"id": "long", "use": "residential", "floors": 1, "at": (170, 0, 210, 10)},
            # 20 m x 10 m, 1 floor, wholly in B: 200 m², as much as the long one's part in B x2
            {"id": "small", "use": "residential", "floors": 1, "at": (300, 0, 320, 10)},
        ]
    )
    allocation = allocate_population(buildings, cells)
    # A: only 'long' (300 m² inside) → all 40. B: long 100 m², small 200 m² → 30 and 60.
    assert allocation.buildings["inhabitants"].to_dict() == pytest.approx(
        {"long": 40.0 + 30.0, "small": 60.0}
    )
    assert allocation.buildings["households"].sum() == pytest.approx(50.0)
    assert allocation.cells["residential_buildings"].to_dict() == {"A": 1, "B": 2}
    assert allocation.cells_without_housing == []


def test_floors_come_from_the_height_when_unknown_and_mixed_buildings_count_half() -> None:
    buildings = _buildings(
        [
            {"id": "a", "use": "residential", "height_m": 7.0, "at": (0, 0, 10, 10)},  # 2 floors
            {"id": "b", "use": "residential", "height_m": 1.0, "at": (0, 0, 10, 10)},  # at least 1
            {"id": "c", "use": "residential", "at": (0, 0, 10, 10)},  # nothing known: 1 floor
            {"id": "d", "use": "mixed", "floors": 4, "at": (0, 0, 10, 10)},  # half of 400 m²
            {"id": "e", "use": "unknown", "floors": 4, "at": (0, 0, 10, 10)},
        ]
    )
    assert residential_floor_area_m2(buildings).tolist() == [200.0, 100.0, 100.0, 200.0, 0.0]
    assert residential_floor_area_m2(buildings, storey_height_m=2.5).tolist()[0] == 300.0


def test_cells_in_another_crs_are_reprojected_before_sharing() -> None:
    cells = _cells([("A", 12.0, 5.0, (0, 0))])
    buildings = _buildings(
        [{"id": "h", "use": "residential", "floors": 1, "at": (90, 90, 110, 110)}]
    )
    allocation = allocate_population(buildings, cells.to_crs(3035))
    assert allocation.buildings.loc["h", "inhabitants"] == pytest.approx(12.0)


def test_apply_population_writes_the_city_and_says_so() -> None:
    city = City("EPSG:2154")
    city.set_layer(
        "population_cells", _cells([("A", 10.0, 4.0, (0, 0)), ("B", 3.0, 1.0, (200, 0))])
    )
    city.set_layer(
        "buildings",
        _buildings([{"id": "h", "use": "residential", "floors": 2, "at": (10, 10, 30, 30)}]),
    )
    changes: list[tuple[str, tuple[str, ...]]] = []
    city.changed.connect(lambda layer, ids, columns: changes.append((layer, columns)))
    issues = apply_population(city)
    assert city.layer("buildings")["inhabitants"].tolist() == [10.0]
    assert city.layer("buildings")["households"].tolist() == [4.0]
    assert city.layer("population_cells")["allocated_inhabitants"].tolist() == [10.0, 0.0]
    assert ("buildings", ("inhabitants", "households")) in changes
    assert ("population_cells", ("allocated_inhabitants",)) in changes
    assert [issue.code for issue in issues] == [
        "population_cell_without_housing",
        "population_allocated",
    ]
    assert "10.0 of 13.0 inhabitants" in issues[-1].message


def test_apply_population_does_nothing_without_a_grid() -> None:
    city = City("EPSG:2154")
    city.set_layer(
        "buildings", _buildings([{"id": "h", "use": "residential", "at": (0, 0, 10, 10)}])
    )
    assert apply_population(city) == []
    assert city.layer("buildings")["inhabitants"].isna().all()


@pytest.fixture(scope="module")
def olemps(shared_data: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    buildings = read_file(
        shared_data / "bdtopo" / "olemps_12174_v3" / "BATIMENT.shp", target_crs=L93
    ).layers["buildings"]
    grid = shared_data / "socio" / "olemps_filosofi2015_200m" / "population.shp"
    cells = read_file(grid, target_crs=L93).layers["population_cells"]
    return buildings, cells


def test_olemps_cells_with_homes_give_all_their_inhabitants_to_the_buildings(
    olemps: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], shared_data: Path
) -> None:
    buildings, cells = olemps
    allocation = allocate_population(buildings, cells)
    # Found independently: the cells a residential (or mixed) footprint overlaps.
    homes = buildings[buildings["use"].isin(["residential", "mixed"])]
    pairs = gpd.sjoin(cells, homes, predicate="intersects")
    overlap = (
        cells.geometry.iloc[pairs.index]
        .intersection(
            homes.geometry.iloc[pairs["index_right"].map(homes.index.get_loc)], align=False
        )
        .area
    )
    with_homes = cells.loc[np.unique(pairs.index[overlap.to_numpy() > 0])]
    expected = with_homes["inhabitants"].sum()
    allocated = allocation.buildings["inhabitants"].sum()
    assert allocated == pytest.approx(expected, rel=1e-3)
    assert len(with_homes) == (allocation.cells["residential_buildings"] > 0).sum()
    # The rest is reported, cell by cell, with its amount: nothing is lost.
    total = pyogrio.read_dataframe(
        shared_data / "socio" / "olemps_filosofi2015_200m" / "population.shp"
    )["ind"].sum()
    left = allocation.cells.loc[allocation.cells_without_housing, "unallocated_inhabitants"]
    assert allocated + left.sum() == pytest.approx(total)
    reported = {i.feature for i in allocation.issues if i.code == "population_cell_without_housing"}
    assert reported == set(left.index) and len(reported) == len(cells) - len(with_homes)
    assert (allocation.buildings.loc[homes["id"], "inhabitants"] >= 0).all()
    assert allocation.buildings.drop(index=homes["id"])["inhabitants"].eq(0).all()
