"""One way to meet each refusal of :data:`scenarios.edits.refusals.REFUSALS`, on the small
town of :mod:`tests.scenarios.edit_city` (or a scratch file), for the model's tests and the
app's (each example is run by :func:`refused`, which returns the error raised)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd

from gui.edit_targets import line_from_points, polygon_from_points
from scenarios.assumptions import defaults
from scenarios.change import run_edit, undo_change
from scenarios.edits import (
    AddBuilding,
    AddDigitalAsset,
    AddFloors,
    AddTransitLine,
    AddTransitStop,
    ChangeSpaceUse,
    ChangeUse,
    Demolish,
    Deseal,
    PlaceModel,
    Retrofit,
    SetHeight,
    add_floors,
    change_use,
    demolish,
    model_readers,
    retrofit,
)
from scenarios.edits.checks import check_near_data, existing_rows, parse_wkt
from scenarios.edits.housing import check_use_mix
from scenarios.edits.land_energy import buildings_within
from scenarios.history import History
from scenarios.report.output import check_output, write_atomically
from scenarios.scenario import (
    Scenario,
    apply_edits,
    remove_scenario,
    scenario_chain,
    store_scenario,
)
from scenarios.study.assumption_log import AssumptionLog
from scenarios.study.changes import scenario_changes
from scenarios.study.compute import compute_study
from tests.scenarios.edit_city import X0, Y0, edit_city, rect, rect_wkt
from twin.city import City
from twin.errors import InvalidInputError, TwinError
from twin.provenance import StoredFile

#: A point, a line and a bow tie (not a valid polygon) in the small town.
POINT = f"POINT ({X0 + 70} {Y0 + 20})"
LINE = f"LINESTRING ({X0 + 55} {Y0 + 5}, {X0 + 95} {Y0 + 45})"
BOW_TIE = f"POLYGON (({X0} {Y0}, {X0 + 10} {Y0 + 10}, {X0 + 10} {Y0}, {X0} {Y0 + 10}, {X0} {Y0}))"
FAR = f"POINT ({X0 + 100_000} {Y0})"  # 100 km away
SCRATCH = Path("/nonexistent-urban-twin-folder")


@dataclasses.dataclass
class _Parts:
    """What a model reader returns (see :class:`scenarios.edits.model_readers.ModelParts`)."""

    layers: dict[str, Any]
    meshes: dict[str, Any] = dataclasses.field(default_factory=dict)
    issues: list[Any] = dataclasses.field(default_factory=list)


@contextmanager
def _readers(readers: dict[str, Any]) -> Iterator[None]:
    kept = dict(model_readers.MODEL_READERS)
    model_readers.MODEL_READERS.clear()
    model_readers.MODEL_READERS.update(readers)
    try:
        yield
    finally:
        model_readers.MODEL_READERS.clear()
        model_readers.MODEL_READERS.update(kept)


def _town_with_model(file_name: str = "hall.ifc") -> City:
    city = edit_city()
    city.files[file_name] = StoredFile(file_name, "application/x-step", b"ISO-10303-21;")
    return city


def _place(reader: Any, file_name: str = "hall.ifc", suffix: str = ".ifc") -> None:
    city = _town_with_model(file_name)
    with _readers({suffix: reader}):
        run_edit(city, PlaceModel(file_name, X0 + 10, Y0 + 10))


def _place_without_readers() -> None:
    city = _town_with_model()
    with _readers({}):
        run_edit(city, PlaceModel("hall.ifc", X0 + 10, Y0 + 10))


def _building_at(footprint: Any) -> Any:
    def read(data: bytes, name: str, city: City, placement: Any) -> _Parts:
        frame = gpd.GeoDataFrame({"id": ["M1"]}, geometry=[footprint], crs=city.crs)
        return _Parts({"buildings": frame})

    return read


def _unreadable(data: bytes, name: str, city: City, placement: Any) -> _Parts:
    raise TwinError("the file is not IFC")


def _stale_undo() -> None:
    city = edit_city()
    change = run_edit(city, AddFloors(("B1",), 1))
    run_edit(city, AddFloors(("B1",), 1))
    undo_change(city, change)


def _stale_redo() -> None:
    city = edit_city()
    history = History(city, defaults())
    history.do(AddFloors(("B1",), 1))
    history.undo()
    run_edit(city, AddFloors(("B1",), 2))
    history.redo()


def _scenarios(*scenarios: Scenario) -> City:
    city = edit_city()
    for scenario in scenarios:
        city.scenarios[scenario.name] = scenario.to_dict()
    return city


def _write_into_missing_folder() -> None:
    write_atomically(SCRATCH / "study.html", b"<html></html>")


def _check_output_below_a_file() -> None:
    check_output(Path(__file__) / "study.html")  # a file as the folder


#: code → a call that is refused with that code.
EXAMPLES: dict[str, Callable[[], object]] = {
    "ids_none": lambda: existing_rows(edit_city(), "buildings", [], "building"),
    "layer_missing": lambda: demolish(City("EPSG:2154"), ["B1"]),
    "id_unknown": lambda: demolish(edit_city(), ["B9", "B8", "B7"]),
    "wkt_unreadable": lambda: AddBuilding(2, footprint_wkt="POLYGON ((1 2,"),
    "geometry_empty": lambda: AddBuilding(2, footprint_wkt="POLYGON EMPTY"),
    "geometry_kind": lambda: AddTransitStop(LINE, "Gare", 4.0),
    "polygon_invalid": lambda: AddBuilding(2, footprint_wkt=BOW_TIE),
    "too_far": lambda: check_near_data(edit_city(), parse_wkt(FAR, "x", ("Point",)), "x"),
    "id_taken": lambda: run_edit(edit_city(), AddBuilding(2, parcel_id="P2", id="B1")),
    "field_empty": lambda: Demolish(()),
    "field_range": lambda: SetHeight(("B1",), -3.0),
    "field_min": lambda: AddBuilding(2, parcel_id="P2", setback_m=-1.0),
    "field_choice": lambda: Retrofit("H", ids=("B1",)),
    "fields_either": lambda: ChangeUse(("B1",)),
    "floors_left_none": lambda: add_floors(edit_city(), ["B2"], -2),
    "asset_not_line": lambda: AddDigitalAsset("fibre_cable", POINT),
    "line_no_length": lambda: run_edit(
        edit_city(), AddDigitalAsset("fibre_cable", f"LINESTRING ({X0} {Y0}, {X0} {Y0})")
    ),
    "mix_empty": lambda: check_use_mix({}),
    "use_unknown": lambda: change_use(edit_city(), ["B1"], use="castle"),
    "share_range": lambda: check_use_mix({"residential": 1.5}),
    "shares_total": lambda: check_use_mix({"residential": 0.5, "retail": 0.2}),
    "dpe_class_unknown": lambda: retrofit(edit_city(), ["B1"], "Z"),
    "area_unknown": lambda: buildings_within(edit_city(), "NOWHERE"),
    "area_not_holding": lambda: buildings_within(edit_city(), "B1"),
    "area_no_buildings": lambda: buildings_within(edit_city(), "P2", ("residential",)),
    "deseal_too_much": lambda: run_edit(edit_city(), Deseal("P1", 5000.0)),
    "overlap": lambda: run_edit(edit_city(), AddBuilding(2, footprint_wkt=rect_wkt(5, 5, 45, 45))),
    "setback_too_big": lambda: run_edit(edit_city(), AddBuilding(2, parcel_id="P2", setback_m=30)),
    "model_no_building": lambda: _place(lambda *_: _Parts({})),
    "model_overlap": lambda: _place(_building_at(rect(5, 5, 15, 15))),
    "file_not_stored": lambda: run_edit(edit_city(), PlaceModel("absent.ifc", X0, Y0)),
    "model_unreadable": lambda: _place(_unreadable),
    "reader_unavailable": _place_without_readers,
    "reader_unknown": lambda: _place(_unreadable, file_name="hall.obj"),
    "stop_ids_one": lambda: AddTransitLine("A", 4.0, stop_ids=("f:T1",)),
    "stop_names_count": lambda: AddTransitLine("A", 4.0, line_wkt=LINE, stop_names=("a",)),
    "colour_format": lambda: AddTransitLine("A", 4.0, stop_ids=("f:T1", "f:T2"), colour="red"),
    "footprint_points": lambda: polygon_from_points([(0, 0), (1, 0)]),
    "footprint_crosses": lambda: polygon_from_points([(0, 0), (10, 10), (10, 0), (0, 10)]),
    "footprint_small": lambda: polygon_from_points([(0, 0), (0.5, 0), (0.5, 0.5)]),
    "line_points": lambda: line_from_points([(0, 0), (0, 0)]),
    "scenario_name_missing": lambda: Scenario(" "),
    "scenario_name_baseline": lambda: Scenario("Baseline"),
    "scenario_name_long": lambda: Scenario("x" * 101),
    "scenario_base_empty": lambda: Scenario("A", base=" "),
    "scenario_self_based": lambda: Scenario("A", base="A"),
    "scenario_exists": lambda: store_scenario(_scenarios(Scenario("A")), Scenario("A")),
    "scenario_unknown": lambda: remove_scenario(_scenarios(Scenario("A")), "B"),
    "scenario_base_unknown": lambda: scenario_chain("B", {"B": Scenario("B", base="C")}),
    "scenario_has_children": lambda: remove_scenario(
        _scenarios(Scenario("A"), Scenario("B", base="A")), "A"
    ),
    "scenario_cycle": lambda: scenario_chain(
        "A", {"A": Scenario("A", base="B"), "B": Scenario("B", base="A")}
    ),
    "edit_failed": lambda: apply_edits(edit_city(), [ChangeSpaceUse(("R9",), "office")], where="A"),
    "nothing_to_undo": lambda: History(edit_city(), defaults()).undo(),
    "nothing_to_redo": lambda: History(edit_city(), defaults()).redo(),
    "undo_stale": _stale_undo,
    "redo_stale": _stale_redo,
    "study_scenario_unknown": lambda: compute_study(_scenarios(Scenario("A")), "B"),
    "study_compare_self": lambda: compute_study(_scenarios(Scenario("A")), "A", "A"),
    "study_assumption_missing": lambda: AssumptionLog(defaults()).get("no.such.assumption"),
    "study_assumption_list": lambda: AssumptionLog(defaults()).value(
        "dpe.primary_kwh_per_m2_upper"
    ),
    "study_no_buildings": lambda: scenario_changes(City("EPSG:2154"), City("EPSG:2154")),
    "output_is_folder": lambda: check_output(Path(__file__).parent),
    "output_parent_file": _check_output_below_a_file,
    "output_folder_missing": lambda: check_output(SCRATCH / "study.html"),
    "output_read_only": lambda: check_output(Path("/sys/urban-twin-study.html")),  # even root
    "output_unwritable": _write_into_missing_folder,
}


def refused(code: str) -> InvalidInputError:
    """The error the example of ``code`` raises.

    Raises:
        AssertionError: the example was not refused.
    """
    try:
        EXAMPLES[code]()
    except InvalidInputError as error:
        return error
    raise AssertionError(f"the example of refusal '{code}' was not refused")
