"""The head of a GeoJSON file, plain or gzipped: is it GeoJSON, and its first properties.

Etalab files put each feature's ``geometry`` before its ``properties``, so the first
properties may lie far from the start (a commune's outline runs to hundreds of kilobytes):
they are found by reading on in chunks, never by loading the file.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import IO, Any, cast

from importers.sniffing import head

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_BYTES = 1 << 16
#: How far to look for the first feature's properties before giving up.
MAX_SCAN_BYTES = 64 << 20
_KEY = b'"properties"'
_FEATURES = b'"features"'


def is_gzip(path: Path) -> bool:
    """True when the file starts with the gzip magic bytes."""
    return head(path, 2) == GZIP_MAGIC


def looks_like_geojson(data: bytes) -> bool:
    """A JSON text whose first object declares a GeoJSON ``type``.

    >>> looks_like_geojson(b'{"type":"FeatureCollection","features":[]}')
    True
    >>> looks_like_geojson(b'[1, 2]')
    False
    """
    text = data.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return False
    return b'"type"' in text and (b"FeatureCollection" in text or b'"Feature"' in text)


def first_properties(path: Path, max_bytes: int = MAX_SCAN_BYTES) -> dict[str, Any] | None:
    """The ``properties`` of the first feature of a GeoJSON file (gzipped or not).

    None when the file is not GeoJSON, cannot be read, or has no properties object within
    ``max_bytes`` of (decompressed) text.
    """
    if not path.is_file():
        return None
    try:
        with _open(path) as stream:
            data = bytearray(stream.read(4096))
            if not looks_like_geojson(bytes(data)):
                return None
            return _scan(stream, data, max_bytes)
    except (OSError, EOFError, zlib.error):
        return None


def _open(path: Path) -> IO[bytes]:
    if is_gzip(path):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _scan(stream: IO[bytes], data: bytearray, max_bytes: int) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    # Start after "features": a "crs" member written before it (GDAL, QGIS) has "properties"
    # of its own, which are not a feature's.
    while (features := data.find(_FEATURES)) < 0:
        if len(data) >= max_bytes or not (chunk := stream.read(_CHUNK_BYTES)):
            return None
        data.extend(chunk)
    searched = features
    while True:
        found = data.find(_KEY, searched)
        if found >= 0:
            value = _decode_after(data, found + len(_KEY), decoder)
            if value is _NOT_A_KEY:  # the word inside a string value: look further
                searched = found + len(_KEY)
                continue
            if value is not _INCOMPLETE:
                return value if isinstance(value, dict) else None
        else:
            searched = max(0, len(data) - len(_KEY))
        if len(data) >= max_bytes:
            return None
        chunk = stream.read(_CHUNK_BYTES)
        if not chunk:
            return None
        data.extend(chunk)


_INCOMPLETE = object()
_NOT_A_KEY = object()


def _decode_after(data: bytearray, start: int, decoder: json.JSONDecoder) -> Any:
    """The JSON value after ``"properties"`` and its colon; _INCOMPLETE to read on."""
    tail = bytes(data[start : start + (1 << 20)]).decode("utf-8", errors="ignore").lstrip()
    if not tail.startswith(":"):
        return _INCOMPLETE if not tail else _NOT_A_KEY
    try:
        value, _ = decoder.raw_decode(tail[1:].lstrip())
    except json.JSONDecodeError:
        return _INCOMPLETE
    return value
