"""The study's analysis of a scenario's effects: premises to connect, ducts, coverage,
equipment, costs, measures and energy, computed once and shared by the sections.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from scenarios.study import digital_assets as da
from scenarios.study.assumption_log import AssumptionLog
from scenarios.study.changes import Changes
from scenarios.study.costs import FibreCosts, fibre_costs, measures_table
from scenarios.study.ducts import DuctPlan, plan_ducts, unknown_plan
from scenarios.study.energy_value import energy_value_figures
from scenarios.study.equipment import (
    Coverage,
    equipment_table,
    gateways_needed,
    mobile_coverage,
    sensors_by_use,
)
from scenarios.study.model import Figure
from scenarios.study.premises import PREMISE_M2, premises_table
from scenarios.study.site import Site
from twin.city import City


@dataclass(frozen=True)
class Analysis:
    """Everything the effects, measures, costs and monitoring sections show.

    Attributes:
        changes, site: what the scenario changes, and where.
        digital_known: whether the compared City has a ``digital_assets`` layer.
        premises: per new or changed building (:func:`premises_table`).
        ducts: the new ducts; coverage: mobile coverage of the buildings to connect.
        sensors: sensors by use class; equipment: the equipment table.
        costs: fibre at development vs retrofitted; measures: the measures table.
        energy: the smart-energy and energy figures.
        targets: the new buildings with premises to connect (for the map).
    """

    changes: Changes
    site: Site
    digital_known: bool
    premises: pd.DataFrame
    ducts: DuctPlan
    coverage: Coverage
    sensors: pd.DataFrame
    equipment: pd.DataFrame
    costs: FibreCosts
    measures: pd.DataFrame
    energy: list[Figure]
    targets: gpd.GeoDataFrame

    @property
    def premises_to_connect(self) -> float:
        """Premises of the new and changed buildings to connect."""
        return float(self.premises["premises_to_connect"].sum())

    def energy_figure(self, key: str) -> Figure:
        """One of the energy figures."""
        return next(figure for figure in self.energy if figure.key == key)


def analyse(
    before: City,
    after: City,
    changes: Changes,
    site: Site,
    values_before: pd.DataFrame,
    values_after: pd.DataFrame,
    log: AssumptionLog,
) -> Analysis:
    """Compute the effects of the scenario (see the modules each step comes from)."""
    premises = premises_table(changes, values_before, values_after, log.value(PREMISE_M2))
    studied = changes.studied()
    connecting = premises["premises_to_connect"].to_numpy() > 0
    new = (premises["status"] == "new").to_numpy()
    targets = gpd.GeoDataFrame(studied[connecting & new], crs=after.crs)
    ducts = _ducts(before, after, targets, log)
    digital_after = da.digital_layer(after)
    coverage = mobile_coverage(
        digital_after, gpd.GeoDataFrame(studied[connecting], crs=after.crs), site, log
    )
    parcels = after.layer("parcels") if "parcels" in after else None
    sensors = sensors_by_use(studied, parcels, log)
    premises_after = float(premises["premises_after"].sum())
    devices = float(sensors["sensors"].sum()) + premises_after * log.value(
        "smart.water_meters_per_premise"
    )
    gateways = gateways_needed(digital_after, site, devices, log)
    equipment = equipment_table(
        premises_after,
        float(sensors["sensors"].sum()),
        gateways,
        changes.new_road_length_m,
        coverage.small_cells,
        log,
    )
    costs = fibre_costs(ducts, float(premises["premises_to_connect"].sum()), site.rural, log)
    measures = measures_table(costs, float(equipment.loc["small_cell", "cost_eur"]), log)
    energy = energy_value_figures(equipment, float(premises["final_energy_after_kwh"].sum()), log)
    return Analysis(
        changes,
        site,
        da.digital_layer(before) is not None,
        premises,
        ducts,
        coverage,
        sensors,
        equipment,
        costs,
        measures,
        energy,
        targets,
    )


def _ducts(before: City, after: City, targets: gpd.GeoDataFrame, log: AssumptionLog) -> DuctPlan:
    """Route the new buildings' ducts, or say why their length is unknown."""
    n = len(targets)
    digital = da.digital_layer(before)
    if n == 0:
        return unknown_plan("", after.crs, 0)
    if digital is None:
        return unknown_plan("note.no_digital_assets", after.crs, n)
    if "roads" not in after or not len(after.layer("roads")):
        return unknown_plan("note.no_roads", after.crs, n)
    points = da.network_points(digital)
    if not len(points):
        return unknown_plan("note.no_network", after.crs, n)
    return plan_ducts(
        after.layer("roads"),
        points,
        targets,
        after.layer("buildings"),
        log.value("fibre.town_centre_min_coverage"),
    )
