"""Finding rows by id or name, and a tree that hands rows to the view in batches."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from gui.search import HierarchySearch, hierarchy_names
from gui.tree_model import BATCH_ROWS, HierarchyModel
from tests.twin.factories import small_city
from twin.city import City


def test_search_ranks_exact_ids_and_names_before_prefixes() -> None:
    search = HierarchySearch(small_city())
    assert search.find("12990") == [  # the exact id first, then prefixes in hierarchy order
        "12990",
        "129900101",
        "129900102",
        "12990000AB0001",
        "12990000AB0002",
        "12990000AC0001",
    ]
    assert search.find("VALMONT") == ["12990"]
    assert search.find("  saint ") == ["12991"]
    assert search.find("b") == ["b1", "b2", "b3", "b4", "b5", "b6"]
    assert search.find("b", limit=2) == ["b1", "b2"]
    assert search.find("") == []
    assert search.find("zzz") == []


def test_names_line_up_with_the_hierarchy_codes() -> None:
    city = small_city()
    names = hierarchy_names(city, city.hierarchy)
    code = int(city.hierarchy.codes(["12991"])[0])
    assert names[code] == "Saint-Bruno"


@pytest.fixture
def crowded_city() -> City:
    """One commune whose single district holds 1 200 buildings without parcels."""
    city = City("EPSG:2154", name="Foule")
    x, y = 668000.0, 6357000.0
    area = box(x, y, x + 2000, y + 2000)

    def frame(rows: dict[str, list[Any]], n: int) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(rows, geometry=[area] * n, crs="EPSG:2154")

    city.set_layer("territory", frame({"id": ["T"], "kind": ["study_area"]}, 1))
    city.set_layer("communes", frame({"id": ["C"], "parent_id": ["T"]}, 1))
    city.set_layer("districts", frame({"id": ["D"], "parent_id": ["C"]}, 1))
    n = 1200
    left, bottom = x + np.arange(n) % 40 * 20.0, y + np.arange(n) // 40 * 20.0
    footprints = shapely.box(left, bottom, left + 8, bottom + 8)
    city.set_layer(
        "buildings",
        gpd.GeoDataFrame(
            {"id": [f"B{i:05d}" for i in range(n)], "parent_id": ["D"] * n, "height_m": [6.0] * n},
            geometry=footprints,
            crs="EPSG:2154",
        ),
    )
    return city


def test_the_tree_hands_a_big_parent_its_children_in_batches(qapp: Any, crowded_city: City) -> None:
    model = HierarchyModel()
    model.set_city(crowded_city)
    district = model.index_of_id("D")
    assert model.hasChildren(district)
    assert model.rowCount(district) == 0
    model.fetchMore(district)
    assert model.rowCount(district) == BATCH_ROWS
    assert model.canFetchMore(district)
    far = model.index_of_id("B01150")  # loads batches only as far as that row
    assert model.rowCount(district) == 1200
    assert far.row() == 1150
    assert model.id_of(far) == "B01150"
    assert model.id_of(model.parent(far)) == "D"
