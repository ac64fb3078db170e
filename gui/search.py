"""Find hierarchy rows by id or name (exact or prefix, case-insensitive), vectorised; no Qt."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from twin.city import City
from twin.hierarchy import HierarchyIndex
from twin.levels import LEVEL_LAYERS

logger = logging.getLogger(__name__)


def hierarchy_names(city: City | None, hierarchy: HierarchyIndex | None) -> np.ndarray:
    """The ``name`` of every hierarchy row, aligned with the index's codes (None where absent).

    The index numbers rows level by level in layer order (see
    :meth:`~twin.hierarchy.HierarchyIndex.from_frames`); the names are concatenated the same way.
    """
    if city is None or hierarchy is None:
        return np.empty(0, dtype=object)
    frames = [city.layer(name) for _, name in sorted(LEVEL_LAYERS.items()) if name in city]
    series = [
        frame["name"] if "name" in frame.columns else pd.Series([None] * len(frame), dtype=object)
        for frame in frames
    ]
    names = pd.concat(series, ignore_index=True).astype(object).to_numpy() if series else []
    if len(names) != len(hierarchy):
        logger.warning("hierarchy names do not align with the index; showing ids")
        return np.full(len(hierarchy), None, dtype=object)
    return np.asarray(names, dtype=object)


class HierarchySearch:
    """Search the ids and names of all hierarchy rows of a City.

    Matches come best first: exact id, exact name, id prefix, name prefix (each in hierarchy
    order, territory first); letter case is ignored. Build it again after the City changes.
    """

    def __init__(self, city: City) -> None:
        hierarchy = city.hierarchy
        self._ids = hierarchy.ids.astype(str)
        names = pd.Series(hierarchy_names(city, hierarchy), dtype=object)
        self._folded_ids = pd.Series(self._ids, dtype=object).str.casefold()
        self._folded_names = names.where(names.map(lambda v: isinstance(v, str)), "").str.casefold()

    def find(self, text: str, limit: int = 100) -> list[str]:
        """Ids of the rows matching ``text``, best first, at most ``limit``."""
        key = text.strip().casefold()
        if not key:
            return []
        tiers = (
            (self._folded_ids == key).to_numpy(),
            (self._folded_names == key).to_numpy(),
            self._folded_ids.str.startswith(key).to_numpy(),
            self._folded_names.str.startswith(key).to_numpy(),
        )
        seen = np.zeros(len(self._ids), dtype=bool)
        found: list[str] = []
        for mask in tiers:
            new = np.flatnonzero(mask & ~seen)
            seen[new] = True
            found.extend(self._ids[new[: limit - len(found)]].tolist())
            if len(found) >= limit:
                break
        return found
