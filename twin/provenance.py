"""Provenance: where every layer's rows came from, and the files stored inside a project."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class ProvenanceRecord:
    """One import (or generation) that put rows into the City.

    Attributes:
        source: the file name as the user gave it.
        importer: the importer that read it (``"bdtopo"``, ``"ifc"``, ``"vector"`` ...).
        imported_at: ISO 8601 UTC timestamp.
        sha256: checksum of the file's bytes, to tell whether a source changed since.
        layers: rows added per layer.
        details: anything else worth keeping (CRS of the source, options, counts by source).
    """

    source: str
    importer: str
    imported_at: str
    sha256: str
    layers: dict[str, int] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProvenanceRecord:
        """Rebuild a record from :meth:`to_dict` output."""
        return cls(
            source=str(data["source"]),
            importer=str(data["importer"]),
            imported_at=str(data["imported_at"]),
            sha256=str(data["sha256"]),
            layers={str(k): int(v) for k, v in dict(data.get("layers", {})).items()},
            details=dict(data.get("details", {})),
        )


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A source file kept inside the project (an IFC model), so the project is self-contained."""

    name: str
    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        """Checksum of the bytes."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size_bytes(self) -> int:
        """Size of the stored bytes."""
        return len(self.data)


def file_sha256(path: Path, chunk_bytes: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in chunks (sources may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def utc_now_iso() -> str:
    """Current UTC time, ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
