"""One line per edit, in the app's language, with its main figures.

"Ajouter un bâtiment : 4 niveaux, 1 310 m², 11 logements": the lines and their words live in
:mod:`scenarios.edit_texts` (the study's report prints the same ones); this module gives them
the app's current language, and the tooltips of the scenario panel.
"""

from __future__ import annotations

import weakref

from gui.i18n import translator
from gui.scenario_sessions import ScenarioSession
from scenarios import edit_texts
from scenarios.change import Change
from scenarios.edits import Edit

EditLine = tuple[str, str]  # (one line, tooltip)


def describe_edit(edit: Edit, change: Change | None = None) -> str:
    """One line saying what ``edit`` does, with its figures (from ``change`` when given), in
    the app's language.

    Example:
        >>> from scenarios.edits import AddFloors
        >>> describe_edit(AddFloors(("B1", "B2"), 1))
        'Ajouter 1 niveau à 2 bâtiments'
    """
    language = translator().language
    if change is None or change.edit is not edit:
        return edit_texts.describe_edit(edit, language, change)
    key = id(change)
    kept = _LINES.get(key)
    if kept is not None and kept[0]() is change and kept[1] == language:
        return kept[2]
    line = edit_texts.describe_edit(edit, language, change)
    _LINES[key] = (weakref.ref(change, lambda _gone: _LINES.pop(key, None)), language, line)
    return line


#: Each Change's line by its id, while it lives (a Change never changes): the panel lists
#: every edit again after each edit, and undo's tooltip says the last one too, where one line
#: could take ~80 ms (an added building's figures read 100 000 ids).
_LINES: dict[int, tuple[weakref.ref[Change], str, str]] = {}


def edit_details(edit: Edit) -> str:
    """The edit's fields, one ``name = value`` per line (a tooltip)."""
    lines = []
    for key, value in edit.to_dict().items():
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{key} = {text if len(text) <= 120 else text[:117] + '…'}")
    return "\n".join(lines)


def session_lines(session: ScenarioSession) -> tuple[list[EditLine], list[EditLine]]:
    """(line, tooltip) of each edit of an applied scenario, and of those undone (the next
    to redo last)."""
    done = [
        (describe_edit(edit, change), edit_details(edit))
        for edit, change in zip(session.edits, session.changes(), strict=True)
    ]
    undone = [(describe_edit(c.edit, c), edit_details(c.edit)) for c in session.undone]
    return done, undone
