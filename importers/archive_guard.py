"""Checks every archive an importer opens before anything is decompressed.

Zip files (GTFS feeds, IFCZIP models) and gzipped GeoJSON (``.json.gz``) are read in memory,
never extracted to disk. Before a zip member is read, :func:`check_zip` refuses the archive
when one of its entries has an unsafe path (absolute, a drive letter, or ``..``), or when its
entries would expand beyond :data:`MAX_UNCOMPRESSED_BYTES` or more than
:data:`MAX_COMPRESSION_RATIO` times their compressed size (a zip bomb). Python's
:mod:`zipfile` never inflates a member beyond the size its header declares (it stops there and
the CRC check fails), so checking the declared sizes bounds what is decompressed.

A gzip stream declares no trustworthy size: :func:`gzip_chunks` decompresses it chunk by chunk
and stops as soon as the output passes the same limits. Archives expanding to less than
:data:`SMALL_ARCHIVE_BYTES` are never refused for their ratio (a tiny, repetitive file is
harmless). docs/robustness.md lists the limits.
"""

from __future__ import annotations

import gzip
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from twin.errors import InvalidInputError

#: An archive whose entries would decompress to more than this is refused (bytes, 2 GiB).
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
#: ... or whose entries expand more than this many times their compressed size (a zip bomb).
MAX_COMPRESSION_RATIO = 100.0
#: Below this expanded size (bytes, 1 MiB) the ratio is not checked.
SMALL_ARCHIVE_BYTES = 1024**2
_CHUNK_BYTES = 1 << 20
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def unsafe_name(name: str) -> bool:
    """True for an entry path that could point outside the folder it would be extracted to.

    >>> unsafe_name("gtfs/stops.txt"), unsafe_name("../stops.txt"), unsafe_name("/etc/passwd")
    (False, True, True)
    >>> unsafe_name("C:\\\\model.ifc"), unsafe_name("a\\\\..\\\\..\\\\b.txt")
    (True, True)
    """
    pure = PurePosixPath(name.replace("\\", "/"))
    return pure.is_absolute() or ".." in pure.parts or bool(re.match(r"^[A-Za-z]:", name))


def expansion_refused(expanded_bytes: int, packed_bytes: int) -> bool:
    """True when ``packed_bytes`` expanding to ``expanded_bytes`` passes the limits.

    >>> expansion_refused(50 * 1024**2, 100 * 1024), expansion_refused(50 * 1024**2, 10 * 1024**2)
    (True, False)
    >>> expansion_refused(900 * 1024, 100), expansion_refused(3 * 1024**3, 1024**3)
    (False, True)
    """
    if expanded_bytes > MAX_UNCOMPRESSED_BYTES:
        return True
    ratio = expanded_bytes / max(packed_bytes, 1)
    return expanded_bytes > SMALL_ARCHIVE_BYTES and ratio > MAX_COMPRESSION_RATIO


#: What reading a damaged zip raises: a bad header or CRC (BadZipFile), a seek before the start
#: of a cut archive (ValueError), an unknown compression method (NotImplementedError), bad
#: deflate data (zlib.error).
ZIP_READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    zlib.error,
    ValueError,
    NotImplementedError,
)


def check_zip_entries(infos: Sequence[zipfile.ZipInfo], name: str, remedy: str) -> None:
    """Refuse a zip whose entries have unsafe paths or would expand too much.

    ``name`` is the file name shown in the message, ``remedy`` what the user should do
    (``"zip the .ifc file again on its own"``).

    Raises:
        InvalidInputError: naming the first unsafe entry, or the expanded size and ratio.
    """
    unsafe = [info.filename for info in infos if unsafe_name(info.filename)]
    if unsafe:
        raise InvalidInputError(
            f"{name} holds an entry with an unsafe path ({unsafe[0]!r}), which could point "
            f"outside its folder; it is refused: {remedy}.",
            code="zip_unsafe_path",
            values={"file": name, "entry": unsafe[0]},
        )
    expanded = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if expansion_refused(expanded, packed):
        raise InvalidInputError(
            f"{name} would decompress to {_size_text(expanded)} from {_size_text(packed)} "
            f"(ratio {expanded / max(packed, 1):,.0f}:1; limits {_limits_text()}), which only a "
            f"zip bomb or a damaged archive does; it is refused: {remedy}.",
            code="zip_bomb",
            values={
                "file": name,
                "expanded_mb": expanded / 2**20,
                "packed_mb": packed / 2**20,
                "ratio": round(expanded / max(packed, 1)),
            },
        )


def check_zip(archive: zipfile.ZipFile, name: str, remedy: str) -> None:
    """:func:`check_zip_entries` over every entry of an opened archive."""
    check_zip_entries(archive.infolist(), name, remedy)


def check_zip_file(path: Path) -> None:
    """Apply :func:`check_zip` to a file that is a zip, whatever its name, before any importer
    (or GDAL, which opens ``.zip`` paths itself) reads it; nothing for other files.

    Raises:
        InvalidInputError: the zip has unsafe entry paths or would expand too much.
    """
    with path.open("rb") as stream:
        if stream.read(4) not in _ZIP_MAGIC:
            return
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except ZIP_READ_ERRORS:
        return  # not readable as a zip: the importers say so in their own words
    check_zip_entries(
        infos, path.name, "check where it comes from, and extract only the files you need"
    )


def gzip_chunks(path: Path, name: str = "") -> Iterator[bytes]:
    """The decompressed bytes of a gzip file, chunk by chunk, within the limits.

    Raises:
        InvalidInputError: the output passes the limits (checked after every chunk, so at
            most one chunk beyond them is ever held), or the stream is damaged.
    """
    name = name or path.name
    packed = max(path.stat().st_size, 1)
    expanded = 0
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                expanded += len(chunk)
                if expansion_refused(expanded, packed):
                    raise InvalidInputError(
                        f"{name} decompresses to more than {_size_text(expanded)} from "
                        f"{_size_text(packed)} (limits {_limits_text()}), which only a "
                        "compression bomb or a damaged file does; it is refused: give the "
                        "uncompressed file, or compress it again.",
                        code="gzip_bomb",
                        values={
                            "file": name,
                            "expanded_mb": expanded / 2**20,
                            "packed_mb": packed / 2**20,
                        },
                    )
                yield chunk
    except (OSError, EOFError, zlib.error) as exc:
        raise InvalidInputError(
            f"{name} is a damaged gzip file ({exc}); download or compress it again.",
            code="gzip_damaged",
            values={"file": name, "detail": str(exc)},
        ) from exc


def _limits_text() -> str:
    return f"{_size_text(MAX_UNCOMPRESSED_BYTES)} and {MAX_COMPRESSION_RATIO:.0f}:1"


def _size_text(size_bytes: int) -> str:
    """A size in words.

    >>> _size_text(512), _size_text(3 * 1024**2), _size_text(2 * 1024**3)
    ('512 bytes', '3.0 MB', '2.0 GB')
    """
    if size_bytes >= 1024**3:
        return f"{size_bytes / 1024**3:,.1f} GB"
    if size_bytes >= 1024**2:
        return f"{size_bytes / 1024**2:,.1f} MB"
    if size_bytes >= 1024:
        return f"{size_bytes / 1024:,.1f} KB"
    return f"{size_bytes} bytes"
