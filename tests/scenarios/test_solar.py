"""Sun positions (pvlib) and the roof solar potential with shading by neighbours."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from importers.merge import merge_result
from importers.registry import read_file
from scenarios.assumptions import defaults
from scenarios.horizon import horizon_tangents, unshaded_share
from scenarios.indicators.base import depends_on
from scenarios.indicators.solar import SOLAR_INDICATORS
from scenarios.roof_shading import forget_kept_roofs, roof_unshaded_shares
from scenarios.shadow_map import Obstacles
from scenarios.sun import city_lat_lon, day_positions, sun_positions, winter_solstice_positions
from twin.city import City
from twin.levels import Level

RODEZ = (44.35, 2.57)
X, Y = 668000.0, 6357000.0  # Lambert-93 near Rodez
A = defaults()
KWH_PER_M2 = (  # yearly PV of one m² of unshaded roof: 0.4 x 0.2 kWp x 1300 kWh/kWp = 104
    A.value("solar.usable_roof_share")
    * A.value("solar.panel_kwp_per_m2")
    * A.value("solar.pv_yield_kwh_per_kwp")
)


def town(rows: list[tuple[str, tuple[float, float, float, float], float]]) -> City:
    """Buildings (id, (x0, y0, x1, y1) in metres from (X, Y), height) on flat ground."""
    city = City("EPSG:2154")
    ids, boxes, heights = zip(*rows, strict=True)
    city.set_layer(
        "buildings",
        gpd.GeoDataFrame(
            {"id": list(ids), "height_m": list(heights), "base_elevation_m": 0.0},
            geometry=[box(X + a, Y + b, X + c, Y + d) for a, b, c, d in boxes],
            crs="EPSG:2154",
        ),
    )
    return city


def pv(city: City) -> pd.Series:
    return SOLAR_INDICATORS[("roof_pv_kwh", Level.BUILDING)](city)


@pytest.mark.parametrize(("month", "sign"), [(6, +1), (12, -1)])
def test_pvlib_puts_the_noon_sun_at_rodez_at_90_minus_latitude_plus_or_minus_the_tilt(
    month: int, sign: int
) -> None:
    noon = pd.date_range(f"2025-{month}-21 12:30", periods=180, freq="1min", tz="Europe/Paris")
    sun = sun_positions(*RODEZ, noon, np.ones(len(noon)))
    expected = 90.0 - RODEZ[0] + sign * 23.44
    assert sun.elevation_deg.max() == pytest.approx(expected, abs=0.3)  # refraction: +0.02°
    assert sun.azimuth_deg[np.argmax(sun.elevation_deg)] == pytest.approx(180.0, abs=1.0)


def test_the_sun_is_up_about_8_h_50_at_44_north_on_21_december() -> None:
    sun = winter_solstice_positions(*RODEZ, step_min=1)
    assert sun.duration_h.sum() == pytest.approx(8 + 50 / 60, abs=0.15)
    assert 120 < sun.azimuth_deg.min() < 126 and 234 < sun.azimuth_deg.max() < 240
    summer = day_positions(*RODEZ, dt.date(2025, 6, 21), step_min=1)
    assert summer.duration_h.sum() == pytest.approx(15.4, abs=0.2)


def test_the_town_is_placed_from_its_lambert_93_coordinates() -> None:
    latitude, longitude = city_lat_lon(town([("a", (0, 0, 10, 10), 6.0)]))
    assert latitude == pytest.approx(44.35, abs=0.05)
    assert longitude == pytest.approx(2.57, abs=0.05)


def test_an_unshaded_roof_produces_area_times_share_times_kwp_times_yield() -> None:
    city = town([("roof", (0, 0, 20, 30), 9.0), ("low", (40, 0, 50, 10), 3.0)])
    production = pv(city)
    assert production["roof"] == pytest.approx(600.0 * KWH_PER_M2)  # 62,400 kWh/yr
    shares = SOLAR_INDICATORS[("roof_unshaded_share", Level.BUILDING)](city)
    assert shares["roof"] == 1.0
    kwp = SOLAR_INDICATORS[("roof_pv_kwp", Level.BUILDING)](city)["roof"]
    assert kwp == pytest.approx(600.0 * 0.4 * 0.2)


def test_a_roof_north_of_a_tower_gets_less_and_the_tower_keeps_all_its_sun() -> None:
    open_field = town([("house", (0, 30, 10, 40), 6.0)])
    shaded = town([("tower", (-10, 0, 20, 20), 40.0), ("house", (0, 30, 10, 40), 6.0)])
    alone, behind = pv(open_field)["house"], pv(shaded)["house"]
    share = SOLAR_INDICATORS[("roof_unshaded_share", Level.BUILDING)](shaded)
    assert behind < 0.7 * alone  # 34 m higher, 10 m to the south
    assert 0 < share["house"] < 0.7
    assert share["tower"] == 1.0


def test_the_horizon_is_the_tallest_neighbour_in_each_direction() -> None:
    blocks = town([("east", (10, -5, 20, 5), 20.0), ("west", (-40, -5, -30, 5), 20.0)])
    obstacles = Obstacles.from_buildings(blocks.layer("buildings"), (X, Y))
    horizon = horizon_tangents(
        np.array([[0.0, 0.0, 0.0]]), np.array([-1]), obstacles, n_sectors=72
    )[0]
    east, west = horizon[90 // 5], horizon[270 // 5]
    # Sector 90-95° is read on its centre ray, 2.5° off the perpendicular to the wall.
    assert east == pytest.approx(20 / (10 / np.cos(np.radians(2.5))), rel=1e-5)  # 10 m away
    assert west == pytest.approx(20 / (30 / np.cos(np.radians(2.5))), rel=1e-5)
    assert horizon[0] == 0.0 and horizon[180 // 5] == 0.0  # open to the north and south


def test_an_unshaded_point_receives_all_the_sun_and_a_buried_one_none() -> None:
    sun = winter_solstice_positions(*RODEZ)
    assert unshaded_share(np.zeros((1, 72), np.float32), sun)[0] == 1.0
    walled = unshaded_share(np.full((1, 72), 1e6, np.float32), sun)[0]
    assert walled == pytest.approx(0.0, abs=1e-6)


def test_after_an_edit_only_the_roofs_near_it_are_computed_again_with_the_same_result() -> None:
    rows = [(f"b{i}", (i * 30.0, 0, i * 30.0 + 12, 12), 6.0 + i % 3) for i in range(12)]
    city = town(rows)
    place = city_lat_lon(city)
    forget_kept_roofs()
    roof_unshaded_shares(city.layer("buildings"), *place)
    city.update_values("buildings", ["b0"], {"height_m": [40.0]})  # a tower at one end
    kept = roof_unshaded_shares(city.layer("buildings"), *place)
    forget_kept_roofs()
    fresh = roof_unshaded_shares(city.layer("buildings"), *place)
    np.testing.assert_array_equal(kept, fresh)  # to the bit: the same origin either way
    assert kept[1] < 1.0  # the tower shades its neighbour


def test_roof_pv_rolls_up_and_depends_on_heights_not_on_uses() -> None:
    city = town([("a", (0, 0, 10, 10), 6.0), ("b", (30, 0, 40, 10), 6.0)])
    territory = SOLAR_INDICATORS[("roof_pv_kwh", Level.BUILDING)](city).sum()
    assert territory == pytest.approx(200.0 * KWH_PER_M2)
    spec = SOLAR_INDICATORS[("roof_pv_kwh", Level.COMMUNE)].spec
    assert spec.unit == "kWh/yr"
    assert depends_on(spec, "buildings", ("height_m",))
    assert not depends_on(spec, "buildings", ("use",))
    assert "solar.pv_yield_kwh_per_kwp" in spec.assumptions


def test_olemps_roofs_could_produce_a_plausible_share_of_the_town_s_energy(
    shared_data: Path,
) -> None:
    """Olemps is low-rise (median height 5.3 m, at most 20 m): its roofs are little shaded, so
    its production should be close to the unshaded figure, 104 kWh per m² of roof, with a
    few % lost to neighbours and to the buildings uphill. 353,000 m² of roofs give about
    36 GWh/yr, about 10 MWh per inhabitant, between half and all of the buildings' final
    energy (a town of detached houses and big commercial roofs; a dense centre would be far
    lower).
    """
    city = City("EPSG:2154")
    folder = shared_data / "bdtopo" / "olemps_12174_v3"
    for path in (folder / "COMMUNE.shp", folder / "BATIMENT.shp"):
        merge_result(city, read_file(path, target_crs=city.crs))
    production = SOLAR_INDICATORS[("roof_pv_kwh", Level.COMMUNE)](city)["12174"]
    roofs_m2 = float(city.layer("buildings").area.sum())
    assert 0.9 * roofs_m2 * KWH_PER_M2 < production < roofs_m2 * KWH_PER_M2
    shares = SOLAR_INDICATORS[("roof_unshaded_share", Level.BUILDING)](city)
    assert shares.notna().all() and shares.median() > 0.99 and shares.min() > 0
    cover = SOLAR_INDICATORS[("roof_pv_share_of_demand", Level.COMMUNE)](city)["12174"]
    assert 50 < cover < 100
