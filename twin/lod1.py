"""LoD1 meshes of a City's buildings: footprint + base elevation + height, rebuilt on demand."""

from __future__ import annotations

import numpy as np

from twin.city import City
from twin.extrude import extrude_footprints
from twin.mesh import MeshStore


def building_meshes(city: City, layer: str = "buildings") -> MeshStore:
    """Extrude the buildings of ``city`` into one MeshStore relative to the City's origin.

    Buildings without a height get no faces (they keep their place in the store, so face →
    building lookups stay valid); a missing base elevation counts as 0 m.
    """
    buildings = city.layer(layer)
    base = buildings["base_elevation_m"].to_numpy(dtype="float64", na_value=0.0)
    height = buildings["height_m"].to_numpy(dtype="float64", na_value=np.nan)
    return extrude_footprints(
        buildings.geometry.to_numpy(),
        base,
        height,
        buildings["id"].to_numpy(dtype=str),
        city.ensure_origin(),
    )
