"""The City model's own errors in the app's language: every code of twin.errors.MODEL_ERRORS has
a French and an English text, and each error a real call raises (a layer in another CRS, a
broken hierarchy, an edit out of its column's range ...) reaches the user in French, its values
written for the reader (layers and levels as the app names them), never the CLI's English line."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

import pytest

from gui.error_texts import WORD_PREFIXES, error_text
from gui.i18n import has_key, tr, translator
from gui.strings import EN, FR
from importers.base import ImportResult
from importers.merge import MergeError, merge_result
from tests.twin.factories import small_city
from tests.twin.test_model_error_codes import CASES, raised, square
from twin.errors import MODEL_ERRORS

#: Words of the English lines that no French text says: one left means English got through.
ENGLISH = {
    "the", "layer", "project", "is", "in", "not", "has", "of", "and", "from", "to", "must",
    "first", "choose", "give", "rebuild", "values", "level", "row", "rows", "spec", "which",
    "cannot", "roll", "lower", "reproject", "expected", "outside", "range", "duplicate", "ids",
    "one", "e", "g", "correct", "unknown", "metres", "there", "already",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    translator().set_language("fr")
    yield
    translator().set_language("fr")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[A-Za-zÀ-ÿ]+", text)}


def for_the_reader(name: str, value: Any) -> list[str]:
    """How the text must show one value: layer and level names translated, the rest as is."""
    items = value if isinstance(value, list) else [value]
    prefix = WORD_PREFIXES.get(name, "")
    return [tr(prefix + str(item)) if has_key(prefix + str(item)) else str(item) for item in items]


def test_every_model_error_code_has_a_french_and_an_english_text_using_only_its_values() -> None:
    for code, names in MODEL_ERRORS.items():
        key = f"error.{code}"
        assert key in FR and key in EN, code
        assert placeholders(FR[key]) <= names and placeholders(EN[key]) <= names, code
        assert FR[key] != EN[key], code


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_model_error_reaches_the_user_in_french_with_its_values(name: str) -> None:
    error = raised(CASES[name])

    french = error_text(error)

    assert french != str(error) and "{" not in french and "}" not in french
    assert words(french) & ENGLISH == set(), french
    for value_name, value in error.values.items():
        if value_name != "allowed":  # a column's range or choices, worded in French
            for shown in for_the_reader(value_name, value):
                assert shown in french, (value_name, shown, french)


def test_layers_and_levels_are_named_as_the_app_names_them() -> None:
    unknown = error_text(raised(CASES["layer_unknown"]))
    assert "« Voirie »" in unknown and "Communes, Quartiers IRIS, Parcelles, Bâtiments" in unknown
    cycle = error_text(raised(CASES["hierarchy_parent_level"]))
    assert cycle.startswith("L'objet « b1 » (niveau « Bâtiment ») a pour parent « b2 »")
    assert "Corrigez la colonne « Parent »" in cycle
    downwards = error_text(raised(CASES["roll_up_downwards"]))
    assert "« Commune »" in downwards and "« Bâtiment »" in downwards
    assert error_text(raised(CASES["layer_unknown_empty"])).count("(ses couches : aucun)") == 1


def test_an_edit_out_of_range_says_the_allowed_range_in_french_and_in_english() -> None:
    error = raised(CASES["edit_out_of_range"])
    assert "attendu : de 0 à 1\u202f000 m)" in error_text(error)
    translator().set_language("en")
    assert "expected 0 to 1,000 m)" in error_text(error)


def test_in_english_the_app_says_its_own_sentence_not_the_cli_line() -> None:
    translator().set_language("en")
    for name in ("layer_crs_differs", "hierarchy_parent_level", "crs_not_projected"):
        error = raised(CASES[name])
        english = error_text(error)
        assert english != str(error) and "{" not in english
        assert "Lambert-93" in english or "b1" in english


def test_a_model_error_met_while_merging_a_file_is_french_inside_the_merge_error() -> None:
    city = small_city()
    result = ImportResult.of("espaces_verts.gpkg", "vector", {"greenery": square(["g1"])}, [])
    with pytest.raises(MergeError) as caught:
        merge_result(city, result)

    french = error_text(caught.value)

    assert caught.value.code == "merge_failed"
    assert french.startswith("« espaces_verts.gpkg » n'a pas pu être ajouté au projet")
    assert "La couche « greenery » n'est pas une couche que le projet connaît" in french
    assert "has no specification" in str(caught.value)  # the CLI's line, still English
