"""The IFC importer on real models (../shared/data/ifc) and on the sample town hall.

FZK-Haus (IFC4, placed by its site's latitude/longitude), the NIBS duplex (IFC2X3, Revit),
IfcOpenHouse (IFC4 in millimetres, no georeferencing), the buildingSMART UTM sample (IFC4X3_ADD2,
IfcMapConversion with a Scale that contradicts its units) and samples/data/mairie.ifc.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from importers import ifc, registry
from importers.base import ImportOptions, ImportResult
from importers.ifc_mesh import orient_outward
from twin.catalogue import STANDARD_SPECS
from twin.errors import InvalidInputError
from twin.spec import conform

UTM32 = pyproj.CRS.from_epsg(25832)
LAMBERT93 = pyproj.CRS.from_epsg(2154)
CHICAGO_UTM = pyproj.CRS.from_epsg(32616)
MAIRIE = Path(__file__).resolve().parents[2] / "samples" / "data" / "mairie.ifc"
BDTOPO = MAIRIE.parent / "bdtopo.gpkg"


def _read(path: Path, crs: pyproj.CRS, **options: object) -> ImportResult:
    return ifc.read(path, target_crs=crs, options=ImportOptions(**options))  # type: ignore[arg-type]


def _codes(result: ImportResult) -> dict[str, int]:
    out: dict[str, int] = {}
    for issue in result.issues:
        out[issue.code] = out.get(issue.code, 0) + 1
    return out


def _conforms(result: ImportResult) -> None:
    for name, frame in result.layers.items():
        conform(frame, STANDARD_SPECS[name], source=result.provenance.source)


@pytest.fixture(scope="module")
def fzk(shared_data: Path) -> ImportResult:
    return _read(shared_data / "ifc" / "AC20-FZK-Haus.ifc", UTM32)


@pytest.fixture(scope="module")
def duplex(shared_data: Path) -> ImportResult:
    return _read(shared_data / "ifc" / "duplex.ifc", CHICAGO_UTM)


@pytest.fixture(scope="module")
def mairie() -> ImportResult:
    return _read(MAIRIE, LAMBERT93)


# -- FZK-Haus: IFC4, latitude/longitude only ---------------------------------------------------
def test_fzk_haus_is_one_building_of_two_storeys_and_seven_spaces(fzk: ImportResult) -> None:
    assert {name: len(frame) for name, frame in fzk.layers.items()} == {
        "buildings": 1,
        "storeys": 2,
        "spaces": 7,
        "ifc_elements": 92,
    }
    _conforms(fzk)
    building = fzk.layers["buildings"].iloc[0]
    assert building["id"] == "2hQBAVPOr5VxhS3Jl0O47h"
    assert set(fzk.layers["storeys"]["parent_id"]) == {building["id"]}
    assert set(fzk.layers["spaces"]["parent_id"]) == set(fzk.layers["storeys"]["id"])
    assert building["floors"] == 2 and building["source"] == "ifc"
    assert building["source_file"] == "AC20-FZK-Haus.ifc"


def test_fzk_haus_lands_near_its_site_latitude_longitude_with_a_warning(
    fzk: ImportResult,
) -> None:
    to_utm = pyproj.Transformer.from_crs("EPSG:4326", UTM32, always_xy=True)
    lon = 8 + 26 / 60 + 11.5404 / 3600
    lat = 49 + 6 / 60 + 1.566 / 3600
    site = shapely.Point(to_utm.transform(lon, lat))
    footprint = fzk.layers["buildings"].geometry.iloc[0]
    assert footprint.distance(site) < 100.0
    assert fzk.layers["buildings"].crs.equals(UTM32)
    (warning,) = [i for i in fzk.issues if i.code == "approximate_placement"]
    assert warning.severity == "warning" and "--at" in warning.message
    assert "IfcMapConversion" in warning.message
    assert fzk.provenance.details["georeferencing"] == "site_latitude_longitude"
    json.dumps(fzk.provenance.to_dict(), allow_nan=False)  # stored with the project


def test_fzk_haus_heights_and_areas_are_those_of_a_house(fzk: ImportResult) -> None:
    building = fzk.layers["buildings"].iloc[0]
    assert 5.0 < building["height_m"] < 10.0 and building["height_source"] == "ifc"
    # RefElevation 110 m; the ground slab's underside is a little below it.
    assert 109.0 < building["base_elevation_m"] <= 110.0
    assert building["floor_area_m2"] == pytest.approx(241.5, abs=0.1)  # BaseQuantities
    assert 100.0 < building.geometry.area < 200.0 and building.geometry.is_valid
    storeys = fzk.layers["storeys"].sort_values("elevation_m")
    assert storeys["elevation_m"].diff().iloc[1] == pytest.approx(2.7)
    assert storeys["area_m2"].sum() == pytest.approx(241.5, abs=0.1)


def test_fzk_haus_rooms_get_uses_from_their_german_names(fzk: ImportResult) -> None:
    uses = dict(zip(fzk.layers["spaces"]["long_name"], fzk.layers["spaces"]["use"], strict=True))
    assert uses["Schlafzimmer"] == uses["Küche"] == uses["Wohnen"] == "residential"
    assert uses["Buero"] == "office" and uses["Flur"] == "unknown"
    assert fzk.layers["buildings"]["use"].iloc[0] == "residential"
    spaces = fzk.layers["spaces"].set_index("long_name")
    assert spaces.loc["Schlafzimmer", "area_m2"] == pytest.approx(21.410325)  # NetFloorArea
    assert spaces.loc["Schlafzimmer", "volume_m3"] == pytest.approx(55.18125)
    assert spaces.geometry.notna().all() and (spaces.geometry.area > 5).all()


def test_fzk_haus_meshes_every_envelope_element_once(fzk: ImportResult) -> None:
    store = fzk.meshes["ifc"]
    assert store.n_objects == fzk.provenance.details["elements_tessellated"] == 89
    assert len(set(store.object_ids.tolist())) == store.n_objects
    assert set(store.object_ids.tolist()) <= set(fzk.layers["ifc_elements"]["id"])
    assert store.vertices.dtype == np.float32 and store.faces.dtype == np.int32
    assert store.origin[0] % 100 == 0 and store.origin[1] % 100 == 0
    absolute = store.vertices.astype(np.float64) + np.array(store.origin)
    footprint = fzk.layers["buildings"].geometry.iloc[0]
    assert shapely.box(*absolute[:, :2].min(0), *absolute[:, :2].max(0)).intersects(footprint)
    volumes = store.volumes_m3()
    assert (volumes > -1e-6).all()  # faces outward


def test_fzk_haus_elements_carry_their_property_sets(fzk: ImportResult) -> None:
    elements = fzk.layers["ifc_elements"].set_index("id")
    assert fzk.layers["ifc_elements"]["id"].is_unique
    building = elements.loc["2hQBAVPOr5VxhS3Jl0O47h"]
    assert building["ifc_class"] == "IfcBuilding" and building["building_id"] == building.name
    assert "Pset_BuildingCommon" in json.loads(building["properties_json"])
    walls = elements[elements["ifc_class"] == "IfcWallStandardCase"]
    assert len(walls) == 13
    assert set(walls["parent_id"]) <= set(fzk.layers["storeys"]["id"])
    assert all("Pset_WallCommon" in json.loads(text) for text in walls["properties_json"])
    assert not elements["ifc_class"].isin(["IfcOpeningElement", "IfcVirtualElement"]).any()


# -- duplex: IFC2X3 ---------------------------------------------------------------------------
def test_the_duplex_has_four_storeys_and_twenty_one_spaces(duplex: ImportResult) -> None:
    assert len(duplex.layers["buildings"]) == 1
    assert len(duplex.layers["storeys"]) == 4
    assert len(duplex.layers["spaces"]) == 21
    _conforms(duplex)
    assert duplex.provenance.details["schema"] == "IFC2X3"
    building = duplex.layers["buildings"].iloc[0]
    assert building["floors"] == 3  # Level 1, Level 2, Roof; not the foundation level
    assert building["use"] == "residential"
    assert building.geometry.geom_type == "Polygon" and building.geometry.is_valid


def test_duplex_spaces_without_quantities_take_their_areas_from_their_geometry(
    duplex: ImportResult,
) -> None:
    spaces = duplex.layers["spaces"]
    assert spaces["area_m2"].notna().all() and spaces["volume_m3"].notna().all()
    living = spaces[spaces["long_name"] == "Living Room"]
    assert living["area_m2"].to_numpy() == pytest.approx(
        spaces.geometry.area[living.index], rel=1e-6
    )
    assert 20.0 < living["area_m2"].iloc[0] < 35.0  # Revit's own figure: 30.1 m² (GSA BIM Area)
    assert (spaces["volume_m3"] > 0).all()


def test_inside_out_meshes_of_mirrored_elements_are_turned_outwards(duplex: ImportResult) -> None:
    store = duplex.meshes["ifc"]
    vertices = store.vertices.astype(np.float64)
    # 16 closed meshes come out of the iterator inside out (Revit's mirrored elements); none
    # is left so: orienting the stored faces again flips nothing.
    faces, volumes = orient_outward(vertices, store.faces.astype(np.int64), store.face_offsets)
    assert (faces == store.faces).all()
    closed = np.isfinite(volumes)
    assert closed.sum() > 150
    assert (store.volumes_m3()[closed] > 0).all()


# -- IfcOpenHouse: millimetres, no georeferencing ------------------------------------------------
def test_a_model_without_georeferencing_needs_a_place(shared_data: Path) -> None:
    with pytest.raises(InvalidInputError) as error:
        _read(shared_data / "ifc" / "IfcOpenHouse_IFC4.ifc", LAMBERT93)
    message = str(error.value)
    assert message.startswith("IfcOpenHouse_IFC4.ifc has no georeferencing")
    assert "--at X,Y[,Z] --rotation DEG" in message and "\n" not in message


def test_a_millimetre_model_placed_with_at_is_measured_in_metres(shared_data: Path) -> None:
    result = _read(
        shared_data / "ifc" / "IfcOpenHouse_IFC4.ifc",
        LAMBERT93,
        placement_xyz=(650000.0, 6860000.0, 300.0),
        rotation_deg=30.0,
    )
    _conforms(result)
    building = result.layers["buildings"].iloc[0]
    assert 3.0 < building["height_m"] < 10.0
    assert 20.0 < building.geometry.area < 200.0
    assert building.geometry.distance(shapely.Point(650000, 6860000)) < 20.0
    assert 299.0 < building["base_elevation_m"] <= 300.0
    details = result.provenance.details
    assert details["unit_scale"] == 0.001 and details["georeferencing"] == "placement_option"
    assert details["georeferencing_details"]["rotation_deg"] == 30.0
    span = np.ptp(result.meshes["ifc"].vertices, axis=0)
    assert (span < 20.0).all()


# -- buildingSMART UTM sample: IFC4X3_ADD2, IfcMapConversion -------------------------------------
def _apex(result: ImportResult) -> np.ndarray:
    """The proxy's lowest vertex: the model origin (0, 0, 0) of the sample."""
    store = result.meshes["ifc"]
    absolute = store.vertices.astype(np.float64) + np.array(store.origin)
    return absolute[np.argmin(absolute[:, 2])]


def test_the_utm_sample_origin_lands_on_its_eastings_and_northings(shared_data: Path) -> None:
    result = _read(shared_data / "ifc" / "geographic-referencing-utm.ifc", UTM32)
    _conforms(result)
    assert _apex(result) == pytest.approx([458657.30, 5438232.25, 113.7], abs=0.01)
    assert result.provenance.details["schema"] == "IFC4X3_ADD2"
    assert result.provenance.details["model_crs"] == "EPSG:25832"
    # Scale 1000 with a millimetre model and a metre map would make it a million times larger:
    # the units decide (1 m = 1 m) and the Scale is reported.
    assert _codes(result)["map_scale_ignored"] == 1
    assert result.layers["buildings"]["height_m"].iloc[0] == pytest.approx(4.0)
    assert result.layers["buildings"].geometry.iloc[0].area == pytest.approx(1.0, abs=0.01)


def test_the_utm_sample_is_reprojected_to_lambert_93(shared_data: Path) -> None:
    result = _read(shared_data / "ifc" / "geographic-referencing-utm.ifc", LAMBERT93)
    expected = pyproj.Transformer.from_crs(UTM32, LAMBERT93, always_xy=True).transform(
        458657.30, 5438232.25
    )
    assert _apex(result)[:2] == pytest.approx(expected, abs=0.01)
    assert result.layers["buildings"].crs.equals(LAMBERT93)


# -- the sample town hall ----------------------------------------------------------------------
def test_the_town_hall_has_three_storeys_and_twenty_three_french_rooms(
    mairie: ImportResult,
) -> None:
    _conforms(mairie)
    assert len(mairie.layers["buildings"]) == 1 and len(mairie.layers["storeys"]) == 3
    spaces = mairie.layers["spaces"]
    assert len(spaces) == 23
    uses = dict(zip(spaces["long_name"], spaces["use"], strict=False))
    assert uses["Salle du conseil"] == uses["Accueil"] == uses["Salle des mariages"] == "public"
    assert uses["Bureau du maire"] == "office"
    assert uses["Local technique"] == uses["Archives"] == "annex"
    assert uses["Circulation"] == uses["Sanitaires"] == "unknown"
    building = mairie.layers["buildings"].iloc[0]
    assert building["use"] == "public"  # ObjectType "Mairie", and public rooms
    assert building["name"] == "Mairie de Valmont-sur-Aveyron"
    assert building["floors"] == 3
    assert building["floor_area_m2"] == pytest.approx(spaces["area_m2"].sum())
    storeys = mairie.layers["storeys"].sort_values("elevation_m")
    assert np.diff(storeys["elevation_m"]) == pytest.approx([3.6, 3.6])


def test_the_town_hall_footprint_matches_its_bd_topo_building(mairie: ImportResult) -> None:
    footprint = mairie.layers["buildings"].geometry.iloc[0]
    bdtopo = gpd.read_file(BDTOPO, layer="batiment")
    flat = shapely.force_2d(bdtopo.geometry.to_numpy())
    overlapping = flat[shapely.intersects(flat, footprint)]
    assert len(overlapping) == 1
    union = shapely.union(overlapping[0], footprint).area
    assert shapely.intersection(overlapping[0], footprint).area / union > 0.9
    building = mairie.layers["buildings"].iloc[0]
    assert building["base_elevation_m"] == pytest.approx(412.7 - 0.3)  # OrthogonalHeight - slab
    assert building["height_m"] == pytest.approx(14.8 + 0.3)


def test_the_town_hall_keeps_its_ifc_file_and_provenance(mairie: ImportResult) -> None:
    (stored,) = mairie.files
    assert stored.name == "mairie.ifc" and stored.media_type == "application/x-step"
    assert stored.data == MAIRIE.read_bytes()
    details = mairie.provenance.details
    assert details["georeferencing"] == "map_conversion" and details["model_crs"] == "EPSG:2154"
    assert details["elements_failed"] == 0 and details["elements_tessellated"] == 40
    assert mairie.provenance.importer == "ifc"
    assert mairie.provenance.layers == {
        "buildings": 1,
        "storeys": 3,
        "spaces": 23,
        "ifc_elements": 44,
    }
    assert not [i for i in mairie.issues if i.severity != "info"]


def test_ifc_files_are_recognised_by_their_content(shared_data: Path, tmp_path: Path) -> None:
    for path in (shared_data / "ifc").glob("*.ifc"):
        assert registry.find_importer(path, ImportOptions()).NAME == "ifc"
    renamed = tmp_path / "model.txt"
    renamed.write_bytes(MAIRIE.read_bytes())
    assert registry.find_importer(renamed, ImportOptions()).NAME == "ifc"
    assert not ifc.sniff(BDTOPO)


def test_furniture_is_tessellated_and_listed_only_on_request(
    shared_data: Path, duplex: ImportResult
) -> None:
    furnished = _read(shared_data / "ifc" / "duplex.ifc", CHICAGO_UTM, include_furniture=True)
    classes = furnished.layers["ifc_elements"]["ifc_class"]
    assert (classes == "IfcFurnishingElement").sum() == 61
    assert not (duplex.layers["ifc_elements"]["ifc_class"] == "IfcFurnishingElement").any()
    assert furnished.meshes["ifc"].n_objects == duplex.meshes["ifc"].n_objects + 61
    assert furnished.provenance.details["include_furniture"] is True


RIGID_GEOGRAPHIC = """#1= IFCGEOGRAPHICCRS('EPSG:4258','ETRS89',$,$,#4,#3);
#2= IFCRIGIDOPERATION(#100011,#1,IFCPLANEANGLEMEASURE(8.436),IFCPLANEANGLEMEASURE(49.1),110.);
#4= IFCCONVERSIONBASEDUNIT(#5,.PLANEANGLEUNIT.,'degree',#6);
#5= IFCDIMENSIONALEXPONENTS(0,0,0,0,0,0,0);
#6= IFCMEASUREWITHUNIT(IFCPLANEANGLEMEASURE(0.017453292519943295),#100064);"""
RIGID_PROJECTED = """#1= IFCPROJECTEDCRS('EPSG:25832','UTM in band 32','ETRS89',$,'UTM','UTM32',#3);
#2= IFCRIGIDOPERATION(#100011,#1,IFCLENGTHMEASURE(458000.),IFCLENGTHMEASURE(5438000.),100.);"""


@pytest.mark.parametrize(
    ("operation", "expected"),
    [(RIGID_PROJECTED, (458000.0, 5438000.0, 100.0)), (RIGID_GEOGRAPHIC, None)],
)
def test_an_ifc4x3_rigid_operation_places_the_model(
    shared_data: Path, tmp_path: Path, operation: str, expected: tuple | None
) -> None:
    text = (shared_data / "ifc" / "geographic-referencing-utm.ifc").read_text()
    start, end = text.index("#1= IFCPROJECTEDCRS"), text.index("#3= IFCSIUNIT")
    path = tmp_path / "rigid.ifc"
    path.write_text(text[:start] + operation + "\n" + text[end:])
    result = _read(path, UTM32)
    if expected is None:  # longitude, latitude in degrees through the CRS's angle unit
        to_utm = pyproj.Transformer.from_crs("EPSG:4258", UTM32, always_xy=True)
        expected = (*to_utm.transform(8.436, 49.1), 110.0)
    assert _apex(result) == pytest.approx(expected, abs=0.01)
    assert result.provenance.details["georeferencing"] == "rigid_operation"
    assert not [i for i in result.issues if i.code == "approximate_placement"]
