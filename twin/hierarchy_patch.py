"""The hierarchy index after rows of one level were added or removed, without rebuilding it.

Rebuilding :class:`~twin.hierarchy.HierarchyIndex` hashes every id of every level (a fifth of
a second for 100 000 buildings and their parcels). When a change only adds or removes rows of
one layer (a building demolished or drawn), :func:`patched_hierarchy` moves the codes instead:
the other levels keep their ids, their parent links and their per-level indexes; only the
added rows' parent ids are looked up. The result is the index :meth:`HierarchyIndex.from_frames`
would build from the new frames, orphans included. Where that is not sure (an added id that an
orphan names, a parent at the wrong level, a repeated id), it gives None: the City then
rebuilds the index, and the rebuild reports the error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.hierarchy import HierarchyIndex
from twin.levels import Level


def patched_hierarchy(
    hierarchy: HierarchyIndex, level: Level, source: np.ndarray, frame: pd.DataFrame
) -> HierarchyIndex | None:
    """The index once the layer of ``level`` holds ``frame``'s rows.

    Args:
        hierarchy: the index of the City before the change.
        level: the level whose layer changed.
        source: for each row of ``frame``, its row in the layer before (-1: added). Kept rows
            keep their id and parent id.
        frame: the layer's new frame.

    Returns:
        The new index, or None when it must be rebuilt from the frames.
    """
    start, end = hierarchy.level_block(level)
    source = np.asarray(source, dtype=np.int64)
    if len(source) == end - start and np.array_equal(source, np.arange(len(source))):
        return hierarchy  # the same rows: ids and parent ids are those of the old rows
    kept = source >= 0
    if len(source) != len(frame) or (kept.any() and int(source[kept].max()) >= end - start):
        return None
    added = np.flatnonzero(~kept)
    ids = hierarchy.ids
    new_ids = _block_ids(ids[start:end], source, frame, added)
    if new_ids is None:
        return None
    # Old code → new code (-1: removed).
    n_old = len(ids)
    shift = len(source) - (end - start)
    remap = np.arange(n_old, dtype=np.int64)
    remap[end:] += shift
    inverse = np.full(end - start, -1, dtype=np.int64)
    inverse[source[kept]] = np.flatnonzero(kept)
    remap[start:end] = np.where(inverse >= 0, start + inverse, -1)
    old_parents = hierarchy.parents
    mapped = np.where(old_parents >= 0, remap[np.maximum(old_parents, 0)], -1)
    lost = np.flatnonzero((old_parents >= 0) & (mapped < 0))  # children of removed rows
    block_parents = np.full(len(source), -1, dtype=np.int64)
    block_parents[kept] = mapped[start + source[kept]]
    orphan_parents = hierarchy._orphan_parents
    if len(added) and np.isin(orphan_parents, new_ids[added]).any():
        return None  # an orphan would find its parent: rebuild
    found = _added_parents(hierarchy, level, frame, added, new_ids, remap)
    if found is None:
        return None
    added_parents, added_orphans, added_orphan_ids = found
    block_parents[added] = added_parents
    parents = np.concatenate([mapped[:start], block_parents, mapped[end:]])
    block_levels = np.full(len(source), int(level), dtype=np.int8)
    levels = np.concatenate([hierarchy.levels[:start], block_levels, hierarchy.levels[end:]])
    all_ids = np.concatenate([ids[:start], new_ids, ids[end:]])
    old_orphans = hierarchy._orphans
    still = remap[old_orphans] >= 0
    orphans = np.concatenate([remap[old_orphans[still]], remap[lost], start + added_orphans])
    orphan_ids = np.concatenate(
        [orphan_parents[still], ids[old_parents[lost]], added_orphan_ids]
    ).astype(object)
    order = np.argsort(orphans, kind="stable")
    patched = HierarchyIndex(all_ids, levels, parents)
    patched._orphans = orphans[order].astype(np.int64)
    patched._orphan_parents = orphan_ids[order]
    patched._level_indexes = {
        key: value for key, value in hierarchy._level_indexes.items() if key != int(level)
    }
    return patched


def _block_ids(
    old: np.ndarray, source: np.ndarray, frame: pd.DataFrame, added: np.ndarray
) -> np.ndarray | None:
    """The level's ids in the new frame's order: kept ones from the index, added ones read."""
    if len(added) and "id" not in frame.columns:
        return None
    read = frame["id"].iloc[added].astype(str).to_numpy(dtype=object) if len(added) else added
    n = len(old)
    if len(source) >= n and np.array_equal(source[:n], np.arange(n)) and (source[n:] < 0).all():
        return np.concatenate([old, read]).astype(object)  # rows appended: no gather
    out = np.empty(len(source), dtype=object)
    kept = source >= 0
    out[kept] = old[source[kept]]
    out[added] = read
    return out


def _added_parents(
    hierarchy: HierarchyIndex,
    level: Level,
    frame: pd.DataFrame,
    added: np.ndarray,
    block_ids: np.ndarray,
    remap: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """New codes of the added rows' parents (-1: none), and which of them are orphans (their
    positions in the block and the parent ids they name); None when the index must be
    rebuilt (a repeated id, or a parent at the same or a lower level)."""
    none = (np.full(len(added), -1, dtype=np.int64), np.empty(0, np.int64), np.empty(0, object))
    if not len(added):
        return none
    added_ids = block_ids[added]
    others = [o for o in Level if o != level and _has_rows(hierarchy, o)]
    for other in others:
        if (hierarchy.level_index(other).get_indexer(added_ids) >= 0).any():
            return None  # an id used at two levels: the rebuild says which
    if "parent_id" not in frame.columns:
        return none
    raw = frame["parent_id"].iloc[added]
    has = (raw.notna() & (raw.astype(str) != "")).to_numpy(dtype=bool)
    wanted = raw.astype(str).to_numpy(dtype=object)
    parents = np.full(len(added), -1, dtype=np.int64)
    if has.any():
        if frame["id"].isin(wanted[has]).any():
            return None  # a parent at the same level
        for other in others:
            positions = hierarchy.level_index(other).get_indexer(wanted)
            hit = has & (positions >= 0)
            if not hit.any():
                continue
            if int(other) > int(level):
                return None  # a parent at a lower level
            start, _ = hierarchy.level_block(other)
            parents[hit] = remap[start + positions[hit]]
    orphans = np.flatnonzero(has & (parents < 0))
    return parents, added[orphans], wanted[orphans]


def _has_rows(hierarchy: HierarchyIndex, level: Level) -> bool:
    start, end = hierarchy.level_block(level)
    return end > start
