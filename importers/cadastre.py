"""Etalab cadastre GeoJSON (cadastre.data.gouv.fr): parcelles, batiments, communes.

Files are read as distributed, plain (``.json``) or gzipped (``.json.gz``, recognised by the
gzip magic bytes, not the name). What a file holds is told by the properties of its first
feature, so a plain GeoJSON is left to the generic vector importer. Coordinates (EPSG:4326)
are reprojected to the project CRS. docs/formats/cadastre.md describes the mapping.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from importers.base import ImportOptions, ImportResult
from importers.geojson_head import first_properties, is_gzip
from importers.heights import complete_heights, count_height_sources
from importers.sniffing import ensure_utf8_text
from importers.source_tools import (
    assemble,
    clean_geometries,
    column,
    keep_in_range,
    numbers,
    read_layer,
    text,
    to_target_crs,
    unique_ids,
)
from importers.uses import CADASTRE_TYPE
from twin.catalogue import BUILDINGS, COMMUNES, PARCELS
from twin.errors import InvalidInputError, UnsupportedFormatError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity
from twin.spec import conform
from twin.uses import BuildingUse

logger = logging.getLogger(__name__)

NAME = "cadastre"
DESCRIPTION = "Etalab cadastre GeoJSON: parcelles, batiments, communes (plain or .json.gz)"
SUFFIXES = (".json", ".geojson", ".json.gz")

#: A parcel whose drawn area differs from its contenance by more than this is reported.
CONTENANCE_TOLERANCE = 0.10

_PARCEL_KEYS = {"id", "commune", "prefixe", "section", "numero", "contenance"}
_SECTION_KEYS = {"id", "commune", "prefixe", "code"}
_BUILDING_KEYS = {"type", "nom", "commune", "created", "updated", "id"}
_COMMUNE_KEYS = {"id", "nom", "created", "updated"}
_INSEE = re.compile(r"(\d{5}|2[AB]\d{3})")


def etalab_kind(path: Path) -> str | None:
    """What an Etalab cadastre file holds, from its first feature's properties.

    Returns ``"parcelles"``, ``"batiments"``, ``"sections"``, ``"communes"``, or None when the
    file is not an Etalab cadastre GeoJSON.
    """
    properties = first_properties(path)
    if properties is None:
        return None
    keys = set(properties)
    if keys >= _PARCEL_KEYS:
        return "parcelles"
    if keys >= _SECTION_KEYS:
        return "sections"
    if {"type", "commune"} <= keys <= _BUILDING_KEYS and properties["type"] in CADASTRE_TYPE:
        return "batiments"
    if {"id", "nom"} <= keys <= _COMMUNE_KEYS and _INSEE.fullmatch(str(properties["id"])):
        return "communes"
    return None


def sniff(path: Path) -> bool:
    """True for Etalab cadastre parcelles, batiments, sections and communes (also gzipped)."""
    return etalab_kind(path) is not None


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read an Etalab cadastre file into ``parcels``, ``buildings`` or ``communes``.

    Raises:
        UnsupportedFormatError: the file is not an Etalab cadastre GeoJSON.
        InvalidInputError: the file holds sections (no layer of the twin), or OGR cannot
            read it.
    """
    feedback = ensure_feedback(feedback)
    kind = etalab_kind(path)
    if kind is None:
        raise UnsupportedFormatError(
            f"{path.name} is not an Etalab cadastre GeoJSON (parcelles, batiments, communes); "
            "import it with --as LAYER and a column mapping instead.",
            code="format_not_importer",
            values={"file": path.name, "importer": NAME},
        )
    if kind == "sections":
        raise InvalidInputError(
            f"{path.name} holds cadastral sections, which have no layer in the twin (each "
            "parcel keeps its section); import the parcelles file instead.",
            code="cadastre_sections",
            values={"file": path.name},
        )
    logger.info("%s: Etalab cadastre %s", path.name, kind)
    issues: list[Issue] = []
    layers: dict[str, gpd.GeoDataFrame] = {}
    details: dict[str, object] = {"etalab_file": kind, "gzip": is_gzip(path)}
    if is_gzip(path):  # read_layer checks plain files; a gzipped one is checked here
        ensure_utf8_text(path)
    source = f"/vsigzip/{path}" if is_gzip(path) else path
    frame = read_layer(source, name=path.name, bbox=bbox)
    feedback.set_progress(0.5)
    frame = to_target_crs(frame, path, options, target_crs)
    if kind == "parcelles":
        layers["parcels"] = _parcels(frame, path.name, issues)
    elif kind == "batiments":
        layers["buildings"] = _buildings(frame, path.name, issues, options)
        details["height_sources"] = count_height_sources(layers["buildings"])
    else:
        layers["communes"] = _communes(frame, path.name, issues)
    feedback.set_progress(1.0)
    return ImportResult.of(path.name, NAME, layers, issues, details)


def _parcels(frame: gpd.GeoDataFrame, source: str, issues: list[Issue]) -> gpd.GeoDataFrame:
    index = frame.index
    commune = text(column(frame, "commune"), index)
    prefixe = text(column(frame, "prefixe"), index).fillna("000")
    section = text(column(frame, "section"), index)
    numero = text(column(frame, "numero"), index)
    rebuilt = commune + prefixe + section.str.zfill(2) + numero.str.zfill(4)
    frame = frame.assign(id=text(column(frame, "id"), index).fillna(rebuilt))
    frame = clean_geometries(unique_ids(frame, source, issues, "parcelle"), PARCELS, source, issues)
    index = frame.index
    section = text(column(frame, "section"), index)
    numero = text(column(frame, "numero"), index).str.lstrip("0").replace("", "0")
    prefixe = text(column(frame, "prefixe"), index).fillna("000")
    shown = pd.Series(np.where(prefixe == "000", "", prefixe + " "), index=index)
    contenance = numbers(column(frame, "contenance"), index)
    _report_area_differences(frame, contenance, source, issues)
    columns = {
        "id": frame["id"],
        "parent_id": None,
        "name": (shown + section + " " + numero).where(section.notna() & numero.notna()),
        "commune": text(column(frame, "commune"), index),
        "section": section,
        "numero": text(column(frame, "numero"), index),
        "contenance_m2": contenance,
    }
    out = assemble(frame, columns, PARCELS, used=["contenance"])
    return conform(keep_in_range(out, PARCELS, source, issues), PARCELS, source=source)


def _report_area_differences(
    frame: gpd.GeoDataFrame, contenance: pd.Series, source: str, issues: list[Issue]
) -> None:
    """Parcels whose drawn area is more than 10 % away from their legal area (info only)."""
    ratio = (frame.geometry.area / contenance.where(contenance > 0)).to_numpy()
    far = np.abs(ratio - 1.0) > CONTENANCE_TOLERANCE
    for row in np.flatnonzero(far):
        issues.append(
            Issue(
                Severity.INFO,
                "area_differs_from_contenance",
                f"drawn area is {ratio[row]:.2f} × the cadastral contenance "
                f"({contenance.iloc[row]:g} m²); both kept",
                source,
                str(frame["id"].iloc[row]),
            )
        )


def _buildings(
    frame: gpd.GeoDataFrame, source: str, issues: list[Issue], options: ImportOptions
) -> gpd.GeoDataFrame:
    index = frame.index
    commune = text(column(frame, "commune"), index).fillna(Path(source).stem)
    numbered = commune + "-bati-" + pd.Series(np.arange(1, len(frame) + 1), index=index).astype(str)
    frame = frame.assign(id=text(column(frame, "id"), index).fillna(numbered))
    frame = clean_geometries(unique_ids(frame, source, issues, "bati"), BUILDINGS, source, issues)
    index = frame.index
    kind = text(column(frame, "type"), index)
    use = kind.map(CADASTRE_TYPE)
    for value, count in kind[kind.notna() & use.isna()].value_counts().items():
        issues.append(
            Issue(
                Severity.WARNING,
                "use_unmapped",
                f"{count} building(s) of cadastre type '{value}' (not 01/02): use unknown",
                source,
            )
        )
    columns = {
        "id": frame["id"],
        "parent_id": None,
        "name": text(column(frame, "nom"), index),
        "use": use.fillna(BuildingUse.UNKNOWN.value).astype(str),
        "height_m": np.nan,
        "source": NAME,
    }
    out = assemble(frame, columns, BUILDINGS, used=["nom"])
    out = complete_heights(
        out, source=source, storey_height_m=options.storey_height_m, issues=issues
    )
    return conform(keep_in_range(out, BUILDINGS, source, issues), BUILDINGS, source=source)


def _communes(frame: gpd.GeoDataFrame, source: str, issues: list[Issue]) -> gpd.GeoDataFrame:
    index = frame.index
    frame = frame.assign(id=text(column(frame, "id"), index))
    frame = clean_geometries(unique_ids(frame, source, issues, "commune"), COMMUNES, source, issues)
    columns = {
        "id": frame["id"],
        "parent_id": None,
        "name": text(column(frame, "nom"), frame.index),
    }
    out = assemble(frame, columns, COMMUNES, used=["nom"])
    return conform(keep_in_range(out, COMMUNES, source, issues), COMMUNES, source=source)
