"""INSEE Filosofi gridded data (200 m or 1 km cells) → the twin's ``population_cells``.

Read from a shapefile (or its .dbf alone), a GeoPackage layer or a CSV table. Fields are found
whatever their case and vintage (``ind``/``Ind``, ``men``/``Men``, ``men_pauv``; the cell id in
``Idcar_200m``, ``IdINSPIRE``, ``id_car2010`` ... see :mod:`importers.filosofi_table`). A cell
without geometry (a CSV, a table) gets the square its INSEE id names, built in EPSG:3035 and
reprojected; a cell with a geometry but no id gets the id of its square. docs/formats/filosofi.md
describes the mapping.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from importers import dbf
from importers.base import ImportOptions, ImportResult
from importers.filosofi_cells import cells_from_filosofi
from importers.filosofi_table import (
    csv_fields,
    looks_like_filosofi,
    read_csv_table,
    year_from_names,
)
from importers.sniffing import is_geopackage, is_shapefile
from importers.source_tools import gpkg_fields, read_layer
from twin.errors import InvalidInputError, UnsupportedFormatError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue

logger = logging.getLogger(__name__)

NAME = "filosofi"
DESCRIPTION = "INSEE Filosofi 200 m / 1 km gridded population (shapefile, GeoPackage, CSV)"
SUFFIXES = (".gpkg", ".shp", ".dbf", ".csv")


def filosofi_layers(path: Path) -> list[str | None]:
    """The layers of ``path`` holding Filosofi cells (``[None]`` for a one-table file)."""
    if is_geopackage(path):
        return [name for name, fields in gpkg_fields(path).items() if looks_like_filosofi(fields)]
    if is_shapefile(path):
        return [None] if looks_like_filosofi(dbf.field_names(path)) else []
    if _is_dbf(path):
        return [None] if looks_like_filosofi(_dbf_fields(path)) else []
    return [None] if looks_like_filosofi(csv_fields(path)) else []


def sniff(path: Path) -> bool:
    """True for a Filosofi grid: inhabitants (``ind``) and a cell id among its fields."""
    return bool(filosofi_layers(path))


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read Filosofi cells into the ``population_cells`` layer.

    ``bbox`` is in the file's CRS for a shapefile or GeoPackage (OGR filters on it), in
    ``target_crs`` for a table without geometry. The vintage (``year``) is read from the file,
    folder or layer name (``Filosofi2017_...``), else from ``options.defaults["year"]``.

    Raises:
        UnsupportedFormatError: the file holds no Filosofi fields.
        InvalidInputError: the chosen layer holds none, or the file cannot be read.
        CrsError: the file has geometries but declares no CRS, and none was given.
    """
    feedback = ensure_feedback(feedback)
    layer = _choose_layer(path, options)
    encoding = dbf.detect_encoding(path) if is_shapefile(path) else None
    tabular = not (is_geopackage(path) or is_shapefile(path) or _is_dbf(path))
    if tabular:
        frame: pd.DataFrame = read_csv_table(path)
    else:
        frame = read_layer(path, name=path.name, layer=layer, bbox=bbox, encoding=encoding)
    feedback.set_progress(0.5)
    year = year_from_names(layer, path.stem, path.parent.name) or options.defaults.get("year")
    issues: list[Issue] = []
    source = f"{path.name}:{layer}" if layer else path.name
    cells, details = cells_from_filosofi(
        frame, source=source, options=options, target_crs=target_crs, year=year, issues=issues
    )
    if tabular and bbox is not None:
        cells = cells[cells.intersects(shapely.box(*bbox))].reset_index(drop=True)
    feedback.set_progress(1.0)
    details = {"source_layer": layer or "", "year": year, **details}
    if encoding:
        details["encoding"] = encoding
    total = float(np.nansum(cells["inhabitants"]))
    logger.info("%s: %d Filosofi cells, %.1f inhabitants", path.name, len(cells), total)
    return ImportResult.of(path.name, NAME, {"population_cells": cells}, issues, details)


def _choose_layer(path: Path, options: ImportOptions) -> str | None:
    layers = filosofi_layers(path)
    if not layers:
        raise UnsupportedFormatError(
            f"{path.name} has no Filosofi fields (inhabitants 'ind' and a cell id such as "
            "'Idcar_200m'): it is not an INSEE gridded population file; check that it is the "
            "right file, or import it with --as LAYER and a column mapping.",
            code="format_not_importer",
            values={"file": path.name, "importer": NAME},
        )
    if options.source_layer and layers != [None]:
        if options.source_layer not in layers:
            raise InvalidInputError(
                f"{path.name}: layer '{options.source_layer}' holds no Filosofi cells; the "
                f"Filosofi layers are {', '.join(str(name) for name in layers)}: choose one of "
                "them with --layer.",
                code="source_layer_not_read",
                values={
                    "file": path.name,
                    "source_layer": options.source_layer,
                    "source_layers": [str(name) for name in layers],
                },
            )
        return options.source_layer
    if len(layers) > 1:
        logger.warning("%s has several Filosofi layers; reading %s", path.name, layers[0])
    return layers[0]


def _is_dbf(path: Path) -> bool:
    return path.suffix.lower() == ".dbf" and bool(_dbf_fields(path))


def _dbf_fields(path: Path) -> list[str]:
    try:
        return [field.name for field in dbf.read_fields(path)[0]]
    except (OSError, ValueError):
        return []
