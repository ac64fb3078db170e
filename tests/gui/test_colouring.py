"""Colour-by a column, without Qt: categories, classes, periods, missing values, empty columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from gui.colour_classes import PERIOD_STARTS, class_breaks
from gui.colouring import (
    MISSING_COLOUR,
    Colouring,
    colour_buildings,
    colour_columns,
)
from gui.scene import build_layer, hex_to_rgb
from gui.strings import EN
from twin.snapshot import USE_COLOURS

GREY = hex_to_rgb(MISSING_COLOUR)


def buildings(**columns: Any) -> pd.DataFrame:
    """A buildings table with ids b0, b1 ... and the given columns."""
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"id": [f"b{i}" for i in range(n)], **columns})


def colour_of(colouring: Colouring, label: str) -> tuple[int, int, int]:
    return hex_to_rgb(next(e.colour for e in colouring.entries if e.label == label))


def english(key: str, **values: Any) -> str:
    return EN[key].format(**values) if values else EN[key]


def bounds(label: str) -> tuple[float, float]:
    """(low, high) of a class label such as "2,4 – 3 m" or "5"."""
    numbers = label.removesuffix(" m").replace("\u202f", "").replace(",", ".").split(" – ")
    return float(numbers[0]), float(numbers[-1])


def test_uses_get_the_use_colours_and_french_labels_missing_uses_count_as_unknown() -> None:
    layer = buildings(use=["residential", "public", "residential", None, "annex"])
    colouring = colour_buildings(layer, layer["id"], "use")
    labels = {e.label: e.n_buildings for e in colouring.entries}
    assert labels == {"Habitat": 2, "Équipement public": 1, "Annexe": 1, "Inconnu": 1}
    assert tuple(colouring.rgb[1]) == hex_to_rgb(USE_COLOURS["public"])
    assert tuple(colouring.rgb[3]) == hex_to_rgb(USE_COLOURS["unknown"])
    assert colouring.heading == "Usage"


def test_colouring_by_use_gives_the_3d_views_own_colours(sample_city: Any) -> None:
    layer = build_layer(sample_city, "buildings")
    colouring = colour_buildings(sample_city.layer("buildings"), layer.object_ids, "use")
    assert (colouring.rgb == layer.default_rgb).all()


def test_height_sources_and_sources_are_categories_with_distinct_colours() -> None:
    layer = buildings(
        height_source=["measured", "floors", "measured", "use_default"],
        source=["bdtopo", "osm", "bdtopo", "custom_tool"],
    )
    by_source = colour_buildings(layer, layer["id"], "height_source")
    assert [e.label for e in by_source.entries] == [
        "mesurée",
        "niveaux × hauteur d'étage",
        "valeur par défaut de l'usage",
    ]
    assert len({e.colour for e in by_source.entries}) == 3
    origin = colour_buildings(layer, layer["id"], "source")
    assert {e.label for e in origin.entries} == {"BD TOPO", "OpenStreetMap", "custom_tool"}
    assert (origin.rgb[0] == origin.rgb[2]).all() and (origin.rgb[0] != origin.rgb[1]).any()


def test_height_classes_hold_every_building_in_order_within_their_label() -> None:
    heights = np.random.default_rng(7).gamma(2.0, 3.5, 1000) + 2.0
    layer = buildings(height_m=heights)
    colouring = colour_buildings(layer, layer["id"], "height_m")
    assert 2 <= len(colouring.entries) <= 5
    assert sum(e.n_buildings for e in colouring.entries) == len(heights)
    assert colouring.heading == "Hauteur (m)"
    order = {hex_to_rgb(e.colour): i for i, e in enumerate(colouring.entries)}
    classes = np.array([order[tuple(rgb)] for rgb in colouring.rgb])
    assert (np.diff(classes[np.argsort(heights)]) >= 0).all()  # taller never in a lower class
    for position, entry in enumerate(colouring.entries):
        assert entry.label.endswith(" m")
        low, high = bounds(entry.label)
        inside = heights[classes == position]
        assert len(inside) == entry.n_buildings
        assert low <= inside.min() and inside.max() <= high


def test_class_breaks_are_round_numbers_and_never_leave_a_class_empty() -> None:
    rng = np.random.default_rng(3)
    heights = class_breaks(rng.uniform(2.0, 40.0, 500))
    assert len(heights) == 4 and (heights == np.round(heights)).all()  # whole metres
    areas = class_breaks(rng.lognormal(6.0, 1.0, 500))  # floor areas, tens to thousands of m2
    assert len(areas) == 4 and (areas % 10 == 0).all()
    lumpy = np.array([1.0] * 50 + [2.0] * 3 + [30.0])
    lumpy_breaks = class_breaks(lumpy)
    counts = np.bincount(np.searchsorted(lumpy_breaks, lumpy, side="right"))
    assert len(counts) == len(lumpy_breaks) + 1 and (counts > 0).all()
    assert len(class_breaks(np.full(10, 7.0))) == 0


def test_whole_number_columns_have_whole_number_classes_without_a_unit() -> None:
    layer = buildings(floors=pd.array([1, 1, 1, 2, 2, 3, 4, 5, 5, 6, None], dtype="Int64"))
    colouring = colour_buildings(layer, layer["id"], "floors")
    labels = [e.label for e in colouring.entries]
    assert colouring.heading == "Nombre de niveaux"
    assert labels[-1] == "non renseigné"
    assert all("," not in label and "m" not in label for label in labels)
    assert sum(e.n_buildings for e in colouring.entries) == len(layer)


def test_missing_values_and_objects_absent_from_the_layer_are_grey() -> None:
    layer = buildings(height_m=[3.0, np.nan, 9.0, 12.0])
    colouring = colour_buildings(layer, ["b0", "b1", "b2", "b3", "not-a-building"], "height_m")
    assert tuple(colouring.rgb[1]) == GREY
    assert tuple(colouring.rgb[4]) == GREY
    assert tuple(colouring.rgb[0]) != GREY
    assert colouring.entries[-1].label == "non renseigné"
    assert colouring.entries[-1].n_buildings == 2
    assert colouring.entries[-1].colour == MISSING_COLOUR


@pytest.mark.parametrize(
    ("year", "period"),
    [
        (1918, "avant 1919"),
        (1919, "1919 – 1945"),
        (1945, "1919 – 1945"),
        (1946, "1946 – 1970"),
        (2005, "1991 – 2005"),
        (2006, "2006 – 2012"),
        (2012, "2006 – 2012"),
        (2013, "après 2012"),
    ],
)
def test_construction_years_fall_in_the_right_period(year: int, period: str) -> None:
    layer = buildings(construction_year=pd.array([year, 1800], dtype="Int64"))
    colouring = colour_buildings(layer, layer["id"], "construction_year")
    assert tuple(colouring.rgb[0]) == colour_of(colouring, period)
    assert [e.n_buildings for e in colouring.entries if e.label == period] == [1 + (year < 1919)]


def test_the_period_legend_is_a_fixed_scale_even_for_absent_periods() -> None:
    layer = buildings(construction_year=pd.array([1990, None], dtype="Int64"))
    colouring = colour_buildings(layer, layer["id"], "construction_year")
    assert len(colouring.entries) == len(PERIOD_STARTS) + 2  # periods, then "not given"
    assert len({e.colour for e in colouring.entries}) == len(colouring.entries)


def test_an_empty_or_absent_column_gives_nothing_to_colour_and_is_not_offered() -> None:
    layer = buildings(use=["residential", "annex"], inhabitants=[np.nan, np.nan])
    for column in ("inhabitants", "dwellings"):
        colouring = colour_buildings(layer, layer["id"], column)
        assert colouring.is_empty
        assert (colouring.rgb == GREY).all() and colouring.rgb.shape == (2, 3)
        assert "Aucune valeur" in colouring.message
    assert colour_columns(layer) == ["use"]


def test_columns_offered_are_those_with_values_among_the_buildings_drawn() -> None:
    layer = buildings(use=["public", "annex"], floor_area_m2=[918.7, np.nan], source=["", "x"])
    assert colour_columns(layer) == ["use", "floor_area_m2", "source"]
    assert colour_columns(layer, ["b1"]) == ["use", "source"]


def test_labels_follow_the_language_given() -> None:
    layer = buildings(construction_year=pd.array([1900, None], dtype="Int64"), height_m=[2.5, 7.5])
    periods = colour_buildings(layer, layer["id"], "construction_year", text=english)
    assert periods.entries[0].label == "before 1919"
    assert periods.entries[-1].label == "not given"
    heights = colour_buildings(
        layer, layer["id"], "height_m", text=english, number=lambda v, d: f"{v:.{d}f}"
    )
    assert heights.heading == "Height (m)"
    assert heights.entries[0].label.startswith("2.50 – ")
