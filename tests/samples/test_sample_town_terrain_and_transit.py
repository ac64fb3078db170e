"""The DEM and the GTFS feed of the sample town."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rasterio.features
import shapely

GTFS_FILES = {
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "stop_times.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "shapes.txt",
    "feed_info.txt",
}


def _seconds(text: str) -> int:
    h, m, s = (int(part) for part in text.split(":"))
    return h * 3600 + m * 60 + s


def _gtfs(path: Path) -> dict[str, pd.DataFrame]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: pd.read_csv(io.BytesIO(archive.read(name)), dtype=str, keep_default_na=False)
            for name in archive.namelist()
        }


def test_the_dem_covers_the_territory_with_25_m_float_pixels_and_a_nodata_value(
    town: dict[str, Path], communes: gpd.GeoDataFrame
) -> None:
    territory = shapely.union_all(communes.geometry.values)
    with rasterio.open(town["dem"]) as dem:
        assert dem.crs.to_epsg() == 2154
        assert dem.res == (25.0, 25.0)
        assert dem.dtypes == ("float32",)
        assert dem.nodata == -99999.0
        heights = dem.read(1)
        west, south, east, north = territory.bounds
        assert dem.bounds.left < west and dem.bounds.right > east
        assert dem.bounds.bottom < south and dem.bounds.top > north
        inside = rasterio.features.geometry_mask(
            [territory], heights.shape, dem.transform, invert=True
        )
    assert (heights == -99999.0).sum() > 10
    assert (heights[inside] != -99999.0).all()
    valid = heights[heights != -99999.0]
    assert 375.0 < valid.min() < 400.0 and 490.0 < valid.max() < 525.0


def test_gtfs_tables_parse_and_reference_each_other(town: dict[str, Path]) -> None:
    feed = _gtfs(town["gtfs"])
    assert set(feed) == GTFS_FILES
    trips, stop_times = feed["trips.txt"], feed["stop_times.txt"]
    assert set(stop_times["trip_id"]) == set(trips["trip_id"])
    assert set(stop_times["stop_id"]) <= set(feed["stops.txt"]["stop_id"])
    assert set(trips["route_id"]) == set(feed["routes.txt"]["route_id"]) == {"A", "B"}
    assert set(trips["service_id"]) <= set(feed["calendar.txt"]["service_id"])
    for _trip, times in stop_times.groupby("trip_id"):
        seq = times["stop_sequence"].astype(int).tolist()
        assert seq == sorted(seq) == list(range(1, len(seq) + 1))
        seconds = [_seconds(t) for t in times["arrival_time"]]
        assert seconds == sorted(seconds)


def test_about_fifteen_stops_lie_beside_the_roads(
    town: dict[str, Path], roads: gpd.GeoDataFrame
) -> None:
    stops = _gtfs(town["gtfs"])["stops.txt"]
    assert 12 <= len(stops) <= 20
    points = gpd.GeoSeries(
        gpd.points_from_xy(stops["stop_lon"].astype(float), stops["stop_lat"].astype(float)),
        crs=4326,
    )
    network = shapely.union_all(shapely.force_2d(roads.geometry.values))
    assert all(network.distance(p) < 15.0 for p in points.to_crs(2154).values)


def test_a_late_trip_runs_past_midnight(town: dict[str, Path]) -> None:
    stop_times = _gtfs(town["gtfs"])["stop_times.txt"]
    late = stop_times[stop_times["arrival_time"] >= "24:00:00"]
    assert len(late) > 0 and late["trip_id"].nunique() >= 1


def test_only_line_a_publishes_shapes(town: dict[str, Path]) -> None:
    feed = _gtfs(town["gtfs"])
    trips = feed["trips.txt"]
    assert (trips.loc[trips["route_id"] == "B", "shape_id"] == "").all()
    assert set(trips.loc[trips["route_id"] == "A", "shape_id"]) == set(
        feed["shapes.txt"]["shape_id"]
    )


def test_buses_run_every_20_minutes_at_peak_and_hourly_off_peak(town: dict[str, Path]) -> None:
    feed = _gtfs(town["gtfs"])
    trips = feed["trips.txt"]
    first = feed["stop_times.txt"].query("stop_sequence == '1'").merge(trips, on="trip_id")
    weekday = first.query("route_id == 'A' and service_id == 'SEM' and direction_id == '0'")
    starts = sorted(_seconds(t) // 60 for t in weekday["departure_time"])
    gaps = np.diff(starts)
    peak = [g for s, g in zip(starts, gaps, strict=False) if 7 * 60 <= s < 8 * 60 + 40]
    assert peak and max(peak) <= 30
    assert 60 in gaps


def test_public_holidays_switch_weekdays_to_the_weekend_service(town: dict[str, Path]) -> None:
    feed = _gtfs(town["gtfs"])
    calendar = feed["calendar.txt"].set_index("service_id")
    assert calendar.loc["SEM", "monday"] == "1" and calendar.loc["SEM", "sunday"] == "0"
    may_day = feed["calendar_dates.txt"].query("date == '20240501'")
    assert dict(zip(may_day["service_id"], may_day["exception_type"], strict=True)) == {
        "SEM": "2",
        "WE": "1",
    }
    assert feed["feed_info.txt"].loc[0, "feed_lang"] == "fr"
