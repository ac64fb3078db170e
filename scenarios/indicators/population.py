"""Population indicators: inhabitants, households and their densities at every level.

Buildings carry ``inhabitants`` and ``households`` once the population grid has been allocated
to them (:func:`twin.population.apply_population`); here they are summed up the hierarchy
(building → parcel → district → commune → territory) with
:meth:`~twin.hierarchy.HierarchyIndex.roll_up`, which keeps what has no ancestor at a level
under ``(unassigned)``, so every level's total equals the buildings' total. A building without
a value counts as 0. Densities divide by the area of the level's polygons, in hectares.

Each indicator is registered once per level, named ``<measure>_<level>``:
``inhabitants_commune``, ``households_district``, ``inhabitants_per_ha_parcel`` ..., as a plan
(:mod:`scenarios.indicators.plans`) so that the engine keeps the sums up to date by deltas;
:func:`rolled_up` and :func:`per_hectare` give the same numbers in one call.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import shapely

from scenarios.indicators import measures  # noqa: F401  (registers the measure groups)
from scenarios.indicators.plans import LevelArea, Ratio, Sum, plan_indicator
from twin.city import City
from twin.levels import LEVEL_LAYERS, Level

M2_PER_HA = 10_000.0
#: Levels that counts are given at, and those densities are given at (a building's density
#: per hectare of its own footprint would mean nothing to a planner).
COUNT_LEVELS = (Level.BUILDING, Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY)
DENSITY_LEVELS = (Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY)

_FRENCH = {
    Level.BUILDING: "par bâtiment",
    Level.PARCEL: "par parcelle",
    Level.DISTRICT: "par quartier",
    Level.COMMUNE: "par commune",
    Level.TERRITORY: "du territoire",
}
_MEASURES = {  # column → (French title, French title of its density, unit)
    "inhabitants": ("Habitants", "Densité de population", "persons"),
    "households": ("Ménages", "Densité de ménages", "households"),
}


def rolled_up(city: City, column: str, level: Level) -> pd.Series:
    """The buildings' ``column`` summed onto the rows of ``level`` (missing values as 0).

    Indexed by the level's ids, plus ``(unassigned)`` for buildings not linked up to that
    level; the sum always equals the buildings' total.
    """
    buildings = city.layer("buildings")
    raw = buildings[column] if column in buildings else pd.Series(np.nan, index=buildings.index)
    values = pd.Series(
        pd.to_numeric(raw, errors="coerce").fillna(0.0).to_numpy(dtype="float64"),
        index=buildings["id"].astype(str).to_numpy(),
        name=column,
    )
    return city.hierarchy.roll_up(values, Level.BUILDING, level)


def area_ha(city: City, level: Level) -> pd.Series:
    """Area of each polygon of a level's layer, in hectares, indexed by id."""
    name = LEVEL_LAYERS[level]
    if name not in city:
        return pd.Series(dtype="float64")
    frame = city.layer(name)
    areas = shapely.area(frame.geometry.to_numpy()) / M2_PER_HA
    return pd.Series(areas, index=frame["id"].astype(str).to_numpy(), dtype="float64")


def per_hectare(city: City, column: str, level: Level) -> pd.Series:
    """``column`` rolled up to ``level`` divided by the level's polygon areas (per ha).

    NaN where the area is unknown or zero (``(unassigned)``, a row without geometry).
    """
    totals = rolled_up(city, column, level)
    areas = area_ha(city, level).reindex(totals.index).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(areas > 0, totals.to_numpy() / areas, np.nan)
    return pd.Series(density, index=totals.index, name=f"{column}_per_ha")


def _count_indicator(column: str, level: Level) -> Callable[..., pd.Series]:
    title, _, unit = _MEASURES[column]
    return plan_indicator(
        f"{column}_{level.name.lower()}",
        f"{title} {_FRENCH[level]}",
        unit,
        level,
        Sum(column),
        f"Sum of the {column} of the buildings under each {level.name.lower()}; the "
        "buildings' values come from the population grid shared in proportion to "
        "residential floor area (twin.population).",
        measure=column,
        group="people",
    )


def _density_indicator(column: str, level: Level) -> Callable[..., pd.Series]:
    _, title, unit = _MEASURES[column]
    return plan_indicator(
        f"{column}_per_ha_{level.name.lower()}",
        f"{title} {_FRENCH[level]}",
        f"{unit}/ha",
        level,
        Ratio(Sum(column), LevelArea(), M2_PER_HA),
        f"{column.capitalize()} of each {level.name.lower()} divided by its area in "
        "hectares (gross density: roads, fields and water inside it count).",
        measure=f"{column}_per_ha",
        group="people",
    )


#: The registered functions, by (column, level).
COUNTS = {
    (column, level): _count_indicator(column, level)
    for column in _MEASURES
    for level in COUNT_LEVELS
}
DENSITIES = {
    (column, level): _density_indicator(column, level)
    for column in _MEASURES
    for level in DENSITY_LEVELS
}
