"""The sample town's planning scenarios (samples/scenarios/*.toml), added to the demo project.

- « Densifier le centre »: one more floor on ten buildings around the Place de la Mairie, and
  a four-storey building (shops below, flats above) instead of a house on parcel AE 57.
- « Tiers-lieu dans la mairie »: the IFC town hall's rooms turned, one by one, into a café,
  coworking, rooms for associations and a second-hand shop.
- « Nouvelle ligne de bus »: a line of five stops from Les Tilleuls to the business park, a bus
  every 15 minutes each way in the morning peak.
- « Rénovation du quartier »: every residential building of the IRIS Nord - Les Tilleuls
  retrofitted to DPE class C.
"""

from __future__ import annotations

from pathlib import Path

from scenarios.scenario import Scenario, store_scenario
from scenarios.scenario_file import read_scenario_file
from twin.city import City

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def sample_scenarios(folder: Path = SCENARIOS) -> list[Scenario]:
    """The scenarios of ``folder``'s TOML files, in file-name order."""
    return [read_scenario_file(path) for path in sorted(folder.glob("*.toml"))]


def add_sample_scenarios(city: City, folder: Path = SCENARIOS) -> list[str]:
    """Store the sample scenarios in ``city`` (replacing those of the same name); their names."""
    names = []
    for scenario in sample_scenarios(folder):
        store_scenario(city, scenario, replace=True)
        names.append(scenario.name)
    return names
