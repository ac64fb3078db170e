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
from collections.abc import Mapping
from typing import Any

from scenarios.report.texts_labels import LABEL_TEXTS
from scenarios.report.texts_report import REPORT_TEXTS
from scenarios.report.texts_study import STUDY_TEXTS
from scenarios.report.typography import format_number, french_spacing, unit_symbol
from scenarios.study.model import Figure

logger = logging.getLogger(__name__)

#: key → (French, English).
TEXTS: dict[str, tuple[str, str]] = {**REPORT_TEXTS, **STUDY_TEXTS, **LABEL_TEXTS}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


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
    """The French title of the indicator ``name`` (``twin indicators --list``), None if it is
    not one or in English (indicators have French titles only)."""
    if lang != "fr" or not name.replace("_", "").isalnum():
        return None
    from scenarios.indicators.engine import load_indicators, spec_of

    load_indicators()
    try:
        return french_spacing(spec_of(name).title)
    except KeyError:
        return None


def unit_text(unit: str, lang: str) -> str:
    """A unit as printed in ``lang`` (``prises`` → ``premises``, ``m2`` → ``m²``)."""
    key = f"unit.{unit}"
    return text(key, lang) if key in TEXTS else unit_symbol(unit)


def number_text(value: Any, unit: str, lang: str, *, signed: bool = False) -> str:
    """A number with its unit, translated and spaced for ``lang``."""
    return format_number(value, unit, lang, signed=signed, unit_text=unit_text(unit, lang))


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
