"""Small IFC models authored with ifcopenshell.api for the IFC importer's tests.

Cases the real files in ../shared/data lack: millimetre quantities, map conversions with a
rotation or another CRS, IFC2X3 georeferencing property sets, repeated GlobalIds, a model
without a building, an element whose geometry cannot be tessellated.
"""

from __future__ import annotations

import math
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
import ifcopenshell.util.geolocation
import numpy as np
from ifcopenshell.util.shape_builder import ShapeBuilder


class Author:
    """A model with a project, units, a body context and a site; add what each test needs.

    Lengths are given in metres and written in the model's unit (``millimetres=True``
    multiplies them by 1000).
    """

    def __init__(self, schema: str = "IFC4", millimetres: bool = False) -> None:
        self.model = ifcopenshell.api.project.create_file(version=schema)
        self.k = 1000.0 if millimetres else 1.0
        if schema == "IFC2X3":  # IFC2X3 requires an owner history on every rooted entity
            organisation = self.model.createIfcOrganization(None, "urban-twin tests")
            person = self.model.createIfcPerson(None, "Test")
            self.model.createIfcPersonAndOrganization(person, organisation)
            self.model.createIfcApplication(organisation, "0", "tests", "tests")
        self.project = ifcopenshell.api.root.create_entity(
            self.model, ifc_class="IfcProject", name="Test"
        )
        unit_api = ifcopenshell.api.unit
        length = unit_api.add_si_unit(
            self.model, unit_type="LENGTHUNIT", prefix="MILLI" if millimetres else None
        )
        others = [
            unit_api.add_si_unit(self.model, unit_type=t)
            for t in ("AREAUNIT", "VOLUMEUNIT", "PLANEANGLEUNIT")
        ]
        unit_api.assign_unit(self.model, units=[length, *others])
        context_api = ifcopenshell.api.context
        self.model_context = context_api.add_context(self.model, context_type="Model")
        self.body = context_api.add_context(
            self.model,
            context_type="Model",
            context_identifier="Body",
            target_view="MODEL_VIEW",
            parent=self.model_context,
        )
        self.builder = ShapeBuilder(self.model)
        self.site = self.create("IfcSite", "Site")
        ifcopenshell.api.aggregate.assign_object(
            self.model, products=[self.site], relating_object=self.project
        )
        self.place(self.site)

    def create(self, ifc_class: str, name: str | None = None) -> ifcopenshell.entity_instance:
        """A new rooted entity."""
        return ifcopenshell.api.root.create_entity(self.model, ifc_class=ifc_class, name=name)

    def place(self, product: ifcopenshell.entity_instance, z_m: float = 0.0) -> None:
        """Give ``product`` a placement at height ``z_m``."""
        matrix = np.eye(4)
        matrix[2, 3] = z_m * self.k
        ifcopenshell.api.geometry.edit_object_placement(
            self.model, product=product, matrix=matrix, is_si=False
        )

    def building(self, name: str = "Bâtiment", object_type: str | None = None):
        """A building in the site."""
        building = self.create("IfcBuilding", name)
        building.ObjectType = object_type
        ifcopenshell.api.aggregate.assign_object(
            self.model, products=[building], relating_object=self.site
        )
        self.place(building)
        return building

    def storey(self, building: ifcopenshell.entity_instance, name: str, elevation_m: float):
        """A storey of ``building`` at ``elevation_m``."""
        storey = self.create("IfcBuildingStorey", name)
        storey.Elevation = elevation_m * self.k
        ifcopenshell.api.aggregate.assign_object(
            self.model, products=[storey], relating_object=building
        )
        self.place(storey, elevation_m)
        return storey

    def box(self, x0: float, y0: float, x1: float, y1: float, height: float):
        """A body representation: a rectangle (metres) extruded by ``height``."""
        k = self.k
        curve = self.builder.polyline(
            [(x0 * k, y0 * k), (x1 * k, y0 * k), (x1 * k, y1 * k), (x0 * k, y1 * k)], closed=True
        )
        solid = self.builder.extrude(self.builder.profile(curve), height * k)
        return self.builder.get_representation(self.body, [solid])

    def element(
        self,
        ifc_class: str,
        name: str,
        container: ifcopenshell.entity_instance,
        representation: ifcopenshell.entity_instance | None,
        z_m: float = 0.0,
    ) -> ifcopenshell.entity_instance:
        """A product contained in (or, for a space, aggregated into) ``container``."""
        product = self.create(ifc_class, name)
        if ifc_class == "IfcSpace":
            ifcopenshell.api.aggregate.assign_object(
                self.model, products=[product], relating_object=container
            )
        else:
            ifcopenshell.api.spatial.assign_container(
                self.model, products=[product], relating_structure=container
            )
        self.place(product, z_m)
        if representation is not None:
            ifcopenshell.api.geometry.assign_representation(
                self.model, product=product, representation=representation
            )
        return product

    def qto(self, product: ifcopenshell.entity_instance, name: str, values: dict) -> None:
        """A quantity set (values in the model's units)."""
        qto = ifcopenshell.api.pset.add_qto(self.model, product=product, name=name)
        ifcopenshell.api.pset.edit_qto(self.model, qto=qto, properties=values)

    def pset(self, product: ifcopenshell.entity_instance, name: str, values: dict) -> None:
        """A property set."""
        pset = ifcopenshell.api.pset.add_pset(self.model, product=product, name=name)
        ifcopenshell.api.pset.edit_pset(self.model, pset=pset, properties=values)

    def map_conversion(
        self,
        crs: str,
        eastings: float,
        northings: float,
        height: float,
        rotation_deg: float = 0.0,
        scale: float | None = None,
    ) -> None:
        """An IfcMapConversion to the IfcProjectedCRS named ``crs`` (map unit: metre)."""
        ifcopenshell.api.georeference.add_georeferencing(
            self.model, ifc_class="IfcMapConversion", name=crs
        )
        theta = math.radians(rotation_deg)
        ifcopenshell.api.georeference.edit_georeferencing(
            self.model,
            projected_crs={"Name": crs},
            coordinate_operation={
                "Eastings": eastings,
                "Northings": northings,
                "OrthogonalHeight": height,
                "XAxisAbscissa": math.cos(theta),
                "XAxisOrdinate": math.sin(theta),
                "Scale": scale,
            },
        )

    def latitude_longitude(self, latitude: float, longitude: float, elevation_m: float) -> None:
        """The site's RefLatitude, RefLongitude and RefElevation."""
        self.site.RefLatitude = ifcopenshell.util.geolocation.dd2dms(latitude, use_us=True)
        self.site.RefLongitude = ifcopenshell.util.geolocation.dd2dms(longitude, use_us=True)
        self.site.RefElevation = elevation_m * self.k

    def write(self, path: Path) -> Path:
        """Write the model to ``path``."""
        self.model.write(str(path))
        return path


def small_house(author: Author, rooms: tuple[tuple[str, str], ...] = ()) -> dict:
    """A 10 x 8 m one-storey house: a slab, four walls, a roof slab and one space per room.

    Rooms are (name, long name) pairs laid side by side along x, 8 m deep.
    """
    building = author.building("Maison")
    storey = author.storey(building, "RDC", 0.0)
    slab = author.element("IfcSlab", "Dalle", storey, author.box(0, 0, 10, 8, 0.2))
    walls = [
        author.element("IfcWall", f"Mur {i}", storey, author.box(*box, 3.0), 0.2)
        for i, box in enumerate(
            ((0, 0, 10, 0.2), (0, 7.8, 10, 8), (0, 0.2, 0.2, 7.8), (9.8, 0.2, 10, 7.8))
        )
    ]
    roof = author.element("IfcSlab", "Toit", storey, author.box(0, 0, 10, 8, 0.2), 3.2)
    spaces = []
    width = 9.6 / max(len(rooms), 1)
    for number, (name, long_name) in enumerate(rooms):
        x0 = 0.2 + number * width
        space = author.element(
            "IfcSpace", name, storey, author.box(x0, 0.2, x0 + width, 7.8, 3.0), 0.2
        )
        space.LongName = long_name
        spaces.append(space)
    return {
        "building": building,
        "storey": storey,
        "slab": slab,
        "walls": walls,
        "roof": roof,
        "spaces": spaces,
    }
