"""Tiny documents made up from scratch for the text formats: GeoJSON, CityJSON, OSM XML,
Filosofi CSV and GTFS feeds whose structure is right but whose values are anything
(wrong types, nulls, huge or negative numbers, empty or odd coordinates, unknown keys).
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.seeds import FuzzInput

X0, Y0 = 665_000.0, 6_357_000.0

numbers = st.one_of(
    st.integers(-(2**63), 2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e3, 1e3),
    st.sampled_from([X0, Y0, 2.5, 44.35, 0]),
)
#: Any text a file can hold (UTF-8 cannot encode lone surrogates).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
points = st.lists(
    st.one_of(st.floats(X0 - 50, X0 + 50), st.floats(Y0 - 50, Y0 + 50), numbers),
    min_size=0,
    max_size=4,
)
rings = st.lists(points, max_size=7)
coordinates = st.one_of(points, rings, st.lists(rings, max_size=3), values)
GEOMETRY_TYPES = ["Point", "LineString", "Polygon", "MultiPolygon", "MultiLineString", "Nope"]


def _input(name: str, data: bytes, description: str) -> FuzzInput:
    return FuzzInput(f"made up: {description}", {name: data}, name)


@st.composite
def geojson(draw: st.DrawFn, keys: tuple[str, ...]) -> FuzzInput:
    """A FeatureCollection whose features hold anything under the keys an importer reads."""
    geometry = st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {"type": st.sampled_from(GEOMETRY_TYPES), "coordinates": coordinates}
        ),
    )
    properties = st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))
    feature = st.fixed_dictionaries(
        {"type": st.just("Feature"), "properties": properties, "geometry": geometry}
    )
    document: dict[str, Any] = {"type": "FeatureCollection"}
    document["features"] = draw(st.lists(feature, max_size=4))
    if draw(st.booleans()):
        crs = draw(st.sampled_from(["urn:ogc:def:crs:EPSG::2154", "EPSG:4326", "nope", ""]))
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return _input("made-up.geojson", json.dumps(document).encode(), "GeoJSON")


@st.composite
def cityjson(draw: st.DrawFn) -> FuzzInput:
    """A CityJSON document with made-up objects, geometries and vertices."""
    geometry = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Solid", "MultiSurface", "CompositeSurface", "MultiSolid"]),
            "lod": st.one_of(st.sampled_from(["1", "2.2", "0"]), scalars),
            "boundaries": values,
        }
    )
    city_object = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Building", "BuildingPart", "Road", "TINRelief"]),
            "geometry": st.lists(geometry, max_size=2),
            "attributes": st.dictionaries(st.text(max_size=8), values, max_size=3),
        }
    )
    document = {
        "type": "CityJSON",
        "version": draw(st.sampled_from(["1.0", "1.1", "2.0", "9"])),
        "transform": {"scale": draw(st.lists(numbers, max_size=3)), "translate": [X0, Y0, 0]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"},
        "CityObjects": draw(
            st.dictionaries(st.text(min_size=1, max_size=6), city_object, max_size=3)
        ),
        "vertices": draw(st.lists(st.lists(st.integers(-(2**40), 2**40), max_size=4), max_size=12)),
    }
    return _input("made-up.city.json", json.dumps(document).encode(), "CityJSON")


@st.composite
def osm(draw: st.DrawFn) -> FuzzInput:
    """An OSM XML extract: nodes anywhere, ways through known and unknown nodes, any tags."""
    tag_keys = ["building", "height", "building:levels", "highway", "name", "roof:height", "x"]
    text_values = st.text(
        st.characters(exclude_categories=("Cs", "Cc"), exclude_characters='<>&"'), max_size=8
    )
    nodes = draw(st.lists(st.tuples(st.floats(-200, 200), st.floats(-100, 100)), max_size=8))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6">']
    for number, (lon, lat) in enumerate(nodes):
        lines.append(f'<node id="{number + 1}" lat="{lat!r}" lon="{lon!r}"/>')
    for number in range(draw(st.integers(0, 3))):
        refs = draw(st.lists(st.integers(-1, len(nodes) + 2), max_size=6))
        tags = draw(st.dictionaries(st.sampled_from(tag_keys), text_values, max_size=4))
        body = "".join(f'<nd ref="{ref}"/>' for ref in refs)
        body += "".join(f'<tag k="{key}" v="{value}"/>' for key, value in tags.items())
        lines.append(f'<way id="{number + 1}">{body}</way>')
    lines.append("</osm>")
    return _input("made-up.osm", "\n".join(lines).encode(), "OSM XML")


def _csv(columns: list[str], rows: list[list[Any]]) -> str:
    cells = [",".join(columns)] + [
        ",".join("" if v is None else str(v) for v in row) for row in rows
    ]
    return "\n".join(cells) + "\n"


def csv_rows(columns: list[str]) -> st.SearchStrategy[list[list[Any]]]:
    """Rows of any scalar (no commas or line breaks: those are the mutations' job)."""
    cell = st.one_of(
        st.none(),
        numbers,
        st.text(
            st.characters(exclude_categories=("Cs",), exclude_characters=',\n\r"'), max_size=10
        ),
    )
    return st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=5)


@st.composite
def filosofi_csv(draw: st.DrawFn) -> FuzzInput:
    """A Filosofi grid as CSV: cell ids real or not, counts of any value."""
    columns = ["Idcar_200m", "Ind", "Men", "Men_pauv", "Ind_snv"]
    ids = st.one_of(
        st.builds(
            lambda n, e: f"CRS3035RES200mN{n}E{e}", st.integers(-1, 10**8), st.integers(-1, 10**8)
        ),
        text,
    )
    rows = draw(csv_rows(columns))
    for row in rows:
        row[0] = draw(ids)
    return _input("made-up.csv", _csv(columns, rows).encode(), "Filosofi CSV")


GTFS_COLUMNS = {
    "stops.txt": ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"],
    "routes.txt": ["route_id", "route_short_name", "route_type", "route_color"],
    "trips.txt": ["route_id", "service_id", "trip_id"],
    "stop_times.txt": ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
    "calendar.txt": ["service_id", "monday", "tuesday", "start_date", "end_date"],
}


@st.composite
def gtfs(draw: st.DrawFn) -> FuzzInput:
    """A zipped feed of made-up tables (some of them missing)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, columns in GTFS_COLUMNS.items():
            if draw(st.integers(0, 5)):
                archive.writestr(name, _csv(columns, draw(csv_rows(columns))))
    return _input("made-up-gtfs.zip", buffer.getvalue(), "GTFS feed")


CADASTRE_KEYS = ("id", "commune", "prefixe", "section", "numero", "contenance", "nom", "created")
VECTOR_KEYS = ("id", "hauteur", "use", "floors", "name", "parent_id")
#: The made-up documents of each target that reads text.
GENERATED: dict[str, st.SearchStrategy[FuzzInput]] = {
    "cadastre": geojson(CADASTRE_KEYS),
    "vector": geojson(VECTOR_KEYS),
    "cityjson": cityjson(),
    "osm": osm(),
    "filosofi": filosofi_csv(),
    "gtfs": gtfs(),
}
