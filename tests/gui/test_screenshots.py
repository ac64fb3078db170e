"""Screenshots of the main window at 1600 x 1000, saved for people to look at (see the
``screenshots_dir`` fixture): the sample town and the real Olemps buildings (BD TOPO).

Each test also checks the picture is what a user should see: French panels and a drawn town.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage

from importers.base import ImportOptions
from importers.merge import merge_result
from importers.registry import read_file
from twin.city import City
from twin.project import save_project

OLEMPS = "bdtopo/olemps_12174_v3"


def picture_of(window: Any) -> np.ndarray:
    """The window as an (height, width, 3) uint8 array."""
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * image.height())
    rows = raw.reshape(image.height(), stride)[:, : image.width() * 3]
    return rows.reshape(image.height(), image.width(), 3).copy()


@pytest.fixture(scope="module")
def olemps_project(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of the Olemps commune and its 2,273 BD TOPO buildings."""
    city = City(name="Olemps")
    for name in ("COMMUNE.shp", "BATIMENT.shp"):
        result = read_file(
            shared_data / OLEMPS / name, target_crs=city.crs, options=ImportOptions()
        )
        merge_result(city, result)
    return save_project(city, tmp_path_factory.mktemp("olemps") / "olemps.twin.gpkg")


def open_window(qtbot: Any, settings: Any, project: Path) -> Any:
    """The main window, French, 1600 x 1000, on ``project``, drawn."""
    from gui.i18n import translator
    from gui.main_window import MainWindow

    translator().set_language("fr")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.files.open(project)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.view.render_now()
    qtbot.wait(100)
    window.view.render_now()
    return window


def test_the_olemps_buildings_fill_the_view_and_the_panels_are_french(
    qtbot: Any, settings: Any, olemps_project: Path, screenshots_dir: Path
) -> None:
    window = open_window(qtbot, settings, olemps_project)
    city = window.document.city
    assert len(window.view.layers["buildings"].object_ids) == len(city.layer("buildings")) == 2273
    picture = picture_of(window)
    assert picture.shape == (1000, 1600, 3)
    path = screenshots_dir / "olemps.png"
    assert window.grab().save(str(path))
    view = window.view.plotter
    origin = view.mapTo(window, view.rect().topLeft())
    drawn = picture[
        origin.y() : origin.y() + view.height(), origin.x() : origin.x() + view.width()
    ].reshape(-1, 3)
    background = np.all(drawn == [0xF4, 0xF1, 0xEA], axis=1)
    assert background.mean() < 0.9  # buildings cover part of the view, it is not empty
    residential = np.all(np.abs(drawn.astype(int) - [0xE8, 0xC0, 0x7D]) < 40, axis=1)
    assert residential.mean() > 0.005  # Olemps is mostly houses: their colour shows
    titles = {dock.windowTitle() for dock in window.docks.values()}
    assert {"Hiérarchie", "Couches", "Inspecteur"} <= titles
    assert window.menus["menu.file"].title() == "&Fichier"
    assert "Olemps" in window.windowTitle()
