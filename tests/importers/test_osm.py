"""The OpenStreetMap importer builds buildings and roads from XML and PBF, reporting what it
cannot build (ways and relations cut by the extract's edge, unreadable tags)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import osmium
import pandas as pd
import pytest
import shapely
from pyproj import CRS

from importers import osm
from importers.base import ImportOptions, ImportResult
from importers.registry import find_importer
from twin.catalogue import BUILDINGS, ROADS
from twin.errors import InvalidInputError, UnsupportedFormatError
from twin.spec import conform

LAMBERT93 = CRS.from_epsg(2154)
BOM = b"\xef\xbb\xbf"

# --- small extracts written in the test -------------------------------------------------------

#: Nodes near Redon: a 4 x 4 grid, about 22 m apart (lon step 0.0003°, lat step 0.0002°).
GRID = {
    10 * row + col: (-2.09 + 0.0003 * col, 47.65 + 0.0002 * row)
    for row in range(4)
    for col in range(4)
}


def osm_xml(ways: str, relations: str = "", *, bom: bool = True, extra_nodes: str = "") -> bytes:
    """An OSM XML document with the GRID nodes (ids 100 + key) and the given ways/relations."""
    nodes = "".join(
        f'  <node id="{100 + key}" lat="{lat:.7f}" lon="{lon:.7f}"/>\n'
        for key, (lon, lat) in GRID.items()
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n'
        f"{nodes}{extra_nodes}{ways}{relations}</osm>\n"
    )
    return (BOM if bom else b"") + text.encode()


def way(way_id: int, keys: list[int], **tags: str) -> str:
    """A way through GRID nodes ``keys``; tag names use ``__`` for ``:``."""
    refs = "".join(f'<nd ref="{100 + key}"/>' for key in keys)
    tag_text = "".join(f'<tag k="{k.replace("__", ":")}" v="{v}"/>' for k, v in tags.items())
    return f'  <way id="{way_id}">{refs}{tag_text}</way>\n'


def read_bytes(
    tmp_path: Path, data: bytes, name: str = "extract.osm", **options: float
) -> ImportResult:
    path = tmp_path / name
    path.write_bytes(data)
    return osm.read(path, target_crs=LAMBERT93, options=ImportOptions(**options))


def codes(result: ImportResult) -> Counter[str]:
    return Counter(issue.code for issue in result.issues)


def test_a_building_way_becomes_a_polygon_with_its_tags_in_lambert93(tmp_path: Path) -> None:
    data = osm_xml(
        way(
            1,
            [0, 1, 11, 10, 0],
            building="house",
            name="Maison Test",
            addr__housenumber="32",
            addr__street="Grande Rue",
            start_date="1975",
            roof__shape="gabled",
            roof__height="2.5 m",
        )
    )
    buildings = read_bytes(tmp_path, data).layers["buildings"]
    row = buildings.iloc[0]
    assert (row["id"], row["use"], row["name"]) == ("way/1", "residential", "Maison Test")
    assert (row["address"], row["construction_year"], row["source"]) == (
        "32 Grande Rue",
        1975,
        "osm",
    )
    assert (row["roof_shape"], row["roof_height_m"]) == ("gabled", 2.5)
    assert row.geometry.area == pytest.approx(22.5 * 22.2, rel=0.05)
    assert 310_000 < row.geometry.centroid.x < 325_000
    assert 6_735_000 < row.geometry.centroid.y < 6_745_000


def test_heights_in_metres_and_feet_are_measured_and_unreadable_ones_reported(
    tmp_path: Path,
) -> None:
    data = osm_xml(
        way(1, [0, 1, 11, 10, 0], building="yes", height="12")
        + way(2, [1, 2, 12, 11, 1], building="yes", height="12.5m")
        + way(3, [2, 3, 13, 12, 2], building="yes", height="40'")
        + way(4, [10, 11, 21, 20, 10], building="yes", height="tall", building__levels="2")
        + way(5, [11, 12, 22, 21, 11], building="yes", building__levels="3", roof__levels="1")
        + way(6, [12, 13, 23, 22, 12], building="garage")
    )
    result = read_bytes(tmp_path, data, storey_height_m=3.0)
    buildings = result.layers["buildings"].set_index("id")
    assert buildings["height_m"].round(3).tolist() == [12.0, 12.5, 12.192, 6.0, 10.5, 3.0]
    assert buildings["height_source"].tolist() == [
        "measured",
        "measured",
        "measured",
        "floors",
        "floors",
        "use_default",
    ]
    [unreadable] = [i for i in result.issues if i.code == "height_unparseable"]
    assert unreadable.feature == "way/4" and "tall" in unreadable.message


def test_a_multipolygon_relation_joins_split_outer_ways_and_keeps_its_hole(tmp_path: Path) -> None:
    outer_south = way(1, [0, 1, 2, 3, 13, 23, 33])
    outer_north = way(2, [33, 32, 31, 30, 20, 10, 0])
    inner = way(3, [11, 12, 22, 21, 11])
    relation = (
        '  <relation id="9"><member type="way" ref="1" role="outer"/>'
        '<member type="way" ref="2" role="outer"/><member type="way" ref="3" role="inner"/>'
        '<tag k="type" v="multipolygon"/><tag k="building" v="school"/></relation>\n'
    )
    result = read_bytes(tmp_path, osm_xml(outer_south + outer_north + inner, relation))
    buildings = result.layers["buildings"]
    assert buildings["id"].tolist() == ["relation/9"]
    polygon = buildings.geometry.iloc[0]
    assert polygon.geom_type == "Polygon" and len(polygon.interiors) == 1
    assert polygon.area == pytest.approx(8 * 22.5 * 22.2, rel=0.05)  # 9 cells minus the hole
    assert buildings["use"].iloc[0] == "public"
    assert not result.issues


def test_ways_and_relations_cut_by_the_extract_edge_are_reported_not_built(tmp_path: Path) -> None:
    cut_way = '  <way id="5"><nd ref="100"/><nd ref="101"/><nd ref="999"/><nd ref="100"/>'
    cut_way += '<tag k="building" v="yes"/></way>\n'
    relation = (
        '  <relation id="9"><member type="way" ref="77" role="outer"/>'
        '<tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>\n'
    )
    unclosed = way(6, [10, 11, 21, 20], building="yes")
    result = read_bytes(tmp_path, osm_xml(cut_way + unclosed, relation))
    assert result.layers["buildings"].empty
    features = {(i.code, i.feature) for i in result.issues}
    assert features == {
        ("incomplete_way", "way/5"),
        ("incomplete_relation", "relation/9"),
        ("unclosed_way", "way/6"),
    }


def test_a_self_intersecting_building_is_repaired_and_reported_by_its_id(tmp_path: Path) -> None:
    bowtie = way(1, [0, 11, 1, 10, 0], building="yes")
    result = read_bytes(tmp_path, osm_xml(bowtie))
    buildings = result.layers["buildings"]
    assert buildings.is_valid.all()
    assert [(i.code, i.feature) for i in result.issues] == [("invalid_geometry", "way/1")]


def test_duplicates_and_slivers_are_reported_and_kept_and_building_no_is_ignored(
    tmp_path: Path,
) -> None:
    tiny = '  <node id="900" lat="47.6500050" lon="-2.0900000"/>\n'
    tiny += '  <node id="901" lat="47.6500050" lon="-2.0899900"/>\n'
    data = osm_xml(
        way(1, [0, 1, 11, 10, 0], building="yes")
        + way(2, [1, 11, 10, 0, 1], building="yes")  # the same square, drawn from another corner
        + '  <way id="3"><nd ref="100"/><nd ref="901"/><nd ref="900"/><nd ref="100"/>'
        '<tag k="building" v="shed"/></way>\n' + way(4, [2, 3, 13, 12, 2], building="no"),
        extra_nodes=tiny,
    )
    result = read_bytes(tmp_path, data)
    assert result.layers["buildings"]["id"].tolist() == ["way/1", "way/2", "way/3"]
    assert {(i.code, i.feature) for i in result.issues} == {
        ("duplicate_geometry", "way/2"),
        ("sliver", "way/3"),
    }


def test_road_tags_map_onto_kind_lanes_width_oneway_and_walkable(tmp_path: Path) -> None:
    data = osm_xml(
        way(1, [0, 1, 2], highway="residential", name="Rue A", lanes="2", width="6 m")
        + way(2, [10, 11, 12], highway="primary", oneway="-1")
        + way(3, [20, 21, 22], highway="motorway", lanes="30")
        + way(4, [30, 31], highway="footway", foot="no", lanes="2;3")
        + way(5, [0, 10, 11, 1, 0], highway="pedestrian", area="yes")
    )
    result = read_bytes(tmp_path, data)
    roads = result.layers["roads"].set_index("id")
    assert roads.index.tolist() == ["way/1", "way/2", "way/3", "way/4"]
    assert roads["kind"].tolist() == ["residential", "primary", "motorway", "footway"]
    assert roads.loc["way/1", ["name", "lanes", "width_m"]].tolist() == ["Rue A", 2, 6.0]
    assert roads["oneway"].tolist() == [False, True, True, False]
    assert roads["walkable"].tolist() == [True, True, False, False]
    assert set(roads["source"]) == {"osm"}
    reversed_line = roads.loc["way/2"].geometry
    assert reversed_line.coords[0][0] > reversed_line.coords[-1][0]  # drawn east to west
    assert roads.loc["way/3", "lanes"] is pd.NA  # 30 lanes: outside 0-20, left empty
    assert codes(result) == {
        "highway_area_skipped": 1,
        "lanes_unparseable": 1,
        "lanes_out_of_range": 1,
    }


def test_xml_entities_are_refused_and_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE osm [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>\n'
        '<osm version="0.6"><node id="1" lat="47.6" lon="-2.0"><tag k="name" v="&xxe;"/></node>'
        "</osm>\n"
    ).encode()
    path = tmp_path / "evil.osm"
    path.write_bytes(data)
    assert osm.sniff(path)
    with pytest.raises(InvalidInputError, match=r"evil\.osm") as error:
        osm.read(path, target_crs=LAMBERT93, options=ImportOptions())
    assert "TOP-SECRET" not in str(error.value)


def test_a_truncated_file_is_one_clear_error(tmp_path: Path) -> None:
    data = osm_xml(way(1, [0, 1, 11, 10, 0], building="yes"))
    path = tmp_path / "cut.osm"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidInputError, match=r"cut\.osm cannot be read"):
        osm.read(path, target_crs=LAMBERT93, options=ImportOptions())


def test_content_not_the_name_tells_osm_xml_and_pbf_apart_from_other_files(tmp_path: Path) -> None:
    xml = tmp_path / "no_suffix"
    xml.write_bytes(osm_xml("", bom=False).replace(b"?>\n", b"?>\n<!-- exported -->\n", 1))
    gpx = tmp_path / "track.osm"
    gpx.write_bytes(b'<?xml version="1.0"?>\n<gpx version="1.1"></gpx>')
    pbf = tmp_path / "tiny.bin"
    with osmium.SimpleWriter(str(tmp_path / "tiny.osm.pbf")) as writer:
        writer.add_node(osmium.osm.mutable.Node(id=1, location=(-2.08, 47.65)))
    (tmp_path / "tiny.osm.pbf").rename(pbf)
    assert osm.file_format(xml) == "osm"
    assert osm.file_format(pbf) == "pbf"
    assert not osm.sniff(gpx)
    with pytest.raises(UnsupportedFormatError, match=r"track\.osm"):
        osm.read(gpx, target_crs=LAMBERT93, options=ImportOptions())


# --- the real Redon extract -----------------------------------------------------------------


@pytest.fixture(scope="module")
def redon(shared_data: Path) -> Path:
    return shared_data / "roads" / "redon.osm"


@pytest.fixture(scope="module")
def redon_result(redon: Path) -> ImportResult:
    return osm.read(redon, target_crs=LAMBERT93, options=ImportOptions())


def test_redon_starts_with_a_bom_and_the_registry_picks_the_osm_importer(redon: Path) -> None:
    assert redon.read_bytes()[:3] == BOM
    assert find_importer(redon, ImportOptions()).NAME == "osm"


def test_redon_gives_its_1015_complete_building_ways_and_7_relations(
    redon_result: ImportResult,
) -> None:
    buildings = redon_result.layers["buildings"]
    kinds = buildings["id"].str.split("/").str[0].value_counts().to_dict()
    assert kinds == {"way": 1015, "relation": 7}
    cut = [
        i
        for i in redon_result.issues
        if i.code == "incomplete_way" and i.message.startswith("building way")
    ]
    assert len(cut) == 51
    assert not set(buildings["id"]) & {i.feature for i in cut}
    assert buildings.geometry.interiors.str.len().sum() == 6  # six relations have a courtyard
    details = redon_result.provenance.details
    assert (details["building_ways"], details["building_relations"]) == (1066, 7)


def test_redon_roads_are_the_370_highways_less_areas_and_cut_ways(
    redon_result: ImportResult,
) -> None:
    roads = redon_result.layers["roads"]
    issue_counts = Counter(
        i.code for i in redon_result.issues if i.message.startswith(("highway", "highway="))
    )
    assert issue_counts == {"incomplete_way": 45, "highway_area_skipped": 10}
    assert len(roads) == 370 - 45 - 10 == 315
    assert roads.geom_type.isin(["LineString"]).all()
    assert not roads.loc[roads["kind"] == "footway", "walkable"].isna().any()


def test_redon_has_4_measured_heights_and_every_other_height_derived_and_labelled(
    redon_result: ImportResult,
) -> None:
    buildings = redon_result.layers["buildings"]
    measured = buildings[buildings["height_source"] == "measured"]
    assert sorted(measured["height_m"]) == [2.0, 2.0, 30.0, 31.0]
    assert buildings["height_source"].value_counts().to_dict() == {
        "use_default": 1017,
        "measured": 4,
        "floors": 1,
    }
    assert (buildings["height_m"] > 0).all()


def test_redon_layers_are_valid_conform_and_lie_around_redon_in_lambert93(
    redon_result: ImportResult,
) -> None:
    buildings, roads = redon_result.layers["buildings"], redon_result.layers["roads"]
    conform(buildings, BUILDINGS)
    conform(roads, ROADS)
    assert shapely.is_valid(buildings.geometry.to_numpy()).all()
    assert buildings.crs.equals(LAMBERT93) and roads.crs.equals(LAMBERT93)
    minx, miny, maxx, maxy = buildings.total_bounds
    assert 315_000 < minx < maxx < 322_000  # Redon: lon -2.08 → X ≈ 318 600 in Lambert-93
    assert 6_737_000 < miny < maxy < 6_743_000


def test_redon_as_pbf_gives_the_same_layers_as_the_xml(
    redon: Path, redon_result: ImportResult, tmp_path: Path
) -> None:
    pbf = tmp_path / "redon.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for item in osmium.FileProcessor(str(redon)):
            writer.add(item)
    assert osm.file_format(pbf) == "pbf"
    result = osm.read(pbf, target_crs=LAMBERT93, options=ImportOptions())
    for name in ("buildings", "roads"):
        assert result.layers[name]["id"].tolist() == redon_result.layers[name]["id"].tolist()
    assert codes(result) == codes(redon_result)
    assert result.layers["buildings"]["height_m"].equals(
        redon_result.layers["buildings"]["height_m"]
    )


def test_a_bbox_in_the_target_crs_keeps_only_what_it_touches(redon: Path) -> None:
    centre = (318_600.0, 6_740_100.0)
    bbox = (centre[0] - 100, centre[1] - 100, centre[0] + 100, centre[1] + 100)
    result = osm.read(redon, target_crs=LAMBERT93, options=ImportOptions(), bbox=bbox)
    buildings = result.layers["buildings"]
    assert 0 < len(buildings) < 1022
    assert buildings.intersects(shapely.box(*bbox)).all()
    assert result.provenance.details["buildings_outside_bbox"] == 1022 - len(buildings)


def test_as_roads_reads_only_the_roads_and_another_layer_is_refused(tmp_path: Path) -> None:
    data = osm_xml(way(1, [0, 1, 11, 10, 0], building="yes") + way(2, [20, 21], highway="service"))
    path = tmp_path / "both.osm"
    path.write_bytes(data)
    roads_only = osm.read(path, target_crs=LAMBERT93, options=ImportOptions(kind="roads"))
    assert list(roads_only.layers) == ["roads"]
    assert find_importer(path, ImportOptions(kind="roads")).NAME == "osm"
    with pytest.raises(InvalidInputError, match="--as buildings, --as roads"):
        osm.read(path, target_crs=LAMBERT93, options=ImportOptions(kind="parcels"))
