"""Parts of a computation shared with forked helpers: same values however they were computed,
helpers that die or fail leave their parts to the parent, and nothing outlives the call."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time

import numpy as np
import pytest

import twin.side_by_side as side_by_side
from twin.side_by_side import SharedParts, can_fork, computed_side_by_side

needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork here: no helper is forked")
PARENT = os.getpid()


def parts_of(n_items: int, n_parts: int) -> list[np.ndarray]:
    """Items dealt round (not runs), so a mix-up of positions would show."""
    return [np.arange(k, n_items, n_parts) for k in range(n_parts)]


def squares_and_who(items: np.ndarray) -> np.ndarray:
    """item² + 0.5 when computed in a helper (so the tests can tell who computed what)."""
    return items.astype(float) ** 2 + (0.0 if os.getpid() == PARENT else 0.5)


@pytest.fixture(autouse=True)
def no_helper_left() -> object:
    yield
    assert multiprocessing.active_children() == []


def test_every_item_gets_its_value_in_its_place_whatever_the_number_of_parts() -> None:
    for n_parts in (1, 2, 3, 7):
        values = computed_side_by_side(squares_and_who, parts_of(50, n_parts), 50)
        np.testing.assert_array_equal(np.floor(values), np.arange(50.0) ** 2)


@needs_fork
def test_a_helper_takes_parts_from_the_front_while_the_parent_works_then_the_parent_the_rest() -> (
    None
):
    parts = parts_of(60, 6)
    shared = SharedParts.start(squares_and_who, parts, 60, helpers=1)
    time.sleep(0.5)  # the parent busy elsewhere: the helper has taken every part meanwhile
    values = shared.finish()
    np.testing.assert_array_equal(np.floor(values), np.arange(60.0) ** 2)
    assert (values % 1 == 0.5).all()  # all computed by the helper


@needs_fork
def test_parts_are_shared_when_both_work_at_once() -> None:
    def slow(items: np.ndarray) -> np.ndarray:
        time.sleep(0.05)
        return squares_and_who(items)

    values = SharedParts.start(slow, parts_of(80, 8), 80, helpers=1).finish()
    np.testing.assert_array_equal(np.floor(values), np.arange(80.0) ** 2)
    by_helper = values % 1 == 0.5
    assert by_helper.any() and not by_helper.all()


@needs_fork
def test_the_parts_of_a_helper_that_dies_are_computed_by_the_parent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def dies_in_a_helper(items: np.ndarray) -> np.ndarray:
        if os.getpid() != PARENT:
            os._exit(9)  # killed, out of memory: no Python cleanup
        return squares_and_who(items)

    shared = SharedParts.start(dies_in_a_helper, parts_of(40, 4), 40, helpers=1)
    time.sleep(0.5)  # the helper has taken its first part and died
    with caplog.at_level(logging.WARNING, logger="twin.side_by_side"):
        values = shared.finish()
    np.testing.assert_array_equal(values, np.arange(40.0) ** 2)
    assert "computed here" in caplog.text and "[9]" in caplog.text


@needs_fork
def test_an_error_in_a_helper_is_raised_by_the_parent_computing_the_same_part() -> None:
    def refuses_seven(items: np.ndarray) -> np.ndarray:
        time.sleep(0.02)
        if 7 in items:
            raise ValueError("seven is refused")
        return squares_and_who(items)

    with pytest.raises(ValueError, match="seven is refused"):
        SharedParts.start(refuses_seven, parts_of(40, 4), 40, helpers=1).finish()


@needs_fork
def test_a_lock_left_taken_by_a_dead_helper_does_not_hang_the_parent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(side_by_side, "_LOCK_TIMEOUT_S", 0.2)

    def slow(items: np.ndarray) -> np.ndarray:
        time.sleep(0.05)
        return squares_and_who(items)

    shared = SharedParts.start(slow, parts_of(40, 8), 40, helpers=1)
    time.sleep(0.02)
    assert shared._lock.acquire(timeout=5)  # as a helper killed while holding it would leave it
    try:
        values = shared.finish()
    finally:
        shared._lock.release()
    np.testing.assert_array_equal(np.floor(values), np.arange(40.0) ** 2)


@needs_fork
def test_cancelling_stops_the_helpers_at_once() -> None:
    def very_slow(items: np.ndarray) -> np.ndarray:
        time.sleep(30)
        return squares_and_who(items)

    shared = SharedParts.start(very_slow, parts_of(10, 2), 10, helpers=1)
    start = time.perf_counter()
    shared.cancel()
    assert time.perf_counter() - start < 5
    with pytest.raises(RuntimeError, match="already finished"):
        shared.finish()


def test_without_fork_the_parts_are_computed_here_on_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(side_by_side.PROCESSES_VARIABLE, "0")
    assert not can_fork()
    threads = set()

    def noted(items: np.ndarray) -> np.ndarray:
        threads.add(threading.current_thread().name)
        time.sleep(0.05)  # long enough for the pool to hand parts to both threads
        return squares_and_who(items)

    values = SharedParts.start(noted, parts_of(30, 3), 30, helpers=1).finish()
    np.testing.assert_array_equal(values, np.arange(30.0) ** 2)  # no helper's 0.5
    assert len(threads) == 2 and all(name.startswith("side-by-side") for name in threads)


@needs_fork
def test_a_ctrl_c_sent_to_the_helpers_too_is_left_to_the_parent(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def slow(items: np.ndarray) -> np.ndarray:
        time.sleep(0.05)
        return squares_and_who(items)

    shared = SharedParts.start(slow, parts_of(40, 8), 40, helpers=1)
    time.sleep(0.1)  # the helper has set itself up
    for helper in shared._helpers:  # a terminal sends Ctrl+C to the whole process group
        assert helper.pid is not None
        os.kill(helper.pid, signal.SIGINT)
    values = shared.finish()
    np.testing.assert_array_equal(np.floor(values), np.arange(40.0) ** 2)
    assert (values % 1 == 0.5).any()  # the helper went on computing
    assert "KeyboardInterrupt" not in capfd.readouterr().err
