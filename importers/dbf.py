"""The dBase table beside a shapefile: its field names and the encoding of its text.

IGN ships shapefiles whose text is UTF-8 without a ``.cpg`` file saying so; GDAL then guesses
ISO-8859-1 and garbles every accent ("IndiffÃ©renciÃ©"). The encoding is therefore told from
the bytes: text fields that decode strictly as UTF-8 are UTF-8; otherwise the ``.cpg`` says,
else Windows-1252 (ISO-8859-1 when a byte is undefined in 1252).
"""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: How much of the records is read to tell the encoding.
MAX_SCAN_BYTES = 64 << 20


@dataclass(frozen=True)
class DbfField:
    """One field of a dBase table: name, type letter (C text, N number, D date ...), width."""

    name: str
    kind: str
    width: int


def sibling(shp: Path, suffix: str) -> Path | None:
    """The file beside ``shp`` with ``suffix`` (``.dbf``, ``.cpg``), in either case."""
    for candidate in (shp.with_suffix(suffix.lower()), shp.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return None


def read_fields(dbf: Path) -> tuple[list[DbfField], int, int, int]:
    """The fields, record count, header size and record size of a .dbf file.

    Raises:
        OSError: the file cannot be read.
        ValueError: the header is not a dBase header.
    """
    with dbf.open("rb") as stream:
        start = stream.read(32)
        if len(start) < 32:
            raise ValueError(f"{dbf.name} is too short for a dBase header")
        records, header_bytes, record_bytes = struct.unpack("<IHH", start[4:12])
        descriptors = stream.read(max(0, header_bytes - 32))
    fields = []
    for offset in range(0, len(descriptors) - 31, 32):
        if descriptors[offset] == 0x0D:
            break
        raw = descriptors[offset : offset + 32]
        name = raw[:11].split(b"\x00", 1)[0].decode("ascii", errors="replace").strip()
        fields.append(DbfField(name, chr(raw[11]), raw[16]))
    return fields, records, header_bytes, record_bytes


def field_names(shp: Path) -> list[str]:
    """The field names of a shapefile's .dbf (empty when it has none or it is unreadable)."""
    dbf = sibling(shp, ".dbf")
    if dbf is None:
        return []
    try:
        return [field.name for field in read_fields(dbf)[0]]
    except (OSError, ValueError):
        return []


def detect_encoding(shp: Path, max_bytes: int = MAX_SCAN_BYTES) -> str:
    """The encoding of a shapefile's text: UTF-8 if its text fields decode strictly as UTF-8,
    else the ``.cpg``'s, else CP1252 (ISO-8859-1 when a byte is undefined in CP1252).
    """
    dbf = sibling(shp, ".dbf")
    declared = _cpg_encoding(shp)
    if dbf is None:
        return declared or "UTF-8"
    try:
        data = _text_bytes(dbf, max_bytes)
    except (OSError, ValueError):
        return declared or "UTF-8"
    if max(data, default=0) < 0x80:
        return declared or "UTF-8"
    try:
        data.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        pass
    if declared:
        return declared
    try:
        data.decode("cp1252")
        return "CP1252"
    except UnicodeDecodeError:
        return "ISO-8859-1"


def _text_bytes(dbf: Path, max_bytes: int) -> bytes:
    """The bytes of every text (C) field of the first records, field by field."""
    fields, records, header_bytes, record_bytes = read_fields(dbf)
    if record_bytes == 0 or records == 0:
        return b""
    count = min(records, max(1, max_bytes // record_bytes))
    with dbf.open("rb") as stream:
        stream.seek(header_bytes)
        raw = stream.read(count * record_bytes)
    count = len(raw) // record_bytes
    table = np.frombuffer(raw[: count * record_bytes], dtype=np.uint8).reshape(count, record_bytes)
    offsets = np.cumsum([1] + [field.width for field in fields])  # byte 0 is the deletion flag
    parts = [
        table[:, offsets[i] : offsets[i] + field.width].tobytes()
        for i, field in enumerate(fields)
        if field.kind == "C"
    ]
    return b"".join(parts)


def _cpg_encoding(shp: Path) -> str | None:
    """The encoding named by the ``.cpg`` file, normalised (``1252`` → ``CP1252``)."""
    cpg = sibling(shp, ".cpg")
    if cpg is None:
        return None
    try:
        name = cpg.read_text(encoding="ascii", errors="ignore").strip().upper()
    except OSError:
        return None
    name = name.removeprefix("ANSI").strip()
    if name in ("65001", "UTF8"):
        name = "UTF-8"
    elif name.isdigit():
        name = f"CP{name}"
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL byte in the name
        return None
    return name
