"""Property sets and quantity sets of many IFC elements at once, JSON-safe, quantities in SI.

Same content as ``ifcopenshell.util.element.get_psets`` (type property sets first, the
occurrence's own on top, pset by pset), but each property definition is read once and shared
by the elements it relates to, instead of walking every element's inverse relations: one pass
over ``IfcRelDefinesByType`` and ``IfcRelDefinesByProperties``. The STEP ids that
``get_psets`` adds (``"id"``) are left out. Length, area and volume quantities are converted to
metres, square metres and cubic metres (the project's units, or the quantity's own unit).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import ifcopenshell
import ifcopenshell.util.element
import ifcopenshell.util.unit

Sets = dict[str, dict[str, Any]]

_UNIT_TYPES = {
    "IfcQuantityLength": "LENGTHUNIT",
    "IfcQuantityArea": "AREAUNIT",
    "IfcQuantityVolume": "VOLUMEUNIT",
}


def unit_factors(model: ifcopenshell.file) -> dict[str, float]:
    """SI factor of the project's length, area and volume units, by quantity class."""
    return {
        ifc_class: float(ifcopenshell.util.unit.calculate_unit_scale(model, unit_type))
        for ifc_class, unit_type in _UNIT_TYPES.items()
    }


def property_tables(
    model: ifcopenshell.file, wanted: set[int], factors: dict[str, float]
) -> tuple[dict[int, Sets], dict[int, Sets]]:
    """(property sets, quantity sets) by STEP id, for the elements whose ids are in ``wanted``.

    Attributes are read by position (the same in IFC2X3, IFC4 and IFC4X3): RelatedObjects is
    4 and the relating definition or type 5 in both relationships.
    """
    psets: dict[int, Sets] = {}
    qtos: dict[int, Sets] = {}
    for rel in model.by_type("IfcRelDefinesByType"):
        related = [i for i in (o.id() for o in rel.get_argument(4)) if i in wanted]
        if related:
            definitions = rel.get_argument(5).get_argument(5) or ()  # the type's HasPropertySets
            _share(psets, qtos, related, _definitions(definitions, factors))
    for rel in model.by_type("IfcRelDefinesByProperties"):
        related = [i for i in (o.id() for o in rel.get_argument(4)) if i in wanted]
        if related:
            definition = rel.get_argument(5)
            members = (
                definition.wrappedValue
                if definition.is_a() == "IfcPropertySetDefinitionSet"
                else (definition,)
            )
            _share(psets, qtos, related, _definitions(members, factors))
    return psets, qtos


def _share(
    psets: dict[int, Sets], qtos: dict[int, Sets], related: list[int], found: tuple[Sets, Sets]
) -> None:
    for step_id in related:
        _merge(psets, step_id, found[0])
        _merge(qtos, step_id, found[1])


def _definitions(
    definitions: Iterable[ifcopenshell.entity_instance], factors: dict[str, float]
) -> tuple[Sets, Sets]:
    psets: Sets = {}
    qtos: Sets = {}
    for definition in definitions:
        ifc_class = definition.is_a()
        if ifc_class == "IfcElementQuantity":
            quantities = _quantities(definition.get_argument(5), factors)
            qtos.setdefault(definition.get_argument(2), {}).update(quantities)
        elif ifc_class == "IfcPropertySet":
            values = _properties(definition.get_argument(4))
            psets.setdefault(definition.get_argument(2), {}).update(values)
        elif definition.is_a("IfcPreDefinedPropertySet"):
            values = ifcopenshell.util.element.get_property_definition(definition)
            values.pop("id", None)
            psets.setdefault(definition[2], {}).update(values)
    return psets, qtos


def _properties(properties: Iterable[ifcopenshell.entity_instance] | None) -> dict[str, Any]:
    """``get_properties``, with single values (nearly all of them) read directly."""
    out: dict[str, Any] = {}
    for prop in properties or ():
        if prop.is_a() == "IfcPropertySingleValue":  # Name 0, NominalValue 2
            value = prop.get_argument(2)
            out[prop.get_argument(0)] = None if value is None else value.get_argument(0)
        else:
            out.update(ifcopenshell.util.element.get_properties([prop]))
    return out


def _quantities(
    quantities: Iterable[ifcopenshell.entity_instance] | None, factors: dict[str, float]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for quantity in quantities or ():
        ifc_class = quantity.is_a()
        if ifc_class in factors:  # length, area, volume: Name 0, Unit 2, value 3
            value = quantity[3]
            if isinstance(value, (int, float)):
                unit = quantity[2]
                factor = (
                    ifcopenshell.util.unit.get_named_unit_scale(unit)
                    if unit is not None
                    else factors[ifc_class]
                )
                value = float(value) * factor
            out[quantity[0]] = value
        elif quantity.is_a("IfcPhysicalSimpleQuantity"):
            out[quantity[0]] = quantity[3]
        else:
            out[quantity[0]] = ifcopenshell.util.element.get_quantities([quantity]).get(quantity[0])
    return out


def _merge(table: dict[int, Sets], step_id: int, sets: Sets) -> None:
    if not sets:
        return
    mine = table.setdefault(step_id, {})
    for name, values in sets.items():
        if name in mine:
            mine[name] = {**mine[name], **values}
        else:
            mine[name] = values  # shared between elements: never modified in place


def number(sets: Sets | None, *names: str, set_hint: str = "") -> float | None:
    """The first positive number found under one of ``names`` in sets whose name contains
    ``set_hint`` (e.g. "BaseQuantities"), sets whose name contains it first.

    >>> number({"Qto_SpaceBaseQuantities": {"NetFloorArea": 0, "GrossFloorArea": 12.5}},
    ...        "NetFloorArea", "GrossFloorArea", set_hint="BaseQuantities")
    12.5
    """
    if not sets:
        return None
    ordered = sorted(sets.items(), key=lambda item: set_hint.lower() not in item[0].lower())
    for name in names:
        for _, values in ordered:
            value = values.get(name) if isinstance(values, dict) else None
            if isinstance(value, (int, float)) and math.isfinite(value) and value > 0:
                return float(value)
    return None


def to_json(sets: Sets | None) -> str:
    """JSON text of property or quantity sets; entities become ``"IfcX #id"``, NaN null.

    >>> to_json({"Pset_WallCommon": {"IsExternal": True, "Width": float("nan")}})
    '{"Pset_WallCommon": {"IsExternal": true, "Width": null}}'
    """
    if not sets:
        return "{}"
    try:
        return json.dumps(sets, ensure_ascii=False, default=_default, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(sets), ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, ifcopenshell.entity_instance):
        return f"{value.is_a()} #{value.id()}"
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
