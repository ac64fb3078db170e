"""LoD1 extrusion: closed prisms with outward normals, exact volumes, stable object mapping."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely
from shapely import MultiPolygon, Polygon, box

from samples.synthetic import synthetic_buildings
from twin.extrude import extrude_footprints
from twin.mesh import MeshStore

ORIGIN_L93 = (650000.0, 6860000.0, 0.0)
LOCAL = (0.0, 0.0, 0.0)
SQUARE_WITH_HOLE = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(4, 4), (4, 6), (6, 6), (6, 4)]])
L_SHAPE = Polygon([(0, 0), (10, 0), (10, 4), (4, 4), (4, 10), (0, 10)])


def _extrude(geoms: list, base: float = 0.0, height: float = 10.0, origin=LOCAL) -> MeshStore:
    ids = [f"B{i}" for i in range(len(geoms))]
    return extrude_footprints(geoms, base, height, ids, origin)


def _directed_edges_pair_up(store: MeshStore) -> bool:
    """Watertight and consistently oriented: every directed edge u->v has a v->u twin."""
    f = store.faces.astype(np.int64)
    n = max(store.n_vertices, 1)
    forward = np.concatenate([f[:, 0] * n + f[:, 1], f[:, 1] * n + f[:, 2], f[:, 2] * n + f[:, 0]])
    backward = np.concatenate([f[:, 1] * n + f[:, 0], f[:, 2] * n + f[:, 1], f[:, 0] * n + f[:, 2]])
    return bool(np.isin(backward, forward).all())


def _cap_area_per_object(store: MeshStore) -> np.ndarray:
    """Unsigned area of each object's top cap (half of all horizontal triangles): equal to
    the footprint area only if cap triangles neither overlap nor fold."""
    corners = store.vertices.astype(np.float64)[store.faces]
    ab, ac = corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]
    normal = np.cross(ab, ac)
    horizontal = (normal[:, 0] == 0) & (normal[:, 1] == 0)
    area = np.where(horizontal, 0.5 * np.abs(normal[:, 2]), 0.0)
    return np.bincount(store.face_object_index(), area, minlength=store.n_objects) / 2


def _is_closed_manifold(store: MeshStore) -> bool:
    mesh = store.to_pyvista()
    return mesh.n_open_edges == 0 and mesh.is_manifold


def test_square_with_hole_extrudes_to_a_closed_manifold_mesh() -> None:
    store = _extrude([SQUARE_WITH_HOLE])
    assert _is_closed_manifold(store)
    assert _directed_edges_pair_up(store)


def test_square_with_hole_volume_is_net_area_times_height() -> None:
    store = _extrude([SQUARE_WITH_HOLE], height=7.5)
    expected = (100.0 - 4.0) * 7.5
    assert store.volumes_m3()[0] == pytest.approx(expected, rel=1e-3)
    assert store.to_pyvista().volume == pytest.approx(expected, rel=1e-3)


def test_normals_point_outwards_on_caps_outer_walls_and_hole_walls() -> None:
    store = _extrude([SQUARE_WITH_HOLE])
    mesh = store.to_pyvista()
    # VTK's auto-orientation leaves already outward-facing triangles untouched.
    oriented = mesh.compute_normals(
        cell_normals=True, point_normals=False, auto_orient_normals=True, split_vertices=False
    )
    assert np.array_equal(oriented.regular_faces, store.faces)
    # And explicitly: caps face down/up, outer walls away from the centre, hole walls into it.
    v = store.vertices.astype(np.float64)[store.faces]
    normal = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
    centre = v.mean(axis=1)
    flat = np.abs(normal[:, 2]) > 0
    assert np.all((normal[flat, 2] > 0) == (centre[flat, 2] > 5.0))
    radial = np.einsum("ij,ij->i", normal[~flat, :2], centre[~flat, :2] - 5.0)
    in_hole = np.abs(centre[~flat, :2] - 5.0).max(axis=1) <= 1.0
    assert np.all(radial[~in_hole] > 0) and np.all(radial[in_hole] < 0)
    assert store.volumes_m3()[0] > 0


def test_base_elevation_and_height_are_honoured_relative_to_origin() -> None:
    store = _extrude([SQUARE_WITH_HOLE], base=35.0, height=12.0, origin=(0.0, 0.0, 30.0))
    assert store.vertices[:, 2].min() == pytest.approx(5.0)
    assert store.vertices[:, 2].max() == pytest.approx(17.0)


def test_concave_l_shape_is_closed_with_exact_volume() -> None:
    store = _extrude([L_SHAPE], height=3.0)
    assert _is_closed_manifold(store)
    assert store.volumes_m3()[0] == pytest.approx(L_SHAPE.area * 3.0, rel=1e-6)


def test_clockwise_footprints_still_get_outward_normals() -> None:
    clockwise = Polygon(list(L_SHAPE.exterior.coords)[::-1])
    store = _extrude([clockwise], height=3.0)
    assert _is_closed_manifold(store)
    assert store.volumes_m3()[0] == pytest.approx(L_SHAPE.area * 3.0, rel=1e-6)


def test_multipolygon_of_two_parts_is_one_object_with_summed_volume() -> None:
    two_parts = MultiPolygon([box(0, 0, 4, 3), shapely.affinity.translate(SQUARE_WITH_HOLE, 20)])
    store = _extrude([two_parts], height=2.0)
    assert store.n_objects == 1
    assert _is_closed_manifold(store)
    assert store.volumes_m3()[0] == pytest.approx((12.0 + 96.0) * 2.0, rel=1e-6)


def test_faces_map_back_to_their_object_ids() -> None:
    store = _extrude([box(0, 0, 1, 1), L_SHAPE, SQUARE_WITH_HOLE])
    for k, object_id in enumerate(["B0", "B1", "B2"]):
        faces = np.arange(store.face_offsets[k], store.face_offsets[k + 1])
        assert faces.size > 0
        assert {store.object_id_of_face(int(f)) for f in faces} == {object_id}
        assert np.all(store.object_index_of_faces(faces) == k)
    picked = store.to_pyvista().cell_data["object_index"]
    assert np.array_equal(store.object_ids[picked], store.object_ids[store.face_object_index()])
    # Each object's faces only use its own vertices.
    owner = np.repeat(np.arange(store.n_objects), np.diff(store.face_offsets))
    low, high = store.vertex_offsets[owner], store.vertex_offsets[owner + 1]
    assert np.all((store.faces >= low[:, None]) & (store.faces < high[:, None]))


def test_vertices_are_float32_relative_to_origin_without_jitter() -> None:
    x0, y0 = 652345.678, 6862345.678  # Lambert-93: float32 alone would be ~6 cm coarse here
    footprint = Polygon([(x0, y0), (x0 + 12.34, y0), (x0 + 12.34, y0 + 7.89), (x0, y0 + 7.89)])
    store = _extrude([footprint], base=45.0, height=9.0, origin=ORIGIN_L93)
    assert store.vertices.dtype == np.float32
    absolute = store.vertices.astype(np.float64) + np.array(ORIGIN_L93)
    ring = shapely.get_coordinates(footprint)[:-1]
    for xy in ring:
        nearest = np.min(np.linalg.norm(absolute[:, :2] - xy, axis=1))
        assert nearest < 0.01
    # float32 rounding 2.3 km from the origin: ~0.1 mm per coordinate.
    assert store.volumes_m3()[0] == pytest.approx(footprint.area * 9.0, rel=1e-4)


def test_zero_height_and_empty_footprints_give_no_faces_without_breaking_offsets() -> None:
    geoms = [box(0, 0, 2, 2), Polygon(), box(5, 5, 6, 6), None, shapely.Point(1, 1), L_SHAPE]
    heights = np.array([3.0, 3.0, 0.0, 3.0, 3.0, 3.0])
    store = extrude_footprints(geoms, 0.0, heights, list("abcdef"), LOCAL)
    assert store.n_objects == 6
    assert list(store.object_ids) == list("abcdef")
    face_counts = np.diff(store.face_offsets)
    vertex_counts = np.diff(store.vertex_offsets)
    assert np.array_equal(face_counts == 0, [False, True, True, True, True, False])
    assert np.array_equal(vertex_counts == 0, face_counts == 0)
    assert store.volumes_m3() == pytest.approx([12.0, 0, 0, 0, 0, L_SHAPE.area * 3.0])
    assert store.mesh_of("f")[1].max() < vertex_counts[5]
    assert _directed_edges_pair_up(store)


def test_synthetic_buildings_extrude_to_closed_meshes_with_area_times_height_volumes() -> None:
    town = synthetic_buildings(400, seed=3)
    geoms = town.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    exterior_vertices = shapely.get_num_coordinates(shapely.get_exterior_ring(geoms)) - 1
    assert exterior_vertices.min() >= 10 and exterior_vertices.max() <= 15
    store = extrude_footprints(
        town.geometry,
        town["base_elevation_m"].to_numpy(),
        town["height_m"].to_numpy(),
        town["id"].to_numpy(),
        ORIGIN_L93,
    )
    assert _is_closed_manifold(store)
    assert _directed_edges_pair_up(store)
    expected = shapely.area(geoms) * town["height_m"].to_numpy()
    np.testing.assert_allclose(store.volumes_m3(), expected, rtol=1e-4)
    np.testing.assert_allclose(_cap_area_per_object(store), shapely.area(geoms), rtol=1e-4)


def test_exactly_collinear_vertices_leave_no_t_junction() -> None:
    bottom = [(0, 0), (2, 0), (4, 0), (6, 0)]  # flat vertices on the bottom edge
    teeth = [(6, 2), (5, 2), (5, 4), (4, 4), (4, 2), (2, 2), (2, 4), (1, 4), (1, 2), (0, 2)]
    comb = Polygon([*bottom, *teeth, (0, 1)])
    assert comb.is_valid
    store = _extrude([comb], height=1.0)
    assert _is_closed_manifold(store)
    assert store.volumes_m3()[0] == pytest.approx(comb.area, rel=1e-9)


def test_random_orthogonal_footprints_are_closed_with_exact_volumes() -> None:
    # Unions of integer boxes: exactly collinear vertices, holes, parts touching at corners.
    rng = np.random.default_rng(7)
    geoms = []
    for _ in range(300):
        k = rng.integers(1, 7)
        x, y, w, h = rng.integers(0, 9, k), rng.integers(0, 9, k), *rng.integers(1, 6, (2, k))
        geoms.append(shapely.union_all(shapely.box(x, y, x + w, y + h)))
    store = _extrude(geoms, height=3.0)
    assert _directed_edges_pair_up(store)
    np.testing.assert_allclose(store.volumes_m3(), shapely.area(geoms) * 3.0, rtol=1e-9)
    np.testing.assert_allclose(_cap_area_per_object(store), shapely.area(geoms), rtol=1e-9)


def test_rings_touching_each_other_still_give_a_watertight_mesh() -> None:
    # The hole touches the exterior in the middle of its bottom edge: the vertical edge there
    # belongs to four wall triangles (a pinch, not manifold), but nothing is left open.
    touching = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(5, 0), (7, 3), (3, 3)]])
    store = _extrude([touching], height=2.0)
    assert _directed_edges_pair_up(store)
    assert store.volumes_m3()[0] == pytest.approx(touching.area * 2.0, rel=1e-9)


def test_invalid_footprints_are_repaired_before_extrusion() -> None:
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])  # two triangles of 25 m² each
    store = _extrude([bowtie], height=2.0)
    assert _is_closed_manifold(store)
    assert store.volumes_m3()[0] == pytest.approx(100.0)


def test_footprints_with_nan_coordinates_are_skipped() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shapely warns about the NaN itself
        broken = Polygon([(0, 0), (10, np.nan), (10, 10), (0, 10)])
    store = _extrude([broken, box(0, 0, 1, 1)], height=2.0)
    assert np.diff(store.face_offsets)[0] == 0
    assert store.volumes_m3()[1] == pytest.approx(2.0)


def test_footprints_with_z_coordinates_use_x_and_y_only() -> None:
    with_z = Polygon([(0, 0, 99), (4, 0, 99), (4, 3, 98), (0, 3, 97)])
    store = _extrude([with_z], base=10.0, height=2.0)
    assert store.vertices[:, 2].min() == pytest.approx(10.0)
    assert store.volumes_m3()[0] == pytest.approx(24.0)


def test_arguments_of_the_wrong_length_raise_value_error() -> None:
    with pytest.raises(ValueError, match="object_ids"):
        extrude_footprints([box(0, 0, 1, 1)], 0.0, 1.0, ["a", "b"], LOCAL)
    with pytest.raises(ValueError, match="height_m"):
        extrude_footprints([box(0, 0, 1, 1)], 0.0, [1.0, 2.0], ["a"], LOCAL)
    with pytest.raises(ValueError, match="origin"):
        extrude_footprints([box(0, 0, 1, 1)], 0.0, 1.0, ["a"], (0.0, 0.0))  # type: ignore[arg-type]


def test_no_footprints_give_an_empty_store() -> None:
    store = extrude_footprints([], 0.0, 1.0, [], ORIGIN_L93)
    assert store.n_objects == 0 and store.n_faces == 0
    assert store.origin == ORIGIN_L93


def test_many_footprints_extruded_in_threads_equal_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import twin.extrude as extrude

    town = synthetic_buildings(3_000, seed=5)
    args = (town.geometry, town["base_elevation_m"], town["height_m"], town["id"], LOCAL)
    one = extrude.extrude_footprints(*args)
    monkeypatch.setattr(extrude, "PARALLEL_MIN_FOOTPRINTS", 1_000)
    monkeypatch.setattr(extrude.os, "cpu_count", lambda: 2)
    threaded = extrude.extrude_footprints(*args)
    np.testing.assert_array_equal(threaded.face_offsets, one.face_offsets)
    np.testing.assert_array_equal(threaded.vertices, one.vertices)
    np.testing.assert_array_equal(threaded.faces, one.faces)
    assert threaded.object_ids.tolist() == one.object_ids.tolist()
