"""The IFC importer on files made here: bad input refused with one clear line, per-element
problems reported, georeferencing variants the real files lack, quantities in millimetres."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from importers import ifc, registry
from importers.base import ImportOptions, ImportResult
from importers.ifc_source import MAX_COMPRESSION_RATIO
from tests.importers.ifc_authoring import Author, small_house
from twin.catalogue import STANDARD_SPECS
from twin.errors import CancelledError, CrsError, InvalidInputError, UnsupportedFormatError
from twin.feedback import CallbackFeedback
from twin.spec import conform

LAMBERT93 = pyproj.CRS.from_epsg(2154)
MAIRIE = Path(__file__).resolve().parents[2] / "samples" / "data" / "mairie.ifc"


def _read(path: Path, crs: pyproj.CRS = LAMBERT93, **options: object) -> ImportResult:
    return ifc.read(path, target_crs=crs, options=ImportOptions(**options))  # type: ignore[arg-type]


def _one_line(error: pytest.ExceptionInfo[Exception], *words: str) -> None:
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message, message


def _house(tmp_path: Path, name: str = "maison.ifc", **kwargs: object) -> tuple[Author, dict]:
    author = Author(**kwargs)  # type: ignore[arg-type]
    parts = small_house(author, (("S1", "Séjour"), ("C1", "Chambre")))
    return author, parts


# -- bad input ---------------------------------------------------------------------------------
def test_a_truncated_copy_of_a_real_file_is_refused(tmp_path: Path) -> None:
    truncated = tmp_path / "mairie.ifc"
    truncated.write_bytes(MAIRIE.read_bytes()[: MAIRIE.stat().st_size // 2])
    with pytest.raises(InvalidInputError) as error:
        _read(truncated)
    _one_line(error, "mairie.ifc is truncated", "END-ISO-10303-21;")


def test_random_bytes_named_ifc_are_not_taken_for_ifc(tmp_path: Path) -> None:
    noise = tmp_path / "noise.ifc"
    noise.write_bytes(np.random.default_rng(1).bytes(5000))
    assert not ifc.sniff(noise)
    with pytest.raises(UnsupportedFormatError) as error:
        _read(noise)
    _one_line(error, "noise.ifc is not an IFC file")
    with pytest.raises(UnsupportedFormatError):
        registry.find_importer(noise, ImportOptions())


@pytest.mark.parametrize("schema", ["IFC4X3_RC2", "IFC2X2_FINAL"])
def test_an_unsupported_schema_is_named_with_the_supported_ones(
    tmp_path: Path, schema: str
) -> None:
    path = tmp_path / "old.ifc"
    path.write_bytes(
        MAIRIE.read_bytes().replace(b"FILE_SCHEMA(('IFC4'))", f"FILE_SCHEMA(('{schema}'))".encode())
    )
    assert ifc.sniff(path)
    with pytest.raises(UnsupportedFormatError) as error:
        _read(path)
    _one_line(error, schema, "IFC2X3, IFC4, IFC4X3_ADD2")


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.ifczip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.ifc", b"\0" * (20 * 1024**2))
    info = zipfile.ZipFile(bomb).infolist()[0]
    assert info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
    monkeypatch.setattr(zipfile.ZipFile, "read", _no_decompression)
    assert ifc.sniff(bomb)
    with pytest.raises(InvalidInputError) as error:
        _read(bomb)
    _one_line(error, "bomb.ifczip", "ratio")


def _no_decompression(*args: object, **kwargs: object) -> bytes:
    raise AssertionError("the member was decompressed")


def test_a_zip_entry_climbing_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.ifczip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../model.ifc", MAIRIE.read_bytes())
    with pytest.raises(InvalidInputError) as error:
        _read(path)
    _one_line(error, "evil.ifczip", "../../model.ifc")
    assert not (tmp_path.parent / "model.ifc").exists()


def test_a_zip_without_ifc_is_not_ifc(tmp_path: Path) -> None:
    path = tmp_path / "notes.ifczip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert not ifc.sniff(path)
    with pytest.raises(InvalidInputError) as error:
        _read(path)
    _one_line(error, "without any .ifc")


def test_an_ifczip_reads_like_its_ifc_and_is_stored_zipped(tmp_path: Path) -> None:
    path = tmp_path / "mairie.ifczip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(MAIRIE, "mairie.ifc")
    assert registry.find_importer(path, ImportOptions()).NAME == "ifc"
    result = _read(path)
    assert {k: len(v) for k, v in result.layers.items()} == {
        "buildings": 1,
        "storeys": 3,
        "spaces": 23,
        "ifc_elements": 44,
    }
    (stored,) = result.files
    assert stored.media_type == "application/zip" and stored.data == path.read_bytes()
    assert result.layers["ifc_elements"]["source_file"].eq("mairie.ifczip").all()


def test_a_model_without_a_building_is_refused(tmp_path: Path) -> None:
    author = Author()
    author.element("IfcWall", "Mur seul", author.site, author.box(0, 0, 5, 0.2, 3))
    author.map_conversion("EPSG:2154", 650000.0, 6860000.0, 100.0)
    path = author.write(tmp_path / "elements.ifc")
    with pytest.raises(InvalidInputError) as error:
        _read(path)
    _one_line(error, "elements.ifc contains no IfcBuilding", "export the building")


def test_an_unknown_crs_name_without_latitude_longitude_is_a_crs_error(tmp_path: Path) -> None:
    author, _ = _house(tmp_path)
    author.map_conversion("Grille locale du chantier", 1000.0, 2000.0, 0.0)
    path = author.write(tmp_path / "local.ifc")
    with pytest.raises(CrsError) as error:
        _read(path)
    _one_line(error, "Grille locale du chantier", "--at")


# -- per-element problems ----------------------------------------------------------------------
def test_repeated_global_ids_keep_the_first_element_and_report_the_others(tmp_path: Path) -> None:
    author, parts = _house(tmp_path)
    first, second = parts["walls"][:2]
    second.GlobalId = first.GlobalId
    author.map_conversion("EPSG:2154", 650000.0, 6860000.0, 100.0)
    result = _read(author.write(tmp_path / "twice.ifc"))
    (issue,) = [i for i in result.issues if i.code == "duplicate_global_id"]
    assert issue.feature == first.GlobalId and issue.severity == "error"
    elements = result.layers["ifc_elements"]
    assert elements["id"].is_unique and len(elements[elements["id"] == first.GlobalId]) == 1
    assert elements.set_index("id").loc[first.GlobalId, "name"] == first.Name
    assert len(set(result.meshes["ifc"].object_ids.tolist())) == result.meshes["ifc"].n_objects
    for name, frame in result.layers.items():
        conform(frame, STANDARD_SPECS[name])


def test_an_element_that_cannot_be_tessellated_is_reported_and_the_import_goes_on(
    tmp_path: Path,
) -> None:
    author, parts = _house(tmp_path)
    model = author.model
    points = [model.createIfcCartesianPoint(c) for c in ((0.0, 0.0, 0.0), (1.0, 0.0, 0.0))]
    loop = model.createIfcFaceOuterBound(model.createIfcPolyLoop(points), True)
    brep = model.createIfcFacetedBrep(model.createIfcClosedShell([model.createIfcFace([loop])]))
    body = model.createIfcShapeRepresentation(author.body, "Body", "Brep", [brep])
    broken = author.element("IfcWall", "Mur cassé", parts["storey"], body)
    author.map_conversion("EPSG:2154", 650000.0, 6860000.0, 100.0)
    result = _read(author.write(tmp_path / "broken.ifc"))
    (issue,) = [i for i in result.issues if i.code == "tessellation_failed"]
    assert issue.feature == broken.GlobalId
    assert result.provenance.details["elements_failed"] == 1
    assert broken.GlobalId in set(result.layers["ifc_elements"]["id"])
    assert broken.GlobalId not in set(result.meshes["ifc"].object_ids.tolist())
    assert result.meshes["ifc"].n_objects == 8  # slab, 4 walls, roof slab, 2 rooms
    assert len(result.layers["buildings"]) == 1


# -- georeferencing variants -------------------------------------------------------------------
def test_a_rotated_millimetre_map_conversion_turns_and_scales_the_model(tmp_path: Path) -> None:
    author, _ = _house(tmp_path, millimetres=True)
    author.map_conversion("EPSG:2154", 650000.0, 6860000.0, 100.0, rotation_deg=90.0, scale=0.001)
    result = _read(author.write(tmp_path / "rotated.ifc"))
    footprint = result.layers["buildings"].geometry.iloc[0]
    # 10 m along the model's x axis point north, 8 m along y point west.
    assert footprint.bounds == pytest.approx((649992.0, 6860000.0, 650000.0, 6860010.0), abs=1e-3)
    building = result.layers["buildings"].iloc[0]
    assert building["height_m"] == pytest.approx(3.4) and building["base_elevation_m"] == 100.0
    assert not [i for i in result.issues if i.code == "map_scale_ignored"]
    assert result.provenance.details["georeferencing_details"]["rotation_deg"] == pytest.approx(90)


def test_a_map_conversion_in_another_crs_is_reprojected(tmp_path: Path) -> None:
    author, _ = _house(tmp_path)
    author.map_conversion("EPSG:25831", 500000.0, 4800000.0, 10.0)
    result = _read(author.write(tmp_path / "utm31.ifc"))
    corner = pyproj.Transformer.from_crs("EPSG:25831", LAMBERT93, always_xy=True).transform(
        500000.0, 4800000.0
    )
    footprint = result.layers["buildings"].geometry.iloc[0]
    assert footprint.distance(shapely.Point(corner)) < 1e-3
    # Both projections are conformal: the rectangle stays one, its size changes by the ratio
    # of their scale factors there (0.9996 on the UTM meridian, about 1.0005 in Lambert-93).
    assert footprint.area == pytest.approx(80.0, rel=5e-3)
    assert footprint.minimum_rotated_rectangle.area == pytest.approx(footprint.area, rel=1e-4)
    assert result.provenance.details["model_crs"] == "EPSG:25831"


def test_an_ifc2x3_map_conversion_property_set_places_the_model(tmp_path: Path) -> None:
    author, _ = _house(tmp_path, schema="IFC2X3")
    author.pset(
        author.project,
        "ePSet_MapConversion",
        {"Eastings": 650000.0, "Northings": 6860000.0, "OrthogonalHeight": 50.0},
    )
    author.pset(author.project, "ePSet_ProjectedCRS", {"Name": "EPSG:2154"})
    result = _read(author.write(tmp_path / "ifc2x3.ifc"))
    assert result.provenance.details["georeferencing"] == "map_conversion"
    assert result.layers["buildings"].geometry.iloc[0].bounds == pytest.approx(
        (650000.0, 6860000.0, 650010.0, 6860008.0), abs=1e-3
    )
    assert result.layers["buildings"]["base_elevation_m"].iloc[0] == pytest.approx(50.0)


def test_latitude_longitude_and_true_north_place_a_model_approximately(tmp_path: Path) -> None:
    author, _ = _house(tmp_path)
    author.latitude_longitude(44.35, 2.57, 600.0)
    north = math.radians(30.0)  # true north 30° to the left of the model's y axis
    author.model_context.TrueNorth = author.model.createIfcDirection(
        (-math.sin(north), math.cos(north))
    )
    result = _read(author.write(tmp_path / "latlon.ifc"))
    (warning,) = [i for i in result.issues if i.code == "approximate_placement"]
    assert warning.severity == "warning"
    to_l93 = pyproj.Transformer.from_crs("EPSG:4326", LAMBERT93, always_xy=True)
    footprint = result.layers["buildings"].geometry.iloc[0]
    assert footprint.distance(shapely.Point(to_l93.transform(2.57, 44.35))) < 1.0
    assert footprint.area == pytest.approx(80.0, rel=1e-3)
    # The model's x axis (the 10 m side) turns 30° clockwise from east, minus the meridian
    # convergence of Lambert-93 there (about 0.3°).
    ring = np.asarray(footprint.minimum_rotated_rectangle.exterior.coords)
    sides = np.diff(ring, axis=0)
    longest = sides[np.argmax(np.hypot(sides[:, 0], sides[:, 1]))]
    angle = math.degrees(math.atan2(longest[1], longest[0])) % 180
    assert min(abs(angle - 150), abs(angle + 30)) < 1.0


def test_at_overrides_the_files_own_georeferencing(tmp_path: Path) -> None:
    result = _read(MAIRIE, placement_xyz=(700000.0, 6600000.0, 10.0), rotation_deg=90.0)
    footprint = result.layers["buildings"].geometry.iloc[0]
    assert footprint.distance(shapely.Point(700000.0, 6600000.0)) < 1e-3
    minx, miny, maxx, maxy = footprint.bounds
    assert maxx - minx < maxy - miny  # the hall's length now runs north
    assert result.provenance.details["georeferencing"] == "placement_option"
    assert [i.code for i in result.issues] == ["georeferencing_overridden"]


def test_at_without_altitude_leaves_the_base_elevation_to_the_terrain(tmp_path: Path) -> None:
    result = _read(MAIRIE, placement_xyz=(700000.0, 6600000.0, float("nan")))
    assert result.layers["buildings"]["base_elevation_m"].isna().all()
    assert result.layers["buildings"]["height_m"].iloc[0] == pytest.approx(15.1)


# -- quantities and uses -----------------------------------------------------------------------
def test_millimetre_quantities_are_converted_to_metres(tmp_path: Path) -> None:
    author, parts = _house(tmp_path, millimetres=True)
    author.qto(parts["spaces"][0], "Qto_SpaceBaseQuantities", {"Height": 3000.0, "Width": 4800.0})
    author.qto(parts["storey"], "Qto_BuildingStoreyBaseQuantities", {"GrossFloorArea": 80.0})
    author.pset(parts["walls"][0], "Pset_WallCommon", {"IsExternal": True, "Reference": "M1"})
    author.map_conversion("EPSG:2154", 650000.0, 6860000.0, 100.0, scale=0.001)
    result = _read(author.write(tmp_path / "mm.ifc"))
    elements = result.layers["ifc_elements"].set_index("id")
    quantities = json.loads(elements.loc[parts["spaces"][0].GlobalId, "quantities_json"])
    assert quantities == {"Qto_SpaceBaseQuantities": {"Height": 3.0, "Width": 4.8}}
    properties = json.loads(elements.loc[parts["walls"][0].GlobalId, "properties_json"])
    assert properties == {"Pset_WallCommon": {"IsExternal": True, "Reference": "M1"}}
    spaces = result.layers["spaces"]
    assert spaces["area_m2"].to_numpy() == pytest.approx([4.8 * 7.6] * 2, rel=1e-6)
    assert spaces["volume_m3"].to_numpy() == pytest.approx([4.8 * 7.6 * 3.0] * 2, rel=1e-6)
    assert result.layers["storeys"]["area_m2"].iloc[0] == pytest.approx(80.0)
    assert result.layers["buildings"]["floor_area_m2"].iloc[0] == pytest.approx(80.0)


def test_a_building_without_room_uses_takes_the_use_it_declares(tmp_path: Path) -> None:
    author = Author()
    building = author.building("Groupe scolaire", object_type="École primaire")
    storey = author.storey(building, "RDC", 0.0)
    author.element("IfcSlab", "Dalle", storey, author.box(0, 0, 20, 10, 0.3))
    space = author.element("IfcSpace", "001", storey, author.box(0, 0, 20, 10, 3), 0.3)
    space.LongName = "Circulation"
    author.map_conversion("EPSG:2154", 650000.0, 6860000.0, 100.0)
    result = _read(author.write(tmp_path / "ecole.ifc"))
    assert result.layers["buildings"]["use"].iloc[0] == "public"
    assert result.layers["spaces"]["use"].iloc[0] == "unknown"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as error:
        _read(tmp_path / "absent.ifc")
    _one_line(error, "absent.ifc not found")


def test_progress_reaches_the_end_and_a_cancel_stops_the_import() -> None:
    seen: list[float] = []
    feedback = CallbackFeedback(on_progress=seen.append)
    ifc.read(MAIRIE, target_crs=LAMBERT93, options=ImportOptions(), feedback=feedback)
    assert seen[-1] == 1.0 and seen == sorted(seen)
    cancelled = CallbackFeedback()
    cancelled.cancel()
    with pytest.raises(CancelledError):
        ifc.read(MAIRIE, target_crs=LAMBERT93, options=ImportOptions(), feedback=cancelled)


def test_a_map_conversion_to_longitude_latitude_is_placed_through_a_local_projection(
    tmp_path: Path,
) -> None:
    author, _ = _house(tmp_path)
    author.map_conversion("EPSG:4326", 2.57, 44.35, 600.0)
    result = _read(author.write(tmp_path / "degrees.ifc"))
    corner = pyproj.Transformer.from_crs("EPSG:4326", LAMBERT93, always_xy=True).transform(
        2.57, 44.35
    )
    footprint = result.layers["buildings"].geometry.iloc[0]
    assert footprint.distance(shapely.Point(corner)) < 1e-3
    assert footprint.area == pytest.approx(80.0, rel=2e-3)
    assert result.layers["buildings"]["base_elevation_m"].iloc[0] == pytest.approx(600.0)
