"""Every key of the string tables is used: written in the app's code, or made at run time
under one of the prefixes documented below (each of which the code does build)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import gui
from gui.colouring import COLOUR_COLUMNS
from gui.strings import EN, FR
from gui.study_export_dialog import FORMATS
from scenarios.edits import EDIT_KINDS
from scenarios.edits.refusals import REFUSALS
from twin.errors import FILE_ERRORS, MODEL_ERRORS

GUI = Path(gui.__file__).parent

#: Keys the code makes at run time, by the prefix it writes (an f-string's start, or a
#: constant joined to a value): None when any key under it may be asked for, else only
#: these endings.
DYNAMIC_PREFIXES: dict[str, tuple[str, ...] | None] = {
    "action.": None,  # ActionSpec(label=f"action.{id}"), gui/actions.py and the action tables
    "tip.": None,  # ActionSpec(tip=f"tip.{id}")
    "edit.short.": None,  # the tool palette's short texts, gui/edit_palette.py
    "col.": None,  # a column's label, gui/inspection.py
    "colour.col.": (*COLOUR_COLUMNS, "delta:"),  # the colour-by menu and legend titles
    "colour.source.": None,  # the "source" column's values, gui/colouring.py
    "unit.": None,  # units of the catalogue and of the indicators
    "use.": None,  # building uses
    "height_source.": None,
    "level.": None,  # hierarchy levels, gui/i18n.level_label
    "layer.": None,  # scene layers, gui/layer_panel.py
    "report.layer.": None,  # City layers in the import report and in refusals
    "report.severity.": None,
    "importer.": None,
    "issue.": None,  # importers' issue codes, gui/import_report.py
    "issue.suffix.": None,
    "options.error.": None,  # import options by name, gui/import_options_dialog.py
    "dash.measure.": None,
    "dash.unit.": None,
    "dash.group.": None,
    "scenarios.asset.": None,  # digital equipment kinds
    "scenarios.marks.": None,  # marks of the scenario shown by layer, gui/scenario_panel.py
    "scenarios.tip.": ("undo_what", "redo_what"),  # gui/scenario_actions.py
    "export.": FORMATS,  # the study's formats, gui/study_export_dialog.py
    "export.filter.": FORMATS,
    "export.stage.": None,
    "sun.": ("summer", "winter", "equinox"),  # the date buttons, gui/sun_panel.py
    "sun.tip.": ("summer", "winter", "equinox"),
    "sun.dir.": None,  # eight compass directions, gui/sun_control.py
    "sun.study.project.": None,
    "error.": (*REFUSALS, *FILE_ERRORS, *MODEL_ERRORS),  # a refusal or error by its code
    "error.importer.": None,  # the importer a file error names
    "error.kind.": tuple(EDIT_KINDS),  # the edit a refusal names
}


def _trees() -> Iterator[ast.AST]:
    for path in sorted(GUI.glob("*.py")):
        if not path.name.startswith("strings"):
            yield ast.parse(path.read_text(encoding="utf-8"))


def _written() -> tuple[set[str], set[str]]:
    """The string constants of the app's code, and the constant starts of its f-strings."""
    constants: set[str] = set()
    starts: set[str] = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    starts.add(first.value)
    return constants, starts


def _made_at_run_time(key: str) -> bool:
    for prefix, endings in DYNAMIC_PREFIXES.items():
        if key.startswith(prefix):
            ending = key[len(prefix) :]
            if endings is None or any(ending.startswith(end) for end in endings):
                return True
    return False


def test_every_key_of_the_string_tables_is_used_by_the_app() -> None:
    constants, _starts = _written()
    unused = [key for key in FR if key not in constants and not _made_at_run_time(key)]
    assert unused == []
    assert set(EN) == set(FR)


def test_each_documented_prefix_is_built_by_the_code() -> None:
    constants, starts = _written()
    built = starts | {constant + "." for constant in constants} | constants
    assert [prefix for prefix in DYNAMIC_PREFIXES if prefix not in built] == []


def test_a_key_no_code_asks_for_is_caught() -> None:
    assert not _made_at_run_time("scenarios.edit.demolish")  # an old, removed table
    assert not _made_at_run_time("error.no_such_code")
    assert not _made_at_run_time("sun.autumn")
    assert _made_at_run_time("error.overlap") and _made_at_run_time("sun.winter")
