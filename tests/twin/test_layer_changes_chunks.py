"""Appending rows one at a time does not leave text columns in ever more Arrow chunks."""

from __future__ import annotations

import geopandas as gpd
import pyarrow as pa
import shapely

from samples.synthetic import synthetic_buildings
from twin.city import City
from twin.layer_changes import MAX_CHUNKS


def test_many_appends_keep_text_columns_in_few_chunks_with_every_value() -> None:
    city = City("EPSG:2154")
    city.set_layer("buildings", synthetic_buildings(500))
    x, y = city.layer("buildings").total_bounds[2:]
    for k in range(3 * MAX_CHUNKS):
        row = gpd.GeoDataFrame(
            {"id": [f"N{k}"], "height_m": [9.0], "use": ["residential"]},
            geometry=[shapely.box(x + 20 * k, y, x + 20 * k + 8, y + 8)],
            crs="EPSG:2154",
        )
        city.append_rows("buildings", row, source="test")
    frame = city.layer("buildings")
    for column in ("id", "use", "source"):
        chunked = frame[column].array.__arrow_array__()
        assert isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks <= MAX_CHUNKS + 1
    assert len(frame) == 500 + 3 * MAX_CHUNKS
    assert frame["id"].iloc[-1] == f"N{3 * MAX_CHUNKS - 1}" and frame["id"].is_unique
    assert (frame["use"].iloc[500:] == "residential").all()
    assert str(frame["id"].dtype) == "str"
