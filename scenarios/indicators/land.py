"""Land take (ZAN): what a scenario seals, de-seals, reuses and builds, against its baseline.

These indicators compare a scenario City with the baseline City it was made from (buildings
and parcels matched by ``id``); on the baseline itself they are all 0.

- **Newly sealed** (``newly_sealed_m2``): for each building of the scenario that is new or
  whose footprint changed, its footprint minus its overlap with the baseline's footprints:
  ground that had no building before. Only buildings are known to seal: a building on a
  former car park counts as newly sealed (an over-estimate where the ground was already
  paved). Baseline footprints are taken as not overlapping each other (true of BD TOPO and the
  cadastre up to slivers).
- **De-sealed** (``desealed_m2``): the growth of ``parcels.desealed_area_m2`` (set by the
  de-seal edit) over the baseline. Demolishing a building does **not** count as de-sealing:
  the law counts land as de-artificialised only once it is restored to soil or vegetation
  (renaturation), which a demolition alone does not do. The footprint demolished and not
  rebuilt is shown apart (``demolished_not_rebuilt_m2``) as land that *could* be de-sealed.
- **Net sealing** (``net_sealed_m2``): newly sealed − de-sealed.
- **Floor area reused** (``floor_area_reused_m2``): in buildings kept from the baseline, the
  floor area whose use changed: ``½ Σ |new share − old share|`` over the uses, times the
  smaller of the old and new gross floor areas (a building turned wholly from offices to
  housing reuses all its floor area; one whose use mix moves 20 % from housing to shops reuses
  20 %). **Floor area built** (``floor_area_built_m2``): new buildings' gross floor area, plus
  what kept buildings gained (added storeys). ``floor_area_reused_share`` = reused / (reused +
  built), in %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from scenarios.indicators.land_demolition import demolished_indicator, uncovered_area
from scenarios.indicators.measure_context import MeasureContext
from scenarios.indicators.measures import FLOOR_AREA_BY_USE
from scenarios.indicators.plans import (
    BUILDING_UP,
    PARCEL_UP,
    Difference,
    Ratio,
    Sum,
    measure_group,
    plan_indicators,
)
from scenarios.indicators.workspace import Workspace

GROUP = "land"
_FLOOR_AREA_INPUTS = ("floors", "height_m", "use", "use_mix", "floor_area_m2", "geometry")


def aligned_rows(ctx: MeasureContext, layer: str) -> np.ndarray:
    """For each row of ``layer`` in the City, its row in the baseline (-1: new)."""
    base = ctx.baseline

    def align() -> np.ndarray:
        ids = ctx.workspace.frame(layer)["id"].astype(str).to_numpy(dtype=object)
        if base is ctx.workspace or not len(ids):
            return np.arange(len(ids))
        old = base.frame(layer)
        if "id" not in old.columns:
            return np.full(len(ids), -1)
        old_ids = old["id"].astype(str).to_numpy(dtype=object)
        head = min(len(ids), len(old_ids))  # copy-on-write keeps rows in order: often a prefix
        if len(ids) >= len(old_ids) and np.array_equal(ids[:head], old_ids[:head]):
            tail = pd.Index(old_ids).get_indexer(ids[head:])
            return np.concatenate([np.arange(head), tail])
        return np.asarray(pd.Index(old_ids).get_indexer(ids), dtype=np.int64)

    key = ctx.workspace.data_key(layer) + base.data_key(layer)
    return ctx.workspace.remember(f"aligned:{layer}", key, align)


def changed_footprints(ctx: MeasureContext, rows: np.ndarray) -> np.ndarray:
    """Which buildings are new or have another footprint than in the baseline."""
    geometry = ctx.geometry()
    old = ctx.baseline.frame("buildings")
    changed = rows < 0
    kept = np.flatnonzero(~changed)
    if len(kept) and len(old):
        before = old.geometry.to_numpy()[rows[kept]]
        same = shapely.equals_exact(geometry[kept], before, tolerance=0.0)
        changed[kept] = ~np.asarray(same, dtype=bool)
    return changed


def _tree(workspace: Workspace) -> tuple[np.ndarray, shapely.STRtree]:
    def build() -> tuple[np.ndarray, shapely.STRtree]:
        frame = workspace.frame("buildings")
        shapes = frame.geometry.to_numpy() if len(frame) else np.empty(0, dtype=object)
        return shapes, shapely.STRtree(shapes)

    return workspace.remember("footprint_tree", workspace.data_key("buildings", "geometry"), build)


@measure_group(
    "land_sealing",
    "buildings",
    ("newly_sealed_m2",),
    ("buildings.geometry", "baseline:buildings.geometry"),
    rowwise=True,
)
def land_sealing(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Footprint of each scenario building on ground no baseline building covered (m²)."""
    sealed = np.zeros(ctx.n)
    if ctx.baseline is ctx.workspace or not ctx.n:
        return {"newly_sealed_m2": sealed}
    rows = ctx.take(aligned_rows(ctx, "buildings"))
    changed = np.flatnonzero(changed_footprints(ctx, rows))
    if len(changed):
        others, tree = _tree(ctx.baseline)
        sealed[changed] = uncovered_area(ctx.geometry()[changed], others, tree)
    return {"newly_sealed_m2": sealed}


@measure_group(
    "land_reuse",
    "buildings",
    ("floor_area_reused_m2", "floor_area_built_m2", "floor_area_reused_or_built_m2"),
    tuple(f"baseline:buildings.{c}" for c in _FLOOR_AREA_INPUTS),
    needs=("floor_area",),
    rowwise=True,
)
def land_reuse(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Floor area whose use changed in kept buildings, and floor area added (m²)."""
    new_total = ctx.measure("floor_area_m2")
    if ctx.baseline is ctx.workspace or not ctx.n:
        zeros = np.zeros(ctx.n)
        return dict.fromkeys(("floor_area_reused_m2", "floor_area_built_m2"), zeros) | {
            "floor_area_reused_or_built_m2": zeros
        }
    rows = ctx.take(aligned_rows(ctx, "buildings"))
    kept = rows >= 0
    safe = np.where(kept, rows, 0)
    old_total = np.where(kept, ctx.baseline.measure("floor_area_m2")[safe], 0.0)
    new_by_use = np.column_stack([ctx.measure(m) for m in FLOOR_AREA_BY_USE])
    old_by_use = np.column_stack([ctx.baseline.measure(m)[safe] for m in FLOOR_AREA_BY_USE])
    both = kept & (old_total > 0) & (new_total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = 0.5 * np.abs(new_by_use / new_total[:, None] - old_by_use / old_total[:, None]).sum(
            axis=1
        )
    reused = np.where(both, np.clip(moved, 0.0, 1.0) * np.minimum(old_total, new_total), 0.0)
    built = np.where(kept, np.maximum(new_total - old_total, 0.0), new_total)
    return {
        "floor_area_reused_m2": reused,
        "floor_area_built_m2": built,
        "floor_area_reused_or_built_m2": reused + built,
    }


@measure_group(
    "land_desealing",
    "parcels",
    ("desealed_m2",),
    ("parcels.desealed_area_m2", "baseline:parcels.desealed_area_m2"),
    rowwise=True,
)
def land_desealing(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """De-sealed area of each parcel added by the scenario (m²)."""
    now = np.nan_to_num(ctx.numbers("desealed_area_m2"))
    if ctx.baseline is ctx.workspace or not ctx.n:
        return {"desealed_m2": np.zeros(ctx.n)}
    rows = ctx.take(aligned_rows(ctx, "parcels"))
    old_frame = ctx.baseline.frame("parcels")
    old = (
        pd.to_numeric(old_frame["desealed_area_m2"], errors="coerce").fillna(0.0).to_numpy()
        if "desealed_area_m2" in old_frame.columns
        else np.zeros(len(old_frame))
    )
    before = np.where(rows >= 0, old[np.maximum(rows, 0)] if len(old) else 0.0, 0.0)
    return {"desealed_m2": now - before}


NEWLY_SEALED = plan_indicators(
    "newly_sealed_m2",
    "Surface nouvellement artificialisée (bâti)",
    "m2",
    BUILDING_UP,
    Sum("newly_sealed_m2"),
    "Footprint of new or enlarged buildings outside the baseline's footprints.",
    group=GROUP,
)
DESEALED = plan_indicators(
    "desealed_m2",
    "Surface désartificialisée",
    "m2",
    PARCEL_UP,
    Sum("desealed_m2"),
    "Area de-sealed and greened on the parcels (parcels.desealed_area_m2) beyond the "
    "baseline; demolition alone does not count.",
    group=GROUP,
)
NET_SEALED = plan_indicators(
    "net_sealed_m2",
    "Artificialisation nette",
    "m2",
    PARCEL_UP,
    Difference(Sum("newly_sealed_m2"), Sum("desealed_m2")),
    "Newly sealed area minus de-sealed area.",
    group=GROUP,
)
REUSED = plan_indicators(
    "floor_area_reused_m2",
    "Surface de plancher réutilisée (changement d'usage)",
    "m2",
    BUILDING_UP,
    Sum("floor_area_reused_m2"),
    "Floor area of kept buildings whose use changed (half the sum of the changes of the use "
    "shares × the floor area).",
    group=GROUP,
)
BUILT = plan_indicators(
    "floor_area_built_m2",
    "Surface de plancher construite",
    "m2",
    BUILDING_UP,
    Sum("floor_area_built_m2"),
    "Gross floor area of new buildings and of what kept buildings gained.",
    group=GROUP,
)
REUSED_SHARE = plan_indicators(
    "floor_area_reused_share",
    "Part de surface réutilisée plutôt que construite",
    "%",
    BUILDING_UP,
    Ratio(Sum("floor_area_reused_m2"), Sum("floor_area_reused_or_built_m2"), 100.0),
    "Floor area reused / (reused + built), NaN where the scenario neither reuses nor builds.",
    group=GROUP,
)
DEMOLISHED = {level: demolished_indicator(level, GROUP) for level in PARCEL_UP}
