"""IGN/INSEE "Contours IRIS" (GeoPackage or shapefile) → the twin's ``districts``.

Fields ``CODE_IRIS``, ``NOM_IRIS``, ``INSEE_COM``, ``NOM_COM``, ``IRIS``, ``TYP_IRIS`` (any
case; ``CODE_INSEE`` and ``TYPE_IRIS`` are accepted too). Each IRIS hangs from its commune
(``parent_id`` = INSEE code). docs/formats/iris.md describes the mapping.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from importers import dbf
from importers.base import ImportOptions, ImportResult
from importers.sniffing import is_geopackage, is_shapefile
from importers.source_tools import (
    assemble,
    clean_geometries,
    column,
    column_name,
    gpkg_fields,
    has_fields,
    read_layer,
    text,
    to_target_crs,
    unique_ids,
)
from twin.catalogue import DISTRICTS
from twin.errors import InvalidInputError, UnsupportedFormatError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue
from twin.spec import conform

logger = logging.getLogger(__name__)

NAME = "iris"
DESCRIPTION = "IGN/INSEE Contours IRIS (GeoPackage or shapefile) as districts"
SUFFIXES = (".gpkg", ".shp")

_REQUIRED = {"code_iris", "nom_iris"}


def iris_layers(path: Path) -> list[str | None]:
    """The layers of ``path`` that hold IRIS contours (``[None]`` for a shapefile)."""
    if is_geopackage(path):
        return [name for name, fields in gpkg_fields(path).items() if has_fields(fields, _REQUIRED)]
    if is_shapefile(path) and has_fields(dbf.field_names(path), _REQUIRED):
        return [None]
    return []


def sniff(path: Path) -> bool:
    """True for a GeoPackage layer or shapefile with ``CODE_IRIS`` and ``NOM_IRIS`` fields."""
    return bool(iris_layers(path))


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read IRIS contours into the ``districts`` layer.

    Raises:
        UnsupportedFormatError: no layer of the file has IRIS fields.
        InvalidInputError: ``options.source_layer`` names a layer without IRIS fields, or OGR
            cannot read the file.
    """
    feedback = ensure_feedback(feedback)
    layer = _choose_layer(path, options)
    encoding = dbf.detect_encoding(path) if is_shapefile(path) else None
    frame = read_layer(path, name=path.name, layer=layer, bbox=bbox, encoding=encoding)
    feedback.set_progress(0.5)
    frame = to_target_crs(frame, path, options, target_crs)
    issues: list[Issue] = []
    districts = districts_from_iris(frame, path.name, issues)
    feedback.set_progress(1.0)
    details = {"source_layer": layer or "", **({"encoding": encoding} if encoding else {})}
    return ImportResult.of(path.name, NAME, {"districts": districts}, issues, details)


def _choose_layer(path: Path, options: ImportOptions) -> str | None:
    layers = iris_layers(path)
    if not layers:
        raise UnsupportedFormatError(
            f"{path.name} has no CODE_IRIS and NOM_IRIS fields: it is not an IRIS contours file; "
            "check that it is the right file, or import it with --as districts and a mapping.",
            code="format_not_importer",
            values={"file": path.name, "importer": NAME},
        )
    if options.source_layer and layers != [None]:
        if options.source_layer not in layers:
            raise InvalidInputError(
                f"{path.name}: layer '{options.source_layer}' holds no IRIS contours; the IRIS "
                f"layers are {', '.join(str(name) for name in layers)}: choose one of them with "
                "--layer.",
                code="source_layer_not_read",
                values={
                    "file": path.name,
                    "source_layer": options.source_layer,
                    "source_layers": [str(name) for name in layers],
                },
            )
        return options.source_layer
    if len(layers) > 1:
        logger.warning("%s has several IRIS layers; reading %s", path.name, layers[0])
    return layers[0]


def districts_from_iris(
    frame: gpd.GeoDataFrame, source: str, issues: list[Issue]
) -> gpd.GeoDataFrame:
    """IRIS rows as districts: id = IRIS code, parent = commune, kind ``iris``.

    Codes stored as numbers get their leading zeros back (``10010000`` → ``010010000``).
    """
    frame = frame.assign(id=code(column(frame, "code_iris"), frame.index, 9))
    frame = clean_geometries(unique_ids(frame, source, issues, "iris"), DISTRICTS, source, issues)
    index = frame.index
    commune = code(column(frame, "insee_com", "code_insee"), index, 5)
    type_name = column_name(frame, "typ_iris", "type_iris")
    columns = {
        "id": frame["id"],
        "parent_id": commune.fillna(frame["id"].astype("string").str[:5]),
        "name": text(column(frame, "nom_iris"), index),
        "kind": "iris",
        "iris_type": text(None if type_name is None else frame[type_name], index),
    }
    used = ["code_iris", "nom_iris", "insee_com", "code_insee", type_name]
    out = assemble(frame, columns, DISTRICTS, used=used)
    return conform(out, DISTRICTS, source=source)


def code(values: pd.Series | None, index: pd.Index, width: int) -> pd.Series:
    """An INSEE code as text, left-padded with zeros when it was stored as a number.

    >>> code(pd.Series([10010000, None]), pd.RangeIndex(2), 9).tolist()
    ['010010000', <NA>]
    >>> code(pd.Series(["2A0040101"]), pd.RangeIndex(1), 9).tolist()
    ['2A0040101']
    """
    if values is not None and pd.api.types.is_numeric_dtype(values):
        digits = pd.to_numeric(values, errors="coerce").astype("Int64").astype("string")
        return digits.str.zfill(width)
    return text(values, index)
