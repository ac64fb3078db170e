"""One assertion: a City read back from a project is the City that was saved."""

from __future__ import annotations

import numpy as np
from pandas.testing import assert_frame_equal

from twin.city import City


def assert_same_project(again: City, city: City) -> None:
    """Name, CRS, metadata, every layer (values, dtypes, specs) and every raster are equal."""
    assert (again.name, again.metadata) == (city.name, city.metadata)
    assert again.crs.equals(city.crs)
    assert again.layer_names == city.layer_names
    for name in city.layer_names:
        assert again.spec(name) == city.spec(name)
        assert_frame_equal(again.layer(name), city.layer(name))
    assert set(again.rasters) == set(city.rasters)
    for name, raster in city.rasters.items():
        np.testing.assert_array_equal(again.rasters[name].values, raster.values)
        assert again.rasters[name].transform == raster.transform
    assert set(again.meshes) == set(city.meshes)
    for name, store in city.meshes.items():
        np.testing.assert_array_equal(again.meshes[name].vertices, store.vertices)
        assert again.meshes[name].object_ids.tolist() == store.object_ids.tolist()
