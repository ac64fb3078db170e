"""Refusals: every code of REFUSALS is met somewhere, with exactly its values, and keeps the
English line the CLI prints."""

from __future__ import annotations

import pickle

import pytest

from scenarios.edits import AddFloors
from scenarios.edits.refusals import REFUSALS, Refusal, RefusedError, refusal_of, refuse, reworded
from scenarios.scenario import apply_edits
from tests.scenarios.edit_city import edit_city
from tests.scenarios.refusal_examples import EXAMPLES, refused
from twin.errors import InvalidInputError


def test_every_refusal_code_has_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(REFUSALS)


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_each_refusal_carries_its_code_its_values_and_an_english_line(code: str) -> None:
    error = refused(code)
    refusal = refusal_of(error)
    assert refusal is not None and refusal.code == code
    assert set(refusal.values) == REFUSALS[code]
    message = str(error)  # the CLI's line, in English
    assert message and "\n" not in message and message != code
    assert not any(word in message.split() for word in ("du", "une", "aucun", "est"))


def test_refuse_takes_only_known_codes_with_exactly_their_values() -> None:
    with pytest.raises(ValueError, match="takes"):
        refuse("no_such_code", "x")
    with pytest.raises(ValueError, match=r"takes \['id', 'layer'\]"):
        refuse("id_taken", "x", id="B1")
    error = refuse("id_taken", "id 'B1' is taken.", id="B1", layer="buildings")
    assert isinstance(error, InvalidInputError) and str(error) == "id 'B1' is taken."


def test_a_refusal_survives_pickling_and_rewording() -> None:
    error = refuse("nothing_to_undo", "nothing to undo.")
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, RefusedError) and str(again) == "nothing to undo."
    assert refusal_of(again) == Refusal("nothing_to_undo", {})
    moved = reworded(error, "in the file: nothing to undo.")
    assert str(moved) == "in the file: nothing to undo." and refusal_of(moved) == refusal_of(error)
    plain = reworded(InvalidInputError("bad"), "file: bad")
    assert refusal_of(plain) is None and str(plain) == "file: bad"


def test_an_edit_that_no_longer_fits_names_its_number_and_keeps_why() -> None:
    with pytest.raises(InvalidInputError) as caught:
        apply_edits(edit_city(), [AddFloors(("B1",), 1), AddFloors(("B9",), 1)], where="A")
    refusal = refusal_of(caught.value)
    assert refusal is not None and refusal.code == "edit_failed"
    assert refusal.values["number"] == 2 and refusal.values["edit"] == AddFloors(("B9",), 1)
    assert refusal_of(refusal.values["cause"]).code == "id_unknown"  # type: ignore[arg-type, union-attr]
    assert str(caught.value).startswith("A, edit 2 (add_floors): no building 'B9'")
