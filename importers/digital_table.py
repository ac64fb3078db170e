"""Digital-infrastructure tables delivered as text (ANFR and ARCEP publish CSV): reading them
and making their points.

A table is read as text (codes such as ``0892341`` or ``01001`` keep their zeros), with the
separator of its header (``;``, ``,``, tab, ``|``), in UTF-8 or else Windows-1252. Its places
come from the first of: a longitude/latitude pair (``longitude``/``latitude``, ``lon``/``lat``
...), a Lambert-93 pair (``x_l93``/``y_l93`` ...), a plain pair (``x``/``y``, ``coord_x``/
``coord_y`` ...) whose CRS is told from its values, one ``"lat, lon"`` column (``coordonnees``,
``geo_point_2d``), ANFR's degrees-minutes-seconds (``cor_nb_dg_lat`` ...), or a WKT column.
Numbers may use a decimal comma (``44,35``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from importers.sniffing import head
from twin.errors import CrsError, InvalidInputError

SEPARATORS = (";", ",", "\t", "|")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
WGS84 = CRS.from_epsg(4326)
LAMBERT93 = CRS.from_epsg(2154)

#: (x field, y field, CRS or None to tell from the values), first found wins.
PAIRS: tuple[tuple[str, str, CRS | None], ...] = (
    ("longitude", "latitude", WGS84),
    ("lon", "lat", WGS84),
    ("lng", "lat", WGS84),
    ("long", "lat", WGS84),
    ("longitude_wgs84", "latitude_wgs84", WGS84),
    ("lon_wgs84", "lat_wgs84", WGS84),
    ("x_wgs84", "y_wgs84", WGS84),
    ("x_l93", "y_l93", LAMBERT93),
    ("x_lambert93", "y_lambert93", LAMBERT93),
    ("x_lamb93", "y_lamb93", LAMBERT93),
    ("x_2154", "y_2154", LAMBERT93),
    ("x", "y", None),
    ("coord_x", "coord_y", None),
    ("coordonnee_x", "coordonnee_y", None),
    ("x_coord", "y_coord", None),
    ("xcoord", "ycoord", None),
    ("easting", "northing", None),
)
#: One column holding "latitude, longitude" (Opendatasoft exports).
LATLON_FIELDS = ("coordonnees", "coordinates", "geo_point_2d", "geo_point", "latlon", "lat_lon")
#: ANFR's SUP_SUPPORT table: degrees, minutes, seconds and hemisphere of each coordinate.
DMS_FIELDS = {
    "lat": ("cor_nb_dg_lat", "cor_nb_mn_lat", "cor_nb_sc_lat", "cor_cd_ns_lat"),
    "lon": ("cor_nb_dg_lon", "cor_nb_mn_lon", "cor_nb_sc_lon", "cor_cd_ew_lon"),
}
WKT_FIELDS = ("wkt", "geometry", "geom", "the_geom", "geometrie")


def is_text_table(path: Path) -> bool:
    """True for a .csv/.txt/.tsv text file whose first line has a separator."""
    return path.suffix.lower() in TABLE_SUFFIXES and bool(csv_header(path))


def csv_header(path: Path) -> list[str]:
    """The header fields of a text table (empty for binary content or no separator)."""
    data = head(path)
    if not data.strip() or b"\x00" in data:
        return []
    lines = data.decode("utf-8-sig", errors="replace").splitlines()  # none for a lone BOM
    line = lines[0] if lines else ""
    separator = _separator(line)
    if separator is None:
        return []
    return [field.strip().strip('"').strip("'").strip() for field in line.split(separator)]


def _separator(line: str) -> str | None:
    counts = {separator: line.count(separator) for separator in SEPARATORS}
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] else None


def read_table(path: Path) -> pd.DataFrame:
    """Every field of a text table as stripped text, blanks missing.

    Raises:
        InvalidInputError: no separator in the first line, or rows that cannot be parsed.
    """
    first = head(path).decode("utf-8-sig", errors="replace").splitlines()
    separator = _separator(first[0]) if first else None
    if separator is None:
        raise InvalidInputError(
            f"{path.name}: no ';' or ',' separator in its first line; add a header line naming "
            "its fields (e.g. id;operateur;longitude;latitude).",
            code="csv_no_separator",
            values={"file": path.name},
        )
    try:
        try:
            frame = _read_csv(path, separator, "utf-8-sig")
        except UnicodeDecodeError:  # ANFR's and older ARCEP files are Windows-1252
            frame = _read_csv(path, separator, "cp1252")
    except (pd.errors.ParserError, ValueError) as exc:
        raise InvalidInputError(
            f"{path.name} cannot be read as a '{separator}'-separated table "
            f"({str(exc).splitlines()[0]}); check that every line has the same number of fields.",
            code="csv_unreadable",
            values={"file": path.name, "separator": separator, "detail": str(exc).splitlines()[0]},
        ) from exc
    frame.columns = [str(name).strip().strip('"') for name in frame.columns]
    text = frame.apply(lambda values: values.astype("string").str.strip())
    return text.where(text.apply(lambda values: values.str.len() > 0))


def _read_csv(path: Path, separator: str, encoding: str) -> pd.DataFrame:
    return pd.read_csv(path, sep=separator, dtype=str, encoding=encoding, keep_default_na=False)


def decimal(values: pd.Series) -> np.ndarray:
    """Numbers written with a point or a comma, spaces allowed; NaN when not a number.

    >>> decimal(pd.Series(["44,35", " 2.5 ", "1 234,5", "n/a", None])).tolist()
    [44.35, 2.5, 1234.5, nan, nan]
    """
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    text = values.astype("string").str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    return numbers.to_numpy(dtype="float64", na_value=np.nan)


def table_points(
    frame: pd.DataFrame, source_crs: CRS | None, name: str
) -> tuple[np.ndarray, CRS, list[str]]:
    """(geometries, their CRS, the fields they were made of) for a table's rows.

    ``source_crs`` (``--crs``) wins over what the field names or values say, except for
    latitude/longitude-only forms (one ``"lat, lon"`` column, degrees-minutes-seconds).

    Raises:
        InvalidInputError: the table has no coordinate fields.
        CrsError: the coordinates are neither degrees nor Lambert-93 and no CRS was given.
    """
    by_lower = {str(field).lower(): str(field) for field in frame.columns}
    for x_name, y_name, crs in PAIRS:
        if x_name in by_lower and y_name in by_lower:
            fields = [by_lower[x_name], by_lower[y_name]]
            x, y = decimal(frame[fields[0]]), decimal(frame[fields[1]])
            crs = source_crs or _crs_of(x, y, crs, name, fields)
            return _points(x, y), crs, fields
    for field in LATLON_FIELDS:
        if field in by_lower:
            parts = frame[by_lower[field]].astype("string").str.split(r"[,;\s]+", n=1, expand=True)
            second = parts[1] if 1 in parts.columns else pd.Series(pd.NA, index=parts.index)
            lat, lon = decimal(parts[0]), decimal(second)
            return _points(lon, lat), WGS84, [by_lower[field]]
    if all(field in by_lower for fields in DMS_FIELDS.values() for field in fields):
        lat = _dms(frame, [by_lower[f] for f in DMS_FIELDS["lat"]], "S")
        lon = _dms(frame, [by_lower[f] for f in DMS_FIELDS["lon"]], "W")
        return _points(lon, lat), WGS84, [by_lower[f] for f in sum(DMS_FIELDS.values(), ())]
    for field in WKT_FIELDS:
        if field in by_lower:
            text = frame[by_lower[field]].astype(object).where(frame[by_lower[field]].notna())
            geometry = shapely.from_wkt(text.to_numpy(), on_invalid="ignore")
            bounds = shapely.bounds(geometry)
            crs = source_crs or _crs_of(bounds[:, 0], bounds[:, 1], None, name, [field])
            return geometry, crs, [by_lower[field]]
    raise InvalidInputError(
        f"{name} has no coordinate fields (such as longitude/latitude, x/y, or a WKT geometry "
        "column): add them, or export the table from its GIS as a GeoPackage.",
        code="table_no_coordinates",
        values={"file": name},
    )


def _points(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    points = shapely.points(np.column_stack([x, y]))
    points[~(np.isfinite(x) & np.isfinite(y))] = None
    return points


def _dms(frame: pd.DataFrame, fields: list[str], negative: str) -> np.ndarray:
    degrees, minutes, seconds = (decimal(frame[field]) for field in fields[:3])
    value = degrees + np.nan_to_num(minutes) / 60.0 + np.nan_to_num(seconds) / 3600.0
    hemisphere = frame[fields[3]].astype("string").str.strip().str.upper()
    return np.where(hemisphere.eq(negative).fillna(False).to_numpy(), -value, value)


def _crs_of(x: np.ndarray, y: np.ndarray, hint: CRS | None, name: str, fields: list[str]) -> CRS:
    """The CRS a coordinate pair's values are in: degrees or Lambert-93 (``hint`` first)."""
    finite = np.isfinite(x) & np.isfinite(y)
    x, y = x[finite], y[finite]
    if not len(x):
        return hint or WGS84  # no place at all: every row is reported without geometry
    degrees = bool(np.all(np.abs(x) <= 180.0) and np.all(np.abs(y) <= 90.0))
    if hint is not None and hint.equals(WGS84) == degrees:
        return hint
    if degrees:
        return WGS84
    if np.median(x) > 0 and 5.9e6 <= np.median(y) <= 7.3e6 and np.median(x) < 1.4e6:
        return LAMBERT93
    raise CrsError(
        f"{name}: the coordinates in {' and '.join(fields)} are neither degrees nor "
        "Lambert-93; give their CRS with --crs (for example --crs EPSG:3945 for CC45).",
        code="coordinates_unknown",
        values={"file": name, "fields": list(fields)},
    )
