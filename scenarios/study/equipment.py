"""Equipment the project needs: sensors by use and area, smart meters, LoRaWAN gateways,
connected streetlights along new streets, small cells where mobile coverage lacks; their cost
and the electricity they use.

- **Sensors**: each new or changed building counts the area of its parcel (shared equally among
  the studied buildings on it; its footprint without a parcel), by use class (housing —
  residential, mixed, annexes —, business — offices, shops, industry —, public), times
  ``smart.sensors_per_ha_<class>``, rounded up per class.
- **Meters**: ``smart.electricity_meters_per_premise`` and ``smart.water_meters_per_premise``
  per premise of the studied buildings after the scenario (``premises_after``).
- **Gateways**: where there are sensors or water meters and no LoRaWAN gateway (existing or
  planned) within ``smart.lora_range_urban_m`` of the site, one per disc of that range the
  site's area needs (at least one).
- **Streetlights**: the length of the roads the scenario adds / ``smart.streetlight_spacing_m``.
- **Coverage**: the buildings with premises to connect farther than the cell radius
  (``mobile.cell_radius_dense_m``, or ``_rural_m`` on a rural site) from every mobile site
  carrying 4G or 5G (existing or planned); one small cell per group of such buildings lying
  within a cell radius of each other.
- Energy: count × power (W) × 8,760 h; streetlights: ``smart.streetlight_kwh_per_year`` × (1 −
  ``smart.led_saving``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scenarios.study import digital_assets as da
from scenarios.study.assumption_log import AssumptionLog
from scenarios.study.site import Site

HOURS_PER_YEAR = 8760.0
USE_CLASSES = {
    "residential": "residential",
    "mixed": "residential",
    "annex": "residential",
    "unknown": "residential",
    "office": "business",
    "retail": "business",
    "industrial": "business",
    "public": "public",
}
SENSOR_CLASSES = ("residential", "business", "public")


@dataclass(frozen=True)
class Coverage:
    """Mobile coverage of the buildings with premises to connect.

    Attributes:
        radius_m: the cell radius used.
        checked: buildings checked; uncovered: ids of those beyond every site's radius.
        small_cells: small cells needed (groups of uncovered buildings).
        known: whether mobile sites are known (a digital_assets layer).
        uncovered_frame: the uncovered buildings, for the map.
    """

    radius_m: float
    checked: int
    uncovered: tuple[str, ...]
    small_cells: int
    known: bool
    uncovered_frame: gpd.GeoDataFrame


def sensors_by_use(
    studied: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame | None, log: AssumptionLog
) -> pd.DataFrame:
    """Area (ha) and sensors by use class (index :data:`SENSOR_CLASSES`)."""
    use = studied["use"].astype("string").fillna("unknown") if "use" in studied else None
    classes = (
        use.map(USE_CLASSES).fillna("residential").to_numpy()
        if use is not None
        else np.full(len(studied), "residential")
    )
    area_m2 = shapely.area(studied.geometry.to_numpy()).astype("float64")
    if parcels is not None and len(studied) and "parent_id" in studied.columns:
        parent = studied["parent_id"].astype("string")
        parcel_m2 = pd.Series(
            shapely.area(parcels.geometry.to_numpy()), index=parcels["id"].astype(str)
        )
        sharing = parent.map(parent.value_counts())
        on_parcel = parent.map(parcel_m2).astype("float64") / sharing.astype("float64")
        area_m2 = np.where(on_parcel.notna(), on_parcel.to_numpy(dtype="float64"), area_m2)
    area_ha = pd.Series(area_m2 / 10_000.0).groupby(classes).sum()
    frame = pd.DataFrame({"area_ha": area_ha.reindex(list(SENSOR_CLASSES), fill_value=0.0)})
    frame["sensors_per_ha"] = [log.value(f"smart.sensors_per_ha_{c}") for c in SENSOR_CLASSES]
    needed = np.ceil(frame["area_ha"].to_numpy() * frame["sensors_per_ha"].to_numpy() - 1e-9)
    frame["sensors"] = np.maximum(needed, 0.0) + 0.0  # + 0.0: no "-0"
    frame.index.name = "use_class"
    return frame


def mobile_coverage(
    digital: gpd.GeoDataFrame | None,
    targets: gpd.GeoDataFrame,
    site: Site,
    log: AssumptionLog,
) -> Coverage:
    """Which ``targets`` (buildings with premises to connect) no mobile site covers."""
    key = "mobile.cell_radius_rural_m" if site.rural else "mobile.cell_radius_dense_m"
    radius = log.value(key)
    empty = gpd.GeoDataFrame(geometry=[], crs=targets.crs)
    if digital is None:
        return Coverage(radius, len(targets), (), 0, False, empty)
    sites = da.covering_sites(digital).geometry.to_numpy()
    footprints = targets.geometry.to_numpy()
    if len(sites) and len(footprints):
        tree = shapely.STRtree(sites)
        near, _ = tree.query(footprints, predicate="dwithin", distance=radius)
        covered = np.zeros(len(footprints), dtype=bool)
        covered[near] = True
    else:
        covered = np.zeros(len(footprints), dtype=bool)
    lacking = targets[~covered]
    cells = 0
    if len(lacking):
        groups = shapely.union_all(shapely.buffer(lacking.geometry.to_numpy(), radius / 2.0))
        cells = int(shapely.get_num_geometries(groups))
    ids = tuple(lacking["id"].astype(str))
    return Coverage(radius, len(targets), ids, cells, True, gpd.GeoDataFrame(lacking))


def gateways_needed(
    digital: gpd.GeoDataFrame | None, site: Site, devices: float, log: AssumptionLog
) -> int:
    """LoRaWAN gateways to add for ``devices`` (sensors and water meters) on the site."""
    if devices <= 0 or site.is_empty:
        return 0
    range_m = log.value("smart.lora_range_urban_m")
    if digital is not None:
        gateways = da.of_kind(digital, "lorawan_gateway").geometry.to_numpy()
        if len(gateways) and shapely.dwithin(gateways, site.core, range_m).any():
            return 0
    return max(1, math.ceil(site.area_ha * 10_000.0 / (math.pi * range_m**2)))


def equipment_table(
    premises_after: float,
    sensors: float,
    gateways: int,
    new_road_m: float,
    small_cells: int,
    log: AssumptionLog,
) -> pd.DataFrame:
    """Count, unit cost, cost, power and yearly energy of each item (index ``item``)."""
    items = [
        (
            "electricity_meter",
            premises_after * log.value("smart.electricity_meters_per_premise"),
            "smart.electricity_meter_eur",
            "smart.electricity_meter_w",
        ),
        (
            "water_meter",
            premises_after * log.value("smart.water_meters_per_premise"),
            "smart.water_meter_eur",
            "smart.water_meter_w",
        ),
        ("sensor", sensors, "smart.sensor_eur", "smart.sensor_w"),
        (
            "lorawan_gateway",
            float(gateways),
            "smart.lorawan_gateway_eur",
            "smart.lorawan_gateway_w",
        ),
        ("small_cell", float(small_cells), "mobile.small_cell_eur", "mobile.small_cell_w"),
    ]
    rows = []
    for item, count, cost_key, power_key in items:
        unit_eur, power_w = log.value(cost_key), log.value(power_key)
        rows.append(
            (
                item,
                count,
                unit_eur,
                count * unit_eur,
                power_w,
                count * power_w * HOURS_PER_YEAR / 1000.0,
                f"{cost_key}, {power_key}",
            )
        )
    lights = math.ceil(new_road_m / log.value("smart.streetlight_spacing_m") - 1e-9)
    light_kwh = log.value("smart.streetlight_kwh_per_year") * (1 - log.value("smart.led_saving"))
    light_eur = log.value("smart.connected_streetlight_eur")
    rows.append(
        (
            "streetlight",
            float(max(lights, 0)),
            light_eur,
            max(lights, 0) * light_eur,
            float("nan"),
            max(lights, 0) * light_kwh,
            "smart.connected_streetlight_eur, smart.streetlight_kwh_per_year, smart.led_saving",
        )
    )
    columns = ["item", "count", "unit_cost_eur", "cost_eur", "power_w", "energy_kwh", "assumptions"]
    return pd.DataFrame(rows, columns=columns).set_index("item")


EQUIPMENT_UNITS = {
    "count": "",
    "unit_cost_eur": "€",
    "cost_eur": "€",
    "power_w": "W",
    "energy_kwh": "kWh/yr",
}
