"""Edits are data: frozen dataclasses registered by kind, each run by one function.

An edit holds only plain values (text, numbers, lists of ids, ``{use: share}`` tables, WKT
geometries in the project CRS), so a scenario is a list of edits that goes as it is into the
project (JSON) and into a scenario file (TOML). Fields are checked and cast when the edit is
made (``__post_init__``), whether in Python or from a file, so a bad value is refused with one
line naming the field before anything runs; what needs the City (unknown ids, a footprint over
another building) is checked by the edit's function before it changes anything.

Each family of edits lives in its own module (:mod:`~scenarios.edits.buildings`,
:mod:`~scenarios.edits.uses` ...): a dataclass registered with :func:`register_edit` and a
model-first function (``demolish(city, ids)``) that :meth:`Edit.run` calls. The dispatcher
(:func:`scenarios.change.run_edit`) records what changed for undo.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from scenarios.assumptions import Assumptions, defaults
from twin.city import City
from twin.errors import InvalidInputError

#: Every edit kind, by its ``kind`` name.
EDIT_KINDS: dict[str, type[Edit]] = {}

E = TypeVar("E", bound="type[Edit]")


@functools.cache
def default_assumptions() -> Assumptions:
    """The shipped assumptions, read once."""
    return defaults()


def assumptions_or_default(assumptions: Assumptions | None) -> Assumptions:
    """``assumptions``, or the shipped defaults when None."""
    return default_assumptions() if assumptions is None else assumptions


@dataclasses.dataclass(frozen=True)
class Edit:
    """One change a planner makes to the town; subclasses add their fields.

    Attributes:
        kind: the registered name (``"add_floors"``), as written in scenario files.
    """

    kind: ClassVar[str] = ""

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(type(self))
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            converted = _convert(value, hints[field.name], f"{self.kind}: field '{field.name}'")
            if converted is not value:
                object.__setattr__(self, field.name, converted)
        self.check()

    def check(self) -> None:
        """Check the fields together (overridden); raise InvalidInputError naming the field."""

    def run(self, city: City, assumptions: Assumptions) -> None:
        """Apply the edit to ``city`` through its function (overridden)."""
        raise NotImplementedError

    def summary(self) -> str:
        """One line saying what the edit does (overridden)."""
        return self.kind

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": ..., field: value}`` with JSON/TOML values; fields left at their
        default are omitted, so files stay short."""
        data: dict[str, Any] = {"kind": self.kind}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if _is_default(field, value):
                continue
            data[field.name] = _plain(value)
        return data


def register_edit(cls: E) -> E:
    """Register an edit class under its ``kind`` (a class decorator)."""
    if not cls.kind or cls.kind in EDIT_KINDS:
        raise ValueError(f"edit kind '{cls.kind}' is empty or registered twice")
    EDIT_KINDS[cls.kind] = cls
    return cls


def edit_from_dict(data: Mapping[str, Any], where: str = "edit") -> Edit:
    """Make an edit from ``{"kind": ..., field: value}`` (a project's JSON, a TOML table).

    Raises:
        InvalidInputError: unknown kind, unknown or missing field, or a bad value; the message
            starts with ``where`` (``"edit 3"``) and names the field.

    Example:
        >>> edit_from_dict({"kind": "retrofit", "ids": ["B1"], "target_class": "C"}).summary()
        'energy retrofit of 1 building(s) to class C'
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError(f"{where}: expected a table of fields, got {data!r}.")
    kind = data.get("kind")
    cls = EDIT_KINDS.get(str(kind)) if kind is not None else None
    if cls is None:
        known = ", ".join(sorted(EDIT_KINDS))
        raise InvalidInputError(f"{where}: unknown edit kind {kind!r}; use one of: {known}.")
    fields = {field.name: field for field in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields) - {"kind"})
    if unknown:
        raise InvalidInputError(
            f"{where} ({kind}): unknown field '{unknown[0]}'; its fields are "
            f"{', '.join(fields)} (see docs/scenario-file.md)."
        )
    missing = [
        name
        for name, field in fields.items()
        if name not in data
        and field.default is dataclasses.MISSING
        and field.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise InvalidInputError(f"{where} ({kind}): field '{missing[0]}' is missing.")
    try:
        return cls(**{name: value for name, value in data.items() if name != "kind"})
    except InvalidInputError as error:
        message = str(error).removeprefix(f"{cls.kind}: ")
        raise InvalidInputError(f"{where} ({kind}): {message}") from None


# -- field conversion -----------------------------------------------------------------------
def _convert(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(hint) if option is not type(None)]
        if value is None:
            return None
        return _convert(value, options[0], where)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise InvalidInputError(f"{where}: expected a list, got {value!r}.")
        return tuple(_convert(v, item, f"{where} item {n + 1}") for n, v in enumerate(value))
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        if not isinstance(value, Mapping):
            raise InvalidInputError(f"{where}: expected a table {{name = value}}, got {value!r}.")
        return {
            _convert(k, key_type, where): _convert(v, value_type, f"{where} '{k}'")
            for k, v in value.items()
        }
    converter = _SCALARS.get(hint)
    if converter is None:  # pragma: no cover - a programming error in an edit class
        raise TypeError(f"{where}: unsupported field type {hint}")
    return converter(value, where)


def _to_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{where}: expected text, got {value!r}.")
    return value


def _to_float(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{where}: expected a number, got {value!r}.")
    if not math.isfinite(value):
        raise InvalidInputError(f"{where}: expected a finite number, got {value!r}.")
    return float(value)


def _to_int(value: Any, where: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{where}: expected a whole number, got {value!r}.")
    return value


def _to_bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(f"{where}: expected true or false, got {value!r}.")
    return value


_SCALARS: dict[Any, Callable[[Any, str], Any]] = {
    str: _to_str,
    float: _to_float,
    int: _to_int,
    bool: _to_bool,
}


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(value == field.default_factory())
    return False


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
