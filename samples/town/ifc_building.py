"""The town hall as an IFC4 building model, georeferenced on its BD TOPO footprint.

The model is authored in metres with ``ifcopenshell.api``: three storeys (RDC, R+1, R+2),
stone exterior walls, floor slabs, a gable roof and one ``IfcSpace`` per room with its
French name, use, ``Pset_SpaceCommon`` and ``Qto_SpaceBaseQuantities``.  Its local origin
is the south-west corner of the footprint; ``IfcMapConversion`` places that corner at its
Lambert-93 position, turns the local X axis along the street grid, and lifts the ground
floor to the DEM altitude, so the model lands exactly on the ``batiment`` polygon.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.georeference
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.unit
import ifcopenshell.guid
import ifcopenshell.ifcopenshell_wrapper
import ifcopenshell.util.geolocation
import numpy as np
from ifcopenshell.util.shape_builder import ShapeBuilder

from samples.town.townhall_plan import (
    LENGTH,
    NAME,
    ROOF_RISE,
    ROOMS,
    SLAB,
    SPACE_HEIGHT,
    STOREY_HEIGHT,
    STOREYS,
    WALL,
    WIDTH,
    Room,
)


@dataclass(frozen=True)
class Georeference:
    """Where the local origin lands: Lambert-93 corner, grid rotation, ground altitude."""

    eastings: float
    northings: float
    orthogonal_height: float
    rotation_deg: float
    latitude: float
    longitude: float


def _translation(x: float = 0.0, y: float = 0.0, z: float = 0.0) -> np.ndarray:
    matrix = np.eye(4)
    matrix[:3, 3] = (x, y, z)
    return matrix


class _Author:
    """Small helper holding the file, the body context and a shape builder."""

    def __init__(self, model: ifcopenshell.file, body: ifcopenshell.entity_instance) -> None:
        self.model = model
        self.body = body
        self.builder = ShapeBuilder(model)

    def box(
        self, x0: float, y0: float, x1: float, y1: float, z0: float, height: float
    ) -> ifcopenshell.entity_instance:
        """A body representation: the rectangle [x0, x1] x [y0, y1] extruded upwards."""
        curve = self.builder.polyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], closed=True)
        solid = self.builder.extrude(self.builder.profile(curve), height, position=(0.0, 0.0, z0))
        return self.builder.get_representation(self.body, [solid])

    def gable(self, z0: float) -> ifcopenshell.entity_instance:
        """A gable roof prism: a triangle across the width, extruded along the length."""
        curve = self.builder.polyline(
            [(0.0, 0.0), (WIDTH, 0.0), (WIDTH / 2, ROOF_RISE)], closed=True
        )
        solid = self.builder.extrude(
            self.builder.profile(curve),
            LENGTH,
            position=(0.0, 0.0, z0),
            position_z_axis=(1.0, 0.0, 0.0),
            position_x_axis=(0.0, 1.0, 0.0),
        )
        return self.builder.get_representation(self.body, [solid])

    def element(
        self,
        ifc_class: str,
        name: str,
        storey: ifcopenshell.entity_instance,
        representation: ifcopenshell.entity_instance,
        predefined: str | None = None,
    ) -> ifcopenshell.entity_instance:
        """Create a product contained in a storey, placed at the storey's origin."""
        product = ifcopenshell.api.root.create_entity(
            self.model, ifc_class=ifc_class, name=name, predefined_type=predefined
        )
        ifcopenshell.api.spatial.assign_container(
            self.model, products=[product], relating_structure=storey
        )
        ifcopenshell.api.geometry.edit_object_placement(
            self.model, product=product, matrix=_translation(z=storey.Elevation)
        )
        ifcopenshell.api.geometry.assign_representation(
            self.model, product=product, representation=representation
        )
        return product


def _space(author: _Author, storey: ifcopenshell.entity_instance, room: Room) -> None:
    model = author.model
    space = ifcopenshell.api.root.create_entity(
        model, ifc_class="IfcSpace", name=room.name, predefined_type="INTERNAL"
    )
    space.LongName = room.long_name
    space.ObjectType = room.use
    ifcopenshell.api.aggregate.assign_object(model, products=[space], relating_object=storey)
    ifcopenshell.api.geometry.edit_object_placement(
        model, product=space, matrix=_translation(z=storey.Elevation)
    )
    ifcopenshell.api.geometry.assign_representation(
        model,
        product=space,
        representation=author.box(room.x0, room.y0, room.x1, room.y1, 0.0, SPACE_HEIGHT),
    )
    area = round((room.x1 - room.x0) * (room.y1 - room.y0), 3)
    common = ifcopenshell.api.pset.add_pset(model, product=space, name="Pset_SpaceCommon")
    ifcopenshell.api.pset.edit_pset(
        model,
        pset=common,
        properties={
            "Reference": room.name,
            "IsExternal": False,
            "PubliclyAccessible": room.public,
            "HandicapAccessible": storey.Elevation == 0.0 or room.use != "Technique",
        },
    )
    occupancy = ifcopenshell.api.pset.add_pset(
        model, product=space, name="Pset_SpaceOccupancyRequirements"
    )
    ifcopenshell.api.pset.edit_pset(model, pset=occupancy, properties={"OccupancyType": room.use})
    qto = ifcopenshell.api.pset.add_qto(model, product=space, name="Qto_SpaceBaseQuantities")
    ifcopenshell.api.pset.edit_qto(
        model,
        qto=qto,
        properties={
            "Height": SPACE_HEIGHT,
            "NetFloorArea": area,
            "GrossFloorArea": area,
            "GrossVolume": round(area * SPACE_HEIGHT, 3),
            "NetVolume": round(area * SPACE_HEIGHT, 3),
        },
    )


def build_townhall(geo: Georeference) -> ifcopenshell.file:
    """Author the town-hall model (GlobalIds are random until :func:`stamp`)."""
    model = ifcopenshell.api.project.create_file(version="IFC4")
    project = ifcopenshell.api.root.create_entity(model, ifc_class="IfcProject", name=NAME)
    unit_api = ifcopenshell.api.unit
    units = [
        unit_api.add_si_unit(model, unit_type=t)
        for t in ("LENGTHUNIT", "AREAUNIT", "VOLUMEUNIT", "PLANEANGLEUNIT")
    ]
    unit_api.assign_unit(model, units=units)
    context_api = ifcopenshell.api.context
    model_ctx = context_api.add_context(model, context_type="Model")
    body = context_api.add_context(
        model,
        context_type="Model",
        context_identifier="Body",
        target_view="MODEL_VIEW",
        parent=model_ctx,
    )
    site = ifcopenshell.api.root.create_entity(
        model, ifc_class="IfcSite", name="Place de la Mairie"
    )
    site.RefLatitude = ifcopenshell.util.geolocation.dd2dms(geo.latitude, use_us=True)
    site.RefLongitude = ifcopenshell.util.geolocation.dd2dms(geo.longitude, use_us=True)
    site.RefElevation = geo.orthogonal_height
    building = ifcopenshell.api.root.create_entity(model, ifc_class="IfcBuilding", name=NAME)
    building.LongName = "Hôtel de ville"
    building.ObjectType = "Mairie"
    ifcopenshell.api.aggregate.assign_object(model, products=[site], relating_object=project)
    ifcopenshell.api.aggregate.assign_object(model, products=[building], relating_object=site)
    for product in (site, building):
        ifcopenshell.api.geometry.edit_object_placement(model, product=product)
    author = _Author(model, body)
    for level, ((code, long_name), rooms) in enumerate(zip(STOREYS, ROOMS, strict=True)):
        storey = ifcopenshell.api.root.create_entity(
            model, ifc_class="IfcBuildingStorey", name=code
        )
        storey.LongName = long_name
        storey.Elevation = level * STOREY_HEIGHT
        ifcopenshell.api.aggregate.assign_object(model, products=[storey], relating_object=building)
        ifcopenshell.api.geometry.edit_object_placement(
            model, product=storey, matrix=_translation(z=storey.Elevation)
        )
        author.element(
            "IfcSlab",
            f"Dalle {code}",
            storey,
            author.box(0.0, 0.0, LENGTH, WIDTH, -SLAB, SLAB),
            "BASESLAB" if level == 0 else "FLOOR",
        )
        walls = (
            ("Sud", 0.0, 0.0, LENGTH, WALL),
            ("Nord", 0.0, WIDTH - WALL, LENGTH, WIDTH),
            ("Ouest", 0.0, WALL, WALL, WIDTH - WALL),
            ("Est", LENGTH - WALL, WALL, LENGTH, WIDTH - WALL),
        )
        for side, x0, y0, x1, y1 in walls:
            author.element(
                "IfcWall",
                f"Mur {side} {code}",
                storey,
                author.box(x0, y0, x1, y1, 0.0, SPACE_HEIGHT),
                "SOLIDWALL",
            )
        for room in rooms:
            _space(author, storey, room)
        if level == len(STOREYS) - 1:
            author.element(
                "IfcSlab",
                "Plancher haut R+2",
                storey,
                author.box(0.0, 0.0, LENGTH, WIDTH, SPACE_HEIGHT, SLAB),
                "FLOOR",
            )
            author.element("IfcRoof", "Toiture", storey, author.gable(STOREY_HEIGHT), "GABLE_ROOF")
    ifcopenshell.api.georeference.add_georeferencing(
        model, ifc_class="IfcMapConversion", name="EPSG:2154"
    )
    theta = math.radians(geo.rotation_deg)
    ifcopenshell.api.georeference.edit_georeferencing(
        model,
        projected_crs={
            "Name": "EPSG:2154",
            "Description": "RGF93 v1 / Lambert-93",
            "GeodeticDatum": "RGF93 v1",
            "VerticalDatum": "NGF-IGN69",
            "MapProjection": "Lambert Conic Conformal (2SP)",
            "MapUnit": units[0],
        },
        coordinate_operation={
            "Eastings": geo.eastings,
            "Northings": geo.northings,
            "OrthogonalHeight": geo.orthogonal_height,
            "XAxisAbscissa": round(math.cos(theta), 12),
            "XAxisOrdinate": round(math.sin(theta), 12),
            "Scale": 1.0,
        },
    )
    return model


def _sort_sets(model: ifcopenshell.file) -> None:
    """Order the members of every SET attribute by instance id.

    ``ifcopenshell.api`` fills relationships from Python sets, whose order changes from
    one run to the next; IFC gives SET members no order, so sorting them is harmless.
    """
    schema = ifcopenshell.ifcopenshell_wrapper.schema_by_name(model.schema)
    for entity in model:
        declaration = schema.declaration_by_name(entity.is_a()).as_entity()
        if declaration is None:
            continue
        for index, attribute in enumerate(declaration.all_attributes()):
            aggregation = attribute.type_of_attribute().as_aggregation_type()
            if aggregation is None or aggregation.type_of_aggregation_string() != "set":
                continue
            members = entity[index]
            if members and all(isinstance(m, ifcopenshell.entity_instance) for m in members):
                entity[index] = sorted(members, key=lambda m: m.id())


def stamp(model: ifcopenshell.file, rng: np.random.Generator) -> None:
    """Make the file reproducible: ordered sets, seeded GlobalIds, a fixed header time."""
    _sort_sets(model)
    for entity in sorted(model.by_type("IfcRoot"), key=lambda e: e.id()):
        entity.GlobalId = ifcopenshell.guid.compress(uuid.UUID(bytes=rng.bytes(16)).hex)
    header = model.header
    header.file_name.name = "mairie.ifc"
    header.file_name.time_stamp = "2024-01-15T00:00:00+01:00"
    header.file_name.author = ("urban-twin",)
    header.file_name.organization = ("Commune de Valmont-sur-Aveyron (fictive)",)
    header.file_name.preprocessor_version = "IfcOpenShell"
    header.file_name.originating_system = "urban-twin sample generator"
    header.file_name.authorization = "none"
    header.file_description.description = ("ViewDefinition [DesignTransferView]",)


def write_townhall(path: Path, geo: Georeference, rng: np.random.Generator) -> Path:
    """Author, stamp and write ``mairie.ifc``."""
    model = build_townhall(geo)
    stamp(model, rng)
    model.write(str(path))
    return path
