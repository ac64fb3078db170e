"""IFC models in the app: their meshes replace the LoD1 block, their elements show property sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PySide6.QtWidgets import QMessageBox

from gui.main_window import MainWindow
from tests.twin.factories import small_city
from twin.city import City
from twin.mesh import MeshStore
from twin.provenance import ProvenanceRecord


def box_mesh(object_ids: list[str], corners: list[tuple[float, ...]]) -> MeshStore:
    """Closed boxes (x0, y0, z0, x1, y1, z1) in Lambert-93 metres, one object each."""
    unit = np.array(
        [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]]
    )
    quads = [(0, 3, 2, 1), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5), (2, 3, 7, 6), (3, 0, 4, 7)]
    triangles = np.array([t for a, b, c, d in quads for t in ((a, b, c), (a, c, d))])
    vertices, faces = [], []
    for number, (x0, y0, z0, x1, y1, z1) in enumerate(corners):
        vertices.append(np.array([x0, y0, z0]) + unit * np.array([x1 - x0, y1 - y0, z1 - z0]))
        faces.append(triangles + 8 * number)
    origin = (668000.0, 6357000.0, 0.0)
    return MeshStore(
        vertices=(np.concatenate(vertices) - np.array(origin)).astype(np.float32),
        faces=np.concatenate(faces).astype(np.int32),
        vertex_offsets=np.arange(len(corners) + 1) * 8,
        face_offsets=np.arange(len(corners) + 1) * 12,
        object_ids=np.array(object_ids),
        origin=origin,
    )


@pytest.fixture
def ifc_city() -> City:
    """The small town whose building b1 comes from an IFC model with a wall and a slab."""
    city = small_city()
    x, y = 668000.0, 6357000.0
    city.update_values("buildings", ["b1"], {"source": "ifc"})
    city.set_layer(
        "storeys",
        gpd.GeoDataFrame(
            {"id": ["S1"], "parent_id": ["b1"], "name": ["Rez-de-chaussée"]},
            geometry=[None],
            crs="EPSG:2154",
        ),
    )
    walls = {"Pset_WallCommon": {"IsExternal": True, "FireRating": "REI60"}}
    quantities = {"Qto_WallBaseQuantities": {"Length": 10.0, "NetSideArea": 28.5}}
    city.set_layer(
        "ifc_elements",
        pd.DataFrame(
            {
                "id": ["W1", "F1"],
                "parent_id": ["S1", "S1"],
                "building_id": ["b1", "b1"],
                "ifc_class": ["IfcWall", "IfcSlab"],
                "name": ["Mur nord", "Dalle"],
                "properties_json": [json.dumps(walls), None],
                "quantities_json": [json.dumps(quantities), None],
                "source_file": ["mairie.ifc", "mairie.ifc"],
            }
        ),
    )
    city.set_meshes(
        "ifc",
        box_mesh(
            ["W1", "F1"],
            [(x + 5, y + 14, 0, x + 15, y + 15, 6), (x + 5, y + 5, 0, x + 15, y + 15, 0.3)],
        ),
    )
    city.provenance.append(
        ProvenanceRecord(
            "mairie.ifc", "ifc", "2026-01-01T00:00:00+00:00", "ab" * 32, {"ifc_elements": 2}
        )
    )
    return city


@pytest.fixture
def ifc_window(qtbot: Any, settings: Any, ifc_city: City) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(
        window,
        before_close_func=lambda w: setattr(
            w.files, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard
        ),
    )
    window.set_city(ifc_city, None)
    return window


def test_a_building_from_an_ifc_model_shows_its_model_not_its_lod1_block(
    ifc_window: MainWindow,
) -> None:
    view = ifc_window.view
    assert "b1" not in view.layers["buildings"].object_ids
    assert "b2" in view.layers["buildings"].object_ids
    assert list(view.layers["ifc"].object_ids) == ["W1", "F1"]
    assert ifc_window.layers_panel.checkboxes["ifc"].isEnabled()


def test_picking_an_ifc_element_shows_its_property_sets_and_quantities_with_units(
    ifc_window: MainWindow,
) -> None:
    assert ifc_window.view.pick_cell("ifc", 3) == "W1"
    inspector = ifc_window.inspector
    assert inspector.description.title == "Élément IFC Mur nord"
    assert inspector.value_of("Classe IFC") == "IfcWall"
    assert inspector.value_of("IsExternal") == "oui"
    assert inspector.value_of("FireRating") == "REI60"
    assert inspector.value_of("NetSideArea") == "28,5 m²"
    assert inspector.value_of("Length") == "10 m"
    assert inspector.value_of("Fichier source") == "mairie.ifc"
    titles = [section.title for section in inspector.description.sections]
    assert "Propriétés IFC — Pset_WallCommon" in titles
    assert ifc_window.hierarchy.selected_id() == "S1"  # the storey that contains the wall
    assert ifc_window.view.highlighted_ids("ifc") == ["W1"]


def test_selecting_the_ifc_building_in_the_tree_highlights_its_whole_model(
    ifc_window: MainWindow,
) -> None:
    ifc_window.hierarchy.view.setCurrentIndex(ifc_window.hierarchy.model.index_of_id("b1"))
    assert ifc_window.view.highlighted_ids("ifc") == ["W1", "F1"]
    assert ifc_window.view.highlighted_ids("buildings") == []  # its block is not drawn


def test_an_unsaved_new_city_saves_through_save_as(ifc_window: MainWindow, tmp_path: Path) -> None:
    ifc_window.document.city.update_values("buildings", ["b2"], {"height_m": 5.0})
    ifc_window.files.ask_save_path = lambda: str(tmp_path / "ifc")
    assert ifc_window.files.save()
    assert ifc_window.document.path == tmp_path / "ifc.twin.gpkg"
    assert (tmp_path / "ifc.twin.gpkg").is_file()


def test_the_sample_town_hall_shows_its_ifc_model_and_its_rooms_in_the_inspector(
    window: MainWindow,
) -> None:
    city = window.document.city
    buildings = city.layer("buildings")
    town_hall = str(buildings.loc[buildings["source"] == "ifc", "id"].iloc[0])
    assert town_hall not in window.view.layers["buildings"].object_ids
    ifc = window.view.layers["ifc"]
    spaces = set(city.layer("spaces")["id"])
    room = next(i for i in ifc.object_ids if i in spaces)
    cell = int(
        np.flatnonzero(ifc.mesh.cell_data["object_index"] == list(ifc.object_ids).index(room))[0]
    )
    assert window.view.pick_cell("ifc", cell) == room
    assert window.hierarchy.selected_id() == room
    assert window.inspector.description.title.startswith("Pièce ")
    assert window.inspector.value_of("Surface").endswith(" m²")
    titles = [section.title for section in window.inspector.description.sections]
    assert "Propriétés IFC — Pset_SpaceCommon" in titles
    assert window.inspector.value_of("Fichier source") == "mairie.ifc"
    window.select_object(town_hall)
    assert set(window.view.highlighted_ids("ifc")) == set(ifc.object_ids)
