"""Edits of existing buildings' volume: demolish, set a height, add floors.

Floors, heights, floor areas, dwellings and people change together by the rules of
:mod:`scenarios.edits.housing`; the height source becomes ``edited``.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd

from scenarios.assumptions import Assumptions
from scenarios.edits.base import Edit, assumptions_or_default, register_edit
from scenarios.edits.checks import existing_rows, refuse, unique
from scenarios.edits.housing import (
    dwellings_after,
    floors_of,
    gross_floor_area_m2,
    int_values,
    numbers,
    people_after,
    residential_shares,
    storey_heights_m,
)
from scenarios.indicators.building_uses import estimated_floors
from twin.city import City

logger = logging.getLogger(__name__)

MAX_FLOORS = 200
MAX_HEIGHT_M = 1000.0


# -- demolish ---------------------------------------------------------------------------------
@register_edit
@dataclasses.dataclass(frozen=True)
class Demolish(Edit):
    """Demolish buildings, with their IFC storeys, spaces, elements and meshes.

    Attributes:
        ids: ids of the buildings.
    """

    kind = "demolish"
    ids: tuple[str, ...]

    def check(self) -> None:
        if not self.ids:
            raise refuse(
                "field_empty",
                "demolish: field 'ids' is empty; list the buildings.",
                edit=self.kind,
                field="ids",
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        demolish(city, self.ids)

    def summary(self) -> str:
        return f"demolish {len(self.ids)} building(s)"


def demolish(city: City, ids: tuple[str, ...] | list[str]) -> None:
    """Remove buildings and everything below them (storeys, spaces, IFC elements, meshes).

    Raises:
        InvalidInputError: an id is not a building of the City.
    """
    ids = unique(ids)
    existing_rows(city, "buildings", ids, "building")
    removed: dict[str, list[str]] = {"buildings": ids}
    storeys = _children(city, "storeys", ids)
    removed["storeys"] = storeys
    removed["spaces"] = _children(city, "spaces", [*storeys, *ids])
    if "ifc_elements" in city:
        elements = city.layer("ifc_elements")
        gone = set().union(*removed.values())
        hit = elements["building_id"].astype(str).isin(ids) | elements["id"].astype(str).isin(gone)
        removed["ifc_elements"] = elements.loc[hit, "id"].astype(str).tolist()
    gone_ids = set().union(*removed.values())
    with city.transaction():
        for layer, layer_ids in removed.items():
            if layer_ids:
                city.drop_rows(layer, layer_ids)
        for name, store in list(city.meshes.items()):
            keep = ~np.isin(store.object_ids.astype(str), list(gone_ids))
            if not keep.all():
                city.set_meshes(name, store.select(keep))
    logger.info("demolished %d building(s)", len(ids))


def _children(city: City, layer: str, parent_ids: list[str]) -> list[str]:
    if layer not in city or not parent_ids:
        return []
    frame = city.layer(layer)
    return frame.loc[frame["parent_id"].astype(str).isin(parent_ids), "id"].astype(str).tolist()


# -- heights and floors -----------------------------------------------------------------------
@register_edit
@dataclasses.dataclass(frozen=True)
class SetHeight(Edit):
    """Set buildings' height; floors follow (height / storey height of the use, rounded).

    Attributes:
        ids: ids of the buildings.
        height_m: the new height from ground to top (m).
    """

    kind = "set_height"
    ids: tuple[str, ...]
    height_m: float

    def check(self) -> None:
        if not self.ids:
            raise refuse(
                "field_empty",
                "set_height: field 'ids' is empty; list the buildings.",
                edit=self.kind,
                field="ids",
            )
        if not 0 < self.height_m <= MAX_HEIGHT_M:
            raise refuse(
                "field_range",
                f"set_height: field 'height_m' is {self.height_m:g}; give a height in metres "
                "above 0 (e.g. 12.5).",
                edit=self.kind,
                field="height_m",
                value=self.height_m,
                low=0,
                high=MAX_HEIGHT_M,
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        set_height(city, self.ids, self.height_m, assumptions=assumptions)

    def summary(self) -> str:
        return f"set the height of {len(self.ids)} building(s) to {self.height_m:g} m"


def set_height(
    city: City,
    ids: tuple[str, ...] | list[str],
    height_m: float,
    *,
    assumptions: Assumptions | None = None,
) -> None:
    """Give buildings a new height; floors become what the height holds (storey heights of
    the use, at least 1) and floor area, dwellings and people scale with the floors.

    Raises:
        InvalidInputError: an unknown id.
    """
    assumptions = assumptions_or_default(assumptions)
    ids = unique(ids)
    rows = city.layer("buildings").iloc[existing_rows(city, "buildings", ids, "building")]
    height = np.full(len(rows), float(height_m))
    floors = np.maximum(1.0, estimated_floors(height, rows["use"], assumptions))
    _restack(city, ids, rows, floors, height, assumptions)


@register_edit
@dataclasses.dataclass(frozen=True)
class AddFloors(Edit):
    """Add (or, with a negative number, remove) floors; each adds a storey height of the use.

    Attributes:
        ids: ids of the buildings.
        floors: storeys to add (negative to remove; at least one storey must remain).
    """

    kind = "add_floors"
    ids: tuple[str, ...]
    floors: int

    def check(self) -> None:
        if not self.ids:
            raise refuse(
                "field_empty",
                "add_floors: field 'ids' is empty; list the buildings.",
                edit=self.kind,
                field="ids",
            )
        if self.floors == 0 or abs(self.floors) > MAX_FLOORS:
            raise refuse(
                "field_range",
                f"add_floors: field 'floors' is {self.floors}; give the storeys to add (e.g. 1).",
                edit=self.kind,
                field="floors",
                value=self.floors,
                low=-MAX_FLOORS,
                high=MAX_FLOORS,
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        add_floors(city, self.ids, self.floors, assumptions=assumptions)

    def summary(self) -> str:
        return f"add {self.floors} floor(s) to {len(self.ids)} building(s)"


def add_floors(
    city: City,
    ids: tuple[str, ...] | list[str],
    floors: int,
    *,
    assumptions: Assumptions | None = None,
) -> None:
    """Add ``floors`` storeys to buildings: the height grows by floors × the use's storey
    height, floor area, dwellings and people scale with the floors.

    Raises:
        InvalidInputError: an unknown id, or fewer than one storey left.
    """
    assumptions = assumptions_or_default(assumptions)
    ids = unique(ids)
    rows = city.layer("buildings").iloc[existing_rows(city, "buildings", ids, "building")]
    old_floors = floors_of(rows, assumptions)
    new_floors = old_floors + floors
    if (new_floors < 1).any():
        bad = rows["id"].astype(str).to_numpy()[new_floors < 1][0]
        raise refuse(
            "floors_left_none",
            f"building '{bad}' has {old_floors[new_floors < 1][0]:g} floor(s); removing "
            f"{-floors} would leave none (demolish it instead).",
            id=bad,
            floors=float(old_floors[new_floors < 1][0]),
            removed=-floors,
        )
    storey = storey_heights_m(rows["use"], assumptions)
    height = numbers(rows, "height_m")
    height = np.where(np.isfinite(height), height, old_floors * storey) + floors * storey
    _restack(city, ids, rows, new_floors, np.maximum(height, 0.1), assumptions)


def _restack(
    city: City,
    ids: list[str],
    rows: pd.DataFrame,
    new_floors: np.ndarray,
    new_height_m: np.ndarray,
    assumptions: Assumptions,
) -> None:
    """Write new floors and heights, with floor area, dwellings and people scaled."""
    old_floors = floors_of(rows, assumptions)
    old_area = gross_floor_area_m2(rows, old_floors)
    new_area = old_area * new_floors / old_floors
    old_dwellings, new_dwellings = dwellings_after(
        rows,
        old_area,
        new_area,
        residential_shares(rows, old_floors),
        residential_shares(rows, new_floors),  # a mixed building's housing grows upwards
        assumptions,
    )
    inhabitants, households = people_after(rows, old_dwellings, new_dwellings, assumptions)
    city.update_values(
        "buildings",
        ids,
        {
            "floors": int_values(new_floors),
            "height_m": new_height_m,
            "height_source": "edited",
            "floor_area_m2": new_area,
            "dwellings": int_values(new_dwellings),
            "inhabitants": inhabitants,
            "households": households,
        },
    )
