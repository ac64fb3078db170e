"""Issue records: problems with single features, reported instead of raised.

One invalid polygon, one wall that fails to tessellate or one stop without coordinates must
never abort an import. Importers collect :class:`Issue` records; the import report counts and
lists them, and the project keeps them with the provenance of the import.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much an issue matters to the result."""

    INFO = "info"  # something was estimated or completed (a height from floors)
    WARNING = "warning"  # something was repaired or approximated (an invalid polygon)
    ERROR = "error"  # a feature could not be used and was left out (reported, not lost)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found with one feature of an input file.

    Attributes:
        severity: how much it matters.
        code: a short stable key for counting (``"invalid_geometry"``, ``"height_missing"``).
        message: one line for the user, saying what was done or what to do.
        source: the file (or layer) the feature came from.
        feature: the feature's id in its source, when it has one.
    """

    severity: Severity
    code: str
    message: str
    source: str = ""
    feature: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the issue."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Issue:
        """Rebuild an issue from :meth:`to_dict` output."""
        return cls(
            severity=Severity(data["severity"]),
            code=str(data["code"]),
            message=str(data["message"]),
            source=str(data.get("source", "")),
            feature=str(data.get("feature", "")),
        )


def count_by_code(issues: list[Issue]) -> dict[str, int]:
    """Count issues per code, most frequent first."""
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue.code] = counts.get(issue.code, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
