"""The importer registry: picks the importer for a file from its content, not only its suffix.

Importer modules are listed by name and imported on first use, so ``twin info`` does not pay
for ifcopenshell. Each module's ``sniff`` looks at the bytes (a GeoPackage's SQLite header, a
GeoJSON's ``FeatureCollection``, an IFC's ``ISO-10303-21`` ...). ``--as KIND`` overrides it.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import cast

from importers.archive_guard import check_zip_file
from importers.base import Importer, ImportOptions, ImportResult
from importers.sniffing import missing_shapefile_parts
from twin.errors import InputFileNotFoundError, InvalidInputError, UnsupportedFormatError
from twin.feedback import Feedback
from twin.provenance import file_sha256

logger = logging.getLogger(__name__)

#: Importer modules, most specific first: the first whose sniff() accepts a file reads it.
IMPORTER_MODULES: tuple[str, ...] = (
    "importers.cadastre",
    "importers.iris",
    "importers.bdtopo",
    "importers.osm",
    "importers.cityjson",
    "importers.dem",
    "importers.ifc",
    "importers.gtfs",
    "importers.filosofi",
    "importers.digital",  # after every French source: it recognises layers by name and fields
    "importers.vector",
)


def importers() -> list[Importer]:
    """All importer modules, imported now."""
    return [_load(name) for name in IMPORTER_MODULES]


def _load(module: str) -> Importer:
    return cast(Importer, importlib.import_module(module))


def find_importer(path: Path, options: ImportOptions) -> Importer:
    """The importer for ``path``: the one named by ``options.kind``, else the first that sniffs it.

    Raises:
        InputFileNotFoundError: the file does not exist.
        InvalidInputError: the file is empty, a shapefile without its .shx or .dbf, or a zip
            with unsafe entry paths or expanding too much (:mod:`importers.archive_guard`).
        UnsupportedFormatError: no importer recognises it.
    """
    if not path.exists():
        raise InputFileNotFoundError(
            f"{path} not found; check the file name and folder.",
            code="file_not_found",
            values={"file": str(path)},
        )
    if path.is_file() and path.stat().st_size == 0:
        raise InvalidInputError(
            f"{path.name} is empty (0 bytes); the copy or download was probably interrupted: "
            "fetch the file again.",
            code="file_empty",
            values={"file": path.name},
        )
    if path.is_file():  # unsafe paths or a zip bomb: refused before any importer opens it
        check_zip_file(path)
    missing = missing_shapefile_parts(path)
    if missing:
        raise InvalidInputError(
            f"{path.name} is a shapefile without its {' and '.join(missing)} file (a shapefile "
            f"is several files: .shp, .shx, .dbf, .prj); put the {' and '.join(missing)} file "
            f"beside it, with the same name, and import it again.",
            code="shapefile_parts_missing",
            values={"file": path.name, "missing": list(missing)},
        )
    if options.kind:
        for importer in importers():
            if options.kind == importer.NAME:
                return importer
    if options.mapping or options.values:
        # The user says how to read the columns: the generic importer follows the mapping,
        # even for a file a dedicated importer would recognise.
        vector = _load("importers.vector")
        if vector.sniff(path):
            return vector
    for module in IMPORTER_MODULES:  # imported one by one: a GeoJSON never loads osmium
        importer = _load(module)
        try:
            if importer.sniff(path):
                return importer
        except OSError as exc:
            logger.debug("%s could not sniff %s: %s", importer.NAME, path, exc)
    suffixes = {s for imp in importers() for s in imp.SUFFIXES}
    named_as = [s for s in sorted(suffixes, key=len, reverse=True) if path.name.lower().endswith(s)]
    if named_as and path.is_file():  # a known name, unknown content: damaged or mislabelled
        raise UnsupportedFormatError(
            f"{path.name}: no importer recognises this file's content, although its name ends "
            f"in {named_as[0]} (it may be damaged, truncated, or of another format); fetch or "
            "export it again, or say what it holds with --as.",
            code="format_unrecognised_named",
            values={"file": path.name, "suffix": named_as[0]},
        )
    raise UnsupportedFormatError(
        f"{path.name}: no importer recognises this file's content (supported: "
        f"{', '.join(sorted(suffixes))}); check that it is not damaged, or say what it holds "
        "with --as.",
        code="format_unrecognised",
        values={"file": path.name, "suffixes": sorted(suffixes)},
    )


def read_file(
    path: str | Path,
    *,
    target_crs: object,
    options: ImportOptions | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read one file with the right importer and fill in its provenance checksum."""
    from pyproj import CRS

    path = Path(path)
    options = options or ImportOptions()
    importer = find_importer(path, options)
    logger.info("reading %s with the %s importer", path, importer.NAME)
    result = importer.read(
        path, target_crs=CRS.from_user_input(target_crs), options=options, feedback=feedback
    )
    if path.is_file() and not result.provenance.sha256:
        from dataclasses import replace

        result.provenance = replace(result.provenance, sha256=file_sha256(path))
    return result
