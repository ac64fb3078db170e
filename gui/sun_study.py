"""The winter-solstice sunlight study of a project, for the sun panel (no Qt here).

The project is the scenario's new, raised or demolished buildings (against the current
situation), else the buildings of the selection. The numbers are the scenarios' own
(:func:`scenarios.sun_loss.sun_hours_lost` for the neighbours' facades, before and after;
:func:`scenarios.sunlight_hours.facade_sun_hours` and ``ground_sun_hours`` for the project's
facades and the ground around it); this module only picks the project, runs them with one
progress, and turns hours into colour classes.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyvista as pv
import shapely

from gui.selection import highlight_for
from scenarios.sun_loss import SunLoss, changed_buildings, sun_hours_lost
from scenarios.sunlight_hours import facade_sun_hours, ground_sun_hours
from twin.city import City
from twin.feedback import Feedback, ensure_feedback
from twin.raster import Raster

logger = logging.getLogger(__name__)

GROUND_RADIUS_M = 50.0
GROUND_STEP_M = 2.0
GROUND_LIFT_M = 0.9
"""Above the shadows' overlay (:data:`gui.sun_shadows.SHADOW_LIFT_M`): the hours show."""
MAX_PROJECT_BUILDINGS = 300
"""A selection with more buildings (a whole commune) is refused: the study would take minutes."""
AFFECTED_MIN_H = 1e-9
#: Hours lost by a neighbour (worst facade point): upper bounds of the classes and colours.
LOST_BOUNDS_H = (0.5, 1.0, 2.0)
LOST_COLOURS = ("#fee08b", "#fdae61", "#f46d43", "#a50026")
GAINED_COLOUR = "#4a90d9"
UNHARMED_COLOUR = "#cfe3c4"
PROJECT_COLOUR = "#6a3d9a"
#: Hours of direct sun on the ground and the facades.
HOURS_BOUNDS_H = (1.0, 2.0, 4.0, 6.0)
HOURS_COLOURS = ("#27285a", "#3f6fb5", "#79b8a6", "#d9e38a", "#fff3a3")


@dataclass(frozen=True)
class Project:
    """The buildings studied, and where they come from (``"scenario"`` or ``"selection"``)."""

    ids: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class SunStudy:
    """A winter-solstice sunlight study.

    Attributes:
        project: the buildings studied.
        loss: the neighbours' facade hours before and after (:class:`SunLoss`).
        facades: facade points of the project's standing buildings with ``sun_hours``.
        ground: ground points around them with ``sun_hours``.
        buildings: the buildings frame of the City studied (to tell a stale study).
        seconds: time taken.
    """

    project: Project
    loss: SunLoss
    facades: gpd.GeoDataFrame
    ground: gpd.GeoDataFrame
    buildings: object
    seconds: float

    @property
    def neighbours(self) -> pd.DataFrame:
        """One row per neighbour studied (``max_lost_hours``, ``mean_lost_hours`` …)."""
        return self.loss.buildings

    @property
    def affected(self) -> pd.DataFrame:
        """The neighbours that lose sun somewhere on their facades."""
        return self.neighbours[self.neighbours["max_lost_hours"] > AFFECTED_MIN_H]

    def figures(self) -> dict[str, float]:
        """The summary's numbers: neighbours studied and affected, worst loss at a facade
        point and over a building's facades (mean), project facades' and ground's mean hours."""
        lost = self.neighbours["max_lost_hours"].dropna()
        mean_lost = self.neighbours["mean_lost_hours"].dropna()
        return {
            "neighbours": float(len(self.neighbours)),
            "affected": float(len(self.affected)),
            "max_lost_hours": float(lost.max()) if len(lost) else 0.0,
            "max_mean_lost_hours": float(mean_lost.max()) if len(mean_lost) else 0.0,
            "facade_hours": _mean(self.facades),
            "ground_hours": _mean(self.ground),
        }


def _mean(points: gpd.GeoDataFrame) -> float:
    return float(points["sun_hours"].mean()) if len(points) else float("nan")


def pick_project(
    city: City, baseline: City | None, selected_id: str | None, scenario_shown: bool
) -> Project | None:
    """The project to study: the scenario's changed buildings when a scenario that changes
    some is shown, else the buildings of the selection (None: neither). A selection of more
    than :data:`MAX_PROJECT_BUILDINGS` (a whole commune) is the caller's to refuse."""
    if scenario_shown and baseline is not None and baseline is not city:
        changed = changed_buildings(city, baseline)
        if changed:
            return Project(tuple(changed), "scenario")
    selected = highlight_for(city, selected_id).get("buildings", []) if selected_id else []
    if selected:
        return Project(tuple(str(i) for i in selected), "selection")
    return None


def solstice_study(
    city: City,
    project: Project,
    baseline: City | None = None,
    *,
    feedback: Feedback | None = None,
) -> SunStudy:
    """Run the study of ``project`` in ``city``: against ``baseline`` for a scenario's
    project, against the City without the project for a selection."""
    feedback = ensure_feedback(feedback)
    started = time.perf_counter()
    against = baseline if project.source == "scenario" else None
    with feedback.step(0.0, 0.75):
        loss = sun_hours_lost(city, project.ids, baseline=against, feedback=feedback)
    present = set(city.layer("buildings")["id"].astype(str))
    standing = [i for i in project.ids if i in present]  # demolished ones have no facade
    facades = ground = _no_points(city)
    if standing:
        with feedback.step(0.75, 0.85):
            facades = facade_sun_hours(city, standing, feedback=feedback)
        with feedback.step(0.85, 1.0):
            ground = ground_sun_hours(
                city, standing, radius_m=GROUND_RADIUS_M, step_m=GROUND_STEP_M, feedback=feedback
            )
    seconds = time.perf_counter() - started
    logger.info(
        "winter sunlight study of %d building(s): %d neighbours in %.1f s",
        len(project.ids),
        len(loss.buildings),
        seconds,
    )
    return SunStudy(project, loss, facades, ground, city.layer("buildings"), seconds)


def _no_points(city: City) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"building_id": [], "sun_hours": []}, geometry=[], crs=city.layer("buildings").crs
    )


def lost_class(hours: np.ndarray) -> np.ndarray:
    """Class of each neighbour's worst loss: -1 gained, 0 none, 1.. up to ``LOST_BOUNDS_H``.

    Example:
        >>> lost_class(np.array([-0.2, 0.0, 0.3, 0.7, 1.5, 4.0])).tolist()
        [-1, 0, 1, 2, 3, 4]
    """
    hours = np.nan_to_num(np.asarray(hours, dtype="float64"))
    classes = 1 + np.searchsorted(np.asarray(LOST_BOUNDS_H), hours, side="left")
    classes[hours <= AFFECTED_MIN_H] = 0
    classes[hours < -AFFECTED_MIN_H] = -1
    return classes


def hours_class(hours: np.ndarray) -> np.ndarray:
    """Class of hours of sun, 0 (under 1 h) to 4 (6 h and more).

    Example:
        >>> hours_class(np.array([0.0, 1.0, 3.9, 8.8])).tolist()
        [0, 1, 2, 4]
    """
    return np.searchsorted(np.asarray(HOURS_BOUNDS_H), np.asarray(hours), side="right")


def lost_colour_table() -> list[str]:
    """Colours of the lost-hours classes, gained (-1) first: index ``class + 1``."""
    return [GAINED_COLOUR, UNHARMED_COLOUR, *LOST_COLOURS]


def neighbour_colours(
    study: SunStudy, object_ids: np.ndarray, base_rgb: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The buildings' colours with the study on top: neighbours by their worst loss, the
    project in purple, the others as they were. Also returns each neighbour's class (``-2``
    for objects that are not neighbours)."""
    rgb = np.array(base_rgb, dtype=np.uint8, copy=True)
    ids = np.asarray(object_ids).astype(str)
    table = np.array([_rgb(c) for c in lost_colour_table()], dtype=np.uint8)
    lost = study.neighbours["max_lost_hours"]
    position = pd.Index(lost.index.astype(str)).get_indexer(ids)
    found = position >= 0
    classes = np.full(len(ids), -2, dtype=np.int64)
    classes[found] = lost_class(lost.to_numpy()[position[found]])
    rgb[found] = table[classes[found] + 1]
    rgb[np.isin(ids, np.asarray(study.project.ids, dtype=str))] = _rgb(PROJECT_COLOUR)
    return rgb, classes


def hours_rgb(hours: np.ndarray) -> np.ndarray:
    """(n, 3) uint8 colours of hours of sun."""
    table = np.array([_rgb(c) for c in HOURS_COLOURS], dtype=np.uint8)
    return table[hours_class(hours)]


def ground_polydata(
    study: SunStudy, origin: tuple[float, float, float], terrain: Raster | None = None
) -> pv.PolyData | None:
    """The ground points as ``GROUND_STEP_M`` squares coloured by hours (``rgb`` cell data),
    draped on ``terrain`` (corners sampled, so neighbouring squares meet) slightly above it,
    relative to ``origin``."""
    if not len(study.ground):
        return None
    xyz = shapely.get_coordinates(study.ground.geometry.to_numpy(), include_z=True)
    half = GROUND_STEP_M / 2.0
    dx = np.array([-half, half, half, -half])
    dy = np.array([-half, -half, half, half])
    x, y = (xyz[:, 0, None] + dx).ravel(), (xyz[:, 1, None] + dy).ravel()
    z = np.repeat(xyz[:, 2], 4)
    if terrain is not None:
        sampled = terrain.sample(x, y)
        z = np.where(np.isfinite(sampled), sampled, z)
    corners = np.column_stack([x - origin[0], y - origin[1], z + GROUND_LIFT_M - origin[2]]).astype(
        np.float32
    )
    quads = np.arange(len(corners)).reshape(-1, 4)
    faces = np.column_stack([np.full(len(quads), 4), quads]).ravel()
    mesh = pv.PolyData(corners, faces)
    mesh.cell_data["rgb"] = hours_rgb(study.ground["sun_hours"].to_numpy())
    return mesh


def facade_polydata(study: SunStudy, origin: tuple[float, float, float]) -> pv.PolyData | None:
    """The project's facade points coloured by hours (``rgb`` point data)."""
    if not len(study.facades):
        return None
    xyz = shapely.get_coordinates(study.facades.geometry.to_numpy(), include_z=True)
    mesh = pv.PolyData((xyz - np.asarray(origin)).astype(np.float32))
    mesh.point_data["rgb"] = hours_rgb(study.facades["sun_hours"].to_numpy())
    return mesh


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
