"""Layer specifications: the data contract of every layer, with units.

A :class:`LayerSpec` declares a layer's level, geometry type and columns; each
:class:`ColumnSpec` has a dtype, a unit, an allowed range (or set of values) and a one-line
meaning. Specs are checked where data enters the City (importers, project loading), not on
every edit: :func:`conform` casts columns to their declared dtypes, adds missing optional
columns and raises :class:`~twin.errors.SpecError` saying which layer, which column and what to do.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from twin.errors import SpecError
from twin.levels import Level

#: dtypes a column may declare (pandas names). Integers are nullable: sources leave gaps.
DTYPES = ("str", "Int64", "float64", "boolean")

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
POINTS = ("Point", "MultiPoint")
PUNCTUAL = ("Point", "MultiPoint")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a layer.

    Attributes:
        name: column name (snake_case, unit suffix where a number could be misread: ``height_m``).
        dtype: one of :data:`DTYPES`.
        meaning: one line saying what the value is, for the inspector and the docs.
        unit: SI-style unit (``"m"``, ``"m2"``, ``"m3"``, ``"persons"``), empty when none.
        minimum, maximum: allowed range for numbers (inclusive); None for no bound.
        allowed: allowed values for strings; empty for any.
        required: a value must be present in every row.
    """

    name: str
    dtype: str
    meaning: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] = ()
    required: bool = False

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(
                f"Column '{self.name}': dtype must be one of {DTYPES}, not {self.dtype}"
            )


@dataclass(frozen=True, slots=True)
class LayerSpec:
    """The contract of one layer of the City.

    Attributes:
        name: layer name in the City and in the project file.
        title: a short human title (French), shown in the layers panel.
        level: the hierarchy level the rows belong to, or None for other layers.
        geometry_types: allowed geometry types; empty for a table without geometry.
        columns: the declared columns (``id`` and ``parent_id`` first for hierarchy layers).
        geometry_required: every row must have a geometry.
    """

    name: str
    title: str
    level: Level | None
    geometry_types: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    geometry_required: bool = True
    meaning: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name`` (KeyError if undeclared)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        """Declared column names, in order."""
        return [column.name for column in self.columns]

    def to_json(self) -> str:
        """Serialise the spec (stored in the project so custom layers round-trip)."""
        data = asdict(self)
        data["level"] = None if self.level is None else self.level.name
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> LayerSpec:
        """Rebuild a spec from :meth:`to_json`."""
        data = json.loads(text)
        columns = tuple(
            ColumnSpec(**{**column, "allowed": tuple(column.get("allowed", ()))})
            for column in data["columns"]
        )
        return cls(
            name=data["name"],
            title=data.get("title", data["name"]),
            level=None if data.get("level") is None else Level[data["level"]],
            geometry_types=tuple(data.get("geometry_types", ())),
            columns=columns,
            geometry_required=bool(data.get("geometry_required", True)),
            meaning=data.get("meaning", ""),
            extra=dict(data.get("extra", {})),
        )


def conform(frame: gpd.GeoDataFrame, spec: LayerSpec, *, source: str = "") -> gpd.GeoDataFrame:
    """Check ``frame`` against ``spec`` and return a copy with declared dtypes.

    Missing optional columns are added empty; extra columns are kept as they are (sources carry
    more than we declare, and the inspector shows them). The index is reset to a RangeIndex.

    Raises:
        SpecError: a required column is missing or empty, a value cannot be cast to its dtype,
            lies outside its range or set, ids are not unique, or a geometry has the wrong type.
    """
    where = f"layer '{spec.name}'" + (f" from {source}" if source else "")
    out = _distinct_names(frame.copy())
    out.index = pd.RangeIndex(len(out))
    for column in spec.columns:
        if column.name not in out.columns:
            if column.required:
                raise SpecError(
                    f"{where}: required column '{column.name}' ({column.meaning}) is missing; "
                    "map a source column onto it (see `twin import --help`).",
                    code="spec_column_missing",
                    values={"layer": spec.name, "column": column.name},
                )
            out[column.name] = _empty(column.dtype, len(out))
            continue
        out[column.name] = _cast(out[column.name], column, where)
        _check_values(out, column, where)
    if "id" in spec.column_names and len(out):
        duplicated = out["id"][out["id"].duplicated()]
        if len(duplicated):
            raise SpecError(
                f"{where}: {len(duplicated)} duplicate id(s), e.g. {duplicated.iloc[0]!r}; "
                "ids must be unique: fix the source or let the importer number the rows.",
                code="spec_duplicate_ids",
                values={
                    "layer": spec.name,
                    "count": len(duplicated),
                    "example": str(duplicated.iloc[0]),
                },
            )
    if spec.geometry_types:
        _check_geometry(out, spec, where)
    return _ordered(out, spec)


def _ordered(frame: gpd.GeoDataFrame, spec: LayerSpec) -> gpd.GeoDataFrame:
    """Declared columns first in spec order, then the source's extra columns, geometry last."""
    geometry = frame.active_geometry_name if isinstance(frame, gpd.GeoDataFrame) else None
    declared = spec.column_names
    extra = [c for c in frame.columns if c not in declared and c != geometry]
    for column in extra:  # text read back from a file is "str": make sources agree
        if frame[column].dtype == object and frame[column].map(_is_text_or_missing).all():
            frame[column] = frame[column].astype("str")
    order = declared + extra + ([geometry] if geometry in frame.columns else [])
    return frame[order]


def _distinct_names(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rename columns whose names differ only in case (a GeoPackage cannot hold both)."""
    seen: set[str] = set()
    renames: dict[str, str] = {}
    for column in frame.columns:
        key = str(column).casefold()
        if key in seen:
            number = 2
            while f"{key}_{number}" in seen:
                number += 1
            renames[column] = f"{column}_{number}"
            key = f"{key}_{number}"
        seen.add(key)
    return frame.rename(columns=renames) if renames else frame


def _empty(dtype: str, n: int) -> pd.Series:
    return pd.Series(pd.array([None] * n, dtype=_pandas_dtype(dtype)))


def _pandas_dtype(dtype: str) -> Any:
    return dtype


def _cast(values: pd.Series, column: ColumnSpec, where: str) -> pd.Series:
    try:
        if column.dtype == "str":
            return values.astype("str")
        if column.dtype == "Int64":
            numeric = pd.to_numeric(values, errors="raise")
            as_float = np.asarray(numeric, dtype="float64")
            finite = np.isfinite(as_float)
            if np.any(finite & (np.floor(as_float) != as_float)):
                raise ValueError("non-integer values")
            return pd.Series(numeric, index=values.index).astype("Int64")
        if column.dtype == "float64":
            return pd.to_numeric(values, errors="raise").astype("float64")
        if column.dtype == "boolean":
            return values.astype("boolean")
    except (ValueError, TypeError) as exc:
        raise SpecError(
            f"{where}: column '{column.name}' must hold {column.dtype} values ({exc}); "
            "check the column mapping or clean the source.",
            code="spec_dtype",
            values={
                "layer": _layer_of(where),
                "column": column.name,
                "dtype": column.dtype,
                "detail": str(exc),
            },
        ) from exc
    raise AssertionError(column.dtype)  # pragma: no cover - guarded by ColumnSpec


def _check_values(frame: pd.DataFrame, column: ColumnSpec, where: str) -> None:
    values = frame[column.name]
    missing = values.isna()
    if column.required and missing.any():
        raise SpecError(
            f"{where}: column '{column.name}' is empty in {int(missing.sum())} row(s); "
            "it is required: fill it in the source or map another column onto it.",
            code="spec_column_empty",
            values={"layer": _layer_of(where), "column": column.name, "count": int(missing.sum())},
        )
    present = values[~missing]
    if not len(present):
        return
    bad = pd.Series(False, index=present.index)
    if column.minimum is not None:
        bad |= present.astype("float64") < column.minimum
    if column.maximum is not None:
        bad |= present.astype("float64") > column.maximum
    if column.allowed:
        bad |= ~present.isin(column.allowed)
    if bad.any():
        first = present[bad].iloc[0]
        first = first.item() if isinstance(first, np.generic) else first  # 1500.0, not np.float64
        row_id = frame.loc[bad[bad].index[0], "id"] if "id" in frame.columns else bad[bad].index[0]
        allowed = (
            f"one of {', '.join(column.allowed)}"
            if column.allowed
            else _range_text(column.minimum, column.maximum, column.unit)
        )
        raise SpecError(
            f"{where}: {int(bad.sum())} value(s) of '{column.name}' outside the allowed range "
            f"(e.g. {first!r} for row '{row_id}'; expected {allowed}); correct the source "
            "or the column mapping.",
            code="spec_out_of_range",
            values={
                "layer": _layer_of(where),
                "column": column.name,
                "count": int(bad.sum()),
                "example": str(first),
                "row": str(row_id),
                "allowed": allowed,
            },
        )


def _layer_of(where: str) -> str:
    """The layer name in a ``where`` ("layer 'buildings' from a.gpkg" → "buildings")."""
    match = re.match(r"layer '([^']*)'", where)
    return match.group(1) if match else where


def _is_text_or_missing(value: object) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, float) and value != value)


def _range_text(minimum: float | None, maximum: float | None, unit: str) -> str:
    low = "-∞" if minimum is None or math.isinf(minimum) else f"{minimum:g}"
    high = "+∞" if maximum is None or math.isinf(maximum) else f"{maximum:g}"
    return f"{low} to {high} {unit}".strip()


def _check_geometry(frame: gpd.GeoDataFrame, spec: LayerSpec, where: str) -> None:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
        if spec.geometry_required:
            raise SpecError(
                f"{where}: the layer has no geometry; it needs {spec.geometry_types}.",
                code="spec_no_geometry",
                values={"layer": spec.name, "geometries": list(spec.geometry_types)},
            )
        return
    geometry = frame.geometry
    empty = geometry.isna() | geometry.is_empty
    if spec.geometry_required and empty.any():
        raise SpecError(
            f"{where}: {int(empty.sum())} row(s) without geometry; "
            "remove them or repair the geometries in the source.",
            code="spec_rows_without_geometry",
            values={"layer": spec.name, "count": int(empty.sum())},
        )
    kinds = geometry[~empty].geom_type
    wrong = ~kinds.isin(spec.geometry_types)
    if wrong.any():
        raise SpecError(
            f"{where}: {int(wrong.sum())} geometrie(s) of type {kinds[wrong].iloc[0]}, "
            f"expected {' or '.join(spec.geometry_types)}; import the right layer of the source.",
            code="spec_geometry_type",
            values={
                "layer": spec.name,
                "count": int(wrong.sum()),
                "geometry": str(kinds[wrong].iloc[0]),
                "geometries": list(spec.geometry_types),
            },
        )


def common_columns(parent_meaning: str) -> Sequence[ColumnSpec]:
    """The ``id``, ``parent_id`` and ``name`` columns every hierarchy layer starts with."""
    return (
        ColumnSpec(
            "id", "str", "stable identifier (INSEE or Etalab code where one exists)", required=True
        ),
        ColumnSpec("parent_id", "str", f"id of the parent: {parent_meaning}"),
        ColumnSpec("name", "str", "name shown to the user"),
    )
