"""What the spaces and storeys rows take from the model alone: names, uses, areas and volumes
of the quantity sets, parents, storey placements. The import reads it while the geometry
kernel works; :mod:`importers.ifc_rows` completes the rows with what the meshes give."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ifcopenshell
import ifcopenshell.util.placement
import numpy as np

from importers.ifc_crs import Georeference
from importers.ifc_hierarchy import Hierarchy
from importers.ifc_properties import Sets, number
from importers.ifc_uses import space_use


@dataclass(frozen=True)
class SpatialRows:
    """Columns of the spaces and storeys, aligned with ``tree.spaces`` and ``tree.storeys``.

    Attributes:
        spaces: ``id``, ``parent_id``, ``name``, ``long_name``, ``use``, ``ifc_global_id``,
            ``object_type``; ``qto_area_m2`` and ``qto_volume_m3`` (None when the quantity
            sets have none); ``storey_pos`` and ``building_pos`` (positions in the tree, -1).
        storeys: ``id``, ``parent_id``, ``name``, ``ifc_global_id``; ``qto_area_m2`` (or
            None); ``absolute_z_m`` (its placement in the target height system),
            ``model_z_m``, ``building_pos``, ``entrance`` (marked EntranceLevel).
    """

    spaces: dict[str, Any]
    storeys: dict[str, Any]


def spatial_rows(
    tree: Hierarchy,
    georef: Georeference,
    psets: dict[int, Sets],
    qtos: dict[int, Sets],
    unit_scale: float,
) -> SpatialRows:
    """The columns of the spaces and storeys that need no geometry."""
    storey_pos = {s.id(): i for i, s in enumerate(tree.storeys)}
    building_pos = {b.id(): i for i, b in enumerate(tree.buildings)}
    spaces: dict[str, list] = {name: [] for name in _SPACE_KEYS}
    for space in tree.spaces:
        step_id = space.id()
        # IfcRoot/IfcObject/IfcSpatialElement attributes by position (same in every schema):
        # Name 2, ObjectType 4, LongName 7.
        name, object_type, long_name = space[2], space[4], space[7]
        qto = qtos.get(step_id)
        parent = tree.ancestor(step_id, ("storey", "building"))
        building = tree.ancestor(step_id, ("building",))
        global_id = tree.guid[step_id]
        values = (
            global_id,
            tree.global_id(parent),
            name,
            long_name,
            space_use(long_name, object_type, name),
            global_id,
            object_type,
            number(qto, "NetFloorArea", "GrossFloorArea", set_hint="BaseQuantities"),
            number(qto, "NetVolume", "GrossVolume", set_hint="BaseQuantities"),
            storey_pos.get(parent, -1) if parent is not None else -1,
            building_pos.get(building, -1) if building is not None else -1,
        )
        for key, value in zip(_SPACE_KEYS, values, strict=True):
            spaces[key].append(value)

    model_points = np.array([_storey_point(s, unit_scale) for s in tree.storeys])
    storeys: dict[str, Any] = {name: [] for name in _STOREY_KEYS}
    for storey in tree.storeys:
        building = tree.ancestor(storey.id(), ("building",))
        storey_values = (
            tree.guid[storey.id()],
            tree.global_id(building),
            storey.Name,
            tree.guid[storey.id()],
            number(qtos.get(storey.id()), "GrossFloorArea", set_hint="BaseQuantities"),
            building_pos.get(building, -1) if building is not None else -1,
            _entrance(psets.get(storey.id())),
        )
        for key, value in zip(_STOREY_KEYS, storey_values, strict=True):
            storeys[key].append(value)
    storeys["model_z_m"] = model_points.reshape(-1, 3)[:, 2]
    storeys["absolute_z_m"] = georef.to_target(model_points.reshape(-1, 3))[:, 2]
    return SpatialRows(spaces, storeys)


_SPACE_KEYS = (
    "id",
    "parent_id",
    "name",
    "long_name",
    "use",
    "ifc_global_id",
    "object_type",
    "qto_area_m2",
    "qto_volume_m3",
    "storey_pos",
    "building_pos",
)
_STOREY_KEYS = (
    "id",
    "parent_id",
    "name",
    "ifc_global_id",
    "qto_area_m2",
    "building_pos",
    "entrance",
)


def _storey_point(storey: ifcopenshell.entity_instance, unit_scale: float) -> np.ndarray:
    if storey.ObjectPlacement is not None:
        return (
            ifcopenshell.util.placement.get_local_placement(storey.ObjectPlacement)[:3, 3]
            * unit_scale
        )
    return np.array([0.0, 0.0, float(storey.Elevation or 0.0) * unit_scale])


def _entrance(sets: Sets | None) -> bool:
    return bool((sets or {}).get("Pset_BuildingStoreyCommon", {}).get("EntranceLevel") is True)
