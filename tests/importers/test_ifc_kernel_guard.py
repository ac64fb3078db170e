"""The geometry kernel runs in a forked child: same meshes, a crash or a cancel costs nothing."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from importers.ifc_geometry import geometry_classes, tessellate
from importers.ifc_kernel_guard import can_isolate, tessellate_isolated
from importers.ifc_source import open_ifc
from twin.errors import CancelledError
from twin.feedback import Feedback

MAIRIE = Path(__file__).resolve().parents[2] / "samples" / "data" / "mairie.ifc"

pytestmark = pytest.mark.skipif(not can_isolate(), reason="no fork here: nothing is isolated")


class _Progress(Feedback):
    def __init__(self, cancel_at: float | None = None) -> None:
        super().__init__()
        self.seen: list[float] = []
        self._cancel_at = cancel_at

    def on_progress(self, fraction: float) -> None:
        self.seen.append(fraction)
        if self._cancel_at is not None and fraction >= self._cancel_at:
            self.cancel()


def test_the_child_returns_the_same_meshes_as_the_iterator_in_process() -> None:
    model = open_ifc(MAIRIE).model
    classes = geometry_classes(include_furniture=False)
    here = tessellate(model, classes, Feedback())
    progress = _Progress()
    there, meanwhile = tessellate_isolated(model, classes, progress, MAIRIE.name, lambda: 42)
    assert meanwhile == 42
    assert len(there.step_ids) == len(here.step_ids) > 0
    np.testing.assert_array_equal(there.step_ids, here.step_ids)
    np.testing.assert_array_equal(there.faces, here.faces)
    np.testing.assert_allclose(there.vertices, here.vertices)
    assert multiprocessing.active_children() == []  # the child is gone


def test_cancelling_kills_the_child() -> None:
    model = open_ifc(MAIRIE).model
    feedback = _Progress(cancel_at=0.0)
    feedback.cancel()
    with pytest.raises(CancelledError):
        tessellate_isolated(model, geometry_classes(False), feedback, MAIRIE.name, lambda: None)
    assert multiprocessing.active_children() == []
