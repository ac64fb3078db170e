"""Add a building: a drawn footprint, or a parcel with a setback, with floors and a use mix.

The new row gets: ``floors``; ``height_m`` = floors × storey height (given, or the
assumptions for its main use, a shop's ground floor being higher); ``floor_area_m2`` =
footprint area × floors (gross); ``use`` = the use of the largest share and ``use_mix`` as
JSON; ``dwellings`` (given, or residential floor area / ``people.floor_area_per_dwelling_m2``
rounded); ``inhabitants`` = dwellings × persons per household and ``households`` = dwellings;
a base elevation from the terrain where the City has one (the lowest ground under the
footprint); the parcel it overlaps most as parent (else the district); ``height_source``
``edited`` and ``source`` ``scenario``. Its id is ``NEW-1``, ``NEW-2`` ... unless one is given.
"""

from __future__ import annotations

import dataclasses
import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from scenarios.assumptions import Assumptions
from scenarios.edits.base import Edit, assumptions_or_default, register_edit
from scenarios.edits.checks import (
    candidates,
    check_near_data,
    check_new_id,
    existing_rows,
    next_ids,
    overlapping_buildings,
    parse_wkt,
    refuse,
)
from scenarios.edits.housing import (
    building_height_m,
    check_use_mix,
    dwellings_for,
    main_use,
    use_mix_json,
)
from twin.city import City

logger = logging.getLogger(__name__)

NEW_BUILDING_PREFIX = "NEW-"
SOURCE = "scenario"
TERRAIN = "terrain"
PLAUSIBLE_GROUND_M = (-500.0, 9000.0)


def _residential_only() -> dict[str, float]:
    return {"residential": 1.0}


@register_edit
@dataclasses.dataclass(frozen=True)
class AddBuilding(Edit):
    """A new building.

    Attributes:
        floors: storeys above ground (≥ 1).
        footprint_wkt: the footprint as a WKT polygon in the project CRS (m); or
        parcel_id: a parcel whose outline, moved inwards by ``setback_m``, is the footprint.
        setback_m: distance kept from the parcel's limits (m), with ``parcel_id``.
        use_mix: shares of floor area by use, summing to 1 (``{residential = 0.75,
            retail = 0.25}``).
        storey_height_m: storey height (m); 0 takes the assumptions for the main use (a shop's
            ground floor is higher).
        dwellings: number of dwellings; -1 computes them from the residential floor area.
        id: the new building's id; empty for ``NEW-<n>``.
        name: a name shown in the inspector.
        construction_year: year of completion (0: unknown).
    """

    kind = "add_building"
    floors: int
    footprint_wkt: str = ""
    parcel_id: str = ""
    setback_m: float = 0.0
    use_mix: dict[str, float] = dataclasses.field(default_factory=_residential_only)
    storey_height_m: float = 0.0
    dwellings: int = -1
    id: str = ""
    name: str = ""
    construction_year: int = 0

    def check(self) -> None:
        if bool(self.footprint_wkt) == bool(self.parcel_id):
            raise refuse(
                "fields_either",
                "add_building: give either field 'footprint_wkt' (a WKT polygon) or field "
                "'parcel_id' (with 'setback_m'), not both nor neither.",
                edit=self.kind,
                first="footprint_wkt",
                second="parcel_id",
            )
        if self.footprint_wkt:
            parse_wkt(self.footprint_wkt, "add_building: field 'footprint_wkt'", POLYGONAL)
        if not 1 <= self.floors <= 200:
            raise refuse(
                "field_range",
                f"add_building: field 'floors' is {self.floors}; give 1 to 200 storeys.",
                edit=self.kind,
                field="floors",
                value=self.floors,
                low=1,
                high=200,
            )
        if self.setback_m < 0:
            raise refuse(
                "field_min",
                f"add_building: field 'setback_m' is {self.setback_m:g}; give 0 m or more.",
                edit=self.kind,
                field="setback_m",
                value=self.setback_m,
                low=0,
            )
        if self.storey_height_m < 0 or self.storey_height_m > 20:
            raise refuse(
                "field_range",
                f"add_building: field 'storey_height_m' is {self.storey_height_m:g}; give a "
                "storey height in metres (e.g. 3.0), or 0 for the default of the use.",
                edit=self.kind,
                field="storey_height_m",
                value=self.storey_height_m,
                low=0,
                high=20,
            )
        if self.dwellings < -1:
            raise refuse(
                "field_min",
                f"add_building: field 'dwellings' is {self.dwellings}; give 0 or more (or -1 to "
                "compute them from the floor area).",
                edit=self.kind,
                field="dwellings",
                value=self.dwellings,
                low=-1,
            )
        if self.construction_year and not 1000 <= self.construction_year <= 2100:
            raise refuse(
                "field_range",
                f"add_building: field 'construction_year' is {self.construction_year}; give a "
                "year such as 2030.",
                edit=self.kind,
                field="construction_year",
                value=self.construction_year,
                low=1000,
                high=2100,
            )
        check_use_mix(self.use_mix, "add_building: field 'use_mix'")

    def run(self, city: City, assumptions: Assumptions) -> None:
        add_building(city, self, assumptions=assumptions)

    def summary(self) -> str:
        where = f"on parcel {self.parcel_id}" if self.parcel_id else "on a drawn footprint"
        return f"add a {self.floors}-storey {main_use(self.use_mix)} building {where}"


POLYGONAL = ("Polygon", "MultiPolygon")


def add_building(city: City, edit: AddBuilding, *, assumptions: Assumptions | None = None) -> None:
    """Add the building ``edit`` describes (see the module's documentation for the values).

    Raises:
        InvalidInputError: an unknown parcel, a setback that leaves nothing, a footprint far
            from the data or over an existing building, or an id already used.
    """
    assumptions = assumptions_or_default(assumptions)
    footprint = _footprint(city, edit)
    overlapped = overlapping_buildings(city, footprint)
    if overlapped:
        more = f" and {len(overlapped) - 1} more" if len(overlapped) > 1 else ""
        raise refuse(
            "overlap",
            f"the new building's footprint overlaps building '{overlapped[0]}'{more}; demolish "
            "it first (a demolish edit before this one) or draw a footprint beside it.",
            id=overlapped[0],
            more=len(overlapped) - 1,
        )
    existing = city.layer("buildings") if "buildings" in city else None
    new_id = edit.id or next_ids(existing, NEW_BUILDING_PREFIX, 1)[0]
    check_new_id(city, "buildings", new_id)
    use = main_use(edit.use_mix)
    height_m = (
        edit.floors * edit.storey_height_m
        if edit.storey_height_m
        else building_height_m(use, edit.floors, assumptions)
    )
    area_m2 = float(footprint.area) * edit.floors
    housing_m2 = area_m2 * edit.use_mix.get("residential", 0.0)
    dwellings = (
        int(dwellings_for(np.array([housing_m2]), assumptions)[0])
        if edit.dwellings < 0
        else edit.dwellings
    )
    persons = assumptions.value("people.persons_per_household")
    row = {
        "id": new_id,
        "parent_id": edit.parcel_id or _parent_of(city, footprint),
        "name": edit.name or None,
        "use": use,
        "use_mix": use_mix_json(edit.use_mix),
        "floors": edit.floors,
        "height_m": height_m,
        "height_source": "edited",
        "floor_area_m2": area_m2,
        "dwellings": dwellings,
        "inhabitants": dwellings * persons,
        "households": float(dwellings),
        "base_elevation_m": _lowest_ground_m(city, footprint),
        "construction_year": edit.construction_year or None,
        "source": SOURCE,
    }
    frame = gpd.GeoDataFrame(pd.DataFrame([row]), geometry=gpd.GeoSeries([footprint], crs=city.crs))
    city.append_rows("buildings", frame, source=SOURCE)
    logger.info(
        "added building %s: %.0f m2 of floor area, %d dwellings", new_id, area_m2, dwellings
    )


def _footprint(city: City, edit: AddBuilding) -> BaseGeometry:
    if edit.footprint_wkt:
        footprint = parse_wkt(edit.footprint_wkt, "field 'footprint_wkt'", POLYGONAL)
        check_near_data(city, footprint, "the footprint (field 'footprint_wkt')")
        return shapely.force_2d(footprint)
    position = existing_rows(city, "parcels", [edit.parcel_id], "parcel")[0]
    parcel = city.layer("parcels").geometry.iloc[position]
    footprint = shapely.force_2d(parcel.buffer(-edit.setback_m, join_style="mitre"))
    if footprint.is_empty or footprint.area < 1.0:
        raise refuse(
            "setback_too_big",
            f"a setback of {edit.setback_m:g} m leaves nothing of parcel '{edit.parcel_id}' "
            f"({parcel.area:,.0f} m2); give a smaller setback.",
            setback_m=edit.setback_m,
            parcel=edit.parcel_id,
            parcel_m2=float(parcel.area),
        )
    return footprint


def _parent_of(city: City, footprint: BaseGeometry) -> str | None:
    """The parcel the footprint overlaps most, else the district, else None."""
    for layer in ("parcels", "districts", "communes"):
        if layer not in city or not len(city.layer(layer)):
            continue
        frame = city.layer(layer)
        near = candidates(frame, footprint)
        if len(near):
            areas = shapely.area(shapely.intersection(frame.geometry.to_numpy()[near], footprint))
            if areas.max() > 0:
                return str(frame["id"].iloc[near[int(np.argmax(areas))]])
    return None


def _lowest_ground_m(city: City, footprint: BaseGeometry) -> float:
    """The lowest terrain altitude at the footprint's vertices and inner point, NaN without."""
    raster = city.rasters.get(TERRAIN)
    if raster is None:
        return float("nan")
    coords = shapely.get_coordinates(footprint)
    inner = shapely.get_coordinates(shapely.point_on_surface(footprint))
    points = np.vstack([coords, inner])
    values = raster.sample(points[:, 0], points[:, 1])
    low, high = PLAUSIBLE_GROUND_M
    values = values[np.isfinite(values) & (values >= low) & (values <= high)]
    return float(values.min()) if len(values) else float("nan")
