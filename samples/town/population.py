"""INSEE Filosofi-like 200 m population grid, derived from the dwellings of the buildings.

Cells are the squares of INSEE's ETRS89-LAEA (EPSG:3035) 200 m grid, identified by their
lower-left corner, and reprojected to Lambert-93.  Each cell holds about 2.2 inhabitants
and 0.9 household per dwelling of its residential buildings.  Two cells next to built-up
ones receive a few inhabitants without any residential building, as real data shows where
BD TOPO misses a dwelling or Filosofi places a household at its address point.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely import Polygon

from samples.town.frame import LAEA_EUROPE, LAMBERT93, reproject_xy, to_l93
from samples.town.model import Building
from samples.town.writers import write_layer

log = logging.getLogger(__name__)

CELL = 200
PERSONS_PER_DWELLING = 2.2
HOUSEHOLDS_PER_DWELLING = 0.9
AGE_CLASSES = (
    "Ind_0_3",
    "Ind_4_5",
    "Ind_6_10",
    "Ind_11_17",
    "Ind_18_24",
    "Ind_25_39",
    "Ind_40_54",
    "Ind_55_64",
    "Ind_65_79",
    "Ind_80p",
)
AGE_SHARES = (0.035, 0.02, 0.055, 0.08, 0.06, 0.15, 0.19, 0.14, 0.18, 0.09)
PERIODS = ("Log_av45", "Log_45_70", "Log_70_90", "Log_ap90", "Log_inc")


def _period(year: int | None) -> str:
    if year is None:
        return "Log_inc"
    if year < 1945:
        return "Log_av45"
    if year < 1970:
        return "Log_45_70"
    if year < 1990:
        return "Log_70_90"
    return "Log_ap90"


def cell_of(x_l93: float, y_l93: float) -> tuple[int, int]:
    """(north, east) of the lower-left corner of the 3035 cell holding a Lambert-93 point."""
    e, n = reproject_xy(np.array([x_l93]), np.array([y_l93]), LAMBERT93, LAEA_EUROPE)
    return int(n[0] // CELL * CELL), int(e[0] // CELL * CELL)


def idcar(north: int, east: int) -> str:
    """INSEE's cell identifier, e.g. ``CRS3035RES200mN2387600E3728800``."""
    return f"CRS3035RES200mN{north}E{east}"


def cell_polygon(north: int, east: int) -> Polygon:
    """The 3035 square of a cell, reprojected to Lambert-93."""
    es = np.array([east, east + CELL, east + CELL, east, east], dtype=float)
    ns = np.array([north, north, north + CELL, north + CELL, north], dtype=float)
    x, y = reproject_xy(es, ns, LAEA_EUROPE, LAMBERT93)
    return Polygon(np.column_stack([x, y]))


def dwellings_by_cell(buildings: list[Building]) -> dict[tuple[int, int], dict[str, float]]:
    """Dwellings per cell, split by construction period and social housing."""
    cells: dict[tuple[int, int], dict[str, float]] = {}
    for b in buildings:
        if not b.dwellings:
            continue
        c = to_l93(b.footprint).centroid
        stats = cells.setdefault(cell_of(c.x, c.y), dict.fromkeys((*PERIODS, "Log_soc", "D"), 0.0))
        stats["D"] += b.dwellings
        stats[_period(b.year)] += b.dwellings
        if b.social:
            stats["Log_soc"] += b.dwellings
    return cells


def _hidden_cells(
    cells: dict[tuple[int, int], dict[str, float]], rng: np.random.Generator, count: int = 2
) -> None:
    """Add inhabited cells without residential building next to built-up cells."""
    candidates = sorted(
        {(n + dn, e + de) for n, e in cells for dn in (-CELL, 0, CELL) for de in (-CELL, 0, CELL)}
        - set(cells)
    )
    for index in rng.choice(len(candidates), size=count, replace=False):
        d = float(rng.integers(2, 5))
        stats = dict.fromkeys((*PERIODS, "Log_soc"), 0.0)
        stats.update({"Log_av45": d, "D": d, "hidden": 1.0})
        cells[candidates[int(index)]] = stats


def filosofi_frame(buildings: list[Building], rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The ``filosofi_200m`` layer."""
    cells = dwellings_by_cell(buildings)
    _hidden_cells(cells, rng)
    rows = []
    for (north, east), s in sorted(cells.items()):
        d = s["D"]
        ind = round(d * PERSONS_PER_DWELLING * (1.0 + rng.normal(0.0, 0.04)), 1)
        men = round(d * HOUSEHOLDS_PER_DWELLING * (1.0 + rng.normal(0.0, 0.03)), 1)
        poor = rng.uniform(0.06, 0.16) + 0.2 * s["Log_soc"] / d
        ages = rng.dirichlet(np.asarray(AGE_SHARES) * 150.0) * ind
        ages = np.round(ages, 1)
        ages[-1] = max(0.0, round(ind - ages[:-1].sum(), 1))
        row: dict[str, object] = {
            "Idcar_200m": idcar(north, east),
            "Ind": ind,
            "Men": men,
            "Men_pauv": round(men * poor, 1),
        }
        row.update({name: float(v) for name, v in zip(AGE_CLASSES, ages, strict=True)})
        row.update({name: float(s[name]) for name in (*PERIODS, "Log_soc")})
        row["geometry"] = cell_polygon(north, east)
        rows.append(row)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)
    log.info("Filosofi: %d cells, %.0f inhabitants", len(frame), frame["Ind"].sum())
    return frame


def write_filosofi(buildings: list[Building], path: Path, rng: np.random.Generator) -> Path:
    """Write ``filosofi_200m.gpkg`` (layer ``filosofi_200m``)."""
    frame = filosofi_frame(buildings, rng)
    write_layer(frame, path, "filosofi_200m")
    return path
