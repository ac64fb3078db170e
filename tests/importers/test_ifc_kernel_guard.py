"""The geometry kernel runs in a forked child: same meshes, a crash or a cancel costs nothing."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from importers.ifc_geometry import Tessellation, geometry_classes, tessellate, unpack_batch
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


class _Batches(list):
    """Batches of meshes, in the order they came."""

    def add(self, batch: Tessellation) -> None:
        self.append(batch)


def _joined(batches: list[Tessellation]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step ids, vertices and faces (numbered over all batches) of batches end to end."""
    starts = np.cumsum([0] + [len(b.vertices) for b in batches])
    faces = np.concatenate([b.faces + start for b, start in zip(batches, starts, strict=False)])
    step_ids = np.concatenate([b.step_ids for b in batches])
    return step_ids, np.concatenate([b.vertices for b in batches]), faces


def test_the_child_returns_the_same_meshes_as_the_iterator_in_process() -> None:
    model = open_ifc(MAIRIE).model
    classes = geometry_classes(include_furniture=False)
    here: list[Tessellation] = []
    tessellate(model, classes, Feedback(), lambda blob, _: here.append(unpack_batch(blob)))
    progress = _Progress()
    there = tessellate_isolated(model, classes, progress, MAIRIE.name, _Batches)
    assert isinstance(there, _Batches)  # what meanwhile returned, once it took the batches
    (here_ids, here_vertices, here_faces), (there_ids, there_vertices, there_faces) = (
        _joined(here),
        _joined(there),
    )
    assert len(there_ids) == len(here_ids) > 0
    np.testing.assert_array_equal(there_ids, here_ids)
    np.testing.assert_array_equal(there_faces, here_faces)
    np.testing.assert_allclose(there_vertices, here_vertices)
    assert multiprocessing.active_children() == []  # the child is gone


def test_cancelling_kills_the_child() -> None:
    model = open_ifc(MAIRIE).model
    feedback = _Progress(cancel_at=0.0)
    feedback.cancel()
    with pytest.raises(CancelledError):
        tessellate_isolated(model, geometry_classes(False), feedback, MAIRIE.name, _Batches)
    assert multiprocessing.active_children() == []
