"""What went wrong, in the app's language: the model's refusals and the file errors from
their codes.

The model refuses with one English line (what the CLI prints) and a
:class:`~scenarios.edits.refusals.Refusal`: a code and the values of the message; the errors
met with files (an import, a project opened or saved) carry a code of
:data:`twin.errors.FILE_ERRORS` and their values the same way. The app shows ``error.<code>``
of :mod:`gui.strings_errors` or :mod:`gui.strings_import_errors` filled with those values
written for the reader (numbers with a decimal comma in French, layer, level, use and importer
names translated, an edit described as the scenarios panel lists it, a wrapped refusal or
error rendered in turn). Any other error shows its own message.

Example:
    >>> from scenarios.edits.refusals import refuse
    >>> error_text(refuse("id_taken", "id 'B1' is taken.", layer="buildings", id="B1"))
    "L'identifiant « B1 » existe déjà dans la couche « Bâtiments » : choisissez-en un autre ou \
laissez-le vide."
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from gui.i18n import format_number, has_key, tr
from gui.scenario_texts import describe_edit
from scenarios.edits import Edit
from scenarios.edits.refusals import Refusal, refusal_of

#: Values named so are words to translate, by the prefix of their keys.
WORD_PREFIXES = {
    "edit": "error.kind.",
    "from_level": "level.",
    "importer": "error.importer.",
    "kind": "scenarios.asset.",
    "layer": "report.layer.",
    "layers": "report.layer.",
    "level": "level.",
    "parent_level": "level.",
    "spec_layer": "report.layer.",
    "to_level": "level.",
    "use": "use.",
    "uses": "use.",
}

#: A column's allowed values as :mod:`twin.spec` words them in English (``_range_text``:
#: "0 to 500 m", "-∞ to 1"; or "one of a, b"): the ``allowed`` value of a spec error.
_ALLOWED_RANGE = re.compile(r"^(\S+) to (\S+)(?: (.+))?$")
_ALLOWED_CHOICES = "one of "


def error_text(error: BaseException) -> str:
    """The message of ``error`` in the app's language (its own message if it carries no
    refusal nor code).

    Example:
        >>> from twin.errors import CrsError
        >>> error_text(CrsError("a.shp has no CRS; use --crs.", code="crs_missing",
        ...                     values={"file": "a.shp"}))  # doctest: +ELLIPSIS
        "« a.shp » n'indique pas son système de coordonnées : choisissez-le dans le champ \
« Système de coordonnées » (Fichier ▸ Importer avec options…), ..."
    """
    refusal = refusal_of(error)
    return refusal_text(refusal) if refusal is not None else str(error)


def refusal_text(refusal: Refusal) -> str:
    """The text ``error.<code>`` filled with the refusal's values, written for the reader."""
    values = {name: _value_text(name, value) for name, value in refusal.values.items()}
    return tr(f"error.{refusal.code}", **values)


def _value_text(name: str, value: Any) -> str:
    if isinstance(value, Refusal):
        return refusal_text(value)
    if isinstance(value, BaseException):
        return error_text(value)
    if isinstance(value, Edit):
        return describe_edit(value)
    if name == "allowed" and isinstance(value, str):
        return _allowed_text(value)
    if name == "more":
        if not value:
            return ""
        if value == 1:
            return tr("error.more.one")
        return tr("error.more", count=format_number(value, 0))
    prefix = WORD_PREFIXES.get(name, "")
    if isinstance(value, list | tuple):
        return _listed(_word(prefix, item) for item in value)
    if isinstance(value, bool):
        return tr(f"bool.{str(value).lower()}")
    if isinstance(value, int | float):
        return format_number(value, 0 if abs(value) >= 100 else 2)
    return _word(prefix, value)


def _allowed_text(text: str) -> str:
    """A column's allowed values in the app's language (``text`` itself if not worded as
    :data:`_ALLOWED_RANGE` or :data:`_ALLOWED_CHOICES` say)."""
    if text.startswith(_ALLOWED_CHOICES):
        return tr("error.allowed.choices", choices=text[len(_ALLOWED_CHOICES) :])
    match = _ALLOWED_RANGE.match(text)
    if match is None:
        return text
    low, high, unit = match.groups()
    bounds = {"low": _bound(low), "high": _bound(high), "unit": _word("unit.", unit or "")}
    return tr("error.allowed.range", **bounds).strip()


def _bound(text: str) -> str:
    try:
        return _value_text("", float(text))
    except ValueError:  # "-∞", "+∞"
        return text


def _word(prefix: str, value: Any) -> str:
    text = str(value)
    return tr(prefix + text) if prefix and has_key(prefix + text) else text


def _listed(words: Iterable[str]) -> str:
    listed = ", ".join(words)
    return listed or tr("error.none")
