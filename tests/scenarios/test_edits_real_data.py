"""Edits on real data: the 2,273 BD TOPO buildings of Olemps (Aveyron) with the INSEE Filosofi
grid's inhabitants, imported through the importers (../shared/data, see its README).

A planner's afternoon: raise the two-storey houses of the commune by one floor, retrofit every
residential building of the commune, build on a free plot, demolish three sheds; then undo it
all. Numbers are checked against the imported data, and undoing gives back the project exactly.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import shapely

from importers.base import ImportOptions
from importers.merge import merge_result
from importers.registry import read_file
from scenarios.edits import AddBuilding, AddFloors, Demolish, Retrofit
from scenarios.history import History
from tests.scenarios.edit_city import assert_same_city
from twin.city import City

FILES = (
    "bdtopo/olemps_12174_v3/COMMUNE.shp",
    "bdtopo/olemps_12174_v3/BATIMENT.shp",
    "socio/olemps_filosofi2015_200m/population.shp",
)


@pytest.fixture(scope="module")
def olemps(shared_data: Path) -> City:
    city = City(name="Olemps")
    for name in FILES:
        result = read_file(shared_data / name, target_crs=city.crs, options=ImportOptions())
        merge_result(city, result)
    return city


def free_plot(city: City, side_m: float) -> str:
    """A square of ``side_m`` near the middle of the buildings, at least 5 m from any."""
    buildings = city.layer("buildings")
    x, y = np.median(shapely.get_coordinates(buildings.geometry.centroid.to_numpy()), axis=0)
    tree = shapely.STRtree(buildings.geometry.to_numpy())
    for step in range(400):
        angle, radius = step * 2.4, 10.0 * np.sqrt(step)
        cx, cy = x + radius * np.cos(angle), y + radius * np.sin(angle)
        square = shapely.box(cx, cy, cx + side_m, cy + side_m)
        if not len(tree.query(square.buffer(5.0), predicate="intersects")):
            return str(square.wkt)
    raise AssertionError("no free plot found")


def test_a_planners_afternoon_on_olemps_gives_checkable_numbers_and_undoes_exactly(
    olemps: City,
) -> None:
    city = olemps.copy()
    baseline = city.copy()
    buildings = city.layer("buildings")
    houses = buildings[(buildings["use"] == "residential") & (buildings["floors"] == 2)]
    houses = houses.set_index("id")
    sheds = tuple(buildings.loc[buildings["use"] == "annex", "id"].iloc[:3])
    assert len(houses) > 100  # BD TOPO NB_ETAGES is filled for 1,334 of the 2,273 buildings
    history = History(city)
    start = time.perf_counter()
    history.do(AddFloors(tuple(houses.index), 1))
    history.do(Retrofit("C", within_id="12174"))
    history.do(AddBuilding(floors=5, footprint_wkt=free_plot(city, 20.0)))
    history.do(Demolish(sheds))
    print(f"\n4 edits on {len(buildings):,} Olemps buildings: {time.perf_counter() - start:.2f} s")

    after = city.layer("buildings").set_index("id")
    assert (after.loc[houses.index, "floors"] == 3).all()
    known = houses.index[houses["dwellings"].fillna(0) > 0]
    expected = np.floor(houses.loc[known, "dwellings"].astype(float) * 1.5 + 0.5)
    assert (after.loc[known, "dwellings"].astype(float) == expected).all()  # 2 floors → 3
    more_homes = after.loc[houses.index, "dwellings"].astype(float).fillna(0) - houses[
        "dwellings"
    ].astype(float).fillna(0)
    more_people = after.loc[houses.index, "inhabitants"] - houses["inhabitants"].fillna(0)
    assert more_homes.sum() > 100
    assert more_people.sum() == pytest.approx(2.16 * more_homes.sum())  # one household each
    new = after.loc["NEW-1"]
    assert new["floor_area_m2"] == pytest.approx(2000.0)  # 20 m × 20 m × 5 storeys
    assert new["dwellings"] == 22  # 2,000 m² / 92.5 m² per dwelling = 21.6
    assert new["parent_id"] == "12174"  # the commune: no parcels in this project
    assert np.isnan(new["base_elevation_m"])  # and no terrain to stand on
    in_commune = baseline.layer("buildings").query("use == 'residential' and parent_id == '12174'")
    assert set(after.index[after["retrofit_target"] == "C"]) == set(in_commune["id"])
    assert len(after) == len(buildings) - 3 + 1

    while history.can_undo:
        history.undo()
    assert_same_city(city, baseline)
