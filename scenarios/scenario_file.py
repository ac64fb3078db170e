"""Scenario files: a scenario as a TOML text a planner can diff, mail and reapply.

The format is documented in docs/scenario-file.md. In short::

    format = 1
    name = "Densifier le centre"
    description = "..."
    base = "baseline"
    crs = "EPSG:2154"          # coordinates of the geometries (WKT), checked on import

    [[edits]]                  # one table per edit, applied in order
    kind = "add_floors"
    ids = ["BATIMENT0000000241874869"]
    floors = 1

A bad file is refused with one line naming the file, the edit number and the field.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scenarios.scenario import Scenario
from twin.city import City, parse_crs
from twin.errors import CrsError, InvalidInputError

FORMAT_VERSION = 1
SUFFIX = ".toml"
_TOP_KEYS = ("format", "name", "description", "base", "crs", "edits")
_HEADER = (
    "# urban-twin scenario (format described in docs/scenario-file.md).\n"
    "# Edits are applied in order; geometries are WKT in the CRS below, in metres.\n"
)


# -- writing --------------------------------------------------------------------------------
def scenario_to_toml(scenario: Scenario, crs: str = "") -> str:
    """The scenario as TOML text, each edit preceded by a comment saying what it does.

    Example:
        >>> from scenarios.edits import AddFloors
        >>> text = scenario_to_toml(Scenario("Test", edits=(AddFloors(("B1",), 2),)))
        >>> print(text.split("\\n\\n", 1)[1])
        format = 1
        name = "Test"
        description = ""
        base = "baseline"
        <BLANKLINE>
        # 1. add 2 floor(s) to 1 building(s)
        [[edits]]
        kind = "add_floors"
        ids = ["B1"]
        floors = 2
        <BLANKLINE>
    """
    lines = [
        _HEADER,
        f"format = {FORMAT_VERSION}",
        f"name = {_value(scenario.name)}",
        f"description = {_value(scenario.description)}",
        f"base = {_value(scenario.base)}",
    ]
    if crs:
        lines.append(f"crs = {_value(crs)}")
    for number, edit in enumerate(scenario.edits, start=1):
        lines += ["", f"# {number}. {edit.summary()}", "[[edits]]"]
        lines += [f"{key} = {_value(value)}" for key, value in edit.to_dict().items()]
    return "\n".join(lines) + "\n"


def write_scenario_file(scenario: Scenario, path: str | Path, crs: str = "") -> Path:
    """Write the scenario to ``path`` (replaced atomically) and return the path."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.writing-{os.getpid()}")
    try:
        tmp.write_text(scenario_to_toml(scenario, crs), encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):  # pragma: no cover - edits refuse them
            raise ValueError(f"{value} cannot be written in TOML")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} in TOML")  # pragma: no cover


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    escaped = "".join(c if ord(c) >= 0x20 and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def _key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else _string(key)


# -- reading --------------------------------------------------------------------------------
def scenario_from_toml(text: str, where: str = "scenario file") -> tuple[Scenario, str]:
    """Read a scenario file's text; return the scenario and the CRS it declares ("" if none).

    Raises:
        InvalidInputError: not TOML, a newer format, an unknown key, or a bad edit (the
            message names ``where``, the edit number and the field).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(f"{where} is not valid TOML ({error}); fix that line.") from None
    version = data.get("format", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InvalidInputError(
            f"{where} has format {version!r}; this urban-twin reads format {FORMAT_VERSION} "
            "(update urban-twin to read it)."
        )
    unknown = [key for key in data if key not in _TOP_KEYS]
    if unknown:
        raise InvalidInputError(
            f"{where}: unknown key '{unknown[0]}' (a scenario file has {', '.join(_TOP_KEYS)}; "
            "edits go in [[edits]] tables)."
        )
    crs = data.get("crs", "")
    if not isinstance(crs, str):
        raise InvalidInputError(f"{where}: 'crs' must be text such as \"EPSG:2154\".")
    body: dict[str, Any] = {
        key: data[key] for key in ("name", "description", "base", "edits") if key in data
    }
    return Scenario.from_dict(body, where), crs


def read_scenario_file(path: str | Path, city: City | None = None) -> Scenario:
    """Read a scenario file; with ``city``, also check its CRS is the project's.

    Raises:
        InvalidInputError: the file is missing, not UTF-8 TOML, or holds a bad scenario.
        CrsError: the file's CRS is not the project's.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(f"scenario file {path} not found; check the path.") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path} is not a UTF-8 text file; save it as UTF-8.") from None
    scenario, crs = scenario_from_toml(text, str(path))
    if city is not None and crs:
        try:
            same = parse_crs(crs).equals(city.crs)
        except CrsError as error:
            raise InvalidInputError(f"{path}: 'crs' {error}") from None
        if not same:
            raise CrsError(
                f"{path} is written in {crs}, the project in {city.crs.to_string()}; its "
                "geometries would land in the wrong place: rewrite them in the project's CRS."
            )
    return scenario
