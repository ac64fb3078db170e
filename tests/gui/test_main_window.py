"""The main window on the sample town: tree, inspector, 3D picking, search and language follow
one selection."""

from __future__ import annotations

from typing import Any

import numpy as np

from twin.levels import Level


def first_building(window: Any) -> str:
    return str(window.document.city.layer("buildings")["id"].iloc[0])


def test_the_tree_root_is_the_territory_and_only_expanded_rows_load_their_children(
    window: Any,
) -> None:
    model = window.hierarchy.model
    assert model.rowCount() == 1
    territory = model.index(0, 0)
    assert model.id_of(territory) == "territoire"
    assert model.index(0, 1).data() == "Territoire"
    assert model.rowCount(territory) == 2  # expanded when the project opens
    communes = [model.index(row, 0, territory).data() for row in range(2)]
    assert communes == ["Valmont-sur-Aveyron", "Saint-Bruno-des-Causses"]
    commune = model.index(0, 0, territory)
    assert model.hasChildren(commune)
    assert model.rowCount(commune) == 0  # not expanded: its districts are not loaded yet
    assert model.canFetchMore(commune)


def test_selecting_a_building_in_the_tree_shows_its_height_in_metres_and_highlights_it(
    window: Any,
) -> None:
    city = window.document.city
    building = first_building(window)
    height = float(city.layer("buildings")["height_m"].iloc[0])
    index = window.hierarchy.model.index_of_id(building)
    window.hierarchy.view.setCurrentIndex(index)  # as a click on the row does
    assert window.selected_id == building
    expected = f"{height:g}".replace(".", ",") + " m"
    assert window.inspector.value_of("Hauteur") == expected
    assert window.inspector.value_of("Usage") == "Habitat"
    assert window.inspector.value_of("Fichier source") == "bdtopo.gpkg"
    assert window.view.highlighted_ids("buildings") == [building]


def test_a_pick_in_3d_selects_the_building_in_the_tree_and_the_inspector(window: Any) -> None:
    layer = window.view.layers["buildings"]
    object_index = np.asarray(layer.mesh.cell_data["object_index"])
    cell = int(np.flatnonzero(object_index == 17)[3])
    expected = str(layer.object_ids[17])
    assert window.view.pick_cell("buildings", cell) == expected
    assert window.hierarchy.selected_id() == expected
    assert window.inspector.object_id == expected
    assert window.view.highlighted_ids("buildings") == [expected]
    highlighted = np.asarray(layer.mesh.cell_data["rgb"])[object_index == 17]
    assert (highlighted == [0, 200, 255]).all()


def test_selecting_a_commune_highlights_all_its_buildings(window: Any) -> None:
    city = window.document.city
    window.hierarchy.view.setCurrentIndex(window.hierarchy.model.index_of_id("12991"))
    expected = set(city.hierarchy.descendants_at("12991", Level.BUILDING))
    assert expected
    assert set(window.view.highlighted_ids("buildings")) == expected
    assert window.inspector.description.title == "Commune Saint-Bruno-des-Causses"


def test_a_parcel_shows_its_area_with_units_and_the_cadastre_file_of_its_commune(
    window: Any,
) -> None:
    parcel = str(window.document.city.layer("parcels")["id"].iloc[-1])
    window.select_object(parcel)
    assert window.inspector.value_of("Contenance").endswith(" m²")
    assert window.inspector.value_of("Fichier source") == "cadastre-12991-parcelles.json"
    assert window.hierarchy.selected_id() == parcel


def test_searching_a_name_prefix_or_an_id_selects_the_row_everywhere(window: Any) -> None:
    assert window.hierarchy.find("saint-b") == "12991"
    assert window.hierarchy.selected_id() == "12991"
    assert window.inspector.object_id == "12991"
    building = first_building(window)
    assert window.hierarchy.find(building.lower()) == building
    assert window.view.highlighted_ids("buildings") == [building]
    first, second = window.hierarchy.find("AB 1"), window.hierarchy.find("AB 1")
    assert first != second  # Enter again: the next match
    assert "résultat 2 sur" in window.statusBar().currentMessage()
    assert window.hierarchy.find("no such place") is None
    assert "Aucun résultat" in window.statusBar().currentMessage()


def test_switching_to_english_retranslates_menus_docks_and_inspector(window: Any) -> None:
    window.select_object(first_building(window))
    assert window.menus["menu.file"].title() == "&Fichier"
    assert window.inspector.value_of("Hauteur") is not None
    window.action_set.trigger("lang.en")
    assert window.menus["menu.file"].title() == "&File"
    assert window.docks["dock.inspector"].windowTitle() == "Inspector"
    assert window.action_set["file.save"].text() == "&Save"
    assert window.inspector.value_of("Height") is not None
    assert window.hierarchy.model.index(0, 1).data() == "Territory"
    assert window.action_set["lang.en"].isChecked()
    assert window.settings.value("language") == "en"
    window.action_set.trigger("lang.fr")
    assert window.menus["menu.view"].title() == "&Vue"


def test_actions_carry_shortcuts_and_tooltips_shared_by_menus_and_toolbar(window: Any) -> None:
    top = window.action_set["view.top"]
    assert top.shortcut().toString() == "Ctrl+5"
    assert "Ctrl+5" in top.toolTip()
    assert top in window.menus["menu.view"].actions()
    assert top in window.toolbar.actions()
    assert window.action_set["file.open"].shortcut().toString() == "Ctrl+O"
