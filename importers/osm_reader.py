"""Read the parts of an OpenStreetMap file the twin uses, with pyosmium, into numpy arrays.

Two passes over the file (XML or PBF, both read by libosmium): the first collects building
multipolygon relations, so the second knows which untagged ways are their members; the second
keeps every node's location and the node lists of building ways, highway ways and those members.
libosmium refuses XML entity declarations and never fetches external ones.
"""

from __future__ import annotations

import logging
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import osmium
import pandas as pd

from twin.errors import InvalidInputError, TwinError

logger = logging.getLogger(__name__)

#: Tags kept on building ways and relations.
BUILDING_KEYS = (
    "building",
    "name",
    "shop",
    "amenity",
    "height",
    "building:levels",
    "roof:levels",
    "roof:shape",
    "roof:height",
    "min_height",
    "building:min_level",
    "building:flats",
    "addr:street",
    "addr:housenumber",
    "start_date",
)
#: Tags kept on highway ways.
ROAD_KEYS = ("highway", "name", "ref", "lanes", "width", "oneway", "junction", "foot", "area")
WAY_KEYS = tuple(dict.fromkeys(BUILDING_KEYS + ROAD_KEYS))


@dataclass
class OsmWays:
    """Ways as flat arrays: way ``i`` has node ids ``refs[offsets[i]:offsets[i + 1]]``."""

    ids: np.ndarray
    offsets: np.ndarray
    refs: np.ndarray
    tags: pd.DataFrame

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class OsmExtract:
    """What the importer needs from one OSM file.

    Attributes:
        node_ids, lon, lat: every node with a location, sorted by id.
        ways: building ways, highway ways and the member ways of building relations.
        relations: building multipolygon relations (``id`` and :data:`BUILDING_KEYS` columns).
        members: their way members (``relation`` position in ``relations``, ``way`` id, ``role``).
        counts: nodes, ways and relations in the file.
    """

    node_ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    ways: OsmWays
    relations: pd.DataFrame
    members: pd.DataFrame
    counts: dict[str, int]


def open_file(path: Path, file_format: str) -> osmium.io.File:
    """An osmium File for ``path`` read as ``file_format`` ("osm" or "pbf"), whatever its name."""
    return osmium.io.File(str(path), file_format)


def read_extract(path: Path, file_format: str) -> OsmExtract:
    """Read nodes, the ways and relations the twin uses from an OSM XML or PBF file.

    Raises:
        InvalidInputError: libosmium cannot parse the file (damaged, truncated, or an XML file
            declaring entities).
    """
    try:
        relations, members, relation_count = _read_relations(path, file_format)
        wanted = set(members["way"].tolist())
        return _read_nodes_and_ways(path, file_format, wanted, relations, members, relation_count)
    except TwinError:
        raise
    except (RuntimeError, ValueError, osmium.InvalidLocationError) as exc:  # libosmium's parser:
        # RuntimeError for XML, ValueError for an id ("illegal id"), a lat or lon it cannot read
        raise InvalidInputError(
            f"{path.name} cannot be read as OpenStreetMap {file_format.upper()} data ({exc}); "
            "check that the file is complete, or export it again (XML entities and DTDs are "
            "refused).",
            code="osm_unreadable",
            values={"file": path.name, "detail": str(exc)},
        ) from exc


def _read_relations(path: Path, file_format: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    rows: list[dict[str, int | str | None]] = []
    member_rows: list[tuple[int, int, str]] = []
    count = 0
    for relation in osmium.FileProcessor(open_file(path, file_format), osmium.osm.RELATION):
        if not isinstance(relation, osmium.osm.Relation):  # pragma: no cover - filtered out
            continue
        count += 1
        tags = relation.tags
        if tags.get("type") != "multipolygon" or tags.get("building", "no") == "no":
            continue
        position = len(rows)
        rows.append({"id": relation.id, **{key: tags.get(key) for key in BUILDING_KEYS}})
        member_rows.extend(
            (position, member.ref, member.role) for member in relation.members if member.type == "w"
        )
    relations = pd.DataFrame(rows, columns=["id", *BUILDING_KEYS])
    relations = relations.astype({key: "str" for key in BUILDING_KEYS} | {"id": "int64"})
    members = pd.DataFrame(member_rows, columns=["relation", "way", "role"])
    return relations, members, count


def _read_nodes_and_ways(
    path: Path,
    file_format: str,
    wanted: set[int],
    relations: pd.DataFrame,
    members: pd.DataFrame,
    relation_count: int,
) -> OsmExtract:
    node_ids, lon, lat = array("q"), array("d"), array("d")
    way_ids, offsets, refs = array("q"), array("q", [0]), array("q")
    way_tags: list[dict[str, str | None]] = []
    way_count = 0
    entities = osmium.osm.NODE | osmium.osm.WAY
    for item in osmium.FileProcessor(open_file(path, file_format), entities):
        if isinstance(item, osmium.osm.Node):
            location = item.location
            if location.valid():
                node_ids.append(item.id)
                lon.append(location.lon)
                lat.append(location.lat)
            continue
        if not isinstance(item, osmium.osm.Way):  # pragma: no cover - filtered out
            continue
        way_count += 1
        tags = item.tags
        building = tags.get("building", "no") != "no"
        if not (building or "highway" in tags or item.id in wanted):
            continue
        way_ids.append(item.id)
        refs.extend(node.ref for node in item.nodes)
        offsets.append(len(refs))
        way_tags.append({key: tags.get(key) for key in WAY_KEYS})
    ids = np.frombuffer(node_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    ways = OsmWays(
        ids=np.frombuffer(way_ids, dtype=np.int64).copy(),
        offsets=np.frombuffer(offsets, dtype=np.int64).copy(),
        refs=np.frombuffer(refs, dtype=np.int64).copy(),
        tags=pd.DataFrame(way_tags, columns=list(WAY_KEYS)).astype("str"),
    )
    counts = {"nodes": len(ids), "ways": way_count, "relations": relation_count}
    logger.info("%s: %s", path.name, counts)
    return OsmExtract(
        node_ids=ids[order],
        lon=np.frombuffer(lon, dtype=np.float64)[order],
        lat=np.frombuffer(lat, dtype=np.float64)[order],
        ways=ways,
        relations=relations,
        members=members,
        counts=counts,
    )


def way_coordinates(
    extract: OsmExtract, positions: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates of the ways at ``positions`` (in ``extract.ways``), all at once.

    Returns:
        coords: (n, 2) lon/lat of every node found, in way order.
        owner: for each row of ``coords``, the index (0 .. len(positions) - 1) of its way.
        missing: per way, how many of its nodes are not in the file.
    """
    ways = extract.ways
    starts = ways.offsets[positions]
    lengths = ways.offsets[positions + 1] - starts
    owner = np.repeat(np.arange(len(positions)), lengths)
    first_row = np.cumsum(lengths) - lengths
    flat = (
        np.arange(int(lengths.sum())) - np.repeat(first_row, lengths) + np.repeat(starts, lengths)
    )
    refs = ways.refs[flat]
    found_at = np.searchsorted(extract.node_ids, refs)
    clipped = np.minimum(found_at, max(len(extract.node_ids) - 1, 0))
    found = (
        (found_at < len(extract.node_ids)) & (extract.node_ids[clipped] == refs)
        if len(extract.node_ids)
        else np.zeros(len(refs), dtype=bool)
    )
    missing = np.bincount(owner[~found], minlength=len(positions))
    coords = np.column_stack([extract.lon[clipped[found]], extract.lat[clipped[found]]])
    return coords, owner[found], missing
