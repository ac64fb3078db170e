"""What the engine carries over from one edit to the next: the roof blocks (boxes, areas,
filled base altitudes), the roofs' shares, the measures' arrays, ratios redone where their
operands moved, maxima raised in place. Each gives what a fresh computation gives."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from samples.synthetic import synthetic_buildings
from scenarios.indicators import sum_moves
from scenarios.indicators.engine import IndicatorEngine, load_indicators
from scenarios.indicators.row_move import RoomyArrays, RowMove
from scenarios.obstacle_rows import roof_obstacles
from scenarios.roof_shading import forget_kept_roofs
from scenarios.shadow_map import Obstacles
from tests.benchmarks.test_indicator_benchmark import synthetic_town
from tests.scenarios.test_indicator_engine_rows import assert_fresh, every_name
from twin.city import City

ROOF = ["roof_unshaded_share_building", "roof_pv_kwh_building", "roof_pv_kwp_building"]


def synthetic_city(n: int) -> City:
    """Synthetic buildings, one in seven without a base altitude, no hierarchy above them."""
    buildings = synthetic_buildings(n, seed=4).drop(columns="parent_id")
    buildings.loc[buildings.index % 7 == 3, "base_elevation_m"] = np.nan
    city = City("EPSG:2154")
    city.set_layer("buildings", buildings)
    return city


def new_building(city: City, number: int, base_m: float | None) -> gpd.GeoDataFrame:
    """A 10 m tower beside the middle building (its base given or missing)."""
    middle = city.layer("buildings").geometry.iloc[len(city.layer("buildings")) // 2]
    x, y = middle.centroid.coords[0]
    return gpd.GeoDataFrame(
        {"id": [f"NEW{number}"], "height_m": [25.0], "base_elevation_m": [base_m]},
        geometry=[shapely.box(x + 18, y - 5, x + 28, y + 5)],
        crs="EPSG:2154",
    )


def assert_same_blocks(city: City) -> None:
    """The kept blocks of the current frame are those read afresh, value for value."""
    frame = city.layer("buildings")
    kept, _ = roof_obstacles(frame)
    fresh = Obstacles.from_buildings(frame, (0.0, 0.0))
    assert (kept.footprints == fresh.footprints).all()
    for name in ("base_m", "top_m", "bounds", "areas", "empty", "casting"):
        np.testing.assert_array_equal(getattr(kept, name), getattr(fresh, name), err_msg=name)
    assert kept.ids.astype(str).tolist() == fresh.ids.tolist()


def test_roof_blocks_and_shares_carried_over_edits_equal_a_fresh_computation_to_the_bit() -> None:
    load_indicators()
    forget_kept_roofs()
    city = synthetic_city(600)
    engine = IndicatorEngine(city)
    engine.compute(ROOF)
    ids = city.layer("buildings")["id"]

    def smaller(row: int) -> shapely.Geometry:  # inside the town's extent, which the shares'
        # float32 origin comes from (an edit moving it changes every roof's last bits)
        return shapely.box(*city.layer("buildings").geometry.iloc[row].centroid.buffer(3).bounds)

    edits = [
        lambda: city.update_values("buildings", [ids.iloc[10]], {"height_m": 29.0}),
        lambda: city.append_rows("buildings", new_building(city, 1, None), source="scenario"),
        lambda: city.append_rows("buildings", new_building(city, 2, 140.0), source="scenario"),
        lambda: city.drop_rows("buildings", [ids.iloc[300], ids.iloc[3]]),
        lambda: city.update_values("buildings", [ids.iloc[20]], {"base_elevation_m": np.nan}),
        lambda: city.update_values("buildings", [ids.iloc[30]], {"geometry": [smaller(30)]}),
    ]
    for edit in edits:
        edit()
        engine.compute(ROOF)
        _, carried = roof_obstacles(city.layer("buildings"))
        assert carried is not None  # carried over by rows, not read whole
        assert_same_blocks(city)
    kept = {name: engine.values(name).copy() for name in ROOF}
    forget_kept_roofs()
    fresh = IndicatorEngine(city).compute(ROOF)
    np.testing.assert_array_equal(kept[ROOF[0]].to_numpy(), fresh[ROOF[0]].to_numpy())
    for name in ROOF[1:]:
        pd.testing.assert_series_equal(kept[name], fresh[name], check_names=False, rtol=1e-12)


def tallest_of_a_parcel(city: City) -> str:
    buildings = city.layer("buildings")
    return str(buildings.loc[buildings.groupby("parent_id")["height_m"].idxmax().iloc[7], "id"])


EDITS = {
    "lowered": lambda city: city.update_values(
        "buildings", [tallest_of_a_parcel(city)], {"height_m": 3.0}
    ),
    "raised": lambda city: city.update_values(
        "buildings", [str(city.layer("buildings")["id"].iloc[5])], {"floors": 9, "height_m": 28.0}
    ),
    "demolished": lambda city: city.drop_rows("buildings", [tallest_of_a_parcel(city)]),
    "parcel": lambda city: city.update_values(
        "parcels", [str(city.layer("parcels")["id"].iloc[4])], {"contenance_m2": 3000.0}
    ),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_ratios_and_maxima_moved_in_place_are_those_computed_afresh(
    edit: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = synthetic_town(1500)
    names = every_name()
    engine = IndicatorEngine(city)
    engine.compute(names)
    divided: list[int] = []
    original = sum_moves._divided

    def counted(top: np.ndarray, bottom: np.ndarray, scale: float) -> np.ndarray:
        divided.append(len(top))
        return original(top, bottom, scale)

    monkeypatch.setattr(sum_moves, "_divided", counted)
    edit(city)  # type: ignore[operator]
    engine.compute(names)
    by_engine = sorted(divided)
    assert_fresh(engine, city, names)
    whole = [n for n in by_engine if n > 1000]  # only the buildings' own, after a demolition
    assert by_engine and len(whole) <= 2  # the parcels' ratios redone where they moved
    city.update_values("buildings", [str(city.layer("buildings")["id"].iloc[9])], {"height_m": 1.0})
    assert_fresh(engine, city, names)  # a second edit on top


def test_an_added_row_is_written_after_the_kept_ones_and_earlier_arrays_keep_their_values() -> None:
    roomy = RoomyArrays()
    start = roomy.carry("m", RowMove(np.arange(3), 3), np.array([1.0, 2.0, 3.0]))
    added = RowMove(np.array([0, 1, 2, -1]), 3)
    grown = roomy.carry("m", added, start, added.added, np.array([4.0]))
    assert grown.base is start.base and grown.tolist() == [1.0, 2.0, 3.0, 4.0]
    removed = RowMove(np.array([0, 2, 3]), 4)
    after = roomy.carry("m", removed, grown)
    assert after.tolist() == [1.0, 3.0, 4.0] and grown.tolist() == [1.0, 2.0, 3.0, 4.0]
    again = RowMove(np.array([0, 1, 2, 3, -1]), 4)  # from an array that is no longer the last
    other = roomy.carry("m", again, grown, again.added, np.array([9.0]))
    assert other.base is not grown.base and after.tolist() == [1.0, 3.0, 4.0]
