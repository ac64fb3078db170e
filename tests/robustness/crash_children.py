"""Programs the crash-safety tests run in a child process and then kill with SIGKILL.

``python -m tests.robustness.crash_children save PROJECT``
    builds :func:`big_city` (10,000 buildings, their parcels, a terrain), prints ``ready``,
    saves it over PROJECT with :func:`twin.project.save_project`, prints ``saved``.

``python -m tests.robustness.crash_children autosave PROJECT BUILDING HEIGHT_M``
    opens the app on PROJECT as ``twin gui`` does (its settings and recovery folder under the
    XDG folders of the environment), sets BUILDING's height, prints ``autosaved PATH`` once the
    autosave is written (``autosaved PID PATH``: the process to kill, under strace too), and
    keeps running until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
from affine import Affine
from pyproj import CRS

from samples.synthetic import synthetic_buildings, synthetic_parcels
from twin.city import City
from twin.raster import Raster

BIG_TOWN_BUILDINGS = 10_000
#: The synthetic town's grid starts here (Lambert-93, metres).
ORIGIN_XY = (650_000.0, 6_860_000.0)


def big_city() -> City:
    """10,000 buildings on their parcels and a 400 x 400 terrain: the same City every time."""
    city = City("EPSG:2154", name="Dix mille bâtiments")
    city.set_layer("parcels", synthetic_parcels(BIG_TOWN_BUILDINGS, ORIGIN_XY))
    city.set_layer("buildings", synthetic_buildings(BIG_TOWN_BUILDINGS, seed=11))
    rows = np.arange(400, dtype=np.float32)
    terrain = 300.0 + np.add.outer(rows, rows) / 10
    transform = Affine(12.5, 0.0, ORIGIN_XY[0], 0.0, -12.5, ORIGIN_XY[1] + 5_000)
    city.set_raster(Raster("terrain", terrain, transform, CRS.from_epsg(2154), unit="m"))
    return city


def save(project: Path) -> None:
    """Build the big City and save it over ``project``, saying when the save starts and ends."""
    from twin.project import save_project

    city = big_city()
    print("ready", flush=True)
    save_project(city, project)
    print("saved", flush=True)


def autosave(project: Path, building: str, height_m: float) -> None:
    """Open the app on ``project``, edit one building, report the autosave, run until killed."""
    from PySide6.QtCore import QSettings

    from gui.app import application
    from gui.main_window import MainWindow
    from twin.project import load_project

    city = load_project(project)
    app = application()
    window = MainWindow(QSettings())  # the user's settings and recovery folder, as `twin gui`
    window.files.show_error = lambda text: sys.exit(f"error dialog: {text}")
    window.set_city(city, project)
    window.show()
    window.autosave.offer_recovery()  # nothing to offer: the folder is new
    window.autosave.saved.connect(lambda path: print(f"autosaved {os.getpid()} {path}", flush=True))
    window.document.city.update_values("buildings", [building], {"height_m": height_m})
    app.exec()


if __name__ == "__main__":
    if sys.argv[1] == "save":
        save(Path(sys.argv[2]))
    else:
        autosave(Path(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
