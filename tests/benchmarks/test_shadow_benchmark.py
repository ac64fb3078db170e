"""Shadow map, winter-solstice sun hours and roof solar potential on synthetic towns.

Run with ``uv run pytest -m benchmark -s tests/benchmarks/test_shadow_benchmark.py``.
The district is 1,000 synthetic buildings (samples/synthetic.py: 3 to 30 m tall, on 46 m lots
in 200 m blocks, about 1.6 x 1.6 km). Figures are printed, never asserted (machines differ);
the goal for one shadow map of the district is at most 1 s.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from samples.synthetic import synthetic_buildings
from scenarios.roof_shading import forget_kept_roofs, roof_unshaded_shares
from scenarios.sample_points import facade_points, ground_points
from scenarios.shadow_map import Obstacles, shaded_points
from scenarios.sun import winter_solstice_positions
from scenarios.sunlight_hours import sun_hours

ORIGIN = (650000.0, 6860000.0)
PLACE = (44.35, 2.57)  # the sun of Rodez
GOAL_S = 1.0
POSITIONS = {  # (azimuth, elevation): 21 December at noon and at 10:00, 21 June at noon
    "21 Dec 12:50": (180.0, 22.2),
    "21 Dec 10:00": (143.0, 12.5),
    "21 Jun 13:50": (180.0, 69.1),
}


def cpu_s() -> float:
    """CPU seconds of this process and of its helper processes that ended (roof strips)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


@pytest.fixture(scope="module")
def district() -> tuple[Obstacles, np.ndarray]:
    """The 1,000-building district and its sample points: facades (every 2 m, 1.5 m up) and
    the ground every 2 m between the buildings."""
    obstacles = Obstacles.from_buildings(synthetic_buildings(1000), ORIGIN)
    every = np.arange(len(obstacles))
    facades = facade_points(obstacles, every)
    xy, nearest = ground_points(obstacles, every, radius_m=10.0, step_m=2.0)
    ground = np.column_stack([xy, obstacles.base_m[nearest]])
    print(
        f"\ndistrict: {len(obstacles)} buildings, {len(facades)} facade points, "
        f"{len(ground)} ground points"
    )
    return obstacles, np.concatenate([facades.xyz, ground])


@pytest.mark.benchmark
@pytest.mark.parametrize("cell_m", [0.5, 1.0])
def test_shadow_map_of_a_1000_building_district_at_one_sun_position(
    district: tuple[Obstacles, np.ndarray], cell_m: float
) -> None:
    obstacles, points = district
    for name, (azimuth, elevation) in POSITIONS.items():
        start = time.perf_counter()
        shaded = shaded_points(points, azimuth, elevation, obstacles, cell_m=cell_m)
        seconds = time.perf_counter() - start
        print(
            f"shadow map, {len(points):,} points, cell {cell_m} m, {name}: {seconds:.3f} s "
            f"(goal {GOAL_S} s), {shaded.mean():.0%} shaded"
        )
        assert shaded.any() and not shaded.all()


@pytest.mark.benchmark
def test_winter_solstice_sun_hours_on_every_facade_of_the_district(
    district: tuple[Obstacles, np.ndarray],
) -> None:
    obstacles, _ = district
    facades = facade_points(obstacles, np.arange(len(obstacles)))
    sun = winter_solstice_positions(*PLACE, step_min=10)
    start = time.perf_counter()
    hours = sun_hours(facades.xyz, obstacles, sun, facades=facades, cell_m=1.0)
    seconds = time.perf_counter() - start
    print(
        f"\nsolstice hours, {len(facades):,} facade points x {len(sun)} sun positions "
        f"(every 10 min), cell 1 m: {seconds:.2f} s; mean {hours.mean():.2f} h, "
        f"{(hours == 0).mean():.0%} of points without sun"
    )
    assert 0 < hours.mean() < 9


@pytest.mark.benchmark
@pytest.mark.parametrize("n", [1_000, 100_000])
def test_roof_solar_potential_of_a_town_and_after_one_edit(n: int) -> None:
    buildings = synthetic_buildings(n)
    forget_kept_roofs()
    start, start_cpu = time.perf_counter(), cpu_s()
    shares = roof_unshaded_shares(buildings, *PLACE)
    full, full_cpu = time.perf_counter() - start, cpu_s() - start_cpu
    edited = buildings.copy()
    edited.loc[n // 2, "height_m"] = 45.0  # one building raised to a tower
    start, start_cpu = time.perf_counter(), cpu_s()
    after = roof_unshaded_shares(edited, *PLACE)
    one_edit, one_edit_cpu = time.perf_counter() - start, cpu_s() - start_cpu
    changed = int((after != shares).sum())
    print(
        f"\nroof solar, {n:,} buildings: full {full:.2f} s (CPU {full_cpu:.2f} s), after "
        f"raising one building {one_edit:.3f} s (CPU {one_edit_cpu:.3f} s; {changed} roofs "
        f"changed); mean unshaded share {shares.mean():.3f}"
    )
    forget_kept_roofs()
    assert changed >= 1 and np.isfinite(shares).all()
