"""The translation layer: French by default, English on request, every key in both tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gui.i18n import Translator, format_number, tr, translator
from gui.inspection import format_value
from gui.strings import EN, FR
from twin.catalogue import BUILDINGS, PARCELS


@pytest.fixture
def english() -> Iterator[None]:
    translator().set_language("en")
    yield
    translator().set_language("fr")


def test_both_languages_have_the_same_keys() -> None:
    assert set(FR) == set(EN)


def test_every_placeholder_is_in_both_languages() -> None:
    for key, french in FR.items():
        assert sorted(_fields(french)) == sorted(_fields(EN[key])), key


def test_french_is_the_default_and_english_is_one_switch_away(english: None) -> None:
    assert tr("menu.file") == "&File"
    translator().set_language("fr")
    assert tr("menu.file") == "&Fichier"
    assert Translator().language == "fr"


def test_switching_language_emits_once_and_refuses_unknown_languages() -> None:
    local = Translator()
    seen: list[str] = []
    local.language_changed.connect(seen.append)
    local.set_language("en")
    local.set_language("en")
    assert seen == ["en"]
    with pytest.raises(ValueError, match="unknown language"):
        local.set_language("de")


def test_an_unknown_key_shows_itself_so_it_gets_noticed() -> None:
    assert tr("no.such.key") == "no.such.key"


def test_numbers_use_a_decimal_comma_in_french_and_a_point_in_english(english: None) -> None:
    assert format_number(1234.5) == "1,234.5"
    translator().set_language("fr")
    assert format_number(1234.5) == "1\u202f234,5"
    assert format_number(12.0) == "12"


def test_values_carry_their_translated_units() -> None:
    assert format_value(6.8, BUILDINGS.column("height_m")) == "6,8 m"
    assert format_value(1250.0, PARCELS.column("contenance_m2")) == "1\u202f250 m²"
    assert format_value(1961, BUILDINGS.column("construction_year")) == "1961"
    assert format_value("residential", BUILDINGS.column("use")) == "Habitat"
    assert format_value("floors", BUILDINGS.column("height_source")) == "niveaux × hauteur d'étage"
    assert format_value(None, BUILDINGS.column("height_m")) == "—"
    assert format_value(True) == "oui"


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_every_column_of_the_catalogue_has_a_label_in_both_languages() -> None:
    from gui.strings import EN, FR
    from twin.catalogue import STANDARD_SPECS

    columns = {column.name for spec in STANDARD_SPECS.values() for column in spec.columns}
    assert not [c for c in sorted(columns) if f"col.{c}" not in FR]
    assert not [c for c in sorted(columns) if f"col.{c}" not in EN]


def test_qt_own_buttons_follow_the_language(qapp: object) -> None:
    from PySide6.QtCore import QCoreApplication

    from gui.i18n import translator

    translator().set_language("en")
    translator().set_language("fr")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    translator().set_language("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    translator().set_language("fr")


def test_every_unit_of_the_catalogue_has_a_label_in_both_languages() -> None:
    from gui.strings import EN, FR
    from twin.catalogue import STANDARD_SPECS

    units = {c.unit for spec in STANDARD_SPECS.values() for c in spec.columns if c.unit}
    assert not [u for u in sorted(units) if f"unit.{u}" not in FR]
    assert not [u for u in sorted(units) if f"unit.{u}" not in EN]
