"""Tessellation of IFC elements with ifcopenshell's geometry iterator.

The iterator runs with world coordinates, the fast hybrid CGAL/OpenCASCADE kernel, one thread
and a class filter (envelope, spaces, furniture on request). The loop keeps only each
element's raw vertex and face buffers, and hands them out in batches (a few hundred elements,
or a tenth of a second of work) packed in one blob, decoded and numbered in numpy by whoever
receives it: the import works on a batch while the kernel makes the next ones.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.ifcopenshell_wrapper
import numpy as np

from twin.feedback import Feedback

logger = logging.getLogger(__name__)

GEOMETRY_LIBRARY: Final = "hybrid-cgal-simple-opencascade"
#: A batch of meshes goes out every so many elements, or after so many seconds of work.
BATCH_ELEMENTS = 500
BATCH_SECONDS = 0.1

#: Classes tessellated for the building envelope (subtypes included: IfcWallStandardCase ...).
ENVELOPE_CLASSES = (
    "IfcWall",
    "IfcCurtainWall",
    "IfcSlab",
    "IfcRoof",
    "IfcColumn",
    "IfcBeam",
    "IfcDoor",
    "IfcWindow",
    "IfcStair",
    "IfcStairFlight",
    "IfcRamp",
    "IfcRampFlight",
    "IfcRailing",
    "IfcCovering",
    "IfcPlate",
    "IfcMember",
    "IfcBuildingElementProxy",
)
SPACE_CLASSES = ("IfcSpace",)
#: Tessellated only with ``include_furniture`` (and given ifc_elements rows only then).
FURNITURE_CLASSES = ("IfcFurnishingElement", "IfcFlowTerminal")
#: Classes whose meshes make a storey's outline, and with roofs a building's footprint.
STOREY_OUTLINE_CLASSES = ("IfcWall", "IfcCurtainWall", "IfcSlab", "IfcColumn")
FOOTPRINT_CLASSES = (*STOREY_OUTLINE_CLASSES, "IfcRoof")


def geometry_classes(include_furniture: bool) -> list[str]:
    """The iterator's include filter."""
    classes = [*ENVELOPE_CLASSES, *SPACE_CLASSES]
    return classes + list(FURNITURE_CLASSES) if include_furniture else classes


def iterator_settings() -> ifcopenshell.geom.settings:
    """World coordinates in metres; everything else at ifcopenshell's defaults."""
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    return settings


@dataclass(frozen=True)
class Tessellation:
    """Meshes of a batch of tessellated elements, in model metres.

    Attributes:
        step_ids: (n,) STEP ids of the elements, in iterator order.
        classes: (n,) their IFC classes (``IfcWallStandardCase``).
        vertices: (v, 3) float64 world coordinates in metres.
        faces: (f, 3) int64 indices into ``vertices`` (of the batch).
        vertex_offsets, face_offsets: (n + 1,) int64 per-element ranges.
    """

    step_ids: np.ndarray
    classes: np.ndarray
    vertices: np.ndarray
    faces: np.ndarray
    vertex_offsets: np.ndarray
    face_offsets: np.ndarray

    @property
    def face_element(self) -> np.ndarray:
        """(f,) position of each face's element."""
        return np.repeat(np.arange(len(self.step_ids)), np.diff(self.face_offsets))


def tessellate(
    model: ifcopenshell.file,
    classes: list[str],
    feedback: Feedback,
    on_batch: Callable[[bytes, bool], None],
) -> None:
    """Run the iterator over the elements of ``classes``; elements that fail are skipped.

    The meshes go out in batches, packed (:func:`pack_batch`), so that whoever receives them
    can work on them while the kernel goes on: ``on_batch(blob, last)`` every
    :data:`BATCH_ELEMENTS` elements or :data:`BATCH_SECONDS`, and with ``last`` true once
    the iterator is done (an empty batch for a model without any mesh), before the iterator
    and its caches are freed.

    Raises:
        CancelledError: the user cancelled.
    """
    iterator = ifcopenshell.geom.iterator(
        iterator_settings(), model, 1, include=classes, geometry_library=GEOMETRY_LIBRARY
    )
    step_ids: list[int] = []
    types: list[str] = []
    vertex_buffers: list[bytes] = []
    face_buffers: list[bytes] = []
    count = 0
    since = time.perf_counter()
    more = bool(iterator.initialize())
    while more:
        shape = iterator.get()
        geometry = shape.geometry
        step_ids.append(shape.id)
        types.append(shape.type)
        vertex_buffers.append(geometry.verts_buffer)
        face_buffers.append(geometry.faces_buffer)
        count += 1
        if not count & 63:
            feedback.set_progress(iterator.progress() / 100.0)
            feedback.raise_if_cancelled()
        more = bool(iterator.next())
        if more and len(step_ids) < BATCH_ELEMENTS and time.perf_counter() - since < BATCH_SECONDS:
            continue
        on_batch(pack_batch(step_ids, types, vertex_buffers, face_buffers), not more)
        step_ids, types, vertex_buffers, face_buffers = [], [], [], []
        since = time.perf_counter()
    if not count:
        on_batch(pack_batch([], [], [], []), True)


def pack_batch(
    step_ids: list[int], classes: list[str], vertex_buffers: list[bytes], face_buffers: list[bytes]
) -> bytes:
    """The iterator's raw buffers of some elements in one blob (:func:`unpack_batch` reads it):
    a header of 4 int64 (elements, bytes of vertices, of faces, of class names), then the STEP
    ids, vertex and face counts (int64), the vertices (float64), faces (int32) and the class
    names joined by newlines.

    >>> batch = unpack_batch(pack_batch([7], ["IfcWall"], [bytes(72)], [bytes(12)]))
    >>> batch.step_ids.tolist(), batch.classes.tolist(), batch.vertices.shape, batch.faces.shape
    ([7], ['IfcWall'], (3, 3), (1, 3))
    """
    vertex_counts = np.fromiter((len(b) // 24 for b in vertex_buffers), np.int64, len(step_ids))
    face_counts = np.fromiter((len(b) // 12 for b in face_buffers), np.int64, len(step_ids))
    names = "\n".join(classes).encode()
    header = np.array(
        [len(step_ids), 24 * vertex_counts.sum(), 12 * face_counts.sum(), len(names)], np.int64
    )
    return b"".join(
        [
            header.tobytes(),
            np.asarray(step_ids, dtype=np.int64).tobytes(),
            vertex_counts.tobytes(),
            face_counts.tobytes(),
            *vertex_buffers,
            *face_buffers,
            names,
        ]
    )


def unpack_batch(blob: bytes) -> Tessellation:
    """The :class:`Tessellation` of a blob made by :func:`pack_batch`."""
    n, vertex_size, face_size, name_size = (int(v) for v in np.frombuffer(blob, np.int64, 4))
    at = 32
    step_ids, vertex_counts, face_counts = np.frombuffer(blob, np.int64, 3 * n, at).reshape(3, n)
    at += 24 * n
    vertices = np.frombuffer(blob, np.float64, vertex_size // 8, at).reshape(-1, 3)
    at += vertex_size
    faces = np.frombuffer(blob, np.int32, face_size // 4, at).reshape(-1, 3).astype(np.int64)
    at += face_size
    names = blob[at : at + name_size].decode().split("\n") if n else []
    vertex_offsets = np.concatenate([[0], np.cumsum(vertex_counts)])
    face_offsets = np.concatenate([[0], np.cumsum(face_counts)])
    faces += np.repeat(vertex_offsets[:-1], face_counts)[:, None]
    return Tessellation(
        step_ids, np.asarray(names, dtype=str), vertices, faces, vertex_offsets, face_offsets
    )


@functools.lru_cache(maxsize=64)
def with_subtypes(schema: str, classes: tuple[str, ...]) -> frozenset[str]:
    """The names of ``classes`` and of all their subtypes in ``schema`` (unknown names skipped).

    >>> sorted(with_subtypes("IFC2X3", ("IfcWall",)))
    ['IfcWall', 'IfcWallStandardCase']
    """
    declarations = ifcopenshell.ifcopenshell_wrapper.schema_by_name(schema)
    names: set[str] = set()
    stack: list[ifcopenshell.ifcopenshell_wrapper.entity] = []
    for name in classes:
        try:
            entity = declarations.declaration_by_name(name).as_entity()
        except RuntimeError:
            continue
        if entity is not None:
            stack.append(entity)
    while stack:
        entity = stack.pop()
        names.add(entity.name())
        stack.extend(entity.subtypes())
    return frozenset(names)
