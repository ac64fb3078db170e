"""What every importer returns, and the options it may be given.

An importer is a module with ``NAME``, ``DESCRIPTION``, ``SUFFIXES``,
``sniff(path) -> bool`` and ``read(path, *, target_crs, options, bbox, feedback) -> ImportResult``.
It returns data and never touches the City: :mod:`importers.merge` puts results into a City.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import geopandas as gpd
from pyproj import CRS

from twin.feedback import Feedback
from twin.issues import Issue, count_by_code
from twin.mesh import MeshStore
from twin.provenance import ProvenanceRecord, StoredFile, utc_now_iso
from twin.raster import Raster


@dataclass(frozen=True)
class ImportOptions:
    """Choices the user makes for one import.

    Attributes:
        kind: what the file holds, when the user says so (``--as buildings``); empty to let the
            registry decide from the content.
        source_crs: the file's CRS when the file does not declare one (``--crs``).
        mapping: target column → source column, for sources with their own schema.
        values: per target column, source value → target value (e.g. uses).
        defaults: target column → value given to rows where it is missing.
        source_layer: which layer of a multi-layer file to read.
        storey_height_m: storey height used to turn floors into heights.
        placement_xyz: where to put a model that has no georeferencing (``--at X,Y[,Z]``), in
            the project CRS (metres); its local origin lands there.
        rotation_deg: rotation of such a model, counter-clockwise from the project's grid east
            to the model's x axis (``--rotation``).
        include_furniture: also tessellate furniture and equipment (IFC), off by default.
        service_date: the day transit service is counted on (GTFS, ``--day YYYY-MM-DD``);
            empty for the feed's busiest Tuesday.
    """

    kind: str = ""
    source_crs: CRS | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    source_layer: str = ""
    storey_height_m: float = 3.0
    placement_xyz: tuple[float, float, float] | None = None
    rotation_deg: float = 0.0
    include_furniture: bool = False
    service_date: str = ""


@dataclass
class ImportResult:
    """What one file brought: layers in the target CRS, issues and provenance."""

    layers: dict[str, gpd.GeoDataFrame]
    issues: list[Issue]
    provenance: ProvenanceRecord
    files: list[StoredFile] = field(default_factory=list)
    rasters: dict[str, Raster] = field(default_factory=dict)
    meshes: dict[str, MeshStore] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        source: str,
        importer: str,
        layers: dict[str, gpd.GeoDataFrame],
        issues: list[Issue],
        details: dict[str, Any] | None = None,
        **extra: Any,
    ) -> ImportResult:
        """A result with its provenance record (rows per layer; the registry adds the checksum).

        ``extra`` passes ``files``, ``rasters`` or ``meshes`` through.
        """
        provenance = ProvenanceRecord(
            source=source,
            importer=importer,
            imported_at=utc_now_iso(),
            sha256="",
            layers={name: len(frame) for name, frame in layers.items()},
            details=dict(details or {}),
        )
        return cls(layers=layers, issues=issues, provenance=provenance, **extra)

    def summary_lines(self) -> list[str]:
        """The import report in a few lines: rows per layer, issues per kind."""
        lines = [f"{self.provenance.source}: read by the '{self.provenance.importer}' importer"]
        for name, frame in self.layers.items():
            lines.append(f"  {name}: {len(frame)} rows")
        for name, raster in self.rasters.items():
            rows, columns = raster.shape
            size = raster.pixel_size_m[0]
            lines.append(f"  {name}: raster of {columns} x {rows} pixels of {size:g} m")
        first = {}
        for issue in self.issues:
            first.setdefault(issue.code, issue)
        for code, count in count_by_code(self.issues).items():
            example = first[code]
            where = f" ({example.feature})" if example.feature else ""
            label = "" if count == 1 else f" x{count}, e.g."
            lines.append(f"  {example.severity.value} {code}{label}{where}: {example.message}")
        return lines


class Importer(Protocol):
    """The protocol an importer module follows (checked by the registry's tests)."""

    NAME: str
    DESCRIPTION: str
    SUFFIXES: tuple[str, ...]

    def sniff(self, path: Path) -> bool:
        """True when the file's content is a format this importer reads."""
        ...

    def read(
        self,
        path: Path,
        *,
        target_crs: CRS,
        options: ImportOptions,
        bbox: tuple[float, float, float, float] | None = None,
        feedback: Feedback | None = None,
    ) -> ImportResult:
        """Read the file into layers in ``target_crs``."""
        ...
