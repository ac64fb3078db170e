"""The assumptions a study reads, recorded as it reads them, so its methods section lists every
value used with its unit, source and status, and a missing key is one clear error.

Example:
    >>> from scenarios.assumptions import defaults
    >>> log = AssumptionLog(defaults())
    >>> log.value("fibre.final_connection_eur")
    250.0
    >>> value, unit, source, status = log.used()["fibre.final_connection_eur"]
    >>> unit, status
    ('€/logement', 'sourced')
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from scenarios.assumptions import Assumption, Assumptions
from scenarios.edits.refusals import refuse
from scenarios.study.model import Figure, Table


class AssumptionLog:
    """Reads assumptions and remembers which were read, in order."""

    def __init__(self, assumptions: Assumptions) -> None:
        self.assumptions = assumptions
        self._used: dict[str, Assumption] = {}

    def get(self, key: str) -> Assumption:
        """The assumption ``key``, recorded as used.

        Raises:
            InvalidInputError: the key is not among the assumptions in force.
        """
        if key not in self.assumptions:
            raise refuse(
                "study_assumption_missing",
                f"the study needs assumption '{key}', missing from the assumptions in force; "
                "restore it in scenarios/data/assumptions.toml (see docs/assumptions.md).",
                assumption=key,
            )
        assumption = self.assumptions[key]
        self._used.setdefault(key, assumption)
        return assumption

    def value(self, key: str) -> float:
        """The numeric value of ``key``, recorded as used (see :meth:`get`)."""
        value = self.get(key).value
        if isinstance(value, tuple):
            raise refuse(
                "study_assumption_list",
                f"assumption '{key}' must be one number, not a list.",
                assumption=key,
            )
        return float(value)

    def touch(self, keys: Iterable[str]) -> None:
        """Record keys used elsewhere (by the indicators), skipping those not in force."""
        for key in keys:
            if key in self.assumptions:
                self._used.setdefault(key, self.assumptions[key])

    def figure(self, key: str, *, name: str = "", note: str = "") -> Figure:
        """The assumption as a Figure named ``name`` (default: the key), ``source``
        ``assumption:<key>``."""
        assumption = self.get(key)
        return Figure(
            name or key, self.value(key), assumption.unit, f"assumption:{key}", (key,), note
        )

    def used(self) -> dict[str, tuple[object, str, str, str]]:
        """Every assumption read: key → (value, unit, source, status)."""
        return {key: (a.value, a.unit, a.source, a.status) for key, a in sorted(self._used.items())}

    def table(self) -> Table:
        """The assumptions read as a table: key, value, unit, status, meaning and source (each
        with its French words, ``meaning_fr`` and ``source_fr``, which the French report prints
        instead where not empty), year."""
        rows = [
            {
                "key": key,
                "value": a.value if not isinstance(a.value, tuple) else list(a.value),
                "unit": a.unit,
                "status": a.status,
                "meaning": a.meaning,
                "meaning_fr": a.meaning_fr,
                "source": a.source,
                "source_fr": a.source_fr,
                "year": a.year,
            }
            for key, a in sorted(self._used.items())
        ]
        frame = pd.DataFrame(
            rows,
            columns=[
                "key",
                "value",
                "unit",
                "status",
                "meaning",
                "meaning_fr",
                "source",
                "source_fr",
                "year",
            ],
        )
        return Table("assumptions", frame.set_index("key"))  # units: the unit column
