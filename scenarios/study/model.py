"""What a digital-impact study holds: sections of figures, tables, charts and maps, each figure
traceable to an indicator, an assumption or a count of the model.

The computation fills a :class:`Study`; the report renders it (HTML, PDF) without computing
anything itself. Texts are keys of the report's translation tables, so one Study renders in
French or English; numbers are plain floats with their unit, formatted by the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: The sections of an impact study, in order (keys of the report's texts).
SECTIONS: tuple[str, ...] = (
    "summary",  # résumé non technique: one page an elected official reads first
    "project",  # le projet: the scenario, its edits, its planning indicators vs the baseline
    "initial_state",  # état initial numérique du site: networks, premises, coverage, equipment
    "effects",  # effets: premises to connect, ducts, equipment, energy
    "measures",  # mesures éviter / réduire / compenser: shared trenches, ducts laid in advance
    "costs_benefits",  # coûts et bénéfices: at development vs retrofit, collective value per €
    "monitoring",  # suivi: indicators to follow after delivery
    "methods",  # méthodes et hypothèses: every assumption with its source
)


@dataclass(frozen=True)
class Figure:
    """One number of the study.

    Attributes:
        key: stable identifier (``"premises_to_connect"``), also the text key of its label.
        value: the number (NaN when unknown; ``note`` says why).
        unit: its unit (``"€"``, ``"m"``, ``"prises"``, ``"kWh/an"``, ``""`` for a count).
        source: where it comes from: ``"indicator:<name>"`` (equal to what ``twin indicators``
            gives), ``"assumption:<key>"``, ``"model:<layer>"`` (a count of the City) or
            ``"computed"`` with ``inputs`` naming what it was computed from.
        inputs: keys of the figures and assumptions it was computed from.
        note: a short explanation shown beside the figure (text key or plain text).
    """

    key: str
    value: float
    unit: str
    source: str
    inputs: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A table of the study: rows × columns of numbers or texts, with a unit per column."""

    key: str
    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chart:
    """Data for a chart the report draws (matplotlib): ``kind`` is ``"bar"``, ``"stacked_bar"``
    or ``"line"``; ``data`` columns are series, its index the categories."""

    key: str
    kind: str
    data: pd.DataFrame
    unit: str


@dataclass(frozen=True)
class MapLayer:
    """Geometry the report draws on a map of the site (the new network, premises, sites):
    a GeoDataFrame in the project CRS and a style key."""

    key: str
    frame: Any  # geopandas.GeoDataFrame
    style: str


@dataclass
class Section:
    """One section of the study: its figures, tables, charts, map layers and text paragraphs
    (paragraph keys with values to fill in)."""

    key: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    maps: list[MapLayer] = field(default_factory=list)
    paragraphs: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        """The figure ``key`` of the section (KeyError if absent)."""
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(f"section '{self.key}' has no figure '{key}'")


@dataclass
class Study:
    """A digital-impact study of one scenario against the baseline (or another scenario).

    Attributes:
        project: the project's name.
        scenario: the scenario studied; ``compare``: what it is compared with ("baseline").
        sections: the sections, in :data:`SECTIONS` order.
        assumptions: every assumption used: key → (value, unit, source, status).
        generated: ISO date the study was computed.
    """

    project: str
    scenario: str
    compare: str
    sections: dict[str, Section]
    assumptions: dict[str, tuple[Any, str, str, str]]
    generated: str

    def figure(self, key: str) -> Figure:
        """A figure by key, wherever it is (KeyError if absent)."""
        for section in self.sections.values():
            for figure in section.figures:
                if figure.key == key:
                    return figure
        raise KeyError(f"the study has no figure '{key}'")

    def all_figures(self) -> list[Figure]:
        """Every figure of every section, in order."""
        return [figure for section in self.sections.values() for figure in section.figures]
