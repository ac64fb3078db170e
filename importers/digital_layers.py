"""Which layers of a file hold digital infrastructure, and of what family.

A layer is recognised by its fields first (ANFR's ``sta_nm_anfr``/``emr_lb_systeme``, ARCEP's
``imb_id``/``imb_etat``/``nb_locaux``, a fibre route's ``mode_pose``/``nb_fibres``), then by its
name (``capteurs``, ``fourreaux``, ``sites_mobiles`` ...) with a field or geometry that fits.
Names are compared without case or accents, as whole words (``pm`` is not in ``pompe``).
Layers of BD TOPO, the cadastre, IRIS, GTFS or Filosofi match none of these.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyogrio

from importers import dbf
from importers.digital_table import csv_header, is_text_table
from importers.geojson_head import first_properties
from importers.sniffing import head, is_flatgeobuf, is_geojson, is_geopackage, is_shapefile
from importers.source_tools import gpkg_fields


@dataclass(frozen=True)
class Family:
    """A family of source layers and the ``kind`` its rows get.

    Attributes:
        name: the family (``premises``, ``fibre``, ``mobile`` ...).
        kind: the ``digital_assets`` kind of its rows (a fibre row may become a duct).
        linear: its rows are lines (cables, ducts); otherwise points.
        fields: field names (lower case) any one of which identifies the family.
        names: a regular expression over the layer or file name (normalised).
        name_needs: with a name match, at least one of these fields (empty: none needed).
    """

    name: str
    kind: str
    linear: bool
    fields: frozenset[str]
    names: str
    name_needs: frozenset[str] = frozenset()


OPERATOR_FIELDS = ("operateur", "operator", "adm_lb_nom", "nom_op", "exploitant", "gestionnaire")
TECHNOLOGY_FIELDS = ("technologies", "technologie", "technology", "techno", "generation")
STATUS_FIELDS = ("imb_etat", "etat_imm", "statut", "status", "etat", "ftth_status")

#: Families, in the order a layer is tested against their names (most specific first).
FAMILIES: tuple[Family, ...] = (
    Family("duct", "fibre_duct", True, frozenset(),
           r"fourreaux?|gaines?|conduites?|alveoles?|ducts?|genie civil"),
    Family("connection_point", "connection_point", False, frozenset(),
           r"pbo|pto|pm|pmz|sro|nro|boitiers?|chambres?|connection points?|"
           r"points? d[e ]*(branchement|mutualisation|raccordement)"),
    Family("sensor", "sensor", False, frozenset({"sensor_type", "type_capteur"}),
           r"capteurs?|sensors?|iot"),
    Family("streetlight", "streetlight", False, frozenset(),
           r"eclairage public|lampadaires?|candelabres?|luminaires?|streetlights?"),
    Family("smart_meter", "smart_meter", False, frozenset(),
           r"compteurs?|smart meters?|linky|gazpar"),
    Family("lorawan_gateway", "lorawan_gateway", False, frozenset(),
           r"lora\w*|gateways?"),
    Family("mobile", "mobile_site", False,
           frozenset({"sta_nm_anfr", "sup_id", "adm_lb_nom", "emr_lb_systeme", "sup_nm_haut",
                      "id_station_anfr", "site_4g", "site_5g"}),
           r"sites? mobiles?|mobiles?|antennes?|anfr|cartoradio|relais|telephonie",
           frozenset(OPERATOR_FIELDS + TECHNOLOGY_FIELDS)),
    Family("premises", "premises", False,
           frozenset({"imb_id", "imb_etat", "etat_imm", "nb_logement_locaux", "nb_locaux",
                      "nb_log_locaux"}),
           r"locaux|immeubles?|imb|ipe|raccordables?|premises|eligibilite|ftth",
           frozenset((*STATUS_FIELDS, "nb_logements", "nb_log", "nb_prises"))),
    Family("fibre", "fibre_cable", True, frozenset({"mode_pose", "nb_fibres", "nb_fo"}),
           r"fibres?|optiques?|cables?|fo|ftth|arteres?"),
)  # fmt: skip

_LINES = {"linestring", "multilinestring", "linestring z", "multilinestring z"}


def plain_name(name: str) -> str:
    """A layer or file name compared with the families' words.

    >>> plain_name("Locaux_Raccordables-2024.gpkg")
    'locaux raccordables 2024 gpkg'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def classify(name: str, fields: list[str], geometry: str | None = None) -> Family | None:
    """The family of a layer from its name, field names and geometry type (None: unknown).

    >>> classify("sites_mobiles", ["id", "operateur", "technologies"], "Point").name
    'mobile'
    >>> classify("troncon_de_route", ["cleabs", "nature"], "LineString") is None
    True
    """
    lower = {field.strip().lower() for field in fields}
    kind = (geometry or "").lower()
    shape = "line" if kind in _LINES else "point" if kind and kind not in _LINES else None
    words = plain_name(name)
    for family in FAMILIES:
        if family.fields & lower and _fits(family, shape):
            return family
    for family in FAMILIES:
        if not re.search(rf"(?<![a-z])({family.names})(?![a-z])", words):
            continue
        if family.name_needs and not family.name_needs & lower:
            continue
        if _fits(family, shape):
            return family
    return None


def _fits(family: Family, shape: str | None) -> bool:
    return shape is None or (shape == "line") == family.linear


def digital_layers(path: Path) -> dict[str | None, Family]:
    """Recognised layers of ``path`` (``None`` for a one-layer file) and their families."""
    found: dict[str | None, Family] = {}
    if is_geopackage(path):
        types = _gpkg_geometry_types(path)
        for layer, fields in gpkg_fields(path).items():
            family = classify(layer, fields, types.get(layer.lower()))
            if family is not None:
                found[layer] = family
        return found
    fields, geometry = _single_layer_schema(path)
    family = classify(path.stem, fields, geometry) if fields else None
    return {None: family} if family is not None else {}


def _single_layer_schema(path: Path) -> tuple[list[str], str | None]:
    if is_shapefile(path):
        return dbf.field_names(path), _shapefile_geometry(path)
    if is_geojson(path):
        return list(first_properties(path) or {}), None
    if is_flatgeobuf(path):
        with contextlib.suppress(pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
            info = pyogrio.read_info(path)
            return [str(name) for name in info["fields"]], str(info["geometry_type"])
        return [], None
    if is_text_table(path):
        return csv_header(path), None
    return [], None


def _gpkg_geometry_types(path: Path) -> dict[str, str]:
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            rows = db.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns")
            return {str(table).lower(): str(kind) for table, kind in rows}
    except (sqlite3.Error, OSError, ValueError):
        return {}


_SHAPE_TYPES = {1: "Point", 3: "LineString", 5: "Polygon", 8: "MultiPoint"}


def _shapefile_geometry(path: Path) -> str | None:
    data = head(path, 36)
    if len(data) < 36:
        return None
    code = int.from_bytes(data[32:36], "little") % 10  # Z (11, 13 ...) and M (21 ...) variants
    return _SHAPE_TYPES.get(code)
