"""The City: named layers of columns in one projected CRS, with a hierarchy and events.

A City holds GeoDataFrames (never one Python object per building), each declared by a
:class:`~twin.spec.LayerSpec`. It keeps the project CRS (metres; Lambert-93 by default), a local
origin for float32 meshes, metadata, provenance of every import, source files stored inside
(IFC models) and the territory → room :class:`~twin.hierarchy.HierarchyIndex`.

Changes go through :meth:`City.set_layer`, :meth:`City.update_values`, :meth:`City.append_rows`
and :meth:`City.drop_rows`, which emit ``changed(layer, ids, columns)`` (psygnal, no Qt): the
app and the indicator caches subscribe to it; nothing polls.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from psygnal import Signal
from pyproj import CRS
from pyproj.exceptions import CRSError

from twin.catalogue import standard_spec
from twin.errors import CrsError, SpecError, UnknownLayerError
from twin.hierarchy import HierarchyIndex
from twin.levels import LEVEL_LAYERS, Level
from twin.mesh import MeshStore
from twin.provenance import ProvenanceRecord, StoredFile
from twin.raster import Raster
from twin.spec import LayerSpec, conform

logger = logging.getLogger(__name__)

DEFAULT_CRS = "EPSG:2154"
ALL_COLUMNS: tuple[str, ...] = ()  # ``columns`` value of a change that touches whole rows


def parse_crs(text: str | CRS) -> CRS:
    """Read a CRS given as ``EPSG:2154``, ``2154`` or WKT, and require a projected one in metres.

    Raises:
        CrsError: unknown CRS, or one that is geographic (degrees) or not in metres.
    """
    try:
        crs = (
            text
            if isinstance(text, CRS)
            else CRS.from_user_input(f"EPSG:{text}" if str(text).strip().isdigit() else text)
        )
    except CRSError as exc:
        raise CrsError(
            f"unknown coordinate reference system '{text}'; give an EPSG code such as "
            "EPSG:2154 (Lambert-93) or EPSG:3944 (CC44)."
        ) from exc
    if not crs.is_projected:
        raise CrsError(
            f"{crs.name} ({text}) is not a projected CRS in metres; a project needs one, such as "
            "EPSG:2154 (Lambert-93)."
        )
    unit = crs.axis_info[0].unit_name if crs.axis_info else "metre"
    if unit not in ("metre", "meter"):
        raise CrsError(f"{crs.name} ({text}) is in {unit}, not metres; choose a CRS in metres.")
    return crs


class City:
    """A town or a territory as named layers of columns.

    Args:
        crs: the project CRS (projected, metres).
        name: the project's name, shown in titles and reports.
    """

    changed = Signal(str, tuple, tuple)
    """Emitted as ``changed(layer, ids, columns)`` after every change; ``ids`` and ``columns``
    are empty tuples when a whole layer was replaced."""

    def __init__(self, crs: str | CRS = DEFAULT_CRS, name: str = "") -> None:
        self.crs: CRS = parse_crs(crs)
        self.name = name
        self.metadata: dict[str, Any] = {}
        self.provenance: list[ProvenanceRecord] = []
        self.files: dict[str, StoredFile] = {}
        self.scenarios: dict[str, dict[str, Any]] = {}
        self.origin: tuple[float, float, float] | None = None
        self.rasters: dict[str, Raster] = {}
        self.meshes: dict[str, MeshStore] = {}
        self._layers: dict[str, gpd.GeoDataFrame] = {}
        self._specs: dict[str, LayerSpec] = {}
        self._hierarchy: HierarchyIndex | None = None

    # -- layers ------------------------------------------------------------------------------
    @property
    def layer_names(self) -> list[str]:
        """Names of the layers, hierarchy layers first in level order, then the others."""
        ordered = [name for name in LEVEL_LAYERS.values() if name in self._layers]
        return ordered + sorted(name for name in self._layers if name not in ordered)

    def __contains__(self, name: object) -> bool:
        return name in self._layers

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """The GeoDataFrame of a layer (do not modify it in place: use the change methods)."""
        try:
            return self._layers[name]
        except KeyError:
            known = ", ".join(self.layer_names) or "none yet"
            raise UnknownLayerError(
                f"the project has no layer '{name}' (its layers: {known}); import data first."
            ) from None

    def spec(self, name: str) -> LayerSpec:
        """The spec of a layer."""
        self.layer(name)
        return self._specs[name]

    def set_layer(
        self, name: str, frame: gpd.GeoDataFrame, spec: LayerSpec | None = None, *, source: str = ""
    ) -> None:
        """Add or replace a whole layer, checking it against its spec.

        The spec defaults to the standard one for the name (see :mod:`twin.catalogue`).

        Raises:
            SpecError: no spec for a non-standard layer name, or the data breaks the spec.
            CrsError: the frame is in another CRS than the project.
        """
        spec = spec or self._specs.get(name) or standard_spec(name)
        if spec is None:
            raise SpecError(
                f"layer '{name}' has no specification; declare a LayerSpec for it "
                "(see twin/catalogue.py)."
            )
        if spec.name != name:
            raise SpecError(f"spec '{spec.name}' was given for layer '{name}'.")
        frame = self._in_project_crs(frame, name, source)
        conformed = conform(frame, spec, source=source)
        self._layers[name] = conformed
        self._specs[name] = spec
        self._after_change(name, (), ALL_COLUMNS)

    def append_rows(self, name: str, rows: gpd.GeoDataFrame, *, source: str = "") -> list[str]:
        """Append rows to a layer (creating it if needed) and return their ids.

        Raises:
            SpecError: the rows break the spec, or an id already exists in the layer.
        """
        if name not in self._layers:
            self.set_layer(name, rows, source=source)
            return [str(i) for i in self._layers[name]["id"]] if "id" in rows.columns else []
        rows = self._in_project_crs(rows, name, source)
        existing = {str(column).casefold(): column for column in self._layers[name].columns}
        rows = rows.rename(  # "NATURE" from a shapefile joins "nature" from a GeoPackage
            columns={
                column: existing[str(column).casefold()]
                for column in rows.columns
                if str(column).casefold() in existing and existing[str(column).casefold()] != column
            }
        )
        current = self._layers[name]
        combined = pd.concat([current, rows], ignore_index=True)
        if isinstance(current, gpd.GeoDataFrame) and current.active_geometry_name is not None:
            combined = gpd.GeoDataFrame(
                combined, geometry=current.active_geometry_name, crs=self.crs
            )
        self._layers[name] = conform(combined, self._specs[name], source=source)
        ids = [str(i) for i in rows["id"]] if "id" in rows.columns else []
        self._after_change(name, tuple(ids), ALL_COLUMNS)
        return ids

    def update_values(self, name: str, ids: Sequence[str], values: Mapping[str, Any]) -> None:
        """Set column values for the rows with the given ids (scalars or aligned sequences).

        Raises:
            KeyError: an id is not in the layer.
            SpecError: a value breaks the column's spec.
        """
        frame = self.layer(name)
        positions = pd.Index(frame["id"]).get_indexer(list(ids))
        if (positions < 0).any():
            missing = [i for i, p in zip(ids, positions, strict=True) if p < 0][:3]
            raise KeyError(f"layer '{name}' has no row with id {missing}")
        updated = frame.copy()
        for column, value in values.items():
            if column == updated.geometry.name:
                updated.loc[positions, column] = gpd.GeoSeries(value, crs=self.crs).values
                continue
            if column not in updated.columns:
                updated[column] = None
            column_values = updated[column].astype(object).to_numpy(copy=True)
            column_values[positions] = value
            updated[column] = column_values
        self._layers[name] = conform(updated, self._specs[name], source="edit")
        self._after_change(name, tuple(str(i) for i in ids), tuple(values))

    def drop_rows(self, name: str, ids: Iterable[str]) -> None:
        """Remove the rows with the given ids (unknown ids are ignored)."""
        ids = [str(i) for i in ids]
        frame = self.layer(name)
        keep = ~frame["id"].isin(ids)
        self._layers[name] = frame[keep].reset_index(drop=True)
        self._after_change(name, tuple(ids), ALL_COLUMNS)

    def remove_layer(self, name: str) -> None:
        """Remove a whole layer."""
        self.layer(name)
        del self._layers[name]
        del self._specs[name]
        self._after_change(name, (), ALL_COLUMNS)

    def set_raster(self, raster: Raster) -> None:
        """Add or replace a raster (the terrain DEM is named ``"terrain"``).

        Raises:
            CrsError: the raster is in another CRS than the project.
        """
        if not CRS(raster.crs).equals(self.crs):
            raise CrsError(
                f"raster '{raster.name}' is in {raster.crs.name}, the project in {self.crs.name}; "
                "reproject it first (the DEM importer does this for you)."
            )
        self.rasters[raster.name] = raster
        self._after_change(raster.name, (), ALL_COLUMNS)

    def set_meshes(self, name: str, store: MeshStore) -> None:
        """Add or replace a set of detailed meshes (IFC elements: ``"ifc"``), kept relative to
        the City's local origin."""
        self.meshes[name] = store.rebased(self.ensure_origin())
        self._after_change(name, (), ALL_COLUMNS)

    # -- hierarchy --------------------------------------------------------------------------
    @property
    def hierarchy(self) -> HierarchyIndex:
        """The territory → room index, rebuilt lazily after changes of hierarchy layers."""
        if self._hierarchy is None:
            frames = {
                level: self._layers[name]
                for level, name in LEVEL_LAYERS.items()
                if name in self._layers
            }
            self._hierarchy = HierarchyIndex.from_frames(frames)
        return self._hierarchy

    # -- geometry helpers -------------------------------------------------------------------
    def extent(self) -> tuple[float, float, float, float] | None:
        """(minx, miny, maxx, maxy) over all layers with geometry, in the project CRS."""
        bounds = [
            frame.total_bounds
            for frame in self._layers.values()
            if isinstance(frame, gpd.GeoDataFrame) and len(frame) and frame.geometry.notna().any()
        ]
        bounds += [np.array(raster.bounds) for raster in self.rasters.values()]
        bounds = [b for b in bounds if np.all(np.isfinite(b))]
        if not bounds:
            return None
        stacked = np.vstack(bounds)
        return (
            float(stacked[:, 0].min()),
            float(stacked[:, 1].min()),
            float(stacked[:, 2].max()),
            float(stacked[:, 3].max()),
        )

    def ensure_origin(self) -> tuple[float, float, float]:
        """The local origin for meshes: set once from the data, rounded to 100 m, then kept."""
        if self.origin is None:
            extent = self.extent()
            if extent is None:
                return (0.0, 0.0, 0.0)
            self.origin = (
                math.floor(extent[0] / 100.0) * 100.0,
                math.floor(extent[1] / 100.0) * 100.0,
                0.0,
            )
        return self.origin

    # -- internals --------------------------------------------------------------------------
    def _in_project_crs(self, frame: gpd.GeoDataFrame, name: str, source: str) -> gpd.GeoDataFrame:
        if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
            return frame
        if frame.crs is None:
            return frame.set_crs(self.crs)
        if not CRS(frame.crs).equals(self.crs):
            raise CrsError(
                f"layer '{name}'{' from ' + source if source else ''} is in {frame.crs.name}, the "
                f"project in {self.crs.name}; reproject it first (importers do this for you)."
            )
        return frame

    def _after_change(self, name: str, ids: tuple[str, ...], columns: tuple[str, ...]) -> None:
        if name in LEVEL_LAYERS.values() and (
            not columns or "id" in columns or "parent_id" in columns
        ):
            self._hierarchy = None
        logger.debug("layer %s changed: %d ids, columns %s", name, len(ids), columns)
        self.changed.emit(name, ids, columns)


def hierarchy_layer_name(level: Level) -> str:
    """Name of the layer that holds a level's rows."""
    return LEVEL_LAYERS[level]
