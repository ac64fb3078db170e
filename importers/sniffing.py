"""Recognise file formats from their first bytes, not their names."""

from __future__ import annotations

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


def is_flatgeobuf(path: Path) -> bool:
    """A FlatGeobuf file (magic bytes 'fgb' + version 3)."""
    return head(path, 4) == b"fgb\x03"


def is_geojson(path: Path) -> bool:
    """A JSON text whose first object declares a GeoJSON ``type``."""
    text = head(path).lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return False
    return b'"type"' in text and (b"FeatureCollection" in text or b'"Feature"' in text)
