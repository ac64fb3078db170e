"""Numbers, units and punctuation the French way (or the English way) for the study's report.

French: a narrow no-break space (U+202F, the *espace fine insécable*) between thousands and
before ``; : ! ?`` and inside « »; a decimal comma; a no-break space (U+00A0) between a number
and its unit, which follows it (``1 250,5 m²``, ``12 000 €``). The thin space U+2009 is not
used: it breaks at the end of a line. Numbers are rounded as ``twin indicators`` rounds them
(:func:`scenarios.indicators.report.format_value`), so the report shows what it prints.

Example:
    >>> format_number(1250.54, "m", "fr") == "1\u202f250,5\u00a0m"
    True
    >>> format_number(12000, "€", "en")
    '€12,000'
    >>> french_spacing("Coût : 12 € !") == "Coût\u202f: 12 €\u202f!"
    True
"""

from __future__ import annotations

import math
import re
from typing import Any

from scenarios.indicators.report import MISSING, format_value
from twin.errors import InvalidInputError

LANGS = ("fr", "en")
NNBSP = "\u202f"  # narrow no-break space: thousands, before ; : ! ?, inside « »
NBSP = "\u00a0"  # no-break space: between a number and its unit

#: Units whose values keep their decimals even when whole (other whole numbers lose ",0").
RATIO_UNITS = ("m2/m2", "ratio")
#: How raw units are written (both languages); other units are written as given.
UNIT_SYMBOLS = {"m2": "m²", "m3": "m³", "m2/m2": "m²/m²", "km2": "km²", "/m2": "/m²"}

_SPACES = "[ \u00a0\u2009\u202f]*"
# ; : ! ? ending a clause (followed by a space or the end): the spaces before become one
# narrow no-break space; "https://", "10:30", "?id=3" are left alone.
_BEFORE_PUNCTUATION = re.compile(rf"(?<=[^\s;:!?]){_SPACES}([;:!?]+)(?=\s|$)")
_AFTER_OPENING = re.compile(rf"«{_SPACES}")
_BEFORE_CLOSING = re.compile(rf"{_SPACES}»")


def check_lang(lang: str) -> str:
    """``lang`` if the report can be written in it.

    Raises:
        InvalidInputError: another language.
    """
    if lang not in LANGS:
        raise InvalidInputError(
            f"--lang {lang}: the study is written in French (fr) or English (en); choose one."
        )
    return lang


def french_spacing(text: str) -> str:
    """French spaces around ``; : ! ?`` and inside « » (narrow no-break spaces)."""
    text = _BEFORE_PUNCTUATION.sub(NNBSP + r"\1", text)
    text = _AFTER_OPENING.sub("«" + NNBSP, text)
    return _BEFORE_CLOSING.sub(NNBSP + "»", text)


def unit_symbol(unit: str) -> str:
    """``m2`` → ``m²``, ``kgCO2e/kWh`` → ``kg CO₂e/kWh``: a unit as printed (translated
    units come from the texts' tables)."""
    if unit in UNIT_SYMBOLS:
        return UNIT_SYMBOLS[unit]
    return unit.replace("m2", "m²").replace("m3", "m³").replace("kgCO2e", "kg CO₂e")


def format_number(
    value: Any, unit: str, lang: str, *, signed: bool = False, unit_text: str | None = None
) -> str:
    """A number with its unit, as the language writes it (``—`` when missing).

    ``unit`` chooses the rounding (as ``twin indicators``; whole numbers without decimals,
    but for ratios); ``unit_text`` is the unit as printed
    (default :func:`unit_symbol`). ``€`` follows the number in French and precedes it in English.
    """
    rounding = "dwellings" if unit not in RATIO_UNITS and _is_whole(value) else unit
    number = format_value(value, rounding, french=lang == "fr", signed=signed)
    shown = unit_symbol(unit) if unit_text is None else unit_text
    if number == MISSING or not shown:
        return number
    if lang != "fr":
        if shown == "€" or shown.startswith("€ "):  # €12,000; €2.3 per € invested
            sign = number[0] if number[0] in "+−" else ""
            return f"{sign}€{number.removeprefix(sign)}{shown[1:]}"
        return f"{number}%" if shown == "%" else f"{number}{NBSP}{shown}"
    return f"{number}{NNBSP if shown == '%' else NBSP}{shown}"


def exact_number(value: Any, lang: str) -> str:
    """A number as given (up to 6 decimals, no rounding to the unit), for assumptions.

    Example:
        >>> exact_number(0.125, "fr"), exact_number(35000.0, "fr") == "35\u202f000"
        ('0,125', True)
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return MISSING
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.6f}".rstrip("0")
    text = text.replace("-", "−")
    return text.replace(",", NNBSP).replace(".", ",") if lang == "fr" else text


def _is_whole(value: Any) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and number.is_integer()
