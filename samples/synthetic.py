"""Synthetic city: deterministic, realistic-looking building footprints for benchmarks and tests.

Buildings are laid on a grid of lots (one building per lot) grouped in blocks separated by
streets, so footprints never overlap. Shapes are L, T and U plans, rectangles with a front
notch and a back bay, and a few rectangles with a courtyard hole; each exterior ring has 10
to 15 vertices (small survey-like kinks are added on some edges). Everything is vectorised
per shape family: 100 000 buildings take about half a second.

All coordinates are Lambert-93 (EPSG:2154) metres.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely

logger = logging.getLogger(__name__)

CRS_LAMBERT93 = "EPSG:2154"
USES = np.array(["residential", "office", "retail", "public", "industrial", "annex"])
_USE_PROBABILITIES = np.array([0.62, 0.1, 0.1, 0.04, 0.04, 0.1])

LOT_SIZE_M = 46.0
"""Side of the square lot holding one building (the largest building is 40 m across)."""
LOTS_PER_BLOCK_SIDE = 4
STREET_WIDTH_M = 16.0
_MAX_VERTICES = 15

# Shape families and their share of the buildings (builders are in _BUILDERS below).
_SHAPE_PROBABILITIES = {
    "notched_rectangle": 0.36,
    "l_shape": 0.22,
    "t_shape": 0.14,
    "u_shape": 0.14,
    "courtyard": 0.14,
}


def _uniform(
    rng: np.random.Generator, low: np.ndarray | float, high: np.ndarray | float, n: int
) -> np.ndarray:
    """``n`` uniform draws between element-wise bounds."""
    return low + (np.asarray(high) - low) * rng.random(n)


def _notched_rectangle(rng: np.random.Generator, w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Rectangle with an inward notch on the front and an outward bay at the back (12 vertices)."""
    n = w.size
    bay = _uniform(rng, 1.0, 0.25 * d, n)  # depth of the back bay
    notch = _uniform(rng, 1.0, 0.2 * d, n)  # depth of the front notch
    a = _uniform(rng, 0.1 * w, 0.35 * w, n)
    b = a + _uniform(rng, 0.15 * w, 0.3 * w, n)
    c = _uniform(rng, 0.2 * w, 0.45 * w, n)
    e = c + _uniform(rng, 0.2 * w, 0.4 * w, n)
    z = np.zeros(n)
    body = d - bay
    xs = [z, a, a, b, b, w, w, e, e, c, c, z]
    ys = [z, z, notch, notch, z, z, body, body, d, d, body, body]
    return np.stack([np.stack(xs, axis=1), np.stack(ys, axis=1)], axis=2)


def _l_shape(rng: np.random.Generator, w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """L plan (left arm and bottom arm) with a notch on the bottom edge (10 vertices)."""
    n = w.size
    tx = _uniform(rng, 0.35 * w, 0.6 * w, n)  # thickness of the vertical arm
    ty = _uniform(rng, 0.35 * d, 0.6 * d, n)  # thickness of the horizontal arm
    notch = _uniform(rng, 0.8, 0.3 * ty, n)
    a = _uniform(rng, 0.1 * w, 0.4 * w, n)
    b = a + _uniform(rng, 0.1 * w, 0.3 * w, n)
    z = np.zeros(n)
    xs = [z, a, a, b, b, w, w, tx, tx, z]
    ys = [z, z, notch, notch, z, z, ty, ty, d, d]
    return np.stack([np.stack(xs, axis=1), np.stack(ys, axis=1)], axis=2)


def _t_shape(rng: np.random.Generator, w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """T plan: a top bar over a centred stem, with a notch on the top edge (12 vertices)."""
    n = w.size
    bar = _uniform(rng, 0.3 * d, 0.55 * d, n)  # depth of the top bar
    stem = _uniform(rng, 0.3 * w, 0.55 * w, n)  # width of the stem
    centre = w / 2 + _uniform(rng, -0.1 * w, 0.1 * w, n)
    left, right = centre - stem / 2, centre + stem / 2
    notch = _uniform(rng, 0.8, 0.3 * bar, n)
    e = _uniform(rng, 0.55 * w, 0.9 * w, n)
    f = e - _uniform(rng, 0.1 * w, 0.4 * w, n)
    z = np.zeros(n)
    top = d - bar
    xs = [left, right, right, w, w, e, e, f, f, z, z, left]
    ys = [z, z, top, top, d, d, d - notch, d - notch, d, d, top, top]
    return np.stack([np.stack(xs, axis=1), np.stack(ys, axis=1)], axis=2)


def _u_shape(rng: np.random.Generator, w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """U plan open towards the back, with a notch on the front edge (12 vertices)."""
    n = w.size
    arm = _uniform(rng, 0.22 * w, 0.35 * w, n)
    base = _uniform(rng, 0.3 * d, 0.5 * d, n)
    notch = _uniform(rng, 0.8, 0.3 * base, n)
    a = _uniform(rng, 0.1 * w, 0.4 * w, n)
    b = a + _uniform(rng, 0.1 * w, 0.4 * w, n)
    z = np.zeros(n)
    xs = [z, a, a, b, b, w, w, w - arm, w - arm, arm, arm, z]
    ys = [z, z, notch, notch, z, z, d, d, base, base, d, d]
    return np.stack([np.stack(xs, axis=1), np.stack(ys, axis=1)], axis=2)


def _courtyard_hole(rng: np.random.Generator, shell: np.ndarray) -> np.ndarray:
    """Rectangular courtyard inside the body of a notched rectangle (4 vertices, clockwise)."""
    n = shell.shape[0]
    w = shell[:, 5, 0]
    notch = shell[:, 2, 1]
    body = shell[:, 6, 1]
    margin_x = _uniform(rng, 0.25 * w, 0.33 * w, n)
    inner_depth = body - notch
    margin_y = _uniform(rng, 0.25 * inner_depth, 0.33 * inner_depth, n)
    x0, x1 = margin_x, w - margin_x
    y0, y1 = notch + margin_y, body - margin_y
    xs = [x0, x0, x1, x1]
    ys = [y0, y1, y1, y0]
    return np.stack([np.stack(xs, axis=1), np.stack(ys, axis=1)], axis=2)


_BUILDERS: dict[str, Callable[[np.random.Generator, np.ndarray, np.ndarray], np.ndarray]] = {
    "notched_rectangle": _notched_rectangle,
    "l_shape": _l_shape,
    "t_shape": _t_shape,
    "u_shape": _u_shape,
    "courtyard": _notched_rectangle,
}


def _add_kinks(rng: np.random.Generator, ring: np.ndarray, n_kinks: int) -> np.ndarray:
    """Insert ``n_kinks`` near-collinear vertices (10 to 25 cm off the edge) on distinct edges."""
    if n_kinks == 0:
        return ring
    n, k, _ = ring.shape
    edges = (np.arange(n_kinks) * k) // n_kinks  # distinct, spread-out edges
    start = ring[:, edges]
    end = ring[:, (edges + 1) % k]
    direction = end - start
    length = np.linalg.norm(direction, axis=2, keepdims=True)
    normal = np.stack([direction[..., 1], -direction[..., 0]], axis=2) / length
    offset = rng.uniform(0.1, 0.25, (n, n_kinks, 1)) * rng.choice([-1.0, 1.0], (n, n_kinks, 1))
    kinks = (start + end) / 2 + offset * normal
    # Insert from the last edge backwards so earlier insertion positions stay valid.
    out = ring
    for j in range(n_kinks - 1, -1, -1):
        out = np.insert(out, edges[j] + 1, kinks[:, j], axis=1)
    return out


def _rotate_and_place(
    coords: np.ndarray, angle: np.ndarray, centre_xy: np.ndarray, n_shell: int
) -> np.ndarray:
    """Rotate (n, k, 2) coordinates about the bounding-box centre of their first ``n_shell``
    points (the exterior ring; the rest are hole vertices) and move that centre to ``centre_xy``.
    """
    shell = coords[:, :n_shell]
    mid = (shell.min(axis=1, keepdims=True) + shell.max(axis=1, keepdims=True)) / 2
    local = coords - mid
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x = local[..., 0] * cos - local[..., 1] * sin
    y = local[..., 0] * sin + local[..., 1] * cos
    return np.stack([x, y], axis=2) + centre_xy[:, None, :]


def _lot_centres(n: int, origin_xy: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the first ``n`` lots of a square-ish grid of blocks, and their block index."""
    lots_per_block = LOTS_PER_BLOCK_SIDE**2
    n_blocks = -(-n // lots_per_block)
    blocks_per_row = max(1, int(np.ceil(np.sqrt(n_blocks))))
    lot = np.arange(n)
    block, in_block = np.divmod(lot, lots_per_block)
    block_row, block_col = np.divmod(block, blocks_per_row)
    lot_row, lot_col = np.divmod(in_block, LOTS_PER_BLOCK_SIDE)
    block_pitch = LOTS_PER_BLOCK_SIDE * LOT_SIZE_M + STREET_WIDTH_M
    x = origin_xy[0] + block_col * block_pitch + (lot_col + 0.5) * LOT_SIZE_M
    y = origin_xy[1] + block_row * block_pitch + (lot_row + 0.5) * LOT_SIZE_M
    return np.stack([x, y], axis=1), block


def _footprints(
    rng: np.random.Generator, n: int, origin_xy: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Footprint polygons (object array) and the block index of each building."""
    centres, block = _lot_centres(n, origin_xy)
    names = list(_SHAPE_PROBABILITIES)
    family = rng.choice(len(names), size=n, p=list(_SHAPE_PROBABILITIES.values()))
    # Sizes skewed towards small buildings: 8 to 40 m across.
    w = 8.0 + 31.5 * rng.beta(1.6, 3.0, n)
    d = 8.0 + 31.5 * rng.beta(1.6, 3.0, n)
    courtyard = family == names.index("courtyard")
    w[courtyard] = np.maximum(w[courtyard], 22.0)
    d[courtyard] = np.maximum(d[courtyard], 22.0)
    angle = rng.uniform(-0.06, 0.06, n)
    # Slack keeps the rotated building inside its lot: 40 m * (cos + sin)(0.06) < 42.5 m < 46 m.
    jitter = rng.uniform(-1.0, 1.0, (n, 2))

    geoms = np.empty(n, dtype=object)
    for f, name in enumerate(names):
        members = np.flatnonzero(family == f)
        if members.size == 0:
            continue
        shells = _BUILDERS[name](rng, w[members], d[members])
        holes = _courtyard_hole(rng, shells) if name == "courtyard" else None
        base_k = shells.shape[1]
        n_kinks = rng.integers(0, _MAX_VERTICES - base_k + 1, members.size)
        for kinks in np.unique(n_kinks):
            sub = n_kinks == kinks
            idx = members[sub]
            ring = _add_kinks(rng, shells[sub], int(kinks))
            k = ring.shape[1]
            if holes is not None:
                ring = np.concatenate([ring, holes[sub]], axis=1)
            ring = _rotate_and_place(ring, angle[idx], centres[idx] + jitter[idx], k)
            shell_rings = shapely.linearrings(ring[:, :k])
            if holes is None:
                geoms[idx] = shapely.polygons(shell_rings)
            else:
                hole_rings = shapely.linearrings(ring[:, k:])
                geoms[idx] = shapely.polygons(shell_rings, hole_rings[:, None])
    return geoms, block


_MAX_FLOORS_BY_USE = np.array([8, 8, 3, 4, 2, 1])
_FLOOR_HEIGHT_BY_USE_M = np.array([2.9, 3.4, 3.8, 3.6, 6.0, 2.6])


def _parcel_ids(block: np.ndarray, lot: np.ndarray) -> np.ndarray:
    """Fake French cadastral parcel ids (14 characters: commune, prefix, section, number).

    One block is one cadastral section; communes "99001", "99002"... hold 676 sections each.
    """
    commune, section = np.divmod(block, 26 * 26)
    letters = np.array([chr(ord("A") + i) for i in range(26)])
    section_code = np.char.add(letters[section // 26], letters[section % 26])
    head = np.char.mod("99%03d000", commune + 1)
    return np.char.add(np.char.add(head, section_code), np.char.mod("%04d", lot + 1))


def synthetic_buildings(
    n: int, seed: int = 0, origin_xy: tuple[float, float] = (650000.0, 6860000.0)
) -> gpd.GeoDataFrame:
    """A deterministic synthetic town of ``n`` non-overlapping buildings in Lambert-93.

    Footprints are 8 to 40 m across with 10 to 15 exterior vertices (L, T, U plans, notched
    rectangles, about 14 % with a rectangular courtyard hole), one per 46 m lot, 4 x 4 lots per
    block, 16 m streets; the grid starts at ``origin_xy`` (metres, EPSG:2154) and grows as a
    square. The same ``n`` and ``seed`` always give the same town.

    Columns: ``id`` ("SYN0000000"...), ``parent_id`` (a fake 14-character parcel id), ``use``
    (residential, office, retail, public, industrial or annex), ``height_m`` (3 to 30 m),
    ``floors``, ``base_elevation_m`` (a smooth fake terrain, metres), ``dwellings`` (0 unless
    residential), ``construction_year`` and ``geometry``.

    Example:
        >>> town = synthetic_buildings(3, seed=1)
        >>> list(town["id"])
        ['SYN0000000', 'SYN0000001', 'SYN0000002']
        >>> str(town.crs)
        'EPSG:2154'
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = np.random.default_rng(seed)
    geoms, block = _footprints(rng, n, origin_xy)
    use = rng.choice(len(USES), size=n, p=_USE_PROBABILITIES)
    floors = rng.integers(1, _MAX_FLOORS_BY_USE[use] + 1)
    storey_m = _FLOOR_HEIGHT_BY_USE_M[use] * rng.uniform(0.92, 1.1, n)
    roof_m = rng.uniform(0.0, 2.5, n)
    height_m = np.clip(floors * storey_m + roof_m, 3.0, 30.0)
    centroid = shapely.get_coordinates(shapely.centroid(geoms)) if n else np.empty((0, 2))
    east_m = centroid[:, 0] - origin_xy[0]
    north_m = centroid[:, 1] - origin_xy[1]
    base_elevation_m = (
        35.0 + 12.0 * np.sin(east_m / 700.0) * np.cos(north_m / 900.0) + 0.002 * north_m
    )
    area_m2 = shapely.area(geoms) if n else np.empty(0)
    residential = use == 0
    dwellings = np.where(residential, np.maximum(1, np.round(floors * area_m2 * 0.8 / 65.0)), 0)
    construction_year = np.clip(np.round(rng.normal(1962.0, 45.0, n)), 1600, 2024)
    lot_in_block = np.arange(n) % (LOTS_PER_BLOCK_SIDE**2)
    frame = gpd.GeoDataFrame(
        {
            "id": np.char.mod("SYN%07d", np.arange(n)).astype(object),
            "parent_id": _parcel_ids(block, lot_in_block).astype(object),
            "use": USES[use].astype(object),
            "height_m": height_m.astype(np.float64),
            "floors": floors.astype(np.int64),
            "base_elevation_m": base_elevation_m.astype(np.float64),
            "dwellings": dwellings.astype(np.int64),
            "construction_year": construction_year.astype(np.int64),
        },
        geometry=gpd.GeoSeries(geoms, crs=CRS_LAMBERT93),
    )
    logger.debug("synthetic town: %d buildings, seed %d", n, seed)
    return frame


def synthetic_parcels(
    n: int, origin_xy: tuple[float, float] = (650000.0, 6860000.0)
) -> gpd.GeoDataFrame:
    """The ``n`` lots that :func:`synthetic_buildings` places its buildings on, as parcels.

    Same grid and same 14-character ids as the buildings' ``parent_id``, with ``contenance``
    (m², the lot area) as in the Etalab cadastre. EPSG:2154.

    Example:
        >>> parcels = synthetic_parcels(2)
        >>> parcels["id"].tolist(), parcels.area.round().tolist()
        (['99001000AA0001', '99001000AA0002'], [2116.0, 2116.0])
    """
    centres, block = _lot_centres(n, origin_xy)
    half = LOT_SIZE_M / 2
    lot_in_block = np.arange(n) % (LOTS_PER_BLOCK_SIDE**2)
    return gpd.GeoDataFrame(
        {
            "id": _parcel_ids(block, lot_in_block).astype(object),
            "contenance": np.full(n, int(LOT_SIZE_M * LOT_SIZE_M)),
        },
        geometry=shapely.box(
            centres[:, 0] - half, centres[:, 1] - half, centres[:, 0] + half, centres[:, 1] + half
        ),
        crs=CRS_LAMBERT93,
    )
