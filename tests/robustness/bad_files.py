"""Bad input files, written on the fly into a test's temporary folder (never committed).

Each :class:`Case` writes one file (a shapefile with its side files, a zip ...) that
``twin import`` must refuse with one clear line. The files are made from the sample town's
own data (samples/data), or written here from scratch.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from rasterio.transform import from_origin

from tests.importers.gtfs_feeds import BASE as GTFS_BASE

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "data"
MAIRIE = SAMPLES / "mairie.ifc"
#: Where the sample town lies (Lambert-93, metres): bad files are put there.
X0, Y0 = 660000.0, 6360000.0


@dataclass(frozen=True)
class Case:
    """One bad input: ``make(folder)`` writes it and returns the path to import.

    Attributes:
        id: the test id.
        make: writes the file(s) into a folder and returns the path given to ``twin import``.
        args: extra arguments of ``twin import`` (``--as buildings``, ``--crs ...``).
        says: words the error line must hold besides the file name.
    """

    id: str
    make: Callable[[Path], Path]
    args: tuple[str, ...] = ()
    says: tuple[str, ...] = field(default=())


def _noise(size: int, seed: int) -> bytes:
    return np.random.default_rng(seed).bytes(size)


# -- IFC ---------------------------------------------------------------------------------------
def truncated_ifc(cut: float | int) -> Callable[[Path], Path]:
    """The sample town hall cut after ``cut`` bytes (an int) or that share of it (a float)."""

    def make(folder: Path) -> Path:
        data = MAIRIE.read_bytes()
        end = int(len(data) * cut) if isinstance(cut, float) else cut
        path = folder / "mairie.ifc"
        path.write_bytes(data[: end if end >= 0 else len(data) + end])
        return path

    return make


def truncated(source: Path, share: float) -> Callable[[Path], Path]:
    """The first ``share`` of a real file, under its own name."""

    def make(folder: Path) -> Path:
        data = source.read_bytes()
        path = folder / source.name
        path.write_bytes(data[: int(len(data) * share)])
        return path

    return make


# -- random bytes, bare or behind the right magic bytes ---------------------------------------
def noise_named(name: str, magic: bytes = b"", size: int = 20_000) -> Callable[[Path], Path]:
    """Random bytes in a file called ``name``, after ``magic`` (to get past the sniffers)."""

    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(magic + _noise(size, seed=len(name) + len(magic)))
        return path

    return make


def noise_shapefile(name: str) -> Callable[[Path], Path]:
    """A .shp with its magic bytes, and .shx, .dbf and .prj side files, all random after that."""

    def make(folder: Path) -> Path:
        path = folder / name
        for seed, suffix in enumerate((".shp", ".shx")):
            path.with_suffix(suffix).write_bytes(b"\x00\x00\x27\x0a" + _noise(3000, seed))
        path.with_suffix(".dbf").write_bytes(b"\x03" + _noise(3000, 7))
        path.with_suffix(".prj").write_bytes(_noise(300, 8))
        return path

    return make


# -- GeoJSON -----------------------------------------------------------------------------------
def geojson(name: str, features: list[dict], crs: str | None = None) -> Callable[[Path], Path]:
    """A FeatureCollection of ``features`` (optionally with an old-style ``crs`` member)."""

    def make(folder: Path) -> Path:
        collection: dict = {"type": "FeatureCollection", "features": features}
        if crs:
            collection["crs"] = {"type": "name", "properties": {"name": crs}}
        path = folder / name
        path.write_text(json.dumps(collection), encoding="utf-8")
        return path

    return make


def feature(geometry: dict | None, fid: str = "b1", **properties: object) -> dict:
    """A GeoJSON feature with an ``id`` property."""
    return {"type": "Feature", "properties": {"id": fid, **properties}, "geometry": geometry}


def square(x: float, y: float, size: float = 10.0, z: float | None = None) -> dict:
    """A GeoJSON polygon (with a z on every vertex when ``z`` is given)."""
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    if z is not None:
        ring = [[*point, z] for point in ring]
    return {"type": "Polygon", "coordinates": [ring]}


def raw_text(name: str, text: str) -> Callable[[Path], Path]:
    """A text file as given."""

    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


def folder(name: str, files: dict[str, str]) -> Callable[[Path], Path]:
    """A folder holding text ``files``."""

    def make(parent: Path) -> Path:
        path = parent / name
        path.mkdir()
        for member, text in files.items():
            (path / member).write_text(text, encoding="utf-8")
        return path

    return make


# -- shapefiles --------------------------------------------------------------------------------
def shapefile(
    name: str,
    *,
    drop: tuple[str, ...] = (),
    crs: str | None = "EPSG:2154",
    degrees: bool = False,
    columns: dict[str, list] | None = None,
) -> Callable[[Path], Path]:
    """Three buildings as a shapefile; ``drop`` removes side files (".prj", ".dbf", ".shx").

    ``degrees`` writes longitudes and latitudes (around Rodez) whatever ``crs`` says.
    """

    def make(folder: Path) -> Path:
        x, y, size = (2.57, 44.35, 0.0001) if degrees else (X0, Y0, 10.0)
        xs = x + np.arange(3) * size * 2
        frame = gpd.GeoDataFrame(
            columns or {"id": ["b1", "b2", "b3"], "hauteur": [6.0, 9.0, 12.0]},
            geometry=shapely.box(xs, y, xs + size, y + size),
            crs=None,
        )
        path = folder / name
        frame.to_file(path, driver="ESRI Shapefile", engine="pyogrio")
        if crs:
            path.with_suffix(".prj").write_text(_esri_wkt(crs), encoding="ascii")
        for suffix in drop:
            path.with_suffix(suffix).unlink(missing_ok=True)
        return path

    return make


def _esri_wkt(crs: str) -> str:
    from pyproj import CRS

    return CRS.from_user_input(crs).to_wkt("WKT1_ESRI")


# -- CSV grids ---------------------------------------------------------------------------------
def csv_table(name: str, lines: list[str]) -> Callable[[Path], Path]:
    """A CSV file of ``lines``."""
    return raw_text(name, "\n".join(lines) + "\n")


# -- GTFS --------------------------------------------------------------------------------------
def gtfs(
    name: str,
    *,
    without: tuple[str, ...] = (),
    replace: dict[str, str] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Callable[[Path], Path]:
    """The tests' small GTFS feed, zipped, without some files or with some replaced."""

    def make(folder: Path) -> Path:
        files = {**GTFS_BASE, **(replace or {})}
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, text in files.items():
                if member not in without:
                    archive.writestr(member, text)
            for member, data in (extra or {}).items():
                archive.writestr(member, data)
        return path

    return make


def bad_stop_times(times: tuple[str, str]) -> dict[str, str]:
    """stop_times.txt whose every arrival and departure is one of ``times``."""
    lines = GTFS_BASE["stop_times.txt"].splitlines()
    header, rows = lines[0], lines[1:]
    out = [header]
    for number, row in enumerate(rows):
        parts = row.split(",")
        parts[1] = parts[2] = times[number % 2]
        out.append(",".join(parts))
    return {"stop_times.txt": "\n".join(out) + "\n"}


# -- DEM ---------------------------------------------------------------------------------------
def dem(
    name: str,
    values: np.ndarray,
    *,
    nodata: float | None = -9999.0,
    crs: str | None = "EPSG:2154",
    degrees: bool = False,
) -> Callable[[Path], Path]:
    """A float32 GeoTIFF of ``values`` at 25 m over the sample town (or 0.0003° around Rodez
    with ``degrees``, whatever ``crs`` says)."""

    def make(folder: Path) -> Path:
        path = folder / name
        rows, columns = values.shape
        x, y, size = (2.57, 44.35, 0.0003) if degrees else (X0, Y0, 25.0)
        profile = {
            "driver": "GTiff",
            "width": columns,
            "height": rows,
            "count": 1,
            "dtype": "float32",
            "transform": from_origin(x, y + rows * size, size, size),
        }
        if crs:
            profile["crs"] = crs
        if nodata is not None:
            profile["nodata"] = nodata
        with rasterio.open(path, "w", **profile) as dataset:
            dataset.write(values.astype(np.float32), 1)
        return path

    return make


def sparse_dem(name: str, size_px: int) -> Callable[[Path], Path]:
    """A GeoTIFF declaring ``size_px`` x ``size_px`` pixels of 1 m, only one tile written: a
    few hundred KB on disk that would expand to gigabytes (a raster "bomb")."""

    def make(folder: Path) -> Path:
        path = folder / name
        with rasterio.open(
            path,
            "w",
            driver="GTiff",
            width=size_px,
            height=size_px,
            count=1,
            dtype="float32",
            crs="EPSG:2154",
            transform=from_origin(X0, Y0 + size_px, 1.0, 1.0),
            nodata=-9999.0,
            tiled=True,
            compress="deflate",
            sparse_ok=True,
        ) as dataset:
            dataset.write(np.full((256, 256), 300.0, np.float32), 1, window=((0, 256), (0, 256)))
        return path

    return make


# -- OSM and CityJSON --------------------------------------------------------------------------
OSM_TEXT = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="tests">
  <node id="1" lat="44.35" lon="2.57"/>
  <node id="2" lat="44.35" lon="2.5702"/>
  <node id="3" lat="44.3502" lon="2.5702"/>
  <node id="4" lat="44.3502" lon="2.57"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="building" v="house"/><tag k="name" v="Maison"/></way>
</osm>
"""


def cityjson_text(**overrides: object) -> str:
    """A CityJSON 2.0 file with one LoD1 box building in Lambert-93, some parts replaced."""
    document: dict = {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [0.001, 0.001, 0.001], "translate": [X0, Y0, 0.0]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"},
        "vertices": [
            [0, 0, 0],
            [10000, 0, 0],
            [10000, 10000, 0],
            [0, 10000, 0],
            [0, 0, 6000],
            [10000, 0, 6000],
            [10000, 10000, 6000],
            [0, 10000, 6000],
        ],
        "CityObjects": {
            "b1": {
                "type": "Building",
                "geometry": [
                    {
                        "type": "Solid",
                        "lod": "1",
                        "boundaries": [
                            [
                                [[0, 3, 2, 1]],
                                [[4, 5, 6, 7]],
                                [[0, 1, 5, 4]],
                                [[1, 2, 6, 5]],
                                [[2, 3, 7, 6]],
                                [[3, 0, 4, 7]],
                            ]
                        ],
                    }
                ],
            }
        },
    }
    document.update(overrides)
    return json.dumps(document)
