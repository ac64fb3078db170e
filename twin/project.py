"""The project file: one GeoPackage ``NAME.twin.gpkg`` that QGIS opens as it is.

Every layer of the City is a real GeoPackage feature layer with its CRS. Alongside, attribute
tables registered in ``gpkg_contents`` (so QGIS lists them too) hold, as JSON text:

- ``twin_metadata``  key/value: schema version, name, CRS, local origin, dates;
- ``twin_layers``    the LayerSpec of each layer, so custom layers round-trip;
- ``twin_provenance`` one row per import: which file, which importer, when, checksum;
- ``twin_scenarios`` one row per scenario;
- ``twin_files``     source files stored as blobs (IFC models), so the project is
  self-contained and reopens without the original files.

Saving writes a temporary file next to the target and renames it over the old one, so an
interrupted save never leaves a half-written project. No pickle anywhere.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from rasterio._err import CPLE_BaseError  # what GDAL's errors become (no public alias)

from twin import __version__
from twin.atomic_files import (
    fsync,
    fsync_dir,
    probe_writable,
    remove_quietly,
    remove_stale_saves,
    save_error,
    storage_save_error,
)
from twin.city import City
from twin.errors import (
    NotAProjectError,
    ProjectError,
    ProjectNotFoundError,
    ProjectVersionError,
    TwinError,
    one_line,
    plain_message,
)
from twin.feedback import Feedback, ensure_feedback
from twin.mesh import MeshStore
from twin.provenance import ProvenanceRecord, StoredFile, utc_now_iso
from twin.raster import Raster
from twin.spec import LayerSpec

logger = logging.getLogger(__name__)

#: Version of the project file layout; bump it and add a migration when the layout changes.
SCHEMA_VERSION = 1
PROJECT_SUFFIX = ".twin.gpkg"
RASTER_NODATA = -99999.0  # stands for NaN in stored rasters

_TABLES: dict[str, str] = {
    "twin_metadata": "key TEXT NOT NULL UNIQUE, value TEXT NOT NULL",
    "twin_layers": "name TEXT NOT NULL UNIQUE, spec TEXT NOT NULL",
    "twin_rasters": "name TEXT NOT NULL UNIQUE, unit TEXT NOT NULL, meaning TEXT NOT NULL",
    "twin_meshes": "name TEXT NOT NULL UNIQUE, origin TEXT NOT NULL, object_ids TEXT NOT NULL, "
    "vertices BLOB NOT NULL, faces BLOB NOT NULL, vertex_offsets BLOB NOT NULL, "
    "face_offsets BLOB NOT NULL",
    "twin_provenance": "record TEXT NOT NULL",
    "twin_scenarios": "name TEXT NOT NULL UNIQUE, scenario TEXT NOT NULL",
    "twin_files": "name TEXT NOT NULL UNIQUE, media_type TEXT NOT NULL, sha256 TEXT NOT NULL, "
    "size_bytes INTEGER NOT NULL, data BLOB NOT NULL",
}
#: What GDAL (pyogrio, rasterio) and SQLite raise when a write fails (full disk, read-only).
_WRITE_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    rasterio.errors.RasterioIOError,
    sqlite3.OperationalError,
)
#: What reading a damaged project may raise once its catalogue was read.
_READ_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    rasterio.errors.RasterioIOError,
    CPLE_BaseError,
    CRSError,
    shapely.errors.GEOSException,  # a geometry blob cut or overwritten
    sqlite3.DatabaseError,
    KeyError,
    ValueError,
    TypeError,
)
_REQUIRED_TABLES = ("twin_metadata", "twin_layers")
"""Tables every project has; others may be missing in projects of early sessions."""
_DESCRIPTIONS = {
    "twin_metadata": "urban-twin: project metadata (JSON values)",
    "twin_layers": "urban-twin: layer specifications (JSON)",
    "twin_rasters": "urban-twin: rasters (terrain ...) stored as gridded coverages",
    "twin_meshes": "urban-twin: detailed meshes (IFC elements), little-endian arrays",
    "twin_provenance": "urban-twin: one row per import (JSON)",
    "twin_scenarios": "urban-twin: planning scenarios (JSON)",
    "twin_files": "urban-twin: source files stored in the project (IFC models)",
}


def project_path(path: str | Path) -> Path:
    """The project path for a user-given path, adding ``.twin.gpkg`` when it is missing."""
    path = Path(path)
    if path.name.endswith(PROJECT_SUFFIX):
        return path
    if path.suffix == ".gpkg":
        return path
    return path.with_name(path.name + PROJECT_SUFFIX)


# -- saving -----------------------------------------------------------------------------------
def save_project(city: City, path: str | Path, feedback: Feedback | None = None) -> Path:
    """Write the City to ``path`` atomically and return the path written.

    The project is written to a temporary file in the same folder, flushed to disk, then
    renamed over ``path``: a save killed at any moment leaves the previous project intact.

    Raises:
        ProjectError: the folder does not exist, is not writable, or the disk is full (the
            previous file, if any, is left as it was).
    """
    feedback = ensure_feedback(feedback)
    path = Path(path)
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise ProjectError(
            f"cannot save {path}: the folder {folder} does not exist; create it or choose another.",
            code="save_folder_missing",
            values={"file": str(path), "folder": str(folder)},
        )
    tmp = folder / f".{path.name}.saving-{os.getpid()}.gpkg"
    remove_stale_saves(folder, path.name)
    try:
        remove_quietly(tmp)
        probe_writable(tmp)
        _write(city, tmp, feedback)
        fsync(tmp)
        tmp.replace(path)
        fsync_dir(folder)
    except OSError as exc:
        remove_quietly(tmp)
        raise save_error(exc, path) from exc
    except _WRITE_ERRORS as exc:  # GDAL and SQLite say "disk is full" as text
        remove_quietly(tmp)
        error = storage_save_error(exc, path)
        if error is None:  # not the disk nor the rights: a bug, reported as one
            raise
        raise error from exc
    except BaseException:
        remove_quietly(tmp)
        raise
    feedback.set_progress(1.0)
    logger.info("saved %s (%d layers)", path, len(city.layer_names))
    return path


def _write(city: City, tmp: Path, feedback: Feedback) -> None:
    names = city.layer_names
    for number, name in enumerate(names):
        feedback.raise_if_cancelled()
        frame = city.layer(name)
        _write_layer(frame, tmp, name, city.spec(name).title)
        feedback.set_progress(0.9 * (number + 1) / max(len(names), 1))
    if not tmp.exists():  # a City without layers: still a valid, empty GeoPackage
        _create_empty_geopackage(tmp)
    for raster in city.rasters.values():
        feedback.raise_if_cancelled()
        _write_raster(raster, tmp)
    with contextlib.closing(sqlite3.connect(tmp)) as db, db:
        _create_tables(db)
        metadata = {
            "schema_version": SCHEMA_VERSION,
            "app_version": __version__,
            "name": city.name,
            "crs": city.crs.to_wkt(),
            "crs_name": city.crs.to_string(),
            "origin": list(city.origin) if city.origin is not None else None,
            "saved_at": utc_now_iso(),
            **{f"user.{key}": value for key, value in city.metadata.items()},
        }
        db.executemany(
            "INSERT INTO twin_metadata (key, value) VALUES (?, ?)",
            [(key, json.dumps(value, ensure_ascii=False)) for key, value in metadata.items()],
        )
        db.executemany(
            "INSERT INTO twin_layers (name, spec) VALUES (?, ?)",
            [(name, city.spec(name).to_json()) for name in names],
        )
        db.executemany(
            "INSERT INTO twin_rasters (name, unit, meaning) VALUES (?, ?, ?)",
            [(r.name, r.unit, r.meaning) for r in city.rasters.values()],
        )
        if city.rasters:
            # GDAL skips tiles that are all no-data but leaves data_null empty (rasterio sets
            # it before the coverage row exists): without it, those tiles read back as 0 m.
            db.executemany(
                "UPDATE gpkg_2d_gridded_coverage_ancillary SET data_null = ? "
                "WHERE tile_matrix_set_name = ?",
                [(RASTER_NODATA, name) for name in city.rasters],
            )
        db.executemany(
            "INSERT INTO twin_meshes (name, origin, object_ids, vertices, faces, vertex_offsets, "
            "face_offsets) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    name,
                    json.dumps(list(store.origin)),
                    json.dumps(store.object_ids.tolist(), ensure_ascii=False),
                    store.vertices.astype("<f4").tobytes(),
                    store.faces.astype("<i4").tobytes(),
                    store.vertex_offsets.astype("<i8").tobytes(),
                    store.face_offsets.astype("<i8").tobytes(),
                )
                for name, store in city.meshes.items()
            ],
        )
        db.executemany(
            "INSERT INTO twin_provenance (record) VALUES (?)",
            [(json.dumps(r.to_dict(), ensure_ascii=False),) for r in city.provenance],
        )
        db.executemany(
            "INSERT INTO twin_scenarios (name, scenario) VALUES (?, ?)",
            [(n, json.dumps(s, ensure_ascii=False)) for n, s in city.scenarios.items()],
        )
        db.executemany(
            "INSERT INTO twin_files (name, media_type, sha256, size_bytes, data) "
            "VALUES (?, ?, ?, ?, ?)",
            [(f.name, f.media_type, f.sha256, f.size_bytes, f.data) for f in city.files.values()],
        )


def _write_layer(frame: gpd.GeoDataFrame, tmp: Path, name: str, title: str) -> None:
    out = frame.copy()
    geometry = out.active_geometry_name if isinstance(out, gpd.GeoDataFrame) else None
    for column in out.columns:
        if str(out[column].dtype) == "object" and column != geometry:
            # GeoPackage columns hold one type: keep text as text, missing as NULL.
            out[column] = out[column].map(_text_or_null)
    pyogrio.write_dataframe(
        out,
        tmp,
        layer=name,
        driver="GPKG",
        promote_to_multi=False,
        layer_options={"IDENTIFIER": title, **({"SPATIAL_INDEX": "YES"} if geometry else {})},
        use_arrow=True,
    )


def _text_or_null(value: object) -> str | None:
    """Object columns as text, missing values (None, NaN, NA) as NULL."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, str) else str(value)


def _write_raster(raster: Raster, tmp: Path) -> None:
    """Append a raster as a float32 gridded-coverage table (GeoPackage tiled TIFF)."""
    rows, columns = raster.shape
    values = np.where(np.isnan(raster.values), RASTER_NODATA, raster.values).astype(np.float32)
    with rasterio.open(
        tmp,
        "w",
        driver="GPKG",
        width=columns,
        height=rows,
        count=1,
        dtype="float32",
        crs=raster.crs.to_wkt(),
        transform=raster.transform,
        nodata=RASTER_NODATA,
        RASTER_TABLE=raster.name,
        APPEND_SUBDATASET="YES",
        TILE_FORMAT="TIFF",
    ) as dataset:
        dataset.write(values, 1)


def _read_raster(path: Path, name: str, unit: str, meaning: str, crs: CRS) -> Raster:
    with rasterio.open(f"GPKG:{path}:{name}") as dataset:
        values = dataset.read(1).astype(np.float32)
        transform = dataset.transform
    values[values == RASTER_NODATA] = np.nan
    return Raster(name, values, transform, crs, unit=unit, meaning=meaning)


def _create_empty_geopackage(tmp: Path) -> None:
    frame = gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:2154")
    pyogrio.write_dataframe(frame, tmp, layer="_empty", driver="GPKG")
    with contextlib.closing(sqlite3.connect(tmp)) as db, db:
        db.execute("DROP TABLE IF EXISTS _empty")
        for table in ("gpkg_contents", "gpkg_geometry_columns"):
            db.execute(f"DELETE FROM {table} WHERE table_name = '_empty'")


def _create_tables(db: sqlite3.Connection) -> None:
    for table, columns in _TABLES.items():
        db.execute(f"CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT, {columns})")
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
            "VALUES (?, 'attributes', ?, ?)",
            (table, table, _DESCRIPTIONS[table]),
        )


# -- loading ----------------------------------------------------------------------------------
def load_project(path: str | Path, feedback: Feedback | None = None) -> City:
    """Read a project written by :func:`save_project`.

    Raises:
        ProjectNotFoundError: no file at ``path``.
        NotAProjectError: the file is not a GeoPackage, or a GeoPackage without urban-twin tables.
        ProjectVersionError: the project was written by a newer urban-twin.
    """
    feedback = ensure_feedback(feedback)
    path = Path(path)
    if path.is_dir():
        raise NotAProjectError(
            f"{path} is a folder, not a project file; give the path of a .twin.gpkg file.",
            code="project_is_folder",
            values={"file": str(path)},
        )
    if not path.is_file():
        raise ProjectNotFoundError(
            f"project {path} not found; check the path, or create it with `twin new {path}`.",
            code="project_not_found",
            values={"file": str(path)},
        )
    metadata, specs, rasters, meshes, provenance, scenarios, files = _read_tables(path)
    version = metadata.get("schema_version", 0)
    if not isinstance(version, int):
        raise _damaged(path, f"schema version {version!r}")
    if version > SCHEMA_VERSION:
        raise ProjectVersionError(
            f"{path} was written by a newer urban-twin (project format {version}, this version "
            f"reads up to {SCHEMA_VERSION}); update urban-twin to open it.",
            code="project_newer",
            values={"file": str(path), "version": version, "supported": SCHEMA_VERSION},
        )
    try:
        city = _read_city(path, metadata, specs, rasters, feedback)
    except TwinError:
        raise
    except _READ_ERRORS as exc:  # tables or layers damaged after the catalogue was read
        raise _damaged(path, plain_message(exc)) from exc
    city.meshes = meshes
    city.provenance = provenance
    city.scenarios = scenarios
    city.files = files
    logger.info("loaded %s (%d layers)", path, len(specs))
    return city


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(16) == b"SQLite format 3\x00"


def _damaged(path: Path, detail: str) -> NotAProjectError:
    return NotAProjectError(
        f"{path} looks like an urban-twin project but it is damaged ({detail}); open a backup "
        "or the autosaved copy.",
        code="project_damaged",
        values={"file": str(path), "detail": detail},
    )


def _read_city(
    path: Path,
    metadata: dict[str, Any],
    specs: dict[str, LayerSpec],
    rasters: dict[str, tuple[str, str]],
    feedback: Feedback,
) -> City:
    """The City of a project: CRS, origin, metadata, layers and rasters."""
    city = City(CRS.from_wkt(metadata["crs"]), name=str(metadata.get("name") or ""))
    origin = metadata.get("origin")
    city.origin = tuple(float(v) for v in origin) if origin else None  # type: ignore[assignment]
    city.metadata = {
        key.removeprefix("user."): value
        for key, value in metadata.items()
        if key.startswith("user.")
    }
    for number, (name, spec) in enumerate(specs.items()):
        feedback.raise_if_cancelled()
        frame = pyogrio.read_dataframe(path, layer=name, use_arrow=True)
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is None:
            frame = frame.set_crs(city.crs)
        city.set_layer(name, frame, spec, source=str(path))
        feedback.set_progress((number + 1) / max(len(specs), 1))
    for name, (unit, meaning) in rasters.items():
        city.set_raster(_read_raster(path, name, unit, meaning, city.crs))
    return city


def _read_tables(
    path: Path,
) -> tuple[
    dict[str, Any],
    dict[str, LayerSpec],
    dict[str, tuple[str, str]],
    dict[str, MeshStore],
    list[ProvenanceRecord],
    dict[str, dict[str, Any]],
    dict[str, StoredFile],
]:
    not_a_project = NotAProjectError(
        f"{path} is not an urban-twin project; create one with `twin new` and bring this file "
        f"in with `twin import PROJECT {path.name}`.",
        code="not_a_project",
        values={"file": str(path)},
    )
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if not set(_REQUIRED_TABLES) <= tables or "gpkg_contents" not in tables:
                raise not_a_project
            metadata = {
                key: json.loads(value)
                for key, value in db.execute("SELECT key, value FROM twin_metadata")
            }
            specs = {
                name: LayerSpec.from_json(text)
                for name, text in db.execute("SELECT name, spec FROM twin_layers ORDER BY fid")
            }
            rasters = {
                name: (unit, meaning)
                for name, unit, meaning in _rows(
                    db, tables, "twin_rasters", "SELECT name, unit, meaning FROM twin_rasters"
                )
            }
            meshes = {
                row[0]: _mesh_from_row(row)
                for row in _rows(
                    db,
                    tables,
                    "twin_meshes",
                    "SELECT name, origin, object_ids, vertices, faces, vertex_offsets, "
                    "face_offsets FROM twin_meshes",
                )
            }
            provenance = [
                ProvenanceRecord.from_dict(json.loads(text))
                for (text,) in _rows(
                    db, tables, "twin_provenance", "SELECT record FROM twin_provenance ORDER BY fid"
                )
            ]
            scenarios = {
                name: json.loads(text)
                for name, text in _rows(
                    db, tables, "twin_scenarios", "SELECT name, scenario FROM twin_scenarios"
                )
            }
            files = {
                name: StoredFile(name, media_type, bytes(data))
                for name, media_type, data in _rows(
                    db, tables, "twin_files", "SELECT name, media_type, data FROM twin_files"
                )
            }
    except NotAProjectError:
        raise
    except sqlite3.DatabaseError as exc:
        if _is_sqlite(path):  # a project cut short or overwritten in part
            raise _damaged(path, one_line(str(exc))) from exc
        raise not_a_project from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise NotAProjectError(
            f"{path} looks like an urban-twin project but its tables are damaged ({exc}); "
            "open a backup or the autosaved copy.",
            code="project_damaged",
            values={"file": str(path), "detail": str(exc)},
        ) from exc
    if "crs" not in metadata:
        raise NotAProjectError(
            f"{path}: the project metadata has no CRS; open a backup copy.",
            code="project_no_crs",
            values={"file": str(path)},
        )
    return metadata, specs, rasters, meshes, provenance, scenarios, files


def _mesh_from_row(row: tuple[Any, ...]) -> MeshStore:
    _, origin, object_ids, vertices, faces, vertex_offsets, face_offsets = row
    return MeshStore(
        vertices=np.frombuffer(vertices, dtype="<f4").astype(np.float32).reshape(-1, 3),
        faces=np.frombuffer(faces, dtype="<i4").astype(np.int32).reshape(-1, 3),
        vertex_offsets=np.frombuffer(vertex_offsets, dtype="<i8").astype(np.int64),
        face_offsets=np.frombuffer(face_offsets, dtype="<i8").astype(np.int64),
        object_ids=np.array(json.loads(object_ids), dtype=str),
        origin=tuple(float(v) for v in json.loads(origin)),  # type: ignore[arg-type]
    )


def _rows(db: sqlite3.Connection, tables: set[str], table: str, query: str) -> list[Any]:
    """Rows of an optional table, in insertion order; none when the table is absent."""
    if table not in tables:
        return []
    order = "" if "ORDER BY" in query else " ORDER BY fid"
    return db.execute(query + order).fetchall()
