"""What a selection means in each panel: the 3D objects to highlight and the tree row to show.

A selected commune, district or parcel highlights all its buildings
(:meth:`~twin.hierarchy.HierarchyIndex.descendants_at`); a storey or a space highlights its
building and the IFC elements it contains; an IFC element shows its container in the tree.
No Qt here.
"""

from __future__ import annotations

import numpy as np

from gui.scene import IFC_MESHES
from twin.city import City
from twin.levels import Level

IFC_ELEMENTS = "ifc_elements"


def highlight_for(city: City, object_id: str | None) -> dict[str, list[str]]:
    """The ids to highlight per scene layer (``"buildings"``, ``"ifc"``) for a selected id."""
    if object_id is None:
        return {}
    hierarchy = city.hierarchy
    if object_id in hierarchy:
        level = hierarchy.level_of(object_id)
        if level < Level.BUILDING:
            buildings = hierarchy.descendants_at(object_id, Level.BUILDING)
        elif level == Level.BUILDING:
            buildings = [object_id]
        else:
            above = hierarchy.ancestor_at([object_id], Level.BUILDING)[0]
            buildings = [] if above is None else [str(above)]
        return {"buildings": buildings, IFC_MESHES: _ifc_ids(city, object_id, level, buildings)}
    if IFC_ELEMENTS in city and object_id in set(city.layer(IFC_ELEMENTS)["id"].astype(str)):
        return {"buildings": [], IFC_MESHES: [object_id]}
    return {}


def tree_target(city: City, object_id: str | None) -> str | None:
    """The hierarchy row to select in the tree for ``object_id`` (an IFC element: its container)."""
    if object_id is None:
        return None
    hierarchy = city.hierarchy
    if object_id in hierarchy:
        return object_id
    if IFC_ELEMENTS not in city:
        return None
    elements = city.layer(IFC_ELEMENTS)
    rows = elements[elements["id"].astype(str) == object_id]
    for column in ("parent_id", "building_id"):
        if len(rows) and column in rows.columns:
            candidate = rows[column].iloc[0]
            if isinstance(candidate, str) and candidate in hierarchy:
                return candidate
    return None


def _ifc_ids(city: City, object_id: str, level: Level, buildings: list[str]) -> list[str]:
    """IFC mesh objects belonging to the selection: a building's model, a storey's elements."""
    store = city.meshes.get(IFC_MESHES)
    if store is None or not store.n_objects:
        return []
    mesh_ids = store.object_ids.astype(str)
    selected = [object_id]
    if IFC_ELEMENTS in city:
        elements = city.layer(IFC_ELEMENTS)
        if level <= Level.BUILDING:
            inside = elements["building_id"].astype(object).isin(buildings).to_numpy()
        else:
            below = {object_id, *_descendants(city, object_id)}
            inside = elements["parent_id"].astype(object).isin(below).to_numpy()
        selected += elements["id"].astype(str).to_numpy()[inside].tolist()
    return mesh_ids[np.isin(mesh_ids, selected)].tolist()


def _descendants(city: City, object_id: str) -> list[str]:
    """Every row below ``object_id`` (a storey's spaces)."""
    hierarchy = city.hierarchy
    level = hierarchy.level_of(object_id)
    found: list[str] = []
    for lower in Level:
        if lower > level:
            found += hierarchy.descendants_at(object_id, lower)
    return found
