"""One line per edit in French and English (scenarios/edit_texts.py): every edit kind has its
own words in both languages, with its figures, and never falls back to the English summary."""

from __future__ import annotations

import re

import pytest
from shapely.geometry import LineString, Point, box

from scenarios.edit_texts import count, describe_edit, number
from scenarios.edit_words import WORDS
from scenarios.edits import (
    EDIT_KINDS,
    AddBuilding,
    AddDigitalAsset,
    AddFloors,
    AddTransitLine,
    AddTransitStop,
    ChangeSpaceUse,
    ChangeUse,
    Demolish,
    Deseal,
    Edit,
    PlaceModel,
    Retrofit,
    SetHeight,
)

#: One edit of each kind, as a scenario file would hold it.
EXAMPLES: tuple[Edit, ...] = (
    AddBuilding(
        floors=4,
        parcel_id="AE57",
        use_mix={"residential": 0.75, "retail": 0.25},
        name="Immeuble rue du Marché",
    ),
    Demolish(("B1", "B2", "B3")),
    AddFloors(("B1",) * 10, 1),
    SetHeight(("B1",), 12.5),
    ChangeUse(("B1", "B2"), use="office"),
    ChangeSpaceUse(("S1",), "retail", long_name="Café associatif"),
    Retrofit("C", within_id="129900102", uses=("residential",)),
    Deseal("AE57", 1250.0),
    AddTransitStop(Point(0, 0).wkt, "Mairie", 4.0),
    AddTransitLine("C", 4.0, line_wkt=LineString([(0, 0), (1, 0), (2, 0)]).wkt, long_name="X - Y"),
    AddDigitalAsset("sensor", Point(0, 0).wkt, count=3),
    PlaceModel("mairie.ifc", 10.0, 20.0, rotation_deg=90, replace_ids=("B1",)),
)


def test_every_edit_kind_has_an_example_here() -> None:
    assert {edit.kind for edit in EXAMPLES} == set(EDIT_KINDS)


@pytest.mark.parametrize("edit", EXAMPLES, ids=lambda edit: edit.kind)
def test_each_edit_reads_in_french_and_in_english_not_as_its_summary(edit: Edit) -> None:
    french, english = describe_edit(edit, "fr"), describe_edit(edit, "en")
    assert french != english
    assert edit.summary() not in (french, english)
    assert not re.search(r"\{\w+\}|\(s\)", french + english)  # filled, no "building(s)"


def test_the_lines_carry_the_figures_and_the_words_of_the_language() -> None:
    building, demolish, floors = EXAMPLES[0], EXAMPLES[1], EXAMPLES[2]
    assert describe_edit(building, "fr") == (
        "Ajouter un bâtiment : 4 niveaux, habitat 75 %, commerces et services 25 %, "
        "sur la parcelle AE57, nommé « Immeuble rue du Marché »"
    )
    assert describe_edit(building, "en").startswith("Add a building: 4 storeys, housing 75%")
    assert describe_edit(demolish, "fr") == "Démolir 3 bâtiments"
    assert describe_edit(floors, "en") == "Add 1 storey to 10 buildings"
    assert describe_edit(EXAMPLES[-1], "fr") == (
        "Implanter la maquette « mairie.ifc », tournée de 90°, à la place de 1 bâtiment"
    )
    drawn = AddBuilding(floors=2, footprint_wkt=box(0, 0, 1000, 1).wkt)
    assert describe_edit(drawn, "fr") == "Ajouter un bâtiment : 2 niveaux, 2\u202f000 m²"


def test_counts_agree_in_number_in_each_language() -> None:
    assert count("rooms", 0, "fr") == "0 pièce" and count("rooms", 0, "en") == "0 rooms"
    assert count("dwellings", 1.4, "fr") == "1 logement"
    assert count("dwellings", 1.6, "fr") == "2 logements"  # as written
    assert number(1234.5, 1, "fr") == "1\u202f234,5" and number(1234.5, 1, "en") == "1,234.5"


def test_every_word_has_both_languages_and_the_same_values() -> None:
    for key, (french, english) in WORDS.items():
        assert french and english, key
        assert set(re.findall(r"\{(\w+)\}", french)) == set(re.findall(r"\{(\w+)\}", english))
