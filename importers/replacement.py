"""A detailed model (IFC) takes the place of the LoD1 block it stands on."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from twin.city import City

#: Share of either footprint the two must have in common for the model to replace the block.
MIN_SHARED_FOOTPRINT = 0.5
DETAILED_SOURCES = ("ifc",)


def replace_blocks(
    city: City, incoming: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, dict[str, list[str]]]:
    """Drop the LoD1 blocks that incoming detailed buildings stand on, and link those
    buildings to the blocks' parcels.

    A block is replaced when it and the model share at least half of either footprint (a
    model drawn a little larger or smaller than the cadastre's block still replaces it). The
    model takes over the block's ``parent_id`` (its parcel) unless it has one already.

    Returns:
        The incoming buildings (parents filled in) and, per model id, the ids it replaced
        (kept in the import's provenance, so what was replaced stays traceable).
    """
    if "buildings" not in city or "source" not in incoming.columns:
        return incoming, {}
    detailed = incoming["source"].isin(DETAILED_SOURCES).to_numpy()
    blocks = city.layer("buildings")
    blocks = blocks[~blocks["source"].isin(DETAILED_SOURCES).to_numpy()]
    if not detailed.any() or not len(blocks):
        return incoming, {}
    models = incoming.geometry.to_numpy()[detailed]
    model_rows = np.flatnonzero(detailed)
    model_pos, block_pos = blocks.sindex.query(models, predicate="intersects")
    if not len(model_pos):
        return incoming, {}
    block_geometry = blocks.geometry.to_numpy()[block_pos]
    shared = shapely.area(shapely.intersection(models[model_pos], block_geometry))
    ratio = np.maximum(
        shared / np.maximum(shapely.area(block_geometry), 1e-9),
        shared / np.maximum(shapely.area(models[model_pos]), 1e-9),
    )
    pairs = pd.DataFrame(
        {"model": model_rows[model_pos], "block": block_pos, "shared": shared, "ratio": ratio}
    )
    pairs = pairs[pairs["ratio"] >= MIN_SHARED_FOOTPRINT]
    if pairs.empty:
        return incoming, {}
    incoming = incoming.copy()
    if "parent_id" not in incoming.columns:
        incoming["parent_id"] = None
    block_ids = blocks["id"].to_numpy()
    block_parents = blocks["parent_id"].to_numpy()
    replaced: dict[str, list[str]] = {}
    for model, group in pairs.groupby("model"):
        model_id = str(incoming["id"].iloc[model])
        replaced[model_id] = [str(block_ids[b]) for b in group["block"]]
        main = int(group.sort_values("shared", ascending=False)["block"].iloc[0])
        if pd.isna(incoming["parent_id"].iloc[model]):
            incoming.loc[incoming.index[model], "parent_id"] = block_parents[main]
    dropped = [block for blocks_of_model in replaced.values() for block in blocks_of_model]
    city.drop_rows("buildings", dropped)
    return incoming, replaced
