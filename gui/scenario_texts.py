"""One line per edit, in the app's language, with its main figures.

"Ajouter un bâtiment : 4 niveaux, 1 310 m², 11 logements": the lines and their words live in
:mod:`scenarios.edit_texts` (the study's report prints the same ones); this module gives them
the app's current language, and the tooltips of the scenario panel.
"""

from __future__ import annotations

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
    return edit_texts.describe_edit(edit, translator().language, change)


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
