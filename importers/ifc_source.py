"""Recognise and open IFC files (.ifc, .ifczip) safely, with one clear error for bad input.

A STEP file is recognised by its header (``ISO-10303-21;`` and a ``FILE_SCHEMA`` naming an IFC
schema), an IFCZIP by a zip entry ending in ``.ifc``. The zip is checked before anything is
decompressed (total size, compression ratio, ``../`` paths) and its model is read into memory:
nothing is extracted to disk. A file that does not end with ``END-ISO-10303-21;`` is truncated
(ifcopenshell would open it and silently lose the end of the model).
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import ifcopenshell

from importers.archive_guard import (  # noqa: F401  (the limits, re-exported)
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    ZIP_READ_ERRORS,
    check_zip,
)
from importers.sniffing import head
from twin.errors import (
    InputFileNotFoundError,
    InvalidInputError,
    TwinError,
    UnsupportedFormatError,
)

logger = logging.getLogger(__name__)

#: Schemas ifcopenshell 0.9 reads (the names written in FILE_SCHEMA).
SUPPORTED_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")

_STEP_MAGIC = b"ISO-10303-21;"
_SCHEMA = re.compile(rb"FILE_SCHEMA\s*\(\s*\(\s*'([^']*)'", re.IGNORECASE)
_END = b"END-ISO-10303-21;"
_COMMENT = re.compile(rb"/\*.*?\*/", re.DOTALL)
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class IfcSource:
    """An opened IFC model and the bytes to keep in the project.

    Attributes:
        model: the parsed model.
        data: the file's bytes as given (the zip itself for an IFCZIP).
        media_type: ``application/x-step`` or ``application/zip``.
        schema: the schema named in the header (``IFC4X3_ADD2``).
    """

    model: ifcopenshell.file
    data: bytes
    media_type: str
    schema: str


def is_ifc(path: Path) -> bool:
    """True for a STEP file whose FILE_SCHEMA names an IFC schema, or a zip holding a .ifc."""
    data = head(path)
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                return any(name.lower().endswith(".ifc") for name in archive.namelist())
        except ZIP_READ_ERRORS:
            return False
    text = data.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(_STEP_MAGIC):
        return False
    match = _SCHEMA.search(text)
    return bool(match and match.group(1).upper().startswith(b"IFC"))


def open_ifc(path: Path) -> IfcSource:
    """Open ``path`` (.ifc or .ifczip) after checking it is complete and of a supported schema.

    Raises:
        InputFileNotFoundError: there is no such file.
        UnsupportedFormatError: the file is not IFC, or its schema is not supported.
        InvalidInputError: the file is truncated or corrupt, or an IFCZIP is unsafe or empty.
    """
    if not path.is_file():
        raise InputFileNotFoundError(
            f"{path} not found; check the file name and folder.",
            code="file_not_found",
            values={"file": str(path)},
        )
    data = path.read_bytes()
    if data.startswith(_ZIP_MAGIC):
        step, media_type = _zip_member(path, data), "application/zip"
    else:
        step, media_type = data, "application/x-step"
    schema = _check_step(step, path.name)
    try:
        if step is data:
            model = ifcopenshell.open(str(path))
        else:
            model = ifcopenshell.file.from_string(step.decode("utf-8", errors="replace"))
    except ifcopenshell.SchemaError as exc:
        raise _unsupported_schema(path.name, schema) from exc
    except (ifcopenshell.Error, RuntimeError, OSError) as exc:
        raise InvalidInputError(
            f"{path.name} cannot be read as IFC ({str(exc).splitlines()[0]}); the file is "
            "damaged: export it again from the modelling software.",
            code="ifc_unreadable",
            values={"file": path.name, "detail": str(exc).splitlines()[0]},
        ) from exc
    return IfcSource(model=model, data=data, media_type=media_type, schema=schema)


def _check_step(step: bytes, name: str) -> str:
    """The header's schema, after checking the STEP magic, the schema and the trailer."""
    text = step[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(_STEP_MAGIC):
        raise UnsupportedFormatError(
            f"{name} is not an IFC file (no ISO-10303-21 header); export the model as IFC.",
            code="format_not_importer",
            values={"file": name, "importer": "ifc"},
        )
    match = _SCHEMA.search(text)
    if not match:
        raise InvalidInputError(
            f"{name} has no FILE_SCHEMA in its header; the file is damaged: export it again.",
            code="ifc_no_schema",
            values={"file": name},
        )
    schema = match.group(1).decode("ascii", errors="replace").strip().upper()
    if schema not in SUPPORTED_SCHEMAS:
        raise _unsupported_schema(name, schema)
    tail = _COMMENT.sub(b"", step[-4096:]).rstrip()
    if not tail.endswith(_END):
        raise InvalidInputError(
            f"{name} is truncated (it does not end with END-ISO-10303-21;); the copy or export "
            "was interrupted: fetch or export the file again.",
            code="ifc_truncated",
            values={"file": name},
        )
    return schema


def _unsupported_schema(name: str, schema: str) -> UnsupportedFormatError:
    return UnsupportedFormatError(
        f"{name} uses the IFC schema {schema}, which is not supported (supported: "
        f"{', '.join(SUPPORTED_SCHEMAS)}); export the model again in one of them.",
        code="ifc_schema_unsupported",
        values={"file": name, "schema": schema, "supported": list(SUPPORTED_SCHEMAS)},
    )


def _zip_member(path: Path, data: bytes) -> bytes:
    """The bytes of the one .ifc member of an IFCZIP, read in memory after safety checks."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, path.name, "give the .ifc file itself, or zip it again on its own")
            infos = archive.infolist()
            members = [i for i in infos if i.filename.lower().endswith(".ifc")]
            if not members:
                raise InvalidInputError(
                    f"{path.name} is a zip without any .ifc file inside; give the IFC model.",
                    code="ifc_zip_without_ifc",
                    values={"file": path.name},
                )
            if len(members) > 1:
                logger.warning("%s holds %d .ifc files; reading %s", path, len(members), members[0])
            return archive.read(members[0])
    except TwinError:  # unsafe, or no .ifc inside: its own message
        raise
    except ZIP_READ_ERRORS as exc:
        raise InvalidInputError(
            f"{path.name} is a damaged zip ({exc}); zip the .ifc file again.",
            code="zip_damaged",
            values={"file": path.name, "detail": str(exc)},
        ) from exc
