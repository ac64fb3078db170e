"""Properties that hold for any input hypothesis can think of, not only the examples we wrote.

- Repairing a footprint keeps its area: bow-ties keep both triangles, spikes and repeated
  points cost nothing (within :func:`area_tolerance_m2`).
- Any sequence of edits, undos and redos, undone to the end, gives back the same City.
- Rolling values up the hierarchy conserves their sum, orphans included (``(unassigned)``).
- A project saved and reopened is the City that was saved.

Each property tries :data:`EXAMPLES` inputs (no example database: nothing is written to the
repository): the same 40 in the default run, or ``TWIN_PROPERTY_EXAMPLES`` fresh random ones.
"""

from __future__ import annotations

import functools
import os

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from importers.source_tools import clean_geometries
from scenarios.edits import (
    AddBuilding,
    AddFloors,
    AddTransitStop,
    ChangeUse,
    Demolish,
    Deseal,
    Edit,
    Retrofit,
    SetHeight,
)
from scenarios.history import History
from tests.robustness.city_strategies import small_cities
from tests.robustness.polygon_strategies import Broken, area_tolerance_m2, broken_footprints
from tests.robustness.same_project import assert_same_project
from tests.scenarios.edit_city import X0, Y0, assert_same_city, edit_city, frames, rect_wkt
from twin.catalogue import BUILDINGS
from twin.city import City
from twin.errors import InvalidInputError
from twin.hierarchy import UNASSIGNED, HierarchyIndex
from twin.levels import Level
from twin.project import load_project, save_project
from twin.uses import ALL_USES

#: The default run tries the same 40 inputs every time (derandomised: CI does not flicker);
#: ``TWIN_PROPERTY_EXAMPLES=400`` tries that many fresh random inputs instead.
DEEPER = os.environ.get("TWIN_PROPERTY_EXAMPLES")
EXAMPLES = int(DEEPER) if DEEPER else 40
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=DEEPER is None,
    suppress_health_check=[HealthCheck.too_slow],
)


# -- geometry repair --------------------------------------------------------------------------
@PROPERTY
@given(st.lists(broken_footprints(), min_size=1, max_size=6))
def test_repairing_footprints_never_loses_area_beyond_a_millionth(broken: list[Broken]) -> None:
    frame = gpd.GeoDataFrame(
        {"id": [f"b{n}" for n in range(len(broken))]},
        geometry=[case.given for case in broken],
        crs="EPSG:2154",
    )
    issues: list = []
    repaired = clean_geometries(frame, BUILDINGS, "bati.gpkg", issues)
    assert len(repaired) == len(broken)  # nothing left out: every footprint has an area
    for case, geometry in zip(broken, repaired.geometry, strict=True):
        tolerance = area_tolerance_m2(case.expected.area)
        assert geometry.is_valid and geometry.geom_type in ("Polygon", "MultiPolygon")
        assert abs(geometry.area - case.expected.area) <= tolerance, case
        assert shapely.symmetric_difference(geometry, case.expected).area <= tolerance, case
    invalid = {f"b{n}" for n, case in enumerate(broken) if not case.given.is_valid}
    repaired_ids = {issue.feature for issue in issues if issue.code == "invalid_geometry"}
    assert repaired_ids == invalid  # each repair reported, by the feature's id


# -- apply, then undo ---------------------------------------------------------------------------
#: Buildings of the town, the first two added ones, and B9 that never exists (refused edits);
#: repeated names are drawn more often.
BUILDING_IDS = ("B1", "B1", "B2", "B2", "H1", "NEW-1", "NEW-1", "NEW-2", "B9")
PARCEL_IDS = ("P1", "P2", "P2", "P3", "P9")
some_buildings = st.lists(st.sampled_from(BUILDING_IDS), min_size=1, max_size=2, unique=True).map(
    tuple
)


@st.composite
def drawn_footprints(draw: st.DrawFn) -> str:
    """A rectangle somewhere in the test town (it may overlap a building: then refused)."""
    x, y = draw(st.floats(0, 180)), draw(st.floats(0, 80))
    return rect_wkt(x, y, x + draw(st.floats(4, 20)), y + draw(st.floats(4, 20)))


EDITS: st.SearchStrategy[Edit] = st.one_of(
    st.builds(
        AddBuilding,
        floors=st.integers(1, 12),
        parcel_id=st.sampled_from(PARCEL_IDS),
        setback_m=st.floats(0, 12),
        use_mix=st.sampled_from([{"residential": 1.0}, {"office": 0.6, "retail": 0.4}]),
    ),
    st.builds(AddBuilding, floors=st.integers(1, 12), footprint_wkt=drawn_footprints()),
    st.builds(Demolish, some_buildings),
    st.builds(SetHeight, some_buildings, st.floats(0.5, 120)),
    st.builds(AddFloors, some_buildings, st.sampled_from([-2, -1, 1, 2, 4])),
    st.builds(ChangeUse, some_buildings, use=st.sampled_from(ALL_USES)),
    st.builds(Retrofit, st.sampled_from("ABCDEFG"), ids=some_buildings),
    st.builds(Retrofit, st.sampled_from("ABCDEFG"), within_id=st.sampled_from(PARCEL_IDS)),
    st.builds(Deseal, st.sampled_from(PARCEL_IDS), st.floats(1, 1_500)),
    st.builds(
        AddTransitStop,
        st.tuples(st.floats(0, 200), st.floats(0, 100)).map(
            lambda xy: f"POINT ({X0 + xy[0]} {Y0 + xy[1]})"
        ),
        st.text(min_size=1, max_size=10).filter(str.strip),
        st.floats(0, 60),
    ),
)
#: Edits, each followed by nothing, an undo, or an undo and a redo; then maybe more undos.
ACTIONS = st.tuples(
    st.lists(
        st.tuples(EDITS, st.sampled_from([(), ("undo",), ("undo", "redo")])),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.sampled_from(["undo", "redo"]), max_size=3),
).map(lambda steps: [x for edit, after in steps[0] for x in (edit, *after)] + steps[1])


def _act(history: History, action: Edit | str) -> None:
    """Do, undo or redo; a refused edit or an empty stack must leave the City as it was."""
    before = frames(history.city)
    name = action if isinstance(action, str) else action.kind
    try:
        if action == "undo":
            history.undo()
        elif action == "redo":
            history.redo()
        else:
            history.do(action)  # type: ignore[arg-type]
    except InvalidInputError:
        assert frames(history.city) == before
        event(f"{name} refused")
    else:
        event(f"{name} done")


@functools.cache
def _town() -> City:
    return edit_city()


@PROPERTY
@given(ACTIONS)
def test_any_sequence_of_edits_undone_to_the_end_gives_back_the_same_city(
    actions: list[Edit | str],
) -> None:
    baseline = _town()
    city = baseline.copy()  # frames copied: an edit changing one in place would show
    history = History(city)
    for action in actions:
        _act(history, action)
    edited, done = city.copy(), len(history.changes)
    while history.can_undo:
        history.undo()
    assert_same_city(city, baseline)
    assert all(city.spec(name) == baseline.spec(name) for name in baseline.layer_names)
    for _ in range(done):
        history.redo()
    assert_same_city(city, edited)


# -- roll-ups ---------------------------------------------------------------------------------
LEVELS = (Level.COMMUNE, Level.DISTRICT, Level.PARCEL, Level.BUILDING)


@st.composite
def hierarchies(draw: st.DrawFn) -> dict[Level, pd.DataFrame]:
    """Communes, districts, parcels and buildings; parents at any higher level, absent (an
    orphan) or none (a root)."""
    frames_by_level: dict[Level, pd.DataFrame] = {}
    above: list[str] = []
    for level in LEVELS:
        n = draw(st.integers(0 if level != Level.BUILDING else 1, 6))
        ids = [f"{level.name.lower()}-{k}" for k in range(n)]
        parent = (
            st.one_of(st.sampled_from(above), st.none(), st.just("absent"))
            if above
            else (st.none())
        )
        parents = draw(st.lists(parent, min_size=n, max_size=n))
        frames_by_level[level] = pd.DataFrame({"id": ids, "parent_id": parents}, dtype=object)
        above += ids
    return frames_by_level


@PROPERTY
@given(hierarchies(), st.data())
def test_rolling_values_up_conserves_their_sum_orphans_included(
    frames_by_level: dict[Level, pd.DataFrame], data: st.DataObject
) -> None:
    hierarchy = HierarchyIndex.from_frames(frames_by_level)
    ids = frames_by_level[Level.BUILDING]["id"].tolist()
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    amounts = st.lists(st.integers(-(10**9), 10**9), min_size=len(chosen), max_size=len(chosen))
    values = pd.Series(data.draw(amounts), index=chosen)
    for level in LEVELS:
        rolled = hierarchy.roll_up(values, Level.BUILDING, level)
        assert rolled.sum() == values.sum()
        targets = frames_by_level[level]["id"].tolist()
        expected = {target: 0 for target in targets}
        for building, value in values.items():
            line = [str(building), *hierarchy.ancestors(str(building))]
            above = [node for node in line if hierarchy.level_of(node) == level]
            key = above[0] if above else UNASSIGNED
            expected[key] = expected.get(key, 0) + value
        assert rolled.to_dict() == expected


# -- save and reopen --------------------------------------------------------------------------
@PROPERTY
@given(city=small_cities())
def test_a_project_saved_and_reopened_is_the_city_that_was_saved(
    city: City, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    assert_same_project(load_project(save_project(city, folder / "ville.twin.gpkg")), city)
