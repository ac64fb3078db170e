"""Which rows a scenario adds, changes or removes against the baseline, and the colours that
mark them in the 3D view (no Qt).

A row is *new* when its id is not in the baseline, *changed* when any of its values or its
geometry differs (NaN equal to NaN), *removed* when its id is only in the baseline. Frames are
compared whole and vectorised (one comparison per column); a scenario that left a layer alone
shares the baseline's very frame, which costs nothing.

In the view, marked buildings keep a little of their colour (use, or the column coloured by)
under a strong tint: green for new, strong blue for changed — no use colour is near either, and
both stay apart from the cyan of the selection. Besides the buildings (:data:`OBJECT_LAYERS`):
IFC rooms, whose new use is the point of a room-by-room edit, are only lightly tinted
(:data:`OUTLINED_MARK_STRENGTH`: their use colour stays the nearest) and outlined in the mark's
colour on their floor; stops, lines and digital equipment, drawn as points and lines of one
colour, get a halo of the mark's colour: a translucent bigger sphere around a point, a wider
line just under a line (:func:`mark_halos` makes the outlines and the halos).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyvista as pv
import shapely

from gui.drilldown_rows import object_boxes
from gui.scene import FIBRE_STYLE, IFC_MESHES, LINE_STYLES, POINT_STYLES, SceneLayer, hex_to_rgb
from gui.scene_meshes import ground_points, line_cells, outline_lines
from twin.city import City

NEW_COLOUR = "#12b04a"  # vivid green
CHANGED_COLOUR = "#1c5cff"  # strong blue (office is a pale grey-blue)
MARK_STRENGTH = 0.75  # share of the mark colour; the rest is the object's own colour
OUTLINED_MARK_STRENGTH = 0.3  # rooms: a light tint (under half: the use colour stays nearest)
#: City layers marked besides the buildings, in the legend's order.
OBJECT_LAYERS: tuple[str, ...] = ("spaces", "transit_stops", "transit_routes", "digital_assets")
#: The rooms: tinted in this (pickable) scene layer, the IFC model.
ROOMS_LAYER, ROOMS_SCENE_LAYER = "spaces", IFC_MESHES
#: Scene layers drawn with a halo around their marked objects: scene layer → City layer.
HALO_SOURCES: dict[str, str] = {
    "transit_stops": "transit_stops",
    "digital_points": "digital_assets",
    "transit_routes": "transit_routes",
    "fibre": "digital_assets",
}
HALO_POINT_PX = 10  # a point's halo is this much wider than the point
HALO_LINE_PX = 6  # a line's halo is this much wider than the line
HALO_POINT_OPACITY = 0.45  # the point shows through its halo
HALO_DROP_M = 0.3  # a line's halo lies this far under it: a casing on both sides, not a cover
ROOM_OUTLINE_PX = 4  # a marked room's outline on its floor
ROOM_OUTLINE_INSET_M = 0.15  # runs this far inside the room (clear of the walls)
ROOM_OUTLINE_LIFT_M = 0.05  # and this far above the floor
ROOM_OUTLINE_GROUND_LIFT_M = 0.3  # or above the terrain where it covers the floor


@dataclass(frozen=True)
class Marks:
    """The ids of a scenario's layer that are new, changed or removed against the baseline."""

    new: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    @property
    def any(self) -> bool:
        """Whether anything differs."""
        return bool(self.new or self.changed or self.removed)


def compare_rows(baseline: pd.DataFrame | None, scenario: pd.DataFrame | None) -> Marks:
    """What differs between two versions of a layer, row by row, matched by ``id`` (the
    first row of an id that appears twice).

    Example:
        >>> before = pd.DataFrame({"id": ["a", "b", "c"], "floors": [1, 2, None]})
        >>> after = pd.DataFrame({"id": ["a", "c", "d"], "floors": [1, 5, 3]})
        >>> marks = compare_rows(before, after)
        >>> sorted(marks.new), sorted(marks.changed), sorted(marks.removed)
        (['d'], ['c'], ['b'])
    """
    if baseline is scenario:
        return Marks()
    before_ids, before_rows = _first_rows(baseline)
    after_ids, after_rows = _first_rows(scenario)
    in_before = pd.Index(before_ids).get_indexer(after_ids)
    in_after = pd.Index(after_ids).get_indexer(before_ids)
    common = in_before >= 0
    changed = np.empty(0, dtype=str)
    if common.any() and baseline is not None and scenario is not None:
        old_rows, new_rows = before_rows[in_before[common]], after_rows[common]
        differs = np.zeros(int(common.sum()), dtype=bool)
        for column in dict.fromkeys([*baseline.columns, *scenario.columns]):
            if column != "id":
                differs |= _differs(baseline, scenario, column, old_rows, new_rows)
        changed = after_ids[common][differs]
    return Marks(
        frozenset(after_ids[~common].tolist()),
        frozenset(changed.tolist()),
        frozenset(before_ids[in_after < 0].tolist()),
    )


def marked_colours(rgb: np.ndarray, object_ids: np.ndarray, marks: Marks) -> np.ndarray:
    """``rgb`` ((n, 3) uint8, one row per object id) with new and changed objects tinted.

    Example:
        >>> rgb = np.full((3, 3), 200, dtype=np.uint8)
        >>> out = marked_colours(rgb, np.array(["a", "b", "c"]), Marks(frozenset({"b"})))
        >>> out[0].tolist() == [200, 200, 200], out[1].tolist() == out[2].tolist()
        (True, False)
    """
    return tinted(rgb, object_ids, mark_colours(marks))


def mark_colours(marks: Marks | None) -> dict[str, str]:
    """The mark colour of each new or changed id.

    Example:
        >>> mark_colours(Marks(frozenset({"a"}), frozenset({"b"}), frozenset({"c"})))
        {'b': '#1c5cff', 'a': '#12b04a'}
    """
    if marks is None:
        return {}
    return {
        **dict.fromkeys(sorted(marks.changed), CHANGED_COLOUR),
        **dict.fromkeys(sorted(marks.new), NEW_COLOUR),
    }


def tinted(
    rgb: np.ndarray,
    object_ids: np.ndarray,
    colours: Mapping[str, str],
    strength: float = MARK_STRENGTH,
) -> np.ndarray:
    """``rgb`` ((n, 3) uint8, one row per object id) with the objects named in ``colours``
    tinted toward their colour: ``strength`` is the share of the mark colour.

    Example:
        >>> rgb = np.zeros((2, 3), dtype=np.uint8)
        >>> tinted(rgb, np.array(["a", "b"]), {"b": "#ff0000"}).tolist()
        [[0, 0, 0], [191, 0, 0]]
        >>> tinted(rgb, np.array(["a", "b"]), {"b": "#ff0000"}, OUTLINED_MARK_STRENGTH)[1]
        array([76,  0,  0], dtype=uint8)
    """
    out = np.asarray(rgb, dtype=np.float64).copy()
    ids = np.asarray(object_ids).astype(str)
    for colour in sorted(set(colours.values())):
        wanted = np.array(sorted(k for k, c in colours.items() if c == colour), dtype=str)
        rows = np.isin(ids, wanted)
        tint = np.asarray(hex_to_rgb(colour), dtype=np.float64)
        out[rows] = (1 - strength) * out[rows] + strength * tint
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def object_marks(
    baseline: City | None,
    shown: City | None,
    cache: dict[str, tuple[object, object, Marks]] | None = None,
) -> dict[str, Marks]:
    """The rooms, stops, lines and equipment the City ``shown`` adds, changes or removes
    against ``baseline``: per layer of :data:`OBJECT_LAYERS` where something differs (empty
    for the baseline itself). ``cache`` keeps each layer's marks while its two frames stay."""
    if baseline is None or shown is None or shown is baseline:
        return {}
    known = cache if cache is not None else {}
    out: dict[str, Marks] = {}
    for name in OBJECT_LAYERS:
        before = baseline.layer(name) if name in baseline else None
        after = shown.layer(name) if name in shown else None
        entry = known.get(name)
        if entry is None or entry[0] is not before or entry[1] is not after:
            entry = (before, after, compare_rows(before, after))
            known[name] = entry
        if entry[2].any:
            out[name] = entry[2]
    return out


@dataclass(frozen=True)
class Halo:
    """What the 3D view draws around the marked objects of one scene layer in one colour:
    ``layer`` (None: nothing), shown while the scene layer ``follows`` is."""

    follows: str
    layer: SceneLayer | None
    opacity: float = 1.0


def mark_halos(city: City, marks: Mapping[str, Marks]) -> dict[str, Halo]:
    """The outlines of the new and changed rooms and the halos of the new and changed stops,
    lines and equipment of ``city``, by key (``marks:<scene layer>:new|changed``), every key
    present (``layer`` None where nothing is marked, so that the view takes an old one
    away)."""
    rooms = marks.get(ROOMS_LAYER, Marks())
    out: dict[str, Halo] = {}
    for state, colour, ids in (
        ("new", NEW_COLOUR, rooms.new),
        ("changed", CHANGED_COLOUR, rooms.changed),
    ):
        key = f"marks:{ROOMS_SCENE_LAYER}:{state}"
        outline = room_outlines(city, ids) if ids else None
        layer = None
        if outline is not None:
            layer = SceneLayer(key, outline, colour=colour, line_width=ROOM_OUTLINE_PX)
        out[key] = Halo(ROOMS_SCENE_LAYER, layer)
    for scene_layer, source in HALO_SOURCES.items():
        marked = marks.get(source, Marks())
        for state, colour, ids in (
            ("new", NEW_COLOUR, marked.new),
            ("changed", CHANGED_COLOUR, marked.changed),
        ):
            key = f"marks:{scene_layer}:{state}"
            layer = _halo_layer(city, key, scene_layer, source, ids, colour) if ids else None
            opacity = HALO_POINT_OPACITY if scene_layer in POINT_STYLES else 1.0
            out[key] = Halo(scene_layer, layer, opacity)
    return out


def room_outlines(city: City, ids: frozenset[str] | set[str]) -> Any:
    """The outlines of rooms ``ids`` on their floors: one PolyData of polylines relative to
    the City's origin, or None. Each room's outline (its ``spaces`` geometry, else its mesh's
    box) is inset by :data:`ROOM_OUTLINE_INSET_M` (kept whole where that leaves nothing) and
    lies :data:`ROOM_OUTLINE_LIFT_M` above the lowest point of its mesh, or just above the
    terrain where that is higher (a ground floor sunk in a slope, its floor hidden); a room
    without a mesh is not drawn, so not outlined."""
    store = city.meshes.get(ROOMS_SCENE_LAYER)
    if store is None or not store.n_objects or not ids:
        return None
    object_ids = store.object_ids.astype(str)
    wanted = np.isin(object_ids, sorted(ids)) & ~pd.Series(object_ids).duplicated().to_numpy()
    low, high = object_boxes(store.select(wanted))
    drawn = np.isfinite(low[:, 2])
    room_ids, low, high = object_ids[wanted][drawn], low[drawn], high[drawn]
    if not len(room_ids):
        return None
    shapes = np.full(len(room_ids), None, dtype=object)
    if ROOMS_LAYER in city:
        spaces = city.layer(ROOMS_LAYER)
        by_id = pd.Series(spaces.geometry.to_numpy(), index=spaces["id"].astype(str))
        shapes = by_id[~by_id.index.duplicated()].reindex(room_ids).to_numpy(dtype=object)
    shapes = np.array(shapes, dtype=object)  # a copy: frames hand out read-only arrays
    missing = shapely.is_missing(shapes) | shapely.is_empty(shapes)
    shapes[missing] = shapely.box(
        low[missing, 0], low[missing, 1], high[missing, 0], high[missing, 1]
    )
    inset = shapely.buffer(shapes, -ROOM_OUTLINE_INSET_M, join_style="mitre")
    inset = np.where(shapely.is_empty(inset) | shapely.is_missing(inset), shapes, inset)
    parts, room_of_part = shapely.get_parts(shapely.boundary(inset), return_index=True)
    coords, part_of_coord = shapely.get_coordinates(parts, return_index=True)
    if not len(coords):
        return None
    origin = np.asarray(city.ensure_origin(), dtype=np.float64)
    z = low[room_of_part[part_of_coord], 2] + ROOM_OUTLINE_LIFT_M
    terrain = city.rasters.get("terrain")
    if terrain is not None:  # a floor under the ground: the outline on the ground over it
        ground = terrain.sample(coords[:, 0], coords[:, 1]) + ROOM_OUTLINE_GROUND_LIFT_M
        z = np.where(np.isfinite(ground), np.maximum(z, ground), z)
    points = np.column_stack([coords - origin[:2], z - origin[2]]).astype(np.float32)
    counts = np.bincount(part_of_coord, minlength=len(parts))
    polydata: Any = pv.PolyData
    return polydata(points, lines=line_cells(counts[counts > 0]))


def _halo_layer(
    city: City, key: str, scene_layer: str, source: str, ids: frozenset[str], colour: str
) -> SceneLayer | None:
    """The halo of objects ``ids`` of City layer ``source`` drawn in scene layer
    ``scene_layer``: bigger points, or wider lines just under the lines."""
    if source not in city:
        return None
    frame = city.layer(source)
    geometry = frame.geometry.to_numpy()[frame["id"].astype(str).isin(sorted(ids)).to_numpy()]
    if scene_layer in POINT_STYLES:
        _source, _colour, size_px, lift_m = POINT_STYLES[scene_layer]
        points = ground_points(city, geometry, lift_m)
        if points is None:
            return None
        return SceneLayer(key, points, colour=colour, point_size=size_px + HALO_POINT_PX)
    width_px = LINE_STYLES[scene_layer][1] if scene_layer in LINE_STYLES else FIBRE_STYLE[1]
    lines = geometry[np.isin(shapely.get_type_id(geometry), [1, 5])]
    outline = outline_lines(city, source, lines) if len(lines) else None
    if outline is None:
        return None
    outline.points[:, 2] -= HALO_DROP_M
    return SceneLayer(key, outline, colour=colour, line_width=width_px + HALO_LINE_PX)


def _first_rows(frame: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """The ids of a frame, each once, and the position of its first row."""
    if frame is None or "id" not in frame:
        return np.empty(0, dtype=str), np.empty(0, dtype=np.int64)
    ids = frame["id"].astype(str).to_numpy()
    first = ~pd.Series(ids).duplicated().to_numpy()
    return ids[first].astype(str), np.flatnonzero(first)


def _differs(
    old: pd.DataFrame, now: pd.DataFrame, column: str, old_rows: np.ndarray, new_rows: np.ndarray
) -> np.ndarray:
    """Per matched row, whether ``column`` differs (a column missing on one side is all
    missing there)."""
    if column not in old or column not in now:
        present = now if column not in old else old
        rows = new_rows if column not in old else old_rows
        return ~np.asarray(pd.isna(present[column].to_numpy(dtype=object)[rows]), dtype=bool)
    left, right = old[column], now[column]
    if isinstance(left.dtype, gpd.array.GeometryDtype) or isinstance(
        right.dtype, gpd.array.GeometryDtype
    ):
        return ~_same_geometry(
            np.asarray(left.to_numpy(dtype=object))[old_rows],
            np.asarray(right.to_numpy(dtype=object))[new_rows],
        )
    kinds = (pd.api.types.is_numeric_dtype, pd.api.types.is_datetime64_any_dtype)
    for is_kind in kinds:
        if is_kind(left.dtype) and is_kind(right.dtype):
            a, b = _as_numbers(left)[old_rows], _as_numbers(right)[new_rows]
            return (a != b) & ~(np.isnan(a) & np.isnan(b))
    return ~_same_objects(
        left.to_numpy(dtype=object)[old_rows], right.to_numpy(dtype=object)[new_rows]
    )


def _as_numbers(column: pd.Series) -> np.ndarray:
    """Numbers, booleans and dates as float64 (NaN where missing)."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        values = column.to_numpy(dtype="datetime64[ns]")
        out = values.view("int64").astype(np.float64)
        out[np.isnat(values)] = np.nan
        return out
    return np.asarray(column.to_numpy(dtype="float64", na_value=np.nan), dtype=np.float64)


def _same_objects(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Element-wise equality of text and other values, missing equal to missing."""
    left, right = _none_where_missing(left), _none_where_missing(right)
    try:
        return np.asarray(left == right, dtype=bool)
    except (TypeError, ValueError):  # arrays inside: compare one by one
        return np.fromiter((_equal(a, b) for a, b in zip(left, right, strict=True)), bool)


def _same_geometry(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Equal geometries: the same object (copy-on-write frames share them), else the same
    WKB."""
    same = np.fromiter(map(id, left), np.int64, len(left)) == np.fromiter(
        map(id, right), np.int64, len(right)
    )
    other = np.flatnonzero(~same)
    if len(other):
        a, b = _none_where_missing(left[other]), _none_where_missing(right[other])
        same[other] = shapely.to_wkb(a) == shapely.to_wkb(b)
    return same


def _none_where_missing(values: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=object).copy()
    out[np.asarray(pd.isna(out), dtype=bool)] = None
    return out


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(np.array_equal(a, b)) if isinstance(a, np.ndarray) else bool(a == b)
    except (TypeError, ValueError):
        return False
