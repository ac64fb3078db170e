"""The footprint a scenario demolishes and does not rebuild: land that could be de-sealed.

For each baseline building that the scenario removes or reshapes, the part of its footprint no
scenario building covers, summed per unit of a level through the *baseline's* hierarchy (the
building is gone from the scenario's) and shown on the scenario's units. It is not counted as
de-sealed (see :mod:`scenarios.indicators.land`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import shapely

from scenarios.indicators.base import IndicatorSpec, indicator
from scenarios.indicators.plans import LEVEL_TITLES
from twin.city import City
from twin.hierarchy import UNASSIGNED
from twin.levels import LEVEL_LAYERS, Level


def uncovered_area(shapes: np.ndarray, others: np.ndarray, tree: shapely.STRtree) -> np.ndarray:
    """Area of each shape outside ``others`` (taken as not overlapping each other)."""
    if not len(shapes):
        return np.empty(0)
    pairs = tree.query(shapes, predicate="intersects")
    overlap = shapely.area(shapely.intersection(shapes[pairs[0]], others[pairs[1]]))
    covered = np.bincount(pairs[0], weights=overlap, minlength=len(shapes))
    return np.maximum(np.nan_to_num(shapely.area(shapes)) - covered, 0.0)


def demolished_not_rebuilt(city: City, level: Level, baseline: City | None) -> pd.Series:
    """Footprint (m²) of baseline buildings removed or reshaped and not covered again."""
    units = city.hierarchy.level_index(level).rename("id")  # kept by the hierarchy
    zeros = pd.Series(0.0, index=units)
    if baseline is None or baseline is city or "buildings" not in baseline:
        return zeros
    old = baseline.layer("buildings")
    new = city.layer("buildings") if "buildings" in city else old.iloc[:0]
    old_ids = old["id"].astype(str).to_numpy(dtype=object)
    rows = pd.Index(new["id"].astype(str).to_numpy(dtype=object)).get_indexer(old_ids)
    old_shapes, new_shapes = old.geometry.to_numpy(), new.geometry.to_numpy()
    touched = rows < 0
    kept = np.flatnonzero(~touched)
    if len(kept):
        same = shapely.equals_exact(old_shapes[kept], new_shapes[rows[kept]], tolerance=0.0)
        touched[kept] = ~np.asarray(same, dtype=bool)
    selected = np.flatnonzero(touched)
    if not len(selected):
        return zeros
    lost = uncovered_area(old_shapes[selected], new_shapes, shapely.STRtree(new_shapes))
    ancestors = baseline.hierarchy.ancestor_at(old_ids[selected], level)
    target = pd.Series(ancestors, dtype=object).where(
        pd.Series(ancestors, dtype=object).isin(units), UNASSIGNED
    )
    sums = pd.Series(lost).groupby(target.to_numpy()).sum()
    result = zeros.reindex(units.append(pd.Index([UNASSIGNED])), fill_value=0.0)
    result.loc[sums.index] += sums.to_numpy()
    if UNASSIGNED not in sums.index:
        result = result.drop(UNASSIGNED)
    return result


def demolished_indicator(level: Level, group: str) -> Callable[..., pd.Series]:
    """Register ``demolished_not_rebuilt_m2_<level>``."""
    climbed = [LEVEL_LAYERS[Level(n)] for n in range(int(Level.BUILDING), int(level), -1)]
    spec = IndicatorSpec(
        f"demolished_not_rebuilt_m2_{level.name.lower()}",
        f"Emprise démolie non reconstruite ({LEVEL_TITLES[level]})",
        "m2",
        level,
        (
            "buildings.geometry",
            "buildings.id",
            "baseline:buildings.geometry",
            *(f"baseline:{name}.parent_id" for name in climbed),
            f"{LEVEL_LAYERS[level]}.id",
        ),
        "Footprint of baseline buildings demolished or reshaped that no scenario building "
        "covers: land that could be de-sealed (not counted as de-sealed).",
        measure="demolished_not_rebuilt_m2",
        group=group,
    )

    def compute(city: City, *, baseline: City | None = None) -> pd.Series:
        return demolished_not_rebuilt(city, level, baseline)

    compute.__name__ = compute.__qualname__ = spec.name
    compute.__doc__ = spec.meaning
    return indicator(spec)(compute)
