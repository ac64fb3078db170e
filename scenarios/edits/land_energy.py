"""Energy retrofit of buildings, and de-sealing (greening) part of a parcel.

A retrofit only sets ``retrofit_target`` (the DPE class aimed at): the energy indicators turn
it into demand and emissions. De-sealing adds to ``parcels.desealed_area_m2``, never more than
the parcel's area left free of buildings.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import shapely

from scenarios.assumptions import Assumptions
from scenarios.edits.base import Edit, register_edit
from scenarios.edits.checks import candidates, existing_rows, refuse, unique
from twin.city import City
from twin.levels import Level
from twin.uses import ALL_USES

logger = logging.getLogger(__name__)

DPE_CLASSES = ("A", "B", "C", "D", "E", "F", "G")


def _residential() -> tuple[str, ...]:
    return ("residential",)


@register_edit
@dataclasses.dataclass(frozen=True)
class Retrofit(Edit):
    """Plan the energy retrofit of buildings to a DPE class.

    Attributes:
        target_class: the DPE class aimed at, A (best) to G.
        ids: ids of the buildings; or
        within_id: a district, commune, parcel or territory id: every building below it
            whose use is in ``uses``.
        uses: uses retrofitted with ``within_id`` (default: residential); empty for all.
    """

    kind = "retrofit"
    target_class: str
    ids: tuple[str, ...] = ()
    within_id: str = ""
    uses: tuple[str, ...] = dataclasses.field(default_factory=_residential)

    def check(self) -> None:
        if self.target_class not in DPE_CLASSES:
            raise refuse(
                "field_choice",
                f"retrofit: field 'target_class' is '{self.target_class}'; give a DPE class A "
                "to G.",
                edit=self.kind,
                field="target_class",
                value=self.target_class,
                choices=list(DPE_CLASSES),
            )
        if bool(self.ids) == bool(self.within_id):
            raise refuse(
                "fields_either",
                "retrofit: give either field 'ids' (buildings) or field 'within_id' (a "
                "district, commune or parcel), not both nor neither.",
                edit=self.kind,
                first="ids",
                second="within_id",
            )
        for use in self.uses:
            if use not in ALL_USES:
                raise refuse(
                    "field_choice",
                    f"retrofit: field 'uses' names '{use}'; use some of {', '.join(ALL_USES)}.",
                    edit=self.kind,
                    field="uses",
                    value=use,
                    choices=list(ALL_USES),
                )

    def run(self, city: City, assumptions: Assumptions) -> None:
        ids = self.ids or buildings_within(city, self.within_id, self.uses)
        retrofit(city, ids, self.target_class)

    def summary(self) -> str:
        if self.within_id:
            which = "/".join(self.uses) or "all"
            return f"energy retrofit of the {which} buildings of {self.within_id} to class " + (
                self.target_class
            )
        return f"energy retrofit of {len(self.ids)} building(s) to class {self.target_class}"


def buildings_within(city: City, within_id: str, uses: tuple[str, ...] = ()) -> list[str]:
    """Ids of the buildings below a hierarchy row whose use is in ``uses`` (all if empty).

    Raises:
        InvalidInputError: the id is not in the hierarchy, is not above buildings, or no
            building matches.
    """
    hierarchy = city.hierarchy
    if within_id not in hierarchy:
        raise refuse(
            "area_unknown",
            f"no district, commune or parcel '{within_id}' in the project; check the id.",
            id=within_id,
        )
    if hierarchy.level_of(within_id) >= Level.BUILDING:
        level = hierarchy.level_of(within_id).name.lower()
        raise refuse(
            "area_not_holding",
            f"'{within_id}' is a {level}, not an area holding buildings; give a district, "
            "commune or parcel id.",
            id=within_id,
            level=level,
        )
    ids = hierarchy.descendants_at(within_id, Level.BUILDING)
    if uses and ids:
        buildings = city.layer("buildings")
        use_of = dict(
            zip(buildings["id"].astype(str), buildings["use"].astype(object), strict=True)
        )
        ids = [i for i in ids if use_of.get(i) in uses]
    if not ids:
        raise refuse(
            "area_no_buildings",
            f"no {'/'.join(uses) or ''} building in '{within_id}'; check the id and the uses.",
            id=within_id,
            uses=list(uses),
        )
    return ids


def retrofit(city: City, ids: tuple[str, ...] | list[str], target_class: str) -> None:
    """Set ``retrofit_target`` of buildings whose DPE class is unknown or worse than the
    target (buildings already at it or better are left as they are).

    Raises:
        InvalidInputError: an unknown id or class.
    """
    if target_class not in DPE_CLASSES:
        raise refuse(
            "dpe_class_unknown",
            f"unknown DPE class '{target_class}'; give A to G.",
            target_class=target_class,
        )
    ids = unique(ids)
    rows = city.layer("buildings").iloc[existing_rows(city, "buildings", ids, "building")]
    rank = {c: n for n, c in enumerate(DPE_CLASSES)}
    current = rows["energy_class"].astype(object).map(rank).astype("float64").to_numpy()
    worse = ~(current <= rank[target_class])  # NaN (unknown) counts as worse
    chosen = [i for i, keep in zip(ids, worse, strict=True) if keep]
    if chosen:
        city.update_values("buildings", chosen, {"retrofit_target": target_class})
    logger.info(
        "retrofit to class %s: %d building(s), %d already there",
        target_class,
        len(chosen),
        len(ids) - len(chosen),
    )


@register_edit
@dataclasses.dataclass(frozen=True)
class Deseal(Edit):
    """De-seal and green part of a parcel.

    Attributes:
        parcel_id: the parcel.
        area_m2: the area de-sealed (m²), added to what earlier edits de-sealed.
    """

    kind = "deseal"
    parcel_id: str
    area_m2: float

    def check(self) -> None:
        if not self.parcel_id:
            raise refuse(
                "field_empty",
                "deseal: field 'parcel_id' is empty; name the parcel.",
                edit=self.kind,
                field="parcel_id",
            )
        if not self.area_m2 > 0:
            raise refuse(
                "field_min",
                f"deseal: field 'area_m2' is {self.area_m2:g}; give an area above 0 m².",
                edit=self.kind,
                field="area_m2",
                value=self.area_m2,
                low=0,
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        deseal(city, self.parcel_id, self.area_m2)

    def summary(self) -> str:
        return f"de-seal {self.area_m2:,.0f} m² of parcel {self.parcel_id}"


def deseal(city: City, parcel_id: str, area_m2: float) -> None:
    """Add ``area_m2`` to the parcel's de-sealed area.

    Raises:
        InvalidInputError: an unknown parcel, or more than the parcel's area minus its
            buildings' footprints (and what is already de-sealed).
    """
    position = existing_rows(city, "parcels", [parcel_id], "parcel")[0]
    parcels = city.layer("parcels")
    parcel = parcels.geometry.iloc[position]
    built = 0.0
    if "buildings" in city and len(city.layer("buildings")):
        buildings = city.layer("buildings")
        near = candidates(buildings, parcel)
        if len(near):
            union = shapely.union_all(buildings.geometry.to_numpy()[near])
            built = float(shapely.intersection(union, parcel).area)
    already = float(np.nan_to_num(parcels["desealed_area_m2"].astype("float64").iloc[position]))
    free = max(parcel.area - built - already, 0.0)
    if area_m2 > free + 0.01:
        raise refuse(
            "deseal_too_much",
            f"parcel '{parcel_id}' has {parcel.area:,.0f} m², {built:,.0f} m² under buildings "
            f"and {already:,.0f} m² already de-sealed: at most {free:,.0f} m² can be de-sealed, "
            f"not {area_m2:,.0f} m².",
            parcel=parcel_id,
            parcel_m2=float(parcel.area),
            built_m2=float(built),
            already_m2=already,
            free_m2=free,
            area_m2=float(area_m2),
        )
    city.update_values("parcels", [parcel_id], {"desealed_area_m2": already + area_m2})
