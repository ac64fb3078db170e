"""The study's texts in French and English, by key (docs/study-report.md lists them).

A text may name values in braces (``"{premises} prises à raccorder"``); :func:`text` fills them
from the paragraph's values, each formatted for the language: a :class:`Figure` or a
``(number, unit)`` pair as a number with its unit, a bare number without one, a text key by
its translation, anything else as written. An unknown key renders as the key itself and an
unknown value name stays in braces: the report never fails on a text. French texts get French
spacing (:func:`scenarios.report.typography.french_spacing`).

Example:
    >>> text("section.summary", "en")
    'Non-technical summary'
    >>> text("no.such.key", "fr")
    'no.such.key'
    >>> text("report.compare_with", "en", {"compare": "baseline"})
    'compared with the current state'
"""

from __future__ import annotations

import logging
import numbers
import re
from collections.abc import Iterable, Mapping
from typing import Any

from scenarios.report.texts_labels import INDICATOR_TITLES_EN, LABEL_TEXTS
from scenarios.report.texts_report import REPORT_TEXTS, UNIT_SINGULAR, UNIT_WORDS_EN
from scenarios.report.texts_study import STUDY_TEXTS
from scenarios.report.typography import format_number, french_spacing, unit_symbol
from scenarios.study.model import Figure

logger = logging.getLogger(__name__)

#: key → (French, English).
TEXTS: dict[str, tuple[str, str]] = {**REPORT_TEXTS, **STUDY_TEXTS, **LABEL_TEXTS}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: An indicator title ``what : part (level)`` (``Surface de plancher brute : bureaux (bâtiment)``).
_TITLE_PART = re.compile(r"^(?P<what>[^:(]+?)\s*:\s*(?P<part>[^:()]+?)\s*(?P<level>\([^()]+\))$")


def has_text(key: str) -> bool:
    """True when ``key`` has a translation."""
    return key in TEXTS


def text(key: str, lang: str, values: Mapping[str, Any] | None = None) -> str:
    """The text ``key`` in ``lang`` with ``values`` filled in (the key itself if unknown)."""
    pair = TEXTS.get(key)
    if pair is None:
        logger.debug("no text for key '%s': shown as is", key)
        template = key
    else:
        template = pair[0] if lang == "fr" else pair[1]
    if values:

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            return value_text(values[name], lang) if name in values else match.group(0)

        template = _PLACEHOLDER.sub(fill, template)
    return french_spacing(template) if lang == "fr" else template


def label(key: str, lang: str) -> str:
    """A label: the text of ``key``, else the key made readable (``a_b`` → ``a b``)."""
    return text(key if key in TEXTS else key.replace("_", " "), lang)


def indicator_title(name: str, lang: str) -> str | None:
    """The title of the indicator ``name``: in French its own (``twin indicators --list``), in
    English the study's translation of it; None if it is not one (or has no English title)."""
    if lang != "fr":
        return INDICATOR_TITLES_EN.get(name)
    if not name.replace("_", "").isalnum():
        return None
    from scenarios.indicators.engine import load_indicators, spec_of

    load_indicators()
    try:
        return french_spacing(spec_of(name).title)
    except KeyError:
        return None


def input_text(key: str, lang: str) -> str:
    """An input of a computed figure: a figure's label, an indicator's title (French), a
    layer's name, or an assumption's key (the methods' table lists them by key)."""
    kind, _, name = key.partition(":")
    if kind == "indicator" and name:
        return indicator_title(name, lang) or name
    if kind == "model" and name:
        return layer_name(name, lang)
    if kind == "assumption" and name:
        return name
    return label(key, lang) if has_text(key) else key


def inputs_text(keys: Iterable[str], lang: str) -> str:
    """Inputs of a computed figure, each named by :func:`input_text`, joined by commas;
    indicator titles ``X : a (z)``, ``X : b (z)`` that follow each other are written once,
    ``X (z) : a, b`` (the floor areas by use of a building).

    Example:
        >>> inputs_text(["model:roads", "fibre.trench_eur_per_m"], "fr")
        'voies, fibre.trench_eur_per_m'
    """
    groups: list[tuple[str, list[str]]] = []  # (head, parts), or ("", [name])
    for key in keys:
        name = input_text(key.strip(), lang)
        match = _TITLE_PART.match(name) if key.startswith("indicator:") else None
        if match:
            head, part = f"{match['what']} {match['level']}", match["part"]
            if groups and groups[-1][0] == head:
                groups[-1][1].append(part)
                continue
            groups.append((head, [part]))
        else:
            groups.append(("", [name]))
    shown = [
        text("source.grouped", lang, {"what": head, "parts": ", ".join(parts)})
        if head and len(parts) > 1
        else _ungroup(head, parts[0])
        if head
        else parts[0]
        for head, parts in groups
    ]
    return ", ".join(shown)


def _ungroup(head: str, part: str) -> str:
    """``Surface de plancher brute (bâtiment)`` and ``bureaux`` → the title again."""
    what, _, level = head.rpartition(" (")
    return f"{what} : {part} ({level}"


def layer_name(layer: str, lang: str) -> str:
    """A layer of the model in words (``digital_assets`` → *infrastructures numériques*)."""
    key = f"layer.{layer}"
    return text(key, lang) if has_text(key) else layer


def unit_text(unit: str, lang: str, value: Any = None) -> str:
    """A unit as printed in ``lang`` (``prises`` → ``premises``, ``m2`` → ``m²``), in the
    singular for a count of one (French: below 2) when ``value`` is given.

    Example:
        >>> unit_text("buildings", "fr", 1.0), unit_text("buildings", "en", 0)
        ('bâtiment', 'buildings')
    """
    if unit in UNIT_SINGULAR and _is_number(value) and _is_one(float(value), lang):
        return UNIT_SINGULAR[unit][0 if lang == "fr" else 1]
    key = f"unit.{unit}"
    if key in TEXTS:
        return text(key, lang)
    if lang == "en":  # the assumptions' French units, word by word
        unit = "/".join(UNIT_WORDS_EN.get(part, part) for part in unit.split("/"))
    return unit_symbol(unit)


def number_text(value: Any, unit: str, lang: str, *, signed: bool = False) -> str:
    """A number with its unit, translated and spaced for ``lang``."""
    return format_number(value, unit, lang, signed=signed, unit_text=unit_text(unit, lang, value))


def value_text(value: Any, lang: str) -> str:
    """One value of a paragraph, written for ``lang`` (see the module's doc)."""
    if isinstance(value, Figure):
        return number_text(value.value, value.unit, lang)
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[1], str)
        and _is_number(value[0])
    ):
        return number_text(value[0], value[1], lang)
    if _is_number(value):
        return number_text(value, "", lang)
    if isinstance(value, str):
        return text(value, lang) if value in TEXTS else value
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_one(value: float, lang: str) -> bool:
    """A count the language writes in the singular (French: 0 and 1, below 2)."""
    return abs(value) < 2 if lang == "fr" else abs(value) == 1
