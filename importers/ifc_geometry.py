"""Tessellation of IFC elements with ifcopenshell's geometry iterator.

The iterator runs with world coordinates, the fast hybrid CGAL/OpenCASCADE kernel, one thread
and a class filter (envelope, spaces, furniture on request). The loop keeps only each
element's raw vertex and face buffers; they are decoded and numbered in numpy after the loop.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Final

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.ifcopenshell_wrapper
import numpy as np

from twin.feedback import Feedback

logger = logging.getLogger(__name__)

GEOMETRY_LIBRARY: Final = "hybrid-cgal-simple-opencascade"

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
    """Meshes of the tessellated elements, in model metres.

    Attributes:
        step_ids: (n,) STEP ids of the elements, in iterator order.
        classes: (n,) their IFC classes (``IfcWallStandardCase``).
        vertices: (v, 3) float64 world coordinates in metres.
        faces: (f, 3) int64 indices into ``vertices`` (global).
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


def tessellate(model: ifcopenshell.file, classes: list[str], feedback: Feedback) -> Tessellation:
    """Run the iterator over the elements of ``classes``; elements that fail are skipped.

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
    if iterator.initialize():
        while True:
            shape = iterator.get()
            geometry = shape.geometry
            step_ids.append(shape.id)
            types.append(shape.type)
            vertex_buffers.append(geometry.verts_buffer)
            face_buffers.append(geometry.faces_buffer)
            if not len(step_ids) & 63:
                feedback.set_progress(iterator.progress() / 100.0)
                feedback.raise_if_cancelled()
            if not iterator.next():
                break
    return _assemble(step_ids, types, vertex_buffers, face_buffers)


def _assemble(
    step_ids: list[int], classes: list[str], vertex_buffers: list[bytes], face_buffers: list[bytes]
) -> Tessellation:
    vertex_counts = np.fromiter((len(b) // 24 for b in vertex_buffers), np.int64, len(step_ids))
    face_counts = np.fromiter((len(b) // 12 for b in face_buffers), np.int64, len(step_ids))
    vertex_offsets = np.concatenate([[0], np.cumsum(vertex_counts)])
    face_offsets = np.concatenate([[0], np.cumsum(face_counts)])
    vertices = np.frombuffer(b"".join(vertex_buffers), dtype=np.float64).reshape(-1, 3)
    faces = np.frombuffer(b"".join(face_buffers), dtype=np.int32).reshape(-1, 3).astype(np.int64)
    faces += np.repeat(vertex_offsets[:-1], face_counts)[:, None]
    return Tessellation(
        np.asarray(step_ids, dtype=np.int64),
        np.asarray(classes, dtype=str),
        vertices,
        faces,
        vertex_offsets,
        face_offsets,
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
