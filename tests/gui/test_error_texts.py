"""The model's refusals in the app's language: every code has a French and an English text,
and each one reaches the user in French (an edit dialog's line, the scenarios' error dialogs,
the study export's), never the CLI's English line."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gui.edit_dialogs import EditDialog
from gui.error_texts import error_text, refusal_text
from gui.i18n import translator
from gui.strings import EN, FR
from gui.study_export_worker import ExportRequest
from scenarios.edits import AddFloors, Edit
from scenarios.edits.refusals import REFUSALS, refusal_of
from scenarios.scenario import Scenario
from tests.scenarios.refusal_examples import refused

DENSIFY = "Densifier le centre"


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    translator().set_language("fr")
    yield
    translator().set_language("fr")


@pytest.fixture
def app(shown: Any) -> Any:
    """The window on screen, its error dialogs recorded instead of shown."""
    shown.errors = []
    shown.scenarios.commands.show_error = shown.errors.append
    shown.study_export.show_error = shown.errors.append
    return shown


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class RefusedDialog(EditDialog):
    """An edit dialog whose edit is refused as the example of ``code`` is."""

    def __init__(self, code: str) -> None:
        super().__init__("Essai", "Une modification refusée.", None)
        self.code = code
        self.finish_layout()

    def make_edit(self) -> Edit:
        raise refused(self.code)


def test_every_refusal_code_has_a_french_and_an_english_text_using_only_its_values() -> None:
    for code, names in REFUSALS.items():
        key = f"error.{code}"
        assert key in FR and key in EN, code
        assert placeholders(FR[key]) <= names and placeholders(EN[key]) <= names, code
        assert FR[key] != EN[key], code


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_each_refusal_is_one_french_line_in_the_edit_dialog(
    code: str, qtbot: Any, screenshots_dir: Path
) -> None:
    dialog = RefusedDialog(code)
    qtbot.addWidget(dialog)
    dialog.show()
    error = refused(code)

    dialog.accept()

    shown = dialog.error_text
    french = error_text(error)
    assert dialog.isVisible() and shown == " ".join(french.split())
    assert str(error) not in shown and "{" not in shown and "error." not in shown
    if code == "overlap":  # for people to look at
        qtbot.wait(100)  # the dialog grows to the line
        assert dialog.grab().save(str(screenshots_dir / "refusal_in_french.png"))
    translator().set_language("en")
    assert refusal_text(refusal_of(error)) != french  # type: ignore[arg-type]


def test_a_refused_edit_of_the_scenario_shown_is_french_in_the_error_dialog(app: Any) -> None:
    control = app.scenarios
    assert control.show(DENSIFY) and app.view.wait_for_scene()
    city = control.shown_city()
    before = {name: city.layer(name) for name in city.layer_names}

    assert control.do_edit(AddFloors(("B-ABSENT", "B-ABSENT-2"), 1)) is None

    assert app.errors == [
        "Opération impossible : « B-ABSENT » (et 1 autre) ne figure pas dans la couche "
        "« Bâtiments » du projet : vérifiez les identifiants."
    ]
    assert all(city.layer(name) is frame for name, frame in before.items())


def test_a_refused_scenario_name_is_french_then_english(app: Any) -> None:
    commands = app.scenarios.commands
    commands.ask_name = lambda _title, _default: DENSIFY  # already used

    assert commands.new_scenario() is None
    translator().set_language("en")
    assert commands.new_scenario() is None

    assert app.errors == [
        f"Opération impossible : Le projet a déjà un scénario « {DENSIFY} » : choisissez un "
        "autre nom.",
        f"Not possible: The project already has a scenario “{DENSIFY}”: choose another name.",
    ]


def test_a_stored_edit_that_no_longer_applies_is_named_in_french(app: Any) -> None:
    city = app.document.city
    broken = Scenario("Cassé", edits=(AddFloors(("B-ABSENT",), 2),))
    city.scenarios[broken.name] = broken.to_dict()

    assert not app.scenarios.show(broken.name)

    assert app.errors == [
        "Impossible d'afficher le scénario « Cassé » : la modification n° 1 (Ajouter 2 niveaux "
        "à 1 bâtiment) ne s'applique plus : « B-ABSENT » ne figure pas dans la couche "
        "« Bâtiments » du projet : vérifiez les identifiants."
    ]


def test_a_study_the_child_process_refuses_is_french_in_the_dialog(
    app: Any, qtbot: Any, tmp_path: Path
) -> None:
    exporter = app.study_export
    with qtbot.waitSignal(exporter.finished, timeout=120_000):
        assert exporter.start(ExportRequest("Absent", tmp_path / "etude.html"))

    assert len(app.errors) == 1
    assert app.errors[0].startswith("Impossible d'exporter l'étude")
    assert "Le projet n'a pas de scénario « Absent » (scénarios : " in app.errors[0]
    assert DENSIFY in app.errors[0] and "no scenario" not in app.errors[0]
    assert not list(tmp_path.glob("etude*"))
