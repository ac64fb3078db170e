"""The City model's own errors (twin/city.py, hierarchy.py, layer_changes.py, spec.py) carry a
code and the values of their message, for the app to say them in its language; their English
line, what the CLI prints, is the one written before the codes (spelled out here)."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from pyproj import CRS
from shapely.geometry import box

from scenarios.edits.refusals import REFUSALS
from tests.twin.factories import small_city
from twin.catalogue import standard_spec
from twin.city import City
from twin.cli import main
from twin.errors import (
    ERROR_CODES,
    FILE_ERRORS,
    MODEL_ERRORS,
    CrsError,
    HierarchyError,
    SpecError,
    TwinError,
    UnknownLayerError,
    error_code,
)
from twin.hierarchy import HierarchyIndex
from twin.layer_changes import row_positions, with_rows, with_values
from twin.levels import Level
from twin.raster import Raster
from twin.spec import LayerSpec, conform

LAMBERT = "RGF93 v1 / Lambert-93"
X, Y = 668000.0, 6357000.0


@dataclass(frozen=True)
class Case:
    """A real call that fails, and the error it must raise."""

    make: Callable[[], object]
    kind: type[TwinError]
    code: str
    values: dict[str, Any]
    english: str


def square(ids: list[str], crs: str = "EPSG:2154") -> gpd.GeoDataFrame:
    shapes = [box(X + 10 * i, Y, X + 10 * i + 8, Y + 8) for i in range(len(ids))]
    return gpd.GeoDataFrame({"id": ids}, geometry=shapes, crs="EPSG:2154").to_crs(crs)


def buildings_spec() -> LayerSpec:
    spec = standard_spec("buildings")
    assert spec is not None
    return spec


def cycle_of_two_buildings() -> object:
    city = small_city()
    city.update_values("buildings", ["b1", "b2"], {"parent_id": ["b2", "b1"]})
    return city.hierarchy


def terrain_in_web_mercator() -> None:
    grid = np.zeros((2, 2), dtype=np.float32)
    raster = Raster("terrain", grid, Affine(10, 0, 0, 0, -10, 0), CRS("EPSG:3857"))
    small_city().set_raster(raster)


def id_taken_by_an_edit_that_only_the_quick_check_sees() -> None:
    frame = small_city().layer("buildings")
    spec = buildings_spec()
    positions = row_positions(frame, ["b1"])
    with_values(
        frame, spec, positions, {"id": "b2"}, CRS("EPSG:2154"), conform=lambda f, *_, **__: f
    )


def id_taken_by_new_rows_that_only_the_quick_check_sees() -> None:
    frame = small_city().layer("buildings")
    spec = buildings_spec()
    with_rows(frame, square(["b3"]), spec, CRS("EPSG:2154"), "new.gpkg", lambda f, *_, **__: f)


def roll_up(ids: list[str], from_level: Level, to_level: Level) -> Callable[[], object]:
    return lambda: small_city().hierarchy.roll_up(pd.Series(1.0, index=ids), from_level, to_level)


LAYERS = ["territory", "communes", "districts", "parcels", "buildings"]
CASES = {
    "crs_unknown": Case(
        lambda: City("EPSG:999999"),
        CrsError,
        "crs_unknown",
        {"crs": "EPSG:999999"},
        "unknown coordinate reference system 'EPSG:999999'; give an EPSG code such as "
        "EPSG:2154 (Lambert-93) or EPSG:3944 (CC44).",
    ),
    "crs_not_projected": Case(
        lambda: City("EPSG:4326"),
        CrsError,
        "crs_not_projected",
        {"name": "WGS 84", "crs": "EPSG:4326"},
        "WGS 84 (EPSG:4326) is not a projected CRS in metres; a project needs one, such as "
        "EPSG:2154 (Lambert-93).",
    ),
    "crs_not_metres": Case(
        lambda: City("2249"),
        CrsError,
        "crs_not_metres",
        {"name": "NAD83 / Massachusetts Mainland (ftUS)", "crs": "2249", "unit": "US survey foot"},
        "NAD83 / Massachusetts Mainland (ftUS) (2249) is in US survey foot, not metres; choose a "
        "CRS in metres.",
    ),
    "layer_unknown": Case(
        lambda: small_city().layer("roads"),
        UnknownLayerError,
        "layer_unknown",
        {"layer": "roads", "layers": LAYERS},
        "the project has no layer 'roads' (its layers: territory, communes, districts, parcels, "
        "buildings); import data first.",
    ),
    "layer_unknown_empty": Case(
        lambda: City().layer("buildings"),
        UnknownLayerError,
        "layer_unknown",
        {"layer": "buildings", "layers": []},
        "the project has no layer 'buildings' (its layers: none yet); import data first.",
    ),
    "layer_no_spec": Case(
        lambda: small_city().set_layer("greenery", square(["g1"])),
        SpecError,
        "layer_no_spec",
        {"layer": "greenery"},
        "layer 'greenery' has no specification; declare a LayerSpec for it "
        "(see twin/catalogue.py).",
    ),
    "layer_spec_mismatch": Case(
        lambda: small_city().set_layer("roads", square(["r1"]), buildings_spec()),
        SpecError,
        "layer_spec_mismatch",
        {"layer": "roads", "spec_layer": "buildings"},
        "spec 'buildings' was given for layer 'roads'.",
    ),
    "layer_crs_differs": Case(
        lambda: small_city().set_layer("buildings", square(["b9"], "EPSG:4326")),
        CrsError,
        "layer_crs_differs",
        {"layer": "buildings", "crs": "WGS 84", "project_crs": LAMBERT},
        f"layer 'buildings' is in WGS 84, the project in {LAMBERT}; reproject it first "
        "(importers do this for you).",
    ),
    "layer_crs_differs_from": Case(
        lambda: small_city().append_rows(
            "buildings", square(["b9"], "EPSG:4326"), source="batiments.gpkg"
        ),
        CrsError,
        "layer_crs_differs_from",
        {"layer": "buildings", "source": "batiments.gpkg", "crs": "WGS 84", "project_crs": LAMBERT},
        f"layer 'buildings' from batiments.gpkg is in WGS 84, the project in {LAMBERT}; "
        "reproject it first (importers do this for you).",
    ),
    "raster_crs_differs": Case(
        terrain_in_web_mercator,
        CrsError,
        "raster_crs_differs",
        {"layer": "terrain", "crs": "WGS 84 / Pseudo-Mercator", "project_crs": LAMBERT},
        f"raster 'terrain' is in WGS 84 / Pseudo-Mercator, the project in {LAMBERT}; reproject "
        "it first (the DEM importer does this for you).",
    ),
    "hierarchy_not_by_level": Case(
        lambda: HierarchyIndex(
            np.array(["b1", "12990"], dtype=object),
            np.array([Level.BUILDING, Level.COMMUNE], dtype=np.int8),
            np.array([1, -1], dtype=np.int64),
        ).level_block(Level.COMMUNE),
        HierarchyError,
        "hierarchy_not_by_level",
        {},
        "this hierarchy index does not list its rows level by level.",
    ),
    "hierarchy_duplicate_ids": Case(
        lambda: HierarchyIndex.from_frames(
            {
                Level.COMMUNE: pd.DataFrame({"id": ["12990"], "parent_id": [None]}),
                Level.BUILDING: pd.DataFrame({"id": ["12990", "b1"], "parent_id": [None, None]}),
            }
        ),
        HierarchyError,
        "hierarchy_duplicate_ids",
        {"count": 1, "examples": ["12990"]},
        "1 id(s) are used by two rows of the hierarchy, e.g. ['12990']; every commune, "
        "district, parcel, building, storey and space needs its own id. Re-import the layer "
        "that repeats them.",
    ),
    "hierarchy_parent_level": Case(
        cycle_of_two_buildings,
        HierarchyError,
        "hierarchy_parent_level",
        {"id": "b1", "level": "building", "parent": "b2", "parent_level": "building"},
        "row 'b1' has parent 'b2' at the same or a lower level; a parent must be higher in "
        "territory → commune → district → parcel → building → storey → space. Fix the "
        "parent_id column.",
    ),
    "hierarchy_id_unknown": Case(
        roll_up(["b99"], Level.BUILDING, Level.COMMUNE),
        HierarchyError,
        "hierarchy_id_unknown",
        {"id": "b99"},
        "'b99' is not in the hierarchy; rebuild the values.",
    ),
    "roll_up_downwards": Case(
        roll_up(["12990"], Level.COMMUNE, Level.BUILDING),
        HierarchyError,
        "roll_up_downwards",
        {"from_level": "commune", "to_level": "building"},
        "cannot roll commune values up to the lower level building; choose a level above it.",
    ),
    "roll_up_wrong_level": Case(
        roll_up(["12990"], Level.BUILDING, Level.COMMUNE),
        HierarchyError,
        "roll_up_wrong_level",
        {"id": "12990", "level": "building"},
        "'12990' is not a building.",
    ),
    # layer_changes.py: the quick checks' own errors, met when the whole-layer check passes
    "edit_id_taken": Case(
        id_taken_by_an_edit_that_only_the_quick_check_sees,
        SpecError,
        "spec_duplicate_ids",
        {"layer": "buildings", "count": 1, "example": "b2"},
        "layer 'buildings' from edit: duplicate ids",
    ),
    "new_rows_id_taken": Case(
        id_taken_by_new_rows_that_only_the_quick_check_sees,
        SpecError,
        "spec_duplicate_ids",
        {"layer": "buildings", "count": 1, "example": "b3"},
        "layer 'buildings': an id of the new rows is already there",
    ),
    # the City's changes checked by spec.py: the codes of the import's spec errors
    "edit_out_of_range": Case(
        lambda: small_city().update_values("buildings", ["b4"], {"height_m": 1500.0}),
        SpecError,
        "spec_out_of_range",
        {
            "layer": "buildings",
            "column": "height_m",
            "count": 1,
            "example": "1500.0",
            "row": "b4",
            "allowed": "0 to 1000 m",
        },
        "layer 'buildings' from edit: 1 value(s) of 'height_m' outside the allowed range (e.g. "
        "1500.0 for row 'b4'; expected 0 to 1000 m); correct the source or the "
        "column mapping.",
    ),
    "edit_id_duplicated": Case(
        lambda: small_city().update_values("buildings", ["b1"], {"id": "b2"}),
        SpecError,
        "spec_duplicate_ids",
        {"layer": "buildings", "count": 1, "example": "b2"},
        "layer 'buildings' from edit: 1 duplicate id(s), e.g. 'b2'; ids must be unique: fix the "
        "source or let the importer number the rows.",
    ),
    "required_column_missing": Case(
        lambda: conform(square(["x"]).drop(columns="id"), buildings_spec()),
        SpecError,
        "spec_column_missing",
        {"layer": "buildings", "column": "id"},
        "layer 'buildings': required column 'id' (stable identifier (INSEE or Etalab code where "
        "one exists)) is missing; map a source column onto it (see `twin import --help`).",
    ),
}


def raised(case: Case) -> TwinError:
    with pytest.raises(case.kind) as caught:
        case.make()
    return caught.value


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_model_error_carries_its_code_and_values_and_says_the_same_english_line(
    name: str,
) -> None:
    case = CASES[name]
    error = raised(case)
    assert error_code(error) == (case.code, case.values)
    assert str(error) == case.english
    again = pickle.loads(pickle.dumps(error))  # errors cross from child processes
    assert (again.code, dict(again.values), str(again)) == (case.code, case.values, case.english)


def test_every_model_error_code_is_met_by_a_real_call() -> None:
    assert set(MODEL_ERRORS) <= {case.code for case in CASES.values()}


def test_model_error_codes_share_the_one_table_without_clashing() -> None:
    assert not set(MODEL_ERRORS) & (set(FILE_ERRORS) | set(REFUSALS))
    assert all(ERROR_CODES[code] == names for code, names in MODEL_ERRORS.items())


@pytest.mark.parametrize("name", ["crs_unknown", "crs_not_projected", "crs_not_metres"])
def test_twin_new_prints_the_english_line_of_a_refused_crs(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    project = tmp_path / "ville.twin.gpkg"
    status = main(["new", str(project), "--crs", case.values["crs"]])
    assert status == 2 and not project.exists()
    assert capsys.readouterr().err == f"twin: error: {case.english}\n"
