"""Colour the buildings by their change against the baseline (no Qt): diverging classes
around "unchanged", blue for a decrease, red for an increase, and the legend.

A change column is ``delta:<measure>`` (``delta:floor_area_m2``): for each building of the
scenario shown, its value of the building indicator ``<measure>_building`` minus the
baseline's, a new building counting its whole value (computed by
:class:`~gui.indicator_service.IndicatorService`). Decreases and increases get up to five
classes each, cut at rounded quantiles (:func:`gui.colour_classes.numeric_classes`);
unchanged buildings share one pale class; a building without a value is grey. A colouring is
kept for the deltas and ids it was made from (:mod:`gui.colour_memo`), so recolouring the view
while no new deltas came (an edit being computed, a rebuilt mesh) costs nothing.

Example:
    >>> import pandas as pd
    >>> deltas = pd.Series([0.0, 120.0, -40.0], index=["a", "b", "c"])
    >>> colouring = colour_deltas(deltas, ["a", "b", "c", "d"], "delta:floor_area_m2", unit="m2")
    >>> [(e.label, e.n_buildings) for e in colouring.entries]
    [('−40 m²', 1), ('inchangé', 1), ('+120 m²', 1), ('non renseigné', 1)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gui.colour_classes import Number, Text, numeric_classes, sample_colours
from gui.colour_memo import Memo, ObjectIds
from gui.colouring import MISSING_COLOUR, Colouring, LegendEntry
from gui.indicator_texts import french, unit_label
from gui.scene import hex_to_rgb

DELTA_PREFIX = "delta:"
#: Building measures offered as changes, in menu order.
DELTA_MEASURES: tuple[str, ...] = (
    "floor_area_m2",
    "dwellings",
    "inhabitants",
    "final_energy_kwh",
    "co2_kg",
)
WHOLE_MEASURES = ("dwellings",)  # counted in whole numbers
DIVERGING_COLORMAP = "RdBu_r"  # blue (decrease) … white … red (increase), colour-blind safe
UNCHANGED_COLOUR = "#e9e6df"

_COLOURINGS: Memo[Colouring] = Memo(4)
_OBJECT_IDS = ObjectIds()


def delta_column(measure: str) -> str:
    """The colour-by column of a measure's change.

    Example:
        >>> delta_column("dwellings"), is_delta_column("delta:dwellings"), measure_of("delta:x")
        ('delta:dwellings', True, 'x')
    """
    return DELTA_PREFIX + measure


def is_delta_column(column: str) -> bool:
    """Whether a colour-by column is a change against the baseline."""
    return column.startswith(DELTA_PREFIX)


def measure_of(column: str) -> str:
    """The measure of a change column."""
    return column[len(DELTA_PREFIX) :]


def colour_deltas(
    deltas: pd.Series,
    object_ids: Sequence[str] | np.ndarray,
    column: str,
    *,
    unit: str = "",
    text: Text | None = None,
    number: Number | None = None,
) -> Colouring:
    """Colour ``object_ids`` by their change (``deltas``: indexed by building id; a result
    is never changed in place)."""
    text = text or french
    number = number or _french_number
    objects, kept_ids = _OBJECT_IDS.token(object_ids)
    key = (id(deltas), objects, column, unit, id(text), id(number), text("colour.missing"))
    return _COLOURINGS.get(
        key,
        lambda: _colour_deltas(deltas, kept_ids, column, unit, text, number),
        (deltas, kept_ids, text, number),
    )


def _colour_deltas(
    deltas: pd.Series, object_ids: np.ndarray, column: str, unit: str, text: Text, number: Number
) -> Colouring:
    title = text(f"colour.col.{column}")
    shown_unit = unit_label(unit, text)
    unique = deltas[~deltas.index.duplicated()]
    values = pd.to_numeric(unique, errors="coerce").reindex(pd.Index(object_ids, dtype=object))
    numbers = values.to_numpy(dtype=np.float64)
    present = np.isfinite(numbers)
    if not present.any():
        return pending_colouring(column, len(numbers), text=text, message_key="dash.delta.none")
    scale = float(np.abs(numbers[present]).max())
    tolerance = 1e-9 * max(scale, 1.0)
    down = present & (numbers < -tolerance)
    up = present & (numbers > tolerance)
    same = present & ~down & ~up
    integer = measure_of(column) in WHOLE_MEASURES
    codes = np.full(len(numbers), -1, dtype=np.int64)
    labels: list[str] = []
    colours: list[str] = []
    if down.any():
        side, side_labels, _ = numeric_classes(
            numbers, down, integer=integer, unit=shown_unit, number=_signed(number)
        )
        codes[down] = side[down]
        labels += side_labels
        colours += sample_colours(DIVERGING_COLORMAP, len(side_labels), 0.02, 0.35)
    codes[same] = len(labels)
    labels.append(text("dash.delta.unchanged"))
    colours.append(UNCHANGED_COLOUR)
    if up.any():
        side, side_labels, _ = numeric_classes(
            numbers, up, integer=integer, unit=shown_unit, number=_signed(number)
        )
        codes[up] = side[up] + len(labels)
        labels += side_labels
        colours += sample_colours(DIVERGING_COLORMAP, len(side_labels), 0.65, 0.98)
    counts = np.bincount(codes[codes >= 0], minlength=len(labels))
    entries = [LegendEntry(labels[i], colours[i], int(counts[i])) for i in range(len(labels))]
    entries = [entry for entry in entries if entry.n_buildings]
    missing = int((codes < 0).sum())
    if missing:
        entries.append(LegendEntry(text("colour.missing"), MISSING_COLOUR, missing))
    palette = np.array([hex_to_rgb(c) for c in [*colours, MISSING_COLOUR]], dtype=np.uint8)
    rgb = palette[np.where(codes >= 0, codes, len(colours))]
    rgb.setflags(write=False)  # shared by the kept colouring
    return Colouring(column, title, shown_unit, tuple(entries), rgb)


def pending_colouring(
    column: str, n_objects: int, *, text: Text | None = None, message_key: str = ""
) -> Colouring:
    """No colours yet for a change column: the legend says why (being computed by default)."""
    text = text or french
    title = text(f"colour.col.{column}")
    grey = np.array(hex_to_rgb(MISSING_COLOUR), dtype=np.uint8)
    message = text(message_key or "dash.delta.pending")
    return Colouring(column, title, "", (), np.tile(grey, (n_objects, 1)), message)


def _signed(number: Number) -> Number:
    """``number`` with a sign: ``+`` before increases, a true minus before decreases."""

    def signed(value: float, decimals: int = 2) -> str:
        shown = number(abs(value), decimals)
        if value > 0:
            return "+" + shown
        return "−" + shown if value < 0 else shown

    return signed


def _french_number(value: float, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")
