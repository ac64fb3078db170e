"""Column mappings for the generic vector importer: TOML files and ``--map`` flags.

The format is documented in docs/mapping.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from importers.base import ImportOptions
from twin.errors import InvalidInputError


def options_from_mapping_file(path: Path, base: ImportOptions | None = None) -> ImportOptions:
    """Options read from a TOML mapping file; values already set in ``base`` win.

    Raises:
        InvalidInputError: the file is missing or is not valid TOML.
    """
    base = base or ImportOptions()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInputError(f"mapping file {path} not found; check its name.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError(
            f"mapping file {path} is not valid TOML ({exc}); fix it (see docs/mapping.md)."
        ) from exc
    return replace(
        base,
        kind=base.kind or str(data.get("as", "")),
        source_layer=base.source_layer or str(data.get("source_layer", "")),
        mapping={**dict(data.get("columns", {})), **dict(base.mapping)},
        values={**dict(data.get("values", {})), **dict(base.values)},
        defaults={**dict(data.get("defaults", {})), **dict(base.defaults)},
    )


def parse_map_flags(pairs: Sequence[str]) -> dict[str, str]:
    """``["height_m=HAUTEUR", ...]`` as ``{"height_m": "HAUTEUR"}``.

    Raises:
        InvalidInputError: a pair is not written TARGET=SOURCE.
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep or not target.strip() or not source.strip():
            raise InvalidInputError(
                f"--map {pair}: write it as TARGET=SOURCE, e.g. height_m=HAUTEUR."
            )
        mapping[target.strip()] = source.strip()
    return mapping
