"""Reading the ``digital_assets`` layer (twin/catalogue.py ``DIGITAL_ASSETS``): which rows exist,
the FTTH status of premises, the technologies of mobile sites, the network's points.

The catalogue has no column for a premise's FTTH status yet: it is read from an extra column
``ftth_status`` (written by the digital importer; or ``statut``, as in ARCEP's *Ma connexion
internet* files) and normalised to ``connectable``, ``on_demand`` (raccordable à la demande),
``in_progress``, ``targeted``, ``not_connectable`` or ``unknown``.

Example:
    >>> ftth_status(pd.Series(["raccordable", "Raccordable à la demande", "non raccordable",
    ...                        None, "in_progress", "en cours de déploiement"])).tolist()
    ['connectable', 'on_demand', 'not_connectable', 'unknown', 'in_progress', 'in_progress']
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from twin.city import City

LAYER = "digital_assets"
#: The statuses of premises, as the digital importer writes them (``ftth_status``), and unknown.
FTTH_STATUSES = (
    "connectable",
    "on_demand",
    "in_progress",
    "targeted",
    "not_connectable",
    "unknown",
)
STATUS_COLUMNS = ("ftth_status", "statut")
NETWORK_LINES = ("fibre_cable", "fibre_duct")
LAYINGS = ("underground", "overhead", "facade", "unknown")
#: Spacing (m) of the points taken along existing cables and ducts as starts of new ducts.
NETWORK_POINT_SPACING_M = 5.0
#: Technologies a mobile site must carry to count for coverage (unknown counts too).
COVERAGE_TECHNOLOGIES = ("4G", "5G")


def digital_layer(city: City) -> gpd.GeoDataFrame | None:
    """The City's digital assets, or None when it has no such layer."""
    return city.layer(LAYER) if LAYER in city else None


def existing_rows(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows whose status is not ``planned`` (unknown status counts as existing)."""
    planned = frame["status"].astype("string").str.lower().eq("planned").fillna(False)
    return frame[~planned.to_numpy(dtype=bool)]


def of_kind(frame: gpd.GeoDataFrame, *kinds: str) -> gpd.GeoDataFrame:
    """Rows of the given kinds."""
    return frame[frame["kind"].isin(kinds).to_numpy(dtype=bool)]


def counts(frame: pd.DataFrame) -> np.ndarray:
    """Units each row stands for (``count``, 1 where missing)."""
    if "count" not in frame.columns:
        return np.ones(len(frame))
    return pd.to_numeric(frame["count"], errors="coerce").fillna(1).to_numpy(dtype="float64")


def ftth_status(values: pd.Series) -> pd.Series:
    """Normalised FTTH status of premises (see the module's documentation)."""
    text = (
        values.astype("string")
        .str.lower()
        .str.normalize("NFKD")
        .str.encode("ascii", "ignore")
        .str.decode("ascii")
        .str.strip()
    )
    on_demand = text.str.contains("demande|demand", regex=True).fillna(False)
    in_progress = text.str.contains("en cours|progress|travaux", regex=True).fillna(False)
    targeted = text.str.contains("cible|prevu|target|planifie", regex=True).fillna(False)
    refused = text.str.match(r"^(non|not|no|pas)\b|^(ineligible|not_)", na=False)
    accepted = text.str.contains("raccordable|connectable|eligible", regex=True).fillna(False)
    out = np.select(
        [text.isin(FTTH_STATUSES).fillna(False), on_demand, in_progress, targeted, refused,
         accepted | text.isin(["oui", "yes", "true", "1"]).fillna(False)],
        [text.fillna("unknown"), "on_demand", "in_progress", "targeted", "not_connectable",
         "connectable"],
        "unknown",
    )  # fmt: skip
    return pd.Series(out, index=values.index, dtype=object)


def premises_status(frame: gpd.GeoDataFrame) -> pd.Series:
    """FTTH status of premises rows, ``unknown`` when no status column is there."""
    for column in STATUS_COLUMNS:
        if column in frame.columns:
            return ftth_status(frame[column])
    return pd.Series("unknown", index=frame.index, dtype=object)


def laying_of(frame: pd.DataFrame) -> pd.Series:
    """How each cable is laid: underground, overhead, facade, else unknown."""
    raw = frame["laying"].astype("string").str.lower() if "laying" in frame.columns else None
    if raw is None:
        return pd.Series("unknown", index=frame.index, dtype=object)
    return raw.where(raw.isin(LAYINGS[:-1]), "unknown").fillna("unknown").astype(object)


def technologies(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per mobile site and technology: ``operator``, ``technology``
    (``2G,4G`` → two rows; none → ``unknown``)."""
    operator = (
        frame["operator"].astype("string").fillna("unknown")
        if "operator" in frame.columns
        else pd.Series("unknown", index=frame.index)
    )
    text = frame["technology"] if "technology" in frame.columns else pd.Series(pd.NA, frame.index)
    split = text.astype("string").fillna("unknown").str.upper().str.split(r"[,;/ ]+", regex=True)
    long = pd.DataFrame({"operator": operator.to_numpy(), "technology": split.to_numpy()})
    long = long.explode("technology")
    long = long[long["technology"].astype(str).str.len() > 0]
    long["technology"] = long["technology"].replace("UNKNOWN", "unknown")
    return long.reset_index(drop=True)


def covering_sites(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Mobile sites carrying 4G or 5G (or of unknown technology)."""
    sites = of_kind(frame, "mobile_site")
    if "technology" not in sites.columns:
        return sites
    text = sites["technology"].astype("string").str.upper()
    good = text.str.contains("|".join(COVERAGE_TECHNOLOGIES), regex=True).fillna(True)
    return sites[good.to_numpy(dtype=bool)]


def network_points(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Points new ducts may start from: along existing cables and ducts every
    :data:`NETWORK_POINT_SPACING_M` (their vertices and points between), and connection points.

    Example:
        >>> lines = gpd.GeoDataFrame({"kind": ["fibre_cable"], "status": ["existing"]},
        ...     geometry=[shapely.LineString([(0, 0), (12, 0)])])
        >>> shapely.get_coordinates(network_points(lines))[:, 0].tolist()
        [0.0, 4.0, 8.0, 12.0]
    """
    rows = existing_rows(frame)
    lines = of_kind(rows, *NETWORK_LINES).geometry.to_numpy()
    lines = lines[~(shapely.is_missing(lines) | shapely.is_empty(lines))]
    coords = shapely.get_coordinates(shapely.segmentize(lines, NETWORK_POINT_SPACING_M))
    points = of_kind(rows, "connection_point").geometry.to_numpy()
    points = points[~(shapely.is_missing(points) | shapely.is_empty(points))]
    coords = np.vstack([coords, shapely.get_coordinates(points)]) if len(points) else coords
    unique = np.unique(np.round(coords, 2), axis=0) if len(coords) else coords
    return shapely.points(unique) if len(unique) else np.empty(0, dtype=object)
