"""Maps of the site for the study: the study's map layers (new network, premises, sites) over
the scenario's buildings, roads and parcels, with a legend, a scale bar and a north arrow,
drawn with matplotlib as SVG data URIs.

Each :class:`~scenarios.study.model.MapLayer` is drawn with the style its ``style`` key names
(:data:`STYLES`; an unknown key gets a neutral grey), points, lines and polygons alike. The
frame holds every map layer with a margin, at least :data:`MIN_SPAN_M` across. Lambert-93's
grid north is taken as north (less than 3° off in mainland France).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from scenarios.report.charts import FONT, svg_data_uri
from scenarios.report.texts import has_text, label
from scenarios.report.typography import NBSP
from scenarios.study.model import MapLayer
from twin.city import City

logger = logging.getLogger(__name__)

MIN_SPAN_M = 300.0
MARGIN = 0.12  # of the layers' extent, on each side
FIGURE_SIZE_IN = (6.4, 4.6)
#: Above this many base features in the frame, the base is drawn as an image in the SVG.
RASTERIZE_ABOVE = 3000


@dataclass(frozen=True)
class MapStyle:
    """How a map layer is drawn: colour, line width (lines), marker and size (points),
    dashed lines, fill opacity (polygons)."""

    colour: str
    width: float = 1.6
    marker: str = "o"
    size: float = 16.0
    dashed: bool = False
    fill_alpha: float = 0.55


STYLES: dict[str, MapStyle] = {
    "fibre_existing": MapStyle("#1f4e79", 1.4),
    "fibre_planned": MapStyle("#d7263d", 2.6),
    "duct_planned": MapStyle("#d7263d", 2.2, dashed=True),
    "connection_point": MapStyle("#1f4e79", marker="s", size=18),
    "premises": MapStyle("#5b84b1", marker="o", size=6),
    "premises_new": MapStyle("#d7263d", marker="o", size=14),
    "mobile_site": MapStyle("#7b2cbf", marker="^", size=46),
    "sensor": MapStyle("#009e73", marker="o", size=14),
    "smart_meter": MapStyle("#e69f00", marker="D", size=12),
    "streetlight": MapStyle("#c9a000", marker="*", size=28),
    "lorawan_gateway": MapStyle("#7b2cbf", marker="P", size=36),
    "buildings_new_map": MapStyle("#d7263d", fill_alpha=0.75),
    "coverage_area": MapStyle("#7b2cbf", fill_alpha=0.15),
    "new_ducts": MapStyle("#d7263d", 2.4, dashed=True),
    "new_buildings": MapStyle("#d7263d", fill_alpha=0.8),
    "uncovered_buildings": MapStyle("#7b2cbf", fill_alpha=0.6),
}
DEFAULT_STYLE = MapStyle("#444444")
BASE_BUILDING = "#c8c2b4"
BASE_ROAD = "#8a8a8a"
BASE_PARCEL = "#d9d4c7"


def map_uri(
    layers: Sequence[MapLayer],
    lang: str,
    city: City | None = None,
    highlight: Mapping[str, str] | None = None,
) -> str:
    """Draw ``layers`` over ``city``'s parcels, roads and buildings (those in ``highlight``,
    id → colour, filled with it) and return the map as an SVG data URI."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    with plt.rc_context({"font.family": FONT, "font.size": 8}):
        figure, axes = plt.subplots(figsize=FIGURE_SIZE_IN)
        box = frame_box(layers, city, FIGURE_SIZE_IN[0] / FIGURE_SIZE_IN[1])
        if city is not None:
            _draw_base(axes, city, box, highlight or {})
        handles: list[Any] = []
        for layer in layers:
            style = STYLES.get(layer.style, DEFAULT_STYLE)
            if layer.style not in STYLES:
                logger.info("map layer '%s': unknown style '%s'", layer.key, layer.style)
            kind = _draw_layer(axes, layer.frame, style)
            name = label(layer.style if has_text(layer.style) else layer.key, lang)
            if kind == "point":
                handles.append(
                    Line2D(
                        [],
                        [],
                        linestyle="",
                        marker=style.marker,
                        color=style.colour,
                        markersize=math.sqrt(style.size),
                        label=name,
                    )
                )
            elif kind == "line":
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=style.colour,
                        linewidth=style.width,
                        linestyle="--" if style.dashed else "-",
                        label=name,
                    )
                )
            elif kind == "polygon":
                handles.append(Patch(facecolor=style.colour, alpha=style.fill_alpha, label=name))
        if city is not None:
            handles.append(Patch(facecolor=BASE_BUILDING, label=label("map.buildings", lang)))
        axes.set_xlim(box[0], box[2])
        axes.set_ylim(box[1], box[3])
        axes.set_aspect("equal")
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_xlabel("")
        axes.set_ylabel("")
        for spine in axes.spines.values():
            spine.set_color("#888888")
        _scale_bar(axes, box)
        _north_arrow(axes, label("map.north", lang))
        if handles:
            axes.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.9)
        return svg_data_uri(figure)


def frame_box(
    layers: Sequence[MapLayer], city: City | None, aspect: float
) -> tuple[float, float, float, float]:
    """The map's frame: the layers' extent (else the buildings'), with a margin, at least
    :data:`MIN_SPAN_M` across, widened to the figure's ``aspect`` (width / height)."""
    bounds = [layer.frame.total_bounds for layer in layers if len(layer.frame)]
    bounds = [b for b in bounds if np.all(np.isfinite(b))]
    if not bounds and city is not None and "buildings" in city and len(city.layer("buildings")):
        bounds = [city.layer("buildings").total_bounds]
    if not bounds:
        return (0.0, 0.0, MIN_SPAN_M * aspect, MIN_SPAN_M)
    stacked = np.array(bounds, dtype=float)
    low, high = stacked[:, :2].min(axis=0), stacked[:, 2:].max(axis=0)
    centre, span = (low + high) / 2, (high - low) * (1 + 2 * MARGIN)
    height = max(span[1], span[0] / aspect, MIN_SPAN_M)
    width = height * aspect
    return (
        float(centre[0] - width / 2),
        float(centre[1] - height / 2),
        float(centre[0] + width / 2),
        float(centre[1] + height / 2),
    )


def scale_length_m(width_m: float) -> float:
    """A round length (1, 2 or 5 × 10ⁿ m) near a fifth of the map's width.

    Example:
        >>> scale_length_m(1000.0), scale_length_m(420.0), scale_length_m(8000.0)
        (200.0, 50.0, 1000.0)
    """
    target = width_m / 5
    power = 10 ** math.floor(math.log10(target))
    return float(max(step * power for step in (1, 2, 5) if step * power <= target))


def _draw_base(axes: Any, city: City, box: tuple[float, ...], highlight: Mapping[str, str]) -> None:
    xmin, ymin, xmax, ymax = box
    count = 0
    for name in ("parcels", "roads", "buildings"):
        if name not in city:
            continue
        frame = city.layer(name).cx[xmin:xmax, ymin:ymax]
        count += len(frame)
        rasterized = count > RASTERIZE_ABOVE
        if name == "parcels":
            frame.boundary.plot(ax=axes, color=BASE_PARCEL, linewidth=0.4, rasterized=rasterized)
        elif name == "roads":
            frame.plot(ax=axes, color=BASE_ROAD, linewidth=1.0, rasterized=rasterized)
        elif len(frame):
            colours = frame["id"].astype(str).map(dict(highlight)).astype(object)
            colours = colours.where(colours.notna(), BASE_BUILDING)
            frame.plot(
                ax=axes,
                color=list(colours),
                edgecolor="#8d8676",
                linewidth=0.3,
                rasterized=rasterized,
            )


def _draw_layer(axes: Any, frame: Any, style: MapStyle) -> str:
    """Draw one map layer; return the kind of geometry drawn ("point", "line", "polygon")."""
    if not len(frame):
        return ""
    types = shapely.get_type_id(frame.geometry.to_numpy())
    kinds = {
        "point": np.isin(types, [0, 4]),
        "line": np.isin(types, [1, 2, 5]),
        "polygon": np.isin(types, [3, 6]),
    }
    drawn = ""
    for kind, chosen in kinds.items():
        if not chosen.any():
            continue
        part = frame[chosen]
        if kind == "point":
            coords = shapely.get_coordinates(part.geometry.to_numpy())
            axes.scatter(
                coords[:, 0],
                coords[:, 1],
                s=style.size,
                marker=style.marker,
                color=style.colour,
                edgecolors="white",
                linewidths=0.5,
                zorder=4,
            )
        elif kind == "line":
            part.plot(
                ax=axes,
                color=style.colour,
                linewidth=style.width,
                linestyle="--" if style.dashed else "-",
                zorder=3,
            )
        else:
            part.plot(
                ax=axes,
                color=style.colour,
                alpha=style.fill_alpha,
                edgecolor=style.colour,
                linewidth=0.6,
                zorder=2,
            )
        drawn = drawn or kind
    return drawn


def _scale_bar(axes: Any, box: tuple[float, ...]) -> None:
    xmin, ymin, xmax, ymax = box
    length = scale_length_m(xmax - xmin)
    x, y = xmin + 0.04 * (xmax - xmin), ymin + 0.05 * (ymax - ymin)
    thickness = 0.012 * (ymax - ymin)
    for part, colour in ((0, "black"), (1, "white")):
        axes.add_patch(_rectangle((x + part * length / 2, y), length / 2, thickness, colour))
    text = f"{length / 1000:g}{NBSP}km" if length >= 1000 else f"{length:g}{NBSP}m"
    axes.text(
        x + length / 2,
        y + 2.2 * thickness,
        text,
        ha="center",
        va="bottom",
        fontsize=7,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1},
    )


def _rectangle(xy: tuple[float, float], width: float, height: float, colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        xy, width, height, facecolor=colour, edgecolor="black", linewidth=0.6, zorder=6
    )


def _north_arrow(axes: Any, letter: str) -> None:
    axes.annotate(
        "",
        xy=(0.95, 0.90),
        xytext=(0.95, 0.78),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.4},
        zorder=6,
    )
    axes.text(
        0.95,
        0.91,
        letter,
        transform=axes.transAxes,
        ha="center",
        va="bottom",
        fontsize=9,
        fontweight="bold",
        zorder=6,
    )
