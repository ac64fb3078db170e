"""Meshes streamed in batches from the kernel's child process: the import is the same to the bit
as in-process and whatever the batch size, and a crash or a cancel mid-way leaves nothing."""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from importers import ifc, ifc_batches, ifc_geometry, ifc_kernel_guard
from importers.base import ImportOptions, ImportResult
from importers.ifc_crs import Georeference
from importers.ifc_kernel_guard import ISOLATE_VARIABLE, can_isolate
from tests.importers.ifc_authoring import Author
from twin.errors import CancelledError, InvalidInputError
from twin.feedback import Feedback

MAIRIE = Path(__file__).resolve().parents[2] / "samples" / "data" / "mairie.ifc"
LAMBERT93 = pyproj.CRS.from_epsg(2154)
#: Where the real files without an IfcMapConversion go (their latitude/longitude also works,
#: but a placement with a rotation exercises the transform of every vertex).
PLACED = ImportOptions(placement_xyz=(668000.0, 6357000.0, 120.0), rotation_deg=23.0)
REAL_FILES = {
    "AC20-FZK-Haus.ifc": ImportOptions(),  # site latitude/longitude: pyproj on every vertex
    "duplex.ifc": PLACED,  # Revit's mirrored elements: meshes turned outwards
    "IfcOpenHouse_IFC4.ifc": PLACED,  # millimetres
    "geographic-referencing-utm.ifc": ImportOptions(),  # IfcMapConversion to EPSG:25832
}
MESH_FIELDS = ("vertices", "faces", "vertex_offsets", "face_offsets", "object_ids")


def _fork_or_skip() -> None:
    if not can_isolate():
        pytest.skip("no fork here (or TWIN_IFC_ISOLATE=0): the kernel always runs in-process")


def _read(
    path: Path,
    options: ImportOptions,
    monkeypatch: pytest.MonkeyPatch,
    *,
    isolate: bool,
    batch_elements: int | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """``ifc.read``, the kernel in a child or in-process; batches of ``batch_elements`` exactly
    (0: the whole model in one batch; None: as in production, 500 elements or 0.1 s)."""
    with monkeypatch.context() as patch:
        patch.setenv(ISOLATE_VARIABLE, "1" if isolate else "0")
        if batch_elements is not None:
            patch.setattr(ifc_geometry, "BATCH_ELEMENTS", batch_elements or 10**9)
            patch.setattr(ifc_geometry, "BATCH_SECONDS", math.inf)
        return ifc.read(path, target_crs=LAMBERT93, options=options, feedback=feedback)


def _count_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of the batches the import takes from now on (in the parent)."""
    sizes: list[int] = []
    add = ifc_batches.MeshBatches.add

    def counted(self: ifc_batches.MeshBatches, batch: ifc_geometry.Tessellation) -> None:
        sizes.append(len(batch.step_ids))
        add(self, batch)

    monkeypatch.setattr(ifc_batches.MeshBatches, "add", counted)
    return sizes


def assert_same_import(got: ImportResult, expected: ImportResult) -> None:
    """Same layers (rows in order, values and geometries to the bit), meshes, issues and
    provenance details."""
    assert list(got.layers) == list(expected.layers)
    for name, frame in expected.layers.items():
        other = got.layers[name]
        assert list(other.columns) == list(frame.columns), name
        columns = [c for c in frame.columns if c != "geometry"]
        pd.testing.assert_frame_equal(
            pd.DataFrame(other[columns]), pd.DataFrame(frame[columns]), check_exact=True
        )
        if "geometry" in frame:
            wkb = [
                shapely.to_wkb(np.asarray(f.geometry.values, dtype=object)) for f in (other, frame)
            ]
            assert [a == b for a, b in zip(*wkb, strict=True)] == [True] * len(frame), name
    assert list(got.meshes) == list(expected.meshes)
    for name, store in expected.meshes.items():
        other = got.meshes[name]
        assert other.n_objects == store.n_objects > 0
        assert other.origin == store.origin
        for field in MESH_FIELDS:
            a, b = getattr(other, field), getattr(store, field)
            assert (a.dtype, a.shape) == (b.dtype, b.shape), field
            assert a.tobytes() == b.tobytes(), f"{name}.{field} differs"
    assert [i.to_dict() for i in got.issues] == [i.to_dict() for i in expected.issues]
    assert got.provenance.details == expected.provenance.details


# -- the child's meshes are the in-process meshes ----------------------------------------------
def test_the_town_hall_imported_with_the_kernel_in_a_child_is_the_in_process_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fork_or_skip()
    here = _read(MAIRIE, ImportOptions(), monkeypatch, isolate=False)
    there = _read(MAIRIE, ImportOptions(), monkeypatch, isolate=True)
    assert_same_import(there, here)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("name", list(REAL_FILES))
def test_real_models_imported_with_the_kernel_in_a_child_are_the_in_process_imports(
    name: str, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fork_or_skip()
    path, options = shared_data / "ifc" / name, REAL_FILES[name]
    here = _read(path, options, monkeypatch, isolate=False)
    there = _read(path, options, monkeypatch, isolate=True)
    assert_same_import(there, here)


# -- the batch size changes nothing ------------------------------------------------------------
@pytest.mark.parametrize("isolate", [True, False], ids=["child", "in-process"])
def test_the_town_hall_streamed_seven_elements_at_a_time_is_the_import_in_one_batch(
    isolate: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isolate:
        _fork_or_skip()
    whole = _read(MAIRIE, ImportOptions(), monkeypatch, isolate=False, batch_elements=0)
    sizes = _count_batches(monkeypatch)
    small = _read(MAIRIE, ImportOptions(), monkeypatch, isolate=isolate, batch_elements=7)
    assert len(sizes) >= whole.meshes["ifc"].n_objects // 7 and max(sizes) <= 7
    assert_same_import(small, whole)


@pytest.mark.parametrize("name", ["duplex.ifc", "AC20-FZK-Haus.ifc"])
def test_real_models_streamed_seven_elements_at_a_time_are_the_imports_in_one_batch(
    name: str, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fork_or_skip()
    path, options = shared_data / "ifc" / name, REAL_FILES[name]
    whole = _read(path, options, monkeypatch, isolate=False, batch_elements=0)
    sizes = _count_batches(monkeypatch)
    small = _read(path, options, monkeypatch, isolate=True, batch_elements=7)
    assert len(sizes) > 10 and max(sizes) <= 7
    assert_same_import(small, whole)


# -- a crash or a cancel half-way ------------------------------------------------------------
def _crash_at_batch(number: int) -> Callable[..., None]:
    """A tessellate whose process dies (SIGSEGV, as the kernel does) at its ``number``-th batch,
    after sending the ones before."""
    tessellate = ifc_geometry.tessellate

    def crashing(model: object, classes: list[str], feedback: Feedback, on_batch: Callable) -> None:
        sent = 0

        def send(blob: bytes, last: bool) -> None:
            nonlocal sent
            sent += 1
            if sent == number:
                os.kill(os.getpid(), signal.SIGSEGV)
            on_batch(blob, last)

        tessellate(model, classes, feedback, send)  # type: ignore[arg-type]

    return crashing


def test_a_kernel_crash_after_some_batches_is_refused_in_one_line_and_nothing_is_returned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fork_or_skip()
    monkeypatch.setenv(ISOLATE_VARIABLE, "1")
    monkeypatch.setattr(ifc_geometry, "BATCH_ELEMENTS", 7)
    monkeypatch.setattr(ifc_geometry, "BATCH_SECONDS", math.inf)  # batches by count only
    monkeypatch.setattr(ifc_kernel_guard, "tessellate", _crash_at_batch(4))
    sizes = _count_batches(monkeypatch)
    with pytest.raises(InvalidInputError) as caught:
        ifc.read(MAIRIE, target_crs=LAMBERT93, options=ImportOptions())
    message = str(caught.value)
    assert "geometry kernel crashed" in message and "SIGSEGV" in message
    assert "Nothing was imported" in message and "\n" not in message
    assert sizes == [7, 7, 7]  # the batches before the crash were taken, then thrown away
    assert multiprocessing.active_children() == []


def _hang_after_batch(number: int) -> Callable[..., None]:
    """A tessellate whose kernel hangs (a minute) after its ``number``-th batch."""
    tessellate = ifc_geometry.tessellate

    def hanging(model: object, classes: list[str], feedback: Feedback, on_batch: Callable) -> None:
        sent = 0

        def send(blob: bytes, last: bool) -> None:
            nonlocal sent
            on_batch(blob, last)
            sent += 1
            if sent == number:
                time.sleep(60.0)

        tessellate(model, classes, feedback, send)  # type: ignore[arg-type]

    return hanging


def test_cancelling_while_batches_stream_in_kills_the_child_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fork_or_skip()
    monkeypatch.setenv(ISOLATE_VARIABLE, "1")
    monkeypatch.setattr(ifc_geometry, "BATCH_ELEMENTS", 7)
    monkeypatch.setattr(ifc_geometry, "BATCH_SECONDS", math.inf)
    monkeypatch.setattr(ifc_kernel_guard, "tessellate", _hang_after_batch(2))
    feedback = Feedback()
    sizes: list[int] = []
    add = ifc_batches.MeshBatches.add

    def add_then_cancel(self: ifc_batches.MeshBatches, batch: ifc_geometry.Tessellation) -> None:
        add(self, batch)
        sizes.append(len(batch.step_ids))
        if len(sizes) == 2:  # the user cancels while the kernel works on the third batch
            feedback.cancel()

    monkeypatch.setattr(ifc_batches.MeshBatches, "add", add_then_cancel)
    start = time.perf_counter()
    with pytest.raises(CancelledError):
        ifc.read(MAIRIE, target_crs=LAMBERT93, options=ImportOptions(), feedback=feedback)
    assert time.perf_counter() - start < 30.0  # not the minute the kernel would still take
    assert sizes == [7, 7]
    assert multiprocessing.active_children() == []


def test_vertices_are_placed_to_the_same_bits_whatever_batch_they_come_in() -> None:
    # A matrix product (BLAS) may round a row differently depending on where it falls in the
    # array; the placement must not, or batch sizes would change the meshes.
    rng = np.random.default_rng(1)
    turn = np.radians(23.0)
    matrix = np.array(
        [
            [np.cos(turn), -np.sin(turn), 0.0, 668123.45],
            [np.sin(turn), np.cos(turn), 0.0, 6357321.5],
            [0.0, 0.0, 1.0, 112.3],
        ]
    )
    georef = Georeference("placement_option", rng.normal(size=(3, 4)))
    placed = Georeference("placement_option", matrix)
    vertices = rng.normal(size=(100_001, 3)) * 50.0
    for transform in (georef, placed):
        whole = transform.to_target(vertices)
        for size in (7, 500, 4096):
            pieces = [
                transform.to_target(vertices[i : i + size]) for i in range(0, len(vertices), size)
            ]
            assert np.concatenate(pieces).tobytes() == whole.tobytes(), size


def test_a_building_of_beams_only_gets_the_same_footprint_from_batches_of_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing of it makes storey outlines (no wall, slab, column) nor roofs: its footprint falls
    # back to the outlines of all its elements, made from the batches kept for that.
    author = Author()
    storey = author.storey(author.building("Pergola"), "RDC", 0.0)
    beams = ((0, 0, 6, 0.3), (0, 3.7, 6, 4), (0, 0, 0.3, 4), (5.7, 0, 6, 4), (2.9, 0, 3.1, 4))
    for number, box in enumerate(beams):
        author.element("IfcBeam", f"Poutre {number}", storey, author.box(*box, 0.4), 2.5)
    path = author.write(tmp_path / "pergola.ifc")
    options = ImportOptions(placement_xyz=(668000.0, 6357000.0, 300.0))
    whole = _read(path, options, monkeypatch, isolate=False, batch_elements=0)
    sizes = _count_batches(monkeypatch)
    small = _read(path, options, monkeypatch, isolate=can_isolate(), batch_elements=2)
    assert sizes == [2, 2, 1]
    assert_same_import(small, whole)
    footprint = small.layers["buildings"].geometry.iloc[0]
    expected = shapely.union_all([shapely.box(*box) for box in beams])
    assert footprint.area == pytest.approx(expected.area, rel=1e-6)
