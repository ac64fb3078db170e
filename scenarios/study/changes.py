"""What a scenario changes, read from the Cities before and after it (not from its edits, so
bases, undo and any future edit kind are covered alike).

A building is *new* when its id is only in the scenario's City, *demolished* when it is only
in the compared one, and *changed* when one of :data:`WATCHED_COLUMNS` (footprint, floors,
height, floor area, use, use mix, dwellings, DPE class, retrofit target) differs. Other layers
count the rows the scenario adds (stops, lines, planned digital assets, roads) and the parcels
it de-seals: they shape the study's site.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scenarios.edits.refusals import refuse
from twin.city import City

logger = logging.getLogger(__name__)

BUILDINGS = "buildings"
WATCHED_COLUMNS = (
    "floors",
    "height_m",
    "floor_area_m2",
    "use",
    "use_mix",
    "dwellings",
    "energy_class",
    "retrofit_target",
)
#: Layers whose new rows (or, for parcels, de-sealed rows) locate a scenario's other edits.
FEATURE_LAYERS = ("transit_stops", "transit_routes", "digital_assets", "roads")


@dataclass(frozen=True)
class Changes:
    """The buildings and features a scenario adds, changes or removes.

    Attributes:
        before, after: the buildings layers compared (before: the baseline or the compared
            scenario).
        new_ids, changed_ids, demolished_ids: building ids, in their layer's order.
        features: geometries of the other rows the scenario adds or changes, with a
            ``layer`` column.
        new_road_length_m: length of the roads the scenario adds.
    """

    before: gpd.GeoDataFrame
    after: gpd.GeoDataFrame
    new_ids: list[str]
    changed_ids: list[str]
    demolished_ids: list[str]
    features: gpd.GeoDataFrame
    new_road_length_m: float

    @property
    def studied_ids(self) -> list[str]:
        """New then changed buildings: those the study equips and connects."""
        return [*self.new_ids, *self.changed_ids]

    def studied(self) -> gpd.GeoDataFrame:
        """The new and changed buildings' rows after the scenario, new first."""
        frame = self.after.set_index("id", drop=False)
        return frame.loc[self.studied_ids].reset_index(drop=True)

    def status_of(self) -> dict[str, str]:
        """``new`` or ``changed`` by building id."""
        return {**dict.fromkeys(self.new_ids, "new"), **dict.fromkeys(self.changed_ids, "changed")}

    def is_empty(self) -> bool:
        """True when the scenario changes no building and adds no located feature."""
        return not (self.new_ids or self.changed_ids or self.demolished_ids or len(self.features))


def scenario_changes(before: City, after: City) -> Changes:
    """Compare the buildings and other layers of two Cities.

    Raises:
        InvalidInputError: the project has no buildings layer.
    """
    if BUILDINGS not in before or BUILDINGS not in after:
        raise refuse(
            "study_no_buildings",
            "the project has no buildings layer; the study needs buildings: import them "
            "first (`twin import`).",
        )
    old, new = before.layer(BUILDINGS), after.layer(BUILDINGS)
    old_ids = old["id"].astype(str)
    new_ids = new["id"].astype(str)
    added = new_ids[~new_ids.isin(old_ids)].tolist()
    removed = old_ids[~old_ids.isin(new_ids)].tolist()
    changed = _changed_ids(old, new)
    features, road_m = _features(before, after)
    logger.info(
        "scenario changes: %d new, %d changed, %d demolished buildings, %d other features",
        len(added),
        len(changed),
        len(removed),
        len(features),
    )
    return Changes(old, new, added, changed, removed, features, road_m)


def _changed_ids(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> list[str]:
    """Ids in both frames whose footprint or a watched column differs (NA equal to NA)."""
    left = old.assign(id=old["id"].astype(str)).set_index("id")
    right = new.assign(id=new["id"].astype(str)).set_index("id")
    common = right.index[right.index.isin(left.index)]
    left, right = left.loc[common], right.loc[common]
    differs = ~shapely.equals_exact(
        left.geometry.to_numpy(), right.geometry.to_numpy(), tolerance=0.0
    )
    for column in WATCHED_COLUMNS:
        if column not in left.columns or column not in right.columns:
            continue
        a, b = left[column].astype(object), right[column].astype(object)
        both_missing = (a.isna() & b.isna()).to_numpy()
        equal = (a == b).fillna(False).to_numpy(dtype=bool)
        differs |= ~(equal | both_missing)
    return common[differs].tolist()


def _features(before: City, after: City) -> tuple[gpd.GeoDataFrame, float]:
    """The other rows a scenario adds (or de-seals), and the length of the roads it adds."""
    ids: list[np.ndarray] = []
    layers: list[np.ndarray] = []
    geometries: list[np.ndarray] = []
    road_m = 0.0
    rows = [(layer, _added(before, after, layer)) for layer in FEATURE_LAYERS]
    for layer, frame in [*rows, ("parcels", _desealed(before, after))]:
        if frame is None or not len(frame):
            continue
        geometry = frame.geometry.to_numpy()
        keep = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
        if layer == "roads":
            road_m = float(shapely.length(geometry[keep]).sum())
        ids.append(frame["id"].astype(str).to_numpy()[keep])
        layers.append(np.full(int(keep.sum()), layer, dtype=object))
        geometries.append(geometry[keep])
    return (
        gpd.GeoDataFrame(
            {
                "id": np.concatenate(ids) if ids else np.empty(0, dtype=object),
                "layer": np.concatenate(layers) if layers else np.empty(0, dtype=object),
            },
            geometry=np.concatenate(geometries) if geometries else np.empty(0, dtype=object),
            crs=after.crs,
        ),
        road_m,
    )


def _added(before: City, after: City, layer: str) -> gpd.GeoDataFrame | None:
    """Rows of ``layer`` the scenario's City has and the compared one does not."""
    if layer not in after:
        return None
    frame = after.layer(layer)
    known = before.layer(layer)["id"].astype(str) if layer in before else pd.Series([], dtype=str)
    return frame[~frame["id"].astype(str).isin(known)]


def _desealed(before: City, after: City) -> gpd.GeoDataFrame | None:
    """Parcels whose de-sealed area the scenario changed."""
    column = "desealed_area_m2"
    if "parcels" not in after or "parcels" not in before:
        return None
    new = after.layer("parcels")
    if column not in new.columns:
        return None
    old = before.layer("parcels").set_index(before.layer("parcels")["id"].astype(str))[column]
    was = old.reindex(new["id"].astype(str)).astype("float64").fillna(0.0).to_numpy()
    now = new[column].astype("float64").fillna(0.0).to_numpy()
    return new[np.abs(now - was) > 1e-9]
