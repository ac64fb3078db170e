"""The assumptions every indicator and study uses: one value per key, with unit and source.

Defaults live in ``scenarios/data/assumptions.toml`` (each value with its unit, meaning, public
source and year, or labelled an *estimate* when no source was found). A project overrides any
value by key; an override keeps the default's unit and records where the new value came from,
so a study can print every value it used and whether it was sourced, estimated or set locally.
"""

from __future__ import annotations

import logging
import math
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from twin.errors import InvalidInputError

logger = logging.getLogger(__name__)

STATUSES = ("sourced", "estimate", "local")
_FIELDS = {
    "value",
    "low",
    "high",
    "unit",
    "meaning",
    "meaning_fr",
    "source",
    "source_fr",
    "year",
    "status",
    "url",
}


@dataclass(frozen=True)
class Assumption:
    """One assumed value.

    Attributes:
        key: dotted name (``"people.persons_per_household"``).
        value: a number, or a list of numbers (class limits).
        unit: unit of the value (``"€/m"``, ``"share"`` for a fraction 0..1).
        meaning: what the value is (English).
        source: where it comes from, with the words read there.
        year: year of the source.
        status: ``"sourced"``, ``"estimate"`` (no source: replace it by a local figure) or
            ``"local"`` (set by the project).
        low, high: the range given by the source, for sensitivity tests (None if none).
        meaning_fr: what the value is, in French (the study's French report prints it).
        source_fr: the source in French, its quoted words kept as read (the French report
            prints it; where empty, it prints ``source``). A copy given a new ``source`` must
            be given its ``source_fr`` too (``""`` for none), not keep the old one.
    """

    key: str
    value: float | tuple[float, ...]
    unit: str
    meaning: str
    source: str
    year: int
    status: str
    low: float | None = None
    high: float | None = None
    meaning_fr: str = ""
    source_fr: str = ""

    def source_in(self, lang: str) -> str:
        """The source as the report in ``lang`` prints it: ``source_fr`` in French where it
        has one, else ``source``.

        Example:
            >>> a = defaults()["people.persons_per_household"]
            >>> a.source_in("fr").startswith("INSEE, 2021 :"), a.source_in("en") == a.source
            (True, True)
        """
        return self.source_fr if lang == "fr" and self.source_fr else self.source

    @property
    def is_estimate(self) -> bool:
        """True when no public source backs the value."""
        return self.status == "estimate"


class Assumptions(Mapping[str, Assumption]):
    """The assumptions of a project: the defaults with the project's overrides applied."""

    def __init__(self, items: Mapping[str, Assumption]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> Assumption:
        try:
            return self._items[key]
        except KeyError:
            raise KeyError(
                f"no assumption '{key}'; known: {', '.join(sorted(self._items))}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def value(self, key: str) -> float:
        """The numeric value of ``key``.

        Example:
            >>> defaults().value("people.persons_per_household")
            2.16
        """
        value = self[key].value
        if isinstance(value, tuple):
            raise TypeError(f"assumption '{key}' is a list; read it with .limits()")
        return float(value)

    def limits(self, key: str) -> tuple[float, ...]:
        """The list value of ``key`` (class limits such as the DPE classes)."""
        value = self[key].value
        return value if isinstance(value, tuple) else (float(value),)

    def with_overrides(self, overrides: Mapping[str, Any], source: str = "project") -> Assumptions:
        """A copy with ``overrides`` (``{key: value}``) applied, each marked ``local``.

        Each override's source is ``source`` followed by the default it replaces, in English
        (``source``) and in French (``source_fr``, with the default's French source): never the
        default's source alone.

        Raises:
            InvalidInputError: an unknown key, or a value that is not a finite number (or a
                list of them where the default is a list).

        Example:
            >>> a = defaults().with_overrides({"people.persons_per_household": 2.3})
            >>> a.value("people.persons_per_household"), a["people.persons_per_household"].status
            (2.3, 'local')
        """
        items = dict(self._items)
        for key, raw in overrides.items():
            if key not in items:
                raise InvalidInputError(
                    f"{source}: unknown assumption '{key}'; use one of the keys listed by "
                    "`twin assumptions` (see docs/assumptions.md)."
                )
            value = _number_or_list(raw, f"{source}: assumption '{key}'", items[key].value)
            items[key] = replace(
                items[key],
                value=value,
                status="local",
                source=f"{source} (default: "
                f"{_format(items[key].value)} {items[key].unit}, {items[key].source})",
                source_fr=f"{source} (par défaut : "
                f"{_format_fr(items[key].value)} {items[key].unit}, "
                f"{items[key].source_fr or items[key].source})",
                low=None,
                high=None,
            )
        return Assumptions(items)

    def overrides(self) -> dict[str, float | tuple[float, ...]]:
        """The values set locally, ``{key: value}`` (what a project stores)."""
        return {key: a.value for key, a in self._items.items() if a.status == "local"}


#: Where a project keeps its overrides: ``City.metadata[PROJECT_KEY] = {key: value}`` (saved in
#: the project file's metadata table).
PROJECT_KEY = "assumptions"


def project_assumptions(city: Any) -> Assumptions:
    """The assumptions of a project: the defaults with the overrides it stores.

    Raises:
        InvalidInputError: the project stores an unknown key or a value that is not a number
            (fix it with ``twin assumptions PROJECT --reset KEY``).
    """
    stored = city.metadata.get(PROJECT_KEY) or {}
    if not isinstance(stored, dict):
        raise InvalidInputError(
            "the project's assumptions are not a table of key = value; reset them with "
            "`twin assumptions PROJECT --reset-all`."
        )
    return defaults().with_overrides(stored, source="projet") if stored else defaults()


def set_project_assumptions(city: Any, overrides: Mapping[str, Any]) -> Assumptions:
    """Check ``overrides`` and store them in the project (replacing what it had).

    Raises:
        InvalidInputError: an unknown key or a bad value (nothing is stored then).
    """
    checked = defaults().with_overrides(overrides, source="projet")
    city.metadata[PROJECT_KEY] = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in checked.overrides().items()
    }
    return checked


def defaults() -> Assumptions:
    """The default assumptions shipped with urban-twin."""
    text = resources.files("scenarios").joinpath("data/assumptions.toml").read_text("utf-8")
    return parse_assumptions(text, "scenarios/data/assumptions.toml")


def parse_assumptions(text: str, where: str) -> Assumptions:
    """Read an assumptions TOML text (the defaults' format).

    Raises:
        InvalidInputError: not TOML, or an entry lacks value/unit/source/status.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(f"{where} is not valid TOML ({error}); fix that line.") from None
    items: dict[str, Assumption] = {}
    for group, entries in data.items():
        for name, entry in entries.items():
            key = f"{group}.{name}"
            context = f"{where}: [{key}]"
            missing = {"value", "unit", "meaning", "source", "year", "status"} - set(entry)
            unknown = set(entry) - _FIELDS
            if missing or unknown:
                raise InvalidInputError(
                    f"{context} lacks {sorted(missing)} or has unknown fields {sorted(unknown)}."
                )
            if entry["status"] not in STATUSES:
                raise InvalidInputError(f"{context}: status must be one of {STATUSES}.")
            items[key] = Assumption(
                key=key,
                value=_number_or_list(entry["value"], context, None),
                unit=str(entry["unit"]),
                meaning=str(entry["meaning"]),
                source=str(entry["source"]),
                year=int(entry["year"]),
                status=str(entry["status"]),
                low=float(entry["low"]) if "low" in entry else None,
                high=float(entry["high"]) if "high" in entry else None,
                meaning_fr=str(entry.get("meaning_fr", "")),
                source_fr=str(entry.get("source_fr", "")),
            )
    return Assumptions(items)


def read_overrides(path: Path) -> dict[str, Any]:
    """A user's overrides file: TOML ``key = value`` lines, or tables as in the defaults.

    Raises:
        InvalidInputError: the file is missing or not TOML.
    """
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(f"assumptions file {path} not found; check the path.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInputError(f"{path} is not a valid TOML file ({error}).") from None
    flat: dict[str, Any] = {}
    for group, entries in data.items():
        if not isinstance(entries, dict):
            flat[group] = entries
            continue
        for name, entry in entries.items():
            flat[f"{group}.{name}"] = entry["value"] if isinstance(entry, dict) else entry
    return flat


def _number_or_list(raw: Any, where: str, like: Any) -> float | tuple[float, ...]:
    if isinstance(raw, list | tuple):
        values = tuple(_finite(v, where) for v in raw)
        if like is not None and not isinstance(like, tuple):
            raise InvalidInputError(f"{where} must be one number, not a list.")
        return values
    if isinstance(like, tuple):
        raise InvalidInputError(f"{where} must be a list of {len(like)} numbers.")
    return _finite(raw, where)


def _finite(raw: Any, where: str) -> float:
    if isinstance(raw, bool):
        raise InvalidInputError(f"{where} must be a number, not {raw!r}.")
    try:
        value = float(str(raw).replace(",", ".")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{where} must be a number, not {raw!r}.") from None
    if not math.isfinite(value):
        raise InvalidInputError(f"{where} must be a finite number, not {raw!r}.")
    return value


def _format(value: float | tuple[float, ...]) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{v:g}" for v in value) + "]"
    return f"{value:g}"


def _format_fr(value: float | tuple[float, ...]) -> str:
    """A value written the French way: decimal comma, list items joined by `` ; ``.

    Example:
        >>> _format_fr(2.16), _format_fr((70.0, 110.5))
        ('2,16', '[70 ; 110,5]')
    """
    if isinstance(value, tuple):
        return "[" + " ; ".join(_format_fr(v) for v in value) + "]"
    return f"{value:g}".replace(".", ",")
