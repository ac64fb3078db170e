"""The one use classification every source is mapped onto."""

from __future__ import annotations

from enum import StrEnum


class BuildingUse(StrEnum):
    """What a building, part of a building or room is used for.

    BD TOPO, OpenStreetMap, cadastre and IFC vocabularies are all mapped onto these values by
    the importers; docs/uses.md documents the mappings.
    """

    RESIDENTIAL = "residential"
    OFFICE = "office"
    RETAIL = "retail"  # commerce and services
    PUBLIC = "public"  # public facilities: town hall, school, health, sport, worship
    INDUSTRIAL = "industrial"  # industry, agriculture, logistics
    ANNEX = "annex"  # garages, sheds, outbuildings
    MIXED = "mixed"  # several uses in one building
    UNKNOWN = "unknown"


ALL_USES: tuple[str, ...] = tuple(use.value for use in BuildingUse)
