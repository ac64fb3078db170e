"""A :class:`~scenarios.study.model.Study` as one self-contained HTML page (jinja2, autoescape):
a cover, one template per section (templates/sections/<key>.html.j2), figures with their
sources, tables, charts, maps, 3D views; texts from :mod:`scenarios.report.texts`.

``target="screen"`` is the HTML file (with the interactive 3D view); ``target="print"`` is the
page WeasyPrint turns into the A4 PDF (the same page, without the interactive view).
Nothing is computed here: every number is the Study's, formatted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

from scenarios.report.charts import chart_uri
from scenarios.report.interactive import InteractiveViews, interactive_views
from scenarios.report.maps import map_uri
from scenarios.report.tables import TableView, assumptions_view, table_view
from scenarios.report.texts import (
    has_text,
    indicator_title,
    inputs_text,
    label,
    layer_name,
    number_text,
    text,
)
from scenarios.report.typography import check_lang
from scenarios.report.views import (
    BuildingChanges,
    StaticViews,
    StudyCities,
    building_changes,
    static_views,
)
from scenarios.study.model import SECTIONS, Figure, Section, Study

logger = logging.getLogger(__name__)

TARGETS = ("screen", "print")
#: Sources shortened on the summary's cards (``source.short.<kind>``).
SHORT_SOURCES = ("computed", "assumption", "indicator", "model")
#: Technical names at least this long may wrap after their dots and underscores.
LONG_NAME = 20
MONTHS = {
    "fr": (
        *("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"),
        *("septembre", "octobre", "novembre", "décembre"),
    ),
    "en": (
        *("January", "February", "March", "April", "May", "June", "July", "August"),
        *("September", "October", "November", "December"),
    ),
}


@dataclass(frozen=True)
class FigureView:
    """A figure as printed: label, value with unit, source, note; ``raw`` is the value as
    the Study holds it (``repr`` of the float) and ``origin`` its source key, written in the
    page as ``data-value`` and ``data-source`` so a test or a script can read them back."""

    key: str
    label: str
    value: str
    source: str
    note: str
    short_source: str = ""
    raw: str = ""
    origin: str = ""


@dataclass(frozen=True)
class ImageView:
    """A chart or map: its title and image (data URI)."""

    title: str
    uri: str


@dataclass
class SectionView:
    """A section as its template shows it."""

    key: str
    title: str
    template: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[FigureView] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    charts: list[ImageView] = field(default_factory=list)
    maps: list[ImageView] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing to show but the title."""
        return not (self.paragraphs or self.figures or self.tables or self.charts or self.maps)


def study_html(
    study: Study,
    lang: str = "fr",
    *,
    cities: StudyCities | None = None,
    target: str = "screen",
    views: tuple[StaticViews, BuildingChanges] | None = None,
) -> str:
    """The study as one HTML page in ``lang`` for ``target`` (see the module's doc).

    Without ``cities`` there are no 3D views and the maps have no buildings under them;
    ``views`` reuses still views already rendered (HTML and PDF of one study).
    """
    check_lang(lang)
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
    changes, still = None, None
    if cities is not None:
        still, changes = views or render_views(cities)
    highlight = changes.highlight_after if changes else None
    after = cities.after if cities else None
    sections = [
        section_view(study.sections[key], lang, after, highlight)
        for key in [*SECTIONS, *(k for k in study.sections if k not in SECTIONS)]
        if key in study.sections
    ]
    missing = [key for key in SECTIONS if key not in study.sections]
    if missing:
        logger.warning("the study has no section %s", ", ".join(missing))
    interactive: InteractiveViews | None = None
    if target == "screen" and cities is not None and changes is not None and still is not None:
        interactive = interactive_views(cities, changes, still.camera)
    context = {
        "lang": lang,
        "target": target,
        "study": study,
        "t": _Texts(lang),
        "sections": sections,
        "compare_name": _state_name(study.compare, lang),
        "scenario_name": _state_name(study.scenario, lang),
        "generated": long_date(study.generated, lang),
        "views": still,
        "changes": changes,
        "interactive": interactive,
        "assumptions": assumptions_view(study, lang),
        "css": resources.files("scenarios.report")
        .joinpath("templates/study.css")
        .read_text("utf-8"),
    }
    return _environment().get_template("study.html.j2").render(context)


def render_views(cities: StudyCities) -> tuple[StaticViews, BuildingChanges]:
    """The still 3D views of both states and the buildings they highlight."""
    changes = building_changes(cities.before, cities.after)
    return static_views(cities, changes), changes


def section_view(
    section: Section, lang: str, city: Any = None, highlight: Any = None
) -> SectionView:
    """One section's texts, formatted figures, tables, charts and map."""
    known = section.key in SECTIONS
    view = SectionView(
        key=section.key,
        title=text(f"section.{section.key}", lang) if known else label(section.key, lang),
        template=f"sections/{section.key}.html.j2" if known else "sections/other.html.j2",
        paragraphs=[text(key, lang, values) for key, values in section.paragraphs],
        figures=[figure_view(figure, lang) for figure in section.figures],
        tables=[table_view(table, lang) for table in section.tables if len(table.frame)],
        charts=[
            ImageView(label(chart.key, lang), chart_uri(chart, lang)) for chart in section.charts
        ],
    )
    if section.maps:
        names = dict.fromkeys(_lower_first(label(layer.key, lang)) for layer in section.maps)
        title = text("report.map", lang, {"title": ", ".join(names)})
        view.maps.append(ImageView(title, map_uri(section.maps, lang, city, highlight)))
    return view


def figure_view(figure: Figure, lang: str) -> FigureView:
    """A figure's label, value with unit, source and note, as printed."""
    kind, _, name = figure.source.partition(":")
    title = (
        indicator_title(name, lang) if kind == "indicator" and not has_text(figure.key) else None
    )
    return FigureView(
        key=figure.key,
        label=title or label(figure.key, lang),
        value=number_text(figure.value, figure.unit, lang),
        source=source_text(figure, lang),
        short_source=text(f"source.short.{kind}", lang) if kind in SHORT_SOURCES else "",
        note=text(figure.note, lang) if figure.note else "",
        raw=raw_value(figure.value),
        origin=figure.source,
    )


def source_text(figure: Figure, lang: str) -> str:
    """Where a figure comes from, in words (``indicateur « Logements (territoire) »``,
    ``décompte du modèle : bâtiments``, ``calculé à partir de …``)."""
    kind, _, name = figure.source.partition(":")
    if kind == "indicator" and name:
        title = indicator_title(name, lang)
        if title:
            return text("source.indicator_title", lang, {"title": title})
    if kind == "model" and name:
        return text("source.model", lang, {"name": layer_name(name, lang)})
    if kind in ("indicator", "assumption") and name:
        return text(f"source.{kind}", lang, {"name": name})
    if kind == "computed":
        if figure.inputs:
            inputs = inputs_text(figure.inputs, lang)
            return text("source.computed_from", lang, {"inputs": inputs})
        return text("source.computed", lang)
    return text(figure.source, lang)


def raw_value(value: Any) -> str:
    """A number as the Study holds it, exactly (``repr``: it reads back to the same float).

    Example:
        >>> raw_value(0.1 + 0.2), raw_value(float("nan")), raw_value("x")
        ('0.30000000000000004', 'nan', '')
    """
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return ""


def long_date(iso: str, lang: str) -> str:
    """``2025-11-22`` → ``22 novembre 2025`` / ``22 November 2025`` (as given if not a date).

    Example:
        >>> long_date("2025-03-01", "fr"), long_date("2025-03-01T10:00", "en")
        ('1 mars 2025', '1 March 2025')
    """
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def _lower_first(words: str) -> str:
    """``Sites mobiles`` → ``sites mobiles`` (not ``LoRaWAN`` or ``IRIS``), for a list."""
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


def _state_name(name: str, lang: str) -> str:
    if name == "baseline":
        return text("report.baseline_name", lang)
    return text("report.scenario_name", lang, {"name": name})


class _Texts:
    """``t.title`` in a template is ``text("report.title", lang)``; ``t("key", ...)`` too."""

    def __init__(self, lang: str) -> None:
        self._lang = lang

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return text(f"report.{name}", self._lang)

    def __call__(self, key: str, **values: Any) -> str:
        return text(key, self._lang, values)


def breakable(words: str) -> Any:
    """``words`` escaped, with a line-break opportunity (``<wbr>``) after each ``.`` and ``_``
    of long technical names (assumption keys, ids), so narrow table columns can wrap them.

    Example:
        >>> str(breakable("dpe.emissions_kg_per_m2_upper & co"))
        'dpe.<wbr>emissions_<wbr>kg_<wbr>per_<wbr>m2_<wbr>upper &amp; co'
    """
    from markupsafe import Markup, escape

    def split(token: str) -> str:
        if len(token) < LONG_NAME or not ("." in token or "_" in token):
            return str(escape(token))
        return str(escape(token)).replace(".", ".<wbr>").replace("_", "_<wbr>")

    return Markup(" ".join(split(token) for token in str(words).split(" ")))


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("scenarios.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["breakable"] = breakable
    return environment
