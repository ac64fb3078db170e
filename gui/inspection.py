"""What the inspector shows about one object: attributes with units, provenance, IFC property sets.

:func:`describe` turns a row of the City into translated sections of (label, value) fields;
the Qt widget (:mod:`gui.inspector`) only lays them out. Units come from the layer's
:class:`~twin.spec.ColumnSpec`; the provenance is the import record of the row's source file
where it can be told (by importer, by IFC file name, by commune code in the file name).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely

from gui.i18n import format_number, has_key, level_label, tr
from twin.city import City
from twin.levels import LEVEL_LAYERS
from twin.provenance import ProvenanceRecord
from twin.spec import ColumnSpec

IFC_ELEMENTS = "ifc_elements"
#: Columns shown elsewhere or too long for a row.
HIDDEN_COLUMNS = frozenset({"properties_json", "quantities_json"})
#: Units of IFC quantities guessed from their names (lengths are metres, per the importer).
QUANTITY_UNITS: tuple[tuple[str, str], ...] = (
    ("area", "m2"),
    ("volume", "m3"),
    ("weight", "kg"),
    ("mass", "kg"),
    ("length", "m"),
    ("width", "m"),
    ("height", "m"),
    ("depth", "m"),
    ("perimeter", "m"),
    ("thickness", "m"),
)


@dataclass(frozen=True)
class Field:
    """One line of the inspector: a label, a formatted value (with its unit), a tooltip."""

    label: str
    value: str
    tip: str = ""


@dataclass(frozen=True)
class Section:
    """A titled group of fields."""

    title: str
    fields: list[Field] = field(default_factory=list)


@dataclass(frozen=True)
class Description:
    """Everything the inspector shows about one object."""

    object_id: str
    layer: str
    kind: str
    title: str
    sections: list[Section]

    def value_of(self, label: str) -> str | None:
        """The value shown for ``label`` in any section (for tests and tooltips)."""
        for section in self.sections:
            for item in section.fields:
                if item.label == label:
                    return item.value
        return None


def find_row(city: City, object_id: str) -> tuple[str, pd.Series] | None:
    """(layer, row) of an id: a hierarchy row, an IFC element or a road; None if unknown.

    The hierarchy's layers are searched level by level (ids are unique across them): after
    an edit of the buildings' rows, the hierarchy's index of every id would be made anew
    first (~40 ms for 100 000 buildings, where reading the id columns takes a few)."""
    hierarchy_layers = [LEVEL_LAYERS[level] for level in sorted(LEVEL_LAYERS)]
    layers = [n for n in (*hierarchy_layers, IFC_ELEMENTS, "roads") if n in city]
    for name in layers:
        row = find_row_in(city, name, object_id)
        if row is not None:
            return name, row
    return None


def describe(city: City, object_id: str) -> Description | None:
    """The inspector's sections for ``object_id``, or None when the City has no such row."""
    found = find_row(city, object_id)
    if found is None:
        return None
    layer, row = found
    level = city.spec(layer).level
    kind = level_label(level) if level is not None else _layer_kind(layer)
    name = row.get("name")
    title = f"{kind} {name}" if _present(name) else f"{kind} {object_id}"
    sections = [*_attribute_sections(city, layer, row), _provenance_section(city, layer, row)]
    sections += _ifc_sections(city, layer, row)
    return Description(object_id, layer, kind, title, [s for s in sections if s.fields])


# -- attributes ---------------------------------------------------------------------------------
def _attribute_sections(city: City, layer: str, row: pd.Series) -> list[Section]:
    spec = city.spec(layer)
    declared = [c for c in spec.columns if c.name not in HIDDEN_COLUMNS]
    fields = [
        Field(column_label(c.name), format_value(row.get(c.name), c), c.meaning) for c in declared
    ]
    geometry = row.get("geometry")
    if isinstance(geometry, shapely.Geometry) and shapely.get_type_id(geometry) in (3, 6):
        area = format_number(float(shapely.area(geometry)), 0)
        label = tr("inspector.footprint" if layer == "buildings" else "inspector.area")
        fields.append(Field(label, f"{area} {tr('unit.m2')}", tr("inspector.computed")))
    names = set(spec.column_names) | HIDDEN_COLUMNS | {"geometry"}
    extra = [
        Field(str(column), format_value(value), "")
        for column, value in row.items()
        if column not in names and _present(value)
    ]
    return [Section(tr("inspector.attributes"), fields), Section(tr("inspector.other"), extra)]


def column_label(column: str) -> str:
    """The translated label of a standard column, else the column's own name."""
    key = f"col.{column}"
    return tr(key) if has_key(key) else column


def format_value(value: Any, column: ColumnSpec | None = None) -> str:
    """A value for display, with its unit: ``6,8 m``, ``oui``, ``Habitat``, ``—`` when missing."""
    if not _present(value):
        return "—"
    name = column.name if column is not None else ""
    unit = _unit(column.unit) if column is not None else ""
    for coded in ("use", "height_source"):
        if name == coded and has_key(f"{coded}.{value}"):
            return tr(f"{coded}.{value}")
    if isinstance(value, bool | np.bool_):
        return tr("bool.true") if value else tr("bool.false")
    if isinstance(value, int | np.integer):  # years and codes without thousands separators
        plain = column is None or column.unit in ("", "year")
        text = str(int(value)) if plain else format_number(int(value), 0)
    elif isinstance(value, float | np.floating):
        text = format_number(float(value))
    else:
        text = str(value)
    return f"{text} {unit}" if unit else text


def _unit(unit: str) -> str:
    key = f"unit.{unit}"
    return tr(key) if unit and has_key(key) else unit


def _present(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return not (isinstance(value, str) and not value.strip())


def _layer_kind(layer: str) -> str:
    return tr("level.ifc_element") if layer == IFC_ELEMENTS else tr(f"layer.{layer}")


# -- provenance ---------------------------------------------------------------------------------
def provenance_of(city: City, layer: str, row: pd.Series) -> list[ProvenanceRecord]:
    """The import records the row may come from, narrowed down as far as the row tells.

    A single record means the source is known; several mean "one of these files".
    """
    records = [r for r in city.provenance if r.layers.get(layer, 0) > 0]
    narrowing = (
        lambda r: _present(row.get("source_file")) and r.source == row.get("source_file"),
        lambda r: _present(row.get("source")) and r.importer == row.get("source"),
        lambda r: _present(row.get("commune")) and str(row.get("commune")) in r.source,
    )
    for matches in narrowing:
        if len(records) <= 1:
            break
        narrowed = [r for r in records if matches(r)]
        records = narrowed or records
    return records


def _provenance_section(city: City, layer: str, row: pd.Series) -> Section:
    records = provenance_of(city, layer, row)
    if not records:
        return Section(tr("inspector.provenance"), [Field(tr("prov.source"), tr("prov.unknown"))])
    if len(records) > 1:
        names = ", ".join(r.source for r in records)
        return Section(
            tr("inspector.provenance"), [Field(tr("prov.source"), names, tr("prov.candidates"))]
        )
    record = records[0]
    fields = [
        Field(tr("prov.source"), record.source),
        Field(tr("prov.importer"), record.importer),
        Field(tr("prov.date"), record.imported_at.replace("T", " ").removesuffix("+00:00")),
    ]
    if record.sha256:
        fields.append(Field(tr("prov.sha256"), record.sha256[:16] + "…", record.sha256))
    return Section(tr("inspector.provenance"), fields)


# -- IFC property sets ----------------------------------------------------------------------------
def _ifc_sections(city: City, layer: str, row: pd.Series) -> list[Section]:
    if IFC_ELEMENTS not in city:
        return []
    element = row
    if layer != IFC_ELEMENTS:
        key = row.get("ifc_global_id") if _present(row.get("ifc_global_id")) else row.get("id")
        found = find_row_in(city, IFC_ELEMENTS, str(key))
        if found is None:
            return []
        element = found
    sections = []
    for column, title_key in (("properties_json", "inspector.psets"), ("quantities_json", None)):
        groups = _json_groups(element.get(column))
        for group, values in groups.items():
            title = tr(title_key or "inspector.quantities")
            fields = [
                Field(str(k), _ifc_value(k, v, quantities=title_key is None))
                for k, v in values.items()
            ]
            sections.append(Section(f"{title} — {group}" if group else title, fields))
    return sections


def find_row_in(city: City, layer: str, object_id: str) -> pd.Series | None:
    """The row of ``object_id`` in ``layer``, or None."""
    frame = city.layer(layer)
    if "id" not in frame:
        return None
    same = frame["id"].astype(str) == object_id  # Arrow text: compared without Python strings
    positions = np.flatnonzero(same.to_numpy(dtype=bool, na_value=False))
    return frame.iloc[int(positions[0])] if len(positions) else None


def _json_groups(text: Any) -> dict[str, dict[str, Any]]:
    """``{set: {name: value}}`` from a JSON column; a flat object becomes one unnamed set."""
    if not _present(text):
        return {}
    try:
        data = json.loads(str(text))
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    if all(isinstance(v, dict) for v in data.values()):
        return {str(k): v for k, v in data.items()}
    return {"": data}


def _ifc_value(name: Any, value: Any, *, quantities: bool) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    text = format_value(value)
    if quantities and isinstance(value, int | float) and not isinstance(value, bool):
        lowered = str(name).lower()
        unit = next((u for word, u in QUANTITY_UNITS if word in lowered), "")
        return f"{text} {_unit(unit)}" if unit else text
    return text
