"""The inputs the fuzzer starts from: real files of the sample town and tiny ones made here.

A :class:`Seed` is one input as the user would give it: its files by name (a shapefile is
several), which one is given to the importer, and, for archives, the name of the zip its files
are packed into after mutation (so that mutations reach the CSV inside a GTFS feed, not only the
zip's bytes). :func:`seeds_by_target` lists them per fuzz target.
"""

from __future__ import annotations

import gzip
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio
import rasterio
from rasterio.transform import from_origin

from importers.bdtopo import SHAPEFILE_NAMES
from tests.importers.gtfs_feeds import BASE as GTFS_BASE
from tests.importers.test_cityjson import CityJSON
from tests.importers.test_osm import osm_xml, way
from tests.scenarios.edit_city import edit_city
from twin.city import City
from twin.project import save_project

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "data"
X0, Y0 = 665_000.0, 6_357_000.0  # the sample town (Lambert-93)
LAMBERT93_URL = "https://www.opengis.net/def/crs/EPSG/0/2154"
#: BD TOPO building fields → their 10-character names in BATIMENT.shp.
BATI = {
    "cleabs": "ID",
    "hauteur": "HAUTEUR",
    "nombre_d_etages": "NB_ETAGES",
    "nombre_de_logements": "NB_LOGTS",
    **{long: short for short, long in SHAPEFILE_NAMES.items() if long in ("nature", "usage_1")},
}


@dataclass(frozen=True)
class Seed:
    """One input: ``files`` by name, the ``main`` one given to the importer; packed into a zip
    named ``archive`` when it is set (then ``main`` is the zip)."""

    name: str
    files: dict[str, bytes]
    main: str
    archive: str = ""

    def packed(self, files: dict[str, bytes] | None = None) -> dict[str, bytes]:
        """The files as written: ``files`` (default: the seed's) zipped when it is an archive."""
        files = self.files if files is None else files
        if not self.archive or self.archive in files:
            return files
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return {self.archive: buffer.getvalue()}

    def write(self, folder: Path, files: dict[str, bytes] | None = None) -> Path:
        """Write the (possibly mutated) ``files`` into ``folder``; the path to import."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.packed(files).items():
            (folder / name).write_bytes(data)
        return folder / self.main


@dataclass(frozen=True)
class FuzzInput:
    """One input: files to write (by name) and the name given to the importer."""

    description: str
    files: dict[str, bytes]
    main: str

    def write(self, folder: Path) -> Path:
        """Write the files into ``folder`` and return the path to read."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        return folder / self.main


def _real(name: str) -> Seed:
    return Seed(name, {name: (SAMPLES / name).read_bytes()}, name)


def _files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _shapefile(
    source: str, layer: str, rows: int, name: str, fields: dict[str, str] | None = None
) -> Seed:
    """The first ``rows`` features of a sample GeoPackage layer as a shapefile (5 files), its
    fields renamed by ``fields`` (only those kept) when given."""
    frame = pyogrio.read_dataframe(SAMPLES / source, layer=layer, max_features=rows)
    if fields is not None:
        frame = frame[[*fields, "geometry"]].rename(columns=fields)
    with tempfile.TemporaryDirectory() as folder:
        pyogrio.write_dataframe(frame, Path(folder) / f"{name}.shp", encoding="UTF-8")
        files = _files_of(Path(folder))
    return Seed(f"{name}.shp", files, f"{name}.shp")


def _project(city: City, name: str) -> Seed:
    with tempfile.TemporaryDirectory() as folder:
        path = save_project(city, Path(folder) / name)
        return Seed(name, {name: path.read_bytes()}, name)


def _tiny_dem() -> Seed:
    heights = (100 + np.arange(64, dtype=np.float32).reshape(8, 8)) / 2
    heights[0, :3] = -99999.0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mnt.tif"
        profile = {"driver": "GTiff", "width": 8, "height": 8, "count": 1, "dtype": "float32"}
        transform = from_origin(X0, Y0 + 200, 25, 25)
        with rasterio.open(
            path, "w", **profile, crs="EPSG:2154", transform=transform, nodata=-99999.0
        ) as tif:
            tif.write(heights, 1)
        return Seed("mnt.tif", {"mnt.tif": path.read_bytes()}, "mnt.tif")


def _tiny_cityjson() -> list[Seed]:
    model = CityJSON(version="2.0", crs=LAMBERT93_URL, origin=(X0, Y0))
    model.add("maison", "Building", [model.solid("2.2", X0 + 5, Y0 + 5, 10, 8, 120, 6, 9)])
    model.add("garage", "Building", [model.lod0(X0 + 30, Y0 + 5, 6, 5, 120)], attributes={})
    text = json.dumps(model.document())
    lines = [json.dumps({**model.document(), "CityObjects": {}, "vertices": []})]
    lines.append(
        json.dumps(
            {
                "type": "CityJSONFeature",
                "id": "maison",
                "CityObjects": {"maison": model.objects["maison"]},
                "vertices": model.vertices,
            }
        )
    )
    return [
        Seed("tuile.city.json", {"tuile.city.json": text.encode()}, "tuile.city.json"),
        Seed(
            "tuile.city.jsonl", {"tuile.city.jsonl": "\n".join(lines).encode()}, "tuile.city.jsonl"
        ),
    ]


def _tiny_osm() -> Seed:
    ways = way(1, [0, 1, 11, 10, 0], building="house", height="7.5", building__levels="2")
    ways += way(2, [20, 21, 22, 23], highway="residential", name="Rue Haute", oneway="yes")
    data = osm_xml(ways)
    return Seed("extrait.osm", {"extrait.osm": data}, "extrait.osm")


def _tiny_geojson() -> Seed:
    features = [
        {
            "type": "Feature",
            "properties": {"id": f"B{k}", "hauteur": 6.5 + k, "usage": "Résidentiel"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [X0 + 20 * k, Y0],
                        [X0 + 20 * k + 12, Y0],
                        [X0 + 20 * k + 12, Y0 + 9],
                        [X0 + 20 * k, Y0 + 9],
                        [X0 + 20 * k, Y0],
                    ]
                ],
            },
        }
        for k in range(3)
    ]
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": features,
    }
    return Seed(
        "batiments.geojson",
        {"batiments.geojson": json.dumps(document).encode()},
        "batiments.geojson",
    )


def _filosofi_csv() -> Seed:
    text = (
        "Idcar_200m,Ind,Men,Men_pauv,Ind_snv\n"
        "CRS3035RES200mN2250000E3700000,12.5,5,1,250000\n"
        "CRS3035RES200mN2250200E3700000,3,1.5,0,61000.5\n"
    )
    return Seed("filosofi.csv", {"filosofi.csv": text.encode()}, "filosofi.csv")


def seeds_by_target() -> dict[str, list[Seed]]:
    """Every fuzz target (``project``, each importer, ``auto``: every importer's seeds without
    ``--as``) and the seeds it starts from."""
    gtfs_real = zipfile.ZipFile(SAMPLES / "gtfs_valmont.zip")
    gtfs_members = {name: gtfs_real.read(name) for name in gtfs_real.namelist()}
    communes = (SAMPLES / "communes.json").read_bytes()
    empty = City("EPSG:2154", name="Vide")
    by_target = {
        "project": [_project(edit_city(), "bourg.twin.gpkg"), _project(empty, "vide.twin.gpkg")],
        "cadastre": [
            _real("cadastre-12991-parcelles.json"),
            _real("communes.json"),
            Seed(
                "communes.json.gz",
                {"communes.json.gz": gzip.compress(communes)},
                "communes.json.gz",
            ),
        ],
        "iris": [
            _real("contours_iris.gpkg"),
            _shapefile("contours_iris.gpkg", "contours_iris", 4, "CONTOURS-IRIS"),
        ],
        "bdtopo": [
            _real("bdtopo.gpkg"),
            _shapefile("bdtopo.gpkg", "batiment", 12, "BATIMENT", BATI),
        ],
        "osm": [_tiny_osm()],
        "cityjson": _tiny_cityjson(),
        "dem": [_real("mnt_25m.tif"), _tiny_dem()],
        "ifc": [
            _real("mairie.ifc"),
            Seed(
                "mairie.ifczip",
                {"mairie.ifc": (SAMPLES / "mairie.ifc").read_bytes()},
                "mairie.ifczip",
                archive="mairie.ifczip",
            ),
        ],
        "gtfs": [
            _real("gtfs_valmont.zip"),
            Seed("gtfs.zip", gtfs_members, "gtfs.zip", archive="gtfs.zip"),
            Seed(
                "petit-gtfs.zip",
                {k: v.encode() for k, v in GTFS_BASE.items()},
                "petit-gtfs.zip",
                archive="petit-gtfs.zip",
            ),
        ],
        "filosofi": [_real("filosofi_200m.gpkg"), _filosofi_csv()],
        "digital": [_real("infrastructure_numerique.gpkg")],
        "vector": [
            _tiny_geojson(),
            _shapefile(
                "bdtopo.gpkg", "batiment", 6, "bati", {"cleabs": "id", "hauteur": "hauteur"}
            ),
        ],
    }
    by_target["auto"] = [
        seed for name, seeds in by_target.items() if name != "project" for seed in seeds
    ]
    return by_target
