"""Change what buildings, or chosen rooms of IFC buildings, are used for.

Reusing floor area instead of building new: a building gets a new use or use mix, or rooms
(IFC spaces) get new uses one by one and their building's ``use_mix`` is recomputed from its
rooms' areas by use, so a town hall turned into a third place shows its mix. Dwellings and
people follow the residential share (:mod:`scenarios.edits.housing`).
"""

from __future__ import annotations

import dataclasses
import logging

import pandas as pd

from scenarios.assumptions import Assumptions
from scenarios.edits.base import Edit, assumptions_or_default, register_edit
from scenarios.edits.checks import existing_rows, refuse, unique
from scenarios.edits.housing import (
    check_use_mix,
    dwellings_after,
    floors_of,
    gross_floor_area_m2,
    int_values,
    main_use,
    people_after,
    residential_shares,
    use_mix_json,
)
from twin.city import City
from twin.uses import ALL_USES, BuildingUse

logger = logging.getLogger(__name__)

#: Room uses left out of a building's mix: circulation and toilets serve every use.
UNCOUNTED_ROOM_USES = (BuildingUse.UNKNOWN.value,)


@register_edit
@dataclasses.dataclass(frozen=True)
class ChangeUse(Edit):
    """Give buildings one use, or a use mix.

    Attributes:
        ids: ids of the buildings.
        use: the new use (one of the twin's uses); or
        use_mix: shares of floor area by use, summing to 1.
    """

    kind = "change_use"
    ids: tuple[str, ...]
    use: str = ""
    use_mix: dict[str, float] = dataclasses.field(default_factory=dict)

    def check(self) -> None:
        if not self.ids:
            raise refuse(
                "field_empty",
                "change_use: field 'ids' is empty; list the buildings.",
                edit=self.kind,
                field="ids",
            )
        if bool(self.use) == bool(self.use_mix):
            raise refuse(
                "fields_either",
                "change_use: give either field 'use' or field 'use_mix', not both nor neither.",
                edit=self.kind,
                first="use",
                second="use_mix",
            )
        if self.use and self.use not in ALL_USES:
            raise refuse(
                "field_choice",
                f"change_use: field 'use' is '{self.use}'; use one of {', '.join(ALL_USES)}.",
                edit=self.kind,
                field="use",
                value=self.use,
                choices=list(ALL_USES),
            )
        if self.use_mix:
            check_use_mix(self.use_mix, "change_use: field 'use_mix'")

    def run(self, city: City, assumptions: Assumptions) -> None:
        change_use(city, self.ids, self.use or None, self.use_mix or None, assumptions=assumptions)

    def summary(self) -> str:
        what = self.use or ", ".join(f"{u} {s:.0%}" for u, s in self.use_mix.items())
        return f"change the use of {len(self.ids)} building(s) to {what}"


def change_use(
    city: City,
    ids: tuple[str, ...] | list[str],
    use: str | None = None,
    use_mix: dict[str, float] | None = None,
    *,
    assumptions: Assumptions | None = None,
) -> None:
    """Give buildings ``use`` (the mix is cleared) or ``use_mix`` (the use becomes the largest
    share); dwellings and people follow the residential share.

    Raises:
        InvalidInputError: an unknown id or use, or shares not summing to 1.
    """
    assumptions = assumptions_or_default(assumptions)
    if (use is None) == (use_mix is None):
        raise refuse(
            "fields_either",
            "change_use: give either a use or a use mix.",
            edit="change_use",
            first="use",
            second="use_mix",
        )
    if use is not None and use not in ALL_USES:
        raise refuse(
            "use_unknown",
            f"unknown use '{use}'; use one of {', '.join(ALL_USES)}.",
            use=use,
            uses=list(ALL_USES),
        )
    if use_mix is not None:
        check_use_mix(use_mix)
    ids = unique(ids)
    rows = city.layer("buildings").iloc[existing_rows(city, "buildings", ids, "building")]
    if use_mix is not None:
        uses = [main_use(use_mix)] * len(ids)
        mixes: list[str | None] = [use_mix_json(use_mix)] * len(ids)
    else:
        uses = [str(use)] * len(ids)
        mixes = [None] * len(ids)
    _write_uses(city, ids, rows, uses, mixes, assumptions)


def _write_uses(
    city: City,
    ids: list[str],
    rows: pd.DataFrame,
    uses: list[str],
    mixes: list[str | None],
    assumptions: Assumptions,
) -> None:
    """Write uses and mixes, with dwellings and people following the residential share."""
    after = rows.assign(use=uses, use_mix=mixes)
    floors = floors_of(rows, assumptions)
    area = gross_floor_area_m2(rows, floors)
    old_dwellings, new_dwellings = dwellings_after(
        rows,
        area,
        area,
        residential_shares(rows, floors),
        residential_shares(after, floors),
        assumptions,
    )
    inhabitants, households = people_after(rows, old_dwellings, new_dwellings, assumptions)
    city.update_values(
        "buildings",
        ids,
        {
            "use": uses,
            "use_mix": mixes,
            "dwellings": int_values(new_dwellings),
            "inhabitants": inhabitants,
            "households": households,
        },
    )


@register_edit
@dataclasses.dataclass(frozen=True)
class ChangeSpaceUse(Edit):
    """Give chosen rooms (IFC spaces) a new use, and optionally a new name.

    Attributes:
        space_ids: ids of the rooms (IFC GlobalIds).
        use: their new use (one of the twin's uses).
        long_name: their new name (``Café associatif``); empty keeps theirs.
    """

    kind = "change_space_use"
    space_ids: tuple[str, ...]
    use: str
    long_name: str = ""

    def check(self) -> None:
        if not self.space_ids:
            raise refuse(
                "field_empty",
                "change_space_use: field 'space_ids' is empty; list rooms.",
                edit=self.kind,
                field="space_ids",
            )
        if self.use not in ALL_USES:
            raise refuse(
                "field_choice",
                f"change_space_use: field 'use' is '{self.use}'; use one of {', '.join(ALL_USES)}.",
                edit=self.kind,
                field="use",
                value=self.use,
                choices=list(ALL_USES),
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        change_space_use(
            city, self.space_ids, self.use, self.long_name or None, assumptions=assumptions
        )

    def summary(self) -> str:
        named = f" ({self.long_name})" if self.long_name else ""
        return f"change the use of {len(self.space_ids)} room(s) to {self.use}{named}"


def change_space_use(
    city: City,
    space_ids: tuple[str, ...] | list[str],
    use: str,
    long_name: str | None = None,
    *,
    assumptions: Assumptions | None = None,
) -> None:
    """Set the rooms' use (and name), then recompute their buildings' use mix from the areas
    of all their rooms by use (rooms of unknown use, such as circulation, left out); the
    building's use becomes the largest share.

    Raises:
        InvalidInputError: an unknown room id or use.
    """
    assumptions = assumptions_or_default(assumptions)
    if use not in ALL_USES:
        raise refuse(
            "use_unknown",
            f"unknown use '{use}'; use one of {', '.join(ALL_USES)}.",
            use=use,
            uses=list(ALL_USES),
        )
    space_ids = unique(space_ids)
    existing_rows(city, "spaces", space_ids, "room")
    values: dict[str, object] = {"use": use}
    if long_name:
        values["long_name"] = long_name
    with city.transaction():
        city.update_values("spaces", space_ids, values)
        _recompute_mixes(city, space_ids, assumptions)
    logger.info("%d room(s) now used as %s", len(space_ids), use)


def building_of_spaces(city: City, space_ids: list[str] | None = None) -> pd.Series:
    """The building id of each room (indexed by room id), through its storey if any."""
    spaces = city.layer("spaces")
    if space_ids is not None:
        spaces = spaces[spaces["id"].astype(str).isin(space_ids)]
    parent = spaces["parent_id"].astype(str)
    if "storeys" in city:
        storeys = city.layer("storeys")
        storey_building = pd.Series(
            storeys["parent_id"].astype(str).to_numpy(), index=storeys["id"].astype(str)
        )
        parent = parent.map(storey_building).fillna(parent)
    return pd.Series(parent.to_numpy(), index=spaces["id"].astype(str).to_numpy())


def _recompute_mixes(city: City, space_ids: list[str], assumptions: Assumptions) -> None:
    buildings = city.layer("buildings")
    touched = building_of_spaces(city, space_ids).unique()
    touched = [b for b in touched if b in set(buildings["id"].astype(str))]
    if not touched:
        return
    owner = building_of_spaces(city)
    spaces = city.layer("spaces").set_index(city.layer("spaces")["id"].astype(str))
    rooms = pd.DataFrame(
        {
            "building": owner.to_numpy(),
            "use": spaces.loc[owner.index, "use"].astype(object).to_numpy(),
            "area": pd.to_numeric(spaces.loc[owner.index, "area_m2"], errors="coerce")
            .fillna(0.0)
            .to_numpy(),
        }
    )
    rooms = rooms[rooms["building"].isin(touched) & ~rooms["use"].isin(UNCOUNTED_ROOM_USES)]
    areas = rooms.groupby(["building", "use"])["area"].sum()
    uses: list[str] = []
    mixes: list[str | None] = []
    rows = buildings.set_index(buildings["id"].astype(str)).loc[touched]
    for building, current in zip(touched, rows["use"].astype(object), strict=True):
        by_use = areas.get(building)
        total = float(by_use.sum()) if by_use is not None else 0.0
        if by_use is None or total <= 0:
            uses.append(str(current))
            mixes.append(None)
            continue
        shares = {str(u): float(a) / total for u, a in by_use.items() if a > 0}
        uses.append(main_use(shares))
        mixes.append(use_mix_json(shares))
    _write_uses(city, touched, rows.reset_index(drop=True), uses, mixes, assumptions)
