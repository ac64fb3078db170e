"""Open, edit, save, reopen: the window says when changes are unsaved and keeps them on save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QMessageBox

from twin.project import load_project

Button = QMessageBox.StandardButton


def roof_height_m(window: Any, building: str) -> float:
    """Top of the building's LoD1 block above its base, as drawn in the 3D view."""
    layer = window.view.layers["buildings"]
    position = int(np.flatnonzero(layer.object_ids == building)[0])
    cells = np.flatnonzero(np.asarray(layer.mesh.cell_data["object_index"]) == position)
    z = layer.mesh.extract_cells(cells).points[:, 2]
    return float(z.max() - z.min())


def test_an_edit_marks_the_project_unsaved_and_saving_as_keeps_it(
    window: Any, qtbot: Any, tmp_path: Path
) -> None:
    city = window.document.city
    building = str(city.layer("buildings")["id"].iloc[5])
    window.select_object(building)
    assert "*" not in window.windowTitle()

    city.update_values("buildings", [building], {"height_m": 31.5})

    assert window.windowTitle().startswith("* ")
    assert "modifications non enregistrées" in window.windowTitle()
    assert window.inspector.value_of("Hauteur") == "31,5 m"
    qtbot.waitUntil(lambda: roof_height_m(window, building) > 31.0)  # the 3D view is rebuilt

    copy = tmp_path / "copie.twin.gpkg"
    assert window.files.save_as(copy)
    assert not window.document.dirty
    assert "*" not in window.windowTitle()
    assert "copie.twin.gpkg" in window.windowTitle()
    reopened = load_project(copy)
    heights = reopened.layer("buildings").set_index("id")["height_m"]
    assert heights[building] == 31.5


def test_reopening_the_saved_project_in_the_window_shows_the_change(
    window: Any, tmp_path: Path
) -> None:
    city = window.document.city
    building = str(city.layer("buildings")["id"].iloc[0])
    copy = tmp_path / "edite.twin.gpkg"
    assert window.files.save_as(copy)
    city.update_values("buildings", [building], {"height_m": 22.0})
    assert window.files.save()
    assert window.files.open(copy)
    window.hierarchy.find(building)
    assert window.inspector.value_of("Hauteur") == "22 m"
    assert window.files.recent_files()[0] == str(copy.resolve())


def test_opening_another_project_asks_about_unsaved_changes_and_cancel_keeps_them(
    window: Any, sample_project: Path
) -> None:
    city = window.document.city
    city.update_values("buildings", [str(city.layer("buildings")["id"].iloc[0])], {"floors": 7})
    asked: list[bool] = []

    def cancel() -> Button:
        asked.append(True)
        return Button.Cancel

    window.files.ask_unsaved = cancel
    assert not window.files.open(sample_project)
    assert asked
    assert window.document.city is city
    assert window.document.dirty
    window.files.ask_unsaved = lambda: Button.Discard
    assert window.files.open(sample_project)
    assert window.document.city is not city
    assert not window.document.dirty


def test_closing_with_unsaved_changes_can_be_cancelled(window: Any, qtbot: Any) -> None:
    window.show()
    qtbot.waitExposed(window)
    city = window.document.city
    city.update_values("buildings", [str(city.layer("buildings")["id"].iloc[0])], {"floors": 3})
    window.files.ask_unsaved = lambda: Button.Cancel
    assert not window.close()
    assert window.isVisible()


def test_a_missing_project_shows_the_models_message_and_keeps_the_open_one(
    window: Any, tmp_path: Path
) -> None:
    errors: list[str] = []
    window.files.show_error = errors.append
    city = window.document.city
    assert not window.files.open(tmp_path / "absent.twin.gpkg")
    assert len(errors) == 1
    assert "absent.twin.gpkg est introuvable : vérifiez son chemin." in errors[0]
    assert window.document.city is city


def test_a_file_that_is_not_a_project_is_refused_with_a_message(
    window: Any, tmp_path: Path
) -> None:
    errors: list[str] = []
    window.files.show_error = errors.append
    fake = tmp_path / "faux.twin.gpkg"
    fake.write_text("pas une base", encoding="utf-8")
    assert not window.files.open(fake)
    assert errors
    assert window.document.path != fake


def test_recent_files_menu_lists_the_opened_project(window: Any, sample_project: Path) -> None:
    menu = window.menus["menu.recent"]
    names = [action.text() for action in menu.actions()]
    assert names == [f"&1 {sample_project.name}"]
    assert window.files.recent_files() == [str(sample_project.resolve())]


def test_removing_a_building_takes_it_out_of_the_tree_the_search_and_the_3d_view(
    window: Any, qtbot: Any
) -> None:
    city = window.document.city
    building = str(city.layer("buildings")["id"].iloc[3])
    window.select_object(building)
    city.drop_rows("buildings", [building])
    assert window.hierarchy.model.index_of_id(building).isValid() is False
    assert window.hierarchy.find(building) is None
    qtbot.waitUntil(lambda: building not in window.view.layers["buildings"].object_ids)
    assert window.inspector.description is None  # the row it showed is gone
