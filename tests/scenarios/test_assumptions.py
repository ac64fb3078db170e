"""The assumptions file: every value has a unit and a source or is labelled an estimate, and a
project can override any value with a clear error for a wrong key or value."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.assumptions import defaults, parse_assumptions, read_overrides
from twin.errors import InvalidInputError


def test_every_default_has_a_unit_a_meaning_and_a_source_with_its_year() -> None:
    assumptions = defaults()
    assert len(assumptions) > 50
    for key, a in assumptions.items():
        assert a.unit and a.meaning and a.source, key
        assert 2000 <= a.year <= 2026, key
        assert a.status in {"sourced", "estimate"}, key


def test_values_without_a_source_say_so_in_their_source_text() -> None:
    for key, a in defaults().items():
        if a.is_estimate:
            assert "estimate" in a.source, key


def test_ranges_hold_their_value() -> None:
    for key, a in defaults().items():
        if a.low is not None and a.high is not None:
            assert a.low <= a.value <= a.high, key


def test_dpe_limits_are_increasing_lists_of_six_classes() -> None:
    limits = defaults().limits("dpe.primary_kwh_per_m2_upper")
    assert len(limits) == 6 and list(limits) == sorted(limits)
    assert limits[0] == 70 and limits[-1] == 420  # A below 70, F below 420 (arrêté 2021)


def test_an_override_is_marked_local_and_names_the_default_it_replaces() -> None:
    changed = defaults().with_overrides({"fibre.trench_eur_per_m": "85,5"}, source="Mairie")
    trench = changed["fibre.trench_eur_per_m"]
    assert trench.value == 85.5 and trench.status == "local" and trench.unit == "€/m"
    assert trench.source.startswith("Mairie") and "70" in trench.source
    assert changed.overrides() == {"fibre.trench_eur_per_m": 85.5}
    assert defaults().value("fibre.trench_eur_per_m") == 70  # the defaults are untouched


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"fibre.trench": 3}, "unknown assumption 'fibre.trench'"),
        ({"fibre.trench_eur_per_m": "cher"}, "must be a number"),
        ({"fibre.trench_eur_per_m": float("nan")}, "finite"),
        ({"fibre.trench_eur_per_m": [1, 2]}, "one number"),
        ({"dpe.primary_kwh_per_m2_upper": 70}, "list of 6 numbers"),
        ({"fibre.trench_eur_per_m": True}, "must be a number"),
    ],
)
def test_a_wrong_override_is_one_clear_error(overrides: dict, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        defaults().with_overrides(overrides)


def test_an_overrides_file_may_list_keys_or_tables(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text(
        '"people.persons_per_household" = 2.05\n[fibre]\ntrench_eur_per_m = { value = 95 }\n',
        encoding="utf-8",
    )
    overrides = read_overrides(path)
    assert overrides == {"people.persons_per_household": 2.05, "fibre.trench_eur_per_m": 95}
    assert defaults().with_overrides(overrides).value("fibre.trench_eur_per_m") == 95


def test_a_broken_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[fibre\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="not a valid TOML"):
        read_overrides(path)
    with pytest.raises(InvalidInputError, match="not found"):
        read_overrides(tmp_path / "absent.toml")
    with pytest.raises(InvalidInputError, match="lacks"):
        parse_assumptions("[a.b]\nvalue = 1\n", "x.toml")
