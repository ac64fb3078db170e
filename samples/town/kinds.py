"""Descriptions of the building kinds: BD TOPO nature, usage, floors, dwellings, materials.

Material codes follow BD TOPO (taken from the Fichiers fonciers): two characters, one per
material, "0" meaning none; walls 1 stone, 3 concrete, 4 brick, 5 breeze block, 6 wood;
roofs 1 tiles, 2 slates, 3 metal sheets, 4 concrete.
"""

from __future__ import annotations

import numpy as np
from shapely import Polygon

from samples.town.model import Building

AGRI = "Industriel, agricole ou commercial"


def _year(rng: np.random.Generator, lo: int, hi: int, known: float) -> int | None:
    return int(rng.integers(lo, hi + 1)) if rng.random() < known else None


def _pick(rng: np.random.Generator, values: tuple[str, ...], weights: tuple[float, ...]) -> str:
    p = np.asarray(weights, dtype=float)
    return str(values[int(rng.choice(len(values), p=p / p.sum()))])


def describe(
    kind: str, footprint: Polygon, parcel: int, commune: str, rng: np.random.Generator
) -> Building:
    """Build the :class:`Building` of a given kind with seeded attributes."""
    b = Building(footprint=footprint, parcel=parcel, commune=commune, kind=kind)
    area = footprint.area
    if kind in ("terrace", "courtyard"):
        b.floors = int(rng.choice([2, 3, 3, 4])) if kind == "terrace" else 3
        shop = rng.random() < 0.45
        if shop:
            b.usage_2 = "Commercial et services"
        per_floor = max(1, round(area / 60.0))
        b.dwellings = max(1, (b.floors - (1 if shop else 0)) * per_floor)
        b.eave = b.floors * 2.9 + 0.5 + rng.uniform(-0.3, 0.3)
        b.roof_rise = rng.uniform(2.5, 3.8)
        b.year = _year(rng, 1720, 1910, 0.7)
        b.walls = _pick(rng, ("10", "13", "00"), (6, 2, 1))
        b.roof = _pick(rng, ("20", "10"), (7, 3))
    elif kind in ("townhouse", "village_house"):
        b.floors = int(rng.choice([1, 2, 2, 2]))
        b.dwellings = 1 if b.floors == 1 or rng.random() < 0.7 else 2
        b.eave = b.floors * 2.8 + 0.4 + rng.uniform(-0.2, 0.3)
        b.roof_rise = rng.uniform(2.5, 3.5)
        if kind == "townhouse":
            b.year = _year(rng, 1870, 1965, 0.8)
            b.walls = _pick(rng, ("10", "50", "40"), (5, 3, 1))
        else:
            b.year = _year(rng, 1750, 1930, 0.6)
            b.walls = "10"
        b.roof = _pick(rng, ("20", "10"), (6, 4))
    elif kind == "house":
        b.floors = 1 if rng.random() < 0.55 else 2
        b.dwellings = 1
        b.eave = 2.7 if b.floors == 1 else 5.5
        b.eave += rng.uniform(-0.2, 0.3)
        b.roof_rise = rng.uniform(2.2, 3.2)
        b.year = _year(rng, 1962, 2021, 0.93)
        b.walls = _pick(rng, ("50", "30", "40", "15"), (6, 2, 2, 1))
        b.roof = _pick(rng, ("10", "20"), (8, 2))
    elif kind == "apartment":
        b.floors = int(rng.choice([4, 5, 5]))
        b.dwellings = b.floors * max(2, round(area / 85.0))
        b.social = True
        b.eave = b.floors * 2.75 + 0.4
        b.roof_rise = 0.8
        b.year = int(rng.integers(1966, 1980))
        b.walls, b.roof = "30", "40"
    elif kind in ("annex", "garage"):
        b.usage_1 = "Annexe"
        b.floors = 1 if rng.random() < 0.8 else None
        b.light = kind == "annex" and rng.random() < 0.3
        b.eave = rng.uniform(2.2, 2.8)
        b.roof_rise = rng.uniform(0.6, 1.5)
        b.height_known = rng.random() < 0.85
        b.year = _year(rng, 1960, 2020, 0.3)
    elif kind in ("townhall", "school"):
        b.usage_1 = "Indifférencié"
        b.floors = 3 if kind == "townhall" else 2
        b.eave = 10.8 if kind == "townhall" else 7.2
        b.roof_rise = 4.0 if kind == "townhall" else 2.8
        b.year = 1884 if kind == "townhall" else 1958
        b.walls, b.roof = ("10", "20") if kind == "townhall" else (None, None)
    elif kind in ("church", "chapel"):
        b.nature = "Église" if kind == "church" else "Chapelle"
        b.usage_1 = "Religieux"
        b.floors = None
        b.eave = 14.0 if kind == "church" else 6.5
        b.roof_rise = 6.0 if kind == "church" else 3.5
    elif kind in ("gym", "clubhouse", "canteen"):
        b.usage_1 = "Sportif" if kind != "canteen" else "Indifférencié"
        b.floors = 1 if rng.random() < 0.8 else None
        b.eave = 8.5 if kind == "gym" else 3.2
        b.roof_rise = 1.5 if kind == "gym" else 1.0
        b.year = {"gym": 1987, "clubhouse": 1994, "canteen": 1975}[kind]
    elif kind == "preau":
        b.usage_1 = "Indifférencié"
        b.light = True
        b.floors = None
        b.eave, b.roof_rise = 3.5, 0.5
    elif kind in ("supermarket", "workshop", "car_repair"):
        b.nature = AGRI
        b.usage_1 = "Commercial et services" if kind != "workshop" else "Industriel"
        b.usage_2 = "Industriel" if kind == "car_repair" else None
        b.floors = 1 if rng.random() < 0.75 else None
        b.eave = rng.uniform(5.5, 7.5)
        b.roof_rise = rng.uniform(0.8, 1.5)
        b.year = _year(rng, 1978, 2012, 0.8)
    elif kind == "farmhouse":
        b.usage_2 = "Agricole" if rng.random() < 0.4 else None
        b.floors = 2
        b.dwellings = 1
        b.eave = 5.6 + rng.uniform(-0.2, 0.4)
        b.roof_rise = rng.uniform(3.0, 4.0)
        b.year = _year(rng, 1760, 1935, 0.6)
        b.walls = "10"
        b.roof = _pick(rng, ("20", "10"), (6, 4))
    elif kind in ("barn", "shed", "grange"):
        b.nature = AGRI if kind != "grange" else "Indifférenciée"
        b.usage_1 = "Agricole"
        b.light = kind == "shed"
        b.floors = 1 if rng.random() < 0.6 else None
        b.eave = {
            "barn": rng.uniform(6.0, 8.0),
            "shed": rng.uniform(4.5, 6.0),
            "grange": rng.uniform(4.5, 5.5),
        }[kind]
        b.roof_rise = rng.uniform(1.5, 3.5)
        b.year = _year(rng, 1955, 2008, 0.5) if kind != "grange" else _year(rng, 1800, 1920, 0.3)
        b.height_known = rng.random() < 0.9
    else:
        raise ValueError(f"unknown building kind {kind!r}")
    b.eave = round(b.eave, 1)
    b.roof_rise = round(b.roof_rise, 1)
    return b
