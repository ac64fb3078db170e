"""Hours of direct sun at the winter solstice on facades and on the ground, and hours lost.

The sun is followed every ``step_min`` minutes (10) on 21 December while it is up (about
8 h 50 min at 44° N); at each position the shadow map (:mod:`scenarios.shadow_map`) says which
points the buildings hide, and a facade point also needs the sun in front of its wall. A
point's hours are the sum of the slices it sees the sun, so they are right within a time step.

The hours a project takes away from its neighbours compare the same facade points with the
buildings *before* (the baseline, or the City without the project) and *after*: adding a
building can only add shade, so the hours lost are ≥ 0 (a demolition gives negative values:
hours gained). Both runs use the same grid, so nothing but the project moves a shadow edge.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scenarios.sample_points import (
    DEFAULT_STOREY_M,
    FacadePoints,
    facade_points,
    ground_points,
)
from scenarios.shadow_map import DEFAULT_CELL_M, MAX_REACH_M, Obstacles, shaded_points
from scenarios.sun import SunPositions, city_lat_lon, winter_solstice_positions
from twin.city import City
from twin.errors import InvalidInputError
from twin.feedback import Feedback

logger = logging.getLogger(__name__)

DEFAULT_STEP_MIN = 10.0
DEFAULT_NEIGHBOUR_RADIUS_M = 150.0
"""Neighbours considered around a project: a 20 m building's shadow is 50 m long at noon on
21 December at 44° N and 230 m at 9:30."""


@dataclass(frozen=True)
class SunlightContext:
    """The buildings of a City as obstacles, and the solstice sun over it."""

    buildings: gpd.GeoDataFrame
    obstacles: Obstacles
    sun: SunPositions

    @classmethod
    def of(cls, city: City, step_min: float = DEFAULT_STEP_MIN) -> SunlightContext:
        """The City's buildings (relative to its origin) and the 21 December sun over it."""
        if "buildings" not in city or not len(city.layer("buildings")):
            raise InvalidInputError("the project has no buildings; import buildings first.")
        buildings = city.layer("buildings")
        origin = city.origin[:2] if city.origin else _origin(buildings)
        latitude, longitude = city_lat_lon(city)
        return cls(
            buildings,
            Obstacles.from_buildings(buildings, origin),
            winter_solstice_positions(latitude, longitude, step_min),
        )

    def rows(self, ids: list[str] | tuple[str, ...] | np.ndarray) -> np.ndarray:
        """Row positions of building ids (one clear error for an unknown id)."""
        index = pd.Index(self.obstacles.ids)
        positions = index.get_indexer(np.asarray(ids, dtype=object))
        if (positions < 0).any():
            missing = np.asarray(ids)[positions < 0][:3]
            raise InvalidInputError(
                f"no building {', '.join(map(str, missing))} in the project; check the ids."
            )
        return positions.astype(np.int64)


def _origin(buildings: gpd.GeoDataFrame) -> tuple[float, float]:
    minx, miny = buildings.total_bounds[:2]
    return (float(np.floor(minx / 100.0) * 100.0), float(np.floor(miny / 100.0) * 100.0))


def sun_hours(
    points_xyz: np.ndarray,
    obstacles: Obstacles,
    sun: SunPositions,
    *,
    facades: FacadePoints | None = None,
    cell_m: float = DEFAULT_CELL_M,
    highest_top_m: float | None = None,
    feedback: Feedback | None = None,
) -> np.ndarray:
    """Hours of direct sun of each point over the positions of ``sun``.

    Args:
        facades: the facade points ``points_xyz`` are (their walls must face the sun).
        highest_top_m: the roof altitude that sets how far towards the sun to look at each
            position (default: the obstacles' highest roof); give the same value to compare
            runs with different obstacles on the same grids.
    """
    points = np.asarray(points_xyz, dtype="float64").reshape(-1, 3)
    hours = np.zeros(len(points))
    for k in range(len(sun)):
        if feedback is not None:
            feedback.raise_if_cancelled()
            feedback.set_progress(k / max(len(sun), 1))
        azimuth, elevation = float(sun.azimuth_deg[k]), float(sun.elevation_deg[k])
        lit = np.ones(len(points), dtype=bool) if facades is None else facades.facing(azimuth)
        if not lit.any():
            continue
        reach = None if highest_top_m is None else _reach(highest_top_m, points, elevation)
        lit[lit] = ~shaded_points(
            points[lit], azimuth, elevation, obstacles, cell_m=cell_m, reach_m=reach
        )
        hours[lit] += sun.duration_h[k]
    return hours


def _reach(highest_top_m: float, points: np.ndarray, elevation_deg: float) -> float:
    """How far a roof at ``highest_top_m`` can shade the lowest point, at most 1 km."""
    rise = highest_top_m - float(points[:, 2].min())
    return float(np.clip(rise / np.tan(np.radians(elevation_deg)), 0.0, MAX_REACH_M))


def facade_table(
    context: SunlightContext,
    rows: np.ndarray,
    *,
    per_storey: bool = False,
    spacing_m: float = 2.0,
) -> FacadePoints:
    """Facade points of some buildings, 1.5 m above their base or above each storey's floor."""
    storeys = None
    if per_storey:
        height = context.obstacles.top_m[rows] - context.obstacles.base_m[rows]
        storeys = np.maximum(np.round(height / DEFAULT_STOREY_M), 1.0)
        if "floors" in context.buildings:
            known = pd.to_numeric(context.buildings["floors"], errors="coerce")
            floors = np.asarray(known, dtype="float64")[rows]
            storeys = np.where(np.nan_to_num(floors) > 0, floors, storeys)
    return facade_points(context.obstacles, rows, spacing_m=spacing_m, storeys=storeys)


def points_frame(
    context: SunlightContext, xyz: np.ndarray, blocks: np.ndarray, columns: dict[str, np.ndarray]
) -> gpd.GeoDataFrame:
    """Points with their building id and values, in the project CRS (absolute coordinates)."""
    ox, oy = context.obstacles.origin_xy
    geometry = shapely.points(xyz[:, 0] + ox, xyz[:, 1] + oy, xyz[:, 2])
    data = {"building_id": context.obstacles.ids[blocks], "z_m": xyz[:, 2], **columns}
    return gpd.GeoDataFrame(data, geometry=geometry, crs=context.buildings.crs)


def facade_sun_hours(
    city: City,
    building_ids: list[str] | tuple[str, ...],
    *,
    per_storey: bool = False,
    step_min: float = DEFAULT_STEP_MIN,
    cell_m: float = DEFAULT_CELL_M,
    feedback: Feedback | None = None,
) -> gpd.GeoDataFrame:
    """Hours of direct sun on 21 December at points along the facades of some buildings.

    One row per facade point (every 2 m, 1.5 m above ground or above each storey's floor):
    ``building_id``, ``storey``, ``z_m``, ``sun_hours``, a 3D point geometry 0.4 m in front
    of the wall.
    """
    context = SunlightContext.of(city, step_min)
    facades = facade_table(context, context.rows(building_ids), per_storey=per_storey)
    hours = sun_hours(
        facades.xyz,
        context.obstacles,
        context.sun,
        facades=facades,
        cell_m=cell_m,
        feedback=feedback,
    )
    return points_frame(
        context, facades.xyz, facades.block, {"storey": facades.storey, "sun_hours": hours}
    )


def ground_sun_hours(
    city: City,
    around_ids: list[str] | tuple[str, ...],
    *,
    radius_m: float = 50.0,
    step_m: float = 2.0,
    step_min: float = DEFAULT_STEP_MIN,
    cell_m: float = DEFAULT_CELL_M,
    feedback: Feedback | None = None,
) -> gpd.GeoDataFrame:
    """Hours of direct sun on 21 December on a ground grid around some buildings.

    Points every ``step_m`` within ``radius_m`` of the buildings, outside every building, at
    the terrain's altitude (the DEM where the project has one, else the base of the nearest
    building). ``building_id`` names that nearest building.
    """
    context = SunlightContext.of(city, step_min)
    xy, nearest = ground_points(
        context.obstacles, context.rows(around_ids), radius_m=radius_m, step_m=step_m
    )
    z = context.obstacles.base_m[nearest].copy()
    terrain = city.rasters.get("terrain")
    if terrain is not None and len(xy):
        ox, oy = context.obstacles.origin_xy
        sampled = terrain.sample(xy[:, 0] + ox, xy[:, 1] + oy)
        z = np.where(np.isfinite(sampled), sampled, z)
    xyz = np.column_stack([xy, z])
    hours = sun_hours(xyz, context.obstacles, context.sun, cell_m=cell_m, feedback=feedback)
    return points_frame(context, xyz, nearest, {"sun_hours": hours})
