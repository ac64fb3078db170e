"""Mapping files and --map flags become import options; flags win over the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.base import ImportOptions
from importers.mapping import options_from_mapping_file, parse_map_flags
from twin.errors import InvalidInputError

MAPPING = """
as = "buildings"
source_layer = "batiment"
[columns]
id = "cleabs"
height_m = "hauteur"
[values.use]
"Résidentiel" = "residential"
[defaults]
use = "unknown"
"""


def test_a_mapping_file_gives_layer_columns_values_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "bdtopo.toml"
    path.write_text(MAPPING, encoding="utf-8")
    options = options_from_mapping_file(path)
    assert options.kind == "buildings"
    assert options.source_layer == "batiment"
    assert options.mapping == {"id": "cleabs", "height_m": "hauteur"}
    assert options.values == {"use": {"Résidentiel": "residential"}}
    assert options.defaults == {"use": "unknown"}


def test_flags_given_on_the_command_line_win_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bdtopo.toml"
    path.write_text(MAPPING, encoding="utf-8")
    base = ImportOptions(kind="parcels", mapping=parse_map_flags(["height_m=HAUTEUR_2"]))
    options = options_from_mapping_file(path, base)
    assert options.kind == "parcels"
    assert options.mapping["height_m"] == "HAUTEUR_2"
    assert options.mapping["id"] == "cleabs"


def test_a_broken_mapping_file_points_to_the_docs(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[columns\nid =", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"docs/mapping\.md"):
        options_from_mapping_file(path)


def test_a_flag_without_equals_sign_shows_the_expected_form() -> None:
    with pytest.raises(InvalidInputError, match="TARGET=SOURCE"):
        parse_map_flags(["height_m"])
