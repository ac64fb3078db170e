"""CityJSON geometry → 2D footprints and altitude ranges, for all buildings at once.

A building's surfaces (from its own geometry and its BuildingParts') are flattened into a few
flat arrays (vertex indices, ring lengths, surfaces, buildings) by :class:`SurfaceCollector`;
:func:`footprints` then builds every polygon in one ``shapely.from_ragged_array`` call,
repairs what needs it, and unions each building's polygons. The only per-building Python loops
are the walk through the nested boundary lists and the final union.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

#: Geometry types that bound a volume or a surface, and so give a footprint.
SURFACE_TYPES = frozenset({"MultiSurface", "CompositeSurface"})
SOLID_TYPES = frozenset({"Solid"})
MULTI_SOLID_TYPES = frozenset({"MultiSolid", "CompositeSolid"})
AREAL_TYPES = SURFACE_TYPES | SOLID_TYPES | MULTI_SOLID_TYPES

GROUND = "GroundSurface"


class BrokenGeometryError(ValueError):
    """A geometry object whose boundaries do not nest as its type requires."""


def lod_number(lod: Any) -> float:
    """A geometry's ``lod`` ("2.2", "1", 2 ...) as a number, to compare LoDs.

    >>> lod_number("2.2"), lod_number(1), lod_number("1.3")
    (2.2, 1.0, 1.3)
    """
    return float(str(lod))


def lod_label(lod: Any) -> str:
    """A LoD as the string CityJSON 1.1+ writes ("2.2", "1"); numbers from older writers too.

    >>> lod_label(2), lod_label(2.0), lod_label("1.2")
    ('2', '2', '1.2')
    """
    value = lod_number(lod)
    return f"{value:g}"


def choose_lod(labels: Sequence[str], preferred: str | None = None) -> str:
    """The LoD to read among those a building has: ``preferred`` when present, else the highest.

    >>> choose_lod(["0", "1.2", "2.2", "1.3"]), choose_lod(["1.2", "2.2"], preferred="1.2")
    ('2.2', '1.2')
    """
    if preferred is not None and lod_label(preferred) in labels:
        return lod_label(preferred)
    return max(labels, key=lod_number)


def _semantic_types(geometry: dict[str, Any]) -> tuple[list[Any], list[str | None]]:
    """The geometry's surfaces (lists of rings) and each surface's semantic type, flattened.

    Only the exterior shell of a solid is kept: interior shells are cavities, inside the volume.
    """
    kind = geometry.get("type")
    boundaries = geometry.get("boundaries")
    if not isinstance(boundaries, list):
        raise BrokenGeometryError(f"a {kind} geometry without boundaries")
    semantics = geometry.get("semantics") or {}
    names = [s.get("type") if isinstance(s, dict) else None for s in semantics.get("surfaces", [])]
    values = semantics.get("values")
    if kind in SURFACE_TYPES:
        surfaces = boundaries
        indices = values if isinstance(values, list) else []
    elif kind in SOLID_TYPES:
        surfaces = boundaries[0] if boundaries else []
        indices = values[0] if isinstance(values, list) and values else []
    else:  # MultiSolid, CompositeSolid: solids → shells → surfaces
        surfaces = [surface for solid in boundaries if solid for surface in solid[0]]
        indices = [
            value
            for position, solid in enumerate(boundaries)
            if solid
            for value in _shell_values(values, position, len(solid[0]))
        ]
    types: list[str | None] = []
    for position in range(len(surfaces)):
        value = indices[position] if isinstance(indices, list) and position < len(indices) else None
        types.append(names[value] if isinstance(value, int) and 0 <= value < len(names) else None)
    return surfaces, types


def _shell_values(values: Any, solid: int, count: int) -> list[Any]:
    try:
        shell = values[solid][0]
    except (TypeError, IndexError, KeyError):
        return [None] * count
    return shell if isinstance(shell, list) else [None] * count


@dataclass
class SurfaceCollector:
    """Accumulates the surfaces of many buildings into flat arrays, one building at a time."""

    indices: list[np.ndarray] = field(default_factory=list)  # vertex indices, per building
    ring_lengths: list[int] = field(default_factory=list)
    surface_rings: list[int] = field(default_factory=list)  # rings per surface
    surface_ground: list[bool] = field(default_factory=list)
    building_surfaces: list[int] = field(default_factory=list)  # surfaces per building

    def add(self, parts: Sequence[tuple[dict[str, Any], int, int]]) -> int:
        """Add one building from ``(geometry, vertex_offset, vertex_count)`` triples.

        Indices are shifted by ``vertex_offset`` (CityJSONSeq features number their own
        vertices). Returns the number of surfaces added (0: nothing was added).

        Raises:
            BrokenGeometryError: boundaries not nested as the geometry type requires.
            IndexError: a vertex index outside ``0 .. vertex_count - 1`` (a damaged file).
        """
        flat: list[int] = []
        ring_lengths: list[int] = []
        surface_rings: list[int] = []
        ground: list[bool] = []
        offsets: list[tuple[int, int, int]] = []  # (start in flat, offset, count) per part
        for geometry, offset, count in parts:
            offsets.append((len(flat), offset, count))
            try:
                surfaces, types = _semantic_types(geometry)
                for surface, kind in zip(surfaces, types, strict=True):
                    for ring in surface:
                        flat.extend(ring)
                        ring_lengths.append(len(ring))
                    surface_rings.append(len(surface))
                    ground.append(kind == GROUND)
            except (TypeError, IndexError, KeyError, AttributeError) as exc:
                raise BrokenGeometryError(
                    f"a {geometry.get('type')} geometry whose boundaries are not nested as its "
                    "type requires"
                ) from exc
        if not flat:
            return 0
        try:
            indices = np.asarray(flat, dtype=np.int64)
        except (TypeError, ValueError, OverflowError) as exc:  # Overflow: beyond int64
            raise BrokenGeometryError("boundaries hold something else than vertex numbers") from exc
        if indices.ndim != 1:
            raise BrokenGeometryError("boundaries are nested deeper than their type allows")
        starts = [start for start, _, _ in offsets] + [len(flat)]
        for (start, offset, count), end in zip(offsets, starts[1:], strict=True):
            part = indices[start:end]
            if len(part) and (part.min() < 0 or part.max() >= count):
                bad = int(part.max() if part.max() >= count else part.min())
                raise IndexError(
                    f"vertex {bad}, which does not exist (only {count} vertices are given)"
                )
            part += offset
        self.indices.append(indices)
        self.ring_lengths.extend(ring_lengths)
        self.surface_rings.extend(surface_rings)
        self.surface_ground.extend(ground)
        self.building_surfaces.append(len(surface_rings))
        return len(surface_rings)


@dataclass(frozen=True)
class Footprints:
    """One footprint (possibly empty) and the altitude range of each collected building."""

    geometry: np.ndarray  # shapely polygons / multipolygons, empty where none could be made
    z_min: np.ndarray
    z_max: np.ndarray
    from_ground: np.ndarray  # True where GroundSurface semantics gave the footprint


def footprints(vertices: np.ndarray, collected: SurfaceCollector) -> Footprints:
    """Footprints of the collected buildings: union of their GroundSurfaces projected on the
    plane when they have some, else of all their surfaces projected; min and max z of every
    vertex they use.
    """
    n_buildings = len(collected.building_surfaces)
    if not n_buildings:
        empty = np.array([], dtype=float)
        return Footprints(np.array([], dtype=object), empty, empty, np.array([], dtype=bool))
    indices = np.concatenate(collected.indices)
    per_building = np.array([len(part) for part in collected.indices])
    building_starts = np.concatenate([[0], np.cumsum(per_building)[:-1]])
    z = vertices[indices, 2]
    z_min = np.minimum.reduceat(z, building_starts)
    z_max = np.maximum.reduceat(z, building_starts)

    ring_lengths = np.asarray(collected.ring_lengths, dtype=np.int64)
    ring_starts = np.concatenate([[0], np.cumsum(ring_lengths)[:-1]])
    surface_rings = np.asarray(collected.surface_rings, dtype=np.int64)
    surface_building = np.repeat(np.arange(n_buildings), collected.building_surfaces)
    ring_surface = np.repeat(np.arange(len(surface_rings)), surface_rings)
    first_ring = np.concatenate([[0], np.cumsum(surface_rings)[:-1]])
    ground = np.asarray(collected.surface_ground, dtype=bool)
    has_ground = np.bincount(surface_building[ground], minlength=n_buildings) > 0

    ring_ok = ring_lengths >= 3
    surface_ok = (surface_rings > 0) & ring_ok[np.minimum(first_ring, len(ring_ok) - 1)]
    surface_used = surface_ok & (ground | ~has_ground[surface_building])
    keep_ring = ring_ok & surface_used[ring_surface]

    polygons = _polygons(
        vertices,
        indices,
        ring_starts[keep_ring],
        ring_lengths[keep_ring],
        np.bincount(ring_surface[keep_ring], minlength=len(surface_rings)),
        surface_used,
    )
    owner = surface_building[surface_used]
    polygons, owner = _usable(polygons, owner, vertices, ground_case=has_ground[owner])
    geometry = _union_by_building(polygons, owner, n_buildings)
    return Footprints(geometry, z_min, z_max, has_ground)


def _polygons(
    vertices: np.ndarray,
    indices: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    rings_per_surface: np.ndarray,
    surface_used: np.ndarray,
) -> np.ndarray:
    """Every used surface as a 2D polygon (rings closed), in one vectorised call."""
    closed = lengths + 1
    total = int(closed.sum())
    ring_of = np.repeat(np.arange(len(lengths)), closed)
    within = np.arange(total) - np.repeat(np.cumsum(closed) - closed, closed)
    within[within == lengths[ring_of]] = 0  # the closing vertex is the first one again
    coords = vertices[indices[starts[ring_of] + within], :2]
    ring_offsets = np.concatenate([[0], np.cumsum(closed)])
    polygon_offsets = np.concatenate([[0], np.cumsum(rings_per_surface[surface_used])])
    return shapely.from_ragged_array(
        shapely.GeometryType.POLYGON, coords, offsets=(ring_offsets, polygon_offsets)
    )


def _usable(
    polygons: np.ndarray, owner: np.ndarray, vertices: np.ndarray, ground_case: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Drop projections without area (walls seen from above), repair the other invalid ones."""
    extent = np.ptp(vertices[:, :2], axis=0).max() if len(vertices) else 1.0
    tiny = 1e-12 * np.float64(max(float(extent), 1.0)) ** 2  # numpy: inf, not OverflowError
    valid = shapely.is_valid(polygons)
    keep = valid | ground_case | (shapely.area(polygons) > tiny)
    polygons, owner, valid = polygons[keep], owner[keep], valid[keep]
    if (~valid).any():
        polygons = polygons.copy()
        polygons[~valid] = _polygonal(shapely.make_valid(polygons[~valid]))
    nonempty = ~shapely.is_empty(polygons) & (shapely.area(polygons) > tiny)
    return polygons[nonempty], owner[nonempty]


def _polygonal(geometries: np.ndarray) -> np.ndarray:
    """Only the polygonal part of each geometry (make_valid may return lines or points)."""
    parts, owner = shapely.get_parts(geometries, return_index=True)
    polygonal = np.isin(shapely.get_type_id(parts), [3, 6])
    out = np.full(len(geometries), shapely.Polygon(), dtype=object)
    for position in np.unique(owner[polygonal]):
        out[position] = shapely.union_all(parts[polygonal & (owner == position)])
    return out


def _union_by_building(polygons: np.ndarray, owner: np.ndarray, n_buildings: int) -> np.ndarray:
    """Union each building's polygons (``owner`` is sorted); empty where it has none."""
    out = np.full(n_buildings, shapely.Polygon(), dtype=object)
    counts = np.bincount(owner, minlength=n_buildings)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    single = counts == 1
    out[single] = polygons[starts[single]]
    for building in np.flatnonzero(counts > 1):
        start = starts[building]
        out[building] = shapely.union_all(polygons[start : start + counts[building]])
    return out
