"""The study's charts, drawn with matplotlib (Agg) as SVG data URIs the HTML and PDF embed.

A :class:`~scenarios.study.model.Chart`'s columns are series and its index the categories
(text keys, translated); ``kind`` is ``bar``, ``stacked_bar`` or ``line``. Axis numbers are
written as the language writes them. An unknown kind is drawn as bars (and logged).
"""

from __future__ import annotations

import base64
import io
import logging
import textwrap
from typing import Any

import numpy as np

from scenarios.report.texts import label, number_text, unit_text
from scenarios.report.typography import format_number
from scenarios.study.model import Chart

logger = logging.getLogger(__name__)

#: Series colours: readable in print and by colour-blind readers (Okabe-Ito).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442")
FONT = "DejaVu Sans"
KINDS = ("bar", "stacked_bar", "line")


def svg_data_uri(figure: Any) -> str:
    """A matplotlib figure as an SVG ``data:`` URI (text kept as text), then closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "urban-twin"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def chart_uri(chart: Chart, lang: str) -> str:
    """Draw ``chart`` and return it as an SVG data URI."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    data = chart.data.apply(lambda column: column.astype("float64"))
    wrap = max(8, 72 // max(len(data.index), 1))  # characters per line under a bar
    categories = [textwrap.fill(label(str(c), lang), wrap) for c in data.index]
    series = [label(str(c), lang) for c in data.columns]
    with plt.rc_context({"font.family": FONT, "font.size": 9}):
        figure, axes = plt.subplots(figsize=(6.4, 3.0))
        kind = chart.kind if chart.kind in KINDS else "bar"
        if kind != chart.kind:
            logger.warning("chart '%s': unknown kind '%s', drawn as bars", chart.key, chart.kind)
        positions = np.arange(len(categories))
        values = data.to_numpy(dtype="float64")
        if kind == "line":
            for column, name in enumerate(series):
                axes.plot(
                    positions,
                    values[:, column],
                    marker="o",
                    label=name,
                    color=PALETTE[column % len(PALETTE)],
                )
        elif kind == "stacked_bar":
            bottom = np.zeros(len(categories))
            for column, name in enumerate(series):
                height = np.nan_to_num(values[:, column])
                axes.bar(
                    positions,
                    height,
                    0.6,
                    bottom=bottom,
                    label=name,
                    color=PALETTE[column % len(PALETTE)],
                )
                bottom += height
        else:
            width = 0.8 / max(len(series), 1)
            for column, name in enumerate(series):
                offset = (column - (len(series) - 1) / 2) * width
                bars = axes.bar(
                    positions + offset,
                    np.nan_to_num(values[:, column]),
                    width,
                    label=name,
                    color=PALETTE[column % len(PALETTE)],
                )
                axes.bar_label(
                    bars,
                    labels=[number_text(v, chart.unit, lang) for v in values[:, column]],
                    fontsize=7,
                    padding=2,
                )
        axes.set_xticks(positions, categories, fontsize=9 if len(categories) <= 4 else 7.5)
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _: format_number(value, chart.unit, lang, unit_text=""))
        )
        axes.set_ylabel(unit_text(chart.unit, lang))
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        if len(series) > 1:
            axes.legend(frameon=False, fontsize=8)
        axes.margins(y=0.15)
        return svg_data_uri(figure)
