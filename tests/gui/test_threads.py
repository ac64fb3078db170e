"""Background jobs run one after the other, each in a fresh thread (see gui/threads.py)."""

from __future__ import annotations

import threading
import time

from gui.threads import FreshThreads


class Sleeper:
    def __init__(self, log: list[tuple[str, str, float]], name: str) -> None:
        self.log, self.name = log, name

    def run(self) -> None:
        self.log.append((self.name, "start", time.perf_counter()))
        time.sleep(0.05)
        self.log.append((self.name, "end", time.perf_counter()))


def test_jobs_run_one_at_a_time_each_in_its_own_thread() -> None:
    log: list[tuple[str, str, float]] = []
    names: list[str] = []
    threads = FreshThreads("test")
    for name in "abc":
        threads.start(Sleeper(log, name))
        names.append(threads._threads[-1].name)
    assert threads.waitForDone(5000)
    assert [entry[:2] for entry in log] == [
        ("a", "start"),
        ("a", "end"),
        ("b", "start"),
        ("b", "end"),
        ("c", "start"),
        ("c", "end"),
    ]
    assert len(set(names)) == 3 and threading.current_thread().name not in names
    assert threads.activeThreadCount() == 0


def test_a_failing_job_does_not_stop_the_next_one() -> None:
    ran: list[str] = []

    class Broken:
        def run(self) -> None:
            raise RuntimeError("boom")

    class Fine:
        def run(self) -> None:
            ran.append("fine")

    threads = FreshThreads("test")
    threads.start(Broken())
    threads.start(Fine())
    assert threads.waitForDone(5000)
    assert ran == ["fine"]
