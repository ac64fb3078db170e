"""The dashboard's chart: one indicator in the current situation and in each scenario, as bars
with their values (matplotlib, embedded through ``FigureCanvasQTAgg``).

Drawing text is what costs in Agg (tens of milliseconds a frame on a software-rendered
desktop), so the chart keeps few of it: the title is a Qt label above the canvas, there is
no y axis (each bar carries its value), and after an edit the bars and their labels are
changed in place and drawn once; a chart whose values did not change is not drawn again.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui.i18n import tr

BASELINE_COLOUR = "#9a968c"
SCENARIO_COLOURS = ("#2f6db5", "#d0743c", "#3b9a5a", "#8a5cb8", "#c2454b", "#5a8f9e")
BAR_LABEL_CHARS = 16  # longer scenario names are wrapped under the bars
HEADROOM = 0.18  # room above (and below) the bars for their values


class IndicatorChart(QWidget):
    """A small bar chart under its title; :meth:`show_values` changes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.figure = Figure(figsize=(3.6, 2.0), dpi=100)
        self.figure.subplots_adjust(left=0.03, right=0.97, top=0.95, bottom=0.2)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumSize(240, 140)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas, 1)
        self.axes = self.figure.add_subplot()
        self.labels: list[str] = []
        self.values: list[float | None] = []
        self.texts: list[str] = []
        self.draws = 0  # frames drawn (tests)
        self._bars: list[Rectangle] = []
        self._values_text: list[Text] = []
        self._empty_text: Text | None = None
        self._reset_axes()

    def show_values(
        self,
        title: str,
        labels: Sequence[str],
        values: Sequence[float | None],
        texts: Sequence[str],
    ) -> None:
        """Bars of ``values`` (None: no bar) named ``labels``, each topped by its ``texts``."""
        self.title.setText(title)
        labels, values, texts = list(labels), list(values), list(texts)
        if (labels, values, texts) == (self.labels, self.values, self.texts) and self.draws:
            return
        if labels != self.labels or not self._bars:
            self._reset_axes(labels)
        self.labels, self.values, self.texts = labels, values, texts
        known = [v for v in values if v is not None]
        if self._empty_text is not None:
            self._empty_text.set_visible(not known)
        for bar, value, text, label in zip(
            self._bars, values, texts, self._values_text, strict=True
        ):
            height = value if value is not None else 0.0
            bar.set_height(height)
            label.set_text(text)
            label.set_position((bar.get_x() + bar.get_width() / 2, height))
            label.set_verticalalignment("bottom" if height >= 0 else "top")
        low, high = min([0.0, *known]), max([0.0, *known])
        span = (high - low) or 1.0
        self.axes.set_ylim(low - (HEADROOM * span if low < 0 else 0.0), high + HEADROOM * span)
        self.canvas.draw()
        self.draws += 1

    def retranslate(self) -> None:
        """Draw again in the current language (the "no value" text)."""
        self._reset_axes(self.labels)
        self.draws = 0
        self.show_values(self.title.text(), self.labels, self.values, self.texts)

    def _reset_axes(self, labels: Sequence[str] = ()) -> None:
        """New bars (a bar per label), no values yet."""
        axes = self.axes
        axes.clear()
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.set_yticks([])
        axes.tick_params(labelsize=7, length=0)
        axes.axhline(0.0, color="#606060", linewidth=0.6)
        positions = list(range(len(labels)))
        colours = [BASELINE_COLOUR] + [
            SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i in range(max(len(labels) - 1, 0))
        ]
        self._bars = list(axes.bar(positions, [0.0] * len(labels), color=colours, width=0.6))
        self._values_text = [
            axes.text(p, 0.0, "", ha="center", va="bottom", fontsize=7) for p in positions
        ]
        axes.set_xticks(positions, [_short(label) for label in labels])
        axes.set_xlim(-0.6, max(len(labels) - 0.4, 0.6))
        self._empty_text = axes.text(
            0.5, 0.5, tr("dash.chart.empty"), ha="center", va="center", fontsize=8,
            transform=axes.transAxes,
        )  # fmt: skip


def _short(label: str) -> str:
    """A bar's label on at most two lines of :data:`BAR_LABEL_CHARS` characters.

    Example:
        >>> _short("Tiers-lieu dans la mairie")
        'Tiers-lieu dans\\nla mairie'
    """
    lines = textwrap.wrap(label, BAR_LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), BAR_LABEL_CHARS, placeholder="…")]
    return "\n".join(lines)
