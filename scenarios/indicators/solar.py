"""Roof solar potential: yearly photovoltaic production of the buildings' roofs, at every level.

``roof_pv_kwh = roof area × solar.usable_roof_share × solar.panel_kwp_per_m2 ×
solar.pv_yield_kwh_per_kwp × unshaded share``.

- **Roof area**: LoD1 roofs are flat, so the roof is the footprint. Panels are taken as laid
  on a flat roof (low frames), and the yield (1,300 kWh per kWp and year, a national average of
  installations) is applied as it is, with no correction for tilt or orientation.
- **Unshaded share**: the share of a year of clear-sky irradiation on a horizontal plane the
  roof receives, its neighbours' LoD1 blocks hiding the sun (direct light) and part of the sky
  (diffuse light, through the sky view factor): :mod:`scenarios.roof_shading`, with horizon
  profiles of up to five points per roof (:mod:`scenarios.horizon`) and the sun from pvlib at
  the town's place (:mod:`scenarios.sun`). An unshaded roof gets 1, so its production is exactly
  area × share × kWp/m² × yield; terrain (hills) does not shade.
- ``usable_roof_share`` (0.4) is a town-wide average that already leaves out roofs too small,
  badly built or protected: it is not reduced further for shading.

``roof_pv_share_of_demand`` compares the production with the buildings' final energy demand
(:mod:`scenarios.indicators.energy`): a yearly balance, not self-consumption.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

import scenarios.indicators.energy  # noqa: F401  (registers the final_energy_kwh measure)
from scenarios.indicators.measure_context import MeasureContext
from scenarios.indicators.plans import Ratio, Sum, Value, measure_group, plan_indicator
from scenarios.obstacle_rows import roof_obstacles
from scenarios.roof_shading import StartedRoofShares, roof_unshaded_shares, start_roof_shares
from scenarios.sun import city_lat_lon
from twin.levels import Level

PV_YIELD = "solar.pv_yield_kwh_per_kwp"
PANEL_KWP = "solar.panel_kwp_per_m2"
USABLE_SHARE = "solar.usable_roof_share"


def _start(ctx: MeasureContext) -> StartedRoofShares | None:
    """Start the roofs' shading from scratch in helper processes (big towns only)."""
    if ctx.n == 0:
        return None
    frame, city = ctx.frame, ctx.workspace.city
    latitude, longitude = _place(ctx, frame)
    return start_roof_shares(
        frame, latitude, longitude, rows_since=lambda old: city.row_source("buildings", old)
    )


def _place(ctx: MeasureContext, frame: pd.DataFrame) -> tuple[float, float]:
    """The buildings' latitude and longitude (their blocks' extent, else the City's)."""
    city = ctx.workspace.city
    obstacles, _ = roof_obstacles(frame, lambda old: city.row_source("buildings", old))
    extent = obstacles.total_bounds()
    return city_lat_lon(city, extent if np.all(np.isfinite(extent)) else None)


@measure_group(
    "roof_solar",
    "buildings",
    ("roof_area_m2", "roof_unshaded_share", "roof_pv_kwp", "roof_pv_kwh"),
    ("buildings.geometry", "buildings.height_m", "buildings.base_elevation_m"),
    assumptions=(PV_YIELD, PANEL_KWP, USABLE_SHARE),
    slow=True,  # the first computation for a town: ~0.6 s for 100 000 buildings; then ~15 ms
    start=_start,
)
def roof_solar(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Roof area, unshaded share, installable peak power and yearly PV production per building."""
    frame = ctx.frame
    if ctx.n == 0:
        empty = np.empty(0)
        return dict.fromkeys(
            ("roof_area_m2", "roof_unshaded_share", "roof_pv_kwp", "roof_pv_kwh"), empty
        )
    city = ctx.workspace.city

    def rows_since(old: object) -> np.ndarray | None:
        return city.row_source("buildings", old)

    # The blocks are carried over by rows from the last frame (roof areas and boxes included).
    obstacles, _ = roof_obstacles(frame, rows_since)
    area = np.nan_to_num(obstacles.areas)
    latitude, longitude = _place(ctx, frame)
    share = roof_unshaded_shares(frame, latitude, longitude, rows_since=rows_since)
    a = ctx.assumptions
    kwp = area * a.value(USABLE_SHARE) * a.value(PANEL_KWP)
    return {
        "roof_area_m2": area,
        "roof_unshaded_share": share,
        "roof_pv_kwp": kwp,
        "roof_pv_kwh": kwp * a.value(PV_YIELD) * np.nan_to_num(share),
    }


LEVELS = (Level.BUILDING, Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY)
_FRENCH = {
    Level.BUILDING: "par bâtiment",
    Level.PARCEL: "par parcelle",
    Level.DISTRICT: "par quartier",
    Level.COMMUNE: "par commune",
    Level.TERRITORY: "du territoire",
}


def _register() -> dict[tuple[str, Level], Callable[..., pd.Series]]:
    registered: dict[tuple[str, Level], Callable[..., pd.Series]] = {}
    for level in LEVELS:
        suffix = level.name.lower()
        registered[("roof_pv_kwh", level)] = plan_indicator(
            f"roof_pv_kwh_{suffix}",
            f"Production photovoltaïque possible en toiture {_FRENCH[level]}",
            "kWh/yr",
            level,
            Sum("roof_pv_kwh"),
            "Yearly PV production if the usable share of every flat roof carried panels: roof "
            "area × usable share × kWp/m² × yield × the share of the sun the neighbours leave.",
            measure="roof_pv_kwh",
            group="energy",
        )
        registered[("roof_pv_kwp", level)] = plan_indicator(
            f"roof_pv_kwp_{suffix}",
            f"Puissance photovoltaïque installable {_FRENCH[level]}",
            "kWp",
            level,
            Sum("roof_pv_kwp"),
            "Peak power of panels on the usable share of the roofs (roof area × usable share × "
            "kWp/m²).",
            measure="roof_pv_kwp",
            group="energy",
        )
        if level != Level.BUILDING:
            registered[("roof_pv_share_of_demand", level)] = plan_indicator(
                f"roof_pv_share_of_demand_{suffix}",
                f"Part de la consommation couverte par le solaire en toiture {_FRENCH[level]}",
                "%",
                level,
                Ratio(Sum("roof_pv_kwh"), Sum("final_energy_kwh"), 100.0),
                "Possible roof PV production over the buildings' final energy demand, in % "
                "(a yearly balance).",
                measure="roof_pv_share_of_demand",
                group="energy",
            )
    registered[("roof_unshaded_share", Level.BUILDING)] = plan_indicator(
        "roof_unshaded_share_building",
        "Part d'ensoleillement de la toiture par bâtiment",
        "share",
        Level.BUILDING,
        Value("roof_unshaded_share"),
        "Share of a year of clear-sky irradiation on the flat roof that the neighbouring "
        "buildings leave (1: unshaded), averaged over up to five roof points.",
        measure="roof_unshaded_share",
        group="energy",
    )
    return registered


#: The registered plan indicators, by (measure, level).
SOLAR_INDICATORS = _register()
