"""Where the importers and the project file raise coded errors, read from their source (AST):
each ``XError("message", code="...", values={...})`` call, its code, its value names and the
constant text of its English message."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The modules whose raise sites carry the codes of twin.errors.FILE_ERRORS.
SOURCES = sorted(
    [*ROOT.glob("importers/*.py")]
    + [ROOT / "twin" / name for name in ("project.py", "atomic_files.py", "spec.py")]
)


@dataclass(frozen=True)
class Site:
    """One error call with a ``code=`` keyword.

    Attributes:
        where: ``path:line``.
        code: the code, None when given by a variable.
        names: the keys of the ``values={...}`` dict, None when not a literal dict.
        message: the constant parts of the message (the f-string's text without its fields).
    """

    where: str
    code: str | None
    names: frozenset[str] | None
    message: str


def coded_sites() -> list[Site]:
    """Every call with a ``code=`` keyword in :data:`SOURCES`."""
    sites = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            if "code" not in keywords or not node.args:
                continue
            code = keywords["code"]
            values = keywords.get("values")
            names = (
                frozenset(key.value for key in values.keys if isinstance(key, ast.Constant))
                if isinstance(values, ast.Dict)
                else None
            )
            sites.append(
                Site(
                    where=f"{path.relative_to(ROOT)}:{node.lineno}",
                    code=code.value if isinstance(code, ast.Constant) else None,
                    names=names,
                    message=_text(node.args[0]),
                )
            )
    return sites


def string_constants() -> set[str]:
    """Every string constant of :data:`SOURCES` (codes given through a variable included)."""
    found: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _text(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(part) for part in node.values)
    return " "  # a field of an f-string, or a message made elsewhere
