"""Turn ImportResults into a City: add rows, link them into the hierarchy, keep provenance.

Rows whose id already exists replace the old row (re-importing a corrected file updates it);
rows without a parent are linked by largest overlap to the nearest level above that is present
(a building to its parcel, else its district, else its commune); when communes exist and no
territory does, the study territory is made as their union.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely

from importers.base import ImportResult
from importers.linking import largest_overlap
from twin.city import City
from twin.levels import LEVEL_LAYERS, Level

logger = logging.getLogger(__name__)

TERRITORY_ID = "territoire"


@dataclass
class MergeReport:
    """What a merge changed: rows added and replaced per layer, links made."""

    added: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    linked: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The report as a few lines for the user."""
        out = [f"  {name}: {count} rows added" for name, count in self.added.items()]
        out += [
            f"  {name}: {count} rows replaced" for name, count in self.replaced.items() if count
        ]
        out += [f"  {name}: {count} rows linked to a parent" for name, count in self.linked.items()]
        return out


def merge_result(city: City, result: ImportResult) -> MergeReport:
    """Put one import's layers, files and provenance into the City."""
    report = MergeReport()
    for name, frame in result.layers.items():
        if name in city:
            existing = set(city.layer(name)["id"])
            replaced = [i for i in frame["id"].astype(str) if i in existing]
            if replaced:
                city.drop_rows(name, replaced)
            report.replaced[name] = len(replaced)
            city.append_rows(name, frame, source=result.provenance.source)
        else:
            city.set_layer(name, frame, source=result.provenance.source)
        report.added[name] = len(frame) - report.replaced.get(name, 0)
    for raster in result.rasters.values():
        city.set_raster(raster)
    for stored in result.files:
        city.files[stored.name] = stored
    city.provenance.append(result.provenance)
    ensure_territory(city)
    report.linked = link_parents(city)
    city.ensure_origin()
    return report


def ensure_territory(city: City) -> None:
    """Make the study territory as the union of the communes when there is none yet."""
    if "communes" not in city or "territory" in city:
        return
    communes = city.layer("communes")
    outline = shapely.coverage_union_all(communes.geometry.to_numpy())
    name = city.name or "Territoire d'étude"
    territory = gpd.GeoDataFrame(
        {"id": [TERRITORY_ID], "parent_id": [None], "name": [name], "kind": ["study_area"]},
        geometry=[outline],
        crs=city.crs,
    )
    city.set_layer("territory", territory, source="union of the communes")


def link_parents(city: City) -> dict[str, int]:
    """Give every row without a parent the row above it that it overlaps most."""
    linked: dict[str, int] = {}
    for level in (Level.COMMUNE, Level.DISTRICT, Level.PARCEL, Level.BUILDING):
        name = LEVEL_LAYERS[level]
        if name not in city:
            continue
        frame = city.layer(name)
        known = set(city.hierarchy.ids)
        parent = frame["parent_id"]
        missing = parent.isna() | ~parent.isin(known)
        if not missing.any():
            continue
        found = pd.Series(pd.NA, index=frame.index[missing], dtype=object)
        for upper in reversed(range(int(level))):
            upper_name = LEVEL_LAYERS[Level(upper)]
            todo = found.isna()
            if upper_name not in city or not todo.any():
                continue
            candidates = frame.geometry[missing][todo]
            found[todo] = largest_overlap(candidates, city.layer(upper_name))
        new = found.dropna()
        if len(new):
            ids = frame.loc[new.index, "id"].tolist()
            city.update_values(name, ids, {"parent_id": new.tolist()})
            linked[name] = len(new)
            logger.info("linked %d %s to a parent by overlap", len(new), name)
    return linked
