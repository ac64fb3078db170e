"""Sunlight indicators: winter-solstice sun on facades around a project, and the sun it takes.

Both are per building and need a **project**: the buildings named with ``project_ids``; by
default those that differ from the ``baseline`` City (added, raised, demolished), or, without
a baseline, the buildings a scenario added (``source`` ``scenario``). Without a project they
return no values and say why in ``attrs["reason"]`` (they are too heavy to run on a whole town
by default: a 1,000-building district takes seconds per sun position step).

- ``winter_sun_hours_facade_building``: mean hours of direct sun on 21 December over the facade
  points (every 2 m, 1.5 m above ground) of the project's buildings and of their neighbours
  within 150 m (:mod:`scenarios.sunlight_hours`).
- ``winter_sun_hours_lost_building``: for each neighbour, the mean over its facade points of the
  hours the project takes away (:mod:`scenarios.sun_loss`); ≥ 0 for buildings added.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scenarios.assumptions import Assumptions
from scenarios.indicators.base import IndicatorSpec, indicator
from scenarios.sun_loss import changed_buildings, sun_hours_lost
from scenarios.sunlight_hours import (
    DEFAULT_NEIGHBOUR_RADIUS_M,
    SunlightContext,
    facade_table,
    sun_hours,
)
from twin.city import City
from twin.levels import Level

NEW_BUILDING_SOURCE = "scenario"
_READS = (
    "buildings.geometry",
    "buildings.height_m",
    "buildings.base_elevation_m",
    "buildings.source",
    "baseline:buildings.geometry",
    "baseline:buildings.height_m",
    "baseline:buildings.base_elevation_m",
)
NO_PROJECT = "no project: name its buildings (project_ids), or compare a scenario with its baseline"


def project_of(
    city: City, project_ids: list[str] | tuple[str, ...] | None, baseline: City | None
) -> list[str]:
    """The project's buildings: as given, else those differing from the baseline, else those a
    scenario added."""
    if project_ids is not None:
        return [str(i) for i in project_ids]
    if baseline is not None and baseline is not city:
        return changed_buildings(city, baseline)
    if "buildings" not in city or "source" not in city.layer("buildings"):
        return []
    buildings = city.layer("buildings")
    return buildings.loc[buildings["source"] == NEW_BUILDING_SOURCE, "id"].astype(str).tolist()


def _empty(reason: str) -> pd.Series:
    series = pd.Series(dtype="float64", index=pd.Index([], name="id", dtype=object))
    series.attrs["reason"] = reason
    return series


@indicator(
    IndicatorSpec(
        "winter_sun_hours_facade_building",
        "Heures d'ensoleillement des façades au solstice d'hiver par bâtiment",
        "h",
        Level.BUILDING,
        _READS,
        "Mean hours of direct sun on 21 December over facade points every 2 m, 1.5 m above "
        "ground, of the project's buildings and their neighbours within 150 m (LoD1 shadows, "
        "sun every 10 minutes).",
        measure="winter_sun_hours_facade",
        group="sunlight",
    )
)
def winter_sun_hours_facade_building(
    city: City,
    *,
    project_ids: list[str] | tuple[str, ...] | None = None,
    radius_m: float = DEFAULT_NEIGHBOUR_RADIUS_M,
    assumptions: Assumptions | None = None,
    baseline: City | None = None,
) -> pd.Series:
    """Mean winter-solstice sun hours on the facades of the project and its neighbours (h)."""
    del assumptions  # geometry only
    project = project_of(city, project_ids, baseline)
    if project and "buildings" in city:
        present = set(city.layer("buildings")["id"].astype(str))
        project = [i for i in project if i in present]  # demolished ones have no facade
    if not project:
        return _empty(NO_PROJECT)
    context = SunlightContext.of(city)
    rows = context.rows(project)
    near = context.obstacles.tree.query(
        context.obstacles.footprints[rows], predicate="dwithin", distance=radius_m
    )[1]
    rows = np.union1d(rows, near)
    facades = facade_table(context, rows)
    hours = sun_hours(facades.xyz, context.obstacles, context.sun, facades=facades)
    ids = context.obstacles.ids[facades.block]
    mean = pd.Series(hours).groupby(ids).mean()
    result = mean.reindex(pd.Index(context.obstacles.ids[rows], name="id"))
    result.name = "winter_sun_hours_facade"
    return result


@indicator(
    IndicatorSpec(
        "winter_sun_hours_lost_building",
        "Heures d'ensoleillement perdues au solstice d'hiver par bâtiment voisin",
        "h",
        Level.BUILDING,
        _READS,
        "For each building within 150 m of the project, the mean over its facade points (every "
        "2 m, 1.5 m above ground) of the hours of direct sun on 21 December the project takes "
        "away (before minus after; negative: hours gained).",
        measure="winter_sun_hours_lost",
        group="sunlight",
    )
)
def winter_sun_hours_lost_building(
    city: City,
    *,
    project_ids: list[str] | tuple[str, ...] | None = None,
    radius_m: float = DEFAULT_NEIGHBOUR_RADIUS_M,
    assumptions: Assumptions | None = None,
    baseline: City | None = None,
) -> pd.Series:
    """Mean winter-solstice sun hours each neighbour's facades lose to the project (h)."""
    del assumptions  # geometry only
    project = project_of(city, project_ids, baseline)
    if not project:
        return _empty(NO_PROJECT)
    loss = sun_hours_lost(
        city, project, baseline=None if baseline is city else baseline, radius_m=radius_m
    )
    result = loss.buildings["mean_lost_hours"].copy()
    result.name = "winter_sun_hours_lost"
    return result
