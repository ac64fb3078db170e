"""The buildings, storeys, spaces and ifc_elements layers of an IFC model.

Footprints and outlines are unions of the elements' outlines (made batch by batch as the
meshes came, :mod:`importers.ifc_batches`; merged here with :mod:`importers.ifc_outlines`),
heights and base elevations come from their z, areas and volumes from the quantity sets (else
from the geometry), uses from the rooms' names (:mod:`importers.ifc_uses`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from importers.ifc_batches import ElementGeometry, tree_positions
from importers.ifc_outlines import merge_outlines
from importers.ifc_rows import (
    Context,
    area_by_owner,
    building_rows,
    space_rows,
    storey_rows,
)
from twin.issues import Issue


def make_layers(
    context: Context,
    geometry: ElementGeometry,
    elements: gpd.GeoDataFrame,
    issues: list[Issue],
) -> dict[str, gpd.GeoDataFrame]:
    """The four layers (buildings without any geometry are reported and left out);
    ``elements`` is the ifc_elements layer (:func:`importers.ifc_rows.element_rows`)."""
    tree = context.tree
    building_pos = {b.id(): i for i, b in enumerate(tree.buildings)}
    object_building, object_storey, object_space = (
        geometry.building,
        geometry.storey,
        geometry.space,
    )
    storey_building = tree_positions(
        [s.id() for s in tree.storeys], tree, building_pos, ("building",)
    )

    structure, roofs = geometry.structure, geometry.roofs
    is_space = object_space >= 0
    shapes = geometry.outlines
    storey_shapes = merge_outlines(
        shapes, np.where(structure, object_storey, -1), len(tree.storeys)
    )
    bare = shapely.is_missing(storey_shapes)
    if bare.any():  # a storey without walls or slabs: the outline of its spaces
        spaces_of_bare = is_space & (object_storey >= 0) & bare[object_storey]
        fill = merge_outlines(shapes, np.where(spaces_of_bare, object_storey, -1), len(bare))
        storey_shapes = np.where(bare, fill, storey_shapes)
    space_shapes = np.full(len(tree.spaces), None, dtype=object)
    space_shapes[object_space[is_space]] = geometry.space_outlines[is_space]
    loose = (structure & (object_storey < 0)) | roofs
    footprints = merge_outlines(
        np.concatenate([storey_shapes, shapes[loose]]),
        np.concatenate([storey_building, object_building[loose]]),
        len(tree.buildings),
    )
    bare = shapely.is_missing(footprints)
    if bare.any():  # no wall, slab or roof: any element of the building
        mine = (object_building >= 0) & bare[object_building]
        fallback = geometry.outlines_of(mine)
        footprints = np.where(
            bare,
            merge_outlines(fallback, np.where(mine, object_building, -1), len(bare)),
            footprints,
        )
    shift = geometry.origin[:2]
    footprints, storey_shapes, space_shapes = (
        shapely.transform(np.asarray(g, dtype=object), lambda c: c + shift)
        for g in (footprints, storey_shapes, space_shapes)
    )

    bottom = np.full(len(tree.buildings), np.inf)
    top = np.full(len(tree.buildings), -np.inf)
    inside = object_building >= 0
    np.minimum.at(bottom, object_building[inside], geometry.z_min[inside])
    np.maximum.at(top, object_building[inside], geometry.z_max[inside])

    volumes = np.full(len(tree.spaces), np.nan)
    volumes[object_space[is_space]] = geometry.volumes_m3[is_space]
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
