"""What the fuzz job (tests/fuzz) found, each rebuilt here by hand and kept fixed: a file
damaged in these ways is refused with one line, or read with the damage reported, never a
traceback; and a terrain with holes keeps them when saved.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from pyproj import CRS

from tests.robustness.bad_files import MAIRIE, X0, Y0
from tests.robustness.conftest import assert_refused_cleanly, run_twin
from twin.city import City
from twin.errors import NotAProjectError
from twin.project import load_project, save_project
from twin.raster import Raster


def _shapefile(folder: Path, name: str = "bati", text: str = "Résidentiel") -> Path:
    frame = gpd.GeoDataFrame(
        {"id": ["B1", "B2"], "hauteur": [6.0, 9.0], "usage": [text, text]},
        geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 8), shapely.box(X0 + 20, Y0, X0 + 30, Y0 + 8)],
        crs="EPSG:2154",
    )
    path = folder / f"{name}.shp"
    frame.to_file(path, encoding="UTF-8")
    return path


def test_a_shapefile_ring_that_does_not_close_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shp = _shapefile(inputs)
    data = bytearray(shp.read_bytes())
    last_x = 100 + 8 + 4 + 32 + 4 + 4 + 4 + 16 * 4  # the 5th point of the first ring
    data[last_x : last_x + 8] = struct.pack("<d", X0 + 3)
    shp.write_bytes(bytes(data))
    outcome = run_twin(capsys, "import", project, shp, "--as", "buildings")
    line = assert_refused_cleanly(outcome, "bati.shp")
    assert "geometry that cannot be read" in line and "closed" in line


def test_a_damaged_prj_is_refused_in_one_line_asking_for_crs(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shp = _shapefile(inputs)
    prj = shp.with_suffix(".prj")
    prj.write_bytes(prj.read_bytes().replace(b"Lambert", b"L\xff\xff\xff\xffambert", 1))
    outcome = run_twin(capsys, "import", project, shp, "--as", "buildings")
    assert "--crs" in assert_refused_cleanly(outcome, "bati")


def test_text_that_does_not_decode_is_kept_with_replacement_characters(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shp = _shapefile(inputs, text="Habitation")
    dbf = shp.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes().replace(b"Habitation", b"Habit\xa9tion"))  # not UTF-8
    shp.with_suffix(".cpg").write_text("UTF-8")
    outcome = run_twin(capsys, "import", project, shp, "--as", "buildings")
    assert outcome.status == 0, outcome.err
    assert load_project(project).layer("buildings")["usage"].tolist() == ["Habit\ufffdtion"] * 2


def test_features_with_nan_or_infinite_coordinates_are_left_out_and_reported(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ring = [[X0, Y0], [X0 + 10, Y0], [X0 + 10, Y0 + 8], [X0, Y0 + 8], [X0, Y0]]
    bad = [[X0, Y0], [X0 + 10, Y0], [float("nan"), Y0 + 8], [X0, Y0 + 8], [X0, Y0]]
    features = [
        {
            "type": "Feature",
            "properties": {"id": name},
            "geometry": {"type": "Polygon", "coordinates": [coordinates]},
        }
        for name, coordinates in (("B1", ring), ("B2", bad))
    ]
    path = inputs / "bati.geojson"
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": features}))
    outcome = run_twin(capsys, "import", project, path, "--as", "buildings")
    assert outcome.status == 0, outcome.err
    assert load_project(project).layer("buildings")["id"].tolist() == ["B1"]
    assert "NaN or infinite coordinates" in outcome.out + outcome.err


@pytest.mark.parametrize(
    ("member", "data", "says"),
    [
        ("calendar_dates.txt", b"service_id,date,exception_type\nWK,2024\x9d0115,1\n", "UTF-8"),
        ("trips.txt", b"route_id,service_id,trip_id\nR1,WK,T1\nR1,,T2,extra\nR2,WE\n", ""),
    ],
    ids=["neither-utf8-nor-cp1252", "ragged-rows-with-blanks"],
)
def test_gtfs_tables_with_odd_bytes_or_ragged_blank_rows_end_cleanly(
    inputs: Path,
    project: Path,
    capsys: pytest.CaptureFixture[str],
    member: str,
    data: bytes,
    says: str,
) -> None:
    from tests.importers.gtfs_feeds import BASE

    feed = inputs / "gtfs.zip"
    with zipfile.ZipFile(feed, "w") as archive:
        for name, text in {**{k: v.encode() for k, v in BASE.items()}, member: data}.items():
            archive.writestr(name, text)
    outcome = run_twin(capsys, "import", project, feed)
    if says:
        assert says in assert_refused_cleanly(outcome, "gtfs.zip")
    else:
        assert outcome.status in (0, 2), outcome.err  # read or refused: never status 1
        if outcome.status == 2:
            assert_refused_cleanly(outcome, "gtfs.zip")


def test_an_osm_node_with_a_malformed_coordinate_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = inputs / "extrait.osm"
    path.write_text(
        '<?xml version="1.0"?>\n<osm version="0.6">\n'
        '<node id="1" lat="44.35null0" lon="2.57"/>\n</osm>\n'
    )
    assert_refused_cleanly(run_twin(capsys, "import", project, path), "extrait.osm")


def test_an_ifc_entity_missing_a_required_reference_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MAIRIE.read_text(encoding="utf-8")
    start = text.index("IFCRELAGGREGATES(")
    end = text.index(");", start)
    fields = text[start:end].split(",")
    fields[4] = "$"  # RelatingObject: none
    path = inputs / "mairie.ifc"
    path.write_text(text[:start] + ",".join(fields) + text[end:], encoding="utf-8")
    line = assert_refused_cleanly(run_twin(capsys, "import", project, path), "mairie.ifc")
    assert "IFC schema" in line


def test_an_ifczip_missing_bytes_at_its_start_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mairie.ifc", MAIRIE.read_bytes())
    data = buffer.getvalue()
    path = inputs / "mairie.ifczip"
    path.write_bytes(data[:5] + data[25:])  # zipfile would seek 20 bytes before the start
    line = assert_refused_cleanly(run_twin(capsys, "import", project, path), "mairie.ifczip")
    assert "damaged zip" in line


def test_a_terrain_with_a_whole_tile_of_no_data_keeps_it_when_saved(tmp_path: Path) -> None:
    heights = np.full((300, 600), 250.0, dtype=np.float32)
    heights[:, :300] = np.nan  # more than one 256 x 256 tile without any value
    city = City("EPSG:2154")
    transform = Affine(25.0, 0.0, X0, 0.0, -25.0, Y0)
    city.set_raster(Raster("terrain", heights, transform, CRS.from_epsg(2154), unit="m"))
    again = load_project(save_project(city, tmp_path / "ville.twin.gpkg"))
    np.testing.assert_array_equal(again.rasters["terrain"].values, heights)


def test_a_cpg_naming_an_encoding_with_a_nul_byte_is_ignored(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = gpd.GeoDataFrame(
        {"ID": ["BATIMENT1"], "USAGE1": ["Résidentiel"], "HAUTEUR": [6.0]},
        geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 8)],
        crs="EPSG:2154",
    )
    shp = inputs / "BATIMENT.shp"
    frame.to_file(shp, encoding="UTF-8")
    shp.with_suffix(".cpg").write_bytes(b"UTF\x00-8")
    outcome = run_twin(capsys, "import", project, shp, "--as", "bdtopo")
    assert outcome.status == 0, outcome.err
    assert load_project(project).layer("buildings")["use"].tolist() == ["residential"]


def test_a_cityjson_whose_vertices_overflow_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.importers.test_cityjson import CityJSON

    model = CityJSON(crs="https://www.opengis.net/def/crs/EPSG/0/2154", origin=(X0, Y0))
    model.add("maison", "Building", [model.solid("2.2", X0 + 5, Y0 + 5, 10, 8, 120, 6, 9)])
    document = model.document()
    document["transform"]["scale"] = [1e308, 1e308, 0.001]  # every vertex becomes infinite
    path = inputs / "tuile.city.json"
    path.write_text(json.dumps(document))
    assert "finite" in assert_refused_cleanly(run_twin(capsys, "import", project, path), path.name)


def test_a_cityjson_vertex_number_beyond_64_bits_leaves_its_building_out(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.importers.test_cityjson import CityJSON

    model = CityJSON(crs="https://www.opengis.net/def/crs/EPSG/0/2154", origin=(X0, Y0))
    model.add("maison", "Building", [model.solid("2.2", X0 + 5, Y0 + 5, 10, 8, 120, 6, 9)])
    model.add("garage", "Building", [model.solid("2.2", X0 + 30, Y0 + 5, 6, 5, 120, 3, 3)])
    document = model.document()
    document["CityObjects"]["garage"]["geometry"][0]["boundaries"][0][0][0][0] = 2**70
    path = inputs / "tuile.city.json"
    path.write_text(json.dumps(document))
    outcome = run_twin(capsys, "import", project, path)
    assert outcome.status == 0, outcome.err
    assert load_project(project).layer("buildings")["id"].tolist() == ["maison"]


def test_a_gtfs_member_with_an_unknown_compression_method_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.importers.gtfs_feeds import BASE

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in BASE.items():
            archive.writestr(name, text)
    data = bytearray(buffer.getvalue())
    entry = data.index(b"PK\x01\x02")  # the entries of the central directory ...
    while data[entry + 46 : entry + 55] != b"stops.txt":  # ... up to the one of stops.txt
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 10 : entry + 12] = struct.pack("<H", 99)  # compression method 99: AES
    feed = inputs / "gtfs.zip"
    feed.write_bytes(bytes(data))
    line = assert_refused_cleanly(run_twin(capsys, "import", project, feed), "gtfs.zip")
    assert "damaged inside the zip" in line


def test_an_ifczip_whose_header_is_cut_by_a_repeated_line_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = MAIRIE.read_bytes().replace(b"HEADER;", b"HEISO-10303-21;\nHEADER;", 1)
    path = inputs / "mairie.ifczip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mairie.ifc", data)  # read from memory: ifcopenshell loads no schema
    assert_refused_cleanly(run_twin(capsys, "import", project, path), "mairie.ifczip")


def test_a_project_with_a_cut_geometry_blob_is_refused_as_damaged_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    footprint = shapely.box(X0, Y0, X0 + 9, Y0 + 9)
    city = City("EPSG:2154", name="Bourg")
    city.set_layer("buildings", gpd.GeoDataFrame({"id": ["B1"]}, geometry=[footprint], crs=2154))
    path = save_project(city, tmp_path / "bourg.twin.gpkg")
    wkb = shapely.to_wkb(footprint)  # stored as is after the GeoPackage blob header
    ring = wkb[:9] + struct.pack("<I", 5)  # byte order, type, 1 ring, then its 5 points
    assert path.read_bytes().count(ring) == 1
    path.write_bytes(path.read_bytes().replace(ring, wkb[:9] + struct.pack("<I", 5000)))
    line = assert_refused_cleanly(run_twin(capsys, "info", path), "bourg.twin.gpkg")
    assert "damaged" in line


def test_a_date_before_year_one_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"id": name, "created": created},
            "geometry": {"type": "Point", "coordinates": [2.57, 44.35]},
        }
        for name, created in (("A", "2004-11-30"), ("B", "-1-11-30"))
    ]
    path = inputs / "points.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    line = assert_refused_cleanly(
        run_twin(capsys, "import", project, path, "--as", "digital_assets"), "points.geojson"
    )
    assert "year" in line


def test_a_prj_that_pyproj_takes_for_json_is_refused_asking_for_crs(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shp = _shapefile(inputs)
    prj = shp.with_suffix(".prj")
    prj.write_bytes(prj.read_bytes().replace(b'PROJECTION["La', b'PROJECTION["La{{', 1))
    outcome = run_twin(capsys, "import", project, shp, "--as", "buildings")
    assert "--crs" in assert_refused_cleanly(outcome, "bati")


def test_a_dbase_header_repeating_a_field_name_is_read_with_the_second_renamed(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = gpd.GeoDataFrame(
        {
            "CODE_IRIS": ["129900101"],
            "NOM_IRIS": ["Centre"],
            "INSEE_COM": ["12990"],
            "NOM_COM": ["Valmont"],
        },
        geometry=[shapely.box(X0, Y0, X0 + 500, Y0 + 500)],
        crs="EPSG:2154",
    )
    shp = inputs / "CONTOURS-IRIS.shp"
    frame.to_file(shp, encoding="UTF-8")
    dbf = shp.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes().replace(b"NOM_COM\x00", b"NOM_IRIS", 1))
    outcome = run_twin(capsys, "import", project, shp, "--as", "iris")
    assert outcome.status == 0, outcome.err
    assert load_project(project).layer("districts")["name"].tolist() == ["Centre"]


def test_an_osm_id_written_as_a_float_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = inputs / "extrait.osm"
    path.write_text(
        '<?xml version="1.0"?>\n<osm version="0.6">\n'
        '<node id="1e-320" lat="44.35" lon="2.57"/>\n</osm>\n'
    )
    assert_refused_cleanly(run_twin(capsys, "import", project, path), "extrait.osm")


def test_a_dem_whose_geotransform_flips_it_inside_out_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = inputs / "mnt.tif"
    flipped = Affine(-25.0, 0.0, X0, 0.0, 25.0, Y0)  # west-going columns, north-going rows
    profile = {"driver": "GTiff", "width": 8, "height": 8, "count": 1, "dtype": "float32"}
    with rasterio.open(path, "w", **profile, crs="EPSG:2154", transform=flipped) as tif:
        tif.write(np.full((8, 8), 120.0, dtype=np.float32), 1)
    line = assert_refused_cleanly(run_twin(capsys, "import", project, path), "mnt.tif")
    assert "georeferencing" in line


def test_a_self_crossing_ring_with_absurd_coordinates_is_left_out_not_repaired(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absurd = [  # GEOS's repair fails on it ("scale factor must be non-zero")
        [6.876391549538672e204, 1.0071251074415795e128],
        [-3.6702989070232515e255, 6358311.354747886],
        [670084.1496574462, 6357181.038171735],
        [668138.6375296238, 6357019.484234135],
        [667839.0947742226, 6357138.958656864],
        [666403.5003723629, 6357059.6406145],
    ]
    good = [[X0, Y0], [X0 + 10, Y0], [X0 + 10, Y0 + 8], [X0, Y0 + 8]]
    features = [
        {
            "type": "Feature",
            "properties": {"id": name},
            "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        }
        for name, ring in (("B1", good), ("B2", absurd))
    ]
    path = inputs / "bati.geojson"
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": features}))
    outcome = run_twin(capsys, "import", project, path, "--as", "buildings")
    assert outcome.status == 0, outcome.err
    assert load_project(project).layer("buildings")["id"].tolist() == ["B1"]
    assert "cannot be repaired" in outcome.out + outcome.err


def test_an_ifc_direction_with_two_ratios_in_3d_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MAIRIE.read_text(encoding="utf-8")
    path = inputs / "mairie.ifc"
    path.write_text(text.replace("IFCDIRECTION((1.,0.,0.))", "IFCDIRECTION((1.,0.))"))
    line = assert_refused_cleanly(run_twin(capsys, "import", project, path), "mairie.ifc")
    assert "IFC schema" in line


def test_a_csv_holding_only_a_byte_order_mark_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = inputs / "grille.csv"
    path.write_bytes(b"\xef\xbb\xbf")
    assert_refused_cleanly(run_twin(capsys, "import", project, path), "grille.csv")


def test_a_dem_whose_crs_name_does_not_decode_is_refused_in_one_line(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wkt = CRS.from_epsg(2154).to_wkt().replace('"RGF93 v1 / Lambert-93"', '"Lambert perso"', 1)
    wkt = wkt[: wkt.rindex(',ID["EPSG",2154]')] + "]"  # a CRS of its own: its name is read
    path = inputs / "mnt.tif"
    profile = {"driver": "GTiff", "width": 8, "height": 8, "count": 1, "dtype": "float32"}
    transform = Affine(25.0, 0.0, X0, 0.0, -25.0, Y0 + 200)
    with rasterio.open(path, "w", **profile, crs=wkt, transform=transform) as tif:
        tif.write(np.full((8, 8), 120.0, dtype=np.float32), 1)
    path.write_bytes(path.read_bytes().replace(b"Lambert perso", b"Lamb\xc7rt perso", 1))
    line = assert_refused_cleanly(run_twin(capsys, "import", project, path), "mnt.tif")
    assert "coordinate system" in line


def test_a_grid_cell_id_naming_an_unknown_crs_is_reported_and_the_others_imported(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = inputs / "filosofi.csv"
    path.write_text(
        "Idcar_200m,Ind,Men\n"
        "CRS3035RES200mN2250000E3700000,12.5,5\n"
        "CRS9035RES200mN2250200E3700000,8,3\n",  # EPSG:9035 does not exist
        encoding="utf-8",
    )
    outcome = run_twin(capsys, "import", project, path, "--as", "filosofi")
    assert outcome.status == 0, outcome.err
    cells = load_project(project).layer("population_cells")
    assert cells["id"].tolist() == ["CRS3035RES200mN2250000E3700000"]


def test_an_ifc_whose_kernel_crashes_is_refused_in_one_line_and_the_project_kept(
    inputs: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two entities #97: the room replaces what #97 was, and the C++ geometry kernel segfaults.
    text = MAIRIE.read_text(encoding="utf-8")
    assert "#967=IFCSPACE(" in text
    path = inputs / "mairie.ifc"
    path.write_text(text.replace("#967=IFCSPACE(", "#97=IFCSPACE(", 1), encoding="utf-8")
    before = project.read_bytes()
    line = assert_refused_cleanly(run_twin(capsys, "import", project, path), "mairie.ifc")
    assert "geometry kernel crashed" in line and "SIGSEGV" in line
    assert project.read_bytes() == before


def test_a_damaged_table_name_with_a_line_break_gives_a_one_line_message(tmp_path: Path) -> None:
    city = City("EPSG:2154", name="Bourg")
    city.set_layer(
        "buildings",
        gpd.GeoDataFrame({"id": ["B1"]}, geometry=[shapely.box(X0, Y0, X0 + 9, Y0 + 9)], crs=2154),
    )
    path = save_project(city, tmp_path / "bourg.twin.gpkg")
    saved = path.read_bytes()
    name = b"twin_scenarios"
    starts = [at for at in range(len(saved)) if saved.startswith(name, at)]
    messages = []
    for at in starts:  # each place SQLite keeps the name: the catalogue, the schema, an index
        path.write_bytes(saved[:at] + b"twin_scena\nios" + saved[at + len(name) :])
        try:
            load_project(path)
        except NotAProjectError as exc:
            messages.append(str(exc))
    assert any("twin_scena ios" in message for message in messages), messages
    assert all("\n" not in message and "damaged" in message for message in messages)
