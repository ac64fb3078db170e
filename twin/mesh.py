"""MeshStore: the triangle meshes of many city objects packed in a few flat numpy arrays.

One store holds one layer (e.g. all LoD1 buildings): a float32 vertex array, an int32
triangle array and per-object offsets, so the 3D view builds a single PolyData per layer and a
picked cell maps back to the City's stable object id with one ``searchsorted``.

Vertices are in metres relative to ``origin`` (the City's local origin, itself in Lambert-93
metres): float32 has only ~7 significant digits, which at Lambert-93 magnitudes (~1e6 m) would
mean decimetre jitter. Absolute coordinates are ``vertices + origin`` computed in float64.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyvista

logger = logging.getLogger(__name__)

Origin = tuple[float, float, float]


def _as_offsets(values: Any, name: str, n_items: int) -> np.ndarray:
    """Validate an offsets array: int64, starts at 0, non-decreasing, ends at ``n_items``."""
    offsets = np.asarray(values)
    if offsets.ndim != 1 or offsets.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {offsets.shape}")
    if not np.issubdtype(offsets.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {offsets.dtype}")
    offsets = offsets.astype(np.int64, copy=False)
    if offsets[0] != 0 or offsets[-1] != n_items:
        raise ValueError(
            f"{name} must start at 0 and end at {n_items}, got {offsets[0]} .. {offsets[-1]}"
        )
    if np.any(np.diff(offsets) < 0):
        raise ValueError(f"{name} must be non-decreasing")
    return offsets


@dataclass(frozen=True, eq=False)
class MeshStore:
    """Triangle meshes of ``n_objects`` objects, packed.

    Attributes:
        vertices: (n_vertices, 3) float32, metres relative to ``origin``.
        faces: (n_faces, 3) int32 indices into ``vertices`` (global, not per object);
            counter-clockwise seen from outside, so normals point outwards.
        vertex_offsets: (n_objects + 1,) int64; object ``k`` owns vertices
            ``vertex_offsets[k]:vertex_offsets[k + 1]``.
        face_offsets: (n_objects + 1,) int64; object ``k`` owns faces
            ``face_offsets[k]:face_offsets[k + 1]`` (equal offsets: the object has no mesh).
        object_ids: (n_objects,) numpy str array of the City's stable object ids.
        origin: (x, y, z) in metres (Lambert-93 and altitude) of the vertices' zero.

    Arrays are shared, not copied: treat them as read-only. Faces of an object must only use
    that object's vertices (``mesh_of`` relies on it); the constructor checks shapes, dtypes,
    offsets and global index bounds, not that per-object rule.

    Example:
        >>> import numpy as np
        >>> tri = MeshStore(
        ...     vertices=np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=np.float32),
        ...     faces=np.array([[0, 1, 2]], dtype=np.int32),
        ...     vertex_offsets=np.array([0, 3]),
        ...     face_offsets=np.array([0, 1]),
        ...     object_ids=np.array(["A"]),
        ...     origin=(650000.0, 6860000.0, 0.0),
        ... )
        >>> tri.n_objects, tri.object_id_of_face(0)
        (1, 'A')
    """

    vertices: np.ndarray
    faces: np.ndarray
    vertex_offsets: np.ndarray
    face_offsets: np.ndarray
    object_ids: np.ndarray
    origin: Origin = field(default=(0.0, 0.0, 0.0))

    def __post_init__(self) -> None:
        vertices = np.asarray(self.vertices)
        if vertices.ndim != 2 or vertices.shape[1] != 3:
            raise ValueError(f"vertices must have shape (n, 3), got {vertices.shape}")
        if vertices.dtype != np.float32:
            raise ValueError(f"vertices must be float32 (relative to origin), got {vertices.dtype}")
        faces = np.asarray(self.faces)
        if faces.ndim != 2 or faces.shape[1] != 3:
            raise ValueError(f"faces must have shape (m, 3), got {faces.shape}")
        if faces.dtype != np.int32:
            raise ValueError(f"faces must be int32, got {faces.dtype}")
        if faces.size and (faces.min() < 0 or faces.max() >= len(vertices)):
            raise ValueError(
                f"faces index vertices out of range [0, {len(vertices)}): "
                f"min {faces.min()}, max {faces.max()}"
            )
        object_ids = np.asarray(self.object_ids)
        if object_ids.ndim != 1:
            raise ValueError(f"object_ids must be 1-D, got shape {object_ids.shape}")
        if object_ids.dtype.kind != "U":
            as_list = object_ids.tolist()
            if not all(isinstance(i, str) for i in as_list):
                raise ValueError(f"object_ids must be strings, got dtype {object_ids.dtype}")
            object_ids = np.array(as_list, dtype=str)
        n_objects = len(object_ids)
        vertex_offsets = _as_offsets(self.vertex_offsets, "vertex_offsets", len(vertices))
        face_offsets = _as_offsets(self.face_offsets, "face_offsets", len(faces))
        for name, offsets in (("vertex_offsets", vertex_offsets), ("face_offsets", face_offsets)):
            if len(offsets) != n_objects + 1:
                raise ValueError(
                    f"{name} must have n_objects + 1 = {n_objects + 1} entries, got {len(offsets)}"
                )
        if len(self.origin) != 3:
            raise ValueError(f"origin must be (x, y, z), got {self.origin!r}")
        origin = (float(self.origin[0]), float(self.origin[1]), float(self.origin[2]))
        for name, value in (
            ("vertices", vertices),
            ("faces", faces),
            ("vertex_offsets", vertex_offsets),
            ("face_offsets", face_offsets),
            ("object_ids", object_ids),
            ("origin", origin),
        ):
            object.__setattr__(self, name, value)

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def empty(cls, origin: Origin = (0.0, 0.0, 0.0)) -> MeshStore:
        """A store with no objects."""
        return cls(
            vertices=np.empty((0, 3), dtype=np.float32),
            faces=np.empty((0, 3), dtype=np.int32),
            vertex_offsets=np.zeros(1, dtype=np.int64),
            face_offsets=np.zeros(1, dtype=np.int64),
            object_ids=np.empty(0, dtype=str),
            origin=origin,
        )

    @classmethod
    def concat(cls, stores: Sequence[MeshStore]) -> MeshStore:
        """Stores one after the other (objects keep their order). All origins must be equal.

        An empty sequence gives an empty store at origin (0, 0, 0).
        """
        if not stores:
            return cls.empty()
        origin = stores[0].origin
        for store in stores[1:]:
            if store.origin != origin:
                raise ValueError(
                    f"cannot concat stores with different origins: {origin} and {store.origin}"
                )
        n_vertices = np.cumsum([0] + [len(s.vertices) for s in stores])
        n_faces = np.cumsum([0] + [len(s.faces) for s in stores])
        if n_vertices[-1] > np.iinfo(np.int32).max:
            raise ValueError(f"too many vertices for int32 faces: {n_vertices[-1]}")
        return cls(
            vertices=np.concatenate([s.vertices for s in stores]),
            faces=np.concatenate(
                [s.faces + np.int32(shift) for s, shift in zip(stores, n_vertices, strict=False)]
            ).astype(np.int32, copy=False),
            vertex_offsets=np.concatenate(
                [[0]]
                + [
                    s.vertex_offsets[1:] + shift
                    for s, shift in zip(stores, n_vertices, strict=False)
                ]
            ),
            face_offsets=np.concatenate(
                [[0]]
                + [s.face_offsets[1:] + shift for s, shift in zip(stores, n_faces, strict=False)]
            ),
            object_ids=np.concatenate([s.object_ids for s in stores]),
            origin=origin,
        )

    def rebased(self, origin: Origin) -> MeshStore:
        """The same meshes with vertices relative to another origin (float64 shift, then float32).

        >>> import numpy as np
        >>> triangle = np.array([[0, 1, 2]], np.int32)
        >>> store = MeshStore(np.zeros((3, 3), np.float32), triangle, np.array([0, 3]),
        ...                   np.array([0, 1]), np.array(["A"]), (100.0, 0.0, 0.0))
        >>> store.rebased((0.0, 0.0, 0.0)).vertices[0].tolist()
        [100.0, 0.0, 0.0]
        """
        origin = (float(origin[0]), float(origin[1]), float(origin[2]))
        if origin == self.origin:
            return self
        shift = np.array(self.origin, dtype=np.float64) - np.array(origin, dtype=np.float64)
        vertices = (self.vertices.astype(np.float64) + shift).astype(np.float32)
        return MeshStore(
            vertices, self.faces, self.vertex_offsets, self.face_offsets, self.object_ids, origin
        )

    def select(self, keep: Any) -> MeshStore:
        """The objects where the boolean mask ``keep`` is true, in order (faces renumbered)."""
        keep = np.asarray(keep, dtype=bool)
        if keep.shape != (self.n_objects,):
            raise ValueError(f"keep must have shape ({self.n_objects},), got {keep.shape}")
        vertex_counts = np.diff(self.vertex_offsets)
        face_counts = np.diff(self.face_offsets)
        vertex_kept = np.repeat(keep, vertex_counts)
        face_kept = np.repeat(keep, face_counts)
        new_index = np.cumsum(vertex_kept) - 1  # old vertex index -> new one, where kept
        faces = new_index[self.faces[face_kept]].astype(np.int32)
        return MeshStore(
            vertices=self.vertices[vertex_kept],
            faces=faces.reshape(-1, 3),
            vertex_offsets=np.concatenate([[0], np.cumsum(vertex_counts[keep])]).astype(np.int64),
            face_offsets=np.concatenate([[0], np.cumsum(face_counts[keep])]).astype(np.int64),
            object_ids=self.object_ids[keep],
            origin=self.origin,
        )

    # --- queries ------------------------------------------------------------------------------

    @property
    def n_objects(self) -> int:
        """Number of objects (including those without any face)."""
        return len(self.object_ids)

    @property
    def n_vertices(self) -> int:
        """Total number of vertices."""
        return len(self.vertices)

    @property
    def n_faces(self) -> int:
        """Total number of triangles."""
        return len(self.faces)

    @functools.cached_property
    def _index_by_id(self) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, object_id in enumerate(self.object_ids.tolist()):
            index.setdefault(object_id, position)
        return index

    def index_of(self, object_id: str) -> int:
        """Position of ``object_id`` (the first one if repeated); KeyError if absent."""
        try:
            return self._index_by_id[object_id]
        except KeyError:
            raise KeyError(f"no object {object_id!r} in this MeshStore") from None

    def object_index_of_faces(self, face_indices: Any) -> np.ndarray:
        """Object position (int64) of each face index, e.g. of cells picked in the 3D view."""
        faces = np.asarray(face_indices, dtype=np.int64)
        if faces.size and (faces.min() < 0 or faces.max() >= self.n_faces):
            raise IndexError(f"face index out of range [0, {self.n_faces})")
        return np.searchsorted(self.face_offsets, faces, side="right") - 1

    def object_id_of_face(self, face_index: int) -> str:
        """Stable id of the object owning triangle ``face_index``."""
        return str(self.object_ids[int(self.object_index_of_faces(face_index))])

    def mesh_of(self, object_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(vertices (k, 3) float32 relative to origin, faces (t, 3) int32 numbered locally)."""
        k = self.index_of(object_id)
        v0, v1 = self.vertex_offsets[k], self.vertex_offsets[k + 1]
        f0, f1 = self.face_offsets[k], self.face_offsets[k + 1]
        return self.vertices[v0:v1].copy(), (self.faces[f0:f1] - np.int32(v0)).astype(np.int32)

    def face_object_index(self) -> np.ndarray:
        """(n_faces,) int32 object position of every face (what ``to_pyvista`` stores)."""
        counts = np.diff(self.face_offsets)
        return np.repeat(np.arange(self.n_objects, dtype=np.int32), counts)

    def volumes_m3(self) -> np.ndarray:
        """(n_objects,) float64 enclosed volume of each object's mesh, in cubic metres.

        Sum of signed tetrahedra (face, object's first vertex): positive for closed meshes
        with outward normals, 0 for objects without faces. Only meaningful for closed meshes.
        """
        if self.n_faces == 0:
            return np.zeros(self.n_objects)
        face_object = self.face_object_index()
        # Relative to each object's first vertex: small numbers, no cancellation.
        anchor = self.vertices[self.vertex_offsets[:-1][face_object]].astype(np.float64)
        corners = [self.vertices[self.faces[:, j]].astype(np.float64) - anchor for j in range(3)]
        signed_6 = np.einsum("ij,ij->i", corners[0], np.cross(corners[1], corners[2]))
        return np.bincount(face_object, weights=signed_6, minlength=self.n_objects) / 6.0

    # --- export -------------------------------------------------------------------------------

    def to_pyvista(self) -> pyvista.PolyData:
        """One PolyData of all objects, cell_data "object_index" = object position per triangle.

        Points are relative to ``origin`` (float32), like ``vertices``.
        """
        import pyvista  # lazy: twin/ stays importable without a VTK stack

        mesh = pyvista.PolyData.from_regular_faces(self.vertices, self.faces)
        mesh.cell_data["object_index"] = self.face_object_index()
        return mesh
