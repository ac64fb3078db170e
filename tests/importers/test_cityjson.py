"""The CityJSON importer turns 3D buildings (3D BAG, Lyon, cityjson.org samples) into footprints,
base altitudes and heights, and reports what it cannot use.

No real CityJSON file is in ../shared/data: the files here are written by :class:`CityJSON`
after the specifications (CityJSON 1.1 and 2.0) and the shapes of real files: 3D BAG tiles
(EPSG:7415, LoD 0 on the Building, LoD 1.2/1.3/2.2 solids with semantics on BuildingPart
children), the Métropole de Lyon model (EPSG:3946, LoD2 MultiSurfaces of roofs and walls
without ground surfaces) and the cityjson.org samples (other city objects around buildings).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS, Transformer

from importers import cityjson, registry
from importers.base import ImportOptions
from importers.merge import merge_result
from twin.catalogue import BUILDINGS
from twin.city import City
from twin.errors import CrsError, InvalidInputError
from twin.spec import conform

logger = logging.getLogger(__name__)

RD_NAP = "https://www.opengis.net/def/crs/EPSG/0/7415"
LYON = "https://www.opengis.net/def/crs/EPSG/0/3946"
LAMBERT93 = CRS.from_epsg(2154)
AMERSFOORT = CRS.from_epsg(28992)
CC46 = CRS.from_epsg(3946)

SEMANTICS = [{"type": "GroundSurface"}, {"type": "RoofSurface"}, {"type": "WallSurface"}]


class CityJSON:
    """Writes small CityJSON files: integer vertices under a transform, like real writers."""

    def __init__(
        self,
        version: str = "2.0",
        crs: str | None = RD_NAP,
        origin: tuple[float, float] = (85000.0, 447000.0),
    ) -> None:
        self.version, self.crs, self.origin = version, crs, origin
        self.vertices: list[list[int]] = []
        self.numbers: dict[tuple[int, int, int], int] = {}
        self.objects: dict[str, dict[str, Any]] = {}

    def v(self, x: float, y: float, z: float) -> int:
        key = (
            round((x - self.origin[0]) * 1000),
            round((y - self.origin[1]) * 1000),
            round(z * 1000),
        )
        if key not in self.numbers:
            self.numbers[key] = len(self.vertices)
            self.vertices.append(list(key))
        return self.numbers[key]

    def faces(
        self, x: float, y: float, w: float, d: float, z0: float, eaves: float, ridge: float
    ) -> tuple[list[list[int]], list[int]]:
        """Ground, walls and roof of a box (ridge == eaves) or a gable house (ridge along x)."""
        b = [self.v(x, y, z0), self.v(x + w, y, z0), self.v(x + w, y + d, z0), self.v(x, y + d, z0)]
        t = [
            self.v(px, py, z0 + eaves)
            for px, py in ((x, y), (x + w, y), (x + w, y + d), (x, y + d))
        ]
        ground = [b[0], b[3], b[2], b[1]]
        if ridge == eaves:
            walls = [[b[i], b[(i + 1) % 4], t[(i + 1) % 4], t[i]] for i in range(4)]
            return [ground, [t[0], t[1], t[2], t[3]], *walls], [0, 1, 2, 2, 2, 2]
        r0, r1 = self.v(x, y + d / 2, z0 + ridge), self.v(x + w, y + d / 2, z0 + ridge)
        walls = [
            [b[0], b[1], t[1], t[0]],
            [b[2], b[3], t[3], t[2]],
            [b[3], b[0], t[0], r0, t[3]],
            [b[1], b[2], t[2], r1, t[1]],
        ]
        roofs = [[t[0], t[1], r1, r0], [t[2], t[3], r0, r1]]
        return [ground, *walls, *roofs], [0, 2, 2, 2, 2, 1, 1]

    def solid(self, lod: Any, *box: float) -> dict[str, Any]:
        faces, values = self.faces(*box)
        return {
            "type": "Solid",
            "lod": lod,
            "boundaries": [[[face] for face in faces]],
            "semantics": {"surfaces": SEMANTICS, "values": [values]},
        }

    def roofs_and_walls(self, lod: Any, *box: float) -> dict[str, Any]:
        """A Lyon-like LoD2 MultiSurface: roofs and walls, no ground surface."""
        faces, values = self.faces(*box)
        kept = [(face, value) for face, value in zip(faces, values, strict=True) if value]
        return {
            "type": "MultiSurface",
            "lod": lod,
            "boundaries": [[face] for face, _ in kept],
            "semantics": {"surfaces": SEMANTICS, "values": [value for _, value in kept]},
        }

    def lod0(self, x: float, y: float, w: float, d: float, z: float) -> dict[str, Any]:
        ring = [self.v(x, y, z), self.v(x + w, y, z), self.v(x + w, y + d, z), self.v(x, y + d, z)]
        return {"type": "MultiSurface", "lod": "0", "boundaries": [[ring]]}

    def add(self, oid: str, kind: str = "Building", geometry: Any = (), **extra: Any) -> None:
        self.objects[oid] = {"type": kind, "geometry": list(geometry), **extra}

    def bag_building(
        self,
        pand: str,
        x: float,
        y: float,
        parts: list[tuple[float, float, float]],
        **attributes: Any,
    ) -> None:
        """A 3D BAG building: LoD0 on the Building, LoD 1.2 / 1.3 / 2.2 on each BuildingPart.

        ``parts`` are (dx, w, eaves) boxes side by side along x, 8 m deep, ridge 3.5 m higher.
        """
        oid = f"NL.IMBAG.Pand.{pand}"
        children = []
        start = x
        for number, (dx, w, eaves) in enumerate(parts):
            part = f"{oid}-{number}"
            children.append(part)
            box = (start + dx, y, w, 8.0, 0.4)
            self.add(
                part,
                "BuildingPart",
                [
                    self.solid("1.2", *box, eaves, eaves),
                    self.solid("1.3", *box, eaves + 1, eaves + 1),
                    self.solid("2.2", *box, eaves, eaves + 3.5),
                ],
                parents=[oid],
            )
            start += dx + w
        width = start - x
        attributes = {"identificatie": oid, "status": "Pand in gebruik", **attributes}
        self.add(
            oid,
            "Building",
            [self.lod0(x, y, width, 8.0, 0.4)],
            attributes=attributes,
            children=children,
        )

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": "CityJSON",
            "version": self.version,
            "transform": {"scale": [0.001, 0.001, 0.001], "translate": [*self.origin, 0.0]},
            "metadata": {"title": "test tile"},
            "CityObjects": self.objects,
            "vertices": self.vertices,
        }
        if self.crs:
            doc["metadata"]["referenceSystem"] = self.crs
        return doc

    def write(self, path: Path, **dump: Any) -> Path:
        path.write_text(json.dumps(self.document(), **dump), encoding="utf-8")
        return path


def read(path: Path, target: CRS = AMERSFOORT, **options: Any) -> Any:
    return cityjson.read(path, target_crs=target, options=ImportOptions(**options))


def codes(result: Any) -> list[str]:
    return [issue.code for issue in result.issues]


def bag_tile(tmp_path: Path) -> Path:
    model = CityJSON()
    model.bag_building(
        "0503100000000001",
        85010,
        447010,
        [(0, 10, 6.0)],
        oorspronkelijkbouwjaar=1985,
        b3_bouwlagen=3,
        b3_dak_type="slanted",
        b3_h_maaiveld=0.4,
        b3_kas_warenhuis=False,
    )
    model.bag_building(
        "0503100000000002", 85040, 447010, [(0, 6, 9.0), (0, 8, 3.0)], oorspronkelijkbouwjaar=1005
    )
    model.add(
        "terrain",
        "TINRelief",
        [
            {
                "type": "CompositeSurface",
                "lod": "1",
                "boundaries": [
                    [
                        [
                            model.v(85000, 447000, 0.2),
                            model.v(85100, 447000, 0.3),
                            model.v(85100, 447100, 0.1),
                        ]
                    ]
                ],
            }
        ],
    )
    model.add("canal", "WaterBody")
    model.add("road-1", "Road")
    model.add("road-2", "Road")
    return model.write(tmp_path / "3dbag_tile.city.json")


# -- buildings from a 3D BAG tile ---------------------------------------------------------------
def test_a_3dbag_building_gets_its_lod22_footprint_base_and_ridge_height(tmp_path: Path) -> None:
    result = read(bag_tile(tmp_path))
    buildings = result.layers["buildings"].set_index("id")
    house = buildings.loc["NL.IMBAG.Pand.0503100000000001"]
    assert house["lod"] == "2.2"
    assert house.geometry.area == pytest.approx(80.0)
    assert house["base_elevation_m"] == pytest.approx(0.4)
    assert house["height_m"] == pytest.approx(9.5)  # ridge 6 + 3.5 above the ground
    assert house["height_source"] == "geometry"
    assert (house["floors"], house["construction_year"]) == (3, 1985)
    assert house["roof_type"] == "slanted" and house["use"] == "unknown"
    assert house["source"] == "cityjson" and house["status"] == "Pand in gebruik"


def test_building_parts_are_merged_into_one_footprint_and_the_tallest_height(
    tmp_path: Path,
) -> None:
    buildings = read(bag_tile(tmp_path)).layers["buildings"].set_index("id")
    assert len(buildings) == 2  # parts are not rows of their own
    two_parts = buildings.loc["NL.IMBAG.Pand.0503100000000002"]
    assert two_parts.geometry.geom_type == "Polygon"
    assert two_parts.geometry.area == pytest.approx(6 * 8 + 8 * 8)
    assert two_parts["height_m"] == pytest.approx(12.5)


def test_the_bag_unknown_year_1005_is_left_empty(tmp_path: Path) -> None:
    buildings = read(bag_tile(tmp_path)).layers["buildings"].set_index("id")
    assert pd.isna(buildings.loc["NL.IMBAG.Pand.0503100000000002", "construction_year"])


def test_other_city_objects_are_counted_by_type_not_imported(tmp_path: Path) -> None:
    result = read(bag_tile(tmp_path))
    skipped = {i.feature: i.message for i in result.issues if i.code == "skipped_city_objects"}
    assert set(skipped) == {"Road", "TINRelief", "WaterBody"}
    assert skipped["Road"].startswith("2 Road object(s)")
    assert result.provenance.details["city_objects"]["BuildingPart"] == 3


def test_the_compound_crs_gives_its_horizontal_part_and_footprints_are_reprojected(
    tmp_path: Path,
) -> None:
    result = read(bag_tile(tmp_path), target=LAMBERT93)
    assert result.provenance.details["source_crs"] == "EPSG:28992"
    assert result.provenance.details["vertical_crs"] == "NAP height"
    house = result.layers["buildings"].set_index("id").loc["NL.IMBAG.Pand.0503100000000001"]
    expected = Transformer.from_crs(AMERSFOORT, LAMBERT93, always_xy=True).transform(85015, 447014)
    assert house.geometry.centroid.x == pytest.approx(expected[0], abs=0.05)
    assert house.geometry.centroid.y == pytest.approx(expected[1], abs=0.05)
    assert house["base_elevation_m"] == pytest.approx(0.4)  # z is kept as it is (NAP here)


def test_the_layer_conforms_to_the_buildings_spec_and_merges_into_a_city(tmp_path: Path) -> None:
    result = read(bag_tile(tmp_path), target=LAMBERT93)
    conform(result.layers["buildings"], BUILDINGS, source="3dbag_tile.city.json")
    city = City(LAMBERT93, name="test")
    report = merge_result(city, result)
    assert report.added["buildings"] == 2
    assert city.layer("buildings")["b3_kas_warenhuis"].dropna().tolist() == [False]


# -- Lyon-like LoD2 MultiSurfaces ---------------------------------------------------------------
def lyon(tmp_path: Path, crs: str | None = LYON) -> Path:
    model = CityJSON(crs=crs, origin=(1842000.0, 5175000.0))
    model.add(
        "LYON_1",
        geometry=[model.roofs_and_walls("2", 1842010, 5175010, 12, 10, 170.0, 12, 15)],
        attributes={
            "function": "1000",
            "yearOfConstruction": "1972-01-01",
            "storeysAboveGround": 4,
        },
    )
    model.add(
        "LYON_2",
        geometry=[model.roofs_and_walls("2", 1842040, 5175010, 20, 15, 171.5, 7, 7)],
        attributes={
            "function": "1120",
            "measuredHeight": 7.2,
            "id": "bati-2",
            "address": {"street": "rue X"},
        },
    )
    for surface in model.objects["LYON_2"]["geometry"][0]["boundaries"]:
        surface[0].append(surface[0][0])  # converters from CityGML often keep rings closed
    return model.write(tmp_path / "lyon_lod2.city.json")


def test_without_ground_surfaces_the_roofs_seen_from_above_make_the_footprint(
    tmp_path: Path,
) -> None:
    buildings = read(lyon(tmp_path), target=CC46).layers["buildings"].set_index("id")
    first = buildings.loc["LYON_1"]
    assert first.geometry.area == pytest.approx(120.0)
    assert first.geometry.bounds == pytest.approx((1842010, 5175010, 1842022, 5175020))
    assert first["base_elevation_m"] == pytest.approx(170.0)
    assert first["height_m"] == pytest.approx(15.0)
    assert buildings.loc["LYON_2"].geometry.area == pytest.approx(300.0)  # closed rings too


def test_functions_years_and_storeys_map_onto_the_twin_columns(tmp_path: Path) -> None:
    result = read(lyon(tmp_path), target=LAMBERT93)
    buildings = result.layers["buildings"].set_index("id")
    assert buildings.loc["LYON_1", "use"] == "residential"  # 1000: residential building
    assert buildings.loc["LYON_1", "construction_year"] == 1972
    assert buildings.loc["LYON_1", "floors"] == 4
    assert buildings.loc["LYON_2", "use"] == "unknown"
    unmapped = [i for i in result.issues if i.code == "use_unmapped"]
    assert len(unmapped) == 1 and "'1120'" in unmapped[0].message


def test_clashing_attributes_are_renamed_and_nested_ones_left_out(tmp_path: Path) -> None:
    buildings = read(lyon(tmp_path), target=CC46).layers["buildings"]
    assert "attr_id" in buildings.columns and "address" not in buildings.columns
    assert buildings.set_index("id").loc["LYON_2", "attr_id"] == "bati-2"


def test_the_users_use_translations_come_before_the_built_in_table(tmp_path: Path) -> None:
    result = read(lyon(tmp_path), target=CC46, values={"use": {"1120": "office"}})
    assert result.layers["buildings"].set_index("id").loc["LYON_2", "use"] == "office"
    assert "use_unmapped" not in codes(result)


# -- the coordinate system ----------------------------------------------------------------------
def test_a_file_without_crs_asks_for_crs(tmp_path: Path) -> None:
    path = lyon(tmp_path, crs=None)
    with pytest.raises(
        CrsError, match=r"lyon_lod2\.city\.json declares no coordinate system.*--crs"
    ):
        read(path)
    result = read(path, target=LAMBERT93, source_crs=CC46)
    assert len(result.layers["buildings"]) == 2


def test_a_cityjson_11_file_with_an_urn_crs_and_number_lods_is_read(tmp_path: Path) -> None:
    model = CityJSON(version="1.1", crs="urn:ogc:def:crs:EPSG::7415")
    geometry = model.solid(2, 85000, 447000, 10, 10, 1.0, 5.0, 5.0)
    model.add("b", geometry=[geometry])
    result = read(model.write(tmp_path / "old.json"))
    assert result.layers["buildings"]["lod"].tolist() == ["2"]
    assert result.provenance.details["source_crs"] == "EPSG:28992"


# -- geometry types -----------------------------------------------------------------------------
def test_a_courtyard_keeps_its_hole_and_multisolids_are_read(tmp_path: Path) -> None:
    model = CityJSON()
    outer = [model.v(85000 + x, 447000 + y, 2.0) for x, y in ((0, 0), (30, 0), (30, 30), (0, 30))]
    inner = [
        model.v(85000 + x, 447000 + y, 2.0) for x, y in ((10, 10), (10, 20), (20, 20), (20, 10))
    ]
    top = [model.v(85000 + x, 447000 + y, 14.0) for x, y in ((0, 0), (30, 0), (30, 30))]
    model.add(
        "courtyard",
        geometry=[
            {
                "type": "CompositeSurface",
                "lod": "1.2",
                "boundaries": [[outer[::-1], inner[::-1]], [top]],
                "semantics": {
                    "surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}],
                    "values": [0, 1],
                },
            }
        ],
    )
    first, second = (model.solid("1.2", 85100 + dx, 447000, 5, 5, 0.0, 3, 3) for dx in (0, 10))
    model.add(
        "twin-blocks",
        geometry=[
            {
                "type": "MultiSolid",
                "lod": "1.2",
                "boundaries": [first["boundaries"], second["boundaries"]],
                "semantics": {
                    "surfaces": SEMANTICS,
                    "values": [first["semantics"]["values"], second["semantics"]["values"]],
                },
            }
        ],
    )
    buildings = read(model.write(tmp_path / "shapes.city.json")).layers["buildings"].set_index("id")
    courtyard = buildings.loc["courtyard"].geometry
    assert len(courtyard.interiors) == 1 and courtyard.area == pytest.approx(800.0)
    assert buildings.loc["courtyard", "height_m"] == pytest.approx(12.0)
    blocks = buildings.loc["twin-blocks"].geometry
    assert blocks.geom_type == "MultiPolygon" and blocks.area == pytest.approx(50.0)


def test_the_highest_lod_is_read_and_flat_lod0_heights_fall_back_on_attributes(
    tmp_path: Path,
) -> None:
    model = CityJSON()
    model.add(
        "measured",
        geometry=[model.lod0(85000, 447000, 10, 10, 3.0)],
        attributes={"measuredHeight": 12.0},
    )
    model.add(
        "storeys",
        geometry=[model.lod0(85020, 447000, 10, 10, 3.0)],
        attributes={"storeysAboveGround": 2},
    )
    model.add("nothing", geometry=[model.lod0(85040, 447000, 10, 10, 3.0)])
    result = read(model.write(tmp_path / "lod0.city.json"))
    buildings = result.layers["buildings"].set_index("id")
    assert buildings["height_m"].to_dict() == {"measured": 12.0, "storeys": 6.0, "nothing": 5.0}
    assert buildings["height_source"].tolist() == ["measured", "floors", "use_default"]
    assert codes(result).count("geometry_height_unusable") == 3


def test_flat_3dbag_buildings_take_roof_minus_ground_from_their_attributes(
    tmp_path: Path,
) -> None:
    model = CityJSON()
    model.add(
        "NL.IMBAG.Pand.1",
        geometry=[model.lod0(85000, 447000, 10, 10, 0.5)],
        attributes={"b3_h_dak_max": 11.5, "b3_h_maaiveld": 0.5},
    )
    buildings = read(model.write(tmp_path / "lod0_bag.city.json")).layers["buildings"]
    assert buildings["height_m"].tolist() == [11.0]
    assert buildings["height_source"].tolist() == ["roof_minus_ground"]


def test_a_part_without_the_chosen_lod_and_an_orphan_part_are_reported(tmp_path: Path) -> None:
    model = CityJSON()
    model.add("B", children=["B-0", "B-1"])
    model.add(
        "B-0", "BuildingPart", [model.solid("2.2", 85000, 447000, 10, 8, 0.0, 6, 9)], parents=["B"]
    )
    model.add(
        "B-1", "BuildingPart", [model.solid("1.2", 85010, 447000, 5, 8, 0.0, 3, 3)], parents=["B"]
    )
    model.add("lonely", "BuildingPart", [model.solid("1.2", 85100, 447000, 5, 5, 0.0, 3, 3)])
    model.objects["not-an-object"] = ["Building"]  # type: ignore[assignment]
    result = read(model.write(tmp_path / "parts.city.json"))
    buildings = result.layers["buildings"].set_index("id")
    assert buildings.index.tolist() == ["B", "lonely"]
    assert buildings.loc["B"].geometry.area == pytest.approx(80.0)  # B-1 has no LoD 2.2
    found = {i.feature: i.code for i in result.issues}
    assert found["B-1"] == "part_without_lod"
    assert found["lonely"] == "orphan_building_part"
    assert found["not-an-object"] == "invalid_city_object"


def test_a_bbox_in_the_files_coordinates_keeps_the_buildings_it_meets(tmp_path: Path) -> None:
    result = cityjson.read(
        bag_tile(tmp_path),
        target_crs=AMERSFOORT,
        options=ImportOptions(),
        bbox=(85000, 447000, 85030, 447030),
    )
    assert result.layers["buildings"]["id"].tolist() == ["NL.IMBAG.Pand.0503100000000001"]


# -- what is reported, what stops the import ---------------------------------------------------
def test_a_broken_city_object_is_reported_and_the_others_imported(tmp_path: Path) -> None:
    model = CityJSON()
    model.add("good", geometry=[model.solid("1.2", 85000, 447000, 10, 10, 0.0, 6, 6)])
    model.add("broken", geometry=[{"type": "Solid", "lod": "2", "boundaries": [[1, 2, 3]]}])
    model.add("empty")
    model.add(
        "tree-like",
        geometry=[
            {
                "type": "GeometryInstance",
                "template": 0,
                "boundaries": [0],
                "transformationMatrix": [0] * 16,
            }
        ],
    )
    model.add(
        "no-footprint",
        geometry=[
            {
                "type": "MultiSurface",
                "lod": "1",
                "boundaries": [
                    [
                        [
                            model.v(85050, 447000, 0),
                            model.v(85060, 447000, 0),
                            model.v(85060, 447000, 9),
                        ]
                    ]
                ],
            }
        ],
    )
    result = read(model.write(tmp_path / "mixed.city.json"))
    assert result.layers["buildings"]["id"].tolist() == ["good"]
    found = {i.feature: i for i in result.issues if i.severity == "error"}
    assert found["broken"].code == "invalid_city_object"
    assert found["empty"].code == "no_geometry"
    assert "GeometryInstance" in found["tree-like"].message
    assert found["no-footprint"].code == "footprint_missing"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"type": "CityJSON", "version": "2.0", "CityObj', r"not valid JSON .*line 1"),
        ('{"type": "CityJSON", "version": "2.0", "vertices": []}', r'no "CityObjects"'),
        ('{"type": "CityJSON", "version": "2.0", "CityObjects": {}}', r'no "vertices"'),
        (
            '{"type": "CityJSON", "version": "1.0", "CityObjects": {}, "vertices": []}',
            r"version '1\.0', which is not supported \(supported: 1\.1, 2\.0\)",
        ),
        ('{"type": "FeatureCollection", "features": []}', r"not CityJSON"),
    ],
)
def test_files_that_are_not_usable_cityjson_are_refused_with_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.city.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message):
        read(path)


def test_a_vertex_index_out_of_range_is_a_damaged_file(tmp_path: Path) -> None:
    model = CityJSON()
    model.add("b", geometry=[model.solid("1.2", 85000, 447000, 10, 10, 0.0, 6, 6)])
    document = model.document()
    document["vertices"] = document["vertices"][:5]
    path = tmp_path / "truncated.city.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(
        InvalidInputError, match=r"'b' uses vertex \d+, which does not exist .*5 vertices.*damaged"
    ):
        read(path)


# -- CityJSONSeq, sniffing, registry ------------------------------------------------------------
def test_a_cityjsonseq_gives_the_same_buildings_as_the_file(tmp_path: Path) -> None:
    whole = bag_tile(tmp_path)
    document = json.loads(whole.read_text())
    vertices = document.pop("vertices")
    objects = document.pop("CityObjects")
    lines = [json.dumps({**document, "CityObjects": {}, "vertices": []})]
    for oid, obj in objects.items():
        if obj["type"] == "BuildingPart":
            continue
        members = {oid: obj, **{c: objects[c] for c in obj.get("children", [])}}
        used = sorted({i for o in members.values() for i in _indices(o.get("geometry", []))})
        local = {old: new for new, old in enumerate(used)}
        for member in members.values():
            for geometry in member.get("geometry", []):
                geometry["boundaries"] = _renumber(geometry["boundaries"], local)
        lines.append(
            json.dumps(
                {
                    "type": "CityJSONFeature",
                    "id": oid,
                    "CityObjects": members,
                    "vertices": [vertices[i] for i in used],
                }
            )
        )
    path = tmp_path / "tile.city.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cityjson.sniff(path)
    seq = read(path).layers["buildings"].set_index("id")
    plain = read(whole).layers["buildings"].set_index("id")
    assert seq.index.tolist() == plain.index.tolist()
    assert np.allclose(seq["height_m"], plain["height_m"])
    assert all(shapely.equals(seq.geometry.to_numpy(), plain.geometry.to_numpy()))


def _indices(value: Any) -> list[int]:
    if isinstance(value, int):
        return [value]
    if isinstance(value, dict):
        return _indices(value.get("boundaries", []))
    return [i for item in value for i in _indices(item)]


def _renumber(value: Any, local: dict[int, int]) -> Any:
    return local[value] if isinstance(value, int) else [_renumber(v, local) for v in value]


def test_cityjson_is_recognised_by_content_whatever_the_key_order(tmp_path: Path) -> None:
    path = bag_tile(tmp_path)
    sorted_keys = CityJSON()
    sorted_keys.add("b", geometry=[sorted_keys.solid("1.2", 85000, 447000, 10, 10, 0.0, 6, 6)])
    renamed = sorted_keys.write(tmp_path / "export.json", sort_keys=True)
    geojson = tmp_path / "plain.json"
    geojson.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert cityjson.sniff(path) and cityjson.sniff(renamed)
    assert not cityjson.sniff(geojson)
    if "importers.cityjson" in registry.IMPORTER_MODULES:
        assert registry.find_importer(renamed, ImportOptions()).NAME == "cityjson"
        assert registry.find_importer(geojson, ImportOptions()).NAME != "cityjson"


def test_five_thousand_buildings_are_read_in_a_few_seconds(tmp_path: Path) -> None:
    model = CityJSON(origin=(84000.0, 446000.0))
    for n in range(5000):
        x, y = 84000 + (n % 70) * 15, 446000 + (n // 70) * 15
        model.bag_building(
            f"{n:016d}",
            x,
            y,
            [(0, 6, 5.0 + n % 7), (0, 5, 3.0)],
            oorspronkelijkbouwjaar=1900 + n % 120,
            b3_bouwlagen=1 + n % 4,
        )
    path = model.write(tmp_path / "big.city.json")
    start = time.perf_counter()
    result = read(path)
    seconds = time.perf_counter() - start
    logger.info("5,000 3D BAG buildings (10,000 parts) read in %.2f s", seconds)
    buildings = result.layers["buildings"]
    assert len(buildings) == 5000
    assert (buildings["height_source"] == "geometry").all()
    assert buildings.geometry.area.to_numpy() == pytest.approx(88.0)
    assert seconds < 20
