"""A large synthetic IFC4 office campus, for IFC import tests and benchmarks.

The model is a grid of office buildings (:data:`BUILDINGS_PER_ROW` a row,
:data:`BUILDING_SPACING_M` apart) of up to :data:`STOREYS_PER_BUILDING` storeys. Each
storey is a grid of :data:`ROOMS_X` x :data:`ROOMS_Y` rooms whose walls (one ``IfcWall`` per
room side, extruded rectangle, thicker on the outside) sit on the grid lines; a floor
``IfcSlab`` covers the storey and every room is an ``IfcSpace`` with a ``Name``, a French
``LongName`` and ``Qto_SpaceBaseQuantities``. About a tenth of the walls carry an
``IfcOpeningElement`` filled by an ``IfcDoor`` (inside) or an ``IfcWindow`` (outside), whose
bodies are mapped items of their type, so an importer exercises boolean openings and mapped
representations. ``IfcMapConversion`` and ``IfcProjectedCRS`` place the model origin at
(``eastings``, ``northings``) in ``crs``.

Storeys are added until exactly ``n_walls`` walls exist (the last storey may be partial), so
a file has ``ceil(n_walls / WALLS_PER_STOREY)`` storeys, as many floor slabs, and
``ROOMS_X * ROOMS_Y`` spaces per storey. The structure (project, units, contexts, site,
buildings, georeferencing) is authored with ``ifcopenshell.api``; the repetitive entities
are written with ``model.create_entity``, which keeps 5,000 walls to a few seconds. The same
seed gives a byte-identical file.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path

import ifcopenshell
import numpy as np

from samples.ifc_entities import EntityWriter, georeferenced_model, stamp

logger = logging.getLogger(__name__)

ROOMS_X = 8
ROOMS_Y = 4
WALLS_PER_STOREY = ROOMS_X * (ROOMS_Y + 1) + ROOMS_Y * (ROOMS_X + 1)
STOREYS_PER_BUILDING = 8
STOREY_HEIGHT_M = 3.5
SLAB_THICKNESS_M = 0.25
WALL_HEIGHT_M = STOREY_HEIGHT_M - SLAB_THICKNESS_M
EXTERIOR_WALL_M = 0.3
INTERIOR_WALL_M = 0.15
OPENING_SHARE = 0.1
BUILDING_SPACING_M = 80.0
BUILDINGS_PER_ROW = 4
DOOR_WH_M = (0.9, 2.1)
WINDOW_WH_M = (1.2, 1.4)
WINDOW_SILL_M = 0.9
ROOM_NAMES = (
    "Bureau",
    "Bureau",
    "Bureau",
    "Open space",
    "Salle de réunion",
    "Sanitaires",
    "Circulation",
    "Local technique",
    "Archives",
    "Cafétéria",
)


def _grid(rng: np.random.Generator) -> tuple[list[float], list[float]]:
    """Grid line coordinates of one building: column widths 4.5-6 m, row depths 5-7 m."""
    widths = np.round(rng.uniform(4.5, 6.0, ROOMS_X) / 0.05) * 0.05
    depths = np.round(rng.uniform(5.0, 7.0, ROOMS_Y) / 0.05) * 0.05
    xs = np.round(np.concatenate([[0.0], np.cumsum(widths)]), 3)
    ys = np.round(np.concatenate([[0.0], np.cumsum(depths)]), 3)
    return xs.tolist(), ys.tolist()


def _storey_walls(xs: list[float], ys: list[float]) -> list[tuple[float, float, float, bool, bool]]:
    """(x, y, length, along_y, exterior) of each wall of a storey, in a fixed order."""
    walls = [
        (xs[i], ys[j], xs[i + 1] - xs[i], False, j in (0, ROOMS_Y))
        for j in range(ROOMS_Y + 1)
        for i in range(ROOMS_X)
    ]
    walls += [
        (xs[i], ys[j], ys[j + 1] - ys[j], True, i in (0, ROOMS_X))
        for i in range(ROOMS_X + 1)
        for j in range(ROOMS_Y)
    ]
    return walls


def _opening(
    w: EntityWriter,
    wall: ifcopenshell.entity_instance,
    length: float,
    thickness: float,
    exterior: bool,
    fillers: dict[str, tuple],
) -> ifcopenshell.entity_instance:
    """Cut an opening in the middle of ``wall``, filled by a door (inside) or window (outside)."""
    width, height = WINDOW_WH_M if exterior else DOOR_WH_M
    sill = WINDOW_SILL_M if exterior else 0.0
    place = w.placement(wall.ObjectPlacement, (length / 2, 0.0, sill))
    body = w.solid(w.profile(width, thickness + 0.1, 0.0), 0.0, height)
    opening = w.root(
        "IfcOpeningElement",
        Name="Baie",
        ObjectPlacement=place,
        Representation=w.shape([body]),
        PredefinedType="OPENING",
    )
    w.root("IfcRelVoidsElement", RelatingBuildingElement=wall, RelatedOpeningElement=opening)
    ifc_class = "IfcWindow" if exterior else "IfcDoor"
    _, mapped, members = fillers[ifc_class]
    filler = w.root(
        ifc_class,
        Name="Fenêtre" if exterior else "Porte",
        ObjectPlacement=w.placement(place, (0.0, 0.0, 0.0)),
        Representation=w.shape([mapped], "MappedRepresentation"),
        OverallWidth=width,
        OverallHeight=height,
        PredefinedType=ifc_class[3:].upper(),
    )
    w.root("IfcRelFillsElement", RelatingOpeningElement=opening, RelatedBuildingElement=filler)
    members.append(filler)
    return filler


def _space(
    w: EntityWriter,
    storey_place: ifcopenshell.entity_instance,
    name: str,
    long_name: str,
    x0: float,
    y0: float,
    dx: float,
    dy: float,
) -> ifcopenshell.entity_instance:
    """A room between wall faces, with its base quantities."""
    height = WALL_HEIGHT_M
    body = w.solid(w.profile(dx, dy, dx / 2), 0.0, height)
    place = w.placement(storey_place, (x0, y0 + dy / 2, 0.0))  # the profile is centred on y=0
    space = w.root(
        "IfcSpace",
        Name=name,
        LongName=long_name,
        ObjectPlacement=place,
        Representation=w.shape([body]),
        CompositionType="ELEMENT",
        PredefinedType="INTERNAL",
    )
    area, volume = round(dx * dy, 3), round(dx * dy * height, 3)
    quantities = [
        w.model.createIfcQuantityLength("Height", None, None, height),
        w.model.createIfcQuantityArea("NetFloorArea", None, None, area),
        w.model.createIfcQuantityArea("GrossFloorArea", None, None, area),
        w.model.createIfcQuantityVolume("NetVolume", None, None, volume),
        w.model.createIfcQuantityVolume("GrossVolume", None, None, volume),
    ]
    qto = w.root("IfcElementQuantity", Name="Qto_SpaceBaseQuantities", Quantities=quantities)
    w.root("IfcRelDefinesByProperties", RelatedObjects=[space], RelatingPropertyDefinition=qto)
    return space


def _storey(
    w: EntityWriter,
    building: ifcopenshell.entity_instance,
    code: str,
    level: int,
    grid: tuple[list[float], list[float]],
    walls: list[tuple[float, float, float, bool, bool, bool]],
    rng: np.random.Generator,
    fillers: dict[str, tuple],
) -> ifcopenshell.entity_instance:
    """One storey: its floor slab, ``walls`` (with openings where flagged) and rooms."""
    xs, ys = grid
    elevation = level * STOREY_HEIGHT_M
    storey = w.root(
        "IfcBuildingStorey",
        Name="RDC" if level == 0 else f"R+{level}",
        LongName=f"Niveau {level}",
        CompositionType="ELEMENT",
        Elevation=elevation,
        ObjectPlacement=w.placement(building.ObjectPlacement, (0.0, 0.0, elevation)),
    )
    place = storey.ObjectPlacement
    slab_body = w.solid(w.profile(xs[-1], ys[-1], xs[-1] / 2), -SLAB_THICKNESS_M, SLAB_THICKNESS_M)
    contained = [
        w.root(
            "IfcSlab",
            Name=f"Dalle {code} {storey.Name}",
            ObjectPlacement=w.placement(place, (0.0, ys[-1] / 2, 0.0)),
            Representation=w.shape([slab_body]),
            PredefinedType="BASESLAB" if level == 0 else "FLOOR",
        )
    ]
    for x, y, length, along_y, exterior, opened in walls:
        thickness = EXTERIOR_WALL_M if exterior else INTERIOR_WALL_M
        wall_body = w.solid(w.profile(length, thickness, length / 2), 0.0, WALL_HEIGHT_M)
        wall = w.root(
            "IfcWall",
            Name=f"Mur {'extérieur' if exterior else 'intérieur'}",
            ObjectPlacement=w.placement(place, (x, y, 0.0), along_y),
            Representation=w.shape([wall_body]),
            PredefinedType="SOLIDWALL" if exterior else "PARTITIONING",
        )
        contained.append(wall)
        if opened:
            contained.append(_opening(w, wall, length, thickness, exterior, fillers))
    w.root("IfcRelContainedInSpatialStructure", RelatingStructure=storey, RelatedElements=contained)
    # room edges sit on wall faces: half an exterior or interior wall in from the grid lines
    inset_x = [
        (EXTERIOR_WALL_M if i in (0, ROOMS_X) else INTERIOR_WALL_M) / 2 for i in range(ROOMS_X + 1)
    ]
    inset_y = [
        (EXTERIOR_WALL_M if j in (0, ROOMS_Y) else INTERIOR_WALL_M) / 2 for j in range(ROOMS_Y + 1)
    ]
    names = rng.integers(len(ROOM_NAMES), size=ROOMS_X * ROOMS_Y)
    spaces = [
        _space(
            w,
            place,
            f"{code}{level}.{j * ROOMS_X + i + 1:02d}",
            ROOM_NAMES[names[j * ROOMS_X + i]],
            xs[i] + inset_x[i],
            ys[j] + inset_y[j],
            xs[i + 1] - xs[i] - inset_x[i] - inset_x[i + 1],
            ys[j + 1] - ys[j] - inset_y[j] - inset_y[j + 1],
        )
        for j in range(ROOMS_Y)
        for i in range(ROOMS_X)
    ]
    w.root("IfcRelAggregates", RelatingObject=storey, RelatedObjects=spaces)
    return storey


def synthetic_ifc(
    path: Path | str,
    n_walls: int = 5000,
    seed: int = 0,
    crs: str = "EPSG:2154",
    eastings: float = 668000.0,
    northings: float = 6357000.0,
) -> Path:
    """Write a synthetic IFC4 office campus with exactly ``n_walls`` walls to ``path``.

    Buildings of :data:`STOREYS_PER_BUILDING` storeys of :data:`WALLS_PER_STOREY` walls are
    added until ``n_walls`` walls exist; ``int(n_walls * OPENING_SHARE)`` of them, drawn from
    ``seed``, hold a door or a window. Room sizes and names are drawn from ``seed`` too.
    The model origin lands at (``eastings``, ``northings``, 0) in ``crs`` (any CRS pyproj
    knows, named in ``IfcProjectedCRS.Name``), with no rotation and a scale of 1.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     model = ifcopenshell.open(str(synthetic_ifc(Path(folder) / "a.ifc", n_walls=100)))
        >>> len(model.by_type("IfcWall")), len(model.by_type("IfcBuildingStorey"))
        (100, 2)
    """
    if n_walls < 1:
        raise ValueError(f"n_walls must be at least 1, got {n_walls}")
    start = time.perf_counter()
    path = Path(path)
    rng = np.random.default_rng(seed)
    model, site, body = georeferenced_model(
        "Campus de bureaux (synthétique)", "Campus", crs, eastings, northings
    )
    w = EntityWriter(model, body)
    fillers = {
        name: (*w.element_type(f"{name}Type", label, *size), [])
        for name, label, size in (
            ("IfcDoor", "Porte intérieure 90", DOOR_WH_M),
            ("IfcWindow", "Fenêtre 120", WINDOW_WH_M),
        )
    }
    opened = np.zeros(n_walls, dtype=bool)
    opened[rng.choice(n_walls, size=int(n_walls * OPENING_SHARE), replace=False)] = True
    n_storeys = math.ceil(n_walls / WALLS_PER_STOREY)
    buildings = []
    for b in range(math.ceil(n_storeys / STOREYS_PER_BUILDING)):
        code = chr(ord("A") + b % 26) + (str(b // 26) if b >= 26 else "")
        row, column = divmod(b, BUILDINGS_PER_ROW)
        origin = (BUILDING_SPACING_M * column, BUILDING_SPACING_M * row, 0.0)
        building = w.root(
            "IfcBuilding",
            Name=f"Bâtiment {code}",
            LongName="Bureaux",
            CompositionType="ELEMENT",
            ObjectPlacement=w.placement(site.ObjectPlacement, origin),
        )
        grid = _grid(rng)
        storeys = []
        for s in range(min(STOREYS_PER_BUILDING, n_storeys - b * STOREYS_PER_BUILDING)):
            first = (b * STOREYS_PER_BUILDING + s) * WALLS_PER_STOREY
            walls = [
                (*wall, bool(opened[first + k]))
                for k, wall in enumerate(_storey_walls(*grid)[: n_walls - first])
            ]
            storeys.append(_storey(w, building, code, s, grid, walls, rng, fillers))
        w.root("IfcRelAggregates", RelatingObject=building, RelatedObjects=storeys)
        buildings.append(building)
    w.root("IfcRelAggregates", RelatingObject=site, RelatedObjects=buildings)
    for element_type, _, members in fillers.values():
        if members:
            w.root("IfcRelDefinesByType", RelatingType=element_type, RelatedObjects=members)
    stamp(model, rng, path.name, "urban-twin samples.synthetic_ifc")
    model.write(str(path))
    logger.info(
        "synthetic IFC %s: %d walls, %d storeys, %d buildings in %.1f s",
        path,
        n_walls,
        n_storeys,
        len(buildings),
        time.perf_counter() - start,
    )
    return path
