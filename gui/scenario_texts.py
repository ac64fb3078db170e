"""One line per edit, in the app's language, with its main figures.

"Ajouter un bâtiment : 4 niveaux, 1 310 m², 11 logements": the figures come from what the
edit did (its :class:`~scenarios.change.Change`: the rows it added, removed or changed) when
it is known, else from the edit's own fields. Edit kinds this module does not know (added
later) fall back to the edit's own summary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import shapely

from gui.i18n import format_number, tr, translator
from gui.scenario_sessions import ScenarioSession
from scenarios.change import Change
from scenarios.edits import Edit

logger = logging.getLogger(__name__)

EditLine = tuple[str, str]  # (one line, tooltip)


def describe_edit(edit: Edit, change: Change | None = None) -> str:
    """One line saying what ``edit`` does, with its figures (from ``change`` when given).

    Example:
        >>> from scenarios.edits import AddFloors
        >>> describe_edit(AddFloors(("B1", "B2"), 1))
        'Ajouter 1 niveau à 2 bâtiments'
    """
    describer = _DESCRIBERS.get(edit.kind)
    if describer is None:
        return tr("scenarios.edit.other", summary=edit.summary())
    try:
        return describer(edit, change)
    except (KeyError, ValueError, TypeError, shapely.errors.ShapelyError):  # never a traceback
        logger.exception("describing a %s edit failed", edit.kind)
        return tr("scenarios.edit.other", summary=edit.summary())


def edit_details(edit: Edit) -> str:
    """The edit's fields, one ``name = value`` per line (a tooltip)."""
    lines = []
    for key, value in edit.to_dict().items():
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{key} = {text if len(text) <= 120 else text[:117] + '…'}")
    return "\n".join(lines)


def session_lines(session: ScenarioSession) -> tuple[list[EditLine], list[EditLine]]:
    """(line, tooltip) of each edit of an applied scenario, and of those undone (the next
    to redo last)."""
    done = [
        (describe_edit(edit, change), edit_details(edit))
        for edit, change in zip(session.edits, session.changes(), strict=True)
    ]
    undone = [(describe_edit(c.edit, c), edit_details(c.edit)) for c in session.undone]
    return done, undone


def count(noun: str, n: float) -> str:
    """``n`` and a noun, singular or plural as the language wants (French: 0 and 1 singular).

    Example:
        >>> count("buildings", 1), count("buildings", 12)
        ('1 bâtiment', '12 bâtiments')
    """
    one = abs(n) < 2 if translator().language == "fr" else abs(n) == 1
    return tr(f"scenarios.n.{noun}.{'one' if one else 'many'}", n=format_number(n, 0))


# -- figures from a Change --------------------------------------------------------------------
def _rows(frame: Any, ids: Iterable[str]) -> pd.DataFrame:
    """The rows of ``frame`` whose id is in ``ids`` (an empty frame without)."""
    if frame is None or "id" not in frame:
        return pd.DataFrame()
    return frame[frame["id"].astype(str).isin(list(ids))]


def _added(change: Change, layer: str) -> pd.DataFrame:
    """Rows of ``layer`` the change created."""
    before = change.before.layers.get(layer)
    old = set(before["id"].astype(str)) if before is not None and "id" in before else set()
    return _rows(change.after.layers.get(layer), [i for i in change.ids(layer) if i not in old])


def _total(rows: pd.DataFrame, column: str) -> float:
    if column not in rows:
        return float("nan")
    values = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype="float64")
    return float(np.nansum(values)) if np.isfinite(values).any() else float("nan")


def _area(value: float, sign: bool = False) -> str:
    prefix = ("+" if value >= 0 else "−") if sign else ""
    return tr("scenarios.edit.floor_area", sign=prefix, area=format_number(abs(value), 0))


def _use(use: str) -> str:
    return tr(f"use.{use}").lower()


def _use_mix(mix: dict[str, float]) -> str:
    return ", ".join(f"{_use(u)} {format_number(100 * s, 0)} %" for u, s in mix.items())


# -- one describer per kind ---------------------------------------------------------------------
def _add_building(edit: Any, change: Change | None) -> str:
    parts = [count("floors", edit.floors)]
    area, dwellings = float("nan"), float(edit.dwellings) if edit.dwellings >= 0 else np.nan
    if change is not None:
        rows = _added(change, "buildings")
        area, dwellings = _total(rows, "floor_area_m2"), _total(rows, "dwellings")
    elif edit.footprint_wkt:
        area = float(shapely.from_wkt(edit.footprint_wkt).area) * edit.floors
    if np.isfinite(area):
        parts.append(tr("scenarios.edit.area", area=format_number(area, 0)))
    if np.isfinite(dwellings) and dwellings > 0:
        parts.append(count("dwellings", dwellings))
    return tr("scenarios.edit.add_building", details=", ".join(parts))


def _demolish(edit: Any, change: Change | None) -> str:
    text = tr("scenarios.edit.demolish", buildings=count("buildings", len(edit.ids)))
    if change is not None:
        area = _total(_rows(change.before.layers.get("buildings"), edit.ids), "floor_area_m2")
        if np.isfinite(area):
            text += f" ({_area(-area, sign=True)})"
    return text


def _add_floors(edit: Any, change: Change | None) -> str:
    key = "scenarios.edit.add_floors" if edit.floors > 0 else "scenarios.edit.remove_floors"
    text = tr(
        key, floors=count("floors", abs(edit.floors)), buildings=count("buildings", len(edit.ids))
    )
    if change is not None:
        before = _total(_rows(change.before.layers.get("buildings"), edit.ids), "floor_area_m2")
        after = _total(_rows(change.after.layers.get("buildings"), edit.ids), "floor_area_m2")
        if np.isfinite(before) and np.isfinite(after):
            text += f" ({_area(after - before, sign=True)})"
    return text


def _set_height(edit: Any, _change: Change | None) -> str:
    return tr(
        "scenarios.edit.set_height",
        buildings=count("buildings", len(edit.ids)),
        height=format_number(edit.height_m, 1),
    )


def _change_use(edit: Any, _change: Change | None) -> str:
    use = _use(edit.use) if edit.use else _use_mix(edit.use_mix)
    return tr("scenarios.edit.change_use", buildings=count("buildings", len(edit.ids)), use=use)


def _change_space_use(edit: Any, change: Change | None) -> str:
    use = _use(edit.use) + (f" « {edit.long_name} »" if edit.long_name else "")
    text = tr("scenarios.edit.change_space_use", rooms=count("rooms", len(edit.space_ids)), use=use)
    if change is not None:
        area = _total(_rows(change.after.layers.get("spaces"), edit.space_ids), "area_m2")
        if np.isfinite(area):
            text += f" ({tr('scenarios.edit.area', area=format_number(area, 0))})"
    return text


def _retrofit(edit: Any, change: Change | None) -> str:
    if change is not None:
        what = count("buildings", len(change.ids("buildings")))
    elif edit.ids:
        what = count("buildings", len(edit.ids))
    else:
        what = tr("scenarios.edit.retrofit_within", within=edit.within_id)
    return tr("scenarios.edit.retrofit", target=edit.target_class, what=what)


def _deseal(edit: Any, _change: Change | None) -> str:
    return tr("scenarios.edit.deseal", area=format_number(edit.area_m2, 0), parcel=edit.parcel_id)


def _add_transit_stop(edit: Any, _change: Change | None) -> str:
    return tr(
        "scenarios.edit.add_transit_stop",
        name=edit.name,
        departures=format_number(edit.departures_peak_per_h, 1),
    )


def _add_transit_line(edit: Any, change: Change | None) -> str:
    if edit.stop_ids:
        stops = len(edit.stop_ids)
    elif change is not None and len(_added(change, "transit_stops")):
        stops = len(_added(change, "transit_stops"))
    else:
        stops = len(shapely.get_coordinates(shapely.from_wkt(edit.line_wkt)))
    return tr(
        "scenarios.edit.add_transit_line",
        mode=tr(f"scenarios.mode.{edit.mode}"),
        name=edit.name,
        stops=count("stops", stops),
        departures=format_number(edit.frequency_peak_per_h, 1),
    )


def _add_digital_asset(edit: Any, _change: Change | None) -> str:
    what = tr(f"scenarios.asset.{edit.asset_kind}")
    if edit.count > 1:
        what += f" × {edit.count}"
    return tr("scenarios.edit.add_digital_asset", what=what)


_DESCRIBERS: dict[str, Callable[[Any, Change | None], str]] = {
    "add_building": _add_building,
    "demolish": _demolish,
    "add_floors": _add_floors,
    "set_height": _set_height,
    "change_use": _change_use,
    "change_space_use": _change_space_use,
    "retrofit": _retrofit,
    "deseal": _deseal,
    "add_transit_stop": _add_transit_stop,
    "add_transit_line": _add_transit_line,
    "add_digital_asset": _add_digital_asset,
}
