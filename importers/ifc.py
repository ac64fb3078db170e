"""IFC building models (IFC2X3, IFC4, IFC4X3_ADD2; .ifc and .ifczip) → buildings, storeys,
spaces, ifc_elements and a 3D mesh of every element.

The model is opened with ifcopenshell (:mod:`importers.ifc_source`), placed on the map
(:mod:`importers.ifc_georef`: IfcMapConversion, IfcRigidOperation, the site's latitude and
longitude, or ``--at``), tessellated once with the geometry iterator
(:mod:`importers.ifc_geometry`) in a child process that streams the meshes back in batches
(:mod:`importers.ifc_kernel_guard`). Meanwhile the import reads its spatial tree, property and
quantity sets in bulk (:mod:`importers.ifc_hierarchy`, :mod:`importers.ifc_properties`), then
places and outlines each batch as it comes (:mod:`importers.ifc_batches`). The IFC file itself is
returned in ``files`` so the project keeps the source of detail. See docs/formats/ifc.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import ifcopenshell
import ifcopenshell.util.unit
import numpy as np
import pandas as pd
from pyproj import CRS

from importers.base import ImportOptions, ImportResult
from importers.ifc_batches import MeshBatches
from importers.ifc_crs import Georeference
from importers.ifc_geometry import Tessellation, geometry_classes
from importers.ifc_georef import georeference
from importers.ifc_hierarchy import Hierarchy, read_hierarchy
from importers.ifc_kernel_guard import tessellate_isolated
from importers.ifc_layers import make_layers
from importers.ifc_properties import Sets, property_tables, unit_factors
from importers.ifc_rows import Context, element_rows
from importers.ifc_source import is_ifc, open_ifc
from importers.ifc_spatial_rows import SpatialRows, spatial_rows
from importers.source_tools import clean_geometries, keep_in_range
from twin.catalogue import BUILDINGS, SPACES, STOREYS
from twin.errors import InvalidInputError, TwinError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity
from twin.provenance import ProvenanceRecord, StoredFile, utc_now_iso
from twin.spec import LayerSpec

logger = logging.getLogger(__name__)

NAME = "ifc"
DESCRIPTION = "IFC building models (IFC2X3, IFC4, IFC4X3_ADD2; .ifc, .ifczip)"
SUFFIXES = (".ifc", ".ifczip")

#: Representation identifiers the iterator tessellates; an element with one that gives no
#: mesh is reported as ``tessellation_failed``.
BODY_IDENTIFIERS = ("Body", "Facetation")


def sniff(path: Path) -> bool:
    """True for a STEP file declaring an IFC schema, or a zip holding a .ifc."""
    return is_ifc(path)


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read an IFC model into the buildings, storeys, spaces and ifc_elements layers.

    ``bbox`` is ignored (a model is read whole). ``options.placement_xyz`` and
    ``options.rotation_deg`` place a model (and override its own georeferencing);
    ``options.include_furniture`` also tessellates furniture and sanitary equipment.

    Raises:
        UnsupportedFormatError: not IFC, or a schema other than IFC2X3, IFC4, IFC4X3_ADD2.
        InvalidInputError: a truncated, corrupt or unsafe file, entities breaking the schema, a
            model without IfcBuilding, or one without georeferencing when no ``--at`` is given.
        CrsError: the model names a CRS unknown to PROJ and nothing else places it.
        CancelledError: the user cancelled (checked between steps and every 64 elements).
    """
    feedback = ensure_feedback(feedback)
    path = Path(path)
    times: dict[str, float] = {}
    start = time.perf_counter()
    source = open_ifc(path)
    model = source.model
    issues: list[Issue] = []
    times["open"] = time.perf_counter() - start
    feedback.set_progress(0.05)
    feedback.raise_if_cancelled()
    classes = geometry_classes(options.include_furniture)
    with _schema_breaks(path.name):  # ifcopenshell reads entities unchecked
        with feedback.step(0.05, 0.85) as step:
            reading = tessellate_isolated(
                model,
                classes,
                step,
                path.name,
                lambda: _read_model(model, path.name, options, target_crs, classes, issues),
            )
        times["tessellate"] = time.perf_counter() - start - times["open"]
        feedback.raise_if_cancelled()
        tree, georef, batches = reading.tree, reading.georef, reading.batches
        geometry = batches.join()
        _report_failures(model, reading.expected, batches.tessellated, path.name, issues)
        issues.extend(batches.issues)
        failed = sum(1 for issue in issues if issue.code == "tessellation_failed")
        context = Context(
            model, tree, georef, reading.psets, reading.qtos, reading.spatial, target_crs, path.name
        )
        layers = make_layers(context, geometry, reading.elements, issues)
    layers["buildings"] = clean_geometries(layers["buildings"], BUILDINGS, path.name, issues)
    for spec in (BUILDINGS, STOREYS, SPACES):
        if _out_of_range(layers[spec.name], spec):
            layers[spec.name] = keep_in_range(layers[spec.name], spec, path.name, issues)
    feedback.set_progress(1.0)
    times["total"] = time.perf_counter() - start
    logger.debug("%s read in %s", path.name, {k: round(v, 3) for k, v in times.items()})
    details = {
        "schema": source.schema,
        "georeferencing": georef.method,
        "model_crs": georef.details.get("model_crs", ""),
        "unit_scale": reading.unit_scale,
        "elements_tessellated": int(geometry.store.n_objects),
        "elements_failed": failed,
        "include_furniture": options.include_furniture,
        "mesh_origin": list(geometry.store.origin),
        "georeferencing_details": georef.details,
    }
    provenance = ProvenanceRecord(
        source=path.name,
        importer=NAME,
        imported_at=utc_now_iso(),
        sha256="",
        layers={name: len(frame) for name, frame in layers.items()},
        details=details,
    )
    return ImportResult(
        layers=layers,
        issues=issues,
        provenance=provenance,
        files=[StoredFile(path.name, source.media_type, source.data)],
        meshes={NAME: geometry.store},
    )


@dataclass(frozen=True)
class _Reading:
    """What the import reads of the model while the kernel tessellates (the spatial tree, the
    placement, property and quantity sets, the ifc_elements rows, the spaces' and storeys'
    columns, the STEP ids of the elements the iterator should return), and the batches of
    meshes it then takes."""

    unit_scale: float
    tree: Hierarchy
    georef: Georeference
    psets: dict[int, Sets]
    qtos: dict[int, Sets]
    elements: gpd.GeoDataFrame
    spatial: SpatialRows
    expected: list[int]
    batches: MeshBatches

    def add(self, batch: Tessellation) -> None:
        """Take a batch of meshes (:meth:`importers.ifc_batches.MeshBatches.add`)."""
        self.batches.add(batch)


def _read_model(
    model: ifcopenshell.file,
    source: str,
    options: ImportOptions,
    target_crs: CRS,
    classes: list[str],
    issues: list[Issue],
) -> _Reading:
    """All that needs no geometry.

    Raises:
        InvalidInputError: no IfcBuilding, or no georeferencing and no ``--at``.
        CrsError: the model names a CRS unknown to PROJ and nothing else places it.
    """
    unit_scale = float(ifcopenshell.util.unit.calculate_unit_scale(model))
    tree = read_hierarchy(model, source, options.include_furniture, issues)
    if not tree.buildings:
        raise InvalidInputError(
            f"{source} contains no IfcBuilding; export the building, not only its elements",
            code="ifc_no_building",
            values={"file": source},
        )
    georef = georeference(model, source, options, unit_scale, issues).with_target(target_crs)
    psets, qtos = property_tables(model, set(tree.guid), unit_factors(model))
    return _Reading(
        unit_scale,
        tree,
        georef,
        psets,
        qtos,
        element_rows(tree, psets, qtos, source),
        spatial_rows(tree, georef, psets, qtos, unit_scale),
        _expected(model, classes, tree),
        MeshBatches(tree, georef, model.schema_identifier, source),
    )


@contextmanager
def _schema_breaks(name: str) -> Iterator[None]:
    """Entities that break the schema (a required reference missing, a value of the wrong type,
    which ifcopenshell reads without checking) end as one InvalidInputError, not a crash."""
    try:
        yield
    except TwinError:  # a refusal of ours (InvalidInputError is a ValueError too)
        raise
    except (AttributeError, TypeError, IndexError, ValueError, RuntimeError) as exc:
        logger.debug("walking the model of %s failed", name, exc_info=True)
        raise InvalidInputError(
            f"{name} has entities that break the IFC schema (a missing reference or a value of "
            "the wrong type); check the model with an IFC validator (ifcopenshell.validate, or "
            "validate.buildingsmart.org) and export it again.",
            code="ifc_schema_broken",
            values={"file": name},
        ) from exc


def _out_of_range(frame: pd.DataFrame, spec: LayerSpec) -> bool:
    """True when a number lies outside its column's range (then keep_in_range blanks it)."""
    for column in spec.columns:
        if column.name in frame and column.dtype in ("Int64", "float64"):
            values = pd.to_numeric(frame[column.name], errors="coerce").to_numpy(dtype=float)
            low = -np.inf if column.minimum is None else column.minimum
            high = np.inf if column.maximum is None else column.maximum
            if ((values < low) | (values > high)).any():
                return True
    return False


def _expected(model: ifcopenshell.file, classes: list[str], tree: Hierarchy) -> list[int]:
    """STEP ids of the elements of ``classes`` kept in the tree, once each, in class order."""
    ids = (element.id() for ifc_class in classes for element in model.by_type(ifc_class))
    return [step_id for step_id in dict.fromkeys(ids) if step_id not in tree.dropped]


def _report_failures(
    model: ifcopenshell.file,
    expected: list[int],
    tessellated: set[int],
    source: str,
    issues: list[Issue],
) -> None:
    """Report elements with a body representation that the iterator did not return."""
    for step_id in expected:
        if step_id in tessellated:
            continue
        element = model.by_id(step_id)
        if not _has_body(element):
            continue
        issues.append(
            Issue(
                Severity.ERROR,
                "tessellation_failed",
                f"{element.is_a()} could not be tessellated (invalid or unsupported "
                "geometry); it has no 3D shape, its properties are kept",
                source,
                str(element.GlobalId),
            )
        )


def _has_body(element: ifcopenshell.entity_instance) -> bool:
    shape = getattr(element, "Representation", None)
    if shape is None:
        return False
    return any(r.RepresentationIdentifier in BODY_IDENTIFIERS for r in shape.Representations)
