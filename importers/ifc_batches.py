"""The work on each batch of meshes as it comes from the geometry kernel, and the pieces joined.

Everything that concerns one element is done as soon as its batch arrives, while the kernel
(in a child process, :mod:`importers.ifc_kernel_guard`) makes the next ones: its vertices
placed in the target CRS and its mesh turned outwards (:func:`importers.ifc_mesh.place`), its
z range and volume, its building, storey and space in the spatial tree, and the 2D outline of
the walls, slabs, roofs and spaces (cleaned for spaces). When the last batch is in,
:meth:`MeshBatches.join` only concatenates: what needs all elements (storey and building
outlines, the rows) is left to :mod:`importers.ifc_layers`. Each step is per element, so the
result does not depend on how the elements were cut into batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from importers.ifc_crs import Georeference
from importers.ifc_geometry import (
    FOOTPRINT_CLASSES,
    STOREY_OUTLINE_CLASSES,
    Tessellation,
    with_subtypes,
)
from importers.ifc_hierarchy import Hierarchy
from importers.ifc_mesh import PlacedMeshes, mesh_origin, mesh_store, place
from importers.ifc_outlines import clean_outlines, element_outlines
from twin.issues import Issue
from twin.mesh import MeshStore


@dataclass(frozen=True)
class ElementGeometry:
    """What the layers need of the tessellated elements, aligned with the store's objects.

    Attributes:
        store: the MeshStore, one object per element, object ids = GlobalIds.
        step_ids, classes: (n,) STEP id and IFC class of each object.
        building, storey, space: (n,) position of its building, storey (in
            ``tree.buildings``, ``tree.storeys``) and, for a space, of itself in
            ``tree.spaces``; -1 for none.
        structure: (n,) walls, curtain walls, slabs and columns (storey outlines).
        roofs: (n,) roofs (with the structure, building footprints).
        outlines: (n,) 2D outline of each structure, roof and space object (None otherwise),
            relative to the store's origin.
        space_outlines: (n,) cleaned outline of each space object (None otherwise).
        z_min, z_max: (n,) lowest and highest absolute z (metres).
        volumes_m3: (n,) enclosed volume of each closed mesh, NaN for open ones.
        pieces: the placed batches, for outlines of other objects (:meth:`outlines_of`).
    """

    store: MeshStore
    step_ids: np.ndarray
    classes: np.ndarray
    building: np.ndarray
    storey: np.ndarray
    space: np.ndarray
    structure: np.ndarray
    roofs: np.ndarray
    outlines: np.ndarray
    space_outlines: np.ndarray
    z_min: np.ndarray
    z_max: np.ndarray
    volumes_m3: np.ndarray
    pieces: tuple[PlacedMeshes, ...]

    @property
    def origin(self) -> np.ndarray:
        """(3,) float64 origin of the outlines and of the store."""
        return np.asarray(self.store.origin, dtype=np.float64)

    def outlines_of(self, wanted: np.ndarray) -> np.ndarray:
        """(n,) outline of each ``wanted`` object (None for the others)."""
        bounds = np.cumsum([0] + [len(p.step_ids) for p in self.pieces])
        return _concatenate(
            [
                _outlines(piece, wanted[start:end])
                for piece, start, end in zip(self.pieces, bounds[:-1], bounds[1:], strict=True)
            ],
            object,
        )


@dataclass(frozen=True)
class _Piece:
    """What a batch gave, beyond its placed meshes."""

    placed: PlacedMeshes
    building: np.ndarray
    storey: np.ndarray
    space: np.ndarray
    structure: np.ndarray
    roofs: np.ndarray
    outlines: np.ndarray
    space_outlines: np.ndarray


class MeshBatches:
    """Takes the batches of meshes (:meth:`add`, in iterator order) and joins them (:meth:`join`).

    Attributes:
        tessellated: STEP ids of every element the iterator returned (kept or not).
        issues: elements returned without any triangle (``tessellation_failed``).
    """

    def __init__(self, tree: Hierarchy, georef: Georeference, schema: str, source: str) -> None:
        self._tree = tree
        self._georef = georef
        self._source = source
        self._origin = mesh_origin(georef)
        self._building_pos = {b.id(): i for i, b in enumerate(tree.buildings)}
        self._storey_pos = {s.id(): i for i, s in enumerate(tree.storeys)}
        self._space_pos = {s.id(): i for i, s in enumerate(tree.spaces)}
        self._structure = list(with_subtypes(schema, STOREY_OUTLINE_CLASSES))
        self._footprint = list(with_subtypes(schema, FOOTPRINT_CLASSES))
        self._pieces: list[_Piece] = []
        self.tessellated: set[int] = set()
        self.issues: list[Issue] = []

    def add(self, batch: Tessellation) -> None:
        """Place a batch of meshes and make its elements' outlines and tree positions."""
        self.tessellated.update(batch.step_ids.tolist())
        placed = place(
            batch, self._georef, self._origin, self._tree.guid, self._source, self.issues
        )
        step_ids = placed.step_ids.tolist()
        space = np.array([self._space_pos.get(i, -1) for i in step_ids], dtype=np.int64)
        structure = np.isin(placed.classes, self._structure)
        roofs = np.isin(placed.classes, self._footprint) & ~structure
        is_space = space >= 0
        outlines = _outlines(placed, structure | roofs | is_space)
        space_outlines = np.full(len(step_ids), None, dtype=object)
        space_outlines[is_space] = clean_outlines(outlines[is_space])
        self._pieces.append(
            _Piece(
                placed,
                tree_positions(step_ids, self._tree, self._building_pos, ("building",)),
                tree_positions(step_ids, self._tree, self._storey_pos, ("storey",)),
                space,
                structure,
                roofs,
                outlines,
                space_outlines,
            )
        )

    def join(self) -> ElementGeometry:
        """All the batches added, as one :class:`ElementGeometry`."""
        pieces = self._pieces
        placed = [p.placed for p in pieces]

        def joined(name: str, dtype: type | None = None) -> np.ndarray:
            return _concatenate([getattr(p, name) for p in pieces], dtype)

        def joined_placed(name: str, dtype: type | None = None) -> np.ndarray:
            return _concatenate([getattr(p, name) for p in placed], dtype)

        return ElementGeometry(
            store=mesh_store(placed, self._origin),
            step_ids=joined_placed("step_ids", np.int64),
            classes=joined_placed("classes", str),
            building=joined("building", np.int64),
            storey=joined("storey", np.int64),
            space=joined("space", np.int64),
            structure=joined("structure", bool),
            roofs=joined("roofs", bool),
            outlines=joined("outlines", object),
            space_outlines=joined("space_outlines", object),
            z_min=joined_placed("z_min", np.float64),
            z_max=joined_placed("z_max", np.float64),
            volumes_m3=joined_placed("volumes_m3", np.float64),
            pieces=tuple(placed),
        )


def tree_positions(
    step_ids: Sequence[int], tree: Hierarchy, positions: dict[int, int], kinds: tuple[str, ...]
) -> np.ndarray:
    """(n,) position (``positions``) of each element itself if listed there, else of its
    nearest ancestor of ``kinds``; -1 for none."""
    out = np.full(len(step_ids), -1, dtype=np.int64)
    for row, step_id in enumerate(step_ids):
        if step_id in positions:
            out[row] = positions[step_id]
            continue
        above = tree.ancestor(step_id, kinds)
        if above is not None:
            out[row] = positions.get(above, -1)
    return out


def _outlines(placed: PlacedMeshes, wanted: np.ndarray) -> np.ndarray:
    return element_outlines(placed.xyz[:, :2], placed.faces, placed.face_object, wanted)


def _concatenate(arrays: list[np.ndarray], dtype: type | None) -> np.ndarray:
    """The arrays end to end (an empty one of ``dtype`` for none)."""
    if not arrays:
        return np.empty(0, dtype=dtype)
    return np.concatenate(arrays)
