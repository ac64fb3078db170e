"""Scene layers rebuilt off the GUI thread: splices of edited buildings, coarse boxes, outlines
and ray picking (plain numpy and VTK data: no display needed)."""

from __future__ import annotations

import numpy as np
import shapely
from affine import Affine
from pyproj import CRS
from shapely.geometry import box

from gui.scene import SCENE_LAYERS, USE_COLOURS, hex_to_rgb
from gui.scene_lod import BOX_VERTICES, box_points, box_proxy
from gui.scene_meshes import outline_lines
from gui.scene_pick import object_boxes, ray_pick
from gui.scene_update import build_scene
from samples.synthetic import synthetic_buildings, synthetic_parcels
from twin.city import City
from twin.mesh import MeshStore
from twin.raster import Raster
from twin.snapshot import outline_polydata


def synthetic_city(n_buildings: int, with_terrain: bool = False) -> City:
    city = City(name="synthetic")
    city.set_layer("parcels", synthetic_parcels(n_buildings))
    city.set_layer("buildings", synthetic_buildings(n_buildings, seed=3))
    if with_terrain:
        minx, miny, maxx, maxy = city.extent()  # type: ignore[misc]
        values = np.linspace(30.0, 50.0, 40 * 40).reshape(40, 40)
        pixel = max(maxx - minx, maxy - miny) / 38
        transform = Affine(pixel, 0, minx - pixel, 0, -pixel, maxy + pixel)
        city.set_raster(Raster("terrain", values, transform, CRS.from_epsg(2154)))
    city.ensure_origin()
    return city


def test_a_height_edit_re_extrudes_only_those_buildings_and_matches_a_full_rebuild() -> None:
    city = synthetic_city(300)
    before = build_scene(city, dict.fromkeys(SCENE_LAYERS), {})
    ids = ["SYN0000007", "SYN0000150", "SYN0000299"]
    city.update_values("buildings", ids, {"height_m": [4.0, 12.5, 29.0]})

    spliced = build_scene(city, {"buildings": frozenset(ids)}, before)["buildings"]
    full = build_scene(city, {"buildings": None}, {})["buildings"]

    assert spliced is not None and full is not None
    assert spliced.store is not None and full.store is not None
    assert np.array_equal(spliced.store.vertices, full.store.vertices)
    assert np.array_equal(spliced.store.faces, full.store.faces)
    assert spliced.store.faces is before["buildings"].store.faces  # only vertices moved
    assert np.array_equal(spliced.pick_boxes, full.pick_boxes)
    assert np.array_equal(spliced.coarse.points, full.coarse.points)
    assert np.array_equal(spliced.mesh.cell_data["rgb"], full.mesh.cell_data["rgb"])
    top = spliced.store.mesh_of("SYN0000150")[0][:, 2].max()
    base = city.layer("buildings").set_index("id").loc["SYN0000150", "base_elevation_m"]
    assert abs(top + city.origin[2] - (base + 12.5)) < 1e-3  # type: ignore[index]


def test_a_new_footprint_with_other_vertex_counts_is_spliced_in_place() -> None:
    city = synthetic_city(120)
    before = build_scene(city, {"buildings": None}, {})
    old = city.layer("buildings").set_index("id").loc["SYN0000040", "geometry"]
    city.update_values("buildings", ["SYN0000040"], {"geometry": [old.envelope]})

    spliced = build_scene(city, {"buildings": frozenset({"SYN0000040"})}, before)["buildings"]
    full = build_scene(city, {"buildings": None}, {})["buildings"]

    assert spliced is not None and full is not None
    for name in ("vertices", "faces", "vertex_offsets", "face_offsets", "object_ids"):
        assert np.array_equal(getattr(spliced.store, name), getattr(full.store, name)), name
    assert spliced.store.mesh_of("SYN0000040")[0].shape[0] == 8  # a box now


def test_a_new_use_recolours_without_touching_the_geometry() -> None:
    city = synthetic_city(50)
    before = build_scene(city, {"buildings": None}, {})
    city.update_values("buildings", ["SYN0000010"], {"use": "industrial"})

    recoloured = build_scene(city, {"buildings": frozenset()}, before)["buildings"]

    assert recoloured is not None
    assert np.shares_memory(recoloured.mesh.points, before["buildings"].mesh.points)
    assert recoloured.store is before["buildings"].store
    position = list(recoloured.object_ids).index("SYN0000010")
    cells = np.asarray(recoloured.mesh.cell_data["object_index"]) == position
    industrial = hex_to_rgb(USE_COLOURS["industrial"])
    assert (recoloured.mesh.cell_data["rgb"][cells] == industrial).all()
    assert not (before["buildings"].mesh.cell_data["rgb"][cells] == industrial).all()  # was not


def test_the_moving_boxes_hold_each_footprint_with_walls_facing_out() -> None:
    footprints = synthetic_buildings(200, seed=5).geometry.to_numpy()
    heights = np.full(len(footprints), 9.0)
    corners = box_points(footprints, np.full(len(footprints), 40.0), heights, (650000, 6860000, 0))

    for footprint, rectangle in zip(footprints, corners.reshape(-1, BOX_VERTICES, 3), strict=True):
        outline = shapely.Polygon(rectangle[:4, :2] + np.array([650000, 6860000]))
        assert outline.buffer(1e-3).covers(footprint)
        assert outline.area < 1.02 * shapely.oriented_envelope(footprint).area + 1e-6
    proxy = box_proxy(corners)
    normals = proxy.compute_normals(
        cell_normals=True, point_normals=False, auto_orient_normals=False, consistent_normals=False
    )
    centres = proxy.cell_centers().points
    box_centres = corners.reshape(-1, BOX_VERTICES, 3).mean(axis=1)
    outward = centres - box_centres[np.asarray(proxy.cell_data["object_index"])]
    assert (np.einsum("ij,ij->i", normals.cell_data["Normals"], outward) > 0).all()


def test_a_building_without_a_height_gets_an_empty_box() -> None:
    corners = box_points([box(0, 0, 5, 5), box(10, 0, 15, 5)], [0.0, 0.0], [6.0, np.nan], (0, 0, 0))
    assert np.ptp(corners[BOX_VERTICES:], axis=0).max() == 0.0
    assert corners[:BOX_VERTICES, 2].max() == 6.0


def test_outlines_built_in_chunks_are_the_snapshot_outlines() -> None:
    city = synthetic_city(2_600, with_terrain=True)  # more than one chunk
    chunked, whole = outline_lines(city, "parcels"), outline_polydata(city, "parcels")
    assert np.array_equal(np.asarray(chunked.points), np.asarray(whole.points))
    assert np.array_equal(np.asarray(chunked.lines), np.asarray(whole.lines))


def two_stacked_squares() -> MeshStore:
    """Object "low" (a square at z = 2) under object "high" (the same square at z = 8)."""
    square = np.array([[0, 0, 0], [4, 0, 0], [4, 4, 0], [0, 4, 0]], dtype=np.float32)
    low, high = square + np.array([0, 0, 2]), square + np.array([0, 0, 8])
    return MeshStore(
        vertices=np.concatenate([low, high]).astype(np.float32),
        faces=np.array([[0, 1, 2], [0, 2, 3], [4, 5, 6], [4, 6, 7]], dtype=np.int32),
        vertex_offsets=np.array([0, 4, 8]),
        face_offsets=np.array([0, 2, 4]),
        object_ids=np.array(["low", "high"]),
    )


def test_a_ray_hits_the_nearest_object_and_a_cut_lets_it_through() -> None:
    store = two_stacked_squares()
    boxes = object_boxes(store)
    down = (np.array([1.0, 3.0, 20.0]), np.array([1.0, 3.0, -20.0]))  # vertical: x, y parallel

    t, face = ray_pick(store, boxes, *down)  # type: ignore[misc]
    assert store.object_id_of_face(face) == "high" and abs(t - 12 / 40) < 1e-9
    _t, face = ray_pick(store, boxes, *down, max_z=5.0)  # type: ignore[misc]
    assert store.object_id_of_face(face) == "low"
    assert ray_pick(store, boxes, np.array([9.0, 9, 20]), np.array([9.0, 9, -20])) is None
    slanted = ray_pick(store, boxes, np.array([-10.0, 2, 18]), np.array([10.0, 2, -2]))
    assert slanted is not None and store.object_id_of_face(slanted[1]) == "high"


def test_picking_boxes_ignore_objects_without_faces() -> None:
    empty = MeshStore(
        np.zeros((0, 3), np.float32),
        np.zeros((0, 3), np.int32),
        np.array([0, 0]),
        np.array([0, 0]),
        np.array(["nothing"]),
    )
    both = MeshStore.concat([two_stacked_squares(), empty])
    boxes = object_boxes(both)
    assert np.isnan(boxes[2]).all()
    hit = ray_pick(both, boxes, np.array([1.0, 1, 20]), np.array([1.0, 1, -20]))
    assert hit is not None and both.object_id_of_face(hit[1]) == "high"
