"""Tessellated IFC elements moved into the target CRS, batch by batch, and packed into one
MeshStore.

Everything here is per element (each vertex transformed on its own, each mesh's orientation
and volume summed over its own faces), so a model streamed in batches of any size gives the
same bits as in one piece.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from importers.ifc_crs import Georeference
from importers.ifc_geometry import Tessellation
from twin.issues import Issue, Severity
from twin.mesh import MeshStore

#: Mesh origins are the model's placement rounded down to this (metres).
ORIGIN_STEP_M = 100.0


@dataclass(frozen=True)
class PlacedMeshes:
    """A batch of elements' meshes in the target CRS, relative to the import's mesh origin.

    Attributes:
        step_ids: (n,) STEP id of each element.
        classes: (n,) IFC class of each element.
        global_ids: (n,) its GlobalId (the MeshStore's object id).
        xyz: (v, 3) float64 vertices relative to the origin.
        faces: (f, 3) int64 indices into ``xyz``, normals outwards for closed meshes.
        vertex_offsets, face_offsets: (n + 1,) int64 per-element ranges.
        z_min, z_max: (n,) lowest and highest absolute z of each element (metres).
        volumes_m3: (n,) enclosed volume of each closed mesh, NaN for open meshes.
    """

    step_ids: np.ndarray
    classes: np.ndarray
    global_ids: np.ndarray
    xyz: np.ndarray
    faces: np.ndarray
    vertex_offsets: np.ndarray
    face_offsets: np.ndarray
    z_min: np.ndarray
    z_max: np.ndarray
    volumes_m3: np.ndarray

    @property
    def face_object(self) -> np.ndarray:
        """(f,) position of each face's element."""
        return np.repeat(np.arange(len(self.step_ids)), np.diff(self.face_offsets))


def mesh_origin(georef: Georeference) -> np.ndarray:
    """Where the model origin lands, rounded down to :data:`ORIGIN_STEP_M` (z = 0)."""
    x, y, _ = georef.to_target(np.zeros((1, 3)))[0]
    step = ORIGIN_STEP_M
    return np.array([math.floor(x / step) * step, math.floor(y / step) * step, 0.0])


def place(
    tessellation: Tessellation,
    georef: Georeference,
    origin: np.ndarray,
    global_ids: dict[int, str],
    source: str,
    issues: list[Issue],
) -> PlacedMeshes:
    """Transform the vertices of a batch to the target CRS, relative to ``origin``; keep the
    elements with a GlobalId of their own and at least one triangle (others reported)."""
    counts = np.diff(tessellation.face_offsets)
    known = np.fromiter(
        (int(i) in global_ids for i in tessellation.step_ids), bool, len(tessellation.step_ids)
    )
    for position in np.flatnonzero(known & (counts == 0)):
        issues.append(
            Issue(
                Severity.ERROR,
                "tessellation_failed",
                "the element's geometry gave no triangles; it has no 3D shape",
                source,
                global_ids[int(tessellation.step_ids[position])],
            )
        )
    keep = known & (counts > 0)
    xyz = georef.to_target(tessellation.vertices) - origin
    step_ids = tessellation.step_ids[keep]
    vertex_counts = np.diff(tessellation.vertex_offsets)[keep]
    faces = tessellation.faces
    if not keep.all():
        vertex_mask = np.repeat(keep, np.diff(tessellation.vertex_offsets))
        renumber = np.cumsum(vertex_mask) - 1
        xyz = xyz[vertex_mask]
        faces = renumber[faces[np.repeat(keep, counts)]]
    vertex_offsets = np.concatenate([[0], np.cumsum(vertex_counts)])
    face_offsets = np.concatenate([[0], np.cumsum(counts[keep])])
    faces, volumes = orient_outward(xyz, faces, face_offsets)
    if len(step_ids):
        z = xyz[:, 2] + origin[2]
        z_min = np.minimum.reduceat(z, vertex_offsets[:-1])
        z_max = np.maximum.reduceat(z, vertex_offsets[:-1])
    else:
        z_min = z_max = np.empty(0)
    return PlacedMeshes(
        step_ids,
        tessellation.classes[keep],
        np.array([global_ids[int(i)] for i in step_ids], dtype=str),
        xyz,
        faces,
        vertex_offsets,
        face_offsets,
        z_min,
        z_max,
        volumes,
    )


def mesh_store(pieces: Sequence[PlacedMeshes], origin: np.ndarray) -> MeshStore:
    """One MeshStore of the batches, in their order (float32 vertices, int32 faces)."""
    vertex_counts = np.array([len(p.xyz) for p in pieces], dtype=np.int64)
    face_counts = np.array([len(p.faces) for p in pieces], dtype=np.int64)
    vertex_starts = np.cumsum(vertex_counts) - vertex_counts
    faces = np.concatenate([p.faces for p in pieces]) if pieces else np.empty((0, 3))
    faces += np.repeat(vertex_starts, face_counts)[:, None]
    return MeshStore(
        vertices=np.concatenate([p.xyz.astype(np.float32) for p in pieces])
        if pieces
        else np.empty((0, 3), dtype=np.float32),
        faces=faces.astype(np.int32),
        vertex_offsets=_joined_offsets([p.vertex_offsets for p in pieces]),
        face_offsets=_joined_offsets([p.face_offsets for p in pieces]),
        object_ids=np.concatenate([p.global_ids for p in pieces])
        if pieces
        else np.array([], dtype=str),
        origin=(float(origin[0]), float(origin[1]), float(origin[2])),
    )


def _joined_offsets(offsets: list[np.ndarray]) -> np.ndarray:
    """The per-batch ranges (each from 0) as one range array.

    >>> _joined_offsets([np.array([0, 3, 5]), np.array([0, 4])]).tolist()
    [0, 3, 5, 9]
    """
    ends = np.cumsum([o[-1] for o in offsets]) if offsets else np.empty(0, np.int64)
    starts = np.r_[0, ends[:-1]].astype(np.int64)
    return np.concatenate([[0], *(o[1:] + s for o, s in zip(offsets, starts, strict=True))])


def orient_outward(
    xyz: np.ndarray, faces: np.ndarray, face_offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Faces with closed inverted meshes flipped (mirrored elements come out inside-out),
    and the volume of each closed mesh (NaN for open ones).

    A mesh is closed when each of its edges is shared by exactly two of its triangles; its
    signed volume (sum of tetrahedra from the origin) is then negative when it is inverted.

    >>> cube = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1],
    ...                  [1, 1, 1], [0, 1, 1]], dtype=float)
    >>> out = np.array([[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
    ...                 [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]])
    >>> faces, volumes = orient_outward(cube, out[:, ::-1].copy(), np.array([0, 12]))
    >>> a, b, c = cube[faces[:, 0]], cube[faces[:, 1]], cube[faces[:, 2]]
    >>> volumes.round(6).tolist(), float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6)
    ([1.0], 1.0)
    """
    n_objects = len(face_offsets) - 1
    if not len(faces):
        return faces, np.full(n_objects, np.nan)
    face_object = np.repeat(np.arange(n_objects), np.diff(face_offsets))
    a, b, c = xyz[faces[:, 0]], xyz[faces[:, 1]], xyz[faces[:, 2]]
    signed = np.einsum("ij,ij->i", a, np.cross(b, c)) / 6.0
    volumes = np.bincount(face_object, weights=signed, minlength=n_objects)
    edges = np.sort(faces[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2), axis=1).astype(np.int64)
    keys = edges[:, 0] * (int(edges.max()) + 1) + edges[:, 1]
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    open_edges = np.bincount(
        np.repeat(face_object, 3), weights=counts[inverse] != 2, minlength=n_objects
    )
    closed = open_edges == 0
    flip = closed & (volumes < 0)
    if flip.any():
        faces = faces.copy()
        flipped = flip[face_object]
        faces[flipped] = faces[flipped][:, [0, 2, 1]]
    return faces, np.where(closed, np.abs(volumes), np.nan)
