"""Entry point: generate the whole sample territory into a folder."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import shapely

from samples.town.bdtopo import floor_level, write_bdtopo
from samples.town.buildings import place_buildings
from samples.town.cadastre import TOWN_HALL_BOX, all_parcels
from samples.town.digital import write_digital
from samples.town.etalab import write_communes, write_parcels
from samples.town.frame import LAMBERT93, ROTATION_DEG, WGS84, local_to_l93_xy, reproject_xy, to_l93
from samples.town.gtfs import write_gtfs
from samples.town.ifc_building import Georeference, write_townhall
from samples.town.iris import write_iris
from samples.town.layout import HAMLET_GRID, TOWN_GRID, territory
from samples.town.model import RURAL_INSEE, TOWN_INSEE
from samples.town.population import write_filosofi
from samples.town.roads import country_roads
from samples.town.terrain import build_terrain, write_dem

log = logging.getLogger(__name__)

FILES = {
    "communes": "communes.json",
    "parcelles_12990": f"cadastre-{TOWN_INSEE}-parcelles.json",
    "parcelles_12991": f"cadastre-{RURAL_INSEE}-parcelles.json",
    "iris": "contours_iris.gpkg",
    "bdtopo": "bdtopo.gpkg",
    "dem": "mnt_25m.tif",
    "gtfs": "gtfs_valmont.zip",
    "filosofi": "filosofi_200m.gpkg",
    "digital": "infrastructure_numerique.gpkg",
    "ifc": "mairie.ifc",
}
"""Key and file name of every generated file."""
STAGES = (
    "territory",
    "terrain",
    "roads",
    "cadastre",
    "buildings",
    "bdtopo",
    "filosofi",
    "digital",
    "ifc",
    "parcel_attributes",
)


def generate_sample_town(outdir: Path, seed: int = 2154) -> dict[str, Path]:
    """Generate the fictional territory of Valmont-sur-Aveyron into ``outdir``.

    The same seed always gives the same files.  Each stage draws from its own random
    stream, so that changing one product does not reshuffle the others.  Returns the path
    of each file by key (see :data:`FILES`).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {key: outdir / name for key, name in FILES.items()}
    for path in paths.values():
        path.unlink(missing_ok=True)
    streams = np.random.SeedSequence(seed).spawn(len(STAGES))
    rng = {stage: np.random.default_rng(s) for stage, s in zip(STAGES, streams, strict=True)}

    town, rural = territory(rng["territory"])
    communes = {TOWN_INSEE: town, RURAL_INSEE: rural}
    area = shapely.union_all([town, rural])
    terrain = build_terrain(to_l93(area).bounds, rng["terrain"])
    country, lanes = country_roads(area.buffer(300.0), rng["roads"])
    roads = TOWN_GRID.roads() + HAMLET_GRID.roads() + country
    parcels = all_parcels(roads, lanes, communes, rng["cadastre"])
    buildings = place_buildings(parcels, rng["buildings"])
    log.info("%d parcels, %d buildings, %d road sections", len(parcels), len(buildings), len(roads))

    write_communes(communes, paths["communes"])
    for insee in (TOWN_INSEE, RURAL_INSEE):
        write_parcels(parcels, insee, paths[f"parcelles_{insee}"], rng["parcel_attributes"])
    write_iris(communes, paths["iris"])
    write_dem(terrain, paths["dem"])
    write_bdtopo(paths["bdtopo"], buildings, roads, communes, terrain, rng["bdtopo"])
    write_gtfs(paths["gtfs"])
    write_filosofi(buildings, paths["filosofi"], rng["filosofi"])
    write_digital(roads, buildings, paths["digital"], rng["digital"])

    hall = shapely.box(*TOWN_HALL_BOX)
    x, y = local_to_l93_xy(TOWN_HALL_BOX[0], TOWN_HALL_BOX[1])
    lon, lat = reproject_xy(x, y, LAMBERT93, WGS84)
    geo = Georeference(
        eastings=round(float(x), 3),
        northings=round(float(y), 3),
        orthogonal_height=floor_level(to_l93(hall), terrain),
        rotation_deg=ROTATION_DEG,
        latitude=float(lat),
        longitude=float(lon),
    )
    write_townhall(paths["ifc"], geo, rng["ifc"])
    return paths
