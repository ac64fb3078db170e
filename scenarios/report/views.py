"""3D views of the study: the state before (the baseline, or the scenario compared with) and
after (the scenario studied), rendered offscreen from the same camera, new and changed
buildings highlighted (:func:`twin.snapshot.snapshot_plotter`; no display needed: EGL or Xvfb).
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely

from twin.city import City
from twin.snapshot import Camera, framing_camera, snapshot_plotter, town_camera

logger = logging.getLogger(__name__)

NEW_COLOUR = "#d7263d"
CHANGED_COLOUR = "#f08a24"
REMOVED_COLOUR = "#5c4d7d"
#: The other buildings: a pale massing model, so the highlighted ones stand out.
OTHERS_COLOUR = "#ece6da"
#: Columns whose change makes a building "changed" in the views.
COMPARED_COLUMNS = ("height_m", "floors", "use", "use_mix", "retrofit_target", "energy_class")
VIEW_SIZE_PX = (1200, 720)
#: The camera frames the changed buildings with at least this span (m).
MIN_FOCUS_SPAN_M = 250.0


@dataclass(frozen=True)
class StudyCities:
    """The two states the report shows, with their names (``"baseline"`` or a scenario's)."""

    before: City
    after: City
    before_name: str = "baseline"
    after_name: str = ""


@dataclass(frozen=True)
class BuildingChanges:
    """Buildings ids new in ``after``, present in both but changed, and gone from it."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    highlight_before: dict[str, str] = field(default_factory=dict)
    highlight_after: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StaticViews:
    """The two pictures (JPEG data URIs) and the camera they share."""

    before_uri: str
    after_uri: str
    camera: Camera | None


def building_changes(before: City, after: City) -> BuildingChanges:
    """Which buildings the scenario adds, changes (footprint, height, floors, use, retrofit)
    or removes, by id, and the colours that mark them in each view."""
    if "buildings" not in before or "buildings" not in after:
        return BuildingChanges()
    old, new = before.layer("buildings"), after.layer("buildings")
    if old is new:  # copy-on-write: the scenario left the buildings alone
        return BuildingChanges()
    old_ids, new_ids = old["id"].astype(str), new["id"].astype(str)
    added = tuple(new_ids[~new_ids.isin(old_ids)])
    removed = tuple(old_ids[~old_ids.isin(new_ids)])
    common = new_ids[new_ids.isin(old_ids)]
    a = new.assign(id=new_ids).drop_duplicates("id").set_index("id").loc[common]
    b = old.assign(id=old_ids).drop_duplicates("id").set_index("id").loc[common]
    differs = ~shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy(), tolerance=0.01)
    for column in COMPARED_COLUMNS:
        if column in a.columns and column in b.columns:
            left, right = a[column].astype(object), b[column].astype(object)
            same = (left == right).fillna(False).to_numpy(dtype=bool)
            differs |= ~(same | (pd.isna(left).to_numpy() & pd.isna(right).to_numpy()))
    changed = tuple(common[differs])
    return BuildingChanges(
        new=added,
        changed=changed,
        removed=removed,
        highlight_before={
            **dict.fromkeys(changed, CHANGED_COLOUR),
            **dict.fromkeys(removed, REMOVED_COLOUR),
        },
        highlight_after={
            **dict.fromkeys(changed, CHANGED_COLOUR),
            **dict.fromkeys(added, NEW_COLOUR),
        },
    )


def view_camera(cities: StudyCities, changes: BuildingChanges) -> Camera | None:
    """One camera for both views: on the changed buildings if any, else on the town."""
    boxes = [
        _box(cities.after, changes.new + changes.changed),
        _box(cities.before, changes.removed),
    ]
    found = [box for box in boxes if box is not None]
    if not found:
        return town_camera(cities.after)
    low = np.min([box[0] for box in found], axis=0)
    high = np.max([box[1] for box in found], axis=0)
    return framing_camera(low, high, MIN_FOCUS_SPAN_M)


def static_views(
    cities: StudyCities, changes: BuildingChanges, size_px: tuple[int, int] = VIEW_SIZE_PX
) -> StaticViews:
    """Both states rendered offscreen from :func:`view_camera`, as JPEG data URIs."""
    camera = view_camera(cities, changes)
    uris = []
    for city, highlight in (
        (cities.before, changes.highlight_before),
        (cities.after, changes.highlight_after),
    ):
        with plotter_of(city, size_px, highlight, camera) as plotter:
            uris.append(jpeg_data_uri(plotter.screenshot(return_img=True)))
    return StaticViews(uris[0], uris[1], camera)


@contextmanager
def plotter_of(
    city: City,
    size_px: tuple[int, int],
    highlight: dict[str, str],
    camera: Camera | None,
    **options: Any,
) -> Iterator[Any]:
    """An offscreen plotter of ``city``, closed on leaving."""
    options.setdefault("others", OTHERS_COLOUR)
    plotter = snapshot_plotter(city, size_px, highlight=highlight, camera=camera, **options)
    try:
        yield plotter
    finally:
        plotter.close()


def jpeg_data_uri(image: Any, quality: int = 85) -> str:
    """An RGB(A) image array as a JPEG data URI."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image)[..., :3]).save(buffer, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _box(city: City, ids: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray] | None:
    """The local box (x, y, z relative to the origin) of the buildings ``ids``."""
    if not ids or "buildings" not in city:
        return None
    buildings = city.layer("buildings")
    chosen = buildings[buildings["id"].astype(str).isin(ids)]
    if chosen.empty:
        return None
    origin = np.asarray(city.ensure_origin(), dtype=float)
    xmin, ymin, xmax, ymax = chosen.total_bounds
    base = chosen["base_elevation_m"].to_numpy(dtype="float64", na_value=0.0)
    top = base + chosen["height_m"].to_numpy(dtype="float64", na_value=0.0)
    low = np.array([xmin, ymin, np.nanmin(base)]) - origin
    high = np.array([xmax, ymax, np.nanmax(top)]) - origin
    return low, high
