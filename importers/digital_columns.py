"""One recognised source layer → ``digital_assets`` rows (see docs/formats/digital.md).

Fields are found whatever their case (:data:`FIELDS`); values are translated by
:mod:`importers.digital_vocab`. Beside the declared columns, rows keep ``source_layer`` and,
where the family has them, ``ftth_status`` (premises), ``height_m`` (mobile sites),
``sensor_type`` (sensors) and ``fibre_count`` (cables), then the source's other fields (status
and laying fields as the source wrote them).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from importers.digital_layers import OPERATOR_FIELDS, STATUS_FIELDS, TECHNOLOGY_FIELDS, Family
from importers.digital_sites import fill_missing_ids, merge_emitters, number_repeated_ids
from importers.digital_table import decimal
from importers.digital_vocab import (
    DUCT_WORDS,
    FIXED,
    FTTH_STATUS,
    IOT,
    LAYING,
    MOBILE,
    MOBILE_ORDER,
    STATUS,
    flags,
    normalise,
    report_unknown_words,
    technologies,
    translate,
)
from importers.source_tools import (
    assemble,
    clean_geometries,
    column_name,
    keep_in_range,
    text,
    unique_ids,
    years,
)
from twin.catalogue import DIGITAL_ASSETS
from twin.issues import Issue, Severity

SOURCE_NAME = "digital"

#: Source fields (any case), preferred first, for each column.
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("imb_id", "sta_nm_anfr", "id_station_anfr", "id", "identifiant", "code", "cb_code",
           "sup_id", "num_site", "gid", "objectid"),
    "operator": (*OPERATOR_FIELDS, "proprietaire", "owner", "oi", "nom_oi"),
    "technology": (*TECHNOLOGY_FIELDS, "emr_lb_systeme", "systeme", "reseau", "protocole"),
    "year": ("annee_pose", "annee", "year", "annee_mise_en_service", "date_pose",
             "date_mise_en_service", "date_service", "emr_dt_service", "mise_en_service",
             "date_installation", "date_implantation"),
    "building_id": ("cleabs_batiment", "building_id", "id_batiment", "batiment_id", "id_bat",
                    "cleabs_bat", "cleabs", "id_bdtopo", "rnb_id"),
    "count": ("nb_locaux", "nb_logement_locaux", "nb_log_locaux", "nb_logements", "nb_log",
              "nb_prises", "nombre", "nb", "quantite", "count"),
    "laying": ("mode_pose", "mode_de_pose", "type_pose", "pose", "laying"),
    "status": STATUS_FIELDS,
    "height_m": ("hauteur_m", "hauteur", "sup_nm_haut", "height_m", "height"),
    "sensor_type": ("sensor_type", "type_capteur", "type", "nature", "categorie", "mesure"),
    "fibre_count": ("nb_fibres", "nb_fo", "nb_fibre", "capacite", "capacity"),
    "duct_type": ("type", "nature", "type_cable", "categorie"),
}  # fmt: skip
_MOBILE_FLAGS = {"2G": "site_2g", "3G": "site_3g", "4G": "site_4g", "5G": "site_5g"}
_DEFAULT_TECHNOLOGY = {"premises": "FTTH", "lorawan_gateway": "LoRaWAN"}


def assets_from_layer(
    frame: gpd.GeoDataFrame, family: Family, *, source: str, issues: list[Issue]
) -> gpd.GeoDataFrame:
    """The ``digital_assets`` rows of one source layer already in the project CRS.

    ``source`` names the file and layer (``file.gpkg:layer``) in Issues and ``source_layer``.
    """
    frame = frame.reset_index(drop=True)
    id_field = column_name(frame, *FIELDS["id"])
    frame = frame.assign(id=_id_text(frame[id_field]) if id_field else None)
    prefix = source.rsplit(":", 1)[-1].rsplit(".", 1)[0]
    if family.name != "mobile":
        frame = (number_repeated_ids if family.linear else unique_ids)(
            frame, source, issues, prefix
        )
    else:  # one row per emitter: merged below
        frame = fill_missing_ids(frame, source, issues, prefix)
    frame = clean_geometries(frame, DIGITAL_ASSETS, source, issues)
    frame = _fit_geometries(frame, family, source, issues)
    used = [id_field, "id"]
    columns: dict[str, object] = {"id": frame["id"]}
    columns["kind"] = _kinds(frame, family, used)
    columns.update(_statuses(frame, family, source, issues))
    columns["count"] = _counts(frame, family, source, issues, used)
    lengths = shapely.length(frame.geometry.to_numpy())
    columns["length_m"] = np.where(family.linear, lengths, np.nan)
    columns["laying"] = _laying(frame, family, source, issues) if family.linear else None
    columns["operator"] = _text_of(frame, "operator", used)
    columns["technology"] = _technology(frame, family, source, issues, used)
    columns["year"] = years(_field(frame, "year", used), frame.index)
    columns["building_id"] = _text_of(frame, "building_id", used)
    columns["source"] = SOURCE_NAME
    columns["source_layer"] = source
    columns.update(_extras(frame, family, used))
    for kept in ("status", "laying"):  # kept as written, even when named like an output column
        name = column_name(frame, *FIELDS[kept])
        if name is not None and name.lower() in {*columns, *DIGITAL_ASSETS.column_names}:
            columns[f"{name.lower()}_source"] = frame[name]
    out = assemble(frame, columns, DIGITAL_ASSETS, used)
    if family.name == "mobile":
        out = merge_emitters(out, source, issues)
    return keep_in_range(out, DIGITAL_ASSETS, source, issues).reset_index(drop=True)


def _id_text(values: pd.Series) -> pd.Series:
    """Ids as text; whole numbers read as floats (shapefiles) without their ``.0``."""
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if (np.floor(whole) == whole).all():
            values = values.astype("Int64")
    return text(values, values.index)


def _field(frame: pd.DataFrame, column: str, used: list[str | None]) -> pd.Series | None:
    name = column_name(frame, *FIELDS[column])
    used.append(name)
    return None if name is None else frame[name]


def _text_of(frame: pd.DataFrame, column: str, used: list[str | None]) -> pd.Series:
    values = _field(frame, column, used)
    return text(None if values is None else _id_text(values), frame.index)


def _fit_geometries(
    frame: gpd.GeoDataFrame, family: Family, source: str, issues: list[Issue]
) -> gpd.GeoDataFrame:
    """Lines for cables and ducts (others left out), points for the rest (shapes → a point)."""
    geometry = frame.geometry.to_numpy()
    types = shapely.get_type_id(geometry)
    if family.linear:
        wrong = ~np.isin(types, [1, 5])
        for row in np.flatnonzero(wrong):
            issues.append(
                Issue(
                    Severity.ERROR,
                    "not_a_line",
                    f"a {family.kind.replace('_', ' ')} must be a line, not a "
                    f"{geometry[row].geom_type}; left out",
                    source,
                    str(frame["id"].iloc[row]),
                )
            )
        return frame[~wrong].reset_index(drop=True)
    shapes = ~np.isin(types, [0, 4])
    if shapes.any():
        geometry = geometry.copy()
        geometry[shapes] = shapely.point_on_surface(geometry[shapes])
        issues.append(
            Issue(
                Severity.INFO,
                "converted_to_points",
                f"{int(shapes.sum())} {family.kind.replace('_', ' ')} shape(s) (lines or "
                "polygons) placed at a point inside them",
                source,
                str(frame["id"].iloc[int(np.flatnonzero(shapes)[0])]),
            )
        )
        frame = frame.set_geometry(gpd.GeoSeries(geometry, index=frame.index, crs=frame.crs))
    return frame


def _kinds(frame: pd.DataFrame, family: Family, used: list[str | None]) -> pd.Series:
    kinds = pd.Series(family.kind, index=frame.index, dtype="string")
    if family.name == "fibre":  # a route layer may also list ducts in its type field
        kinds_field = column_name(frame, *FIELDS["duct_type"])
        if kinds_field is not None:
            words = normalise(frame[kinds_field]).fillna("")
            duct = words.str.contains("|".join(DUCT_WORDS), regex=True)
            kinds = kinds.mask(duct.to_numpy(dtype=bool), "fibre_duct")
    return kinds


def _statuses(
    frame: pd.DataFrame, family: Family, source: str, issues: list[Issue]
) -> dict[str, pd.Series]:
    """``status`` (and ``ftth_status`` for premises); the status field itself stays as it is."""
    name = column_name(frame, *FIELDS["status"])
    raw = frame[name] if name else pd.Series(pd.NA, index=frame.index, dtype="string")
    if family.name == "premises":
        ftth, unknown = translate(raw, FTTH_STATUS)
        report_unknown_words(
            raw, unknown, frame["id"], "ftth_status_unknown", "FTTH status",
            "kept as written in ftth_status", source, issues,
        )  # fmt: skip
        ftth = ftth.fillna(text(raw, frame.index))
        return {"status": pd.Series("existing", index=frame.index), "ftth_status": ftth}
    status, unknown = translate(raw, STATUS)
    report_unknown_words(
        raw, unknown, frame["id"], "status_unknown", "status",
        f"status left empty (the value stays in '{name}')", source, issues,
    )  # fmt: skip
    status = status.where(unknown | raw.notna(), "existing")  # no status said: it exists
    return {"status": status}


def _counts(
    frame: pd.DataFrame, family: Family, source: str, issues: list[Issue], used: list[str | None]
) -> pd.Series:
    if family.linear:
        return pd.Series(pd.NA, index=frame.index, dtype="Float64")
    values = _field(frame, "count", used)
    counts = pd.Series(decimal(values) if values is not None else np.nan, index=frame.index)
    missing = counts.isna()  # negative counts are blanked and reported by keep_in_range
    if family.name == "premises" and missing.any():
        what = "no number of premises" if values is None else "number of premises missing"
        first = str(frame["id"].iloc[int(np.flatnonzero(missing.to_numpy())[0])])
        issues.append(
            Issue(
                Severity.WARNING,
                "premises_count_missing",
                f"{int(missing.sum())} premises point(s) with {what}; each counted as 1",
                source,
                first,
            )
        )
    return counts.where(~missing, 1.0).round()


def _laying(frame: pd.DataFrame, family: Family, source: str, issues: list[Issue]) -> pd.Series:
    name = column_name(frame, *FIELDS["laying"])
    if name is None:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    laying, unknown = translate(frame[name], LAYING)
    report_unknown_words(
        frame[name], unknown, frame["id"], "laying_unknown", "laying",
        f"laying left empty (the value stays in '{name}')", source, issues,
    )  # fmt: skip
    return laying


def _technology(
    frame: pd.DataFrame, family: Family, source: str, issues: list[Issue], used: list[str | None]
) -> pd.Series:
    raw = _field(frame, "technology", used)
    if raw is None:
        raw = pd.Series(pd.NA, index=frame.index, dtype="string")
    if family.name == "mobile":  # ARCEP's site lists: one 0/1 field per generation
        listed = raw.astype("string").fillna("")
        for generation, field in _MOBILE_FLAGS.items():
            name = column_name(frame, field)
            if name is not None:
                used.append(name)
                listed = listed + np.where(flags(frame[name]), f",{generation}", "")
        raw = listed.str.strip(",").replace("", pd.NA)
    table = MOBILE if family.name == "mobile" else FIXED if not _iot(family) else IOT
    known, strange = technologies(raw, table, MOBILE_ORDER)
    report_unknown_words(
        strange, strange.notna(), frame["id"], "technology_unknown", "technology",
        "kept as written", source, issues,
    )  # fmt: skip
    default = _DEFAULT_TECHNOLOGY.get(family.kind)
    return known.fillna(default) if default else known


def _iot(family: Family) -> bool:
    return family.kind in ("sensor", "smart_meter", "streetlight", "lorawan_gateway")


def _extras(frame: pd.DataFrame, family: Family, used: list[str | None]) -> dict[str, object]:
    if family.name == "mobile":
        height = _field(frame, "height_m", used)
        return {"height_m": decimal(height) if height is not None else np.nan}
    if family.name == "sensor":
        return {"sensor_type": _text_of(frame, "sensor_type", used)}
    if family.linear:
        fibres = _field(frame, "fibre_count", used)
        counts = decimal(fibres) if fibres is not None else np.full(len(frame), np.nan)
        return {"fibre_count": pd.array(np.round(counts), dtype="Int64")}
    return {}
