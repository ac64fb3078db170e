"""The hierarchy tree and the inspector's look-up after buildings are added or demolished: the
children read from the parent links and the ids found by comparing the id columns are those
the hierarchy index gives."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import QModelIndex, Qt

from gui.hierarchy_panel import HierarchyPanel
from gui.inspection import find_row
from gui.tree_model import ID_ROLE, ROOT
from tests.twin.factories import small_city
from twin.city import City
from twin.levels import LEVEL_LAYERS


@pytest.fixture
def street() -> City:
    """One district of 1 200 buildings (no parcels) and two orphans, hanging from the root."""
    city = City("EPSG:2154", name="Rue")
    x, y = 668000.0, 6357000.0
    area = shapely.box(x, y, x + 2000, y + 2000)
    for name, rows in (
        ("territory", {"id": ["T"]}),
        ("communes", {"id": ["C"], "parent_id": ["T"]}),
        ("districts", {"id": ["D"], "parent_id": ["C"]}),
    ):
        city.set_layer(name, gpd.GeoDataFrame(rows, geometry=[area], crs="EPSG:2154"))
    city.set_layer("buildings", buildings([f"B{i:05d}" for i in range(1200)], ["D"] * 1200))
    city.append_rows("buildings", buildings(["ORPHAN1", "ORPHAN2"], ["GONE", "GONE"]))
    return city


def buildings(ids: list[str], parents: list[str]) -> gpd.GeoDataFrame:
    n = len(ids)
    left = 668000.0 + np.arange(n) % 40 * 20.0
    bottom = 6357000.0 + np.arange(n) // 40 * 20.0
    return gpd.GeoDataFrame(
        {"id": ids, "parent_id": parents, "height_m": [6.0] * n},
        geometry=shapely.box(left, bottom, left + 8, bottom + 8),
        crs="EPSG:2154",
    )


def shown_children(panel: HierarchyPanel, parent: QModelIndex) -> list[str]:
    model = panel.model
    return [model.index(row, 0, parent).data(ID_ROLE) for row in range(model.rowCount(parent))]


def test_the_tree_after_buildings_added_and_demolished_lists_the_hierarchys_children(
    qapp: Any, street: City
) -> None:
    panel = HierarchyPanel()
    panel.set_city(street)
    assert panel.select_id("B00700")  # the district's rows loaded up to that one's batch

    street.append_rows("buildings", buildings(["NEW1", "ORPHAN3"], ["D", "GONE"]))
    panel.refresh(structure=True)
    street.drop_rows("buildings", ["B00100", "ORPHAN1"])
    panel.refresh(structure=True)

    hierarchy, model = street.hierarchy, panel.model
    assert panel.selected_id() == "B00700"
    assert shown_children(panel, QModelIndex()) == hierarchy.roots()
    for parent_id in ("T", "C"):
        assert shown_children(panel, model.index_of_id(parent_id)) == hierarchy.children(parent_id)
    district = model.index_of_id("D")
    rows = model.rowCount(district)
    assert rows >= 700 and shown_children(panel, district) == hierarchy.children("D")[:rows]
    for node_id in ("NEW1", "ORPHAN3", "B01199"):
        found = model.index_of_id(node_id)
        assert found.isValid() and model.id_of(found) == node_id
        assert model.id_of(model.parent(found)) == hierarchy.parent_of(node_id)
    assert not model.index_of_id("B00100").isValid() and not model.index_of_id("ORPHAN1").isValid()
    codes = {model.index_of_id(i).internalId() for i in ("NEW1", "B00700", "ORPHAN2")}
    assert codes == set(hierarchy.codes(["NEW1", "B00700", "ORPHAN2"]).tolist())
    assert ROOT not in codes


def test_the_row_selected_is_selected_again_once_the_event_is_over_the_picture_kept_till_then(
    qapp: Any, street: City
) -> None:
    panel = HierarchyPanel()
    panel.set_city(street)
    panel.select_id("B00700")
    selects: list[str | None] = []
    select = panel.select_id

    def counted(node_id: str | None) -> bool:
        selects.append(node_id)
        return select(node_id)

    panel.select_id = counted  # type: ignore[method-assign]
    street.drop_rows("buildings", ["B00001"])
    panel.refresh(structure=True)
    street.append_rows("buildings", buildings(["NEW1"], ["D"]))
    panel.refresh(structure=True)  # an edit's second change: still one selection to come
    assert not panel.view.updatesEnabled()  # the old picture stays while the rows are laid out

    qapp.processEvents()

    rows = panel.view.selectionModel().selectedRows()
    assert [panel.model.id_of(row) for row in rows] == ["B00700"] and selects == ["B00700"]
    assert panel.view.updatesEnabled()
    street.drop_rows("buildings", ["B00002"])
    panel.refresh(structure=True)
    panel.select_id("B00003")  # chosen meanwhile: that one wins
    qapp.processEvents()
    assert panel.selected_id() == "B00003" and panel.view.updatesEnabled()


def test_the_tree_answers_only_the_roles_it_has(qapp: Any, street: City) -> None:
    panel = HierarchyPanel()
    panel.set_city(street)
    model = panel.model
    building = model.index_of_id("B00003")
    level = model.index(building.row(), 1, building.parent())
    assert building.data(Qt.ItemDataRole.DisplayRole) == "B00003"  # no name: the id
    assert level.data(Qt.ItemDataRole.DisplayRole) == "Bâtiment"
    assert level.data(Qt.ItemDataRole.ToolTipRole) == "B00003" == building.data(ID_ROLE)
    assert building.data(Qt.ItemDataRole.DecorationRole) is None
    assert model.hasChildren(model.index_of_id("D")) and not model.hasChildren(building)


def test_the_inspector_finds_every_row_in_its_levels_layer_as_the_hierarchy_says() -> None:
    city = small_city()
    hierarchy = city.hierarchy
    for node_id in hierarchy.ids.tolist():
        layer, row = find_row(city, node_id)
        assert layer == LEVEL_LAYERS[hierarchy.level_of(node_id)] and row["id"] == node_id
    assert find_row(city, "nowhere") is None

    city.drop_rows("buildings", ["b2"])
    city.append_rows("buildings", buildings(["b9"], ["12990000AB0001"]))
    assert find_row(city, "b2") is None
    layer, row = find_row(city, "b9")
    assert layer == "buildings" and row["parent_id"] == "12990000AB0001"
