"""Rebuilding the 3D view's meshes off the GUI thread, one build at a time.

:class:`SceneBuilder` takes requests (a :data:`~gui.scene_update.Plan` after each change of
the City), coalesces bursts with a short timer, then hands a snapshot of the City
(``City.copy(share_layers=True)``: the same frames, rasters and meshes, which a change replaces
and never modifies, so the snapshot stays consistent) to a :class:`SceneWorker` in its own
one-thread pool. The worker builds the layers with
:func:`gui.scene_update.build_scene` (numpy, shapely, VTK data objects: no OpenGL) and reports
back through a queued signal; the view swaps the actors on the GUI thread.

A request arriving while a build runs supersedes it: the running worker is told to stop at its
next layer, its result is discarded when it arrives, and its plan is merged into the next
build, which starts from the layers then on screen. Errors come back as a message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QRunnable, QTimer, Signal

from gui.i18n import tr
from gui.scene import SceneLayer
from gui.scene_update import Plan, build_scene, merge_plans
from gui.threads import FreshThreads
from twin.city import City
from twin.errors import CancelledError

logger = logging.getLogger(__name__)

#: Changes closer than this make one build.
COALESCE_MS = 40
#: A build running longer than this shows a message in the status bar.
BUSY_MESSAGE_MS = 300
#: How long ``shutdown`` waits for a running build.
SHUTDOWN_WAIT_MS = 30_000


@dataclass
class SceneOutcome:
    """What a worker brought back.

    Attributes:
        generation: the build's number (increasing).
        plan: what was asked.
        layers: the layers built (None: the layer has nothing to draw any more).
        error: one line when the build failed ("" otherwise).
        cancelled: superseded before the end (``layers`` is then incomplete).
        seconds: how long the build took in the worker.
    """

    generation: int
    plan: Plan
    layers: dict[str, SceneLayer | None] = field(default_factory=dict)
    error: str = ""
    cancelled: bool = False
    seconds: float = 0.0


class SceneSignals(QObject):
    """Signals of a worker (the object lives in the GUI thread, so slots run there)."""

    finished = Signal(object)


class SceneWorker(QRunnable):
    """Build ``plan`` from ``snapshot`` (starting from the ``previous`` layers), then emit
    ``signals.finished(SceneOutcome)`` once."""

    def __init__(
        self,
        generation: int,
        snapshot: City,
        plan: Plan,
        previous: Mapping[str, SceneLayer],
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the builder keeps it until ``finished`` is handled
        self.generation = generation
        self.snapshot = snapshot
        self.plan = dict(plan)
        self.previous = dict(previous)
        self.signals = SceneSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the worker to stop at its next layer (safe from any thread)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def run(self) -> None:
        """Build; never raises (errors go into the outcome)."""
        outcome = SceneOutcome(self.generation, self.plan)
        start = time.perf_counter()
        try:
            outcome.layers = build_scene(self.snapshot, self.plan, self.previous, self.is_cancelled)
        except CancelledError:
            outcome.cancelled = True
        except Exception as exc:  # a bug must not vanish in a thread: report it
            logger.exception("building the 3D view failed")
            outcome.error = f"{type(exc).__name__}: {exc}"
        outcome.cancelled = outcome.cancelled or self.is_cancelled()
        outcome.seconds = time.perf_counter() - start
        self.snapshot = None  # type: ignore[assignment]  # free the copy in the worker thread
        self.signals.finished.emit(outcome)


class SceneBuilder(QObject):
    """Runs scene builds in a worker thread, one at a time, newest request first.

    Signals:
        built(outcome): a :class:`SceneOutcome` to show (never a superseded one).
        failed(message): a build failed; one line saying why.
        busy_changed(busy): a build started (True) or the last one ended (False).
        message(text): for the status bar: a build running longer than
            :data:`BUSY_MESSAGE_MS` says so (and "" when done), a failed one says why.
    """

    built = Signal(object)
    failed = Signal(str)
    busy_changed = Signal(bool)
    message = Signal(str)

    def __init__(
        self,
        shown_layers: Callable[[], Mapping[str, SceneLayer]],
        parent: QObject | None = None,
        delay_ms: int = COALESCE_MS,
    ) -> None:
        super().__init__(parent)
        self._shown_layers = shown_layers
        self._pool = FreshThreads("scene")  # not a QThreadPool: see gui/threads.py
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_MESSAGE_MS)
        self._busy_timer.timeout.connect(self._say_busy)
        self._said_busy = False
        self.busy_changed.connect(self._on_busy_changed)
        self._city: City | None = None
        self._pending: Plan = {}
        self._running: SceneWorker | None = None
        self.generation = 0
        self.superseded = 0  # builds discarded because a newer request came (for tests)

    @property
    def busy(self) -> bool:
        """Whether a build runs or waits to start."""
        return self._running is not None or bool(self._pending)

    def request(self, city: City, plan: Plan) -> None:
        """Rebuild ``plan`` from ``city`` soon (requests within :data:`COALESCE_MS` make one
        build); a build running now is superseded."""
        if not plan:
            return
        if city is not self._city:
            self.reset()
            self._city = city
        self._pending = merge_plans(self._pending, plan)
        self.supersede()
        self._timer.start()

    def supersede(self) -> None:
        """Stop the running build, if any; its plan is done again by the next build."""
        running = self._running
        if running is not None and not running.is_cancelled():
            running.cancel()
            self._pending = merge_plans(running.plan, self._pending)
            self.superseded += 1
            logger.debug("scene build %d superseded", running.generation)

    def reset(self) -> None:
        """Forget every request and drop the running build's result (another City is shown)."""
        self._timer.stop()
        self._pending = {}
        self._city = None
        if self._running is not None:
            self._running.cancel()

    def shutdown(self) -> None:
        """Reset, then wait for a running worker (before the view goes)."""
        self.reset()
        self._busy_timer.stop()
        self._pool.waitForDone(SHUTDOWN_WAIT_MS)

    def wait(self, timeout_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Start what is pending now and wait for the worker (tests, benchmarks). Results are
        delivered by the event loop afterwards."""
        if self._timer.isActive():
            self._timer.stop()
            self._start()
        return self._pool.waitForDone(timeout_ms)

    def _start(self) -> None:
        if self._running is not None or not self._pending or self._city is None:
            return
        self.generation += 1
        plan, self._pending = self._pending, {}
        snapshot = self._city.copy(share_layers=True)  # frames are replaced, never modified
        worker = SceneWorker(self.generation, snapshot, plan, self._shown_layers())
        worker.signals.finished.connect(self._on_finished)
        self._running = worker
        self.busy_changed.emit(True)
        self._pool.start(worker)

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
            return
        self._busy_timer.stop()
        if self._said_busy:
            self._said_busy = False
            self.message.emit("")

    def _say_busy(self) -> None:
        self._said_busy = True
        self.message.emit(tr("view.building"))

    def _on_finished(self, outcome: SceneOutcome) -> None:
        worker, self._running = self._running, None
        if worker is None or outcome.generation != worker.generation:
            logger.warning("scene build %d finished out of turn", outcome.generation)
        elif outcome.cancelled or worker.is_cancelled():
            logger.debug("scene build %d discarded", outcome.generation)
        elif outcome.error:
            self.failed.emit(outcome.error)
            self.message.emit(tr("view.build_failed", error=outcome.error))
        else:
            logger.debug(
                "scene build %d: %s in %.2f s",
                outcome.generation,
                sorted(outcome.plan),
                outcome.seconds,
            )
            self.built.emit(outcome)
        if self._pending and not self._timer.isActive():
            self._start()
        if self._running is None:
            self.busy_changed.emit(False)
