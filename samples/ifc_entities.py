"""Fast IFC entity writing for generated models: shared geometry pieces, seeded identity."""

from __future__ import annotations

import uuid

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.georeference
import ifcopenshell.api.project
import ifcopenshell.api.root
import ifcopenshell.api.unit
import ifcopenshell.guid
import numpy as np
from pyproj import CRS


def georeferenced_model(
    project_name: str, site_name: str, crs: str, eastings: float, northings: float
) -> tuple[ifcopenshell.file, ifcopenshell.entity_instance, ifcopenshell.entity_instance]:
    """A new IFC4 file in metres with a Body context, a site and an ``IfcMapConversion``.

    The model origin lands at (``eastings``, ``northings``, 0) in ``crs``, unrotated, at
    scale 1; ``IfcProjectedCRS.Name`` is ``crs`` and its description pyproj's name for it.
    Returns (model, site, body context); the site has an identity placement.
    """
    model = ifcopenshell.api.project.create_file(version="IFC4")
    project = ifcopenshell.api.root.create_entity(model, ifc_class="IfcProject", name=project_name)
    units = [
        ifcopenshell.api.unit.add_si_unit(model, unit_type=unit_type)
        for unit_type in ("LENGTHUNIT", "AREAUNIT", "VOLUMEUNIT", "PLANEANGLEUNIT")
    ]
    assignment = ifcopenshell.api.unit.assign_unit(model, units=units)  # no units: millimetres
    assignment.Units = units  # the API fills this SET from a Python set, in a random order
    model_context = ifcopenshell.api.context.add_context(model, context_type="Model")
    body = ifcopenshell.api.context.add_context(
        model,
        context_type="Model",
        context_identifier="Body",
        target_view="MODEL_VIEW",
        parent=model_context,
    )
    site = ifcopenshell.api.root.create_entity(model, ifc_class="IfcSite", name=site_name)
    ifcopenshell.api.aggregate.assign_object(model, products=[site], relating_object=project)
    ifcopenshell.api.georeference.add_georeferencing(model, ifc_class="IfcMapConversion", name=crs)
    ifcopenshell.api.georeference.edit_georeferencing(
        model,
        projected_crs={
            "Name": crs,
            "Description": CRS.from_user_input(crs).name,
            "MapUnit": units[0],
        },
        coordinate_operation={
            "Eastings": float(eastings),
            "Northings": float(northings),
            "OrthogonalHeight": 0.0,
            "XAxisAbscissa": 1.0,
            "XAxisOrdinate": 0.0,
            "Scale": 1.0,
        },
    )
    site.ObjectPlacement = model.createIfcLocalPlacement(
        None, model.createIfcAxis2Placement3D(model.createIfcCartesianPoint((0.0, 0.0, 0.0)))
    )
    return model, site, body


class EntityWriter:
    """Writes bodies, placements and products with ``model.create_entity``.

    Directions, the origin placement and equal rectangle profiles are shared across the
    file (IFC allows it); every product gets its own placement and representation.
    ``ifcopenshell.api`` is the right tool for structure; this is for thousands of
    repeated elements, where it is about eight times faster (0.1 ms a wall against 0.8 ms
    through the API, measured on a 2-core machine).
    """

    def __init__(self, model: ifcopenshell.file, body: ifcopenshell.entity_instance) -> None:
        self.model = model
        self.body = body
        self.z = model.createIfcDirection((0.0, 0.0, 1.0))
        self.y = model.createIfcDirection((0.0, 1.0, 0.0))
        self.origin = model.createIfcAxis2Placement3D(
            model.createIfcCartesianPoint((0.0, 0.0, 0.0))
        )
        self._profiles: dict[tuple[float, float, float], ifcopenshell.entity_instance] = {}

    def placement(
        self,
        relative_to: ifcopenshell.entity_instance | None,
        xyz: tuple[float, float, float],
        along_y: bool = False,
    ) -> ifcopenshell.entity_instance:
        """A local placement at ``xyz``, its x axis along the model's x (or y) axis."""
        point = self.model.createIfcCartesianPoint(tuple(float(v) for v in xyz))
        axes = self.model.createIfcAxis2Placement3D(
            point, self.z if along_y else None, self.y if along_y else None
        )
        return self.model.createIfcLocalPlacement(relative_to, axes)

    def profile(self, dx: float, dy: float, cx: float) -> ifcopenshell.entity_instance:
        """A rectangle ``dx`` x ``dy`` centred on (``cx``, 0), shared by equal rectangles."""
        key = (round(dx, 3), round(dy, 3), round(cx, 3))
        if key not in self._profiles:
            centre = self.model.createIfcAxis2Placement2D(
                self.model.createIfcCartesianPoint((key[2], 0.0))
            )
            self._profiles[key] = self.model.createIfcRectangleProfileDef(
                "AREA", None, centre, key[0], key[1]
            )
        return self._profiles[key]

    def solid(
        self, profile: ifcopenshell.entity_instance, z0: float, height: float
    ) -> ifcopenshell.entity_instance:
        """The profile extruded upwards by ``height`` from ``z0``."""
        position = self.origin
        if z0:
            point = self.model.createIfcCartesianPoint((0.0, 0.0, float(z0)))
            position = self.model.createIfcAxis2Placement3D(point)
        return self.model.createIfcExtrudedAreaSolid(profile, position, self.z, float(height))

    def shape(
        self, items: list[ifcopenshell.entity_instance], kind: str = "SweptSolid"
    ) -> ifcopenshell.entity_instance:
        """A product definition shape holding one body representation."""
        rep = self.model.createIfcShapeRepresentation(self.body, "Body", kind, items)
        return self.model.createIfcProductDefinitionShape(None, None, [rep])

    def element_type(
        self, ifc_class: str, name: str, width: float, height: float
    ) -> tuple[ifcopenshell.entity_instance, ifcopenshell.entity_instance]:
        """A door or window type whose body is a thin panel, and a mapped item of it."""
        panel = self.solid(self.profile(width, 0.06, 0.0), 0.0, height)
        rep = self.model.createIfcShapeRepresentation(self.body, "Body", "SweptSolid", [panel])
        rep_map = self.model.createIfcRepresentationMap(self.origin, rep)
        element_type = self.model.create_entity(
            ifc_class,
            GlobalId=ifcopenshell.guid.new(),
            Name=name,
            RepresentationMaps=[rep_map],
            PredefinedType=ifc_class[3:-4].upper(),
            **({"OperationType": "SINGLE_SWING_LEFT"} if "Door" in ifc_class else {}),
            **({"PartitioningType": "SINGLE_PANEL"} if "Window" in ifc_class else {}),
        )
        operator = self.model.createIfcCartesianTransformationOperator3D(
            None, None, self.model.createIfcCartesianPoint((0.0, 0.0, 0.0)), 1.0, None
        )
        return element_type, self.model.createIfcMappedItem(rep_map, operator)

    def root(self, ifc_class: str, **attributes: object) -> ifcopenshell.entity_instance:
        """An IfcRoot entity: product, type, relationship... (real GlobalIds come from
        :func:`stamp`, at the end)."""
        return self.model.create_entity(ifc_class, GlobalId=ifcopenshell.guid.new(), **attributes)


def stamp(model: ifcopenshell.file, rng: np.random.Generator, name: str, system: str) -> None:
    """Seeded GlobalIds (in entity id order) and a fixed header: one seed gives one file."""
    roots = sorted(model.by_type("IfcRoot"), key=lambda e: e.id())
    raw = rng.bytes(16 * len(roots))
    for k, entity in enumerate(roots):
        entity.GlobalId = ifcopenshell.guid.compress(uuid.UUID(bytes=raw[16 * k : 16 * k + 16]).hex)
    header = model.header
    header.file_name.name = name
    header.file_name.time_stamp = "2024-01-15T00:00:00+01:00"
    header.file_name.author = ("urban-twin",)
    header.file_name.organization = ("urban-twin (synthetic data)",)
    header.file_name.originating_system = system
    header.file_name.preprocessor_version = "IfcOpenShell"
    header.file_name.authorization = "none"
    header.file_description.description = ("ViewDefinition [DesignTransferView]",)
