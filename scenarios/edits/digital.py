"""Add planned digital infrastructure: fibre ducts and cables, connection points, sensors,
mobile sites, smart meters, connected streetlights, LoRaWAN gateways.

A new ``digital_assets`` row has status ``planned``, source ``scenario``, an id
``NEW-DIGITAL-1``, ``NEW-DIGITAL-2`` ... and, for a line, ``length_m`` measured on it.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import shapely

from scenarios.assumptions import Assumptions
from scenarios.edits.base import Edit, register_edit
from scenarios.edits.checks import (
    check_near_data,
    check_new_id,
    existing_rows,
    next_ids,
    parse_wkt,
    refuse,
)
from twin.catalogue import DIGITAL_ASSETS
from twin.city import City

LAYER = "digital_assets"
PREFIX = "NEW-DIGITAL-"
KINDS: tuple[str, ...] = DIGITAL_ASSETS.column("kind").allowed
LINEAR_KINDS = ("fibre_cable", "fibre_duct")
GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString")


@register_edit
@dataclasses.dataclass(frozen=True)
class AddDigitalAsset(Edit):
    """A planned piece of digital infrastructure.

    Attributes:
        asset_kind: fibre_cable, fibre_duct, connection_point, premises, mobile_site, sensor,
            smart_meter, streetlight or lorawan_gateway.
        geometry_wkt: where, as a WKT point or line in the project CRS (m); cables and ducts
            are lines.
        count: units it stands for (sensors, meters, premises), at least 1.
        technology: FTTH, 4G, 5G, LoRaWAN ...
        laying: for cables and ducts: underground, overhead or facade.
        operator: operator or owner.
        building_id: the building it serves (meters, premises), if any.
        year: year it is planned for (0: not said).
        id: its id; empty for ``NEW-DIGITAL-<n>``.
    """

    kind = "add_digital_asset"
    asset_kind: str
    geometry_wkt: str
    count: int = 1
    technology: str = ""
    laying: str = ""
    operator: str = ""
    building_id: str = ""
    year: int = 0
    id: str = ""

    def check(self) -> None:
        where = "add_digital_asset: field"
        if self.asset_kind not in KINDS:
            raise refuse(
                "field_choice",
                f"{where} 'asset_kind' is '{self.asset_kind}'; use one of {', '.join(KINDS)}.",
                edit=self.kind,
                field="asset_kind",
                value=self.asset_kind,
                choices=list(KINDS),
            )
        geometry = parse_wkt(self.geometry_wkt, f"{where} 'geometry_wkt'", GEOMETRIES)
        if self.asset_kind in LINEAR_KINDS and "Line" not in geometry.geom_type:
            raise refuse(
                "asset_not_line",
                f"{where} 'geometry_wkt' is a {geometry.geom_type}; a {self.asset_kind} is a line.",
                kind=self.asset_kind,
                geometry=geometry.geom_type,
            )
        if self.count < 1:
            raise refuse(
                "field_min",
                f"{where} 'count' is {self.count}; give 1 or more.",
                edit=self.kind,
                field="count",
                value=self.count,
                low=1,
            )
        if self.year and not 1900 <= self.year <= 2100:
            raise refuse(
                "field_range",
                f"{where} 'year' is {self.year}; give a year such as 2027.",
                edit=self.kind,
                field="year",
                value=self.year,
                low=1900,
                high=2100,
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        add_digital_asset(city, self)

    def summary(self) -> str:
        return f"add {self.count} planned {self.asset_kind.replace('_', ' ')}"


def add_digital_asset(city: City, edit: AddDigitalAsset) -> None:
    """Add the asset as a planned ``digital_assets`` row.

    Raises:
        InvalidInputError: a geometry far from the data, an unknown building, an id in use.
    """
    geometry = shapely.force_2d(parse_wkt(edit.geometry_wkt, "field 'geometry_wkt'", GEOMETRIES))
    check_near_data(city, geometry, "the asset (field 'geometry_wkt')")
    if edit.building_id:
        existing_rows(city, "buildings", [edit.building_id], "building")
    asset_id = edit.id or next_ids(city.layer(LAYER) if LAYER in city else None, PREFIX, 1)[0]
    check_new_id(city, LAYER, asset_id)
    length_m = geometry.length if "Line" in geometry.geom_type else None
    if length_m is not None and length_m <= 0:
        raise refuse(
            "line_no_length", "field 'geometry_wkt': the line has no length; draw it again."
        )
    row = gpd.GeoDataFrame(
        {
            "id": [asset_id],
            "kind": [edit.asset_kind],
            "status": ["planned"],
            "count": [edit.count],
            "length_m": [length_m],
            "laying": [edit.laying or None],
            "operator": [edit.operator or None],
            "technology": [edit.technology or None],
            "year": [edit.year or None],
            "building_id": [edit.building_id or None],
            "source": ["scenario"],
        },
        geometry=gpd.GeoSeries([geometry], crs=city.crs),
    )
    city.append_rows(LAYER, row, source="scenario")
