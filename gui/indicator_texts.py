"""How indicators read in the app (no Qt): their title without the level, their unit and their
group, in the current language, from :mod:`gui.strings_dashboard`.

Indicator specs have French titles that name their level ("Logements (commune)"); the
dashboard shows one level at a time, so it titles each indicator by its measure
(``dash.measure.<measure>``), in French or English. A measure without an entry falls back to
the spec's French title. ``text`` is :func:`gui.i18n.tr` or any callable like it.

Example:
    >>> from gui.strings import FR
    >>> def french(key, **values):
    ...     return FR.get(key, key)
    >>> unit_label("kWh/yr", french), unit_label("m2", french), unit_label("furlongs", french)
    ('kWh/an', 'm²', 'furlongs')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gui.strings import FR
from scenarios.indicators.base import IndicatorSpec

Text = Callable[..., str]  # like gui.i18n.tr(key, **values)


def indicator_title(spec: IndicatorSpec, text: Text) -> str:
    """The indicator's title without its level (« Logements », "Dwellings")."""
    key = f"dash.measure.{spec.quantity}"
    return text(key) if key in FR else spec.title


def unit_label(unit: str, text: Text) -> str:
    """A unit as shown (``m2`` → ``m²``, ``persons`` → ``hab.``/``inhab.``; "" for none)."""
    if not unit:
        return ""
    for key in (f"dash.unit.{unit}", f"unit.{unit}"):
        if key in FR:
            return text(key)
    return unit.replace("m2", "m²").replace("m3", "m³")


def group_title(group: str, text: Text) -> str:
    """The title of a family of indicators (« Urbanisme », « Foncier (ZAN) » ...)."""
    key = f"dash.group.{group}"
    return text(key) if key in FR else text("dash.group.other")


def french(key: str, **values: Any) -> str:
    """The French text of ``key`` (for callers without the app's translator)."""
    found = FR.get(key, key)
    return found.format(**values) if values else found
