"""The terrain mesh: a decimated grid under a vertex budget, exact on planes, holes kept open."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from affine import Affine
from pyproj import CRS
from shapely.geometry import box

from twin.city import City
from twin.raster import Raster
from twin.terrain import terrain_mesh

X0, Y0 = 668000.0, 6357000.0
ORIGIN = (X0, Y0, 0.0)


def plane(rows: int, columns: int, size_m: float = 5.0) -> tuple[Raster, Affine]:
    """z = 0.2 x - 0.1 y + 400 (x, y relative to ORIGIN) on a north-up grid of pixel centres."""
    transform = Affine(size_m, 0.0, X0, 0.0, -size_m, Y0 + rows * size_m)
    col, row = np.meshgrid(np.arange(columns) + 0.5, np.arange(rows) + 0.5)
    x, y = transform @ (col, row)
    values = 0.2 * (x - X0) - 0.1 * (y - Y0) + 400.0
    return Raster("terrain", values, transform, CRS.from_epsg(2154)), transform


def normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    corners = vertices[faces].astype(np.float64)
    return np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])


def test_the_vertex_budget_is_respected_and_the_whole_grid_is_covered() -> None:
    raster, _ = plane(1001, 777)
    mesh = terrain_mesh(raster, ORIGIN, max_vertices=10_000)
    assert 5_000 < mesh.n_vertices <= 10_000
    minx, miny, maxx, maxy = raster.bounds
    half = raster.pixel_size_m[0] / 2
    assert mesh.vertices[:, 0].min() == pytest.approx(minx - X0 + half)
    assert mesh.vertices[:, 0].max() == pytest.approx(maxx - X0 - half)
    assert mesh.vertices[:, 1].min() == pytest.approx(miny - Y0 + half)
    assert mesh.vertices[:, 1].max() == pytest.approx(maxy - Y0 - half)
    assert mesh.vertices.dtype == np.float32 and list(mesh.object_ids) == ["terrain"]


def test_a_plane_is_reproduced_exactly_at_the_vertices() -> None:
    raster, _ = plane(300, 200)
    mesh = terrain_mesh(raster, ORIGIN, max_vertices=2_000)
    x, y, z = mesh.vertices.astype(np.float64).T
    assert z == pytest.approx(0.2 * x - 0.1 * y + 400.0, abs=1e-3)
    assert mesh.n_faces == 2 * (len(np.unique(x)) - 1) * (len(np.unique(y)) - 1)


def test_faces_face_upwards() -> None:
    raster, _ = plane(20, 30)
    mesh = terrain_mesh(raster, ORIGIN)
    assert mesh.n_faces == 2 * 19 * 29
    assert (normals(mesh.vertices, mesh.faces)[:, 2] > 0).all()


def test_a_south_up_grid_still_faces_upwards() -> None:
    raster, transform = plane(10, 10)
    south_up = transform @ Affine(1, 0, 0, 0, -1, 10)  # row 0 is now the southern row
    flipped = Raster("terrain", raster.values[::-1], south_up, raster.crs)
    mesh = terrain_mesh(flipped, ORIGIN)
    assert (normals(mesh.vertices, mesh.faces)[:, 2] > 0).all()


def test_nan_holes_leave_no_faces_there_even_between_decimated_rows() -> None:
    raster, transform = plane(101, 101)
    values = raster.values.copy()
    values[50, 51] = np.nan  # one pixel, not on the decimated grid (stride 4)
    values[:, :3] = np.nan  # a missing western edge
    holed = Raster("terrain", values, transform, raster.crs)
    mesh = terrain_mesh(holed, ORIGIN, max_vertices=700)
    assert np.isfinite(mesh.vertices).all()
    hole_x, hole_y = transform @ (51.5, 50.5)
    centres = mesh.vertices[mesh.faces].astype(np.float64)
    low, high = centres.min(axis=1), centres.max(axis=1)
    covers = (
        (low[:, 0] <= hole_x - X0)
        & (hole_x - X0 <= high[:, 0])
        & (low[:, 1] <= hole_y - Y0)
        & (hole_y - Y0 <= high[:, 1])
    )
    assert not covers.any()
    assert mesh.vertices[:, 0].min() > 3 * 5.0  # nothing over the missing edge
    assert 0 < mesh.n_faces < 2 * (np.ceil(101 / 4)) ** 2


def test_an_all_nan_raster_gives_an_empty_terrain() -> None:
    raster, transform = plane(5, 5)
    empty = Raster("terrain", np.full((5, 5), np.nan), transform, raster.crs)
    mesh = terrain_mesh(empty, ORIGIN)
    assert (mesh.n_objects, mesh.n_vertices, mesh.n_faces) == (1, 0, 0)


def test_the_snapshot_draws_the_terrain_under_the_buildings(tmp_path: Path) -> None:
    pytest.importorskip("pyvista")
    image = pytest.importorskip("PIL.Image")

    from twin.snapshot import render_snapshot

    city = City()
    raster, _ = plane(80, 80)
    city.set_raster(raster)
    frame = gpd.GeoDataFrame(
        {"id": ["b1"], "height_m": [10.0], "base_elevation_m": [420.0], "use": ["residential"]},
        geometry=[box(X0 + 150, Y0 + 150, X0 + 170, Y0 + 170)],
        crs=2154,
    )
    city.set_layer("buildings", frame)
    path = render_snapshot(city, tmp_path / "snap.png", size_px=(320, 200))
    pixels = np.asarray(image.open(path).convert("RGB")).reshape(-1, 3).astype(int)
    background = np.array([0xF4, 0xF1, 0xEA])
    assert (np.abs(pixels - background).sum(axis=1) > 30).mean() > 0.5  # the ground fills it
    red, green, blue = pixels.T
    olive = (np.abs(red - green) < 20) & (green > blue + 20)  # TERRAIN_COLOUR, shaded
    assert olive.mean() > 0.5
