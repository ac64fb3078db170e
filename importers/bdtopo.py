"""IGN BD TOPO v3: buildings (BATIMENT), road sections and communes.

Two deliveries are read: the GeoPackage (lowercase full field names: ``cleabs``, ``usage_1``,
``hauteur`` ...; layers ``batiment``, ``troncon_de_route``, ``commune``) and shapefiles (names
cut to 10 characters: ``ID``, ``USAGE1``, ``HAUTEUR`` ...; ``BATIMENT.shp``, ``COMMUNE.shp``).
Field names are matched without regard to case. A shapefile's text encoding is told from its
bytes (IGN ships UTF-8 without a ``.cpg``). docs/formats/bdtopo.md describes the mapping.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from importers import dbf
from importers.base import ImportOptions, ImportResult
from importers.bdtopo_roads import roads_from_bdtopo
from importers.heights import complete_heights, count_height_sources
from importers.sniffing import is_geopackage, is_shapefile
from importers.source_tools import (
    assemble,
    clean_geometries,
    column,
    column_name,
    gpkg_fields,
    has_fields,
    keep_in_range,
    numbers,
    read_layer,
    text,
    to_target_crs,
    unique_ids,
    years,
)
from importers.uses import BDTOPO_USAGE, bdtopo_uses
from twin.catalogue import BUILDINGS, COMMUNES
from twin.errors import InvalidInputError, UnsupportedFormatError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity
from twin.spec import conform

logger = logging.getLogger(__name__)

NAME = "bdtopo"
DESCRIPTION = "IGN BD TOPO v3: buildings, road sections and communes (GeoPackage or shapefile)"
SUFFIXES = (".gpkg", ".shp")

#: GeoPackage layer (lowercase) → twin layer.
GPKG_LAYERS: dict[str, str] = {
    "batiment": "buildings",
    "troncon_de_route": "roads",
    "commune": "communes",
}
_BUILDING_FIELDS = ({"cleabs", "usage_1", "hauteur"}, {"ID", "USAGE1", "HAUTEUR"})
_COMMUNE_FIELDS = ({"code_insee", "nom_officiel", "population"}, {"INSEE_COM", "NOM", "POPULATION"})

#: BATIMENT shapefile names (cut to 10 characters) → the GeoPackage's full names, so that the
#: source columns kept beside the twin's are the same whichever delivery a building came from.
SHAPEFILE_NAMES: dict[str, str] = {
    "NATURE": "nature",
    "USAGE1": "usage_1",
    "USAGE2": "usage_2",
    "LEGER": "construction_legere",
    "ETAT": "etat_de_l_objet",
    "DATE_CREAT": "date_creation",
    "DATE_MAJ": "date_modification",
    "DATE_APP": "date_d_apparition",
    "DATE_CONF": "date_de_confirmation",
    "SOURCE": "sources",
    "ID_SOURCE": "identifiants_sources",
    "ACQU_PLANI": "methode_d_acquisition_planimetrique",
    "PREC_PLANI": "precision_planimetrique",
    "ACQU_ALTI": "methode_d_acquisition_altimetrique",
    "PREC_ALTI": "precision_altimetrique",
    "MAT_MURS": "materiaux_des_murs",
    "MAT_TOITS": "materiaux_de_la_toiture",
    "Z_MIN_SOL": "altitude_minimale_sol",
    "Z_MIN_TOIT": "altitude_minimale_toit",
    "Z_MAX_TOIT": "altitude_maximale_toit",
    "Z_MAX_SOL": "altitude_maximale_sol",
    "ORIGIN_BAT": "origine_du_batiment",
    "APP_FF": "appariement_fichiers_fonciers",
}

#: Ground altitudes outside this range (m, NGF) are placeholders or errors, not altitudes.
PLAUSIBLE_GROUND_M = (-100.0, 4810.0)


def shapefile_kind(path: Path) -> str | None:
    """``"buildings"`` or ``"communes"`` for a BD TOPO shapefile, from its field names."""
    fields = dbf.field_names(path)
    if any(has_fields(fields, names) for names in _BUILDING_FIELDS):
        return "buildings"
    if any(has_fields(fields, names) for names in _COMMUNE_FIELDS):
        return "communes"
    return None


def sniff(path: Path) -> bool:
    """True for a GeoPackage with a ``batiment`` layer or a BATIMENT/COMMUNE shapefile."""
    if is_geopackage(path):
        return "batiment" in {name.lower() for name in gpkg_fields(path)}
    return is_shapefile(path) and shapefile_kind(path) is not None


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read BD TOPO buildings (and, from a GeoPackage, road sections and communes).

    ``options.source_layer`` (or ``options.kind`` naming a twin layer) restricts a GeoPackage
    to one layer.

    Raises:
        UnsupportedFormatError: the file is not a BD TOPO GeoPackage or shapefile.
        InvalidInputError: the chosen layer is not there, or OGR cannot read the file.
    """
    feedback = ensure_feedback(feedback)
    plan = _plan(path, options)
    encoding = dbf.detect_encoding(path) if is_shapefile(path) else None
    issues: list[Issue] = []
    layers: dict[str, gpd.GeoDataFrame] = {}
    for number, (source_layer, target) in enumerate(plan):
        with feedback.step(number / len(plan), (number + 1) / len(plan)):
            feedback.raise_if_cancelled()
            source = f"{path.name}:{source_layer}" if is_geopackage(path) else path.name
            frame = read_layer(
                path, name=path.name, layer=source_layer, bbox=bbox, encoding=encoding
            )
            frame = to_target_crs(frame, path, options, target_crs)
            if target == "buildings":
                layers[target] = _buildings(frame, source, issues, options)
            elif target == "roads":
                layers[target] = roads_from_bdtopo(frame, source, issues, source_name=NAME)
            else:
                layers[target] = _communes(frame, source, issues)
    details: dict[str, object] = {"source_layers": [layer or path.stem for layer, _ in plan]}
    if encoding:
        details["encoding"] = encoding
    if "buildings" in layers:
        details["height_sources"] = count_height_sources(layers["buildings"])
    return ImportResult.of(path.name, NAME, layers, issues, details)


def _plan(path: Path, options: ImportOptions) -> list[tuple[str | None, str]]:
    """Which source layers to read, and into which twin layer."""
    if is_shapefile(path):
        kind = shapefile_kind(path)
        if kind is None:
            raise UnsupportedFormatError(
                f"{path.name} has neither BD TOPO BATIMENT nor COMMUNE fields; import it with "
                "--as LAYER and a column mapping instead.",
                code="format_not_importer",
                values={"file": path.name, "importer": NAME},
            )
        return [(None, kind)]
    present = {name.lower(): name for name in gpkg_fields(path)}
    if "batiment" not in present:
        raise UnsupportedFormatError(
            f"{path.name} is not a BD TOPO GeoPackage (it has no 'batiment' layer); check that "
            "it is the right file, or import it with --as LAYER and a column mapping.",
            code="format_not_importer",
            values={"file": path.name, "importer": NAME},
        )
    plan: list[tuple[str | None, str]] = [
        (present[name], target) for name, target in GPKG_LAYERS.items() if name in present
    ]
    wanted = options.source_layer.lower()
    if wanted:
        plan = [(layer, target) for layer, target in plan if str(layer).lower() == wanted]
        if not plan:
            raise InvalidInputError(
                f"{path.name}: the BD TOPO importer reads the layers "
                f"{', '.join(present[n] for n in GPKG_LAYERS if n in present)}, not "
                f"'{options.source_layer}'; choose one of them.",
                code="source_layer_not_read",
                values={
                    "file": path.name,
                    "source_layer": options.source_layer,
                    "source_layers": [present[n] for n in GPKG_LAYERS if n in present],
                },
            )
    elif options.kind in GPKG_LAYERS.values():
        plan = [(layer, target) for layer, target in plan if target == options.kind] or plan
    return plan


def _buildings(
    frame: gpd.GeoDataFrame, source: str, issues: list[Issue], options: ImportOptions
) -> gpd.GeoDataFrame:
    present = {str(name) for name in frame.columns}
    renames = {
        short: full
        for short, full in SHAPEFILE_NAMES.items()
        if short in present and full not in present
    }
    frame = frame.rename(columns=renames)
    frame = frame.assign(id=text(column(frame, "cleabs", "ID"), frame.index))
    frame = unique_ids(frame, source, issues, Path(source).stem)
    frame = clean_geometries(frame, BUILDINGS, source, issues)
    index = frame.index
    names = {
        key: column_name(frame, *candidates)
        for key, candidates in {
            "usage_1": ("usage_1", "USAGE1"),
            "usage_2": ("usage_2", "USAGE2"),
            "nature": ("nature", "NATURE"),
            "dwellings": ("nombre_de_logements", "NB_LOGTS"),
            "floors": ("nombre_d_etages", "NB_ETAGES"),
            "year": ("date_d_apparition", "DATE_APP"),
            "height": ("hauteur", "HAUTEUR"),
            "ground": ("altitude_minimale_sol", "Z_MIN_SOL"),
            "roof": ("altitude_minimale_toit", "Z_MIN_TOIT"),
        }.items()
    }

    def get(key: str) -> pd.Series | None:
        return None if names[key] is None else frame[names[key]]

    usage_1 = text(get("usage_1"), index)
    _report_unknown_usages(usage_1, source, issues)
    ground = _plausible_ground(numbers(get("ground"), index), frame["id"], source, issues)
    columns = {
        "id": frame["id"],
        "parent_id": None,
        "name": None,
        "use": bdtopo_uses(usage_1, text(get("usage_2"), index), text(get("nature"), index)),
        "height_m": numbers(get("height"), index),
        "floors": numbers(get("floors"), index),
        "base_elevation_m": ground,
        "dwellings": numbers(get("dwellings"), index),
        "construction_year": years(get("year"), index),
        "source": NAME,
    }
    used = [column_name(frame, "cleabs")] + [names[k] for k in ("dwellings", "floors", "height")]
    out = keep_in_range(assemble(frame, columns, BUILDINGS, used=used), BUILDINGS, source, issues)
    out = complete_heights(
        out,
        source=source,
        storey_height_m=options.storey_height_m,
        roof_altitude_m=numbers(get("roof"), index),
        ground_altitude_m=ground,
        issues=issues,
    )
    return conform(out, BUILDINGS, source=source)


def _report_unknown_usages(usage: pd.Series, source: str, issues: list[Issue]) -> None:
    unknown = usage.notna() & ~usage.isin(list(BDTOPO_USAGE))
    for value, count in usage[unknown].value_counts().items():
        issues.append(
            Issue(
                Severity.WARNING,
                "use_unmapped",
                f"{count} building(s) with usage '{value}', not a BD TOPO v3 usage: use unknown",
                source,
            )
        )


def _plausible_ground(
    ground: pd.Series, ids: pd.Series, source: str, issues: list[Issue]
) -> pd.Series:
    low, high = PLAUSIBLE_GROUND_M
    bad = (ground.notna() & ~ground.between(low, high)).to_numpy()
    for row in np.flatnonzero(bad):
        issues.append(
            Issue(
                Severity.WARNING,
                "ground_altitude_implausible",
                f"ground altitude {ground.iloc[row]:g} m is not plausible in France; left empty",
                source,
                str(ids.iloc[row]),
            )
        )
    return ground.where(~bad)


def _communes(frame: gpd.GeoDataFrame, source: str, issues: list[Issue]) -> gpd.GeoDataFrame:
    code = column(frame, "code_insee", "INSEE_COM", "CODE_INSEE")
    if code is None:
        raise InvalidInputError(
            f"{source}: the commune layer has no INSEE code field (INSEE_COM or CODE_INSEE); "
            "give the COMMUNE layer as IGN delivers it.",
            code="bdtopo_commune_no_insee",
            values={"file": source},
        )
    frame = frame.assign(id=text(code, frame.index))
    frame = clean_geometries(unique_ids(frame, source, issues, "commune"), COMMUNES, source, issues)
    name = column_name(frame, "nom_officiel", "NOM")
    population = column_name(frame, "population")
    columns = {
        "id": frame["id"],
        "parent_id": None,
        "name": text(None if name is None else frame[name], frame.index),
        "population": numbers(None if population is None else frame[population], frame.index),
    }
    out = assemble(frame, columns, COMMUNES, used=[name, population])
    return conform(keep_in_range(out, COMMUNES, source, issues), COMMUNES, source=source)
