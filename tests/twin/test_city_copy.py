"""City.copy(): an independent City to read in another thread while the original is edited."""

from __future__ import annotations

import numpy as np
from affine import Affine

from tests.twin.factories import small_city
from twin.raster import Raster


def test_a_copy_has_the_same_layers_values_and_project_settings() -> None:
    city = small_city()
    city.metadata["author"] = {"name": "Mairie"}
    city.ensure_origin()
    copy = city.copy()
    assert copy.layer_names == city.layer_names
    assert copy.crs.equals(city.crs)
    assert copy.origin == city.origin
    assert copy.name == city.name
    assert copy.metadata == city.metadata
    for name in city.layer_names:
        assert copy.layer(name).equals(city.layer(name))
        assert copy.spec(name) == city.spec(name)
    assert copy.hierarchy.ids.tolist() == city.hierarchy.ids.tolist()


def test_editing_the_original_after_copying_leaves_the_copy_unchanged() -> None:
    city = small_city()
    copy = city.copy()
    city.update_values("buildings", ["b1"], {"height_m": 40.0})
    city.drop_rows("parcels", ["12990000AB0002"])
    city.metadata["note"] = "after"
    assert copy.layer("buildings").set_index("id").loc["b1", "height_m"] == 6.0
    assert "12990000AB0002" in set(copy.layer("parcels")["id"])
    assert "note" not in copy.metadata


def test_the_copy_owns_its_frames_but_shares_immutable_geometries_and_rasters() -> None:
    city = small_city()
    transform = Affine(50.0, 0.0, 668000.0, 0.0, -50.0, 6357100.0)
    terrain = Raster("terrain", np.zeros((4, 4), np.float32), transform, city.crs)
    city.set_raster(terrain)
    copy = city.copy()
    original, copied = city.layer("buildings"), copy.layer("buildings")
    assert copied is not original
    copied.loc[0, "height_m"] = 99.0  # even an in-place change stays in the copy
    assert original.loc[0, "height_m"] == 6.0
    assert copied.geometry.iloc[0] is original.geometry.iloc[0]
    assert copy.rasters["terrain"] is terrain
    assert copy.rasters is not city.rasters


def test_the_copy_has_no_subscribers_of_the_original() -> None:
    city = small_city()
    heard: list[str] = []
    city.changed.connect(lambda layer, _ids, _columns: heard.append(layer))
    copy = city.copy()
    copy.update_values("buildings", ["b2"], {"floors": 3})
    assert heard == []
    city.update_values("buildings", ["b2"], {"floors": 2})
    assert heard == ["buildings"]
