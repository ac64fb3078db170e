"""The synthetic IFC office campus used by the IFC import benchmark."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.element
import ifcopenshell.util.geolocation
import ifcopenshell.validate
import numpy as np
import pytest

from importers.ifc_geometry import geometry_classes
from samples.synthetic_ifc import (
    ROOMS_X,
    ROOMS_Y,
    STOREYS_PER_BUILDING,
    WALLS_PER_STOREY,
    synthetic_ifc,
)

N_WALLS = 200  # 2 full storeys and a partial third
# The classes the IFC importer tessellates (furniture excluded).
IMPORTED_CLASSES = geometry_classes(False)


@pytest.fixture(scope="module")
def campus_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_ifc(tmp_path_factory.mktemp("campus") / "campus.ifc", n_walls=N_WALLS)


@pytest.fixture(scope="module")
def campus(campus_path: Path) -> ifcopenshell.file:
    return ifcopenshell.open(str(campus_path))


@pytest.fixture(scope="module")
def shapes(campus: ifcopenshell.file) -> dict[int, tuple[str, np.ndarray, np.ndarray]]:
    """Step id → (class, world vertices, triangles) through the importer's iterator setup."""
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    iterator = ifcopenshell.geom.iterator(
        settings,
        campus,
        1,
        include=IMPORTED_CLASSES,
        geometry_library="hybrid-cgal-simple-opencascade",
    )
    result = {}
    if iterator.initialize():
        while True:
            shape = iterator.get()
            verts = np.asarray(shape.geometry.verts).reshape(-1, 3)
            faces = np.asarray(shape.geometry.faces).reshape(-1, 3)
            result[shape.id] = (shape.type, verts, faces)
            if not iterator.next():
                break
    return result


def test_the_campus_is_an_ifc4_file_in_metres(campus: ifcopenshell.file) -> None:
    assert campus.schema == "IFC4"
    length = next(u for u in campus.by_type("IfcSIUnit") if u.UnitType == "LENGTHUNIT")
    assert length.Name == "METRE" and length.Prefix is None


def test_it_has_exactly_the_walls_asked_for_and_the_storeys_they_need(
    campus: ifcopenshell.file,
) -> None:
    n_storeys = math.ceil(N_WALLS / WALLS_PER_STOREY)
    assert len(campus.by_type("IfcWall")) == N_WALLS
    assert len(campus.by_type("IfcBuildingStorey")) == n_storeys == 3
    assert len(campus.by_type("IfcSlab")) == n_storeys
    assert len(campus.by_type("IfcSpace")) == n_storeys * ROOMS_X * ROOMS_Y
    assert len(campus.by_type("IfcBuilding")) == 1


def test_storeys_fill_buildings_before_a_new_building_starts(tmp_path: Path) -> None:
    n_walls = (STOREYS_PER_BUILDING + 1) * WALLS_PER_STOREY + 1
    model = ifcopenshell.open(str(synthetic_ifc(tmp_path / "two.ifc", n_walls=n_walls)))
    buildings = model.by_type("IfcBuilding")
    storeys_per_building = [
        len(ifcopenshell.util.element.get_decomposition(b, is_recursive=False)) for b in buildings
    ]
    assert storeys_per_building == [STOREYS_PER_BUILDING, 2]
    assert len(model.by_type("IfcWall")) == n_walls


def test_a_tenth_of_the_walls_hold_a_door_or_window_in_an_opening(
    campus: ifcopenshell.file,
) -> None:
    opened = [w for w in campus.by_type("IfcWall") if w.HasOpenings]
    assert len(opened) == N_WALLS // 10
    openings = [w.HasOpenings[0].RelatedOpeningElement for w in opened]
    fillers = [o.HasFillings[0].RelatedBuildingElement for o in openings]
    kinds = Counter(f.is_a() for f in fillers)
    assert set(kinds) == {"IfcDoor", "IfcWindow"}
    assert sum(kinds.values()) == len(opened)
    for filler in fillers:
        (item,) = filler.Representation.Representations[0].Items
        assert item.is_a("IfcMappedItem")


def test_every_space_has_a_name_a_long_name_and_base_quantities(
    campus: ifcopenshell.file,
    shapes: dict[int, tuple[str, np.ndarray, np.ndarray]],
) -> None:
    spaces = campus.by_type("IfcSpace")
    assert len({s.Name for s in spaces}) == len(spaces)
    assert all(s.LongName for s in spaces)
    for space in spaces:
        qto = ifcopenshell.util.element.get_psets(space, qtos_only=True)["Qto_SpaceBaseQuantities"]
        extent = np.ptp(shapes[space.id()][1], axis=0)
        assert qto["NetFloorArea"] == pytest.approx(extent[0] * extent[1], abs=1e-3)
        assert qto["Height"] == pytest.approx(extent[2])


def test_the_map_conversion_places_the_origin_at_the_given_coordinates(tmp_path: Path) -> None:
    path = synthetic_ifc(
        tmp_path / "utm.ifc", n_walls=10, crs="EPSG:25832", eastings=458657.3, northings=5438232.25
    )
    model = ifcopenshell.open(str(path))
    (conversion,) = model.by_type("IfcMapConversion")
    assert conversion.TargetCRS.Name == "EPSG:25832"
    assert "UTM zone 32N" in conversion.TargetCRS.Description
    assert ifcopenshell.util.geolocation.auto_xyz2enh(model, 10.0, 20.0, 3.0) == pytest.approx(
        (458667.3, 5438252.25, 3.0)
    )


def test_the_importers_iterator_tessellates_every_wall_and_cuts_the_openings(
    campus: ifcopenshell.file,
    shapes: dict[int, tuple[str, np.ndarray, np.ndarray]],
) -> None:
    counts = Counter(kind for kind, _, _ in shapes.values())
    assert counts["IfcWall"] == N_WALLS
    assert counts["IfcSpace"] == len(campus.by_type("IfcSpace"))
    for wall in campus.by_type("IfcWall"):
        _, verts, faces = shapes[wall.id()]
        # a plain box has 8 corners and 12 triangles; a cut one has more
        assert (len(verts), len(faces)) == (8, 12) or wall.HasOpenings
        if wall.HasOpenings:
            assert len(verts) > 8
    campus_extent = np.ptp(np.vstack([v for _, v, _ in shapes.values()]), axis=0)
    assert campus_extent[2] == pytest.approx(3 * 3.5)  # slab under RDC to the top of R+2


def test_the_file_is_valid_against_the_ifc4_schema(campus: ifcopenshell.file) -> None:
    log = ifcopenshell.validate.json_logger()
    ifcopenshell.validate.validate(campus, log, express_rules=True)
    assert log.statements == []


def test_one_seed_gives_one_file_and_another_seed_another(tmp_path: Path) -> None:
    first = synthetic_ifc(tmp_path / "a.ifc", n_walls=60, seed=3).read_bytes()
    again = synthetic_ifc(tmp_path / "b.ifc", n_walls=60, seed=3).read_bytes()
    other = synthetic_ifc(tmp_path / "c.ifc", n_walls=60, seed=4).read_bytes()
    assert again.replace(b"'b.ifc'", b"'a.ifc'") == first
    assert other.replace(b"'c.ifc'", b"'a.ifc'") != first


def test_no_wall_at_all_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="n_walls must be at least 1"):
        synthetic_ifc(tmp_path / "empty.ifc", n_walls=0)
