"""Roof shares computed in strips, in helper processes, started early by the engine: always the
same shares, to the bit, as in one piece; no helper left behind."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scenarios.roof_shading as roof_shading
from samples.build import build_sample_project
from samples.synthetic import synthetic_buildings
from scenarios.indicators.engine import IndicatorEngine, is_slow, load_indicators, names_at
from scenarios.roof_shading import forget_kept_roofs, roof_unshaded_shares, start_roof_shares
from twin.city import City
from twin.levels import Level
from twin.project import load_project
from twin.side_by_side import can_fork

RODEZ = (44.35, 2.57)


@pytest.fixture(autouse=True)
def small_strips(monkeypatch: pytest.MonkeyPatch) -> object:
    """Strips from 2 × 150 roofs on, on two cores whatever this machine has."""
    monkeypatch.setattr(roof_shading, "_ROOFS_PER_STRIP", 150)
    monkeypatch.setattr(roof_shading, "usable_cores", lambda: 2)
    forget_kept_roofs()
    yield
    forget_kept_roofs()
    assert multiprocessing.active_children() == []


def in_one_piece(buildings: object, monkeypatch: pytest.MonkeyPatch) -> np.ndarray:
    with monkeypatch.context() as patch:
        patch.setattr(roof_shading, "_ROOFS_PER_STRIP", 10**9)
        forget_kept_roofs()
        shares = roof_unshaded_shares(buildings, *RODEZ)  # type: ignore[arg-type]
    forget_kept_roofs()
    return shares


def test_strips_give_the_shares_of_one_piece_to_the_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    buildings = synthetic_buildings(900, seed=3)
    whole = in_one_piece(buildings, monkeypatch)
    assert len(roof_shading._strips(roof_shading.roof_obstacles(buildings)[0], np.arange(900))) == 2
    np.testing.assert_array_equal(roof_unshaded_shares(buildings, *RODEZ), whole)
    assert 0.5 < np.nanmean(whole) < 1 and (whole < 0.99).sum() > 50  # real shading to compare


def test_started_early_the_shares_are_the_same_and_taken_up_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buildings = synthetic_buildings(900, seed=3)
    whole = in_one_piece(buildings, monkeypatch)
    started = start_roof_shares(buildings, *RODEZ)
    assert started is not None
    assert len(roof_shading._STARTED) == 1
    np.testing.assert_array_equal(roof_unshaded_shares(buildings, *RODEZ), whole)
    assert roof_shading._STARTED == {}  # taken up
    started.cancel()  # nothing left to cancel: harmless
    assert start_roof_shares(buildings, *RODEZ) is None  # kept now: an edit recomputes a few


def test_started_for_other_buildings_it_is_dropped_and_the_asked_ones_computed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buildings = synthetic_buildings(900, seed=3)
    raised = buildings.copy()
    raised.loc[450, "height_m"] = 60.0
    expected = in_one_piece(raised, monkeypatch)
    assert start_roof_shares(buildings, *RODEZ) is not None
    np.testing.assert_array_equal(roof_unshaded_shares(raised, *RODEZ), expected)
    assert roof_shading._STARTED == {}


def test_a_start_not_taken_up_is_cancelled_without_leaving_a_helper() -> None:
    started = start_roof_shares(synthetic_buildings(900, seed=3), *RODEZ)
    assert started is not None
    started.cancel()
    assert roof_shading._STARTED == {} and multiprocessing.active_children() == []


def test_a_small_town_is_not_started_early() -> None:
    assert start_roof_shares(synthetic_buildings(200, seed=3), *RODEZ) is None


@pytest.fixture(scope="module")
def sample_city(tmp_path_factory: pytest.TempPathFactory) -> City:
    path: Path = build_sample_project(tmp_path_factory.mktemp("valmont"))
    return load_project(path)


@pytest.mark.skipif(not can_fork(), reason="no fork here: nothing starts early")
def test_the_engine_starts_roof_shading_before_the_other_indicators_with_the_same_values(
    sample_city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_indicators()
    names = names_at(Level.DISTRICT) + names_at(Level.BUILDING)
    slow = [name for name in names if is_slow(name)]
    assert slow and len(slow) < len(names)
    separately = {**IndicatorEngine(sample_city).compute(slow)}
    forget_kept_roofs()
    separately |= IndicatorEngine(sample_city).compute([n for n in names if n not in slow])
    forget_kept_roofs()
    taken_up = []
    start = roof_shading.start_roof_shares

    def watched(*args: object, **kwargs: object) -> object:
        started = start(*args, **kwargs)  # type: ignore[arg-type]
        taken_up.append(started)
        return started

    computed_anew = []
    compute = roof_shading._computed_shares

    def spied(*args: object, **kwargs: object) -> np.ndarray:
        computed_anew.append(args)
        return compute(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("scenarios.indicators.solar.start_roof_shares", watched)
    monkeypatch.setattr(roof_shading, "_computed_shares", spied)
    together = IndicatorEngine(sample_city).compute(names)
    assert len(taken_up) == 1 and taken_up[0] is not None  # 390 roofs: strips of 150 and more
    assert computed_anew == []  # what was started was taken up, not computed again
    assert list(together) == names
    for name in names:
        pd.testing.assert_series_equal(together[name], separately[name], check_exact=True)
