"""Turn ImportResults into a City: add rows, link them into the hierarchy, keep provenance.

Rows whose id already exists replace the old row (re-importing a corrected file updates it);
rows without a parent are linked by largest overlap to the nearest level above that is present
(a building to its parcel, else its district, else its commune); when communes exist and no
territory does, the study territory is made as their union. Buildings without a base elevation
take it from the ``"terrain"`` raster (the lowest ground under their footprint).

Before anything changes, :func:`check_result` refuses an import that holds no features, or
whose data lie far from the project's (a wrong CRS, typically degrees declared as Lambert-93).
A merge is all or nothing (:meth:`twin.city.City.transaction`): if any step fails half-way, the
City is put back exactly as it was and :class:`MergeError` says which file and why;
:func:`merge_results` does the same for several files at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from importers.area_of_use import outside_area_of_use
from importers.base import ImportResult
from importers.linking import largest_overlap
from importers.replacement import replace_blocks
from twin.city import City
from twin.errors import CancelledError, InvalidInputError, TwinError
from twin.issues import Issue
from twin.levels import LEVEL_LAYERS, Level
from twin.mesh import MeshStore
from twin.population import apply_population
from twin.raster import Raster

logger = logging.getLogger(__name__)

TERRITORY_ID = "territoire"
TERRAIN = "terrain"
#: A City holding both gets its inhabitants allocated to buildings after each such import.
POPULATION_INPUTS = {"buildings", "population_cells"}
#: An import whose extent does not come this close to the project's is refused (metres).
MAX_DISTANCE_M = 50_000.0
#: Ground altitudes outside this range are not taken as a building's base (metres).
PLAUSIBLE_GROUND_M = (-500.0, 9000.0)


class MergeError(TwinError):
    """A merge failed half-way; the City was put back as it was before.

    Attributes:
        source: the file (provenance source) whose merge failed.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str,
        code: str | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, values=values)
        self.source = source


@dataclass
class MergeReport:
    """What a merge changed: rows added and replaced per layer, links made."""

    added: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    linked: dict[str, int] = field(default_factory=dict)
    base_elevations_sampled: int = 0
    base_elevations_missing: int = 0
    replaced_blocks: int = 0
    population_issues: list[Issue] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as a few lines for the user."""
        out = [f"  {name}: {count} rows added" for name, count in self.added.items()]
        out += [
            f"  {name}: {count} rows replaced" for name, count in self.replaced.items() if count
        ]
        out += [f"  {name}: {count} rows linked to a parent" for name, count in self.linked.items()]
        if self.replaced_blocks:
            out.append(
                f"  buildings: {self.replaced_blocks} LoD1 block(s) replaced by the detailed model"
            )
        if self.base_elevations_sampled:
            out.append(
                f"  buildings: {self.base_elevations_sampled} base elevations sampled from the "
                "terrain"
            )
        if self.base_elevations_missing:
            out.append(
                f"  buildings: {self.base_elevations_missing} without a base elevation (outside "
                "the terrain)"
            )
        allocated = [i for i in self.population_issues if i.code == "population_allocated"]
        if allocated:
            out.append(f"  population: {allocated[0].message}")
        without = [i for i in self.population_issues if i.code == "population_cell_without_housing"]
        if without:
            out.append(
                f"  population: {len(without)} grid cell(s) with inhabitants but no housing "
                "building (their inhabitants are listed, not allocated)"
            )
        return out


def merge_results(city: City, results: Sequence[ImportResult]) -> list[MergeReport]:
    """Merge several imports all together or not at all.

    Every result is checked before the first merge; if any merge then fails, the City is put
    back as it was before the first one.

    Raises:
        InvalidInputError: a result is refused by :func:`check_result` (nothing changed).
        MergeError: a merge failed half-way (nothing changed).
    """
    for result in results:
        check_result(city, result)
    with city.transaction():
        return [merge_result(city, result) for result in results]


def merge_result(city: City, result: ImportResult) -> MergeReport:
    """Put one import's layers, files and provenance into the City, all or nothing.

    Raises:
        InvalidInputError: the import holds no features, or lies far from the project's data
            (see :func:`check_result`); the City is then left unchanged.
        MergeError: a step failed half-way (a layer breaking its spec, a ``MemoryError``, a
            bug); the City is put back exactly as it was.
        CancelledError: the user cancelled; the City is put back as well.
    """
    check_result(city, result)
    with rolled_back_on_error(city, result.provenance.source):
        return _merge(city, result)


@contextmanager
def rolled_back_on_error(city: City, source: str) -> Iterator[None]:
    """Run a merge step in a City transaction; turn what fails into one clear :class:`MergeError`.

    A cancel (:class:`~twin.errors.CancelledError`) and Ctrl+C go on as they are, after the
    roll-back; everything else becomes a :class:`MergeError` naming ``source``.
    """
    unchanged = "the project was left as it was"
    try:
        with city.transaction():
            yield
    except (MergeError, CancelledError):
        raise
    except TwinError as exc:
        raise MergeError(
            f"{source} could not be merged, {unchanged}: {exc}",
            source=source,
            code="merge_failed",
            values={"file": source, "cause": exc},
        ) from exc
    except MemoryError as exc:
        raise MergeError(
            f"not enough memory to merge {source}; {unchanged}. Close other programs, or import "
            "a smaller extract (one layer with --layer, or a smaller area).",
            source=source,
            code="merge_out_of_memory",
            values={"file": source},
        ) from exc
    except Exception as exc:  # a bug of ours: still one line, and the City as it was
        logger.debug("merging %s failed", source, exc_info=True)
        raise MergeError(
            f"{source} could not be merged ({type(exc).__name__}: {exc}); {unchanged}. "
            "Run again with --debug and report what it prints.",
            source=source,
            code="merge_bug",
            values={"file": source, "detail": f"{type(exc).__name__}: {exc}"},
        ) from exc


def _merge(city: City, result: ImportResult) -> MergeReport:
    report = MergeReport()
    layers = dict(result.layers)
    provenance = result.provenance
    if "buildings" in layers:
        layers["buildings"], replaced_blocks = replace_blocks(city, layers["buildings"])
        if replaced_blocks:
            report.replaced_blocks = sum(len(ids) for ids in replaced_blocks.values())
            provenance = replace(
                provenance, details={**provenance.details, "replaced_buildings": replaced_blocks}
            )
    for name, frame in layers.items():
        if not len(frame):  # nothing to add: no empty layer either
            continue
        if name in city:
            existing = set(city.layer(name)["id"])
            replaced = [i for i in frame["id"].astype(str) if i in existing]
            if replaced:
                city.drop_rows(name, replaced)
            report.replaced[name] = len(replaced)
            city.append_rows(name, frame, source=result.provenance.source)
        else:
            city.set_layer(name, frame, source=result.provenance.source)
        report.added[name] = len(frame) - report.replaced.get(name, 0)
    for raster in result.rasters.values():
        city.set_raster(raster)
    for name, store in result.meshes.items():
        merge_meshes(city, name, store)
    for stored in result.files:
        city.files[stored.name] = stored
    city.provenance.append(provenance)
    ensure_territory(city, communes_changed="communes" in result.layers)
    report.linked = link_parents(city)
    if "buildings" in result.layers or TERRAIN in result.rasters:
        report.base_elevations_sampled, report.base_elevations_missing = sample_base_elevations(
            city
        )
    if POPULATION_INPUTS & set(result.layers) and set(city.layer_names) >= POPULATION_INPUTS:
        report.population_issues = apply_population(city)  # buildings share the grid's people
    city.ensure_origin()
    return report


def merge_meshes(city: City, name: str, store: MeshStore) -> None:
    """Add detailed meshes, replacing the objects of the same ids (a re-imported model)."""
    if name in city.meshes:
        existing = city.meshes[name]
        keep = ~np.isin(existing.object_ids, store.object_ids)
        store = MeshStore.concat([existing.select(keep), store.rebased(existing.origin)])
    city.set_meshes(name, store)


# -- checks before merging ------------------------------------------------------------------------
def check_result(city: City, result: ImportResult) -> None:
    """Refuse an import with no features, or one far from the project (see :func:`check_extent`).

    Raises:
        InvalidInputError: with a one-line message naming the file and what to do.
    """
    source = result.provenance.source
    empty = not any(len(frame) for frame in result.layers.values())
    if empty and not result.rasters and not result.files:
        left_out = [i for i in result.issues if i.severity == "error"]
        why = (
            f" ({len(left_out)} left out, e.g. {left_out[0].code}: {left_out[0].message})"
            if left_out
            else ""
        )
        code: str = "import_empty"
        values: dict[str, object] = {"file": source}
        if left_out:
            code, values = (
                "import_empty_left_out",
                {
                    "file": source,
                    "count": len(left_out),
                    "issue": left_out[0].code,
                    "message": left_out[0].message,
                },
            )
        raise InvalidInputError(
            f"{source} contains no features{why}; check that it is the right file (or layer, "
            "with --layer).",
            code=code,
            values=values,
        )
    check_extent(city, result)


def check_extent(city: City, result: ImportResult) -> None:
    """Refuse data whose coordinates cannot be right, before anything is merged.

    Three mistakes are caught: coordinates in degrees declared as a projected CRS (all bounds
    within ±180/±90 in a CRS in metres), data wholly outside the area their CRS is made for
    (:mod:`importers.area_of_use`: a wrong CRS, raw numbers taken for coordinates), and, when
    the project already has data, an import whose extent does not come within
    :data:`MAX_DISTANCE_M` of the project's extent.

    Raises:
        InvalidInputError: with a one-line message naming the file, how far, and what to do.
    """
    source = result.provenance.source
    bounds = _result_bounds(result)
    for crs, box in bounds:
        if _looks_like_degrees(box) and crs is not None and CRS(crs).is_projected:
            raise InvalidInputError(
                f"{source}: its coordinates ({_format_box(box)}) look like longitudes and "
                f"latitudes in degrees, but the file declares {CRS(crs).name} (metres); declare "
                "it as EPSG:4326 (fix its .prj or CRS, or remove it and use --crs EPSG:4326).",
                code="degrees_as_projected",
                values={"file": source, "box": _format_box(box), "crs": CRS(crs).name},
            )
        area = outside_area_of_use(crs, box) if crs is not None else None
        if area is not None:
            raise InvalidInputError(
                f"{source}: its data ({_format_box(box)} in {CRS(crs).name}) lie outside the "
                f"area that CRS is made for ({area}); check the coordinates and the CRS the "
                "file declares (or give it with --crs).",
                code="outside_crs_area",
                values={
                    "file": source,
                    "box": _format_box(box),
                    "crs": CRS(crs).name,
                    "area": area,
                },
            )
    extent = city.extent()
    if extent is None or not bounds:
        return
    stacked = np.array([box for _, box in bounds])
    mine = (stacked[:, 0].min(), stacked[:, 1].min(), stacked[:, 2].max(), stacked[:, 3].max())
    distance_m = _box_distance(mine, extent)
    if distance_m > MAX_DISTANCE_M:
        raise InvalidInputError(
            f"{source}: its data lie {distance_m / 1000:,.0f} km from the project's data "
            f"({_format_box(mine)} against {_format_box(extent)} in {city.crs.name}); "
            "check its CRS or use --crs.",
            code="too_far_from_project",
            values={
                "file": source,
                "distance_km": round(distance_m / 1000),
                "box": _format_box(mine),
                "project_box": _format_box(extent),
                "crs": city.crs.name,
            },
        )


def _result_bounds(result: ImportResult) -> list[tuple[object, tuple[float, ...]]]:
    """(CRS, (minx, miny, maxx, maxy)) of every non-empty layer and raster of an import."""
    out: list[tuple[object, tuple[float, ...]]] = []
    for frame in result.layers.values():
        if (
            isinstance(frame, gpd.GeoDataFrame)
            and frame.active_geometry_name is not None
            and len(frame)
            and frame.geometry.notna().any()
        ):
            box = tuple(float(v) for v in frame.total_bounds)
            if all(np.isfinite(box)):
                out.append((frame.crs, box))
    for raster in result.rasters.values():
        out.append((raster.crs, raster.bounds))
    return out


def _looks_like_degrees(box: tuple[float, ...]) -> bool:
    minx, miny, maxx, maxy = box
    return max(abs(minx), abs(maxx)) <= 180.0 and max(abs(miny), abs(maxy)) <= 90.0


def _box_distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    dx = max(0.0, a[0] - b[2], b[0] - a[2])
    dy = max(0.0, a[1] - b[3], b[1] - a[3])
    return float(np.hypot(dx, dy))


def _format_box(box: tuple[float, ...]) -> str:
    return f"x {box[0]:.6g}..{box[2]:.6g}, y {box[1]:.6g}..{box[3]:.6g}"


def ensure_territory(city: City, communes_changed: bool = True) -> None:
    """Make the study territory as the union of the communes.

    A territory the user imported is kept as it is; the one made here (id ``territoire``) is
    remade whenever communes are added, so several communes form one study territory.
    """
    if "communes" not in city or not communes_changed:
        return
    if "territory" in city and city.layer("territory")["id"].tolist() != [TERRITORY_ID]:
        return
    communes = city.layer("communes")
    outline = shapely.union_all(shapely.make_valid(communes.geometry.to_numpy()))
    name = city.name or "Territoire d'étude"
    territory = gpd.GeoDataFrame(
        {"id": [TERRITORY_ID], "parent_id": [None], "name": [name], "kind": ["study_area"]},
        geometry=[outline],
        crs=city.crs,
    )
    city.set_layer("territory", territory, source="union of the communes")


def link_parents(city: City) -> dict[str, int]:
    """Give every row without a parent the row above it that it overlaps most."""
    linked: dict[str, int] = {}
    for level in (Level.COMMUNE, Level.DISTRICT, Level.PARCEL, Level.BUILDING):
        name = LEVEL_LAYERS[level]
        if name not in city:
            continue
        frame = city.layer(name)
        parent = frame["parent_id"].fillna("").astype(str).to_numpy()
        missing = pd.Series(city.hierarchy.codes(parent) < 0, index=frame.index)
        if not missing.any():
            continue
        found = pd.Series(pd.NA, index=frame.index[missing], dtype=object)
        for upper in reversed(range(int(level))):
            upper_name = LEVEL_LAYERS[Level(upper)]
            todo = found.isna()
            if upper_name not in city or not todo.any():
                continue
            candidates = frame.geometry[missing][todo]
            found[todo] = largest_overlap(candidates, city.layer(upper_name))
        new = found.dropna()
        if len(new):
            ids = frame.loc[new.index, "id"].tolist()
            city.update_values(name, ids, {"parent_id": new.tolist()})
            linked[name] = len(new)
            logger.info("linked %d %s to a parent by overlap", len(new), name)
    return linked


# -- base elevations from the terrain --------------------------------------------------------------
def sample_base_elevations(city: City) -> tuple[int, int]:
    """Give buildings without a base elevation the lowest terrain altitude under them.

    The DEM is sampled (bilinear) at every vertex of the footprint and at its representative
    point, and the lowest value is kept, so a building on a slope sits on its lowest ground
    (as BD TOPO's ``altitude_minimale_sol``). Bases given by the source are kept.

    Returns:
        (buildings given a base, buildings still without one: outside the terrain).
    """
    if TERRAIN not in city.rasters or "buildings" not in city:
        return 0, 0
    buildings = city.layer("buildings")
    missing = buildings["base_elevation_m"].isna().to_numpy()
    if not missing.any():
        return 0, 0
    footprints = buildings.geometry.to_numpy()[missing]
    ground_m = lowest_ground_m(city.rasters[TERRAIN], footprints)
    found = np.isfinite(ground_m)
    ids = buildings["id"].to_numpy()[missing][found]
    if len(ids):
        city.update_values("buildings", ids.tolist(), {"base_elevation_m": ground_m[found]})
        logger.info("sampled the base elevation of %d buildings from the terrain", len(ids))
    return int(found.sum()), int((~found).sum())


def lowest_ground_m(raster: Raster, footprints: np.ndarray) -> np.ndarray:
    """Per footprint, the lowest raster value at its vertices and representative point.

    NaN where every sample is missing (outside the raster) or implausible as an altitude.

    >>> from affine import Affine
    >>> from pyproj import CRS
    >>> slope = Raster("terrain", np.array([[10.0, 20.0, 30.0]] * 3), Affine(1, 0, 0, 0, -1, 3),
    ...                CRS.from_epsg(2154))
    >>> lowest_ground_m(slope, np.array([shapely.box(1.5, 1, 2.5, 2), None])).tolist()
    [20.0, nan]
    """
    n = len(footprints)
    coords, index = shapely.get_coordinates(footprints, return_index=True)
    points = shapely.point_on_surface(footprints)
    inner, inner_index = shapely.get_coordinates(points, return_index=True)
    x = np.concatenate([coords[:, 0], inner[:, 0]])
    y = np.concatenate([coords[:, 1], inner[:, 1]])
    owner = np.concatenate([index, inner_index])
    values = raster.sample(x, y)
    low, high = PLAUSIBLE_GROUND_M
    with np.errstate(invalid="ignore"):
        values[(values < low) | (values > high)] = np.nan
    lowest = pd.Series(values).groupby(owner).min()  # NaN only where every sample is NaN
    out = np.full(n, np.nan)
    out[lowest.index.to_numpy()] = lowest.to_numpy()
    return out
