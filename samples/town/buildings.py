"""Building footprints placed inside the parcels, by urban programme.

The town centre is terraced along the streets (some blocks with a closed courtyard), the
faubourgs have town houses, the outskirts detached houses with a garage, the social
housing estate long slabs, and farmsteads a house, barns and sheds.  Footprints never
overlap and always stay inside their parcel.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import shapely
from shapely import Polygon

from samples.town.cadastre import TOWN_HALL_BOX
from samples.town.kinds import describe
from samples.town.model import Building, Frontage, Parcel

log = logging.getLogger(__name__)
EDGE = 0.15
"""Gap kept between a footprint and its parcel boundary on the street and party walls."""


def _clean(poly: shapely.Geometry) -> Polygon:
    poly = shapely.simplify(shapely.union_all([poly]), 0.01)
    if not isinstance(poly, Polygon):
        raise ValueError("footprint is not a single polygon")
    return poly.normalize()


def _fits(poly: Polygon, parcel: Parcel, placed: list[Polygon], margin: float = 0.0) -> bool:
    if not parcel.polygon.contains(poly):
        return False
    return all(
        poly.intersection(other).area < 1e-6 and poly.distance(other) >= margin for other in placed
    )


def _terrace(f: Frontage, rng: np.random.Generator, courtyard: bool) -> tuple[Polygon, bool]:
    w, d = f.width, f.depth
    if courtyard:
        depth = min(d - 1.0, rng.uniform(22.0, 25.0))
        outer = f.rect(EDGE, EDGE, w - EDGE, depth)
        hole = f.rect(3.5, 8.0, w - 3.5, depth - 3.5)
        return _clean(outer.difference(hole)), True
    depth = min(d - 3.0, rng.uniform(10.0, 14.0))
    poly = f.rect(EDGE, EDGE, w - EDGE, depth)
    if d - depth >= 9.0 and rng.random() < 0.4:
        ww = w * rng.uniform(0.4, 0.6)
        s0 = EDGE if rng.random() < 0.5 else w - EDGE - ww
        poly = poly.union(f.rect(s0, depth, s0 + ww, depth + rng.uniform(5.0, 8.0)))
    return _clean(poly), False


def _rear_annex(f: Frontage, rng: np.random.Generator, size: tuple[float, float]) -> Polygon:
    aw, ad = size
    s0 = 1.0 if rng.random() < 0.5 else f.width - 1.0 - aw
    return f.rect(s0, f.depth - 1.0 - ad, s0 + aw, f.depth - 1.0)


def _town_house(f: Frontage, rng: np.random.Generator, village: bool) -> Polygon:
    w, d = f.width, f.depth
    t0 = EDGE if rng.random() < (0.7 if village else 0.55) else rng.uniform(2.0, 4.0)
    gap = 0.0 if rng.random() < 0.5 else rng.uniform(3.0, 4.0)
    left = rng.random() < 0.5
    s0, s1 = (EDGE + gap, w - EDGE) if left else (EDGE, w - EDGE - gap)
    depth = rng.uniform(8.0, 12.0)
    poly = f.rect(s0, t0, s1, t0 + depth)
    if d - t0 - depth >= 12.0 and rng.random() < 0.3:
        ww = (s1 - s0) * rng.uniform(0.35, 0.5)
        poly = poly.union(f.rect(s0, t0 + depth, s0 + ww, t0 + depth + rng.uniform(4.0, 6.0)))
    return _clean(poly)


def _house(f: Frontage, rng: np.random.Generator) -> tuple[Polygon, Polygon | None]:
    w, d = f.width, f.depth
    hw = min(rng.uniform(9.0, 13.0), w - 7.0)
    hd = min(rng.uniform(8.0, 11.0), d - 15.0)
    t0 = rng.uniform(5.0, 8.0)
    s0 = rng.uniform(3.0, w - hw - 3.0)
    poly = f.rect(s0, t0, s0 + hw, t0 + hd)
    if rng.random() < 0.45:
        ww, wd = rng.uniform(4.0, 6.0), rng.uniform(4.0, 6.0)
        ws = s0 if rng.random() < 0.5 else s0 + hw - ww
        poly = poly.union(f.rect(ws, t0 + hd, ws + ww, t0 + hd + wd))
    garage = None
    if rng.random() < 0.6:
        if w - (s0 + hw) - 3.0 >= 3.6:
            garage = f.rect(s0 + hw, t0 + 1.0, s0 + hw + 3.5, t0 + 7.0)
        elif s0 - 3.0 >= 3.6:
            garage = f.rect(s0 - 3.5, t0 + 1.0, s0, t0 + 7.0)
        else:
            garage = _rear_annex(f, rng, (3.0, 3.5))
    return _clean(poly), garage


def _slab(f: Frontage, rng: np.random.Generator) -> list[Polygon]:
    """A social-housing slab along the longer side of the lot and a row of garages."""
    w, d = f.width, f.depth
    if w >= d:
        length = min(w - 12.0, rng.uniform(55.0, 70.0))
        return [
            f.rect((w - length) / 2, 10.0, (w + length) / 2, 22.0),
            f.rect(6.0, d - 11.0, 21.0, d - 5.0),
        ]
    length = min(d - 14.0, rng.uniform(55.0, 70.0))
    s0 = (w - 12.0) / 2
    return [f.rect(s0, 8.0, s0 + 12.0, 8.0 + length), f.rect(1.0, d - 8.0, 15.0, d - 2.0)]


def _church(f: Frontage, chapel: bool) -> Polygon:
    """A Latin cross with a polygonal apse, nave perpendicular to the street."""
    k = 0.55 if chapel else 1.0
    mid = f.width / 2
    nave = f.rect(mid - 6 * k, 8.0 * k, mid + 6 * k, 38.0 * k)
    transept = f.rect(mid - 12 * k, 26.0 * k, mid + 12 * k, 34.0 * k)
    apse = [
        f.to_local(mid + 6 * k * math.cos(a), 38.0 * k + 5 * k * math.sin(a))
        for a in np.linspace(0.0, math.pi, 7)
    ]
    return _clean(shapely.union_all([nave, transept, Polygon(apse)]))


def _farm(parcel: Parcel, index: int, rng: np.random.Generator) -> list[tuple[str, Polygon]]:
    """A farmstead: house, barns and sheds around the end of the access lane."""
    assert parcel.site is not None
    out: list[tuple[str, Polygon]] = []
    placed: list[Polygon] = []
    inner = parcel.polygon.buffer(-3.0)
    angle = rng.uniform(0, math.pi)
    plan = [
        ("farmhouse", 14.0, 9.0),
        ("barn", rng.uniform(28, 42), rng.uniform(13, 18)),
        ("shed", rng.uniform(18, 26), rng.uniform(9, 12)),
        ("annex", 6.0, 4.5),
    ]
    if rng.random() < 0.6:
        plan.insert(2, ("barn", rng.uniform(20, 30), rng.uniform(11, 15)))
    if rng.random() < 0.5:
        plan.append(("shed", rng.uniform(10, 14), rng.uniform(6, 8)))
    for kind, length, width in plan:
        for _attempt in range(60):
            r = rng.uniform(0.0, 45.0)
            a = rng.uniform(0, 2 * math.pi)
            cx = parcel.site.x + r * math.cos(a)
            cy = parcel.site.y + r * math.sin(a)
            rect = shapely.affinity.rotate(
                shapely.box(-length / 2, -width / 2, length / 2, width / 2),
                angle + (math.pi / 2 if rng.random() < 0.3 else 0.0),
                use_radians=True,
                origin=(0, 0),
            )
            poly = shapely.affinity.translate(rect, cx, cy).normalize()
            if inner.contains(poly) and all(poly.distance(p) > 4.0 for p in placed):
                out.append((kind, poly))
                placed.append(poly)
                break
        else:
            log.debug("farm %d: no room for a %s", index, kind)
    return out


def _shapes(parcel: Parcel, index: int, rng: np.random.Generator) -> list[tuple[str, Polygon]]:
    """Kinds and footprints of the buildings of one parcel."""
    f = parcel.frontage
    zone = parcel.zone
    if zone == "farm":
        return _farm(parcel, index, rng)
    if zone == "field":
        c = parcel.polygon.representative_point()
        barn = shapely.box(c.x - 5, c.y - 4, c.x + 5, c.y + 4)
        if rng.random() < 0.15 and parcel.polygon.buffer(-2.0).contains(barn):
            return [("grange", barn.normalize())]
        return []
    assert f is not None
    if zone == "townhall":
        return [("townhall", shapely.box(*TOWN_HALL_BOX).normalize())]
    if zone in ("church", "chapel"):
        return [(zone, _church(f, zone == "chapel"))]
    if zone == "centre":
        courtyard = f.width >= 14.5 and f.depth >= 27.0 and rng.random() < 0.45
        main, closed = _terrace(f, rng, courtyard)
        out = [("courtyard" if closed else "terrace", main)]
        if not closed and rng.random() < 0.45:
            out.append(("annex", _rear_annex(f, rng, (rng.uniform(3, 4.5), rng.uniform(3, 5)))))
        return out
    if zone in ("faubourg", "village"):
        village = zone == "village"
        out = [("village_house" if village else "townhouse", _town_house(f, rng, village))]
        if rng.random() < (0.5 if village else 0.45):
            size = (rng.uniform(7, 11), rng.uniform(6, 8)) if village else (3.5, 6.0)
            out.append(("grange" if village else "garage", _rear_annex(f, rng, size)))
        return out
    if zone == "house":
        house, garage = _house(f, rng)
        out = [("house", house)]
        if garage is not None:
            out.append(("garage", garage))
        if rng.random() < 0.35:
            out.append(("annex", _rear_annex(f, rng, (2.5, 3.0))))
        return out
    if zone == "social":
        slab, garages = _slab(f, rng)
        return [("apartment", slab), ("garage", garages)]
    if zone == "school":
        return [
            ("school", _clean(f.rect(8, 8, 55, 19).union(f.rect(8, 19, 19, 45)))),
            ("canteen", f.rect(35, 32, 55, 42)),
            ("preau", f.rect(24, 50, 40, 57)),
        ]
    if zone == "sport":
        return [("gym", f.rect(6, 8, 46, 32)), ("clubhouse", f.rect(52, 8, 68, 16))]
    if zone == "activity":
        kind = "supermarket" if index % 4 == 0 else ("car_repair" if index % 4 == 1 else "workshop")
        return [(kind, f.rect(5.0, 9.0, f.width - 5.0, f.depth - 6.0))]
    raise ValueError(f"no building programme for zone {zone!r}")


def place_buildings(parcels: list[Parcel], rng: np.random.Generator) -> list[Building]:
    """Footprints and descriptions of all buildings, in parcel order."""
    buildings: list[Building] = []
    for index, parcel in enumerate(parcels):
        placed: list[Polygon] = []
        for kind, poly in _shapes(parcel, index, rng):
            if not _fits(poly, parcel, placed):
                log.debug("parcel %s: %s does not fit, skipped", parcel.ident, kind)
                continue
            placed.append(poly)
            buildings.append(describe(kind, poly, index, parcel.commune, rng))
    return buildings
