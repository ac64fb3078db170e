"""How long the indicators dashboard's worker takes on a 100,000-building town: the first
computation of a commune's indicators for the baseline and one scenario, then the same after
an edit of the scenario (followed on the worker's own City: only what depends on the edit is
computed again), and after its undo. Run with ``pytest -m benchmark -s``."""

from __future__ import annotations

import copy
import time

import pytest

from gui.indicator_cities import IndicatorCities, IndicatorRequest
from scenarios.edits import AddFloors
from scenarios.scenario import Scenario, store_scenario
from tests.benchmarks.test_indicator_benchmark import synthetic_town
from twin.levels import Level

N_BUILDINGS = 100_000
SCENARIO = "Surélever"


@pytest.mark.benchmark
def test_the_dashboard_worker_on_a_100k_building_town() -> None:
    city = synthetic_town(N_BUILDINGS)
    ids = city.layer("buildings")["id"].astype(str)
    store_scenario(city, Scenario(SCENARIO, edits=(AddFloors(tuple(ids[:200]), 1),)))
    commune = str(city.layer("communes")["id"].iloc[0])
    snapshot = city.copy(share_layers=True)
    cities = IndicatorCities()

    def run(definitions: dict) -> tuple[float, int, float]:
        request = IndicatorRequest(
            generation=1,
            baseline=snapshot,
            definitions=definitions,
            scenarios=(SCENARIO,),
            level=Level.COMMUNE,
            unit_id=commune,
        )
        start = time.perf_counter()
        result = cities.compute(request)
        assert not result.errors
        value = float(result.rows.set_index("indicator").loc["floor_area_m2_commune", SCENARIO])
        return time.perf_counter() - start, result.recomputed, value

    original = copy.deepcopy(city.scenarios)
    edited = copy.deepcopy(original)
    edited[SCENARIO]["edits"].append({"kind": "add_floors", "ids": [ids[500]], "floors": 2})
    first, first_count, before = run(original)
    again, again_count, _ = run(original)
    after_edit, edit_count, after = run(edited)
    after_undo, undo_count, undone = run(original)
    print(
        f"\n{N_BUILDINGS} buildings, commune level, baseline + 1 scenario: first "
        f"{first:.2f} s ({first_count} computed, scenario applied), unchanged "
        f"{1000 * again:.0f} ms ({again_count}), after an edit {1000 * after_edit:.0f} ms "
        f"({edit_count}), after its undo {1000 * after_undo:.0f} ms ({undo_count})"
    )
    assert after > before and undone == pytest.approx(before, rel=1e-9)
    assert again_count == 0 and edit_count < first_count
