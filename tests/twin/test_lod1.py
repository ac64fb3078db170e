"""A City's buildings become one closed LoD1 mesh per building, relative to the local origin."""

from __future__ import annotations

import numpy as np
import pytest

from tests.twin.factories import small_city
from twin.lod1 import building_meshes


def test_each_building_gets_a_closed_prism_of_its_height() -> None:
    city = small_city()
    store = building_meshes(city)
    buildings = city.layer("buildings")
    assert store.object_ids.tolist() == buildings["id"].tolist()
    np.testing.assert_allclose(
        store.volumes_m3(), buildings.area * buildings["height_m"], rtol=1e-5
    )
    assert store.origin == (668000.0, 6357000.0, 0.0)
    assert store.vertices[:, 0].max() < 200  # metres from the origin, not Lambert-93


def test_a_building_without_height_keeps_its_place_without_faces() -> None:
    city = small_city()
    city.update_values("buildings", ["b2"], {"height_m": None})
    store = building_meshes(city)
    faces = np.diff(store.face_offsets)
    assert faces[1] == 0 and (faces[[0, 2, 3, 4, 5]] > 0).all()
    assert store.object_id_of_face(int(store.face_offsets[2])) == "b3"


def test_base_elevation_lifts_the_prism() -> None:
    city = small_city()
    city.update_values("buildings", ["b1"], {"base_elevation_m": 400.0})
    vertices, _ = building_meshes(city).mesh_of("b1")
    assert vertices[:, 2].min() == pytest.approx(400.0)
    assert vertices[:, 2].max() == pytest.approx(406.0)
