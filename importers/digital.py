"""Existing digital infrastructure → the twin's ``digital_assets`` layer.

Reads fibre routes and ducts (lines), premises with their FTTH status (ARCEP *Ma connexion
internet* / IPE ``immeubles``), mobile sites (ANFR, one row per site or per emitter), sensors,
smart meters, streetlights, LoRaWAN gateways and connection points, from a GeoPackage (every
recognised layer at once, as for BD TOPO), a shapefile, GeoJSON, FlatGeobuf or a CSV table
with coordinates (WGS84 or Lambert-93). Layers are recognised by their names and fields
(:mod:`importers.digital_layers`); fields and values are mapped by
:mod:`importers.digital_columns`. Lengths are measured in the project CRS. Any other file
goes through the generic vector importer with a mapping (``--as digital_assets``). See
docs/formats/digital.md.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from importers import dbf
from importers.base import ImportOptions, ImportResult
from importers.digital_columns import assets_from_layer
from importers.digital_layers import Family, digital_layers
from importers.digital_place import drop_far_from_the_rest, drop_outside_crs_area
from importers.digital_table import is_text_table, read_table, table_points
from importers.sniffing import is_geopackage, is_shapefile
from importers.source_tools import read_layer, to_target_crs
from twin.catalogue import DIGITAL_ASSETS
from twin.errors import InvalidInputError, UnsupportedFormatError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity
from twin.spec import conform

logger = logging.getLogger(__name__)

NAME = "digital"
DESCRIPTION = (
    "Digital infrastructure: fibre routes, FTTH premises (ARCEP), mobile sites (ANFR), sensors "
    "(GeoPackage, Shapefile, GeoJSON, CSV)"
)
SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".csv", ".txt", ".tsv")
#: Ids made only of this many digits or fewer are row numbers, not identifiers.
ROW_NUMBER_DIGITS = 4


def sniff(path: Path) -> bool:
    """True when a layer's name and fields say it holds digital infrastructure."""
    return bool(digital_layers(path))


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read every recognised layer of ``path`` into ``digital_assets``.

    ``options.source_layer`` restricts a GeoPackage to one layer. ``bbox`` is in the file's
    CRS for vector files (OGR filters on it), in ``target_crs`` for a CSV table.

    Raises:
        UnsupportedFormatError: no layer of the file holds digital infrastructure.
        InvalidInputError: the chosen layer is not a recognised one, or the file cannot be read.
        CrsError: the file declares no CRS (or its coordinates are neither degrees nor
            Lambert-93) and none was given with ``--crs``.
    """
    feedback = ensure_feedback(feedback)
    plan = _plan(path, options)
    encoding = dbf.detect_encoding(path) if is_shapefile(path) else None
    issues: list[Issue] = []
    frames: list[gpd.GeoDataFrame] = []
    for number, (layer, family) in enumerate(plan.items()):
        with feedback.step(number / len(plan), (number + 1) / len(plan)):
            feedback.raise_if_cancelled()
            source = f"{path.name}:{layer}" if layer else path.name
            frame = _read_source(path, layer, options, target_crs, bbox, encoding)
            frames.append(assets_from_layer(frame, family, source=source, issues=issues))
    assets = _combine(frames, issues)
    assets = drop_outside_crs_area(assets, target_crs, issues)
    assets = drop_far_from_the_rest(assets, issues)
    assets = conform(assets, DIGITAL_ASSETS, source=path.name)
    kinds = {str(kind): int(n) for kind, n in assets["kind"].value_counts().sort_index().items()}
    details = {
        "layers": {str(layer or path.name): family.name for layer, family in plan.items()},
        "kinds": kinds,
        "source_layer": options.source_layer,
    }
    logger.info("%s: %d digital assets %s", path.name, len(assets), kinds)
    return ImportResult.of(path.name, NAME, {"digital_assets": assets}, issues, details)


def _plan(path: Path, options: ImportOptions) -> dict[str | None, Family]:
    layers = digital_layers(path)
    if not layers:
        raise UnsupportedFormatError(
            f"{path.name} holds no layer recognised as digital infrastructure (fibre routes, "
            "premises with an FTTH status, mobile sites, sensors ...); read it with a mapping: "
            "--as digital_assets --map kind=... (see docs/formats/digital.md).",
            code="format_not_importer",
            values={"file": path.name, "importer": NAME},
        )
    if options.source_layer and is_geopackage(path):
        if options.source_layer not in layers:
            names = ", ".join(str(layer) for layer in layers)
            raise InvalidInputError(
                f"{path.name}: layer '{options.source_layer}' is not recognised as digital "
                f"infrastructure; the recognised layers are {names} (or map it with "
                "--as digital_assets --map kind=...).",
                code="source_layer_not_read",
                values={
                    "file": path.name,
                    "source_layer": options.source_layer,
                    "source_layers": [str(layer) for layer in layers],
                },
            )
        return {options.source_layer: layers[options.source_layer]}
    return layers


def _read_source(
    path: Path,
    layer: str | None,
    options: ImportOptions,
    target_crs: CRS,
    bbox: tuple[float, float, float, float] | None,
    encoding: str | None,
) -> gpd.GeoDataFrame:
    if is_text_table(path):
        table = read_table(path)
        geometry, crs, used = table_points(table, options.source_crs, path.name)
        frame = gpd.GeoDataFrame(table.drop(columns=used), geometry=geometry, crs=crs)
        frame = frame.to_crs(target_crs) if not CRS(crs).equals(target_crs) else frame
        if bbox is not None:
            inside = shapely.intersects(frame.geometry.to_numpy(), shapely.box(*bbox))
            frame = frame[inside].reset_index(drop=True)
        return frame
    frame = read_layer(path, name=path.name, layer=layer, bbox=bbox, encoding=encoding)
    return to_target_crs(frame, path, options, target_crs)


def _combine(frames: list[gpd.GeoDataFrame], issues: list[Issue]) -> gpd.GeoDataFrame:
    """One frame; row numbers used as ids, and ids found in several layers, get the layer's
    name in front (``capteurs-12``, ``fibre:FO-1``) so that ids stay unique."""
    frames = [frame for frame in frames if len(frame)] or frames[:1]
    frames = [_qualify_row_numbers(frame, issues) for frame in frames]
    if len(frames) > 1:
        seen = pd.concat([frame["id"].drop_duplicates() for frame in frames], ignore_index=True)
        shared = set(seen[seen.duplicated()])
        for number, frame in enumerate(frames):
            if shared and frame["id"].isin(shared).any():
                frames[number] = _prefixed(frame, ":", "an id used in another layer", issues)
    combined = pd.concat(_text_where_mixed(frames), ignore_index=True)
    return gpd.GeoDataFrame(combined, geometry="geometry", crs=frames[0].crs)


def _qualify_row_numbers(frame: gpd.GeoDataFrame, issues: list[Issue]) -> gpd.GeoDataFrame:
    short = frame["id"].astype(str).str.fullmatch(rf"\d{{1,{ROW_NUMBER_DIGITS}}}")
    if not short.any():
        return frame
    return _prefixed(frame, "-", "ids that are row numbers", issues, short.to_numpy())


def _prefixed(
    frame: gpd.GeoDataFrame,
    separator: str,
    why: str,
    issues: list[Issue],
    rows: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    source = str(frame["source_layer"].iloc[0])
    name = source.rsplit(":", 1)[-1].rsplit(".", 1)[0]
    rows = np.ones(len(frame), dtype=bool) if rows is None else rows
    ids = frame["id"].astype(str).to_numpy().astype(object)
    ids[rows] = (f"{name}{separator}" + pd.Series(ids[rows], dtype=str)).to_numpy()
    issues.append(
        Issue(
            Severity.INFO,
            "id_prefixed",
            f"{int(rows.sum())} id(s) prefixed with '{name}{separator}' ({why}), so that they "
            "stay unique in the project",
            source,
            str(ids[rows][0]),
        )
    )
    return frame.assign(id=ids)


def _text_where_mixed(frames: list[gpd.GeoDataFrame]) -> list[gpd.GeoDataFrame]:
    """Extra columns holding numbers in one layer and text in another become text."""
    kinds: dict[str, set[str]] = {}
    for frame in frames:
        for name in frame.columns:
            kinds.setdefault(str(name), set()).add(frame[name].dtype.kind)
    mixed = {name for name, found in kinds.items() if len(found) > 1}
    mixed -= {*DIGITAL_ASSETS.column_names, "geometry"}
    return [
        frame.assign(**{name: frame[name].astype("string") for name in mixed & set(frame)})
        for frame in frames
    ]
