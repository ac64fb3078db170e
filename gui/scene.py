"""The meshes of the 3D view, one merged PolyData per layer, built from a City (no Qt here).

Buildings are one mesh whose cells carry ``object_index`` (position in the layer's object ids)
and an ``rgb`` colour per cell from :data:`twin.snapshot.USE_COLOURS`, so colouring and
highlighting are cell-data updates, never one actor per building; a big town's buildings are
cut into spatial tiles of a few thousand buildings, one mesh each (:mod:`gui.scene_tiles`).
Buildings that came from an IFC model are left out of the LoD1 mesh when the City has IFC
meshes: the model shows instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyvista as pv
import shapely

from gui import scene_tiles
from gui.scene_meshes import extruded_buildings, ground_points, outline_lines
from gui.scene_tiles import VERTEX_RGB, paint_tiles, tile_meshes, tile_order
from twin.city import City
from twin.mesh import MeshStore
from twin.snapshot import TERRAIN_COLOUR, USE_COLOURS
from twin.terrain import terrain_mesh

logger = logging.getLogger(__name__)

#: Layers of the 3D view, in drawing and panel order.
SCENE_LAYERS: tuple[str, ...] = (
    "terrain",
    "buildings",
    "ifc",
    "parcels",
    "roads",
    "communes",
    "transit_routes",
    "transit_stops",
    "fibre",
    "digital_points",
)
#: Line layers: (colour, width in pixels).
LINE_STYLES: dict[str, tuple[str, int]] = {
    "parcels": ("#6f6a5c", 1),
    "roads": ("#4a4a4a", 3),
    "communes": ("#5a4a3a", 3),
    "transit_routes": ("#c0392b", 4),
}
#: Point layers: (City layer, colour, size in pixels, height above the ground in metres).
POINT_STYLES: dict[str, tuple[str, str, int, float]] = {
    "transit_stops": ("transit_stops", "#1f5fbf", 12, 3.0),
    "digital_points": ("digital_assets", "#8e44ad", 8, 2.0),
}
#: The fibre network: the lines of the digital assets (colour, width).
FIBRE_STYLE = ("#8e44ad", 2)
HIGHLIGHT_COLOUR = "#00c8ff"  # vivid cyan: no use colour is near it
UNKNOWN_COLOUR = USE_COLOURS["unknown"]
IFC_MESHES = "ifc"
#: IFC classes whose colour differs from the light default.
IFC_COLOURS: dict[str, str] = {
    "IfcWindow": "#8fb8d8",
    "IfcDoor": "#8a5a3b",
    "IfcRoof": "#a0522d",
    "IfcSlab": "#b8b2a6",
    "IfcStair": "#a39e94",
    "IfcRailing": "#6e6e6e",
    "IfcFurnishingElement": "#c9a66b",
}
IFC_DEFAULT_COLOUR = "#e6e0d2"
FRAME_SAMPLE_POINTS = 400_000
# VERTEX_RGB (from gui.scene_tiles): point data of a pickable mesh, the colour drawn at each
# vertex. Software OpenGL draws per-vertex colours a third faster than the per-cell ``rgb``
# (kept too on one-mesh layers: it is what callers read).


#: Which scene layers to rebuild when a City layer, raster or mesh set changes.
SCENE_SOURCES: dict[str, tuple[str, ...]] = {
    "buildings": ("buildings",),
    "parcels": ("parcels",),
    "roads": ("roads",),
    "communes": ("communes",),
    "transit_routes": ("transit_routes",),
    "transit_stops": ("transit_stops",),
    "digital_assets": ("fibre", "digital_points"),
    # outlines and points follow the ground
    "terrain": (
        "terrain",
        "parcels",
        "roads",
        "communes",
        "transit_routes",
        "transit_stops",
        "fibre",
        "digital_points",
    ),
    IFC_MESHES: (IFC_MESHES, "buildings"),  # a model hides the LoD1 block it replaces
    "ifc_elements": (IFC_MESHES,),  # colours by IFC class
}


def scene_layers_for(city_layer: str) -> tuple[str, ...]:
    """The scene layers drawn from a City layer (empty for layers the view does not show).

    Example:
        >>> scene_layers_for("ifc"), scene_layers_for("districts")
        (('ifc', 'buildings'), ())
    """
    return SCENE_SOURCES.get(city_layer, ())


@dataclass
class SceneLayer:
    """One layer of the 3D view.

    Attributes:
        name: a :data:`SCENE_LAYERS` name.
        mesh: the merged PolyData (points relative to the City's origin).
        object_ids: ids of the objects, indexed by the cells' ``object_index`` (pickable layers).
        base_rgb: (n_objects, 3) uint8 colour of each object when not highlighted (may be
            replaced by a colouring, e.g. colour-by a column).
        default_rgb: the layer's own colours (use, IFC class), to go back to.
        colour: the single colour of an unpickable layer (terrain, lines).
        line_width: pixels, for line layers; 0 for surfaces.
        point_size: pixels, for point layers (stops, equipment); 0 otherwise.
        store: the MeshStore the mesh was made from (pickable layers): per-object offsets for
            picking and for re-extruding a few buildings.
        coarse: a lighter PolyData drawn instead while the camera moves in a big scene
            (boxes for the buildings, a coarser terrain), or None.
        pick_boxes: (n_objects, 6) float32 bounds of each object (min xyz, max xyz), for picking.
        frame: the town's (centre, span) from this layer's vertices (see :func:`town_frame`).
        tiles: a big buildings layer's meshes, one per tile (:mod:`gui.scene_tiles`), drawn
            instead of ``mesh`` (then a MultiBlock of the tiles); empty: one mesh.
        tile_starts: the object position where each tile starts, and the number of objects.
        given_rgb: the colours the view was given (``View3D.set_object_colours``), before its
            marks; None: the layer's own. A worker splicing the layer keeps them.
        drawn_rgb: (n_objects, 3) the colours drawn now, highlight included (None: unknown).
    """

    name: str
    mesh: Any
    object_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=str))
    base_rgb: np.ndarray = field(default_factory=lambda: np.empty((0, 3), dtype=np.uint8))
    colour: str = ""
    line_width: int = 0
    point_size: int = 0
    default_rgb: np.ndarray = field(default_factory=lambda: np.empty((0, 3), dtype=np.uint8))
    store: MeshStore | None = None
    coarse: Any = None
    pick_boxes: np.ndarray | None = None
    frame: tuple[np.ndarray, float] | None = None
    tiles: list[Any] = field(default_factory=list)
    tile_starts: np.ndarray | None = None
    given_rgb: np.ndarray | None = None
    drawn_rgb: np.ndarray | None = None

    def __post_init__(self) -> None:
        if not len(self.default_rgb):
            self.default_rgb = self.base_rgb.copy()

    @property
    def pickable(self) -> bool:
        """Whether cells map back to objects (buildings, IFC elements)."""
        return len(self.object_ids) > 0

    @property
    def tiled(self) -> bool:
        """Whether the layer is drawn as tiles (see :mod:`gui.scene_tiles`)."""
        return bool(self.tiles)

    @property
    def n_cells(self) -> int:
        """Cells drawn at rest (the store's faces for a tiled layer)."""
        if self.tiled and self.store is not None:
            return int(self.store.n_faces)
        return int(self.mesh.n_cells)

    def object_of_cell(self, cell: int) -> int:
        """Position in ``object_ids`` of the object owning cell ``cell`` (a face of ``store``
        for a tiled layer)."""
        if self.tiled and self.store is not None:
            return int(np.searchsorted(self.store.face_offsets, cell, side="right") - 1)
        return int(self.mesh.cell_data["object_index"][cell])

    def object_colours(self, highlighted: np.ndarray | None = None) -> np.ndarray:
        """(n_objects, 3) uint8 colours, the ``highlighted`` object positions in cyan."""
        per_object = self.base_rgb.copy()
        if highlighted is not None and len(highlighted):
            per_object[highlighted] = hex_to_rgb(HIGHLIGHT_COLOUR)
        return per_object

    def colours(self, highlighted: np.ndarray | None = None) -> np.ndarray:
        """(n_cells, 3) uint8 cell colours, the ``highlighted`` object positions in cyan."""
        per_object = self.object_colours(highlighted)
        if self.tiled and self.store is not None:
            return per_object[self.store.face_object_index()]
        return per_object[np.asarray(self.mesh.cell_data["object_index"])]

    def paint(self, highlighted: np.ndarray, objects: np.ndarray | None = None) -> list[Any]:
        """Write the colours of ``objects`` (positions; None: all) into the mesh's cell and
        vertex colours (a tiled layer: into the vertex colours of their tiles), the
        ``highlighted`` ones in cyan; returns the meshes painted (the caller marks their
        colour arrays modified)."""
        per_object = self.object_colours(highlighted)
        self.drawn_rgb = per_object
        if self.tiled and self.store is not None and self.tile_starts is not None:
            return paint_tiles(
                self.tiles, self.tile_starts, self.store.vertex_offsets, per_object, objects
            )
        cell_rgb = self.mesh.cell_data["rgb"]
        cell_object = self.mesh.cell_data["object_index"]
        vertex_rgb = self.mesh.point_data.get(VERTEX_RGB)
        if objects is None or self.store is None:
            cell_rgb[:] = per_object[np.asarray(cell_object)]
            if vertex_rgb is not None:
                vertex_rgb[:] = per_object[np.asarray(self.mesh.point_data["object_index"])]
            return [self.mesh]
        offsets = self.store.face_offsets
        cells = object_ranges(offsets[objects], offsets[objects + 1] - offsets[objects])
        cell_rgb[cells] = per_object[cell_object[cells]]
        if vertex_rgb is not None:
            offsets = self.store.vertex_offsets
            points = object_ranges(offsets[objects], offsets[objects + 1] - offsets[objects])
            vertex_rgb[points] = per_object[self.mesh.point_data["object_index"][points]]
        return [self.mesh]


def build_layer(city: City, name: str) -> SceneLayer | None:
    """The scene layer ``name`` of ``city``, or None when the City has nothing to draw there."""
    if name == "terrain":
        return _terrain(city)
    if name == "buildings":
        return _buildings(city)
    if name == IFC_MESHES:
        return _ifc(city)
    if name in LINE_STYLES:
        if name not in city:
            return None
        outline = outline_lines(city, name)
        if outline is None:
            return None
        colour, width = LINE_STYLES[name]
        return SceneLayer(name, outline, colour=colour, line_width=width)
    if name in POINT_STYLES:
        source, colour, size, lift_m = POINT_STYLES[name]
        if source not in city or not len(city.layer(source)):
            return None
        points = ground_points(city, city.layer(source).geometry.to_numpy(), lift_m)
        return None if points is None else SceneLayer(name, points, colour=colour, point_size=size)
    if name == "fibre":
        if "digital_assets" not in city:
            return None
        geometry = city.layer("digital_assets").geometry.to_numpy()
        lines = geometry[np.isin(shapely.get_type_id(geometry), [1, 5])]
        outline = outline_lines(city, "digital_assets", lines) if len(lines) else None
        if outline is None:
            return None
        return SceneLayer(name, outline, colour=FIBRE_STYLE[0], line_width=FIBRE_STYLE[1])
    raise ValueError(f"unknown scene layer '{name}'; use one of {SCENE_LAYERS}")


def town_frame(points: np.ndarray) -> tuple[np.ndarray, float] | None:
    """(centre, span in metres) of the built-up core of ``points`` (building vertices), or None.

    Like :func:`twin.snapshot.render_snapshot`: the median vertex, then the 5-95 % box of the
    vertices within 1.5 km of it, so a few farms do not shrink the town to a dot. Big meshes
    are sampled (every k-th vertex, at most :data:`FRAME_SAMPLE_POINTS`).
    """
    points = np.asarray(points)
    points = points[:: max(1, len(points) // FRAME_SAMPLE_POINTS)].astype(np.float64)
    if not len(points):
        return None
    centre = np.median(points, axis=0)
    near = points[np.hypot(*(points[:, :2] - centre[:2]).T) < 1500.0]
    if not len(near):
        near = points
    low, high = np.percentile(near, 5, axis=0), np.percentile(near, 95, axis=0)
    span = float(max(high[0] - low[0], high[1] - low[1], 200.0))
    return (low + high) / 2.0, span


def object_ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``starts[k] + arange(counts[k])`` for every k, concatenated (the cells or vertices of
    some objects).

    Example:
        >>> object_ranges(np.array([10, 3]), np.array([2, 3])).tolist()
        [10, 11, 3, 4, 5]
    """
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return (shift + np.arange(int(counts.sum()))).astype(np.int64)


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """``"#e8c07d"`` → ``(232, 192, 125)``.

    Example:
        >>> hex_to_rgb("#e8c07d")
        (232, 192, 125)
    """
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def lod1_store(city: City, tiled: bool = False) -> tuple[MeshStore, np.ndarray] | None:
    """The LoD1 buildings, without those an IFC model stands for when IFC meshes exist, and
    where each tile starts (one tile unless ``tiled``: then the buildings come in tile order)."""
    if "buildings" not in city or not len(city.layer("buildings")):
        return None
    rows = city.layer("buildings")
    tile = np.zeros(len(rows), dtype=np.int64)
    if tiled:
        rows, tile = _in_tile_order(rows)
    store = extruded_buildings(rows, city.ensure_origin())
    if IFC_MESHES in city.meshes and city.meshes[IFC_MESHES].n_objects:
        source = city.layer("buildings")["source"].astype(object).to_numpy()
        ifc_ids = city.layer("buildings")["id"].to_numpy(dtype=str)[source == "ifc"]
        if len(ifc_ids):
            kept = ~np.isin(store.object_ids, ifc_ids)
            store, tile = store.select(kept), tile[kept]
    starts = np.flatnonzero(np.r_[True, tile[1:] != tile[:-1]]) if len(tile) else tile
    return store, np.append(starts, len(tile)).astype(np.int64)


def _in_tile_order(buildings: Any) -> tuple[Any, np.ndarray]:
    """The buildings in tile order (by the centre of their footprint's bounds) and the tile of
    each (a number increasing along the rows)."""
    bounds = np.concatenate(
        [
            shapely.bounds(buildings.geometry.to_numpy()[first : first + 2_500])
            for first in range(0, len(buildings), 2_500)  # chunks: shapely holds the GIL
        ]
    )
    order, starts = tile_order((bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2)
    tile = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    return buildings.iloc[order], tile


# -- layers -------------------------------------------------------------------------------------
def _terrain(city: City) -> SceneLayer | None:
    if "terrain" not in city.rasters:
        return None
    store = terrain_mesh(city.rasters["terrain"], city.ensure_origin())
    if not store.n_faces:
        return None
    return SceneLayer("terrain", store.to_pyvista(), colour=TERRAIN_COLOUR)


def _buildings(city: City) -> SceneLayer | None:
    tiled = "buildings" in city and len(city.layer("buildings")) > scene_tiles.TILE_MIN_OBJECTS
    built = lod1_store(city, tiled)
    if built is None or not built[0].n_faces:
        return None
    store, starts = built
    rgb = building_colours(city, store.object_ids)
    if not tiled:
        mesh = store.to_pyvista()
        return SceneLayer("buildings", mesh, object_ids=store.object_ids, base_rgb=rgb, store=store)
    tiles = tile_meshes(store, starts, rgb)
    return SceneLayer(
        "buildings",
        pv.MultiBlock(tiles),
        object_ids=store.object_ids,
        base_rgb=rgb,
        store=store,
        tiles=tiles,
        tile_starts=starts,
        drawn_rgb=rgb,
    )


def building_colours(city: City, object_ids: np.ndarray) -> np.ndarray:
    """(n, 3) uint8 use colours of the buildings ``object_ids`` (unknown ids: grey)."""
    buildings = city.layer("buildings")
    uses = pd.Series(buildings["use"].astype(object).to_numpy(), index=buildings["id"].astype(str))
    uses = uses[~uses.index.duplicated()]
    object_uses = uses.reindex(object_ids).fillna("unknown").to_numpy(dtype=str)
    return _palette(object_uses, USE_COLOURS, UNKNOWN_COLOUR)


def _ifc(city: City) -> SceneLayer | None:
    store = city.meshes.get(IFC_MESHES)
    if store is None or not store.n_faces:
        return None
    store = store.rebased(city.ensure_origin())
    classes = np.full(store.n_objects, "", dtype=object)
    if "ifc_elements" in city:
        elements = city.layer("ifc_elements")
        by_id = pd.Series(
            elements["ifc_class"].astype(object).to_numpy(), index=elements["id"].astype(str)
        )
        by_id = by_id[~by_id.index.duplicated()]
        classes = by_id.reindex(store.object_ids).fillna("").to_numpy(dtype=str)
    return SceneLayer(
        IFC_MESHES,
        store.to_pyvista(),
        object_ids=store.object_ids,
        base_rgb=_palette(np.asarray(classes, dtype=str), IFC_COLOURS, IFC_DEFAULT_COLOUR),
        store=store,
    )


def _palette(keys: np.ndarray, colours: dict[str, str], default: str) -> np.ndarray:
    """(n, 3) uint8 colours of ``keys`` (vectorised over the distinct keys)."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    table = np.array([hex_to_rgb(colours.get(str(k), default)) for k in distinct], dtype=np.uint8)
    return table[inverse.reshape(-1)] if len(distinct) else np.empty((0, 3), dtype=np.uint8)
