"""Classes of the colour-by legend (no Qt): categories, numeric classes at rounded quantiles,
construction periods, and colours sampled from matplotlib colormaps. Used by
:mod:`gui.colouring`.

Each ``*_classes`` function returns a :data:`Coded`: a class code per building (-1 where the
value is missing), the class labels and their ``#rrggbb`` colours.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib import colormaps

from twin.catalogue import HEIGHT_SOURCES
from twin.snapshot import USE_COLOURS
from twin.uses import ALL_USES

N_CLASSES = 5
NUMERIC_COLORMAP = "YlOrRd"  # light yellow (low) to dark red (high)
PERIOD_COLORMAP = "RdYlBu"  # old (red) to recent (blue), colour-blind safe
CATEGORY_COLORMAP = "tab10"
MISSING_COLOUR = USE_COLOURS["unknown"]
#: First year of each construction period after the first: avant 1919, 1919-1945, 1946-1970,
#: 1971-1990, 1991-2005, 2006-2012, après 2012. Up to 2005 these are INSEE's census bands
#: ("période d'achèvement" of dwellings in the recensement de la population); 2006-2012 /
#: après 2012 split at RT 2012, the thermal regulation for building permits filed from
#: 1 January 2013, which is also where ADEME's DPE "periode_construction" bands split
#: (2006-2012, 2013-2021). Before 2006 the DPE bands differ (avant 1948, 1948-1974, 1975-1977,
#: 1978-1982, 1983-1988, 1989-2000, 2001-2005): they follow the thermal regulations, not these.
PERIOD_STARTS: tuple[int, ...] = (1919, 1946, 1971, 1991, 2006, 2013)

Text = Callable[..., str]  # like gui.i18n.tr(key, **values)
Number = Callable[[float, int], str]  # like gui.i18n.format_number(value, decimals)
Coded = tuple[np.ndarray, list[str], list[str]]


def class_breaks(
    values: np.ndarray, n_classes: int = N_CLASSES, integer: bool = False
) -> np.ndarray:
    """Breaks between classes: quantiles rounded to the coarsest power of ten that keeps them
    apart (whole numbers at least if ``integer``), dropping breaks that would leave a class
    empty. Class ``i`` is ``[breaks[i-1], breaks[i])``; the last one ends at the maximum.

    Example:
        >>> class_breaks(np.array([2.4, 2.8, 3.1, 3.5, 4.2, 5.5, 6.1, 7.9, 9.6, 16.5])).tolist()
        [3.0, 4.0, 6.0, 8.0]
    """
    values = np.asarray(values, dtype=np.float64)
    low, high = float(values.min()), float(values.max())
    quantiles = np.unique(np.quantile(values, np.linspace(0.0, 1.0, n_classes + 1)[1:-1]))
    inside = quantiles[(quantiles > low) & (quantiles <= high)]
    if not len(inside):
        return np.empty(0)
    step = 10.0 ** np.floor(np.log10(high - low))
    breaks = inside
    for _ in range(8):  # finer and finer until no two breaks merge
        step = max(step, 1.0) if integer else step
        rounded = np.unique(np.round(np.round(inside / step) * step, 10))
        rounded = rounded[(rounded > low) & (rounded <= high)]
        if len(rounded) == len(inside) or (integer and step == 1.0):
            breaks = rounded
            break
        step /= 10.0
    counts = np.bincount(np.searchsorted(breaks, values, side="right"), minlength=len(breaks) + 1)
    return breaks[counts[1:] > 0]


def numeric_classes(
    values: np.ndarray, present: np.ndarray, *, integer: bool, unit: str, number: Number
) -> Coded:
    """Up to :data:`N_CLASSES` classes labelled ``"6 – 9 m"`` (``"3 – 4"``, ``"5"`` for
    whole numbers), coloured light to dark; a single value is shown rounded like the edges.

    Example:
        >>> number = lambda value, decimals: f"{value:.{decimals}f}"
        >>> one = numeric_classes(np.array([2280.3626]), np.array([True]), integer=False,
        ...                       unit="m²", number=number)
        >>> one[1]
        ['2280 m²']
    """
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=np.float64)
    present = present & np.isfinite(numbers)
    known = numbers[present]
    breaks = class_breaks(known, integer=integer)
    edges = [float(known.min()), *breaks.tolist(), float(known.max())]
    suffix = f" {unit}" if unit else ""
    outward = [-1] + [0] * len(breaks) + [1]
    if edges[0] == edges[-1]:  # one value: one class, shown rounded (not 2 280,362583)
        outward = [0, 0]
        edges = [round(edges[0], _edge_decimals(edges[0]))] * 2
    texts = [_format(number, edge, way) for edge, way in zip(edges, outward, strict=True)]
    if integer:  # whole numbers: [low, high) holds low ... high - 1
        ends = [_format(number, edge - 1, 0) for edge in edges[1:-1]] + texts[-1:]
    else:
        ends = texts[1:]
    labels = [
        low + suffix if low == high else f"{low} – {high}{suffix}"
        for low, high in zip(texts[:-1], ends, strict=True)
    ]
    codes = np.full(len(numbers), -1, dtype=np.int64)
    codes[present] = np.searchsorted(breaks, known, side="right")
    return codes, labels, sample_colours(NUMERIC_COLORMAP, len(labels), 0.2, 0.95)


def period_classes(values: np.ndarray, present: np.ndarray, text: Text) -> Coded:
    """The construction periods of :data:`PERIOD_STARTS`, all of them (a fixed scale)."""
    years = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=np.float64)
    present = present & np.isfinite(years)
    starts = PERIOD_STARTS
    labels = [text("colour.period.before", year=starts[0])]
    labels += [f"{a} – {b - 1}" for a, b in itertools.pairwise(starts)]
    labels.append(text("colour.period.after", year=starts[-1] - 1))
    codes = np.full(len(years), -1, dtype=np.int64)
    bounds = np.asarray(starts, dtype=np.float64)
    codes[present] = np.searchsorted(bounds, years[present], side="right")
    return codes, labels, sample_colours(PERIOD_COLORMAP, len(labels), 0.02, 0.98)


def category_classes(
    values: np.ndarray, present: np.ndarray, column: str, text: Text, has: Callable[[str], bool]
) -> Coded:
    """One class per value: the uses with their view colours, the height sources in their
    order, other values (sources) sorted after, colours from :data:`CATEGORY_COLORMAP`;
    labels translated where ``has`` a key (``use.``, ``height_source.``, ``colour.source.``)."""
    keys = np.full(len(values), "", dtype=object)
    keys[present] = np.asarray(values, dtype=object)[present]
    found, uniques = pd.factorize(pd.Series(keys, dtype=object).astype(str), sort=False)
    domain = {"use": ALL_USES, "height_source": HEIGHT_SOURCES}.get(column, ())
    seen = sorted(set(uniques[np.unique(found[present])]) - set(domain))
    order = [*domain, *seen]
    position = pd.Index(order, dtype=object).get_indexer(pd.Index(uniques, dtype=object))
    codes = position[found].astype(np.int64)
    codes[~present] = -1
    if column == "use":
        table = [USE_COLOURS.get(k, MISSING_COLOUR) for k in order]
    else:
        table = sample_colours(CATEGORY_COLORMAP, 10, 0.05, 0.95)
        table = [table[i % 10] for i in range(len(order))]
    prefix = {"use": "use", "height_source": "height_source"}.get(column, "colour.source")
    labels = [text(f"{prefix}.{k}") if has(f"{prefix}.{k}") else str(k) for k in order]
    return codes, labels, table


def sample_colours(name: str, n: int, start: float = 0.0, stop: float = 1.0) -> list[str]:
    """``n`` colours ``#rrggbb`` evenly spaced on a matplotlib colormap between two positions.

    Example:
        >>> sample_colours("Greys", 2)
        ['#ffffff', '#000000']
    """
    positions = np.linspace(start, stop, n) if n > 1 else np.array([(start + stop) / 2])
    rgba = colormaps[name](positions)
    return ["#{:02x}{:02x}{:02x}".format(*np.round(c[:3] * 255).astype(int)) for c in rgba]


def _format(number: Number, value: float, outward: int) -> str:
    """A class edge: a break exactly (``outward`` 0); the minimum rounded down (-1) and the
    maximum up (1) to fewer decimals for larger values (0,37 · 16,5 · 918), so that the
    labels still hold every value."""
    if outward:
        decimals = _edge_decimals(value)
        scale = 10.0**decimals
        value = (np.ceil if outward > 0 else np.floor)(round(value * scale, 6)) / scale
    else:
        decimals = next((d for d in range(7) if abs(round(value, d) - value) < 1e-9), 6)
    return number(float(value), decimals)


def _edge_decimals(value: float) -> int:
    """Decimals of a rounded edge: fewer for larger values (0,37 · 16,5 · 918)."""
    return 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
