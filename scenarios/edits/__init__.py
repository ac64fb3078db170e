"""Edits: what a planner changes in the town, as data (see :mod:`scenarios.edits.base`).

Importing this package registers every edit kind in :data:`EDIT_KINDS`.
"""

from __future__ import annotations

from scenarios.edits.base import EDIT_KINDS, Edit, edit_from_dict, register_edit
from scenarios.edits.buildings import (
    AddFloors,
    Demolish,
    SetHeight,
    add_floors,
    demolish,
    set_height,
)
from scenarios.edits.digital import AddDigitalAsset, add_digital_asset
from scenarios.edits.land_energy import Deseal, Retrofit, deseal, retrofit
from scenarios.edits.new_building import AddBuilding, add_building
from scenarios.edits.place_model import PlaceModel, place_model
from scenarios.edits.transit import (
    AddTransitLine,
    AddTransitStop,
    add_transit_line,
    add_transit_stop,
)
from scenarios.edits.uses import ChangeSpaceUse, ChangeUse, change_space_use, change_use

__all__ = [
    "EDIT_KINDS",
    "AddBuilding",
    "AddDigitalAsset",
    "AddFloors",
    "AddTransitLine",
    "AddTransitStop",
    "ChangeSpaceUse",
    "ChangeUse",
    "Demolish",
    "Deseal",
    "Edit",
    "PlaceModel",
    "Retrofit",
    "SetHeight",
    "add_building",
    "add_digital_asset",
    "add_floors",
    "add_transit_line",
    "add_transit_stop",
    "change_space_use",
    "change_use",
    "demolish",
    "deseal",
    "edit_from_dict",
    "place_model",
    "register_edit",
    "retrofit",
    "set_height",
]
