"""Refusals: why an edit, a scenario command or the study was refused, as data.

The model raises a :class:`RefusedError` made by :func:`refuse`: its message is the English
line the CLI prints (what is wrong, what to do), and its :class:`Refusal` (a stable code of
:data:`REFUSALS` and the values the message is made of) lets the app say the same in its
language (``gui/strings_errors.py``, rendered by ``gui/error_texts.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from twin.errors import InvalidInputError, error_code, register_codes


@dataclasses.dataclass(frozen=True)
class Refusal:
    """Why something was refused, as data: a code of :data:`REFUSALS` and the values its
    message is made of (text, numbers, lists of them; an Edit or the refusal it wraps).

    Example:
        >>> error = refuse("id_taken", "id 'B1' is taken.", layer="buildings", id="B1")
        >>> refusal_of(error)
        Refusal(code='id_taken', values={'layer': 'buildings', 'id': 'B1'})
    """

    code: str
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class RefusedError(InvalidInputError):
    """An :class:`~twin.errors.InvalidInputError` that also carries its :class:`Refusal` (whose
    code and values are the error's ``code`` and ``values``, as for any coded TwinError)."""

    def __init__(self, message: str, refusal: Refusal) -> None:
        super().__init__(message, code=refusal.code, values=refusal.values)
        self.refusal = refusal


#: Every refusal code and the names of its values (what the app's texts may use).
REFUSALS: dict[str, frozenset[str]] = {
    code: frozenset(names.split())
    for code, names in {
        # ids, geometries (this module)
        "ids_none": "what layer",
        "layer_missing": "what layer",
        "id_unknown": "what layer id more",
        "wkt_unreadable": "field error",
        "geometry_empty": "field",
        "geometry_kind": "field kind kinds",
        "polygon_invalid": "field reason",
        "too_far": "field distance_km crs",
        "id_taken": "layer id",
        # fields of the edits
        "field_empty": "edit field",
        "field_range": "edit field value low high",
        "field_min": "edit field value low",
        "field_choice": "edit field value choices",
        "fields_either": "edit first second",
        # what the edits find in the City
        "floors_left_none": "id floors removed",
        "asset_not_line": "kind geometry",
        "line_no_length": "",
        "mix_empty": "field",
        "use_unknown": "use uses",
        "share_range": "use share",
        "shares_total": "total",
        "dpe_class_unknown": "target_class",
        "area_unknown": "id",
        "area_not_holding": "id level",
        "area_no_buildings": "id uses",
        "deseal_too_much": "parcel parcel_m2 built_m2 already_m2 free_m2 area_m2",
        "overlap": "id more",
        "setback_too_big": "setback_m parcel parcel_m2",
        "model_no_building": "file",
        "model_overlap": "file id more",
        "file_not_stored": "file stored",
        "model_unreadable": "file error",
        "reader_unavailable": "file",
        "reader_unknown": "file suffix known",
        "stop_ids_one": "",
        "stop_names_count": "names vertices",
        "colour_format": "colour",
        # shapes drawn by clicks in the app (gui/edit_targets.py)
        "footprint_points": "count",
        "footprint_crosses": "reason",
        "footprint_small": "area_m2",
        "line_points": "",
        # scenarios and their history (scenarios/scenario.py, history.py, change.py)
        "scenario_name_missing": "",
        "scenario_name_baseline": "",
        "scenario_name_long": "name max",
        "scenario_base_empty": "name",
        "scenario_self_based": "name",
        "scenario_exists": "name",
        "scenario_unknown": "name known",
        "scenario_base_unknown": "name child known",
        "scenario_has_children": "name child",
        "scenario_cycle": "loop",
        "edit_failed": "where number edit cause",
        "nothing_to_undo": "",
        "nothing_to_redo": "",
        "undo_stale": "edit layer",
        "redo_stale": "edit layer",
        # the digital-impact study (scenarios/study, scenarios/report)
        "study_scenario_unknown": "name known",
        "study_compare_self": "name",
        "study_assumption_missing": "assumption",
        "study_assumption_list": "assumption",
        "study_no_buildings": "",
        "output_is_folder": "path",
        "output_parent_file": "path folder",
        "output_folder_missing": "path folder",
        "output_read_only": "path folder",
        "output_unwritable": "path reason",
    }.items()
}
register_codes(REFUSALS)  # one table of codes with the project and import errors


def refuse(code: str, message: str, **values: Any) -> RefusedError:
    """The error to raise: ``message``, the English line the CLI prints, and the
    :class:`Refusal` ``code`` with ``values`` (exactly the names :data:`REFUSALS` lists).

    Raises:
        ValueError: an unknown code, or values other than the code's (a programming error).
    """
    names = REFUSALS.get(code)
    if names is None or set(values) != names:
        raise ValueError(f"refusal '{code}' takes {sorted(names or ())}, not {sorted(values)}")
    return RefusedError(message, Refusal(code, values))


def refusal_of(error: BaseException) -> Refusal | None:
    """The :class:`Refusal` an error carries, or None: a refusal's own, or the code and values
    of any other coded :class:`~twin.errors.TwinError` (a file that cannot be imported ...).

    Example:
        >>> from twin.errors import InvalidInputError, error_code, register_codes
        >>> refusal_of(InvalidInputError("a.gpkg is empty.", code="file_empty",
        ...                              values={"file": "a.gpkg"}))
        Refusal(code='file_empty', values={'file': 'a.gpkg'})
    """
    refusal = getattr(error, "refusal", None)
    if isinstance(refusal, Refusal):
        return refusal
    coded = error_code(error)
    return Refusal(coded[0], coded[1]) if coded is not None else None


def reworded(error: InvalidInputError, message: str) -> InvalidInputError:
    """An error saying ``message`` (``error``'s line with where it happened) that keeps
    ``error``'s refusal, if it has one.

    Example:
        >>> error = refuse("nothing_to_undo", "nothing to undo.")
        >>> moved = reworded(error, "scenario 'A': nothing to undo.")
        >>> str(moved), refusal_of(moved) is refusal_of(error)
        ("scenario 'A': nothing to undo.", True)
    """
    refusal = refusal_of(error)
    return RefusedError(message, refusal) if refusal is not None else InvalidInputError(message)
