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

import copy as copy_module
import logging
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
from psygnal import Signal
from pyproj import CRS
from pyproj.exceptions import CRSError

from twin.catalogue import standard_spec
from twin.errors import CrsError, SpecError, UnknownLayerError
from twin.hierarchy import HierarchyIndex
from twin.hierarchy_patch import patched_hierarchy
from twin.layer_changes import row_positions, with_rows, with_values
from twin.levels import LEVEL_LAYERS, Level, level_of_layer
from twin.mesh import MeshStore
from twin.provenance import ProvenanceRecord, StoredFile
from twin.raster import Raster
from twin.row_steps import RowSteps
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
            "EPSG:2154 (Lambert-93) or EPSG:3944 (CC44).",
            code="crs_unknown",
            values={"crs": str(text)},
        ) from exc
    if not crs.is_projected:
        raise CrsError(
            f"{crs.name} ({text}) is not a projected CRS in metres; a project needs one, such as "
            "EPSG:2154 (Lambert-93).",
            code="crs_not_projected",
            values={"name": crs.name, "crs": str(text)},
        )
    unit = crs.axis_info[0].unit_name if crs.axis_info else "metre"
    if unit not in ("metre", "meter"):
        raise CrsError(
            f"{crs.name} ({text}) is in {unit}, not metres; choose a CRS in metres.",
            code="crs_not_metres",
            values={"name": crs.name, "crs": str(text), "unit": unit},
        )
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
        self._held_events: list[tuple[str, tuple[str, ...], tuple[str, ...]]] | None = None
        self._row_steps = RowSteps()

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
                f"the project has no layer '{name}' (its layers: {known}); import data first.",
                code="layer_unknown",
                values={"layer": name, "layers": self.layer_names},
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
                "(see twin/catalogue.py).",
                code="layer_no_spec",
                values={"layer": name},
            )
        if spec.name != name:
            raise SpecError(
                f"spec '{spec.name}' was given for layer '{name}'.",
                code="layer_spec_mismatch",
                values={"layer": name, "spec_layer": spec.name},
            )
        frame = self._in_project_crs(frame, name, source)
        conformed = conform(frame, spec, source=source)
        self._layers[name] = conformed
        self._specs[name] = spec
        self._row_steps.forget(name)
        self._after_change(name, (), ALL_COLUMNS)

    def append_rows(self, name: str, rows: gpd.GeoDataFrame, *, source: str = "") -> list[str]:
        """Append rows to a layer (creating it if needed) and return their ids.

        Only the new rows are checked against the spec (and their ids against the layer's).

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
        combined = with_rows(current, rows, self._specs[name], self.crs, source, conform)
        added = np.full(len(combined) - len(current), -1, dtype=np.int64)
        self._replace_rows(name, combined, np.concatenate([np.arange(len(current)), added]))
        ids = [str(i) for i in rows["id"]] if "id" in rows.columns else []
        self._after_change(name, tuple(ids), ALL_COLUMNS)
        return ids

    def update_values(self, name: str, ids: Sequence[str], values: Mapping[str, Any]) -> None:
        """Set column values for the rows with the given ids (scalars or aligned sequences).

        Only the values set are cast and checked; the new frame shares the other columns with
        the old one (copy-on-write: the old frame, kept by undo, never changes).

        Raises:
            KeyError: an id is not in the layer.
            SpecError: a value breaks the column's spec.
        """
        frame = self.layer(name)
        ids = list(ids)
        positions = row_positions(frame, ids)
        if (positions < 0).any():
            missing = [i for i, p in zip(ids, positions, strict=True) if p < 0][:3]
            raise KeyError(f"layer '{name}' has no row with id {missing}")
        updated = with_values(frame, self._specs[name], positions, values, self.crs, conform)
        self._layers[name] = updated
        links = "id" in values or "parent_id" in values
        self._row_steps.record(name, frame, updated, None, links=links)
        self._after_change(name, tuple(str(i) for i in ids), tuple(values))

    def drop_rows(self, name: str, ids: Iterable[str]) -> None:
        """Remove the rows with the given ids (unknown ids are ignored)."""
        ids = [str(i) for i in ids]
        frame = self.layer(name)
        kept = np.flatnonzero(~frame["id"].isin(ids).to_numpy(dtype=bool))
        self._replace_rows(name, frame.take(kept).reset_index(drop=True), kept)
        self._after_change(name, tuple(ids), ALL_COLUMNS)

    def remove_layer(self, name: str) -> None:
        """Remove a whole layer."""
        self.layer(name)
        del self._layers[name]
        del self._specs[name]
        self._row_steps.forget(name)
        self._after_change(name, (), ALL_COLUMNS)

    def set_raster(self, raster: Raster) -> None:
        """Add or replace a raster (the terrain DEM is named ``"terrain"``).

        Raises:
            CrsError: the raster is in another CRS than the project.
        """
        if not CRS(raster.crs).equals(self.crs):
            raise CrsError(
                f"raster '{raster.name}' is in {raster.crs.name}, the project in {self.crs.name}; "
                "reproject it first (the DEM importer does this for you).",
                code="raster_crs_differs",
                values={
                    "layer": raster.name,
                    "crs": raster.crs.name,
                    "project_crs": self.crs.name,
                },
            )
        self.rasters[raster.name] = raster
        self._after_change(raster.name, (), ALL_COLUMNS)

    def set_meshes(self, name: str, store: MeshStore) -> None:
        """Add or replace a set of detailed meshes (IFC elements: ``"ifc"``), kept relative to
        the City's local origin."""
        self.meshes[name] = store.rebased(self.ensure_origin())
        self._after_change(name, (), ALL_COLUMNS)

    def copy(self, *, share_layers: bool = False) -> City:
        """An independent copy for reading elsewhere (an autosave in a worker thread).

        Layers are copied (``GeoDataFrame.copy()``: new columns; the shapely geometries, which
        are immutable, are shared), and so are metadata, provenance, scenarios and the dicts of
        files, rasters and meshes; the rasters, meshes and stored files themselves are frozen
        and shared. The copy has no subscribers: its ``changed`` signal is its own, and edits
        of either City never reach the other. About 12 ms for 100 000 buildings.

        With ``share_layers=True`` the copy holds the very same frames (copy-on-write at frame
        level, what scenarios use): every change method stores a new frame instead of modifying
        one, so a change to either City replaces its own frame and leaves the other's alone,
        and unchanged layers stay shared (caches keyed by frame identity keep hitting). The
        cost no longer grows with the data; never modify such a frame in place.

        Example:
            >>> city = City(name="Valmont")
            >>> twin = city.copy()
            >>> twin.name = "Autre"
            >>> city.name, twin.crs == city.crs
            ('Valmont', True)
        """
        other = City(self.crs, name=self.name)
        other.metadata = copy_module.deepcopy(self.metadata)
        other.provenance = list(self.provenance)
        other.files = dict(self.files)
        other.scenarios = copy_module.deepcopy(self.scenarios)
        other.origin = self.origin
        other.rasters = dict(self.rasters)
        other.meshes = dict(self.meshes)
        other._layers = (
            dict(self._layers)
            if share_layers
            else {name: frame.copy() for name, frame in self._layers.items()}
        )
        other._specs = dict(self._specs)
        return other

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

    # -- all or nothing ---------------------------------------------------------------------
    def snapshot(self) -> CityState:
        """What the City holds now, by reference (cheap: no layer is copied).

        Layers, rasters and meshes are never modified in place (every change method stores a
        new frame or object), so keeping the references is enough to put them back.
        """
        return CityState(
            name=self.name,
            metadata=copy_module.deepcopy(self.metadata),
            provenance=tuple(self.provenance),
            files=dict(self.files),
            scenarios=copy_module.deepcopy(self.scenarios),
            origin=self.origin,
            rasters=dict(self.rasters),
            meshes=dict(self.meshes),
            layers=dict(self._layers),
            specs=dict(self._specs),
        )

    def restore(
        self,
        state: CityState,
        *,
        events: Sequence[tuple[str, tuple[str, ...], tuple[str, ...]]] | None = None,
    ) -> None:
        """Put back what :meth:`snapshot` saw; ``changed`` is emitted for every layer, raster
        or mesh set that differs (inside :meth:`transaction`, those events are dropped).

        ``events``, when given, are emitted instead, as ``(layer, ids, columns)``: an undo
        knows which rows and columns it puts back, so listeners need not redo whole layers.
        """
        differing = [
            name
            for now, then in (
                (self._layers, state.layers),
                (self.rasters, state.rasters),
                (self.meshes, state.meshes),
            )
            for name in dict.fromkeys([*now, *then])
            if now.get(name) is not then.get(name)
        ]
        self.name = state.name
        self.metadata = copy_module.deepcopy(state.metadata)
        self.provenance = list(state.provenance)
        self.files = dict(state.files)
        self.scenarios = copy_module.deepcopy(state.scenarios)
        self.origin = state.origin
        self.rasters = dict(state.rasters)
        self.meshes = dict(state.meshes)
        layers_before = self._layers
        self._layers = dict(state.layers)
        self._specs = dict(state.specs)
        self._restore_rows(layers_before, [n for n in differing if n in LEVEL_LAYERS.values()])
        if events is None:
            events = [(name, (), ALL_COLUMNS) for name in differing]
        for name, ids, columns in events:
            self._after_change(name, tuple(ids), tuple(columns), hierarchy_kept=True)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Changes made inside are kept all together or not at all.

        ``changed`` events are held back until the outermost transaction succeeds, then
        emitted in order. If anything raises inside (a spec error, a cancel, ``MemoryError``,
        Ctrl+C), the City is put back exactly as it was, the held events are dropped (no
        listener saw the half-made state) and the exception goes on.

        Example:
            >>> city = City()
            >>> try:
            ...     with city.transaction():
            ...         city.name = "Valmont"
            ...         city.metadata["note"] = "half done"
            ...         raise RuntimeError("boom")
            ... except RuntimeError:
            ...     pass
            >>> city.name, city.metadata
            ('', {})
        """
        state = self.snapshot()
        outermost = self._held_events is None
        if outermost:
            self._held_events = []
        held = self._held_events
        assert held is not None
        start = len(held)
        try:
            yield
        except BaseException:
            self.restore(state)
            del held[start:]
            if outermost:
                self._held_events = None
            raise
        if outermost:
            self._held_events = None
            for event in held:
                self.changed.emit(*event)

    # -- internals --------------------------------------------------------------------------
    def _in_project_crs(self, frame: gpd.GeoDataFrame, name: str, source: str) -> gpd.GeoDataFrame:
        if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
            return frame
        if frame.crs is None:
            return frame.set_crs(self.crs)
        if not CRS(frame.crs).equals(self.crs):
            raise CrsError(
                f"layer '{name}'{' from ' + source if source else ''} is in {frame.crs.name}, the "
                f"project in {self.crs.name}; reproject it first (importers do this for you).",
                code="layer_crs_differs_from" if source else "layer_crs_differs",
                values={"layer": name, "crs": frame.crs.name, "project_crs": self.crs.name}
                | ({"source": source} if source else {}),
            )
        return frame

    def row_source(self, name: str, since: object) -> np.ndarray | None:
        """For each row of layer ``name`` now, its row in ``since``, an earlier frame of the
        layer (-1: a row added since); None when that is not known (the layer was replaced
        whole, or ``since`` is too old). Caches use it to keep what an edit did not touch.
        """
        return self._row_steps.source(name, since, self._layers.get(name))

    def _replace_rows(self, name: str, frame: gpd.GeoDataFrame, source: np.ndarray) -> None:
        """Store a layer's new frame whose rows came from the old one's (``source``: the old
        row of each new row, -1 for an added row), and move the hierarchy index along."""
        before = self._layers[name]
        self._layers[name] = frame
        self._row_steps.record(name, before, frame, source)
        level = level_of_layer(name)
        if level is not None and self._hierarchy is not None:
            self._hierarchy = patched_hierarchy(self._hierarchy, level, source, frame)

    def _restore_rows(self, before: dict[str, gpd.GeoDataFrame], names: list[str]) -> None:
        """After a restore: note how the frames put back relate to those they replace, and move
        the hierarchy index along when each hierarchy layer put back (``names``) is related."""
        hierarchy = self._hierarchy
        for name in dict.fromkeys([*before, *self._layers]):
            old, new = before.get(name), self._layers.get(name)
            if old is new:
                continue
            source = None if old is None or new is None else self._row_steps.between(name, old, new)
            if source is None:
                self._row_steps.forget(name)
                hierarchy = None if name in names else hierarchy
                continue
            self._row_steps.record(name, old, new, source)
            level = level_of_layer(name)
            if name in names and level is not None and hierarchy is not None:
                hierarchy = patched_hierarchy(hierarchy, level, source, new)
        self._hierarchy = hierarchy

    def _after_change(
        self,
        name: str,
        ids: tuple[str, ...],
        columns: tuple[str, ...],
        *,
        hierarchy_kept: bool = False,
    ) -> None:
        rows_moved = not columns and bool(ids) and name in self._layers
        if (
            name in LEVEL_LAYERS.values()
            and not hierarchy_kept
            and ((not columns and not rows_moved) or "id" in columns or "parent_id" in columns)
        ):
            self._hierarchy = None
        logger.debug("layer %s changed: %d ids, columns %s", name, len(ids), columns)
        if self._held_events is not None:  # inside a transaction: emitted once it succeeds
            self._held_events.append((name, ids, columns))
            return
        self.changed.emit(name, ids, columns)


@dataclass(frozen=True)
class CityState:
    """References to everything a City holds, taken by :meth:`City.snapshot`."""

    name: str
    metadata: dict[str, Any]
    provenance: tuple[ProvenanceRecord, ...]
    files: dict[str, StoredFile]
    scenarios: dict[str, dict[str, Any]]
    origin: tuple[float, float, float] | None
    rasters: dict[str, Raster]
    meshes: dict[str, MeshStore]
    layers: dict[str, gpd.GeoDataFrame]
    specs: dict[str, LayerSpec]


def hierarchy_layer_name(level: Level) -> str:
    """Name of the layer that holds a level's rows."""
    return LEVEL_LAYERS[level]
