"""OpenStreetMap tags → the columns of the ``buildings`` and ``roads`` layers.

Each tag is parsed for the whole layer at once (see :mod:`importers.osm_tags`); every value
present but unreadable becomes an Issue ``<what>_unparseable`` naming the feature.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from importers.osm_tags import (
    is_walkable,
    join_address,
    parse_count,
    parse_length_m,
    parse_oneway,
    parse_year,
)
from importers.uses import osm_uses
from twin.issues import Issue, Severity

Parser = Callable[[pd.Series], tuple[pd.Series, pd.Series]]


def building_columns(
    tags: pd.DataFrame, importer: str, source: str, issues: list[Issue]
) -> pd.DataFrame:
    """Building columns from tags (one row per building, with an ``id`` column).

    Heights are left as measured (``height_m`` from ``height``); completing them is the
    caller's job (:func:`importers.heights.complete_heights`).
    """

    def parsed(key: str, parser: Parser, what: str) -> pd.Series:
        return parse_reported(tags[key], parser, what, tags["id"], source, issues)

    return pd.DataFrame(
        {
            "id": tags["id"],
            "parent_id": None,
            "name": tags["name"],
            "use": osm_uses(tags["building"], tags["shop"], tags["amenity"]),
            "height_m": parsed("height", parse_length_m, "height"),
            "floors": parsed("building:levels", parse_count, "levels"),
            "dwellings": parsed("building:flats", parse_count, "flats"),
            "construction_year": construction_years(tags["start_date"], tags["id"], source, issues),
            "source": importer,
            "osm_building": tags["building"],
            "address": join_address(tags["addr:housenumber"], tags["addr:street"]),
            "roof_shape": tags["roof:shape"],
            "roof_height_m": parsed("roof:height", parse_length_m, "roof_height"),
            "roof_levels": parsed("roof:levels", parse_count, "roof_levels"),
            "min_height_m": parsed("min_height", parse_length_m, "min_height"),
            "min_level": parsed("building:min_level", parse_count, "min_level"),
        },
        index=tags.index,
    )


def road_columns(
    tags: pd.DataFrame, importer: str, source: str, issues: list[Issue]
) -> pd.DataFrame:
    """Road columns from the tags of highway ways (with an ``id`` column)."""
    ids = tags["id"]
    return pd.DataFrame(
        {
            "id": ids,
            "name": tags["name"],
            "kind": tags["highway"],
            "lanes": parse_reported(tags["lanes"], parse_count, "lanes", ids, source, issues),
            "width_m": parse_reported(tags["width"], parse_length_m, "width", ids, source, issues),
            "oneway": parse_oneway(tags["oneway"], tags["highway"], tags["junction"]),
            "walkable": is_walkable(tags["highway"], tags["foot"]),
            "source": importer,
            "ref": tags["ref"],
        },
        index=tags.index,
    )


def construction_years(
    start_date: pd.Series, ids: pd.Series, source: str, issues: list[Issue]
) -> pd.Series:
    """Years of ``start_date`` values that are dates; others (``C12``) reported, left empty."""
    years = parse_reported(start_date, parse_year, "start_date", ids, source, issues)
    outside = years.notna() & ((years < 1000) | (years > 2100))
    for row in np.flatnonzero(outside.to_numpy()):
        issues.append(
            Issue(
                Severity.WARNING,
                "start_date_unparseable",
                f"start_date year {years.iloc[row]} is outside 1000-2100; left empty",
                source,
                str(ids.iloc[row]),
            )
        )
    return years.mask(outside)


def parse_reported(
    values: pd.Series,
    parser: Parser,
    what: str,
    ids: pd.Series,
    source: str,
    issues: list[Issue],
) -> pd.Series:
    """Parse one tag with ``parser``; report each value present but unreadable."""
    parsed, bad = parser(values)
    for row in np.flatnonzero(bad.to_numpy()):
        issues.append(
            Issue(
                Severity.WARNING,
                f"{what}_unparseable",
                f"{what.replace('_', ' ')} '{values.iloc[row]}' cannot be read; left empty",
                source,
                str(ids.iloc[row]),
            )
        )
    return parsed
