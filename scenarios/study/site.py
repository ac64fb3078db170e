"""The study's site: the parcels and features a scenario touches, plus a buffer.

The *core* is the union of the parcels of the new, changed and demolished buildings (the parcel
each hangs from, ``parent_id``; a building without a known parcel counts by its footprint), the
footprints themselves, and the other features the scenario adds (stops, lines, planned digital
assets, roads) or de-seals (parcels). The *site* is the core grown by ``study.site_buffer_m``:
the initial digital state is read there. The districts (IRIS) the core touches are named; a site
whose buildings lie mostly in whole-commune IRIS (type ``Z``: communes too small to be divided,
rural ones) is *rural*: the rural cost per premise and cell radius apply to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from scenarios.study.changes import Changes
from twin.city import City

RURAL_IRIS_TYPE = "Z"


@dataclass(frozen=True)
class Site:
    """Where the study looks.

    Attributes:
        geometry: the site (core + buffer); empty when the scenario touches nothing located.
        core: what the scenario touches, before the buffer.
        buffer_m: the buffer.
        parcel_ids: parcels touched (in the core).
        district_ids, district_names: districts the core touches.
        rural: whether the studied buildings lie mostly in whole-commune IRIS (type Z).
    """

    geometry: BaseGeometry
    core: BaseGeometry
    buffer_m: float
    parcel_ids: tuple[str, ...]
    district_ids: tuple[str, ...]
    district_names: tuple[str, ...]
    rural: bool

    @property
    def area_ha(self) -> float:
        """Area of the site in hectares (0 when empty)."""
        return float(self.geometry.area) / 10_000.0

    @property
    def is_empty(self) -> bool:
        """True when the scenario touches nothing located."""
        return bool(self.geometry.is_empty)


def study_site(before: City, after: City, changes: Changes, buffer_m: float) -> Site:
    """The site of a scenario (see the module's documentation)."""
    touched = _touched_buildings(changes)
    parcel_ids = _parcels_of(before, after, touched)
    parts = [touched.geometry.to_numpy(), changes.features.geometry.to_numpy()]
    if parcel_ids and "parcels" in after:
        parcels = after.layer("parcels")
        chosen = parcels["id"].astype(str).isin(parcel_ids).to_numpy()
        parts.append(parcels.geometry.to_numpy()[chosen])
    geometries = np.concatenate(parts) if parts else np.empty(0, dtype=object)
    core = shapely.union_all(geometries) if len(geometries) else shapely.Polygon()
    geometry = core.buffer(buffer_m) if not core.is_empty else shapely.Polygon()
    district_ids, names, rural = _districts(after, core, touched)
    return Site(geometry, core, buffer_m, tuple(parcel_ids), district_ids, names, rural)


def _touched_buildings(changes: Changes) -> gpd.GeoDataFrame:
    """New and changed buildings as they are after, demolished ones as they were."""
    after = changes.after[changes.after["id"].astype(str).isin(changes.studied_ids)]
    gone = changes.before[changes.before["id"].astype(str).isin(changes.demolished_ids)]
    columns = ["id", "parent_id", "geometry"]
    return gpd.GeoDataFrame(pd.concat([after[columns], gone[columns]], ignore_index=True))


def _parcels_of(before: City, after: City, touched: gpd.GeoDataFrame) -> list[str]:
    """Parcels the touched buildings hang from, and the de-sealed ones, in id order."""
    ids = set(touched["parent_id"].dropna().astype(str))
    known: set[str] = set()
    for city in (before, after):
        if "parcels" in city:
            known |= set(city.layer("parcels")["id"].astype(str))
    return sorted(ids & known)


def _districts(
    city: City, core: BaseGeometry, touched: gpd.GeoDataFrame
) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """Districts the core touches, their names, and whether the buildings are rural."""
    if "districts" not in city or core.is_empty:
        return (), (), False
    districts = city.layer("districts")
    geometry = districts.geometry.to_numpy()
    hit = shapely.intersects(geometry, core) & ~shapely.touches(geometry, core)
    ids = tuple(districts["id"].astype(str)[hit])
    names_column = districts["name"] if "name" in districts.columns else districts["id"]
    names = tuple(names_column.fillna(districts["id"]).astype(str)[hit])
    if "iris_type" not in districts.columns:
        return ids, names, False
    points = shapely.point_on_surface(
        touched.geometry.to_numpy() if len(touched) else np.array([core])
    )
    tree = shapely.STRtree(geometry)
    _, district_index = tree.query(points, predicate="within")
    types = districts["iris_type"].astype(str).to_numpy()[district_index]
    rural = int((types == RURAL_IRIS_TYPE).sum()) * 2 > len(points)
    return ids, names, rural


def site_paragraph(site: Site, changes: Changes) -> tuple[str, dict[str, object]]:
    """The paragraph ``initial_state.site`` and its values."""
    return (
        "initial_state.site",
        {
            "parcels": len(site.parcel_ids),
            "features": len(changes.features),
            "buildings": len(changes.studied_ids) + len(changes.demolished_ids),
            "buffer_m": (site.buffer_m, "m"),
            "area_ha": (site.area_ha, "ha"),
            "districts": ", ".join(site.district_names),
            "district_ids": list(site.district_ids),
            "context": "rural" if site.rural else "urban",
        },
    )
