"""Benchmark: import a synthetic 100k-building BD TOPO-like GeoPackage and its Etalab parcels
into a project with LoD1 meshes built (read, validate, link to parcels, extrude).

Goal: at most 5 s and 2 GiB peak for 100k buildings. Run with
``.venv/bin/python -m pytest -m benchmark -s tests/benchmarks/test_import_benchmark.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from samples.synthetic import synthetic_buildings, synthetic_parcels


def write_sources(folder: Path, n_buildings: int) -> tuple[Path, Path]:
    """A BD TOPO v3-like ``batiment`` GeoPackage and an Etalab-like parcels GeoJSON."""
    buildings = synthetic_buildings(n_buildings, seed=11)
    usage = {
        "residential": "Résidentiel",
        "office": "Commercial et services",
        "retail": "Commercial et services",
        "public": "Sportif",
        "industrial": "Industriel",
        "annex": "Annexe",
    }
    bdtopo = buildings.rename(
        columns={
            "id": "cleabs",
            "height_m": "hauteur",
            "floors": "nombre_d_etages",
            "dwellings": "nombre_de_logements",
            "base_elevation_m": "altitude_minimale_sol",
        }
    ).drop(columns=["parent_id", "construction_year"])
    bdtopo["usage_1"] = buildings["use"].map(usage)
    bdtopo["nature"] = "Indifférenciée"
    bdtopo = bdtopo.drop(columns=["use"])
    bdtopo.loc[bdtopo.index % 10 == 0, "hauteur"] = None  # a tenth without a measured height
    gpkg = folder / "BDTOPO_batiment.gpkg"
    bdtopo.to_file(gpkg, layer="batiment", driver="GPKG")
    parcels = synthetic_parcels(n_buildings).to_crs("EPSG:4326")
    parcels["commune"] = parcels["id"].str[:5]
    parcels["prefixe"] = "000"
    parcels["section"] = parcels["id"].str[8:10]
    parcels["numero"] = parcels["id"].str[10:]
    geojson = folder / "cadastre-99001-parcelles.json"
    parcels.to_file(geojson, driver="GeoJSON")
    return gpkg, geojson


_IMPORT = """
import json, sys, time
from pathlib import Path
from importers.merge import merge_result
from importers.registry import read_file
from twin.city import City
from twin.lod1 import building_meshes

steps = {}
start = time.perf_counter()
city = City(name="benchmark")
for name in sys.argv[1:]:
    t = time.perf_counter()
    merge_result(city, read_file(Path(name), target_crs=city.crs))
    steps[Path(name).name] = time.perf_counter() - t
t = time.perf_counter()
meshes = building_meshes(city)
steps["LoD1"] = time.perf_counter() - t
buildings = city.layer("buildings")
print(json.dumps({
    "total_s": time.perf_counter() - start,
    "steps": steps,
    # VmHWM, not ru_maxrss: Linux keeps the parent's ru_maxrss across fork and exec.
    "max_rss_mib": next(int(line.split()[1]) for line in open("/proc/self/status")
                        if line.startswith("VmHWM")) / 1024,
    "buildings": len(buildings),
    "linked": int(buildings["parent_id"].str.len().eq(14).sum()),
    "meshes": meshes.n_objects,
}))
"""


@pytest.mark.benchmark
@pytest.mark.parametrize("n_buildings", [10_000, 100_000])
def test_import_with_parcels_and_lod1_figures(tmp_path: Path, n_buildings: int) -> None:
    gpkg, geojson = write_sources(tmp_path, n_buildings)
    # A fresh process, so its peak memory is the import's alone (tracemalloc would slow it).
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT, str(geojson), str(gpkg)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["buildings"] == n_buildings
    assert figures["linked"] == n_buildings  # every building found its parcel
    assert figures["meshes"] == n_buildings
    detail = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in figures["steps"].items())
    print(
        f"\nimport {n_buildings:>7} buildings + parcels with LoD1: {figures['total_s']:.2f} s "
        f"({detail}); process max RSS {figures['max_rss_mib']:.0f} MiB "
        "(goal: at most 5 s and 2 GiB)"
    )
