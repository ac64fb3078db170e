"""Filosofi rows → ``population_cells`` rows: ids, squares, counts, and what is reported.

A row needs a cell: its geometry, else the square its INSEE id names (built in the id's CRS,
EPSG:3035 in mainland France, then reprojected). A row with a geometry but no id is named after
its square. Rows with neither, rows repeating an id, and negative or missing counts are
reported as :class:`~twin.issues.Issue` records that say how many inhabitants they hold.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from importers.base import ImportOptions
from importers.filosofi_table import (
    HOUSEHOLD_FIELDS,
    INHABITANT_FIELDS,
    POOR_HOUSEHOLD_FIELDS,
    id_column,
    numbers,
)
from importers.inspire_grid import cell_ids_of_squares, cell_squares, parse_cell_ids
from importers.source_tools import assemble, clean_geometries, column_name, text
from twin.catalogue import POPULATION_CELLS
from twin.errors import CrsError, InvalidInputError
from twin.issues import Issue, Severity
from twin.spec import conform

SOURCE_NAME = "filosofi"
_COUNTS = {
    "inhabitants": INHABITANT_FIELDS,
    "households": HOUSEHOLD_FIELDS,
    "poor_households": POOR_HOUSEHOLD_FIELDS,
}


def cells_from_filosofi(
    frame: pd.DataFrame,
    *,
    source: str,
    options: ImportOptions,
    target_crs: CRS,
    year: int | None,
    issues: list[Issue],
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """The ``population_cells`` layer of a Filosofi table, in ``target_crs``, and details for
    the provenance (id field, cells built from their id, ids rebuilt from their square).

    Raises:
        CrsError: the rows have geometries but no CRS, and ``options.source_crs`` is not set.
    """
    frame = frame.reset_index(drop=True)
    index = frame.index
    id_name = id_column(frame)
    ids = text(None if id_name is None else frame[id_name], index)
    counts = {name: numbers(_field(frame, fields), index) for name, fields in _COUNTS.items()}
    _require_inhabitants(frame, counts["inhabitants"], source)
    geometry = _file_geometry(frame, source, options, target_crs)
    present = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    parsed = parse_cell_ids(ids)
    parsed_ok = parsed["size_m"].notna().to_numpy()
    build = ~present & parsed_ok
    geometry[build] = _squares_in(parsed[build], target_crs)
    named = ids.notna().to_numpy()
    rebuild = ~named & present
    if rebuild.any():
        laea = gpd.GeoSeries(geometry[rebuild], crs=target_crs).to_crs(3035).to_numpy()
        rebuilt = pd.Series(cell_ids_of_squares(laea), index=index[rebuild], dtype=object)
        numbered = pd.Series([f"cell-{row}" for row in index[rebuild]], index=rebuilt.index)
        ids = ids.astype(object)
        ids[rebuild] = rebuilt.fillna(numbered)
    inhabitants = counts["inhabitants"]
    keep = present | build
    _report_ids(ids, named, parsed_ok, present, rebuild, inhabitants, source, issues)
    ids = ids.astype(object)
    keep &= ids.notna().to_numpy()
    repeated = ids.where(keep).duplicated(keep="first").to_numpy() & keep
    for row in np.flatnonzero(repeated):
        _issue(
            issues,
            Severity.ERROR,
            "duplicate_id",
            source,
            ids.iloc[row],
            f"cell listed twice; this row ({_people(inhabitants.iloc[row])}) is left out",
        )
    keep &= ~repeated
    for name, values in counts.items():
        counts[name] = _checked_counts(values, ids, keep, name, source, issues)
    if _field(frame, HOUSEHOLD_FIELDS) is None:
        _issue(
            issues,
            Severity.INFO,
            "households_missing",
            source,
            "",
            "no households field (men): households left empty",
        )
    cells = gpd.GeoDataFrame(
        frame.drop(columns=_geometry_names(frame)), geometry=geometry, crs=target_crs
    )
    cells = cells.assign(id=ids.astype("string"), **counts)[keep].reset_index(drop=True)
    cells = clean_geometries(cells, POPULATION_CELLS, source, issues)
    columns = {
        "id": cells["id"],
        **{name: cells[name] for name in _COUNTS},
        "year": pd.array([year] * len(cells), dtype="Int64"),
        "allocated_inhabitants": np.nan,
        "source": SOURCE_NAME,
    }
    used = [id_name] + [_field_name(frame, fields) for fields in _COUNTS.values()]
    out = conform(
        assemble(cells, columns, POPULATION_CELLS, used=used), POPULATION_CELLS, source=source
    )
    details = {
        "id_field": id_name or "",
        "cells_built_from_id": int(build.sum()),
        "ids_from_geometry": int(rebuild.sum()),
    }
    return out, details


def _field_name(frame: pd.DataFrame, fields: tuple[str, ...]) -> str | None:
    return column_name(frame, *fields)


def _field(frame: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series | None:
    name = column_name(frame, *fields)
    return None if name is None else frame[name]


def _geometry_names(frame: pd.DataFrame) -> list[str]:
    if isinstance(frame, gpd.GeoDataFrame):
        return [
            str(c) for c in frame.columns if isinstance(frame[c].dtype, gpd.array.GeometryDtype)
        ]
    return []


def _file_geometry(
    frame: pd.DataFrame, source: str, options: ImportOptions, target_crs: CRS
) -> np.ndarray:
    """The rows' own geometries in ``target_crs`` (None where a row has none)."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
        return np.full(len(frame), None, dtype=object)
    series = frame.geometry
    if series.crs is None and series.notna().any():
        if options.source_crs is None:
            raise CrsError(
                f"{source} does not say which coordinate system it uses; give it with --crs "
                "(for example --crs EPSG:2154 for Lambert-93).",
                code="crs_missing",
                values={"file": source},
            )
        series = series.set_crs(options.source_crs)
    if series.crs is not None and not CRS(series.crs).equals(target_crs):
        series = series.to_crs(target_crs)
    geometry = series.to_numpy().copy()
    return shapely.force_2d(geometry) if shapely.has_z(geometry).any() else geometry


def _squares_in(parsed: pd.DataFrame, target_crs: CRS) -> np.ndarray:
    """Cell squares built in each id's CRS and reprojected to ``target_crs``."""
    out = np.full(len(parsed), None, dtype=object)
    squares = cell_squares(parsed)
    epsg = parsed["epsg"].to_numpy()
    for code in np.unique(epsg[np.isfinite(epsg)]):
        rows = epsg == code
        series = gpd.GeoSeries(squares[rows], crs=int(code)).to_crs(target_crs)
        out[rows] = series.to_numpy()
    return out


def _report_ids(
    ids: pd.Series,
    named: np.ndarray,
    parsed_ok: np.ndarray,
    present: np.ndarray,
    rebuilt: np.ndarray,
    inhabitants: pd.Series,
    source: str,
    issues: list[Issue],
) -> None:
    for row in np.flatnonzero(named & ~parsed_ok):
        if present[row]:
            message = "not an INSEE grid cell id; the cell is kept with its own geometry"
            _issue(issues, Severity.WARNING, "cell_id_unparseable", source, ids.iloc[row], message)
        else:
            message = (
                f"not an INSEE grid cell id and no geometry: the row "
                f"({_people(inhabitants.iloc[row])}) is left out"
            )
            _issue(issues, Severity.ERROR, "cell_id_unparseable", source, ids.iloc[row], message)
    for row in np.flatnonzero(~named & ~present):
        message = (
            f"row {row} has neither a cell id nor a geometry: "
            f"{_people(inhabitants.iloc[row])} left out"
        )
        _issue(issues, Severity.ERROR, "cell_id_missing", source, "", message)
    for row in np.flatnonzero(rebuilt):
        if str(ids.iloc[row]).startswith("cell-"):
            message = "no cell id in the file and its shape is not a grid square: numbered"
            _issue(issues, Severity.WARNING, "cell_id_missing", source, ids.iloc[row], message)
        else:
            message = "no cell id in the file; named after its square"
            _issue(issues, Severity.INFO, "cell_id_rebuilt", source, ids.iloc[row], message)


def _checked_counts(
    values: pd.Series,
    ids: pd.Series,
    keep: np.ndarray,
    name: str,
    source: str,
    issues: list[Issue],
) -> pd.Series:
    """Negative counts blanked; negative and (for inhabitants, households) missing reported."""
    negative = (values < 0).to_numpy() & keep
    for row in np.flatnonzero(negative):
        message = f"{name} {values.iloc[row]:g} is negative: left empty (counts as 0)"
        _issue(
            issues, Severity.WARNING, "population_count_negative", source, ids.iloc[row], message
        )
    if name != "poor_households" and values.notna().any():
        for row in np.flatnonzero(values.isna().to_numpy() & keep):
            message = f"{name} missing: counts as 0"
            _issue(
                issues, Severity.WARNING, "population_count_missing", source, ids.iloc[row], message
            )
    return values.where(~negative)


def _require_inhabitants(frame: pd.DataFrame, inhabitants: pd.Series, source: str) -> None:
    """Refuse a grid where no row has a number of inhabitants: the file is not what it seems.

    Raises:
        InvalidInputError: naming the column and an example of what it holds.
    """
    if not len(frame) or inhabitants.notna().any():
        return
    name = _field_name(frame, INHABITANT_FIELDS) or "ind"
    raw = frame[name].dropna().astype(str).str.strip() if name in frame else pd.Series()
    example = raw[raw != ""].head(1).tolist()
    holds = f"'{example[0]}' ..." if example else "nothing"
    raise InvalidInputError(
        f"{source}: no row has a number of inhabitants (column '{name}' holds {holds}); check "
        "that it is the right file and column, or fix the column (numbers, with a decimal "
        "point or comma).",
        code="filosofi_no_inhabitants",
        values={"file": source, "column": name},
    )


def _people(count: float) -> str:
    return "no inhabitant count" if pd.isna(count) else f"{count:g} inhabitants"


def _issue(
    issues: list[Issue], severity: Severity, code: str, source: str, feature: object, message: str
) -> None:
    issues.append(Issue(severity, code, message, source, "" if feature is None else str(feature)))
