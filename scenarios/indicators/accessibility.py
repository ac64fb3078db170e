"""Access to public transport on foot: distance from each building to a stop, and the share of
inhabitants who live near a well-served stop.

Distances are walked along the walkable roads (:mod:`twin.walk_network`), from the building's
centroid to the stop, access legs included (:mod:`twin.walk_access`). A stop's service level is
its mean number of departures per hour in the morning peak (``departures_peak_per_h``, 07:00-09:00
on the GTFS service day), or over other hours of ``transit_stop_hours`` when ``peak_hours`` is
given.

Defaults: a stop is *well served* from **4 departures per hour** (a bus every 15 minutes or
better, the usual line between a frequent service one can use without a timetable and an
occasional one), and a building is *near* it within **500 m on foot** (about 6 minutes at
5 km/h, the catchment commonly used for a bus stop in French planning studies). Both are
parameters. Buildings farther than the search limit get NaN, counted as not served.

The per-level shares sum inhabitants with :meth:`twin.hierarchy.HierarchyIndex.roll_up`. A
unit without inhabitants gets NaN, never 0 %, and the Series says why in ``attrs["reason"]``.
The per-building results are in :mod:`scenarios.indicators.stop_access`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from scenarios.indicators.base import IndicatorSpec, indicator
from scenarios.indicators.stop_access import (
    DEFAULT_MIN_DEPARTURES_PER_H,
    DEFAULT_SEARCH_LIMIT_M,
    DEFAULT_WALK_DISTANCE_M,
    check_parameters,
    stop_access,
)
from twin.city import City
from twin.hierarchy import UNASSIGNED
from twin.levels import Level

logger = logging.getLogger(__name__)

#: Geometry is read as the ``geometry`` column, so editing heights or inhabitants leaves the
#: distances fresh (rows added or removed still count, see ``depends_on``).
_READS_DISTANCE = (
    "roads.geometry",
    "roads.walkable",
    "roads.kind",
    "buildings.geometry",
    "transit_stops.geometry",
)
_READS_SERVICE = (
    *_READS_DISTANCE,
    "transit_stops.departures_peak_per_h",
    "transit_stop_hours.departures",
)
_READS_SHARE = (*_READS_SERVICE, "buildings.inhabitants")


def _with_reason(values: pd.Series, reason: str) -> pd.Series:
    if reason:
        values.attrs["reason"] = reason
    return values


@indicator(
    IndicatorSpec(
        "walk_distance_to_stop_m",
        "Distance à pied à l'arrêt le plus proche",
        "m",
        Level.BUILDING,
        _READS_DISTANCE,
        "Walking distance along the walkable roads from the building's centroid to the nearest "
        "public transport stop of any service level; NaN beyond the search limit (2 km).",
        group="mobility",
    )
)
def walk_distance_to_stop_m(
    city: City, *, search_limit_m: float = DEFAULT_SEARCH_LIMIT_M
) -> pd.Series:
    """Walking distance (m) from each building to its nearest stop, NaN beyond the limit."""
    access = stop_access(city, search_limit_m=search_limit_m)
    return _with_reason(access.table["distance_to_stop_m"].copy(), access.reason)


@indicator(
    IndicatorSpec(
        "nearest_stop_departures_per_h",
        "Départs par heure à l'arrêt le plus proche",
        "departures/h",
        Level.BUILDING,
        _READS_SERVICE,
        "Mean departures per hour in the morning peak at the building's nearest stop on foot.",
        group="mobility",
    )
)
def nearest_stop_departures_per_h(
    city: City,
    *,
    search_limit_m: float = DEFAULT_SEARCH_LIMIT_M,
    peak_hours: tuple[int, int] | None = None,
) -> pd.Series:
    """Service level (departures/h in the morning peak) of each building's nearest stop."""
    access = stop_access(city, search_limit_m=search_limit_m, peak_hours=peak_hours)
    return _with_reason(access.table["nearest_stop_departures_per_h"].copy(), access.reason)


@indicator(
    IndicatorSpec(
        "walk_distance_to_served_stop_m",
        "Distance à pied à un arrêt bien desservi",
        "m",
        Level.BUILDING,
        _READS_SERVICE,
        "Walking distance to the nearest stop with at least N departures per hour in the "
        "morning peak (N = 4 by default: a bus every 15 minutes); NaN beyond the search limit.",
        group="mobility",
    )
)
def walk_distance_to_served_stop_m(
    city: City,
    *,
    min_departures_per_h: float = DEFAULT_MIN_DEPARTURES_PER_H,
    search_limit_m: float = DEFAULT_SEARCH_LIMIT_M,
    peak_hours: tuple[int, int] | None = None,
) -> pd.Series:
    """Walking distance (m) from each building to the nearest stop with enough departures."""
    access = stop_access(
        city,
        min_departures_per_h=min_departures_per_h,
        search_limit_m=search_limit_m,
        peak_hours=peak_hours,
    )
    return _with_reason(access.table["distance_to_served_stop_m"].copy(), access.reason)


def share_of_inhabitants_served(
    city: City,
    level: Level,
    *,
    walk_distance_m: float = DEFAULT_WALK_DISTANCE_M,
    min_departures_per_h: float = DEFAULT_MIN_DEPARTURES_PER_H,
    peak_hours: tuple[int, int] | None = None,
) -> pd.Series:
    """Share (%) of the inhabitants of each unit of ``level`` living within ``walk_distance_m``
    on foot of a stop with at least ``min_departures_per_h`` departures per hour.

    Indexed by the ids of ``level``'s layer. NaN for units without inhabitants, and for all
    units when the buildings have no inhabitants yet or an input layer is missing;
    ``attrs["reason"]`` says which.
    """
    check_parameters(walk_distance_m=walk_distance_m, min_departures_per_h=min_departures_per_h)
    unit_ids = pd.Index(city.hierarchy.ids_at(level).astype(str), name="id")
    nothing = pd.Series(np.nan, index=unit_ids, name="share_served_pct")
    buildings = city.layer("buildings") if "buildings" in city else None
    if buildings is None or "inhabitants" not in buildings or buildings["inhabitants"].isna().all():
        return _with_reason(
            nothing,
            "no inhabitants on the buildings yet: import the population grid (INSEE Filosofi) "
            "so that inhabitants are allocated to residential buildings",
        )
    access = stop_access(
        city,
        min_departures_per_h=min_departures_per_h,
        search_limit_m=max(DEFAULT_SEARCH_LIMIT_M, walk_distance_m),
        peak_hours=peak_hours,
    )
    if access.reason:
        return _with_reason(nothing, access.reason)
    ids = buildings["id"].astype(str).to_numpy()
    inhabitants = pd.Series(
        buildings["inhabitants"].astype("float64").fillna(0.0).to_numpy(), index=ids
    )
    distance = access.table["distance_to_served_stop_m"].reindex(ids).to_numpy()
    served = inhabitants * (distance <= walk_distance_m)  # NaN distance: not served
    total = city.hierarchy.roll_up(inhabitants, Level.BUILDING, level)
    near = city.hierarchy.roll_up(served, Level.BUILDING, level)
    if UNASSIGNED in total.index:
        logger.info(
            "%.0f inhabitant(s) in buildings without a %s are left out of the shares",
            total[UNASSIGNED],
            level.name.lower(),
        )
    total, near = total.reindex(unit_ids), near.reindex(unit_ids)
    share = (100.0 * near / total.where(total > 0)).rename("share_served_pct")
    empty = int((total <= 0).sum())
    reason = (
        f"{empty} {level.name.lower()}(s) without inhabitants: their share is undefined (NaN)"
        if empty
        else ""
    )
    return _with_reason(share, reason)


def _share_indicator(level: Level, title: str) -> Callable[..., pd.Series]:
    """The registered share indicator of one level."""
    name = f"share_inhabitants_near_served_stop_{level.name.lower()}"

    def share(
        city: City,
        *,
        walk_distance_m: float = DEFAULT_WALK_DISTANCE_M,
        min_departures_per_h: float = DEFAULT_MIN_DEPARTURES_PER_H,
        peak_hours: tuple[int, int] | None = None,
    ) -> pd.Series:
        return share_of_inhabitants_served(
            city,
            level,
            walk_distance_m=walk_distance_m,
            min_departures_per_h=min_departures_per_h,
            peak_hours=peak_hours,
        )

    share.__name__ = share.__qualname__ = name
    share.__doc__ = f"Share (%) of inhabitants near a well-served stop, per {level.name.lower()}."
    spec = IndicatorSpec(
        name,
        title,
        "%",
        level,
        _READS_SHARE,
        "Inhabitants living within 500 m on foot (parameter) of a stop with at least 4 "
        "departures per hour in the morning peak (parameter), over all inhabitants; NaN where "
        "there are none.",
        measure="share_inhabitants_near_served_stop",
        group="mobility",
    )
    return indicator(spec)(share)


share_inhabitants_near_served_stop_parcel = _share_indicator(
    Level.PARCEL, "Habitants proches d'un arrêt bien desservi (parcelle)"
)
share_inhabitants_near_served_stop_district = _share_indicator(
    Level.DISTRICT, "Habitants proches d'un arrêt bien desservi (quartier)"
)
share_inhabitants_near_served_stop_commune = _share_indicator(
    Level.COMMUNE, "Habitants proches d'un arrêt bien desservi (commune)"
)
share_inhabitants_near_served_stop_territory = _share_indicator(
    Level.TERRITORY, "Habitants proches d'un arrêt bien desservi (territoire)"
)
