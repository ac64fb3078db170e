"""IFC building models (IFC2X3, IFC4, IFC4X3_ADD2; .ifc and .ifczip) → buildings, storeys,
spaces, ifc_elements and a 3D mesh of every element.

The model is opened with ifcopenshell (:mod:`importers.ifc_source`), placed on the map
(:mod:`importers.ifc_georef`: IfcMapConversion, IfcRigidOperation, the site's latitude and
longitude, or ``--at``), tessellated once with the geometry iterator
(:mod:`importers.ifc_geometry`), and its spatial tree, property and quantity sets read in bulk
(:mod:`importers.ifc_hierarchy`, :mod:`importers.ifc_properties`). The IFC file itself is
returned in ``files`` so the project keeps the source of detail. See docs/formats/ifc.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import ifcopenshell
import ifcopenshell.util.unit
import numpy as np
import pandas as pd
from pyproj import CRS

from importers.base import ImportOptions, ImportResult
from importers.ifc_geometry import geometry_classes
from importers.ifc_georef import georeference
from importers.ifc_hierarchy import Hierarchy, read_hierarchy
from importers.ifc_kernel_guard import tessellate_isolated
from importers.ifc_layers import make_layers
from importers.ifc_mesh import place
from importers.ifc_properties import Sets, property_tables, unit_factors
from importers.ifc_rows import Context, element_rows
from importers.ifc_source import is_ifc, open_ifc
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
    with _schema_breaks(path.name):  # ifcopenshell reads entities unchecked
        unit_scale = float(ifcopenshell.util.unit.calculate_unit_scale(model))
        tree = read_hierarchy(model, path.name, options.include_furniture, issues)
        if not tree.buildings:
            raise InvalidInputError(
                f"{path.name} contains no IfcBuilding; export the building, not only its elements",
                code="ifc_no_building",
                values={"file": path.name},
            )
        georef = georeference(model, path.name, options, unit_scale, issues).with_target(target_crs)
        times["open"] = time.perf_counter() - start
        feedback.set_progress(0.05)
        feedback.raise_if_cancelled()
        classes = geometry_classes(options.include_furniture)
        with feedback.step(0.05, 0.85) as step:
            tessellation, (psets, qtos, elements) = tessellate_isolated(
                model, classes, step, path.name, lambda: _element_tables(model, tree, path.name)
            )
        times["tessellate"] = time.perf_counter() - start - times["open"]
        feedback.raise_if_cancelled()
        _report_failures(model, classes, tree, tessellation.step_ids, path.name, issues)
        placed = place(tessellation, georef, tree.guid, path.name, issues)
        failed = sum(1 for issue in issues if issue.code == "tessellation_failed")
        context = Context(
            model, tree, placed, georef, psets, qtos, unit_scale, target_crs, path.name
        )
        layers = make_layers(context, elements, issues)
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
        "unit_scale": unit_scale,
        "elements_tessellated": int(placed.store.n_objects),
        "elements_failed": failed,
        "include_furniture": options.include_furniture,
        "mesh_origin": list(placed.store.origin),
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
        meshes={NAME: placed.store},
    )


def _element_tables(
    model: ifcopenshell.file, tree: Hierarchy, source: str
) -> tuple[dict[int, Sets], dict[int, Sets], gpd.GeoDataFrame]:
    """Property and quantity sets, and the ifc_elements rows: all that needs no geometry."""
    psets, qtos = property_tables(model, set(tree.guid), unit_factors(model))
    return psets, qtos, element_rows(tree, psets, qtos, source)


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


def _report_failures(
    model: ifcopenshell.file,
    classes: list[str],
    tree: Hierarchy,
    tessellated: object,
    source: str,
    issues: list[Issue],
) -> None:
    """Report elements with a body representation that the iterator did not return."""
    done = set(int(i) for i in tessellated)  # type: ignore[attr-defined]
    for ifc_class in classes:
        for element in model.by_type(ifc_class):
            step_id = element.id()
            if step_id in done or step_id in tree.dropped or not _has_body(element):
                continue
            done.add(step_id)
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
