"""MeshStore: validation, concatenation, per-object access, volumes and the PyVista view."""

from __future__ import annotations

import numpy as np
import pytest

from twin.mesh import MeshStore

ORIGIN = (650000.0, 6860000.0, 30.0)

_CUBE_VERTICES = np.array(
    [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]],
    dtype=np.float32,
)
_CUBE_FACES = np.array(  # counter-clockwise seen from outside
    [
        [0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
        [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
    ],
    dtype=np.int32,
)  # fmt: skip


def _cube_store(ids: tuple[str, ...] = ("A",), scale: float = 1.0) -> MeshStore:
    """One cube per id (the k-th shifted by 2k metres along x), then an object without mesh."""
    n = len(ids)
    vertices = np.concatenate(
        [_CUBE_VERTICES * scale + np.float32([2 * k, 0, 0]) for k in range(n)]
    ).astype(np.float32)
    faces = np.concatenate([_CUBE_FACES + 8 * k for k in range(n)]).astype(np.int32)
    return MeshStore(
        vertices=vertices,
        faces=faces,
        vertex_offsets=np.r_[np.arange(n + 1) * 8, 8 * n],
        face_offsets=np.r_[np.arange(n + 1) * 12, 12 * n],
        object_ids=np.array([*ids, "EMPTY"]),
        origin=ORIGIN,
    )


def test_a_consistent_store_reports_its_sizes() -> None:
    store = _cube_store(("A", "B"))
    assert (store.n_objects, store.n_vertices, store.n_faces) == (3, 16, 24)
    assert store.origin == ORIGIN


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vertices": np.zeros((8, 2), np.float32)}, "vertices must have shape"),
        ({"vertices": _CUBE_VERTICES.astype(np.float64)}, "float32"),
        ({"faces": _CUBE_FACES.astype(np.int64)}, "int32"),
        ({"faces": _CUBE_FACES[:, :2]}, "faces must have shape"),
        ({"faces": _CUBE_FACES + 1}, "out of range"),
        ({"vertex_offsets": np.array([0, 4, 8])}, "n_objects \\+ 1"),
        ({"vertex_offsets": np.array([1, 8])}, "start at 0 and end at 8"),
        ({"face_offsets": np.array([0, 13])}, "start at 0 and end at 12"),
        ({"face_offsets": np.array([0.0, 12.0])}, "integers"),
        ({"object_ids": np.array([7])}, "strings"),
        ({"object_ids": np.array([["A"]])}, "1-D"),
        ({"origin": (0.0, 0.0)}, "origin"),
    ],
)
def test_constructor_rejects_inconsistent_arrays(change: dict, message: str) -> None:
    arrays = {
        "vertices": _CUBE_VERTICES,
        "faces": _CUBE_FACES,
        "vertex_offsets": np.array([0, 8]),
        "face_offsets": np.array([0, 12]),
        "object_ids": np.array(["A"]),
        "origin": ORIGIN,
    }
    arrays.update(change)
    with pytest.raises(ValueError, match=message):
        MeshStore(**arrays)


def test_constructor_rejects_decreasing_offsets() -> None:
    with pytest.raises(ValueError, match="non-decreasing"):
        MeshStore(
            vertices=_CUBE_VERTICES,
            faces=_CUBE_FACES,
            vertex_offsets=np.array([0, 9, 8]),
            face_offsets=np.array([0, 12, 12]),
            object_ids=np.array(["A", "B"]),
        )


def test_object_ids_given_as_python_strings_become_a_numpy_str_array() -> None:
    store = MeshStore(
        _CUBE_VERTICES, _CUBE_FACES, [0, 8], [0, 12], np.array(["A"], dtype=object), ORIGIN
    )
    assert store.object_ids.dtype.kind == "U"


def test_empty_store_has_no_objects_and_keeps_its_origin() -> None:
    store = MeshStore.empty(ORIGIN)
    assert (store.n_objects, store.n_vertices, store.n_faces) == (0, 0, 0)
    assert store.origin == ORIGIN
    assert store.volumes_m3().shape == (0,)
    assert store.to_pyvista().n_cells == 0


def test_concat_shifts_faces_and_offsets_and_keeps_object_order() -> None:
    first, second = _cube_store(("A",)), _cube_store(("B", "C"))
    store = MeshStore.concat([first, second])
    assert list(store.object_ids) == ["A", "EMPTY", "B", "C", "EMPTY"]
    assert list(store.vertex_offsets) == [0, 8, 8, 16, 24, 24]
    assert list(store.face_offsets) == [0, 12, 12, 24, 36, 36]
    assert store.faces.dtype == np.int32
    b_vertices, b_faces = store.mesh_of("B")
    assert np.array_equal(b_faces, _CUBE_FACES)
    assert np.array_equal(b_vertices, _CUBE_VERTICES)
    assert np.array_equal(store.faces[12:24], _CUBE_FACES + 8)
    assert store.volumes_m3() == pytest.approx([1, 0, 1, 1, 0])


def test_concat_refuses_stores_with_different_origins() -> None:
    other = MeshStore.empty((0.0, 0.0, 0.0))
    with pytest.raises(ValueError, match="different origins"):
        MeshStore.concat([_cube_store(), other])


def test_concat_of_nothing_is_an_empty_store() -> None:
    assert MeshStore.concat([]).n_objects == 0


def test_mesh_of_returns_the_object_vertices_with_locally_numbered_faces() -> None:
    store = _cube_store(("A", "B"))
    vertices, faces = store.mesh_of("B")
    assert vertices.dtype == np.float32 and faces.dtype == np.int32
    assert np.array_equal(vertices, _CUBE_VERTICES + np.float32([2, 0, 0]))
    assert np.array_equal(faces, _CUBE_FACES)
    empty_vertices, empty_faces = store.mesh_of("EMPTY")
    assert empty_vertices.shape == (0, 3) and empty_faces.shape == (0, 3)
    with pytest.raises(KeyError, match="nope"):
        store.mesh_of("nope")


def test_faces_map_to_object_indices_and_ids() -> None:
    store = _cube_store(("A", "B"))
    assert list(store.object_index_of_faces([0, 11, 12, 23])) == [0, 0, 1, 1]
    assert store.object_id_of_face(13) == "B"
    assert store.index_of("EMPTY") == 2
    with pytest.raises(IndexError):
        store.object_index_of_faces([24])


def test_volumes_are_signed_tetrahedron_sums_per_object() -> None:
    store = _cube_store(("A", "B"), scale=3.0)
    assert store.volumes_m3() == pytest.approx([27.0, 27.0, 0.0])
    inside_out = MeshStore(
        _CUBE_VERTICES, _CUBE_FACES[:, [0, 2, 1]].copy(), [0, 8], [0, 12], ["A"], ORIGIN
    )
    assert inside_out.volumes_m3() == pytest.approx([-1.0])


def test_to_pyvista_builds_one_polydata_with_object_index_per_cell() -> None:
    store = _cube_store(("A", "B"))
    mesh = store.to_pyvista()
    assert mesh.n_points == 16 and mesh.n_cells == 24
    assert np.array_equal(mesh.regular_faces, store.faces)
    assert np.allclose(mesh.points, store.vertices)
    object_index = mesh.cell_data["object_index"]
    assert list(np.bincount(object_index)) == [12, 12]
    assert list(store.object_ids[object_index[[0, 23]]]) == ["A", "B"]
    assert mesh.n_open_edges == 0 and mesh.volume == pytest.approx(2.0)


def test_selecting_objects_keeps_their_meshes_and_renumbers_faces() -> None:
    from shapely import box

    from twin.extrude import extrude_footprints

    store = extrude_footprints(
        [box(0, 0, 1, 1), box(2, 0, 4, 1), box(5, 0, 8, 1)],
        0.0,
        3.0,
        ["a", "b", "c"],
        (0.0, 0.0, 0.0),
    )
    kept = store.select(np.array([True, False, True]))
    assert kept.object_ids.tolist() == ["a", "c"]
    np.testing.assert_allclose(kept.volumes_m3(), [3.0, 9.0], rtol=1e-6)
    np.testing.assert_array_equal(kept.mesh_of("c")[1], store.mesh_of("c")[1])


def test_rebasing_moves_the_zero_without_moving_the_meshes() -> None:
    from shapely import box

    from twin.extrude import extrude_footprints

    store = extrude_footprints(
        [box(668010, 6357020, 668020, 6357030)], 400.0, 6.0, ["a"], (668000.0, 6357000.0, 0.0)
    )
    moved = store.rebased((667900.0, 6356900.0, 300.0))
    absolute = moved.vertices.astype(np.float64) + np.array(moved.origin)
    expected = store.vertices.astype(np.float64) + np.array(store.origin)
    np.testing.assert_allclose(absolute, expected, atol=1e-3)
