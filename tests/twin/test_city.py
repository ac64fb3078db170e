"""The City keeps layers in the project CRS, emits change events and checks CRSs."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from tests.twin.factories import small_city
from twin.city import City, parse_crs
from twin.errors import CrsError, SpecError, UnknownLayerError


def test_changes_emit_the_layer_ids_and_columns_that_changed() -> None:
    city = small_city()
    events: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    city.changed.connect(lambda layer, ids, columns: events.append((layer, ids, columns)))
    city.update_values("buildings", ["b1", "b2"], {"height_m": [10.0, 11.0]})
    city.drop_rows("buildings", ["b3"])
    assert events == [("buildings", ("b1", "b2"), ("height_m",)), ("buildings", ("b3",), ())]
    assert city.layer("buildings").set_index("id").loc["b2", "height_m"] == 11.0
    assert "b3" not in set(city.layer("buildings")["id"])


def test_an_edit_breaking_the_spec_is_refused_and_leaves_the_layer_unchanged() -> None:
    city = small_city()
    with pytest.raises(SpecError):
        city.update_values("buildings", ["b1"], {"height_m": -1.0})
    assert city.layer("buildings").set_index("id").loc["b1", "height_m"] == 6.0


def test_a_layer_in_another_crs_is_refused_with_advice() -> None:
    city = City()
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[box(2, 48, 2.1, 48.1)], crs=4326)
    with pytest.raises(CrsError, match="reproject"):
        city.set_layer("buildings", frame)


def test_a_geographic_crs_cannot_be_a_project_crs() -> None:
    with pytest.raises(CrsError, match="not a projected CRS"):
        parse_crs("EPSG:4326")
    with pytest.raises(CrsError, match="unknown coordinate reference system"):
        parse_crs("EPSG:999999")
    assert parse_crs("2154").to_epsg() == 2154


def test_asking_for_a_missing_layer_lists_the_layers_there_are() -> None:
    with pytest.raises(UnknownLayerError, match="its layers: territory, communes"):
        small_city().layer("roads")


def test_the_local_origin_is_the_extent_corner_rounded_to_100_m_and_then_kept() -> None:
    city = small_city()
    assert city.ensure_origin() == (668000.0, 6357000.0, 0.0)
    city.drop_rows("buildings", ["b1"])
    assert city.ensure_origin() == (668000.0, 6357000.0, 0.0)


def test_layers_are_listed_in_hierarchy_order() -> None:
    assert small_city().layer_names == [
        "territory",
        "communes",
        "districts",
        "parcels",
        "buildings",
    ]
