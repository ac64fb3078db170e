"""Source vocabularies (BD TOPO, OpenStreetMap, cadastre) mapped onto the twin's uses.

docs/uses.md documents these tables; keep them in step.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from twin.uses import BuildingUse as U

#: BD TOPO v3 ``usage_1`` / ``usage_2`` values.
BDTOPO_USAGE: dict[str, str] = {
    "Résidentiel": U.RESIDENTIAL,
    "Commercial et services": U.RETAIL,
    "Annexe": U.ANNEX,
    "Agricole": U.INDUSTRIAL,
    "Industriel": U.INDUSTRIAL,
    "Religieux": U.PUBLIC,
    "Sportif": U.PUBLIC,
    "Indifférencié": U.UNKNOWN,
}

#: BD TOPO v3 ``nature`` values, used when the usage says nothing ("Indifférencié").
BDTOPO_NATURE: dict[str, str] = {
    "Église": U.PUBLIC,
    "Chapelle": U.PUBLIC,
    "Arc de triomphe": U.PUBLIC,
    "Monument": U.PUBLIC,
    "Tour, donjon": U.PUBLIC,
    "Château": U.PUBLIC,
    "Fort, blockhaus, casemate": U.ANNEX,
    "Industriel, agricole ou commercial": U.INDUSTRIAL,
    "Serre": U.INDUSTRIAL,
    "Silo": U.INDUSTRIAL,
    "Tribune": U.PUBLIC,
    "Moulin à vent": U.ANNEX,
    "Construction légère": U.ANNEX,
}

#: OpenStreetMap ``building=*`` values (``yes`` says nothing: see :func:`osm_uses`).
OSM_BUILDING: dict[str, str] = {
    **dict.fromkeys(
        [
            "house",
            "detached",
            "apartments",
            "residential",
            "terrace",
            "semidetached_house",
            "bungalow",
            "dormitory",
            "farm",
            "cabin",
            "houseboat",
            "static_caravan",
        ],
        U.RESIDENTIAL,
    ),
    **dict.fromkeys(["office", "offices"], U.OFFICE),
    **dict.fromkeys(
        ["commercial", "retail", "supermarket", "kiosk", "shop", "hotel", "restaurant"], U.RETAIL
    ),
    **dict.fromkeys(
        [
            "industrial",
            "warehouse",
            "manufacture",
            "factory",
            "farm_auxiliary",
            "barn",
            "agricultural",
            "greenhouse",
            "cowshed",
            "stable",
            "sty",
            "silo",
            "storage_tank",
            "hangar",
            "service",
            "transformer_tower",
            "digester",
        ],
        U.INDUSTRIAL,
    ),
    **dict.fromkeys(
        [
            "school",
            "university",
            "college",
            "kindergarten",
            "hospital",
            "church",
            "chapel",
            "cathedral",
            "mosque",
            "synagogue",
            "temple",
            "religious",
            "civic",
            "public",
            "government",
            "townhall",
            "sports_hall",
            "sports_centre",
            "stadium",
            "fire_station",
            "train_station",
            "transportation",
            "library",
            "museum",
            "community_centre",
            "clinic",
        ],
        U.PUBLIC,
    ),
    **dict.fromkeys(
        [
            "garage",
            "garages",
            "shed",
            "carport",
            "roof",
            "hut",
            "toilets",
            "parking",
            "bunker",
            "ruins",
            "construction",
        ],
        U.ANNEX,
    ),
}

#: Etalab cadastre ``batiments`` ``type``: "01" permanent building, "02" light building.
CADASTRE_TYPE: dict[str, str] = {"01": U.UNKNOWN, "02": U.ANNEX}


def _fold(text: str) -> str:
    """Lower case without accents: older BD TOPO deliveries write "Eglise", "Indifferencie"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _without_accents(values: pd.Series, table: dict[str, str]) -> dict[str, str]:
    """The table keyed by every distinct source value that matches a key without accents."""
    folded = {_fold(key): use for key, use in table.items()}
    return {
        value: folded[_fold(value)]
        for value in values.dropna().unique()
        if isinstance(value, str) and _fold(value) in folded
    }


def bdtopo_uses(
    usage_1: pd.Series, usage_2: pd.Series | None = None, nature: pd.Series | None = None
) -> pd.Series:
    """BD TOPO usages (and nature) as twin uses.

    Two different main usages (other than an annex) make a MIXED building; an undifferentiated
    usage falls back on the nature ("Église" → public).

    >>> bdtopo_uses(pd.Series(["Résidentiel", "Résidentiel", "Indifférencié", None]),
    ...             pd.Series([None, "Commercial et services", None, None]),
    ...             pd.Series([None, None, "Église", None])).tolist()
    ['residential', 'mixed', 'public', 'unknown']
    >>> bdtopo_uses(pd.Series(["Indifferencie"]), nature=pd.Series(["Eglise"])).tolist()
    ['public']
    """
    usage_1 = usage_1.astype(object)
    first = usage_1.map(_without_accents(usage_1, BDTOPO_USAGE)).fillna(U.UNKNOWN).astype(object)
    if usage_2 is not None:
        usage_2 = usage_2.astype(object)
        second = usage_2.map(_without_accents(usage_2, BDTOPO_USAGE)).astype(object)
        mixed = (
            second.notna()
            & (second != first)
            & ~second.isin([U.ANNEX, U.UNKNOWN])
            & ~first.isin([U.ANNEX, U.UNKNOWN])
        )
        first[mixed.to_numpy()] = U.MIXED
    if nature is not None:
        nature = nature.astype(object)
        from_nature = nature.map(_without_accents(nature, BDTOPO_NATURE)).astype(object)
        fill = (first == U.UNKNOWN) & from_nature.notna()
        first[fill.to_numpy()] = from_nature[fill]
    return first.astype(str)


def osm_uses(
    building: pd.Series, shop: pd.Series | None = None, amenity: pd.Series | None = None
) -> pd.Series:
    """OSM ``building=*`` values (helped by ``shop`` and ``amenity`` tags) as twin uses.

    >>> osm_uses(pd.Series(["house", "yes", "yes", "garage"]),
    ...          shop=pd.Series([None, "bakery", None, None])).tolist()
    ['residential', 'retail', 'unknown', 'annex']
    """
    uses = building.map(OSM_BUILDING).astype(object)
    unknown = uses.isna().to_numpy(copy=True)
    if shop is not None:
        with_shop = unknown & shop.notna().to_numpy()
        uses[with_shop] = U.RETAIL
        unknown &= ~with_shop
    if amenity is not None:
        public = {
            "school",
            "townhall",
            "hospital",
            "library",
            "place_of_worship",
            "college",
            "kindergarten",
            "university",
            "fire_station",
            "police",
            "community_centre",
        }
        with_amenity = unknown & amenity.isin(public).to_numpy()
        uses[with_amenity] = U.PUBLIC
    return pd.Series(np.where(pd.isna(uses), U.UNKNOWN, uses), index=building.index).astype(str)
