"""Per building: the walk to the nearest public transport stop, and to the nearest well-served one.

:func:`stop_access` is the one computation behind the accessibility indicators
(:mod:`scenarios.indicators.accessibility`): it builds the walking network of the ``roads``
layer, attaches buildings and stops to it and runs one multi-source Dijkstra per question.
Results depend only on the layers' frames and the parameters; a City replaces a layer's frame
on every change, so the network, the attachments and the results are kept for the frames they
were computed from (a few entries, compared by identity) and recomputed after any change.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from twin.city import City
from twin.errors import InvalidInputError
from twin.issues import Issue
from twin.walk_access import Attachment, attach, attachment_issues, nearest_source
from twin.walk_network import NetworkSummary, WalkNetwork, build_walk_network

logger = logging.getLogger(__name__)

DEFAULT_WALK_DISTANCE_M = 500.0
"""How far on foot a stop counts as near (about 6 minutes at 5 km/h)."""
DEFAULT_MIN_DEPARTURES_PER_H = 4.0
"""Departures per hour in the morning peak from which a stop counts as well served (15 min)."""
DEFAULT_SEARCH_LIMIT_M = 2000.0
"""Walks longer than this are not searched: the distance is NaN (counted as not served)."""

#: Columns of :attr:`StopAccess.table`.
COLUMNS = (
    "distance_to_stop_m",
    "nearest_stop_id",
    "nearest_stop_departures_per_h",
    "distance_to_served_stop_m",
    "nearest_served_stop_id",
)

T = TypeVar("T")
_MEMO: OrderedDict[Hashable, tuple[tuple[object, ...], Any]] = OrderedDict()
_MEMO_SIZE = 8
_MEMO_LOCK = threading.Lock()


@dataclass(frozen=True)
class StopAccess:
    """What :func:`stop_access` found.

    Attributes:
        table: one row per building (indexed by id) with :data:`COLUMNS`; NaN/None where a
            building is beyond the search limit, off the network, or nothing could be computed.
        reason: why nothing could be computed (a missing layer), "" otherwise.
        issues: buildings and stops not attached, or attached to a cut-off piece of network.
        network: the walking network's summary (None without roads).
    """

    table: pd.DataFrame
    reason: str = ""
    issues: tuple[Issue, ...] = ()
    network: NetworkSummary | None = None


def forget_cached_results() -> None:
    """Drop the kept networks, attachments and results (for benchmarks and memory)."""
    with _MEMO_LOCK:
        _MEMO.clear()


def check_parameters(
    *,
    walk_distance_m: float = DEFAULT_WALK_DISTANCE_M,
    min_departures_per_h: float = DEFAULT_MIN_DEPARTURES_PER_H,
    search_limit_m: float = DEFAULT_SEARCH_LIMIT_M,
    peak_hours: tuple[int, int] | None = None,
) -> None:
    """Refuse parameters that make no sense, with one clear message.

    Raises:
        InvalidInputError: a distance not above 0, negative departures, or hours not in 0..48.
    """
    if not walk_distance_m > 0 or not search_limit_m > 0:
        raise InvalidInputError(
            f"walking distances must be above 0 m (got {walk_distance_m} m and search limit "
            f"{search_limit_m} m); give e.g. 500 m."
        )
    if not min_departures_per_h >= 0:
        raise InvalidInputError(
            f"the minimum number of departures per hour must be 0 or more, not "
            f"{min_departures_per_h}; give e.g. 4 (a bus every 15 minutes)."
        )
    if peak_hours is not None and not 0 <= peak_hours[0] < peak_hours[1] <= 48:
        raise InvalidInputError(
            f"peak hours {peak_hours} are not a range of hours of the service day; give "
            "(start, end) with 0 <= start < end <= 48, e.g. (7, 9) for 07:00-09:00."
        )


def _memo(kind: str, frames: tuple[object, ...], params: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its value for the same objects (by identity) and parameters."""
    key = (kind, tuple(id(frame) for frame in frames), params)
    with _MEMO_LOCK:  # the app computes indicators in worker threads
        hit = _MEMO.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], frames, strict=True)):
            _MEMO.move_to_end(key)
            return cast(T, hit[1])
    value = compute()
    with _MEMO_LOCK:
        _MEMO[key] = (frames, value)  # holding the frames keeps their ids from being reused
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return value


def walk_network_of(city: City) -> WalkNetwork:
    """The walking network of the City's ``roads`` layer (kept until the layer changes)."""
    roads = city.layer("roads")
    return _memo("network", (roads,), (), lambda: build_walk_network(roads))


def stop_departures_per_h(city: City, peak_hours: tuple[int, int] | None = None) -> np.ndarray:
    """Departures per hour of each stop (rows of ``transit_stops``); 0 where unknown.

    ``peak_hours=None`` reads ``departures_peak_per_h``; ``(start, end)`` averages
    ``transit_stop_hours`` over hours ``start`` to ``end - 1``.
    """
    stops = city.layer("transit_stops")
    if peak_hours is None:
        column = stops.get("departures_peak_per_h", pd.Series(np.nan, index=stops.index))
        return column.astype("float64").fillna(0.0).to_numpy()
    hours = city.layer("transit_stop_hours")
    hour = hours["hour"].astype("float64").to_numpy()
    window = (hour >= peak_hours[0]) & (hour < peak_hours[1])
    per_stop = hours[window].groupby("stop_id")["departures"].sum().astype("float64")
    per_stop /= peak_hours[1] - peak_hours[0]
    return per_stop.reindex(stops["id"].astype(str)).fillna(0.0).to_numpy()


def _missing_input(city: City, peak_hours: tuple[int, int] | None) -> str:
    """Why accessibility cannot be computed, or ""."""
    if "buildings" not in city:
        return "no buildings: import buildings (BD TOPO, cadastre, OpenStreetMap) first"
    if "roads" not in city or len(city.layer("roads")) == 0:
        return "no roads: import roads (BD TOPO troncon_de_route or OpenStreetMap) to walk on"
    if walk_network_of(city).n_edges == 0:
        return "no walkable road: every road of the roads layer is closed to pedestrians"
    if "transit_stops" not in city or len(city.layer("transit_stops")) == 0:
        return "no public transport stops: import a GTFS feed"
    if peak_hours is not None and "transit_stop_hours" not in city:
        return (
            "no departures per hour (transit_stop_hours): import a GTFS feed, or leave the "
            "peak hours unset to use departures_peak_per_h"
        )
    return ""


def stop_access(
    city: City,
    *,
    min_departures_per_h: float = DEFAULT_MIN_DEPARTURES_PER_H,
    search_limit_m: float = DEFAULT_SEARCH_LIMIT_M,
    peak_hours: tuple[int, int] | None = None,
) -> StopAccess:
    """Walking distance from every building to its nearest stop and nearest well-served stop.

    A stop is well served with at least ``min_departures_per_h`` departures per hour (see
    :func:`stop_departures_per_h`). Walks longer than ``search_limit_m`` give NaN.

    Raises:
        InvalidInputError: a parameter out of range (see :func:`check_parameters`).
    """
    check_parameters(
        min_departures_per_h=min_departures_per_h,
        search_limit_m=search_limit_m,
        peak_hours=peak_hours,
    )
    reason = _missing_input(city, peak_hours)
    if reason:
        logger.warning("accessibility not computed: %s", reason)
        ids = city.layer("buildings")["id"].astype(str) if "buildings" in city else []
        table = pd.DataFrame(index=pd.Index(ids, name="id"), columns=list(COLUMNS))
        table = table.astype({c: "float64" for c in COLUMNS if c.endswith("_m") or "_per_" in c})
        return StopAccess(table, reason)
    frames: tuple[object, ...] = (
        city.layer("roads"),
        city.layer("buildings"),
        city.layer("transit_stops"),
        city.layer("transit_stop_hours") if peak_hours is not None else None,
    )
    params = (float(min_departures_per_h), float(search_limit_m), peak_hours)
    return _memo(
        "access",
        frames,
        params,
        lambda: _compute(city, min_departures_per_h, search_limit_m, peak_hours),
    )


def _attached(network: WalkNetwork, frame: pd.DataFrame) -> Attachment:
    return _memo("attach", (network, frame), (), lambda: attach(network, frame.geometry.to_numpy()))


def _compute(
    city: City,
    min_departures_per_h: float,
    search_limit_m: float,
    peak_hours: tuple[int, int] | None,
) -> StopAccess:
    network = walk_network_of(city)
    buildings, stops = city.layer("buildings"), city.layer("transit_stops")
    building_ids = buildings["id"].astype(str).to_numpy(dtype=object)
    stop_ids = np.array([*stops["id"].astype(str), None], dtype=object)  # [-1] → None
    at_buildings, at_stops = _attached(network, buildings), _attached(network, stops)
    departures = np.append(stop_departures_per_h(city, peak_hours), np.nan)

    distance_m, nearest = nearest_source(network, at_buildings, at_stops, limit_m=search_limit_m)
    served = departures[:-1] >= min_departures_per_h
    at_served = replace(at_stops, edge=np.where(served, at_stops.edge, -1))
    served_m, nearest_served = nearest_source(
        network, at_buildings, at_served, limit_m=search_limit_m
    )
    table = pd.DataFrame(
        {
            "distance_to_stop_m": distance_m,
            "nearest_stop_id": stop_ids[nearest],
            "nearest_stop_departures_per_h": departures[nearest],
            "distance_to_served_stop_m": served_m,
            "nearest_served_stop_id": stop_ids[nearest_served],
        },
        index=pd.Index(building_ids, name="id"),
    )
    issues = attachment_issues(network, at_buildings, building_ids, source="buildings")
    issues += attachment_issues(network, at_stops, stop_ids[:-1], source="transit_stops")
    logger.info(
        "accessibility: %d of %d buildings within %.0f m of a stop, %d of a stop with >= %g "
        "departures/h",
        int(np.isfinite(distance_m).sum()),
        len(building_ids),
        search_limit_m,
        int(np.isfinite(served_m).sum()),
        min_departures_per_h,
    )
    return StopAccess(table, "", tuple(issues), network.summary())
