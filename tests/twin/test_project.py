"""The project file round-trips a City and is never left half-written."""

from __future__ import annotations

import errno
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from tests.twin.factories import small_city
from twin.errors import (
    CancelledError,
    NotAProjectError,
    ProjectError,
    ProjectNotFoundError,
    ProjectVersionError,
)
from twin.feedback import Feedback
from twin.project import load_project, save_project
from twin.provenance import ProvenanceRecord, StoredFile


def test_a_saved_project_reopens_with_the_same_layers_crs_and_metadata(tmp_path: Path) -> None:
    city = small_city()
    city.metadata["description"] = "Étude de densification"
    city.ensure_origin()
    city.scenarios["densifier"] = {"name": "densifier", "edits": []}
    city.provenance.append(
        ProvenanceRecord(
            "bati.shp", "bdtopo", "2026-11-21T00:00:00+00:00", "ab" * 32, {"buildings": 6}
        )
    )
    path = save_project(city, tmp_path / "ville.twin.gpkg")
    again = load_project(path)
    assert again.layer_names == city.layer_names
    assert again.crs.equals(city.crs)
    assert again.name == "Petite ville"
    assert again.origin == city.origin
    assert again.metadata == {"description": "Étude de densification"}
    assert again.scenarios == city.scenarios
    assert again.provenance == city.provenance
    for name in city.layer_names:
        pd.testing.assert_frame_equal(again.layer(name), city.layer(name))
    assert again.hierarchy.ancestors("b3") == city.hierarchy.ancestors("b3")


def test_a_stored_ifc_file_comes_back_byte_identical(tmp_path: Path, shared_data: Path) -> None:
    city = small_city()
    data = (shared_data / "ifc" / "AC20-FZK-Haus.ifc").read_bytes()
    city.files["AC20-FZK-Haus.ifc"] = StoredFile("AC20-FZK-Haus.ifc", "application/x-step", data)
    again = load_project(save_project(city, tmp_path / "ville.twin.gpkg"))
    assert again.files["AC20-FZK-Haus.ifc"].data == data


def test_each_layer_is_a_real_geopackage_layer_with_its_crs(tmp_path: Path) -> None:
    path = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    layers = dict(pyogrio.list_layers(path))
    assert layers["buildings"] == "Polygon"
    assert layers["twin_metadata"] is None  # an attribute table QGIS lists too
    info = pyogrio.read_info(path, layer="buildings")
    assert info["crs"] == "EPSG:2154"
    assert info["features"] == 6


def test_a_missing_project_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError, match="twin new"):
        load_project(tmp_path / "absent.twin.gpkg")


def test_a_geopackage_that_is_not_a_project_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain.gpkg"
    pyogrio.write_dataframe(small_city().layer("buildings"), plain, layer="bati")
    with pytest.raises(NotAProjectError, match="not an urban-twin project"):
        load_project(plain)


def test_random_bytes_are_not_a_project(tmp_path: Path) -> None:
    junk = tmp_path / "junk.twin.gpkg"
    junk.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(NotAProjectError):
        load_project(junk)


def test_a_project_from_a_newer_version_asks_to_update(tmp_path: Path) -> None:
    path = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE twin_metadata SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ProjectVersionError, match="update urban-twin"):
        load_project(path)


def test_saving_into_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        save_project(small_city(), tmp_path / "nope" / "ville.twin.gpkg")


_SLOW_SAVE = textwrap.dedent(
    """
    import sys, time
    import geopandas as gpd
    import numpy as np
    import shapely
    from twin.city import City
    from twin.feedback import Feedback
    from twin.project import save_project

    class SlowDisk(Feedback):
        # Announce each stage and pause, so the parent can kill the save right there.
        def on_progress(self, fraction):
            print(f"progress {fraction:.2f}", flush=True)
            time.sleep(1.0)

    n = 100_000
    x = 650000 + (np.arange(n) % 400) * 30.0
    y = 6860000 + (np.arange(n) // 400) * 30.0
    city = City(name="big")
    for layer in ("parcels", "buildings"):
        city.set_layer(
            layer,
            gpd.GeoDataFrame(
                {"id": [f"{layer}{i}" for i in range(n)]},
                geometry=shapely.box(x, y, x + 12, y + 10),
                crs=2154,
            ),
        )
    print("ready", flush=True)
    save_project(city, sys.argv[1], feedback=SlowDisk())
    """
)


@pytest.mark.parametrize(
    "kill_when",
    ["the temporary file appears", "progress 0.45", "progress 0.90"],
)
def test_a_save_killed_mid_way_leaves_the_previous_project_intact(
    tmp_path: Path, kill_when: str
) -> None:
    path = tmp_path / "ville.twin.gpkg"
    save_project(small_city(), path)
    before = path.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_SAVE, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    if kill_when.startswith("progress"):
        while (line := process.stdout.readline().strip()) != kill_when:
            assert line, f"the save ended before '{kill_when}'"
        assert list(tmp_path.glob(".ville.twin.gpkg.saving-*")), "killed outside a save"
    else:  # the first sight of it may be the writability probe, gone a moment later
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".ville.twin.gpkg.saving-*")):
            assert time.monotonic() < deadline, "the save never started"
            time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    buildings = load_project(path).layer("buildings")
    assert buildings["id"].tolist() == ["b1", "b2", "b3", "b4", "b5", "b6"]
    # The next save cleans up what the killed one left behind.
    save_project(small_city(), path)
    assert not list(tmp_path.glob(".ville.twin.gpkg.saving-*"))


class _FailingDisk(Feedback):
    """Fails the save after the first layer, as a full disk would."""

    def on_progress(self, fraction: float) -> None:
        if 0 < fraction < 1:
            raise OSError(errno.ENOSPC, "No space left on device")


class _CancelAtOnce(Feedback):
    def on_progress(self, fraction: float) -> None:
        if 0 < fraction < 1:
            self.cancel()


def test_a_full_disk_during_a_save_says_so_and_keeps_the_old_project(tmp_path: Path) -> None:
    path = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    before = path.read_bytes()
    city = small_city()
    city.drop_rows("buildings", ["b1"])
    with pytest.raises(ProjectError, match="disk is full"):
        save_project(city, path, feedback=_FailingDisk())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ville.twin.gpkg"]


def test_a_cancelled_save_changes_nothing(tmp_path: Path) -> None:
    path = save_project(small_city(), tmp_path / "ville.twin.gpkg")
    before = path.read_bytes()
    with pytest.raises(CancelledError):
        save_project(small_city(), path, feedback=_CancelAtOnce())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ville.twin.gpkg"]


def test_a_terrain_raster_round_trips_with_its_missing_values(tmp_path: Path) -> None:
    import numpy as np
    from affine import Affine

    from twin.raster import Raster

    city = small_city()
    values = np.arange(12, dtype=np.float32).reshape(3, 4) + 400.0
    values[0, 0] = np.nan
    transform = Affine(25.0, 0.0, 667950.0, 0.0, -25.0, 6357150.0)
    city.set_raster(Raster("terrain", values, transform, city.crs, "m", "ground altitude (NGF)"))
    again = load_project(save_project(city, tmp_path / "ville.twin.gpkg"))
    terrain = again.rasters["terrain"]
    np.testing.assert_array_equal(terrain.values, values)  # NaN where NaN
    assert terrain.transform == transform
    assert terrain.unit == "m" and terrain.meaning == "ground altitude (NGF)"
    assert dict(pyogrio.list_layers(tmp_path / "ville.twin.gpkg"))["buildings"] == "Polygon"


def test_columns_differing_only_in_case_still_save(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    city = small_city()
    rows = gpd.GeoDataFrame(
        {"id": ["b7"], "NATURE": ["Église"], "nature": ["x"]},
        geometry=[box(0, 0, 1, 1)],
        crs=2154,
    )
    rows = rows.set_geometry(rows.geometry.translate(668050, 6357050))
    city.append_rows("buildings", rows)
    more = rows.assign(id="b8", NATURE="Chapelle").drop(columns="nature")
    city.append_rows("buildings", more)
    again = load_project(save_project(city, tmp_path / "ville.twin.gpkg"))
    buildings = again.layer("buildings").set_index("id")
    assert buildings.loc["b7", "NATURE"] == "Église"
    assert buildings.loc["b7", "nature_2"] == "x"
    assert buildings.loc["b8", "NATURE"] == "Chapelle"


def test_meshes_and_a_table_without_geometry_round_trip(tmp_path: Path) -> None:
    import json

    import numpy as np
    import pandas as pd
    from shapely import box

    from twin.extrude import extrude_footprints

    city = small_city()
    store = extrude_footprints(
        [box(668005, 6357005, 668010, 6357010)],
        400.0,
        3.0,
        ["2O2Fr$t4X7Zf8NOew3FLOH"],
        (668000.0, 6357000.0, 0.0),
    )
    city.set_meshes("ifc", store)
    elements = pd.DataFrame(
        {
            "id": ["2O2Fr$t4X7Zf8NOew3FLOH"],
            "ifc_class": ["IfcWall"],
            "properties_json": [json.dumps({"Pset_WallCommon": {"IsExternal": True}})],
        }
    )
    city.set_layer("ifc_elements", elements)
    again = load_project(save_project(city, tmp_path / "ville.twin.gpkg"))
    np.testing.assert_array_equal(again.meshes["ifc"].vertices, city.meshes["ifc"].vertices)
    np.testing.assert_array_equal(again.meshes["ifc"].faces, city.meshes["ifc"].faces)
    assert again.meshes["ifc"].origin == city.meshes["ifc"].origin
    assert again.meshes["ifc"].object_ids.tolist() == ["2O2Fr$t4X7Zf8NOew3FLOH"]
    element = again.layer("ifc_elements").iloc[0]
    assert json.loads(element["properties_json"]) == {"Pset_WallCommon": {"IsExternal": True}}
    assert element["ifc_class"] == "IfcWall"
