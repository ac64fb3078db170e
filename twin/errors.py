"""The error tree of urban-twin.

Every error a user can meet derives from :class:`TwinError`. Specific errors also inherit the
builtin they resemble (the rasterio habit), so callers may catch either ``TwinError`` or, say,
``FileNotFoundError``. Each message says what went wrong, where, and what to do about it: the
CLI prints it on one line and the app shows it in a dialog, without a traceback.

Problems with single features inside a file (one invalid polygon, one broken wall) are not
errors: they become :class:`twin.issues.Issue` records in the import report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

#: Every error code and the names of the values its message is made of: :data:`FILE_ERRORS`
#: and :data:`MODEL_ERRORS` below, and the codes other packages register (the scenarios'
#: refusals).
ERROR_CODES: dict[str, frozenset[str]] = {}


class TwinError(Exception):
    """Root of every error urban-twin raises on purpose.

    The message is meant for a planner, not a programmer: what happened, where, what to do.
    It is the English line the CLI prints. An error may also carry a stable ``code`` of
    :data:`ERROR_CODES` and the ``values`` its message is made of, for the app to say the same
    in its language (``gui/error_texts.py``); both are keyword-only, so ``XError("...")`` still
    works, and the error stays picklable (errors cross from child processes).

    Example:
        >>> import pickle
        >>> error = InvalidInputError(
        ...     "a.gpkg is empty.", code="file_empty", values={"file": "a.gpkg"}
        ... )
        >>> again = pickle.loads(pickle.dumps(error))
        >>> str(again), again.code, again.values
        ('a.gpkg is empty.', 'file_empty', {'file': 'a.gpkg'})
    """

    code: str | None = None
    values: Mapping[str, Any] = MappingProxyType({})

    def __init__(
        self, *args: object, code: str | None = None, values: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(*args)
        given = dict(values or {})
        if code is not None or given:
            check_values(code, given)
        self.code = code
        self.values = given

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt without calling ``__init__`` (subclasses take other arguments), then given
        # back its attributes: code, values and a subclass's own (``source``, ``refusal`` ...).
        return (_remade, (type(self), self.args), dict(self.__dict__))


def _remade(cls: type[TwinError], args: tuple[object, ...]) -> TwinError:
    error = cls.__new__(cls, *args)
    error.args = args  # OSError's __new__ leaves them out when a subclass has its own __init__
    return error


def check_values(code: str | None, values: Mapping[str, Any]) -> None:
    """Check that ``code`` is registered and ``values`` are exactly its value names.

    Raises:
        ValueError: an unknown code, or other values (a programming error).
    """
    names = ERROR_CODES.get(code) if code is not None else None
    if names is None or set(values) != names:
        raise ValueError(f"error code {code!r} takes {sorted(names or ())}, not {sorted(values)}")


def register_codes(table: Mapping[str, frozenset[str]]) -> None:
    """Add ``table``'s codes to :data:`ERROR_CODES`.

    Raises:
        ValueError: a code already registered with other value names.
    """
    for code, names in table.items():
        known = ERROR_CODES.setdefault(code, names)
        if known != names:
            raise ValueError(f"error code {code!r} registered twice, with other values")


def error_code(error: BaseException) -> tuple[str, Mapping[str, Any]] | None:
    """The code and values an error carries, or None.

    Example:
        >>> error_code(CrsError("a.shp has no CRS.", code="crs_missing", values={"file": "a.shp"}))
        ('crs_missing', {'file': 'a.shp'})
        >>> error_code(ValueError("x")) is None
        True
    """
    if isinstance(error, TwinError) and isinstance(error.code, str):
        return error.code, error.values
    return None


class ProjectError(TwinError):
    """A project file cannot be created, read or written."""


class NotAProjectError(ProjectError, ValueError):
    """The file exists but is not an urban-twin project (``*.twin.gpkg``)."""


class ProjectVersionError(ProjectError, ValueError):
    """The project was written by a newer version of urban-twin."""


class ProjectNotFoundError(ProjectError, FileNotFoundError):
    """The project file does not exist."""


class InputFileNotFoundError(TwinError, FileNotFoundError):
    """A file given to an importer does not exist."""


class UnsupportedFormatError(TwinError, ValueError):
    """No importer recognises the file's content."""


class InvalidInputError(TwinError, ValueError):
    """An input file is recognised but its content cannot be used."""


class CrsError(TwinError, ValueError):
    """A coordinate reference system is unknown, missing or not usable (not in metres)."""


class SpecError(TwinError, ValueError):
    """Data does not match the layer specification it is declared to follow."""


class HierarchyError(TwinError, ValueError):
    """Ids or parent links of the territory → room hierarchy are inconsistent."""


class UnknownLayerError(TwinError, KeyError):
    """A layer name was asked for that the city does not have."""

    def __str__(self) -> str:  # KeyError would quote the message; show it plainly.
        return str(self.args[0]) if self.args else ""


class CancelledError(TwinError):
    """The user cancelled a long operation; nothing was changed."""


#: "IllegalArgumentException: ..." as GEOS words it: the class name is no help to a user.
_LIBRARY_PREFIX = re.compile(r"^\w+(?:Exception|Error):\s*")


def plain_message(exc: BaseException) -> str:
    """The first line of a library's message, without its exception class name.

    Example:
        >>> plain_message(ValueError("IllegalArgumentException: ring not closed\\nat 3"))
        'ring not closed'
    """
    first = (str(exc).splitlines() or [""])[0]
    return _LIBRARY_PREFIX.sub("", first).strip() or "no detail"


def one_line(text: str) -> str:
    """``text`` with its line breaks (and the blanks around them) turned into single spaces.

    A value quoted in a message may hold line breaks (a damaged id swallowing the next lines);
    the CLI prints every error on one line.

    Example:
        >>> one_line("duplicate id 'a\\n  b'\\n")
        "duplicate id 'a b'"
    """
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


#: The codes of the errors a planner meets with the files they give: files to import (the
#: importers) and project files (twin/project.py), and the names of their values. Values
#: named ``file`` are file names or paths, ``detail`` a library's own words (in English).
FILE_ERRORS: dict[str, frozenset[str]] = {
    code: frozenset(names.split())
    for code, names in {
        # any file (importers/registry.py, sniffing.py, archive_guard.py, ogr_reading.py ...)
        "file_not_found": "file",
        "file_empty": "file",
        "file_unreadable": "file detail",
        "file_truncated": "file detail",
        "file_damaged": "file detail",
        "shapefile_parts_missing": "file missing",
        "format_unrecognised": "file suffixes",
        "format_unrecognised_named": "file suffix",
        "format_not_importer": "file importer",
        "text_not_utf8": "file byte",
        "text_truncated": "file",
        "zip_unsafe_path": "file entry",
        "zip_bomb": "file expanded_mb packed_mb ratio",
        "zip_damaged": "file detail",
        "gzip_bomb": "file expanded_mb packed_mb",
        "gzip_damaged": "file detail",
        "geometry_unreadable": "file detail",
        "value_unreadable": "file detail",
        "json_invalid": "file detail",
        "csv_no_separator": "file",
        "csv_unreadable": "file separator detail",
        "table_no_coordinates": "file",
        "coordinates_unknown": "file fields",
        "source_layer_missing": "file source_layer source_layers",
        "source_layer_not_read": "file source_layer source_layers",
        "layer_needed": "file layers",
        "mapping_column_missing": "file column source_column columns",
        # coordinate systems
        "crs_missing": "file",
        "crs_damaged": "file",
        "crs_unknown_declared": "file crs",
        "crs_vertical_only": "file",
        "crs_transform_failed": "file detail",
        # checks before merging (importers/merge.py)
        "import_empty": "file",
        "import_empty_left_out": "file count issue message",
        "degrees_as_projected": "file box crs",
        "outside_crs_area": "file box crs area",
        "too_far_from_project": "file distance_km box project_box crs",
        "merge_failed": "file cause",
        "merge_out_of_memory": "file",
        "merge_bug": "file detail",
        # layer specifications (twin/spec.py)
        "spec_column_missing": "layer column",
        "spec_dtype": "layer column dtype detail",
        "spec_column_empty": "layer column count",
        "spec_out_of_range": "layer column count example row allowed",
        "spec_duplicate_ids": "layer count example",
        "spec_no_geometry": "layer geometries",
        "spec_rows_without_geometry": "layer count",
        "spec_geometry_type": "layer count geometry geometries",
        # cadastre, BD TOPO, IRIS, OSM, CityJSON
        "cadastre_sections": "file",
        "bdtopo_commune_no_insee": "file",
        "osm_layer": "file layer",
        "osm_unreadable": "file detail",
        "cityjson_version": "file version supported",
        "cityjson_member_missing": "file member",
        "cityjson_line_damaged": "file line",
        "cityjson_vertices": "file",
        # DEM
        "dem_unreadable": "file detail",
        "dem_no_grid": "file crs",
        "dem_warp_too_big": "file crs width height source_width source_height",
        "dem_too_large": "file width height size_gb max_pixels",
        "dem_all_nodata": "file",
        "dem_not_georeferenced": "file",
        "dem_no_geotransform": "file",
        "dem_degrees_wrong": "file crs box",
        # IFC
        "ifc_no_building": "file",
        "ifc_no_georef": "file",
        "ifc_crs_unknown": "file entity crs",
        "ifc_schema_broken": "file",
        "ifc_kernel_crashed": "file how",
        "ifc_unreadable": "file detail",
        "ifc_no_schema": "file",
        "ifc_truncated": "file",
        "ifc_schema_unsupported": "file schema supported",
        "ifc_zip_without_ifc": "file",
        # GTFS
        "gtfs_day_invalid": "file day",
        "gtfs_no_stops": "file",
        "gtfs_stops_no_coordinates": "file count",
        "gtfs_outside_crs": "file latitude longitude crs area epsg",
        "gtfs_column_missing": "file member column",
        "gtfs_member_damaged": "file member detail",
        "gtfs_files_missing": "file missing found",
        "gtfs_stop_times_columns": "file found",
        "gtfs_no_stop_times": "file",
        "gtfs_times_unreadable": "file count",
        "gtfs_encoding": "file member",
        "gtfs_csv_unreadable": "file member detail",
        # Filosofi
        "filosofi_no_inhabitants": "file column",
        # project files (twin/project.py, twin/atomic_files.py)
        "project_not_found": "file",
        "project_is_folder": "file",
        "not_a_project": "file",
        "project_damaged": "file detail",
        "project_no_crs": "file",
        "project_newer": "file version supported",
        "save_folder_missing": "file folder",
        "save_read_only": "file",
        "save_disk_full": "file",
        "save_os_error": "file detail",
    }.items()
}
register_codes(FILE_ERRORS)

#: The codes of the errors the City model raises itself (twin/city.py, hierarchy.py,
#: layer_changes.py; twin/spec.py's are in :data:`FILE_ERRORS`, and layer_changes.py reuses
#: ``spec_duplicate_ids``), and the names of their values. Values named ``crs`` and
#: ``project_crs`` are PROJ's names of coordinate systems, ``unit`` PROJ's name of a unit;
#: ``level``, ``parent_level``, ``from_level`` and ``to_level`` are lower-case
#: :class:`~twin.levels.Level` names; ``layer``, ``layers`` and ``spec_layer`` layer names.
MODEL_ERRORS: dict[str, frozenset[str]] = {
    code: frozenset(names.split())
    for code, names in {
        # the project's coordinate system (twin/city.py parse_crs)
        "crs_unknown": "crs",
        "crs_not_projected": "name crs",
        "crs_not_metres": "name crs unit",
        # layers and rasters of the City (twin/city.py)
        "layer_unknown": "layer layers",
        "layer_no_spec": "layer",
        "layer_spec_mismatch": "layer spec_layer",
        "layer_crs_differs": "layer crs project_crs",
        "layer_crs_differs_from": "layer source crs project_crs",
        "raster_crs_differs": "layer crs project_crs",
        # the territory → room hierarchy (twin/hierarchy.py)
        "hierarchy_not_by_level": "",
        "hierarchy_duplicate_ids": "count examples",
        "hierarchy_parent_level": "id level parent parent_level",
        "hierarchy_id_unknown": "id",
        "roll_up_downwards": "from_level to_level",
        "roll_up_wrong_level": "id level",
    }.items()
}
register_codes(MODEL_ERRORS)
