"""``twin import`` refuses every bad file of the suite with one clear line and exit status 2,
without a traceback, and leaves the project file byte for byte as it was."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from importers.registry import IMPORTER_MODULES
from tests.robustness import bad_files as bad
from tests.robustness.bad_files import Case, feature, square
from tests.robustness.conftest import assert_refused_cleanly, files_under, run_twin

_IFC_END = "\nENDSEC;\nEND-ISO-10303-21;\n"

IFC_CASES = [
    Case("ifc cut after the magic line", bad.truncated_ifc(14)),
    Case("ifc cut inside the header", bad.truncated_ifc(200)),
    Case("ifc cut after the header", bad.truncated_ifc(330), says=("truncated",)),
    Case("ifc cut at a quarter", bad.truncated_ifc(0.25), says=("truncated",)),
    Case("ifc cut at half", bad.truncated_ifc(0.5), says=("truncated",)),
    Case("ifc cut at 90 percent", bad.truncated_ifc(0.9), says=("truncated",)),
    Case("ifc cut inside its last line", bad.truncated_ifc(-5), says=("truncated",)),
]

_RANDOM_NAMES = [
    "noise.ifc",
    "noise.ifczip",
    "noise.gpkg",
    "noise.geojson",
    "noise.json",
    "noise.json.gz",
    "noise.shp",
    "noise.dbf",
    "noise.tif",
    "noise.zip",
    "noise.city.json",
    "noise.osm",
    "noise.osm.pbf",
    "noise.csv",
]
RANDOM_CASES = [Case(f"random bytes named {name}", bad.noise_named(name)) for name in _RANDOM_NAMES]

#: Random bytes behind the magic bytes the sniffers look for: they reach the readers.
MAGIC_CASES = [
    Case("noise behind an IFC header", bad.noise_named("magic.ifc", b"ISO-10303-21;\nHEADER;\n")),
    Case(
        "noise behind a full IFC header",
        bad.noise_named("magic2.ifc", b"ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\n"),
    ),
    Case("noise behind a zip magic", bad.noise_named("magic.zip", b"PK\x03\x04")),
    Case("noise behind a zip magic, .ifczip", bad.noise_named("magic.ifczip", b"PK\x03\x04")),
    Case("noise behind a SQLite header", bad.noise_named("magic.gpkg", b"SQLite format 3\x00")),
    Case(
        "noise behind a GeoPackage header",
        bad.noise_named(
            "magic2.gpkg", b"SQLite format 3\x00" + bytes(52) + b"GPKG" + bytes(28), size=4000
        ),
    ),
    Case("noise behind a TIFF magic", bad.noise_named("magic.tif", b"II*\x00")),
    Case("noise behind a shapefile magic", bad.noise_named("magic.shp", b"\x00\x00\x27\x0a")),
    Case("noise behind a gzip magic", bad.noise_named("magic.json.gz", b"\x1f\x8b\x08\x00")),
    Case(
        "noise behind a GeoJSON head",
        bad.noise_named("magic.geojson", b'{"type": "FeatureCollection", "features": ['),
    ),
    Case(
        "noise behind a CityJSON head",
        bad.noise_named("magic.city.json", b'{"type": "CityJSON", "version": "2.0", '),
    ),
    Case("noise behind an OSM root", bad.noise_named("magic.osm", b'<osm version="0.6">')),
    Case(
        "noise behind a PBF header",
        bad.noise_named("magic.osm.pbf", b"\x00\x00\x00\x0d\x0a\x09OSMHeader\x18\x10"),
    ),
]

#: The same, read as buildings: the generic reader (GDAL) gets them.
MAGIC_AS_BUILDINGS = [
    Case(f"{case.id}, as buildings", case.make, args=("--as", "buildings"))
    for case in MAGIC_CASES
    if case.id.endswith(("GeoPackage header", "GeoJSON head"))
] + [
    Case(
        "noise behind a shapefile magic with noise side files, as buildings",
        bad.noise_shapefile("bruit.shp"),
        args=("--as", "buildings"),
    )
]

_EMPTY_GEOMETRIES = [
    bad.feature(None, "b1"),
    bad.feature({"type": "Polygon", "coordinates": []}, "b2"),
    bad.feature({"type": "GeometryCollection", "geometries": []}, "b3"),
]
GEOJSON_CASES = [
    Case(
        "geojson whose geometries are all empty",
        bad.geojson("vides.geojson", _EMPTY_GEOMETRIES),
        args=("--as", "buildings"),
    ),
    Case(
        "geojson of points for buildings",
        bad.geojson("points.geojson", [feature({"type": "Point", "coordinates": [2.57, 44.35]})]),
        args=("--as", "buildings"),
    ),
    Case(
        "geojson with malformed coordinates",
        bad.geojson("mal.geojson", [feature({"type": "Polygon", "coordinates": [[1, 2]]})]),
        args=("--as", "buildings"),
    ),
    Case(
        "geojson with text coordinates",
        bad.geojson(
            "texte.geojson", [feature({"type": "Point", "coordinates": ["deux", "quarante"]})]
        ),
        args=("--as", "buildings"),
    ),
    Case(
        "geojson cut in the middle",
        bad.raw_text("coupe.geojson", '{"type": "FeatureCollection", "features": [{"type": "Fe'),
        args=("--as", "buildings"),
    ),
    Case(
        "geojson without a layer given",
        bad.geojson("sans_as.geojson", [feature(square(2.57, 44.35, 0.0001))]),
        says=("--as",),
    ),
    Case(
        "geojson in degrees declared Lambert-93",
        bad.geojson(
            "degres.geojson",
            [feature(square(2.57, 44.35, 0.0001))],
            crs="urn:ogc:def:crs:EPSG::2154",
        ),
        args=("--as", "buildings"),
        says=("degrees",),
    ),
]

SHAPEFILE_CASES = [
    Case(
        "shapefile without .prj",
        bad.shapefile("sans_prj.shp", crs=None),
        args=("--as", "buildings"),
        says=("--crs",),
    ),
    Case(
        "bd topo shapefile without .prj",
        bad.shapefile(
            "BATIMENT.shp",
            crs=None,
            columns={
                "ID": ["BATIMENT1", "BATIMENT2", "BATIMENT3"],
                "HAUTEUR": [6.0, 9.0, 12.0],
                "NB_ETAGES": [2, 3, 4],
                "USAGE1": ["Résidentiel"] * 3,
                "NATURE": ["Indifférenciée"] * 3,
            },
        ),
        says=("--crs",),
    ),
    Case(
        "shapefile without .dbf",
        bad.shapefile("sans_dbf.shp", drop=(".dbf",)),
        args=("--as", "buildings"),
    ),
    Case(
        "shapefile without .shx",
        bad.shapefile("sans_shx.shp", drop=(".shx",)),
        args=("--as", "buildings"),
    ),
    Case(
        "shapefile in degrees given --crs EPSG:2154",
        bad.shapefile("degres.shp", crs=None, degrees=True),
        args=("--as", "buildings", "--crs", "EPSG:2154"),
        says=("degrees",),
    ),
    Case(
        "shapefile in degrees with a Lambert-93 .prj",
        bad.shapefile("degres_prj.shp", degrees=True),
        args=("--as", "buildings"),
        says=("degrees",),
    ),
]

CSV_CASES = [
    Case(
        "csv grid with unrelated columns",
        bad.csv_table("grille.csv", ["x;y;pop", "1;2;3"]),
    ),
    Case(
        "csv grid with text for inhabitants",
        bad.csv_table(
            "grille_texte.csv",
            [
                "Idcar_200m;ind;men",
                "CRS3035RES200mN2387600E3728800;beaucoup;trois",
                "CRS3035RES200mN2387600E3729000;peu;deux",
            ],
        ),
    ),
    Case(
        "csv grid with ids that are not cell ids",
        bad.csv_table("grille_ids.csv", ["Idcar_200m;ind;men", "A1;12,5;5", "A2;3;1"]),
    ),
    Case(
        "csv grid with ragged rows",
        bad.csv_table(
            "grille_lignes.csv",
            ["Idcar_200m;ind;men", "CRS3035RES200mN2387600E3728800;12;5;9;9", ";;", "x"],
        ),
    ),
    Case(
        "csv given --as filosofi without its fields",
        bad.csv_table("autre.csv", ["code;nom", "1;a"]),
        args=("--as", "filosofi"),
    ),
    Case(
        "csv of digital assets with wrong columns",
        bad.csv_table("antennes.csv", ["station;operateur;lat;lon", "1;X;quarante;deux"]),
        args=("--as", "digital"),
    ),
]

GTFS_CASES = [
    Case("gtfs without stops.txt", bad.gtfs("sans_arrets.zip", without=("stops.txt",))),
    Case(
        "gtfs without stops.txt nor trips.txt",
        bad.gtfs("incomplet.zip", without=("stops.txt", "trips.txt")),
    ),
    Case(
        "gtfs with text for times",
        bad.gtfs("heures.zip", replace=bad.bad_stop_times(("7h00", "sept heures"))),
    ),
    Case(
        "gtfs with impossible times",
        bad.gtfs("heures2.zip", replace=bad.bad_stop_times(("25:99:00", "-1:00:00"))),
    ),
    Case(
        "gtfs with empty times everywhere",
        bad.gtfs("heures3.zip", replace=bad.bad_stop_times(("", ""))),
    ),
    Case(
        "gtfs with text coordinates",
        bad.gtfs(
            "coords.zip",
            replace={"stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,Gare,nord,est\n"},
        ),
    ),
    Case(
        "gtfs with only headers",
        bad.gtfs(
            "vide.zip",
            replace={
                name: text.splitlines()[0] + "\n"
                for name, text in bad.GTFS_BASE.items()
                if name in ("stops.txt", "stop_times.txt", "trips.txt")
            },
        ),
    ),
]

DEM_CASES = [
    Case(
        "dem all nodata",
        bad.dem("mnt_vide.tif", np.full((40, 40), -9999.0)),
        says=("no elevation values",),
    ),
    Case(
        "dem all NaN without nodata",
        bad.dem("mnt_nan.tif", np.full((40, 40), np.nan), nodata=None),
        says=("no elevation values",),
    ),
    Case(
        "dem without a crs",
        bad.dem("mnt_sans_crs.tif", np.full((40, 40), 300.0), crs=None),
        says=("--crs",),
    ),
    Case(
        "dem in metres declaring degrees",
        bad.dem("mnt_metres.tif", np.full((40, 40), 300.0), crs="EPSG:4326"),
        says=("not longitudes",),
    ),
    Case(
        "dem in degrees given --crs EPSG:2154",
        bad.dem("mnt_degres.tif", np.full((40, 40), 300.0), crs=None, degrees=True),
        args=("--crs", "EPSG:2154"),
    ),
    Case("dem cut in the middle", bad.truncated(bad.SAMPLES / "mnt_25m.tif", 0.5)),
    Case(
        "dem declaring a huge sparse grid",
        bad.sparse_dem("mnt_geant.tif", 60_000),
        says=("pixels", "clip it"),
    ),
]

OTHER_CASES = [
    Case("osm cut in the middle", bad.raw_text("coupe.osm", bad.OSM_TEXT[:300])),
    Case("osm without any building", bad.raw_text("vide.osm", '<osm version="0.6"></osm>\n')),
    Case("cityjson cut in the middle", bad.raw_text("coupe.city.json", bad.cityjson_text()[:400])),
    Case(
        "cityjson with vertex indices out of range",
        bad.raw_text("indices.city.json", bad.cityjson_text(vertices=[[0, 0, 0]])),
    ),
    Case(
        "cityjson without transform for integer vertices",
        bad.raw_text("sans_transform.city.json", bad.cityjson_text(transform=None)),
    ),
    Case(
        "cityjson of an unknown version",
        bad.raw_text("version.city.json", bad.cityjson_text(version="9.9")),
    ),
    Case(
        "cityjson without any building",
        bad.raw_text("vide.city.json", bad.cityjson_text(CityObjects={})),
    ),
    Case("an empty file", bad.raw_text("vide.geojson", "")),
    Case("a folder without GTFS files", bad.folder("dossier", {"notes.txt": "rien"})),
]

CASES = [
    *IFC_CASES,
    *RANDOM_CASES,
    *MAGIC_CASES,
    *MAGIC_AS_BUILDINGS,
    *GEOJSON_CASES,
    *SHAPEFILE_CASES,
    *CSV_CASES,
    *GTFS_CASES,
    *DEM_CASES,
    *OTHER_CASES,
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_bad_file_is_refused_in_one_line_and_the_project_is_unchanged(
    case: Case, project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = case.make(inputs)
    before = files_under(project.parent)
    outcome = run_twin(capsys, "import", project, path, *case.args)
    assert_refused_cleanly(outcome, path.name, *case.says)
    assert files_under(project.parent) == before  # no temporary file left either


#: Bad files given to every importer by name (``--as NAME`` skips the content sniffing).
FORCED_CASES = [
    *MAGIC_CASES,
    *MAGIC_AS_BUILDINGS[-1:],
    IFC_CASES[4],
    GTFS_CASES[2],
    CSV_CASES[1],
    DEM_CASES[0],
    OTHER_CASES[3],
]
IMPORTER_NAMES = [module.rsplit(".", 1)[1] for module in IMPORTER_MODULES]


@pytest.mark.parametrize("importer", IMPORTER_NAMES)
def test_every_importer_forced_onto_bad_files_refuses_them_in_one_line(
    importer: str, project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files_under(project.parent)
    for number, case in enumerate(FORCED_CASES):
        folder = inputs / str(number)
        folder.mkdir()
        path = case.make(folder)
        outcome = run_twin(capsys, "import", project, path, "--as", importer)
        assert outcome.status == 2, f"{case.id}: {outcome.err}"
        assert_refused_cleanly(outcome, path.name)
    assert files_under(project.parent) == before
