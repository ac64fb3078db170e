"""The IFC model of the town hall and its georeferencing."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.element
import ifcopenshell.util.geolocation
import numpy as np
import pytest
import rasterio
import shapely

ROOMS = {
    "Accueil",
    "Salle du conseil",
    "Bureau du maire",
    "Salle des mariages",
    "Sanitaires",
    "Archives",
    "Circulation",
    "Local technique",
}


@pytest.fixture(scope="module")
def model(town: dict[str, Path]) -> ifcopenshell.file:
    return ifcopenshell.open(str(town["ifc"]))


def _world_vertices(product: ifcopenshell.entity_instance) -> np.ndarray:
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    shape = ifcopenshell.geom.create_shape(settings, product)
    return np.asarray(shape.geometry.verts).reshape(-1, 3)


def _footprint_on_map(model: ifcopenshell.file) -> shapely.Polygon:
    slab = next(s for s in model.by_type("IfcSlab") if s.Name == "Dalle RDC")
    points = [
        ifcopenshell.util.geolocation.auto_xyz2enh(model, *v)[:2] for v in _world_vertices(slab)
    ]
    return shapely.MultiPoint(points).convex_hull


def test_the_town_hall_is_an_ifc4_building_with_three_storeys(
    model: ifcopenshell.file,
) -> None:
    assert model.schema == "IFC4"
    (building,) = model.by_type("IfcBuilding")
    assert building.Name == "Mairie de Valmont-sur-Aveyron"
    storeys = sorted(model.by_type("IfcBuildingStorey"), key=lambda s: s.Elevation)
    assert [s.Name for s in storeys] == ["RDC", "R+1", "R+2"]
    assert [s.Elevation for s in storeys] == pytest.approx([0.0, 3.6, 7.2])
    length = next(u for u in model.by_type("IfcSIUnit") if u.UnitType == "LENGTHUNIT")
    assert length.Prefix is None and length.Name == "METRE"


def test_walls_slabs_and_roof_have_body_geometry(model: ifcopenshell.file) -> None:
    assert len(model.by_type("IfcWall")) == 12
    assert len(model.by_type("IfcSlab")) == 4
    (roof,) = model.by_type("IfcRoof")
    for product in [*model.by_type("IfcWall"), *model.by_type("IfcSlab"), roof]:
        assert len(_world_vertices(product)) >= 6
    assert _world_vertices(roof)[:, 2].max() == pytest.approx(14.8)


def test_every_room_is_a_space_whose_quantities_match_its_geometry(
    model: ifcopenshell.file,
) -> None:
    spaces = model.by_type("IfcSpace")
    assert len(spaces) >= 15
    assert len({s.Name for s in spaces}) == len(spaces)
    assert {s.LongName for s in spaces} >= ROOMS
    for space in spaces:
        assert space.ObjectType
        psets = ifcopenshell.util.element.get_psets(space)
        assert psets["Pset_SpaceCommon"]["Reference"] == space.Name
        qto = psets["Qto_SpaceBaseQuantities"]
        verts = _world_vertices(space)
        size = verts.max(axis=0) - verts.min(axis=0)
        assert qto["NetFloorArea"] == pytest.approx(size[0] * size[1], rel=1e-6)
        assert qto["Height"] == pytest.approx(size[2])
        assert qto["GrossVolume"] == pytest.approx(size[0] * size[1] * size[2], rel=1e-6)
        storey = ifcopenshell.util.element.get_aggregate(space)
        assert verts[:, 2].min() == pytest.approx(storey.Elevation)


def test_the_map_conversion_puts_the_town_hall_on_its_bd_topo_footprint(
    model: ifcopenshell.file, town: dict[str, Path], buildings: gpd.GeoDataFrame
) -> None:
    (crs,) = model.by_type("IfcProjectedCRS")
    assert crs.Name == "EPSG:2154"
    (conversion,) = model.by_type("IfcMapConversion")
    assert conversion.XAxisOrdinate != 0.0
    footprint = _footprint_on_map(model)
    flat = shapely.force_2d(buildings.geometry.values)
    match = [i for i, g in enumerate(flat) if g.contains(footprint.centroid)]
    assert len(match) == 1
    hall = buildings.iloc[match[0]]
    assert footprint.hausdorff_distance(flat[match[0]]) < 0.5
    assert hall["nombre_d_etages"] == 3
    height = conversion.OrthogonalHeight
    assert hall["altitude_minimale_sol"] <= height <= hall["altitude_maximale_sol"]
    assert hall["altitude_maximale_toit"] == pytest.approx(height + 14.8, abs=0.1)
    centre = footprint.centroid
    with rasterio.open(town["dem"]) as dem:
        (ground,) = next(dem.sample([(centre.x, centre.y)]))
    assert abs(ground - height) < 1.0


def test_the_town_hall_stands_on_its_own_parcel(
    model: ifcopenshell.file, parcels: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame
) -> None:
    footprint = _footprint_on_map(model)
    hosts = parcels[parcels.geometry.buffer(0.05).contains(footprint)]
    assert len(hosts) == 1
    inside = buildings.geometry.centroid.within(hosts.geometry.iloc[0])
    assert inside.sum() == 1
