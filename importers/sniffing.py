"""Recognise file formats from their first bytes, not their names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

_HEAD_BYTES = 4096


def head(path: Path, size: int = _HEAD_BYTES) -> bytes:
    """The first bytes of a file (empty for a folder)."""
    if not path.is_file():
        return b""
    with path.open("rb") as stream:
        return stream.read(size)


def is_geopackage(path: Path) -> bool:
    """An SQLite file whose application id is GeoPackage's ('GPKG' or 'GP10'/'GP11')."""
    data = head(path, 100)
    return data.startswith(b"SQLite format 3\x00") and data[68:72] in (b"GPKG", b"GP10", b"GP11")


def is_shapefile(path: Path) -> bool:
    """A .shp main file (file code 9994, big-endian)."""
    return head(path, 4) == b"\x00\x00\x27\x0a"


def missing_shapefile_parts(path: Path) -> list[str]:
    """The side files a shapefile needs (``.shx`` index, ``.dbf`` attributes) that are not
    beside it, whatever their case; empty for a complete shapefile or another file."""
    if not is_shapefile(path):
        return []
    present = {
        sibling.suffix.lower()
        for sibling in path.parent.glob("*")
        if sibling.stem.lower() == path.stem.lower()
    }
    return [suffix for suffix in (".shx", ".dbf") if suffix not in present]


def is_flatgeobuf(path: Path) -> bool:
    """A FlatGeobuf file (magic bytes 'fgb' + version 3)."""
    return head(path, 4) == b"fgb\x03"


def is_geojson(path: Path) -> bool:
    """A JSON text whose first object declares a GeoJSON ``type``."""
    text = head(path).lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return False
    return b'"type"' in text and (b"FeatureCollection" in text or b'"Feature"' in text)


def ensure_utf8_text(path: Path, name: str = "") -> None:
    """Check that a text format that must be UTF-8 (GeoJSON) is, before GDAL reads it.

    GDAL passes invalid bytes through into the columns, where they break later (a project that
    cannot be saved); this turns them into one clear error instead. Gzipped files are checked
    decompressed, within the limits of :mod:`importers.archive_guard`. Reads in chunks: about
    0.1 s for 50 MB.

    Raises:
        InvalidInputError: the file holds bytes that are not UTF-8, or is a gzip bomb.
    """
    import codecs

    from twin.errors import InvalidInputError

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    for chunk in _chunks(path, name):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                f"{name or path.name} is not UTF-8 text (byte {offset + exc.start} cannot be "
                "read); GeoJSON must be UTF-8: save it again as UTF-8 (in QGIS: Export, "
                "Save Features As, encoding UTF-8).",
                code="text_not_utf8",
                values={"file": name or path.name, "byte": offset + exc.start},
            ) from exc
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{name or path.name} ends in the middle of a character; the file is truncated: "
            "fetch it again.",
            code="text_truncated",
            values={"file": name or path.name},
        ) from exc


def _chunks(path: Path, name: str) -> Iterator[bytes]:
    """A file's bytes in 1 MB chunks; a gzip file's decompressed ones, within the limits of
    :mod:`importers.archive_guard` (a compression bomb is refused, never expanded whole)."""
    if head(path, 2) == b"\x1f\x8b":
        from importers.archive_guard import gzip_chunks

        yield from gzip_chunks(path, name)
        return
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            yield chunk
