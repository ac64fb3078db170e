"""An offscreen picture of the town in 3D (no display needed): for ``twin demo --headless``,
documentation and reports. The interactive view lives in gui/.

With a ``"terrain"`` raster, the ground is drawn as a mesh (buildings stand on their base
elevation, sampled from that raster on import) and parcel and commune outlines follow it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from twin.city import City
from twin.lod1 import building_meshes
from twin.mesh import MeshStore
from twin.terrain import DEFAULT_MAX_VERTICES, terrain_mesh
from twin.uses import BuildingUse

logger = logging.getLogger(__name__)

#: Colours of the use classification (also used by the app's legend).
USE_COLOURS: dict[str, str] = {
    BuildingUse.RESIDENTIAL: "#e8c07d",
    BuildingUse.OFFICE: "#7aa6c2",
    BuildingUse.RETAIL: "#d9825b",
    BuildingUse.PUBLIC: "#9b7fc4",
    BuildingUse.INDUSTRIAL: "#8c8c8c",
    BuildingUse.ANNEX: "#c9c3b5",
    BuildingUse.MIXED: "#c46f9b",
    BuildingUse.UNKNOWN: "#b0b0b0",
}
TERRAIN_COLOUR = "#a9ad8a"  # earthy; buildings and outlines stand out on it
#: Outlines are drawn this far above the terrain so the ground mesh does not hide them (m).
OUTLINE_LIFT_M = 1.0


@dataclass(frozen=True)
class Camera:
    """A camera in the City's local coordinates (metres, relative to its origin)."""

    position: tuple[float, float, float]
    focal_point: tuple[float, float, float]
    up: tuple[float, float, float] = (0.0, 0.0, 1.0)


def render_snapshot(
    city: City,
    path: Path,
    size_px: tuple[int, int] = (1600, 1000),
    *,
    highlight: Mapping[str, str] | None = None,
    camera: Camera | None = None,
) -> Path:
    """Render the buildings (coloured by use) over the parcels to a PNG and return its path.

    ``highlight`` colours the buildings it names (id → ``#rrggbb``) instead of their use;
    ``camera`` (default :func:`town_camera`) lets two pictures share one view point.
    """
    plotter = snapshot_plotter(city, size_px, highlight=highlight, camera=camera)
    try:
        plotter.screenshot(str(path))
    finally:
        plotter.close()
    logger.info("snapshot written to %s", path)
    return path


def snapshot_plotter(
    city: City,
    size_px: tuple[int, int] = (1600, 1000),
    *,
    highlight: Mapping[str, str] | None = None,
    camera: Camera | None = None,
    terrain_max_vertices: int = DEFAULT_MAX_VERTICES,
    others: str | None = None,
) -> Any:
    """An offscreen pyvista Plotter holding the town's scene (terrain, buildings, outlines)
    seen from ``camera``; the caller takes its picture or exports it, then closes it.
    ``terrain_max_vertices`` decimates the ground (a lighter scene to export); ``others``
    colours the buildings ``highlight`` does not name (default: by use)."""
    if not os.environ.get("DISPLAY"):  # no X server: go straight to EGL, no failed X attempt
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    import pyvista as pv

    store = building_meshes(city) if "buildings" in city else None
    plotter: Any = pv.Plotter(
        off_screen=True, window_size=list(size_px)
    )  # pyvista's types confuse mypy
    plotter.set_background("#f4f1ea")
    if "terrain" in city.rasters:
        ground = terrain_mesh(city.rasters["terrain"], city.ensure_origin(), terrain_max_vertices)
        if ground.n_faces:
            plotter.add_mesh(ground.to_pyvista(), color=TERRAIN_COLOUR, smooth_shading=True)
    if store is not None and store.n_faces:
        mesh = store.to_pyvista()
        colours = building_colours(city, highlight, others)
        mesh.cell_data["rgb"] = colours[mesh.cell_data["object_index"]]
        plotter.add_mesh(mesh, scalars="rgb", rgb=True, smooth_shading=False)
    lines = (("parcels", "#6f6a5c", 1), ("roads", "#4a4a4a", 3), ("communes", "#5a4a3a", 3))
    for layer, colour, width in lines:
        if layer in city:
            outline = outline_polydata(city, layer)
            if outline is not None:
                plotter.add_mesh(outline, color=colour, line_width=width)
    camera = camera or (_core_camera(store) if store is not None and store.n_faces else None)
    if camera is not None:
        plotter.camera.focal_point = camera.focal_point
        plotter.camera.position = camera.position
        plotter.camera.up = camera.up
        plotter.reset_camera_clipping_range()
    else:
        plotter.camera_position = "iso"
        plotter.reset_camera()
    return plotter


def building_colours(
    city: City, highlight: Mapping[str, str] | None = None, others: str | None = None
) -> np.ndarray:
    """One RGB (uint8) row per building: its highlight colour, else ``others``, else its use's."""
    buildings = city.layer("buildings")
    if others is not None:
        colours = np.tile(np.array(_rgb(others), dtype=np.uint8), (len(buildings), 1))
    else:
        uses = buildings["use"].astype(object).fillna("unknown").to_numpy(dtype=str)
        palette = {use: _rgb(colour) for use, colour in USE_COLOURS.items()}
        colours = np.array([palette.get(u, palette["unknown"]) for u in uses], dtype=np.uint8)
    if highlight:
        ids = buildings["id"].astype(str)
        marked = ids.isin(list(highlight)).to_numpy()
        if marked.any():  # ids the City does not have are ignored
            colours[marked] = [_rgb(highlight[i]) for i in ids[marked]]
    return colours.reshape(-1, 3)


def town_camera(city: City) -> Camera | None:
    """A view of the built-up core (not the whole, mostly rural, territory) from the
    south-south-east; None without buildings."""
    if "buildings" not in city:
        return None
    store = building_meshes(city)
    return _core_camera(store) if store.n_faces else None


def _core_camera(store: MeshStore) -> Camera:
    centre = np.median(store.vertices, axis=0)  # most buildings are in the town
    near = store.vertices[np.hypot(*(store.vertices[:, :2] - centre[:2]).T) < 1500.0]
    low, high = np.percentile(near, 5, axis=0), np.percentile(near, 95, axis=0)
    return framing_camera(low, high)


def framing_camera(low: Any, high: Any, min_span_m: float = 200.0) -> Camera:
    """A camera from the south-south-east, above, that frames the box ``low``–``high``
    (local x, y, z).

    Example:
        >>> framing_camera((0, 0, 0), (100, 100, 10)).focal_point
        (50.0, 50.0, 5.0)
    """
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    centre = (low + high) / 2
    span = float(max(high[0] - low[0], high[1] - low[1], min_span_m))
    position = centre + np.array([0.5, -1.3, 1.1]) * span
    return Camera(
        position=(float(position[0]), float(position[1]), float(position[2])),
        focal_point=(float(centre[0]), float(centre[1]), float(centre[2])),
    )


def outline_polydata(city: City, layer: str) -> Any:
    """The lines of a line layer, or the boundaries of a polygon layer, on the ground."""
    import pyvista as pv
    import shapely

    geometry = city.layer(layer).geometry.to_numpy()
    linear = np.isin(shapely.get_type_id(geometry), [1, 5])  # LineString, MultiLineString
    boundaries = np.where(linear, geometry, shapely.boundary(geometry))
    terrain = city.rasters.get("terrain")
    if terrain is not None:  # vertices every pixel, so the lines follow the ground
        boundaries = shapely.segmentize(boundaries, max(terrain.pixel_size_m))
    parts = shapely.get_parts(boundaries)
    coords, part_of_coord = shapely.get_coordinates(parts, return_index=True)
    if not len(coords):
        return None
    origin = city.ensure_origin()
    z = np.full(len(coords), _ground_z(city))
    if terrain is not None:
        ground = terrain.sample(coords[:, 0], coords[:, 1]) + OUTLINE_LIFT_M
        z = np.where(np.isfinite(ground), ground, z)
    z = z - origin[2]
    points = np.column_stack([coords[:, 0] - origin[0], coords[:, 1] - origin[1], z])
    counts = np.bincount(part_of_coord, minlength=len(parts))
    starts = np.cumsum(counts) - counts
    lines = np.concatenate(
        [np.concatenate([[n], np.arange(s, s + n)]) for s, n in zip(starts, counts, strict=True)]
    )
    polydata: Any = pv.PolyData
    return polydata(points.astype(np.float32), lines=lines)


def _ground_z(city: City) -> float:
    if "buildings" in city:
        base = city.layer("buildings")["base_elevation_m"].dropna()
        if len(base):
            return float(base.min())
    return 0.0


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
