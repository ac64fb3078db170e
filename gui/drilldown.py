"""Storey-by-storey drill-down of an IFC building: its storeys, their spaces and mesh objects.

Plain numpy and pandas over the City (no Qt): :func:`ifc_building_of` tells which IFC building
an object belongs to, :func:`drill_building` gathers its storeys (bottom to top, with their
altitude in the project CRS and height), the spaces of each storey (use, area, a point to label
them) and the storey of each of its IFC mesh objects (``ifc_elements.parent_id``, followed up
through spaces to the storey); :func:`storey_colours` colours a storey's spaces by use for the
3D view. Altitudes start from the lowest point of the building's meshes (what the view draws),
else from ``buildings.base_elevation_m``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from gui.camera import REFERENCE_ASPECT, aspect_factor
from gui.drilldown_rows import (
    IFC_ELEMENTS,
    base_and_top,
    building_meshes,
    building_name,
    is_space,
    space_table,
    storey_top,
)
from gui.scene import hex_to_rgb
from twin.city import City
from twin.levels import Level
from twin.snapshot import USE_COLOURS

logger = logging.getLogger(__name__)

#: "Cut" mode: the building is cut this far above the storey's floor (rooms seen from above).
CUT_ABOVE_FLOOR_M = 1.2
#: "Hide above" cuts this far under the storey's top, so the next floor's slab is left out.
TOP_MARGIN_M = 0.02
DEFAULT_STOREY_HEIGHT_M = 3.0
#: How far the camera stands from a drilled building, in building spans.
CAMERA_DISTANCE_SPANS = 2.0


class DrillMode(StrEnum):
    """How the storeys above the chosen one are taken away."""

    HIDE_ABOVE = "hide_above"  # cut at the storey's top: its rooms, full height
    CUT = "cut"  # cut at floor + CUT_ABOVE_FLOOR_M: a plan-like view of the rooms


@dataclass(frozen=True)
class DrillStorey:
    """One storey of a drilled building.

    Attributes:
        elevation_m: floor level above the building's base (``storeys.elevation_m``).
        floor_z_m: floor altitude in the project CRS.
        height_m: up to the next storey's floor (the last one: up to the building's top).
        top_z_m: where "hide above" cuts: the underside of what lies above the storey.
    """

    id: str
    name: str
    elevation_m: float
    floor_z_m: float
    height_m: float
    top_z_m: float

    def clip_z(self, mode: DrillMode) -> float:
        """The altitude the IFC layer is cut at to show this storey in ``mode``.

        Example:
            >>> storey = DrillStorey("S", "RDC", 0.3, 412.7, 3.6, 416.0)
            >>> round(storey.clip_z(DrillMode.CUT), 2), storey.clip_z(DrillMode.HIDE_ABOVE)
            (413.9, 415.98)
        """
        if mode == DrillMode.CUT:
            return self.floor_z_m + min(CUT_ABOVE_FLOOR_M, 0.8 * self.height_m)
        return self.top_z_m - TOP_MARGIN_M


@dataclass(frozen=True)
class DrillSpace:
    """One space (room) of a storey, with where to write its name in 3D."""

    id: str
    name: str
    long_name: str
    use: str
    area_m2: float
    label_xyz: tuple[float, float, float]

    @property
    def label(self) -> str:
        """The room's long name (its usual name), else its name (often a number)."""
        return self.long_name or self.name or self.id


@dataclass(frozen=True)
class DrillBuilding:
    """An IFC building seen storey by storey.

    Attributes:
        storeys: bottom to top.
        spaces: per storey id, its spaces by name.
        mesh_ids: the building's objects in the City's ``ifc`` meshes.
        mesh_storey: the storey id of each of ``mesh_ids`` ("" for none).
        centre_xyz, span_m: the middle of the building's meshes (project CRS) and their
            largest horizontal extent, to frame the camera.
    """

    id: str
    name: str
    base_z_m: float
    top_z_m: float
    storeys: tuple[DrillStorey, ...]
    spaces: dict[str, tuple[DrillSpace, ...]]
    mesh_ids: np.ndarray = field(repr=False)
    mesh_storey: np.ndarray = field(repr=False)
    centre_xyz: tuple[float, float, float] = (0.0, 0.0, 0.0)
    span_m: float = 20.0

    def storey(self, storey_id: str) -> DrillStorey:
        """The storey ``storey_id``; KeyError if it is not one of this building's."""
        for storey in self.storeys:
            if storey.id == storey_id:
                return storey
        raise KeyError(f"storey {storey_id!r} is not in building {self.id!r}")

    def default_storey(self) -> str:
        """The ground floor: the storey whose floor is nearest the building's base level."""
        return min(self.storeys, key=lambda s: abs(s.elevation_m)).id

    def storey_of(self, object_id: str) -> str | None:
        """The storey an object of the building is on (itself for a storey), else None."""
        if any(storey.id == object_id for storey in self.storeys):
            return object_id
        for storey_id, spaces in self.spaces.items():
            if any(space.id == object_id for space in spaces):
                return storey_id
        found = self.mesh_storey[self.mesh_ids == object_id]
        return str(found[0]) if len(found) and found[0] else None


def ifc_building_of(city: City, object_id: str | None) -> str | None:
    """The IFC building (one with storeys) that ``object_id`` is or lies in, else None."""
    if object_id is None or "storeys" not in city:
        return None
    with_storeys = set(city.layer("storeys")["parent_id"].dropna().astype(str))
    building: str | None = None
    hierarchy = city.hierarchy
    if object_id in hierarchy:
        level = hierarchy.level_of(object_id)
        if level == Level.BUILDING:
            building = object_id
        elif level > Level.BUILDING:
            above = hierarchy.ancestor_at([object_id], Level.BUILDING)[0]
            building = None if above is None else str(above)
    elif IFC_ELEMENTS in city:
        elements = city.layer(IFC_ELEMENTS)
        rows = elements.loc[elements["id"].astype(str) == object_id, "building_id"]
        if len(rows) and isinstance(rows.iloc[0], str):
            building = rows.iloc[0]
    return building if building in with_storeys else None


def drill_building(city: City, building_id: str) -> DrillBuilding | None:
    """Storeys, spaces and mesh objects of an IFC building; None if it has no storeys."""
    if "storeys" not in city:
        return None
    storeys = city.layer("storeys")
    storeys = storeys[storeys["parent_id"].astype(object) == building_id]
    if not len(storeys):
        return None
    storey_ids = storeys["id"].astype(str).to_numpy()
    mesh_ids, mesh_storey, z_low, z_high, mesh_xyz = building_meshes(city, building_id, storey_ids)
    base_z, top_z = base_and_top(city, building_id, z_low, z_high)
    elevation = storeys["elevation_m"].to_numpy(dtype=float)
    elevation = np.where(np.isfinite(elevation), elevation, 0.0)
    order = np.argsort(elevation, kind="stable")
    floors = base_z + elevation[order]
    tops = np.append(floors[1:], max(top_z, floors[-1] + DEFAULT_STOREY_HEIGHT_M))
    names = storeys["name"].astype(object).to_numpy()[order]
    spaces_mask = is_space(city, mesh_ids)
    drilled: list[DrillStorey] = []
    for rank, position in enumerate(order):
        storey_id = str(storey_ids[position])
        top = storey_top(
            floors[rank],
            tops[rank],
            z_high[(mesh_storey == storey_id) & spaces_mask],
            z_low[mesh_storey == str(storey_ids[order[rank + 1]])] if rank + 1 < len(order) else [],
        )
        drilled.append(
            DrillStorey(
                id=storey_id,
                name=str(names[rank]) if isinstance(names[rank], str) else storey_id,
                elevation_m=float(elevation[position]),
                floor_z_m=float(floors[rank]),
                height_m=float(tops[rank] - floors[rank]),
                top_z_m=float(top),
            )
        )
    floor_of = {storey.id: storey.floor_z_m for storey in drilled}
    if len(mesh_xyz):
        low, high = mesh_xyz.min(axis=0), mesh_xyz.max(axis=0)
        centre = (low + high) / 2.0
        span = float(max(high[0] - low[0], high[1] - low[1], 10.0))
    else:
        centre, span = np.array([0.0, 0.0, base_z]), 20.0
    return DrillBuilding(
        id=building_id,
        name=building_name(city, building_id),
        base_z_m=float(base_z),
        top_z_m=float(top_z),
        storeys=tuple(drilled),
        spaces=_spaces(space_table(city, floor_of), floor_of),
        mesh_ids=mesh_ids,
        mesh_storey=mesh_storey,
        centre_xyz=(float(centre[0]), float(centre[1]), float(centre[2])),
        span_m=span,
    )


def storey_colours(
    building: DrillBuilding, object_ids: np.ndarray, base_rgb: np.ndarray, storey_id: str
) -> np.ndarray:
    """The IFC layer's colours (``base_rgb`` for ``object_ids``) with the spaces of
    ``storey_id`` painted by use (:data:`twin.snapshot.USE_COLOURS`)."""
    rgb = np.array(base_rgb, dtype=np.uint8, copy=True)
    spaces = building.spaces.get(storey_id, ())
    if not spaces:
        return rgb
    uses = pd.Series([space.use for space in spaces], index=[space.id for space in spaces])
    uses = uses[~uses.index.duplicated()]
    found = uses.reindex(np.asarray(object_ids, dtype=str)).to_numpy(dtype=object)
    inside = pd.notna(found)
    if inside.any():
        rgb[inside] = [
            hex_to_rgb(USE_COLOURS.get(str(use), USE_COLOURS["unknown"])) for use in found[inside]
        ]
    return rgb


def camera_over(
    building: DrillBuilding, focal_z_m: float, aspect: float = REFERENCE_ASPECT
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """(position, focal point, up) in the project CRS looking down steeply at the building
    from the south-south-east, its footprint filling a view of width/height ``aspect``.

    Example:
        >>> none = np.empty(0)
        >>> b = DrillBuilding("B", "", 0.0, 9.0, (), {}, none, none, (10.0, 20.0, 4.0), 20.0)
        >>> [round(v, 1) for v in camera_over(b, 0.0)[0]]
        [19.7, -1.4, 32.4]
    """
    direction = np.array([0.3, -0.66, 1.0])
    direction /= np.linalg.norm(direction)
    focal = np.array([building.centre_xyz[0], building.centre_xyz[1], focal_z_m])
    distance = CAMERA_DISTANCE_SPANS * building.span_m * aspect_factor(aspect)
    position = focal + direction * distance
    return (
        tuple(float(v) for v in position),
        tuple(float(v) for v in focal),
        (0.0, 0.0, 1.0),
    )


def _spaces(table: pd.DataFrame, floor_of: dict[str, float]) -> dict[str, tuple[DrillSpace, ...]]:
    """The rows of :func:`gui.drilldown_rows.space_table` as spaces, per storey."""
    out: dict[str, tuple[DrillSpace, ...]] = {storey: () for storey in floor_of}
    for storey, rows in table.groupby("storey", sort=False):
        out[str(storey)] = tuple(
            DrillSpace(
                str(row.id),
                str(row.name),
                str(row.long_name),
                str(row.use),
                float(row.area_m2),
                (float(row.x), float(row.y), float(row.z)),
            )
            for row in rows.itertuples(index=False)
        )
    return out
