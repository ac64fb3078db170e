"""The import report in the app's language: what each file brought, and the problems found.

:func:`file_report` gathers structured data from an :class:`~importers.base.ImportResult` and
the :class:`~importers.merge.MergeReport` of its merge (rows per layer, rasters, where heights
come from, issues grouped by code with examples); :func:`format_report` writes it through
:func:`~gui.i18n.tr`, so the same data reads in French or English. Issue codes are explained by
``issue.<code>`` strings (:mod:`gui.strings_report`), with a fallback for unknown codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gui.i18n import format_number, has_key, tr
from importers.base import ImportResult
from importers.merge import MergeReport
from twin.issues import Issue, Severity

#: Codes made from a column name end with one of these (``height_m_out_of_range``).
ISSUE_SUFFIXES: tuple[str, ...] = ("out_of_range", "unmapped", "unparseable", "unusable")
#: How many feature ids are shown per issue code.
EXAMPLES_PER_CODE = 3
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class IssueGroup:
    """The issues of one code: how many, how serious, a few feature ids, the first message."""

    code: str
    severity: str
    count: int
    examples: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class LayerCounts:
    """Rows of one layer: read from the file, added to the project, replacing existing ones."""

    name: str
    read: int
    added: int
    replaced: int


@dataclass(frozen=True)
class FileReport:
    """What one file brought into the project, as data (no language yet)."""

    source: str
    importer: str
    layers: tuple[LayerCounts, ...]
    rasters: tuple[tuple[str, int, int, float], ...] = ()  # name, columns, rows, pixel size (m)
    meshes: tuple[tuple[str, int], ...] = ()  # name, objects
    files: int = 0
    linked: tuple[tuple[str, int], ...] = ()
    height_sources: tuple[tuple[str, int], ...] = ()
    base_sampled: int = 0
    base_missing: int = 0
    replaced_blocks: int = 0
    issues: tuple[IssueGroup, ...] = ()

    @property
    def issue_count(self) -> int:
        """All issues of the file."""
        return sum(group.count for group in self.issues)


def file_report(result: ImportResult, merge: MergeReport | None = None) -> FileReport:
    """The report data of one import (and of its merge, when it was merged)."""
    merge = merge or MergeReport()
    layers = tuple(
        LayerCounts(
            name,
            len(frame),
            merge.added.get(name, len(frame)),
            merge.replaced.get(name, 0),
        )
        for name, frame in result.layers.items()
    )
    heights: tuple[tuple[str, int], ...] = ()
    buildings = result.layers.get("buildings")
    if buildings is not None and "height_source" in buildings.columns:
        counts = buildings["height_source"].dropna().astype(str).value_counts()
        heights = tuple((str(source), int(count)) for source, count in counts.items())
    return FileReport(
        source=result.provenance.source,
        importer=result.provenance.importer,
        layers=layers,
        rasters=tuple(
            (name, raster.shape[1], raster.shape[0], float(raster.pixel_size_m[0]))
            for name, raster in result.rasters.items()
        ),
        meshes=tuple((name, int(store.n_objects)) for name, store in result.meshes.items()),
        files=len(result.files),
        linked=tuple(merge.linked.items()),
        height_sources=heights,
        base_sampled=merge.base_elevations_sampled,
        base_missing=merge.base_elevations_missing,
        replaced_blocks=merge.replaced_blocks,
        issues=tuple(issue_groups([*result.issues, *merge.population_issues])),
    )


def issue_groups(issues: Iterable[Issue], examples: int = EXAMPLES_PER_CODE) -> list[IssueGroup]:
    """Issues grouped by code: errors first, then the most frequent.

    Example:
        >>> from twin.issues import Issue, Severity
        >>> found = [Issue(Severity.WARNING, "sliver", "tiny", "a.shp", f"b{i}") for i in range(5)]
        >>> [(g.code, g.count, g.examples) for g in issue_groups(found)]
        [('sliver', 5, ('b0', 'b1', 'b2'))]
    """
    first: dict[str, Issue] = {}
    counts: dict[str, int] = {}
    ids: dict[str, list[str]] = {}
    for issue in issues:
        first.setdefault(issue.code, issue)
        counts[issue.code] = counts.get(issue.code, 0) + 1
        shown = ids.setdefault(issue.code, [])
        if issue.feature and len(shown) < examples:
            shown.append(issue.feature)
    order = sorted(
        counts, key=lambda code: (_SEVERITY_RANK.get(first[code].severity, 3), -counts[code], code)
    )
    return [
        IssueGroup(
            code,
            str(first[code].severity),
            counts[code],
            tuple(ids[code]),
            first[code].message,
        )
        for code in order
    ]


def explain_issue(code: str) -> str:
    """What an issue code means, in the app's language.

    Example:
        >>> explain_issue("invalid_geometry")
        'polygone invalide réparé'
        >>> explain_issue("height_m_out_of_range")
        'valeur de « height_m » hors des bornes admises, laissée vide'
    """
    if has_key(f"issue.{code}"):
        return tr(f"issue.{code}")
    for suffix in ISSUE_SUFFIXES:
        if code.endswith(f"_{suffix}") and len(code) > len(suffix) + 1:
            return tr(f"issue.suffix.{suffix}", column=code[: -len(suffix) - 1])
    return tr("issue.unknown", code=code)


def layer_label(name: str) -> str:
    """A layer's name for people (``Bâtiments``), or its own name when none is known."""
    return tr(f"report.layer.{name}") if has_key(f"report.layer.{name}") else name


def format_report(reports: Sequence[FileReport]) -> str:
    """The reports of an import as text, one block per file, in the current language."""
    return "\n\n".join("\n".join(_file_lines(report)) for report in reports)


def _file_lines(report: FileReport) -> list[str]:
    importer = report.importer
    description = tr(f"importer.{importer}") if has_key(f"importer.{importer}") else importer
    lines = [tr("report.file", source=report.source, importer=importer, description=description)]
    for counts in report.layers:
        lines.append(
            "  "
            + tr(
                "report.rows",
                layer=layer_label(counts.name),
                read=_n(counts.read),
                added=_n(counts.added),
                replaced=_n(counts.replaced),
            )
        )
    for name, columns, rows, size in report.rasters:
        raster = tr(
            "report.raster",
            layer=layer_label(name),
            columns=_n(columns),
            rows=_n(rows),
            size=format_number(size),
        )
        lines.append("  " + raster)
    for name, count in report.meshes:
        lines.append("  " + tr("report.meshes", layer=layer_label(name), count=_n(count)))
    if report.files:
        lines.append("  " + tr("report.files", count=_n(report.files)))
    for name, count in report.linked:
        lines.append("  " + tr("report.linked", layer=layer_label(name), count=_n(count)))
    if report.height_sources:
        sources = ", ".join(
            tr("report.height_item", label=_height_label(source), count=_n(count))
            for source, count in report.height_sources
        )
        lines.append("  " + tr("report.heights", sources=sources))
    for key, count in (
        ("report.replaced_blocks", report.replaced_blocks),
        ("report.base_sampled", report.base_sampled),
        ("report.base_missing", report.base_missing),
    ):
        if count:
            lines.append("  " + tr(key, count=_n(count)))
    lines += _issue_lines(report)
    return lines


def _issue_lines(report: FileReport) -> list[str]:
    if not report.issues:
        return ["  " + tr("report.no_issue")]
    lines = ["  " + tr("report.issues", count=_n(report.issue_count))]
    for group in report.issues:
        severity_key = f"report.severity.{group.severity}"
        severity = tr(severity_key) if has_key(severity_key) else group.severity
        lines.append(
            "    "
            + tr(
                "report.issue",
                severity=severity,
                explanation=explain_issue(group.code),
                code=group.code,
                count=_n(group.count),
            )
        )
        if group.examples:
            lines.append("      " + tr("report.examples", examples=", ".join(group.examples)))
        if group.message:
            lines.append("      " + tr("report.detail", message=group.message))
    return lines


def _height_label(source: str) -> str:
    key = f"height_source.{source}"
    return tr(key) if has_key(key) else source


def _n(count: int) -> str:
    return format_number(count, 0)
