"""Urbanism indicators: footprint, coverage, floor area by use, floor-area ratio, heights,
dwellings.

Every indicator is registered once per level it makes sense at, named ``<measure>_<level>``
(``coverage_ratio_commune``), from the measures of :mod:`scenarios.indicators.measures`:

- sums (footprint, floor areas, dwellings) add the buildings' values up the hierarchy, with
  ``(unassigned)`` for buildings not linked that far, so every level has the same total;
- ratios to parcel area (coverage CES, floor-area ratio, net dwelling density) divide the sums
  over the buildings that *have a parcel* by the sum of the parcels' cadastral areas: at a
  district or commune that is total footprint / total parcel area, never a mean of parcel
  ratios; without parcels they are NaN;
- gross densities divide by the area of the level's own polygon (roads and fields included).

See docs/indicators.md for each formula and the assumptions used.
"""

from __future__ import annotations

from scenarios.indicators import measures  # noqa: F401  (registers the measure groups)
from scenarios.indicators.building_uses import AREA_USES
from scenarios.indicators.plans import (
    BUILDING_UP,
    PARCEL_UP,
    LevelArea,
    Max,
    Ratio,
    Sum,
    Value,
    plan_indicators,
)
from twin.levels import Level

M2_PER_HA = 10_000.0
GROUP = "urbanism"
USE_TITLES = {
    "residential": "logement",
    "office": "bureaux",
    "retail": "commerce et services",
    "public": "équipements publics",
    "industrial": "industrie et logistique",
    "annex": "annexes",
    "unknown": "usage inconnu",
}

ON_PARCELS = Level.PARCEL
PARCEL_AREA = Sum("parcel_area_m2")

FOOTPRINT = plan_indicators(
    "footprint_m2",
    "Emprise au sol",
    "m2",
    BUILDING_UP,
    Sum("footprint_m2"),
    "Area of the building footprints (outer walls), summed over the buildings under each unit.",
    group=GROUP,
)
COVERAGE = plan_indicators(
    "coverage_ratio",
    "Coefficient d'emprise au sol (CES)",
    "m2/m2",
    PARCEL_UP,
    Ratio(Sum("footprint_m2", via=ON_PARCELS), PARCEL_AREA),
    "Footprint of the buildings on parcels / cadastral area of the parcels (contenance, the "
    "polygon's area where unknown); per district or commune the totals are divided.",
    group=GROUP,
)
FLOOR_AREA = plan_indicators(
    "floor_area_m2",
    "Surface de plancher brute",
    "m2",
    BUILDING_UP,
    Sum("floor_area_m2"),
    "Gross floor area: the building's floor_area_m2 where known, else footprint × storeys "
    "(storeys from the height and the storey height of the use where unknown).",
    group=GROUP,
)
FLOOR_AREA_BY_USE = {
    use: plan_indicators(
        f"floor_area_{use}_m2",
        f"Surface de plancher brute : {USE_TITLES[use]}",
        "m2",
        BUILDING_UP,
        Sum(f"floor_area_{use}_m2"),
        f"Gross floor area used as {use}: split by the building's use mix, a mixed building "
        "without one counted as a shop on the ground floor and housing above.",
        group=GROUP,
    )
    for use in AREA_USES
}
SURFACE_DE_PLANCHER = plan_indicators(
    "surface_de_plancher_m2",
    "Surface de plancher (R111-22, estimée)",
    "m2",
    BUILDING_UP,
    Sum("surface_de_plancher_m2"),
    "Gross floor area without annexes, minus 10 % of the housing floor area (the R111-22 "
    "deduction, assumption land.housing_floor_area_deduction); wall thickness not deducted.",
    group=GROUP,
)
FLOOR_AREA_RATIO = plan_indicators(
    "floor_area_ratio",
    "Densité bâtie (COS)",
    "m2/m2",
    PARCEL_UP,
    Ratio(Sum("floor_area_m2", via=ON_PARCELS), PARCEL_AREA),
    "Gross floor area of the buildings on parcels / cadastral area of the parcels (the former "
    "coefficient d'occupation des sols, on gross floor area).",
    group=GROUP,
)
STOREYS = plan_indicators(
    "storeys",
    "Niveaux",
    "storeys",
    (Level.BUILDING,),
    Value("storeys"),
    "Storeys above ground: floors where known, else estimated from the height.",
    group=GROUP,
)
HEIGHT = plan_indicators(
    "height_m",
    "Hauteur",
    "m",
    (Level.BUILDING,),
    Value("height_m"),
    "Height from the ground to the top of the building (NaN where unknown).",
    group=GROUP,
)
HEIGHT_MEAN = plan_indicators(
    "height_mean_m",
    "Hauteur moyenne",
    "m",
    PARCEL_UP,
    Ratio(Sum("height_m"), Sum("height_known")),
    "Mean height of the buildings with a known height (each building counts once, annexes "
    "included).",
    group=GROUP,
)
HEIGHT_MAX = plan_indicators(
    "height_max_m",
    "Hauteur maximale",
    "m",
    PARCEL_UP,
    Max("height_m"),
    "Height of the tallest building.",
    group=GROUP,
)
DWELLINGS = plan_indicators(
    "dwellings",
    "Logements",
    "dwellings",
    BUILDING_UP,
    Sum("dwellings"),
    "Number of dwellings (a building without the figure counts 0).",
    group=GROUP,
)
DWELLING_DENSITY = plan_indicators(
    "dwellings_per_ha",
    "Densité de logements nette",
    "dwellings/ha",
    PARCEL_UP,
    Ratio(Sum("dwellings", via=ON_PARCELS), PARCEL_AREA, M2_PER_HA),
    "Dwellings of the buildings on parcels per hectare of parcels (net density).",
    group=GROUP,
)
GROSS_DWELLING_DENSITY = plan_indicators(
    "dwellings_per_ha_gross",
    "Densité de logements brute",
    "dwellings/ha",
    (Level.DISTRICT, Level.COMMUNE, Level.TERRITORY),
    Ratio(Sum("dwellings"), LevelArea(), M2_PER_HA),
    "Dwellings per hectare of the unit's whole area (roads, fields and water included).",
    group=GROUP,
)
STOREY_FLOOR_AREA = plan_indicators(
    "storey_floor_area_m2",
    "Surface de l'étage",
    "m2",
    (Level.STOREY,),
    Value("storey_floor_area_m2"),
    "Gross floor area of the storey as the IFC model gives it.",
    group=GROUP,
)
NET_FLOOR_AREA = plan_indicators(
    "net_floor_area_m2",
    "Surface utile",
    "m2",
    (Level.SPACE, Level.STOREY),
    Sum("net_floor_area_m2"),
    "Net floor area of the rooms (IFC spaces), summed per storey.",
    group=GROUP,
)
NET_FLOOR_AREA_BY_USE = {
    use: plan_indicators(
        f"net_floor_area_{use}_m2",
        f"Surface utile : {USE_TITLES[use]}",
        "m2",
        (Level.SPACE, Level.STOREY),
        Sum(f"net_floor_area_{use}_m2"),
        f"Net floor area of the rooms used as {use}, summed per storey.",
        group=GROUP,
    )
    for use in AREA_USES
}
