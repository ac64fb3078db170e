"""Specs are checked where data enters: dtypes, ranges, allowed values, geometry, ids."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from twin.catalogue import BUILDINGS
from twin.errors import SpecError
from twin.spec import LayerSpec, conform


def buildings(**columns: list[object]) -> gpd.GeoDataFrame:
    n = len(next(iter(columns.values())))
    return gpd.GeoDataFrame(columns, geometry=[box(i, 0, i + 1, 1) for i in range(n)], crs=2154)


def test_declared_columns_get_their_dtype_and_missing_ones_are_added_empty() -> None:
    frame = conform(buildings(id=[1, 2], floors=["3", 4.0], height_m=["9.5", 3]), BUILDINGS)
    assert frame["id"].tolist() == ["1", "2"]
    assert str(frame["floors"].dtype) == "Int64"
    assert frame["height_m"].tolist() == [9.5, 3.0]
    assert frame["dwellings"].isna().all()
    assert frame.columns[-1] == "geometry"


def test_a_height_outside_its_range_names_the_layer_column_row_and_range() -> None:
    with pytest.raises(SpecError) as raised:
        conform(buildings(id=["a", "b"], height_m=[5.0, -3.0]), BUILDINGS, source="bati.shp")
    message = str(raised.value)
    assert "layer 'buildings' from bati.shp" in message
    assert "'height_m'" in message and "'b'" in message and "0 to 1000 m" in message


def test_a_use_outside_the_classification_is_refused() -> None:
    with pytest.raises(SpecError, match="one of residential"):
        conform(buildings(id=["a"], use=["Résidentiel"]), BUILDINGS)


def test_a_fractional_number_of_floors_is_refused() -> None:
    with pytest.raises(SpecError, match="'floors' must hold Int64"):
        conform(buildings(id=["a"], floors=[2.5]), BUILDINGS)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(SpecError, match="duplicate id"):
        conform(buildings(id=["a", "a"]), BUILDINGS)


def test_a_missing_required_id_column_says_to_map_one() -> None:
    with pytest.raises(SpecError, match="required column 'id'"):
        conform(buildings(height_m=[3.0]), BUILDINGS)


def test_lines_are_refused_in_a_polygon_layer() -> None:
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[LineString([(0, 0), (1, 1)])], crs=2154)
    with pytest.raises(SpecError, match="LineString"):
        conform(frame, BUILDINGS)


def test_a_spec_survives_a_json_round_trip() -> None:
    assert LayerSpec.from_json(BUILDINGS.to_json()) == BUILDINGS
