"""Ids of digital-infrastructure rows: emitters of one mobile site merged, repeated ids of
cable sections numbered, missing ids given.

ANFR publishes one row per emitter (a station's ``LTE 800``, ``LTE 1800``, ``NR 3500`` ...):
rows sharing a station id become one site with all its technologies. A fibre route's sections
often share their cable's code: they are all kept, as ``CODE``, ``CODE#2``, ``CODE#3`` ....
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from importers.digital_vocab import MOBILE_ORDER
from twin.issues import Issue, Severity


def fill_missing_ids(
    frame: gpd.GeoDataFrame, source: str, issues: list[Issue], prefix: str
) -> gpd.GeoDataFrame:
    """Rows without an id get ``PREFIX-<row>`` (one info issue); repeated ids are kept."""
    missing = frame["id"].isna().to_numpy()
    if not missing.any():
        return frame
    ids = frame["id"].astype(object).to_numpy().copy()
    ids[missing] = (f"{prefix}-" + pd.Series(np.flatnonzero(missing)).astype(str)).to_numpy()
    issues.append(
        Issue(
            Severity.INFO,
            "id_missing",
            f"{int(missing.sum())} feature(s) without an identifier numbered {prefix}-ROW",
            source,
        )
    )
    return frame.assign(id=pd.Series(ids, index=frame.index).astype(str))


def number_repeated_ids(
    frame: gpd.GeoDataFrame, source: str, issues: list[Issue], prefix: str
) -> gpd.GeoDataFrame:
    """Missing ids given, then the second, third ... row of an id renamed ``ID#2``, ``ID#3``.

    >>> frame = gpd.GeoDataFrame({"id": ["C1", "C1", None, "C2"]})
    >>> number_repeated_ids(frame, "f", [], "f")["id"].tolist()
    ['C1', 'C1#2', 'f-2', 'C2']
    """
    frame = fill_missing_ids(frame, source, issues, prefix)
    rank = frame.groupby("id", sort=False).cumcount().to_numpy() + 1
    repeated = rank > 1
    if not repeated.any():
        return frame
    ids = frame["id"].astype(str).to_numpy().astype(object)
    ids[repeated] = (
        pd.Series(ids[repeated]) + "#" + pd.Series(rank[repeated]).astype(str)
    ).to_numpy()
    issues.append(
        Issue(
            Severity.INFO,
            "id_repeated_numbered",
            f"{int(repeated.sum())} section(s) repeat the id of an earlier one (sections of one "
            "cable); numbered ID#2, ID#3 ...",
            source,
            str(ids[repeated][0]),
        )
    )
    return frame.assign(id=ids)


def merge_emitters(frame: gpd.GeoDataFrame, source: str, issues: list[Issue]) -> gpd.GeoDataFrame:
    """One row per mobile site id: technologies joined, earliest year, greatest height,
    ``existing`` if any emitter is; other values and the place from the site's first row."""
    repeated = frame["id"].duplicated(keep="first").to_numpy()
    if not repeated.any():
        return frame
    groups = frame.groupby("id", sort=False)
    out = frame[~repeated].set_index("id", drop=False)
    words = frame[["id", "technology"]].assign(
        technology=frame["technology"].astype("string").str.split(",")
    )
    words = words.explode("technology").dropna().drop_duplicates()
    rank = words["technology"].map({name: n for n, name in enumerate(MOBILE_ORDER)})
    words = words.assign(rank=rank.fillna(len(MOBILE_ORDER))).sort_values(
        ["rank", "technology"], kind="stable"
    )
    joined = words.groupby("id", sort=False)["technology"].agg(",".join)
    out["technology"] = joined.reindex(out.index).astype("string")
    out["year"] = groups["year"].min().reindex(out.index)
    if "height_m" in frame:
        out["height_m"] = groups["height_m"].max().reindex(out.index)
    existing = frame["status"].eq("existing").groupby(frame["id"], sort=False).any()
    out["status"] = out["status"].where(~existing.reindex(out.index).to_numpy(), "existing")
    issues.append(
        Issue(
            Severity.INFO,
            "emitters_merged",
            f"{len(frame)} rows (one per emitter) merged into {len(out)} mobile site(s)",
            source,
            str(frame["id"][repeated].iloc[0]),
        )
    )
    return out.reset_index(drop=True)
