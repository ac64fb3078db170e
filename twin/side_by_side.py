"""Parts of one numpy computation shared between this process and forked helpers.

Threads share numpy's work only where it releases the GIL on whole arrays; a computation made
of many operations on small arrays (the horizons of roof points, a few thousand pairs at a
time) spends much of its time in the interpreter, so two threads make it only ~1.3 times
faster on two cores. A forked child inherits the parent's arrays as they are (copy-on-write:
nothing is pickled or copied) and runs its own interpreter.

:class:`SharedParts` splits the items of a computation (one number per item: a roof's share of
sun, say) into parts. :meth:`SharedParts.start` forks one helper per other core; each takes
parts from the front, computes them and writes their values into memory shared with the
parent. The parent may do other work meanwhile, then :meth:`SharedParts.finish` takes the
parts left from the back, computes them itself and waits for the helpers: the work balances
itself whatever the parent did in between. :func:`computed_side_by_side` does both at once.

Where ``fork`` does not exist (Windows) or :data:`PROCESSES_VARIABLE` is ``0``, nothing is
forked and :meth:`SharedParts.finish` computes every part in the process itself, on as many
threads as there would have been processes. A part whose
helper died (killed, out of memory) is computed again by the parent, so the result never
depends on how it was computed; an exception ``compute`` raises in a helper is raised again by
the same part in the parent. Helpers leave with ``os._exit`` (multiprocessing's fork start):
none of the parent's exit handlers, Qt objects or open files are run or flushed twice.
"""

from __future__ import annotations

import logging
import mmap
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.process import BaseProcess
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

#: Set to "0" to compute every part in the process itself (no helper is forked).
PROCESSES_VARIABLE = "TWIN_PROCESSES"

_FREE, _TAKEN, _DONE = 0, 1, 2
_LOCK_TIMEOUT_S = 5.0
"""Taking a part holds the lock for microseconds: waiting longer means its holder was killed
while holding it (the parent then stops the helpers and computes what is left itself)."""
Compute = Callable[[np.ndarray], np.ndarray]


def usable_cores() -> int:
    """The processors this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether helpers are forked here: the system starts processes by ``fork`` (Linux,
    macOS; not Windows) and :data:`PROCESSES_VARIABLE` is not ``0``."""
    return (
        sys.platform != "win32"
        and "fork" in multiprocessing.get_all_start_methods()
        and os.environ.get(PROCESSES_VARIABLE, "1") != "0"
    )


class SharedParts:
    """The values of ``n_items`` items, computed part by part by this process and helpers.

    ``parts``: the items of each part (positions in ``0..n_items``, each item in one part);
    ``compute(items)`` returns their values (float64), the same in any process: it must not
    change anything the parent keeps (a helper's changes are lost).
    """

    def __init__(self, compute: Compute, parts: Sequence[np.ndarray], n_items: int) -> None:
        self._compute = compute
        self._parts = [np.asarray(part, dtype=np.int64) for part in parts]
        self._values = np.full(n_items, np.nan)
        self._state: np.ndarray | None = None
        self._memory: list[mmap.mmap] = []
        self._helpers: list[BaseProcess] = []
        self._lock: Any = None
        self._stuck = False  # the lock's holder died holding it
        self._threads = 1  # without fork: threads computing the parts at finish
        self._finished = False

    @classmethod
    def start(
        cls, compute: Compute, parts: Sequence[np.ndarray], n_items: int, helpers: int | None = None
    ) -> SharedParts:
        """Fork ``helpers`` (by default one per other core, at most one per part but one)
        that start computing the parts from the front, and return at once."""
        shared = cls(compute, parts, n_items)
        wanted = usable_cores() - 1 if helpers is None else helpers
        wanted = min(wanted, len(parts) - 1)
        if wanted > 0 and can_fork():
            shared._fork(wanted)
        else:
            shared._threads = max(wanted, 0) + 1
        return shared

    def _fork(self, helpers: int) -> None:
        n_items, n_parts = len(self._values), len(self._parts)
        values_memory = mmap.mmap(-1, max(n_items * 8, 1))  # anonymous and shared: MAP_SHARED
        state_memory = mmap.mmap(-1, max(n_parts + 2, 1) * 8)
        self._memory = [values_memory, state_memory]
        self._values = np.frombuffer(values_memory, dtype=np.float64, count=n_items)
        self._values.fill(np.nan)
        state = np.frombuffer(state_memory, dtype=np.int64, count=n_parts + 2)
        state[:n_parts] = _FREE
        state[n_parts:] = (0, n_parts)  # the next part from the front; one past the last free
        self._state = state
        context = multiprocessing.get_context("fork")
        self._lock = context.Lock()
        for _ in range(helpers):
            helper = context.Process(target=self._help, daemon=True, name="side-by-side")
            helper.start()
            self._helpers.append(helper)

    def _help(self) -> None:
        """A helper's life: parts from the front until none is left."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's: it stops us
        while (part := self._take(front=True)) is not None:
            try:
                self._values[self._parts[part]] = self._compute(self._parts[part])
            except Exception:  # the parent computes the part again and meets the same error
                logger.debug("a shared part failed in a helper", exc_info=True)
                return
            assert self._state is not None
            self._state[part] = _DONE

    def _take(self, *, front: bool) -> int | None:
        """The next free part from the front (helpers) or the back (the parent), taken."""
        state = self._state
        assert state is not None
        n_parts = len(self._parts)
        if not self._lock.acquire(timeout=_LOCK_TIMEOUT_S):
            self._stuck = True
            return None
        try:
            first, end = int(state[n_parts]), int(state[n_parts + 1])
            if first >= end:
                return None
            part = first if front else end - 1
            state[n_parts + (0 if front else 1)] += 1 if front else -1
            state[part] = _TAKEN
        finally:
            self._lock.release()
        return part

    def finish(self) -> np.ndarray:
        """The values of every item: the parts left computed here, from the back, then the
        helpers' (a helper that died leaves its parts to this process)."""
        if self._finished:
            raise RuntimeError("SharedParts.finish: already finished")
        self._finished = True
        try:
            if self._state is None:  # no helper: threads (numpy shares whole arrays' work)
                with ThreadPoolExecutor(self._threads, thread_name_prefix="side-by-side") as pool:
                    for items, values in zip(
                        self._parts, pool.map(self._compute, self._parts), strict=True
                    ):
                        self._values[items] = values
                return self._values.copy()
            while (part := self._take(front=False)) is not None:
                self._values[self._parts[part]] = self._compute(self._parts[part])
                self._state[part] = _DONE
            for helper in self._helpers:
                if self._stuck:  # a helper died holding the lock: the others wait on it
                    helper.kill()
                helper.join()
            left = np.flatnonzero(self._state[: len(self._parts)] != _DONE)
            if len(left):
                codes = [helper.exitcode for helper in self._helpers]
                logger.warning(
                    "a helper process ended without computing %d of its parts (exit codes "
                    "%s): they are computed here",
                    len(left),
                    codes,
                )
            for number in left.tolist():
                self._values[self._parts[number]] = self._compute(self._parts[number])
            return self._values.copy()
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the helpers still computing (the values are not wanted) and free the memory."""
        for helper in self._helpers:
            if helper.is_alive():
                helper.kill()
            helper.join()
            helper.close()
        self._helpers = []
        self._finished = True
        if self._memory:
            self._values = np.array(self._values)  # off the shared pages before they go
            self._state = None
            for memory in self._memory:
                memory.close()
            self._memory = []


def computed_side_by_side(
    compute: Compute, parts: Sequence[np.ndarray], n_items: int
) -> np.ndarray:
    """The values of ``n_items`` items, the ``parts`` computed at the same time (this process
    and one helper per other core): :class:`SharedParts` started and finished at once.

    Example:
        >>> parts = [np.array([0, 2]), np.array([1, 3])]
        >>> computed_side_by_side(lambda items: items * 10.0, parts, 4).tolist()
        [0.0, 10.0, 20.0, 30.0]
    """
    return SharedParts.start(compute, parts, n_items).finish()
