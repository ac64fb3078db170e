"""The hours of winter sun a project takes away from the facades of its neighbours.

Facade points of every building within ``radius_m`` of the project (1.5 m above ground, or
per storey) get their hours of direct sun on 21 December *before* (the baseline City, or the
City without the project's buildings) and *after* (the City). Points are placed on the walls
as they stand before, so a wall the project is built against keeps its points (and loses all
its sun). Both runs share the same grids (:func:`scenarios.sunlight_hours.sun_hours` with one
``highest_top_m``), so only the project moves a shadow: the hours lost are ≥ 0 for a building
added or raised, ≤ 0 (hours gained) for one demolished or lowered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scenarios.shadow_map import DEFAULT_CELL_M, Obstacles
from scenarios.sunlight_hours import (
    DEFAULT_NEIGHBOUR_RADIUS_M,
    DEFAULT_STEP_MIN,
    SunlightContext,
    facade_table,
    points_frame,
    sun_hours,
)
from twin.city import City
from twin.errors import InvalidInputError
from twin.feedback import Feedback

logger = logging.getLogger(__name__)

_SHAPE_COLUMNS = ("height_m", "base_elevation_m")


@dataclass(frozen=True)
class SunLoss:
    """What a project does to its neighbours' winter sun.

    Attributes:
        points: one row per neighbouring facade point: ``building_id``, ``storey``, ``z_m``,
            ``hours_before``, ``hours_after``, ``lost_hours``, point geometry.
        buildings: one row per neighbour (indexed by id): ``points``, ``mean_lost_hours``,
            ``max_lost_hours``, ``mean_hours_before``, ``mean_hours_after``.
        project_ids: the buildings compared (added, changed or removed).
    """

    points: gpd.GeoDataFrame
    buildings: pd.DataFrame
    project_ids: tuple[str, ...]


def changed_buildings(city: City, baseline: City) -> list[str]:
    """Ids of buildings added, removed, or with another footprint, height or base than in the
    baseline."""
    after = city.layer("buildings") if "buildings" in city else gpd.GeoDataFrame()
    before = baseline.layer("buildings") if "buildings" in baseline else gpd.GeoDataFrame()
    if not len(after):
        return [str(i) for i in before.get("id", [])]
    ids = pd.Index(after["id"].astype(str))
    old_ids = pd.Index(before["id"].astype(str)) if len(before) else pd.Index([])
    old = old_ids.get_indexer(ids)
    found = old >= 0
    same = np.zeros(len(ids), dtype=bool)
    if found.any():
        same[found] = shapely.equals_identical(
            after.geometry.to_numpy()[found], before.geometry.to_numpy()[old[found]]
        )
        for column in _SHAPE_COLUMNS:
            a = _numbers(after, column)[found]
            b = _numbers(before, column)[old[found]]
            same[found] &= (a == b) | (np.isnan(a) & np.isnan(b))
    removed = old_ids.difference(ids)
    return [*ids[~same].tolist(), *removed.astype(str).tolist()]


def _numbers(frame: gpd.GeoDataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return np.asarray(pd.to_numeric(frame[column], errors="coerce"), dtype="float64")


def sun_hours_lost(
    city: City,
    project_ids: list[str] | tuple[str, ...] | None = None,
    *,
    baseline: City | None = None,
    radius_m: float = DEFAULT_NEIGHBOUR_RADIUS_M,
    per_storey: bool = False,
    step_min: float = DEFAULT_STEP_MIN,
    cell_m: float = DEFAULT_CELL_M,
    feedback: Feedback | None = None,
) -> SunLoss:
    """Hours of sun on 21 December the project takes from its neighbours' facades.

    Args:
        project_ids: the project's buildings; None: those that differ from ``baseline``.
        baseline: the City before the project; None: the City without ``project_ids``.
        radius_m: neighbours are the buildings within this distance of the project.

    Raises:
        InvalidInputError: no project given nor found, or an unknown id.
    """
    if project_ids is None:
        if baseline is None:
            raise InvalidInputError(
                "name the project's buildings, or give the baseline to compare with."
            )
        project_ids = changed_buildings(city, baseline)
    project = tuple(dict.fromkeys(str(i) for i in project_ids))
    if not project:
        raise InvalidInputError("no project building to compare: the scenario changes none.")
    after = SunlightContext.of(city, step_min)
    before_frame = _before(city, baseline, project)
    before = SunlightContext(
        before_frame,
        Obstacles.from_buildings(before_frame, after.obstacles.origin_xy),
        after.sun,
    )
    footprints = _project_footprints(after, before, project)
    neighbours = _neighbours(before, footprints, radius_m, project)
    facades = facade_table(before, neighbours, per_storey=per_storey)
    highest = float(np.nanmax(np.concatenate([after.obstacles.top_m, before.obstacles.top_m])))
    hours_before = sun_hours(
        facades.xyz,
        before.obstacles,
        before.sun,
        facades=facades,
        cell_m=cell_m,
        highest_top_m=highest,
    )
    hours_after = sun_hours(
        facades.xyz,
        after.obstacles,
        after.sun,
        facades=facades,
        cell_m=cell_m,
        highest_top_m=highest,
        feedback=feedback,
    )
    points = points_frame(
        before,
        facades.xyz,
        facades.block,
        {
            "storey": facades.storey,
            "hours_before": hours_before,
            "hours_after": hours_after,
            "lost_hours": hours_before - hours_after,
        },
    )
    grouped = points.groupby("building_id", sort=False)
    by_building = pd.DataFrame(
        {
            "points": grouped.size(),
            "mean_lost_hours": grouped["lost_hours"].mean(),
            "max_lost_hours": grouped["lost_hours"].max(),
            "mean_hours_before": grouped["hours_before"].mean(),
            "mean_hours_after": grouped["hours_after"].mean(),
        }
    )
    ids = before.obstacles.ids[neighbours]
    by_building = by_building.reindex(pd.Index(ids, name="id"))  # walls without points: NaN
    by_building["points"] = by_building["points"].fillna(0).astype("int64")
    return SunLoss(points, by_building, project)


def _before(city: City, baseline: City | None, project: tuple[str, ...]) -> gpd.GeoDataFrame:
    if baseline is not None:
        if "buildings" not in baseline:
            raise InvalidInputError("the baseline has no buildings to compare with.")
        return baseline.layer("buildings")
    buildings = city.layer("buildings")
    unknown = set(project) - set(buildings["id"].astype(str))
    if unknown:
        raise InvalidInputError(
            f"no building {', '.join(sorted(unknown)[:3])} in the project; check the ids."
        )
    return buildings[~buildings["id"].astype(str).isin(project)]


def _project_footprints(
    after: SunlightContext, before: SunlightContext, project: tuple[str, ...]
) -> np.ndarray:
    """Footprints of the project as it stands after, and of what it replaced or removed."""
    parts = []
    for context in (after, before):
        mask = np.isin(context.obstacles.ids, np.asarray(project, dtype=object).astype(str))
        parts.append(context.obstacles.footprints[mask])
    footprints = np.concatenate(parts)
    return footprints[~(shapely.is_missing(footprints) | shapely.is_empty(footprints))]


def _neighbours(
    before: SunlightContext, footprints: np.ndarray, radius_m: float, project: tuple[str, ...]
) -> np.ndarray:
    """Rows (in ``before``) of the buildings within ``radius_m`` of the project, not in it."""
    if len(footprints) == 0:
        return np.empty(0, dtype=np.int64)
    near = np.unique(
        before.obstacles.tree.query(footprints, predicate="dwithin", distance=radius_m)[1]
    )
    outside = ~np.isin(before.obstacles.ids[near], np.asarray(project, dtype=str))
    return near[outside].astype(np.int64)
