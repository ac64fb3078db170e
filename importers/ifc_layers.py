"""The buildings, storeys, spaces and ifc_elements layers of an IFC model.

Footprints and outlines come from the placed meshes (:mod:`importers.ifc_outlines`),
heights and base elevations from their z, areas and volumes from the quantity sets (else from
the geometry), uses from the rooms' names (:mod:`importers.ifc_uses`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from importers.ifc_geometry import FOOTPRINT_CLASSES, STOREY_OUTLINE_CLASSES, with_subtypes
from importers.ifc_hierarchy import Hierarchy
from importers.ifc_mesh import PlacedMeshes
from importers.ifc_outlines import clean_outlines, element_outlines, merge_outlines
from importers.ifc_rows import (
    Context,
    area_by_owner,
    building_rows,
    space_rows,
    storey_rows,
)
from twin.issues import Issue


def make_layers(
    context: Context, elements: gpd.GeoDataFrame, issues: list[Issue]
) -> dict[str, gpd.GeoDataFrame]:
    """The four layers (buildings without any geometry are reported and left out);
    ``elements`` is the ifc_elements layer (:func:`importers.ifc_rows.element_rows`)."""
    tree, placed = context.tree, context.placed
    building_pos = {b.id(): i for i, b in enumerate(tree.buildings)}
    storey_pos = {s.id(): i for i, s in enumerate(tree.storeys)}
    space_pos = {s.id(): i for i, s in enumerate(tree.spaces)}
    object_building = _positions(placed.step_ids, tree, building_pos, ("building",))
    object_storey = _positions(placed.step_ids, tree, storey_pos, ("storey",))
    object_space = np.array([space_pos.get(int(i), -1) for i in placed.step_ids], dtype=np.int64)
    storey_building = _positions(
        np.array([s.id() for s in tree.storeys], dtype=np.int64), tree, building_pos, ("building",)
    )

    schema = context.model.schema_identifier
    structure = np.isin(placed.classes, list(with_subtypes(schema, STOREY_OUTLINE_CLASSES)))
    roofs = np.isin(placed.classes, list(with_subtypes(schema, FOOTPRINT_CLASSES))) & ~structure
    is_space = object_space >= 0
    shapes = _element_outlines(placed, structure | roofs | is_space)
    storey_shapes = merge_outlines(
        shapes, np.where(structure, object_storey, -1), len(tree.storeys)
    )
    bare = shapely.is_missing(storey_shapes)
    if bare.any():  # a storey without walls or slabs: the outline of its spaces
        spaces_of_bare = is_space & (object_storey >= 0) & bare[object_storey]
        fill = merge_outlines(shapes, np.where(spaces_of_bare, object_storey, -1), len(bare))
        storey_shapes = np.where(bare, fill, storey_shapes)
    space_shapes = np.full(len(tree.spaces), None, dtype=object)
    space_shapes[object_space[is_space]] = clean_outlines(shapes[is_space])
    loose = (structure & (object_storey < 0)) | roofs
    footprints = merge_outlines(
        np.concatenate([storey_shapes, shapes[loose]]),
        np.concatenate([storey_building, object_building[loose]]),
        len(tree.buildings),
    )
    bare = shapely.is_missing(footprints)
    if bare.any():  # no wall, slab or roof: any element of the building
        mine = (object_building >= 0) & bare[object_building]
        fallback = _element_outlines(placed, mine)
        footprints = np.where(
            bare,
            merge_outlines(fallback, np.where(mine, object_building, -1), len(bare)),
            footprints,
        )
    shift = placed.origin[:2]
    footprints, storey_shapes, space_shapes = (
        shapely.transform(np.asarray(g, dtype=object), lambda c: c + shift)
        for g in (footprints, storey_shapes, space_shapes)
    )

    bottom = np.full(len(tree.buildings), np.inf)
    top = np.full(len(tree.buildings), -np.inf)
    inside = object_building >= 0
    np.minimum.at(bottom, object_building[inside], placed.z_min[inside])
    np.maximum.at(top, object_building[inside], placed.z_max[inside])

    volumes = np.full(len(tree.spaces), np.nan)
    volumes[object_space[is_space]] = placed.volumes_m3[is_space]
    spaces = space_rows(context, space_shapes, volumes)
    space_area = area_by_owner(
        spaces[0]["area_m2"].to_numpy(dtype=float), spaces[1]["storey_pos"], len(tree.storeys)
    )
    storeys = storey_rows(context, storey_shapes, bottom, space_area)
    buildings = building_rows(context, footprints, bottom, top, storeys, spaces, issues)
    return {
        "buildings": buildings,
        "storeys": storeys[0],
        "spaces": spaces[0],
        "ifc_elements": elements,
    }


def _element_outlines(placed: PlacedMeshes, wanted: np.ndarray) -> np.ndarray:
    return element_outlines(
        placed.xyz[:, :2], placed.store.faces, placed.store.face_object_index(), wanted
    )


def _positions(
    step_ids: np.ndarray, tree: Hierarchy, positions: dict[int, int], kinds: tuple[str, ...]
) -> np.ndarray:
    out = np.full(len(step_ids), -1, dtype=np.int64)
    for row, step_id in enumerate(step_ids.tolist()):
        if step_id in positions:
            out[row] = positions[step_id]
            continue
        above = tree.ancestor(step_id, kinds)
        if above is not None:
            out[row] = positions.get(above, -1)
    return out
