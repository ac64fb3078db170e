"""IFC models for the ``place_model`` scenario edit: a stored file read at a chosen place.

scenarios/ does not import importers/; the composition roots (``twin/cli.py``, ``gui/app.py``)
register :func:`read_model` for :data:`SUFFIXES` in ``scenarios.edits.model_readers``. It reads
the project's stored bytes with the IFC importer (:func:`importers.ifc.read`) as
``twin import FILE --at X,Y,Z --rotation DEG`` would, so a placed model has the same rows and
meshes as an imported one. :func:`model_file` checks a file before ``twin scenario add-file``
stores it in the project.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path, PurePath

from importers import ifc
from importers.base import ImportOptions, ImportResult
from importers.ifc_source import open_ifc
from twin.city import City
from twin.errors import InvalidInputError
from twin.provenance import StoredFile

logger = logging.getLogger(__name__)

SUFFIXES = ifc.SUFFIXES


def read_model(
    data: bytes, name: str, city: City, placement: tuple[float, float, float, float]
) -> ImportResult:
    """Read an IFC model's bytes with its origin at ``placement`` = (x, y, z, rotation_deg)
    in the City's CRS (the file's own georeferencing is ignored).

    Raises:
        UnsupportedFormatError: not IFC, or an unsupported schema.
        InvalidInputError: a truncated or corrupt file, or one without IfcBuilding.
    """
    x, y, z, rotation_deg = placement
    options = ImportOptions(placement_xyz=(x, y, z), rotation_deg=rotation_deg)
    file_name = PurePath(name).name or "model.ifc"  # never a path out of the folder
    with tempfile.TemporaryDirectory(prefix="twin-model-") as folder:
        path = Path(folder) / file_name
        path.write_bytes(data)
        result = ifc.read(path, target_crs=city.crs, options=options)
    logger.debug("read %s for placing: %s", name, result.provenance.layers)
    return result


def model_file(path: Path) -> StoredFile:
    """The IFC file at ``path`` as a file to store in a project, once checked: complete, of a
    supported schema, with at least one IfcBuilding.

    Raises:
        InputFileNotFoundError: no such file.
        UnsupportedFormatError: not IFC, or an unsupported schema.
        InvalidInputError: a truncated or corrupt file, or one without IfcBuilding.
    """
    path = Path(path)
    source = open_ifc(path)
    if not source.model.by_type("IfcBuilding"):
        raise InvalidInputError(
            f"{path.name} contains no IfcBuilding; export the building, not only its elements",
            code="ifc_no_building",
            values={"file": path.name},
        )
    return StoredFile(path.name, source.media_type, source.data)
