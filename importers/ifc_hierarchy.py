"""The spatial tree of an IFC model: buildings, storeys, spaces and what each element is in.

Built in one pass over ``IfcRelAggregates`` and ``IfcRelContainedInSpatialStructure`` (child →
parent by STEP id); an element's container is the nearest storey, space or building above it
(parts of an aggregate, such as the slabs of a roof, take their whole's container), and its
building the nearest IfcBuilding. GlobalIds must be unique: a repeated one keeps its first
element and the others are reported and left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ifcopenshell

from importers.ifc_geometry import FURNITURE_CLASSES
from twin.issues import Issue, Severity

#: IfcElement subtypes that get no ifc_elements row: openings, projections, virtual elements.
SKIPPED_ELEMENT_CLASSES = ("IfcFeatureElement", "IfcVirtualElement")
_MAX_DEPTH = 64


@dataclass
class Hierarchy:
    """Spatial structure and element membership, by STEP id.

    Attributes:
        buildings, storeys, spaces: the spatial elements kept (unique GlobalIds), file order.
        elements: other elements that get an ifc_elements row.
        up: child STEP id → parent STEP id (aggregation first, then containment).
        dropped: STEP ids left out because their GlobalId repeats an earlier one.
    """

    buildings: list[ifcopenshell.entity_instance]
    storeys: list[ifcopenshell.entity_instance]
    spaces: list[ifcopenshell.entity_instance]
    elements: list[ifcopenshell.entity_instance]
    up: dict[int, int]
    guid: dict[int, str] = field(default_factory=dict)
    dropped: set[int] = field(default_factory=set)
    _kinds: dict[int, str] = field(default_factory=dict)
    _memo: dict[tuple[str, ...], dict[int, int | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, items in (
            ("building", self.buildings),
            ("storey", self.storeys),
            ("space", self.spaces),
        ):
            for item in items:
                self._kinds[item.id()] = kind

    def kind(self, step_id: int) -> str | None:
        """``building``, ``storey``, ``space`` or None."""
        return self._kinds.get(step_id)

    def ancestor(self, step_id: int, kinds: tuple[str, ...]) -> int | None:
        """STEP id of the nearest spatial element above ``step_id`` of one of ``kinds``.

        Answers are remembered for every element on the way up, so the tree is walked once.
        """
        memo = self._memo.setdefault(kinds, {})
        path: list[int] = []
        current = step_id
        found: int | None = None
        for _ in range(_MAX_DEPTH):
            if current in memo:
                found = memo[current]
                break
            path.append(current)
            parent = self.up.get(current)
            if parent is None or self._kinds.get(parent) in kinds:
                found = parent
                break
            current = parent
        for node in path:
            memo[node] = found
        return found

    def global_id(self, step_id: int | None) -> str | None:
        """The GlobalId of a kept element (None for None or an element left out)."""
        return None if step_id is None else self.guid.get(step_id)


def read_hierarchy(
    model: ifcopenshell.file, source: str, include_furniture: bool, issues: list[Issue]
) -> Hierarchy:
    """The buildings, storeys, spaces and elements of ``model``, duplicates reported."""
    up: dict[int, int] = {}
    for rel in model.by_type("IfcRelAggregates"):
        parent = rel.RelatingObject.id()
        for child in rel.RelatedObjects or ():
            up[child.id()] = parent
    for rel in model.by_type("IfcRelContainedInSpatialStructure"):
        parent = rel.RelatingStructure.id()
        for child in rel.RelatedElements or ():
            up.setdefault(child.id(), parent)
    skipped = {e.id() for cls in SKIPPED_ELEMENT_CLASSES for e in _by_type(model, cls)}
    if not include_furniture:
        skipped |= {e.id() for cls in FURNITURE_CLASSES for e in _by_type(model, cls)}
    seen: dict[str, int] = {}
    dropped: set[int] = set()
    kept: dict[str, list[ifcopenshell.entity_instance]] = {}
    for group, classes in (
        ("buildings", ("IfcBuilding",)),
        ("storeys", ("IfcBuildingStorey",)),
        ("spaces", ("IfcSpace",)),
        ("elements", ("IfcElement",)),
    ):
        kept[group] = []
        for cls in classes:
            for item in model.by_type(cls):
                if item.id() in skipped:
                    continue
                global_id = item[0]  # GlobalId, first attribute of every IfcRoot
                if global_id in seen:
                    dropped.add(item.id())
                    issues.append(
                        Issue(
                            Severity.ERROR,
                            "duplicate_global_id",
                            f"{item.is_a()} #{item.id()} repeats the GlobalId of "
                            f"#{seen[global_id]}; left out (the first is kept)",
                            source,
                            str(global_id),
                        )
                    )
                    continue
                seen[global_id] = item.id()
                kept[group].append(item)
    return Hierarchy(
        buildings=kept["buildings"],
        storeys=kept["storeys"],
        spaces=kept["spaces"],
        elements=kept["elements"],
        up=up,
        guid={step_id: global_id for global_id, step_id in seen.items()},
        dropped=dropped,
    )


def _by_type(model: ifcopenshell.file, ifc_class: str) -> list[ifcopenshell.entity_instance]:
    try:
        return list(model.by_type(ifc_class))
    except RuntimeError:  # the class does not exist in this schema
        return []
