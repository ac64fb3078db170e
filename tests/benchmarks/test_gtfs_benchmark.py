"""Benchmark: read a synthetic GTFS zip with 5 million stop_times.

Goal: ``importers.gtfs.read`` in at most 2 s (median of 3 runs after a warm-up). The feed is
written once per session to a temporary folder: 2,000 stops, 400 routes with shapes,
200,000 trips of 25 stops (weekday, Saturday, Sunday services and public holidays), times past
midnight, stop_times with the usual optional columns, deflated like an operator's export.
Figures are printed, never asserted. Run with
``.venv/bin/python -m pytest -m benchmark -s tests/benchmarks/test_gtfs_benchmark.py``.
"""

from __future__ import annotations

import statistics
import time
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pytest
from pyproj import CRS

from importers import gtfs
from importers.base import ImportOptions
from importers.gtfs_feed import load_feed
from importers.gtfs_profile import service_profile

pytestmark = pytest.mark.benchmark

GOAL_S = 2.0
RUNS = 3
N_STOP_TIMES = 5_000_000
STOPS_PER_TRIP = 25
N_STOPS = 2_000
N_ROUTES = 400


def _text(values: np.ndarray, names: list[str]) -> pa.Array:
    """Text column from codes into a small list of names (built by Arrow, not by Python)."""
    dictionary = pa.array(names, pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(values, pa.int32()), dictionary).cast(
        pa.string()
    )


def _csv(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pcsv.write_csv(table, sink, pcsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue().to_pybytes()


def write_synthetic_feed(path: Path, n_stop_times: int = N_STOP_TIMES, seed: int = 7) -> Path:
    """A deflated GTFS zip with ``n_stop_times`` rows in stop_times.txt."""
    rng = np.random.default_rng(seed)
    n_trips = n_stop_times // STOPS_PER_TRIP
    trip = np.repeat(np.arange(n_trips), STOPS_PER_TRIP)
    position = np.tile(np.arange(STOPS_PER_TRIP), n_trips)
    route = rng.integers(0, N_ROUTES, n_trips)
    direction = rng.integers(0, 2, n_trips)
    patterns = rng.integers(0, N_STOPS, (N_ROUTES, STOPS_PER_TRIP))
    along = np.where(direction[trip] == 0, position, STOPS_PER_TRIP - 1 - position)
    stop = patterns[route[trip], along]
    start_s = rng.integers(5 * 3600, 25 * 3600, n_trips)  # the last ones run past midnight
    time_s = start_s[trip] + position * 90
    clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(30 * 3600)]
    trip_ids = [f"T{i:06d}" for i in range(n_trips)]
    stop_ids = [f"S{i:04d}" for i in range(N_STOPS)]
    times = _text(time_s, clock)
    stop_times = pa.table(
        {
            "trip_id": _text(trip, trip_ids),
            "arrival_time": times,
            "departure_time": times,
            "stop_id": _text(stop, stop_ids),
            "stop_sequence": pa.array(position + 1, pa.int32()),
            "pickup_type": pa.array(np.zeros(len(trip), np.int8)),
            "drop_off_type": pa.array(np.zeros(len(trip), np.int8)),
            "shape_dist_traveled": pa.array(np.round(position * 412.5, 1)),
        }
    )
    lat = 44.30 + rng.random(N_STOPS) * 0.1
    lon = 2.50 + rng.random(N_STOPS) * 0.15
    services = np.array(["WK", "SA", "SU"])[rng.choice(3, n_trips, p=[0.7, 0.2, 0.1])]
    shapes = np.arange(N_ROUTES * 2)
    points = np.repeat(shapes, STOPS_PER_TRIP)
    shape_position = np.tile(np.arange(STOPS_PER_TRIP), len(shapes))
    shape_stop = patterns[
        points // 2, np.where(points % 2 == 0, shape_position, 24 - shape_position)
    ]
    tables = {
        "agency.txt": b"agency_id,agency_name,agency_url,agency_timezone\nA,Synth,https://x.org,Europe/Paris\n",
        "stops.txt": _csv(
            pa.table({"stop_id": stop_ids, "stop_name": stop_ids, "stop_lat": lat, "stop_lon": lon})
        ),
        "routes.txt": _csv(
            pa.table(
                {
                    "route_id": [f"R{i}" for i in range(N_ROUTES)],
                    "route_short_name": [str(i) for i in range(N_ROUTES)],
                    "route_type": pa.array(np.full(N_ROUTES, 3)),
                }
            )
        ),
        "trips.txt": _csv(
            pa.table(
                {
                    "route_id": _text(route, [f"R{i}" for i in range(N_ROUTES)]),
                    "service_id": services,
                    "trip_id": trip_ids,
                    "direction_id": direction,
                    "shape_id": _text(route * 2 + direction, [f"SH{i}" for i in shapes]),
                }
            )
        ),
        "stop_times.txt": _csv(stop_times),
        "shapes.txt": _csv(
            pa.table(
                {
                    "shape_id": _text(points, [f"SH{i}" for i in shapes]),
                    "shape_pt_lat": lat[shape_stop],
                    "shape_pt_lon": lon[shape_stop],
                    "shape_pt_sequence": shape_position,
                }
            )
        ),
        "calendar.txt": (
            b"service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
            b"end_date\nWK,1,1,1,1,1,0,0,20240101,20241231\nSA,0,0,0,0,0,1,0,20240101,20241231\n"
            b"SU,0,0,0,0,0,0,1,20240101,20241231\n"
        ),
        "calendar_dates.txt": b"service_id,date,exception_type\nWK,20240501,2\nSU,20240501,1\n",
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in tables.items():
            archive.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def feed_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    start = time.perf_counter()
    path = write_synthetic_feed(tmp_path_factory.mktemp("gtfs") / "synthetic.zip")
    print(
        f"\nsynthetic feed written in {time.perf_counter() - start:.1f} s: "
        f"{path.stat().st_size / 2**20:.0f} MiB zipped"
    )
    return path


def test_read_a_gtfs_zip_with_5_million_stop_times(feed_zip: Path) -> None:
    target = CRS.from_epsg(2154)
    options = ImportOptions()
    result = gtfs.read(feed_zip, target_crs=target, options=options)  # warm-up
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        result = gtfs.read(feed_zip, target_crs=target, options=options)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    start = time.perf_counter()
    feed, _ = load_feed(feed_zip)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    service_profile(feed, None)
    profiled = time.perf_counter() - start
    details = result.provenance.details
    median = statistics.median(walls)
    print(
        f"\nGTFS read, {details['stop_times']:,} stop_times, {details['trips']:,} trips: "
        f"median {median:.2f} s wall (runs {', '.join(f'{w:.2f}' for w in walls)}), "
        f"median {statistics.median(cpus):.2f} s CPU over all threads; goal {GOAL_S:.1f} s: "
        f"{'met' if median <= GOAL_S else 'NOT met'}\n"
        f"  of which load_feed {loaded:.2f} s, service_profile {profiled:.2f} s; "
        f"service day {details['service_date']} ({details['trips_on_service_date']:,} trips), "
        f"{len(result.layers['transit_stop_hours']):,} stop-hour rows"
    )
    assert details["stop_times"] == N_STOP_TIMES
    assert len(result.layers["transit_stops"]) == N_STOPS
    assert len(result.layers["transit_routes"]) == N_ROUTES
