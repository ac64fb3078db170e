"""Build the sample-town project from the files in samples/data, through the importers.

This is what ``twin demo`` runs: the generated files are read exactly as a planner's real files
would be (the registry tells each file's kind from its content, no mapping is given), merged
into one City and saved as ``valmont.twin.gpkg``. The IFC town hall is stored inside the
project, so it is self-contained.
"""

from __future__ import annotations

import os
from pathlib import Path

from importers.base import ImportOptions
from importers.merge import merge_result
from importers.registry import read_file
from samples.sample_scenarios import add_sample_scenarios
from twin.city import City
from twin.feedback import Feedback, ensure_feedback
from twin.project import save_project

SAMPLES = Path(__file__).resolve().parent
DATA = SAMPLES / "data"
PROJECT_NAME = "valmont.twin.gpkg"
TOWN_NAME = "Valmont-sur-Aveyron et Saint-Bruno-des-Causses (exemple)"

#: Files in samples/data read through the importer registry, in hierarchy order.
IMPORTS: tuple[str, ...] = (
    "communes.json",
    "contours_iris.gpkg",
    "cadastre-12990-parcelles.json",
    "cadastre-12991-parcelles.json",
    "bdtopo.gpkg",
    "mnt_25m.tif",
    "mairie.ifc",  # the town hall's IFC model replaces its LoD1 block
    "filosofi_200m.gpkg",  # INSEE-style population grid (200 m cells)
    "gtfs_valmont.zip",  # the bus network: stops, lines, departures per hour
    "infrastructure_numerique.gpkg",  # fibre, FTTH premises, mobile sites: digital_assets
)


def default_demo_folder() -> Path:
    """Where ``twin demo`` keeps the sample project: $XDG_DATA_HOME/urban-twin/demo."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "urban-twin" / "demo"


def build_sample_project(outdir: Path, data: Path = DATA, feedback: Feedback | None = None) -> Path:
    """Import the sample files into a new project in ``outdir`` and return its path."""
    feedback = ensure_feedback(feedback)
    outdir.mkdir(parents=True, exist_ok=True)
    city = City("EPSG:2154", name=TOWN_NAME)
    steps = len(IMPORTS) + 1
    for number, file_name in enumerate(IMPORTS):
        feedback.raise_if_cancelled()
        options = ImportOptions()
        with feedback.step(number / steps, (number + 1) / steps):
            result = read_file(
                data / file_name, target_crs=city.crs, options=options, feedback=feedback
            )
        merge_result(city, result)
    add_sample_scenarios(city)  # the planning scenarios of samples/scenarios
    with feedback.step(len(IMPORTS) / steps, 1.0):
        return save_project(city, outdir / PROJECT_NAME, feedback=feedback)
