"""One line per edit, in French or English, with its main figures: what the app's scenario
panel lists and what the study's report prints for a scenario's edits.

"Ajouter un bâtiment : 4 niveaux, 1 310 m², 11 logements": the figures come from what the
edit did (its :class:`~scenarios.change.Change`: the rows it added, removed or changed) when
it is known, else from the edit's own fields. An edit kind without a template here (added
later) falls back to the edit's own (English) summary. The words are in
:mod:`scenarios.edit_words`.

Example:
    >>> from scenarios.edits import AddFloors
    >>> describe_edit(AddFloors(("B1", "B2"), 1), "fr")
    'Ajouter 1 niveau à 2 bâtiments'
    >>> describe_edit(AddFloors(("B1",), -2), "en")
    'Remove 2 storeys from 1 building'
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import shapely

from scenarios.change import Change
from scenarios.edit_words import WORDS
from scenarios.edits import Edit

logger = logging.getLogger(__name__)

LANGS = ("fr", "en")
NNBSP = "\u202f"  # French thousands separator (narrow no-break space)


def describe_edit(edit: Edit, lang: str = "fr", change: Change | None = None) -> str:
    """One line saying what ``edit`` does in ``lang``, with its figures (from ``change`` when
    given, else from the edit's fields)."""
    describer = _DESCRIBERS.get(edit.kind)
    if describer is None:
        return edit.summary()
    try:
        return describer(_Words(lang), edit, change)
    except (KeyError, ValueError, TypeError, shapely.errors.ShapelyError):  # never a traceback
        logger.exception("describing a %s edit failed", edit.kind)
        return edit.summary()


def word(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` of :data:`~scenarios.edit_words.WORDS` in ``lang`` (French unless
    ``"en"``), ``values`` filled in; the key itself when unknown."""
    pair = WORDS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def number(value: float, decimals: int, lang: str) -> str:
    """A number as people read it: trailing zeros dropped, French narrow no-break spaces
    between thousands and decimal comma, or English commas and point.

    Example:
        >>> number(2500.0, 0, "fr") == "2\u202f500", number(6.80, 2, "en")
        (True, '6.8')
    """
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang != "en":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def count(noun: str, n: float, lang: str) -> str:
    """``n`` and a noun, singular or plural as the language wants (French: 0 and 1 singular).

    Example:
        >>> count("buildings", 1, "fr"), count("buildings", 12, "en")
        ('1 bâtiment', '12 buildings')
    """
    whole = round(n)  # as written: 1.6 is "2 logements"
    one = abs(whole) < 2 if lang != "en" else abs(whole) == 1
    return word(f"n.{noun}.{'one' if one else 'many'}", lang, n=number(n, 0, lang))


class _Words:
    """The words of one language, for the describers."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: Any) -> str:
        return word(key, self.lang, **values)

    def n(self, value: float, decimals: int = 0) -> str:
        return number(value, decimals, self.lang)

    def count(self, noun: str, n: float) -> str:
        return count(noun, n, self.lang)

    def area(self, value: float, sign: bool = False) -> str:
        prefix = ("+" if value >= 0 else "−") if sign else ""
        return self("edit.floor_area", sign=prefix, area=self.n(abs(value)))

    def use(self, use: str) -> str:
        return self(f"use.{use}")

    def use_mix(self, mix: dict[str, float]) -> str:
        percent = "%" if self.lang == "en" else " %"
        return ", ".join(f"{self.use(u)} {self.n(100 * s)}{percent}" for u, s in mix.items())


# -- figures from a Change --------------------------------------------------------------------
def _rows(frame: Any, ids: Iterable[str]) -> pd.DataFrame:
    """The rows of ``frame`` whose id is in ``ids`` (an empty frame without)."""
    if frame is None or "id" not in frame:
        return pd.DataFrame()
    return frame[frame["id"].astype(str).isin(list(ids))]


def _added(change: Change, layer: str) -> pd.DataFrame:
    """Rows of ``layer`` the change created."""
    before = change.before.layers.get(layer)
    named = [str(i) for i in change.ids(layer)]
    old: set[str] = set()
    if before is not None and "id" in before and named:  # only the ids named: not every row's
        ids = before["id"].astype(str)
        old = set(ids[ids.isin(named)])
    return _rows(change.after.layers.get(layer), [i for i in named if i not in old])


def _total(rows: pd.DataFrame, column: str) -> float:
    if column not in rows:
        return float("nan")
    values = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype="float64")
    return float(np.nansum(values)) if np.isfinite(values).any() else float("nan")


# -- one describer per kind ---------------------------------------------------------------------
def _add_building(w: _Words, edit: Any, change: Change | None) -> str:
    parts = [w.count("floors", edit.floors)]
    if len(edit.use_mix) > 1:
        parts.append(w.use_mix(edit.use_mix))
    area, dwellings = float("nan"), float(edit.dwellings) if edit.dwellings >= 0 else np.nan
    if change is not None:
        rows = _added(change, "buildings")
        area, dwellings = _total(rows, "floor_area_m2"), _total(rows, "dwellings")
    elif edit.footprint_wkt:
        area = float(shapely.from_wkt(edit.footprint_wkt).area) * edit.floors
    if np.isfinite(area):
        parts.append(w("edit.area", area=w.n(area)))
    if np.isfinite(dwellings) and dwellings > 0:
        parts.append(w.count("dwellings", dwellings))
    if edit.parcel_id:
        parts.append(w("edit.on_parcel", parcel=edit.parcel_id))
    if edit.name:
        parts.append(w("edit.named_building", name=edit.name))
    return w("edit.add_building", details=", ".join(parts))


def _demolish(w: _Words, edit: Any, change: Change | None) -> str:
    text = w("edit.demolish", buildings=w.count("buildings", len(edit.ids)))
    if change is not None:
        area = _total(_rows(change.before.layers.get("buildings"), edit.ids), "floor_area_m2")
        if np.isfinite(area):
            text += f" ({w.area(-area, sign=True)})"
    return text


def _add_floors(w: _Words, edit: Any, change: Change | None) -> str:
    key = "edit.add_floors" if edit.floors > 0 else "edit.remove_floors"
    text = w(
        key,
        floors=w.count("floors", abs(edit.floors)),
        buildings=w.count("buildings", len(edit.ids)),
    )
    if change is not None:
        before = _total(_rows(change.before.layers.get("buildings"), edit.ids), "floor_area_m2")
        after = _total(_rows(change.after.layers.get("buildings"), edit.ids), "floor_area_m2")
        if np.isfinite(before) and np.isfinite(after):
            text += f" ({w.area(after - before, sign=True)})"
    return text


def _set_height(w: _Words, edit: Any, _change: Change | None) -> str:
    return w(
        "edit.set_height",
        buildings=w.count("buildings", len(edit.ids)),
        height=w.n(edit.height_m, 1),
    )


def _change_use(w: _Words, edit: Any, _change: Change | None) -> str:
    use = w.use(edit.use) if edit.use else w.use_mix(edit.use_mix)
    return w("edit.change_use", buildings=w.count("buildings", len(edit.ids)), use=use)


def _change_space_use(w: _Words, edit: Any, change: Change | None) -> str:
    use = w.use(edit.use) + (w("edit.named", name=edit.long_name) if edit.long_name else "")
    text = w("edit.change_space_use", rooms=w.count("rooms", len(edit.space_ids)), use=use)
    if change is not None:
        area = _total(_rows(change.after.layers.get("spaces"), edit.space_ids), "area_m2")
        if np.isfinite(area):
            text += f" ({w('edit.area', area=w.n(area))})"
    return text


def _retrofit(w: _Words, edit: Any, change: Change | None) -> str:
    if change is not None:
        what = w.count("buildings", len(change.ids("buildings")))
    elif edit.ids:
        what = w.count("buildings", len(edit.ids))
    elif edit.uses:
        uses = ", ".join(w.use(use) for use in edit.uses)
        what = w("edit.retrofit_uses_within", uses=uses, within=edit.within_id)
    else:
        what = w("edit.retrofit_within", within=edit.within_id)
    return w("edit.retrofit", target=edit.target_class, what=what)


def _deseal(w: _Words, edit: Any, _change: Change | None) -> str:
    return w("edit.deseal", area=w.n(edit.area_m2), parcel=edit.parcel_id)


def _add_transit_stop(w: _Words, edit: Any, _change: Change | None) -> str:
    return w("edit.add_transit_stop", name=edit.name, departures=w.n(edit.departures_peak_per_h, 1))


def _add_transit_line(w: _Words, edit: Any, change: Change | None) -> str:
    if edit.stop_ids:
        stops = len(edit.stop_ids)
    elif change is not None and len(_added(change, "transit_stops")):
        stops = len(_added(change, "transit_stops"))
    elif edit.stop_names:
        stops = len(edit.stop_names)
    else:
        stops = len(shapely.get_coordinates(shapely.from_wkt(edit.line_wkt)))
    return w(
        "edit.add_transit_line",
        mode=w(f"mode.{edit.mode}"),
        name=edit.name,
        long_name=w("edit.long_name", name=edit.long_name) if edit.long_name else "",
        stops=w.count("stops", stops),
        departures=w.n(edit.frequency_peak_per_h, 1),
    )


def _add_digital_asset(w: _Words, edit: Any, _change: Change | None) -> str:
    what = w(f"asset.{edit.asset_kind}")
    if edit.count > 1:
        what += f" × {edit.count}"
    return w("edit.add_digital_asset", what=what)


def _place_model(w: _Words, edit: Any, change: Change | None) -> str:
    text = w("edit.place_model", file=edit.file_name)
    if edit.rotation_deg:
        text += w("edit.turned", degrees=w.n(edit.rotation_deg, 1))
    if edit.replace_ids:
        text += w("edit.replacing", buildings=w.count("buildings", len(edit.replace_ids)))
    if change is not None:
        area = _total(_added(change, "buildings"), "floor_area_m2")
        if np.isfinite(area):
            text += f" ({w('edit.area', area=w.n(area))})"
    return text


_DESCRIBERS: dict[str, Callable[[_Words, Any, Change | None], str]] = {
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
    "place_model": _place_model,
}
