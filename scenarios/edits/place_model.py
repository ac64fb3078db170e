"""Place a model: a building model (IFC) stored in the project, put somewhere as a new building.

The file is one of the project's stored files (``City.files``: imported with the model, or
added with ``twin scenario add-file``), so a scenario names it and stays small, and the project
stays self-contained. The edit reads it with the reader a composition root registered for its
suffix (:mod:`scenarios.edits.model_readers`; scenarios/ never imports importers/), its origin
at (``x``, ``y``) turned ``rotation_deg``, then adds:

- its buildings, with ``source`` ``scenario``, ``height_source`` ``ifc``, floors, height and
  floor area from the model, the parcel under each as parent (else the district), dwellings
  and people for their housing share as :mod:`scenarios.edits.housing` counts them;
- its storeys, rooms and IFC elements, and its meshes to the City's mesh sets (``"ifc"``).

Altitude: the model's zero lands at ``z``; without ``z``, at the lowest ground under its
footprints (the ``terrain`` raster), so ``base_elevation_m`` is that ground plus the model's
own lowest point (the underside of its ground slab, often a little below its zero); without
terrain it stays unknown.

Ids are the model's GlobalIds. When one of them is already in the City (the model placed a
second time, or imported in the baseline), every id of the model gets the prefix ``copy2:``
(``copy3:`` ... the first free one), in its rows, their links and its mesh objects; the
``ifc_global_id`` columns keep the GlobalIds. ``replace_ids`` demolishes buildings first (with
their storeys, rooms, elements and meshes); the model may not overlap the others.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from scenarios.assumptions import Assumptions
from scenarios.edits.base import Edit, assumptions_or_default, register_edit
from scenarios.edits.buildings import demolish
from scenarios.edits.checks import check_near_data, overlapping_buildings, refuse
from scenarios.edits.housing import (
    dwellings_for,
    floors_of,
    gross_floor_area_m2,
    residential_shares,
)
from scenarios.edits.model_readers import ModelParts, ModelReader, Placement, model_reader_for
from scenarios.edits.new_building import PLAUSIBLE_GROUND_M, SOURCE, _lowest_ground_m, _parent_of
from twin.city import City
from twin.errors import CancelledError, InvalidInputError, TwinError
from twin.issues import Severity
from twin.levels import LEVEL_LAYERS
from twin.mesh import MeshStore
from twin.provenance import StoredFile

logger = logging.getLogger(__name__)

#: The layers a model brings, in the order they are added (parents first).
MODEL_LAYERS = ("buildings", "storeys", "spaces", "ifc_elements")
#: Columns naming ids of the model's own rows (renamed together when the ids are prefixed).
ID_COLUMNS = ("id", "parent_id", "building_id")
COPY_PREFIX = "copy"


@register_edit
@dataclasses.dataclass(frozen=True)
class PlaceModel(Edit):
    """A building model stored in the project, placed as a new building.

    Attributes:
        file_name: the stored file (``mairie.ifc``), as ``twin info`` lists it.
        x, y: where the model's origin lands, in the project CRS (m).
        z: the altitude of the model's zero (m); None: the lowest ground under it.
        rotation_deg: counter-clockwise from grid east to the model's x axis.
        name: a name for the new building (empty: the model's).
        replace_ids: buildings demolished first, whose place the model takes.
    """

    kind = "place_model"
    file_name: str
    x: float
    y: float
    z: float | None = None
    rotation_deg: float = 0.0
    name: str = ""
    replace_ids: tuple[str, ...] = ()

    def check(self) -> None:
        if not self.file_name.strip():
            raise refuse(
                "field_empty",
                "place_model: field 'file_name' is empty; name a file stored in the project "
                "(`twin scenario add-file PROJECT FILE.ifc` stores one).",
                edit=self.kind,
                field="file_name",
            )
        low, high = PLAUSIBLE_GROUND_M
        if self.z is not None and not low <= self.z <= high:
            raise refuse(
                "field_range",
                f"place_model: field 'z' is {self.z:g}; give an altitude in metres "
                f"({low:g} to {high:g}), or leave it out to stand on the terrain.",
                edit=self.kind,
                field="z",
                value=self.z,
                low=low,
                high=high,
            )

    def run(self, city: City, assumptions: Assumptions) -> None:
        place_model(city, self, assumptions=assumptions)

    def summary(self) -> str:
        turned = f", turned {self.rotation_deg:g} deg" if self.rotation_deg else ""
        replacing = f", replacing {len(self.replace_ids)} building(s)" if self.replace_ids else ""
        where = f"({self.x:.1f}, {self.y:.1f})"
        return f"place the model {self.file_name} at {where}{turned}{replacing}"


def place_model(city: City, edit: PlaceModel, *, assumptions: Assumptions | None = None) -> None:
    """Add the model ``edit`` places (see the module's documentation), all or nothing.

    Raises:
        InvalidInputError: the file is not stored in the project, no reader is registered for
            it, it cannot be read or holds no building, the place is far from the data, a
            building to replace is unknown, or the model overlaps a building it does not
            replace.
    """
    assumptions = assumptions_or_default(assumptions)
    stored = stored_file(city, edit.file_name)
    reader = model_reader_for(edit.file_name)
    check_near_data(city, Point(edit.x, edit.y), "the model's place (fields 'x' and 'y')")
    z = 0.0 if edit.z is None else edit.z
    parts = _read(reader, stored, city, Placement(edit.x, edit.y, z, edit.rotation_deg))
    layers = {
        name: parts.layers[name]
        for name in MODEL_LAYERS
        if name in parts.layers and len(parts.layers[name])
    }
    if "buildings" not in layers:
        raise refuse(
            "model_no_building",
            f"{edit.file_name} holds no building with a shape to place; check the model "
            "(its walls, slabs or roofs must have a 3D body).",
            file=edit.file_name,
        )
    meshes = {name: store for name, store in parts.meshes.items() if store.n_objects}
    footprints = layers["buildings"].geometry.to_numpy()
    outline = shapely.union_all(footprints)
    with city.transaction():
        if edit.replace_ids:
            demolish(city, edit.replace_ids)
        check_near_data(city, outline, f"the placed model {edit.file_name}")
        overlapped = overlapping_buildings(city, outline)
        if overlapped:
            more = f" and {len(overlapped) - 1} more" if len(overlapped) > 1 else ""
            raise refuse(
                "model_overlap",
                f"the model {edit.file_name} placed there overlaps building '{overlapped[0]}'"
                f"{more}; list it in 'replace_ids' to demolish it, or move the model.",
                file=edit.file_name,
                id=overlapped[0],
                more=len(overlapped) - 1,
            )
        ground_m = _lowest_ground_m(city, outline) if edit.z is None else 0.0
        prefix = id_prefix(city, layers, meshes)
        own = _model_ids(layers, meshes)
        layers = {name: _prefixed(frame, prefix, own) for name, frame in layers.items()}
        meshes = {name: _placed_store(store, prefix, ground_m) for name, store in meshes.items()}
        layers["buildings"] = _building_rows(city, layers["buildings"], edit, ground_m, assumptions)
        for name, frame in layers.items():
            city.append_rows(name, frame, source=SOURCE)
        for name, store in meshes.items():
            add_meshes(city, name, store)
    logger.info(
        "placed %s: %d building(s), %d storeys, %d rooms, %d mesh objects%s",
        edit.file_name,
        len(layers["buildings"]),
        len(layers.get("storeys", ())),
        len(layers.get("spaces", ())),
        sum(store.n_objects for store in meshes.values()),
        f" (ids prefixed {prefix!r})" if prefix else "",
    )


def stored_file(city: City, file_name: str) -> StoredFile:
    """The project's stored file ``file_name``.

    Raises:
        InvalidInputError: no such file (the message lists those there are).
    """
    stored = city.files.get(file_name)
    if stored is None:
        have = ", ".join(sorted(city.files)) or "none"
        raise refuse(
            "file_not_stored",
            f"the project has no stored file '{file_name}' (its stored files: {have}); add it "
            f"with `twin scenario add-file PROJECT {file_name}`.",
            file=file_name,
            stored=sorted(city.files),
        )
    return stored


def id_prefix(city: City, layers: dict[str, pd.DataFrame], meshes: dict[str, MeshStore]) -> str:
    """``""`` when none of the model's ids is in the City, else the first free ``copy<n>:``.

    Example:
        >>> city = City()
        >>> city.set_layer("spaces", pd.DataFrame({"id": ["A", "copy2:A"], "parent_id": None}))
        >>> id_prefix(city, {"spaces": pd.DataFrame({"id": ["A"]})}, {})
        'copy3:'
    """
    model_ids = _model_ids(layers, meshes)
    names = dict.fromkeys([*LEVEL_LAYERS.values(), *MODEL_LAYERS])
    taken = [city.layer(name)["id"].astype(str).to_numpy() for name in names if name in city]
    taken += [store.object_ids for store in city.meshes.values()]
    existing = np.concatenate(taken).astype(str) if taken else np.empty(0, dtype=str)
    prefix, copy = "", 1
    while np.isin(np.char.add(prefix, model_ids), existing).any():
        copy += 1
        prefix = f"{COPY_PREFIX}{copy}:"
    return prefix


def add_meshes(city: City, name: str, store: MeshStore) -> None:
    """Append ``store``'s objects to the City's mesh set ``name`` (a new set if absent)."""
    existing = city.meshes.get(name)
    if existing is not None:
        store = MeshStore.concat([existing, store.rebased(existing.origin)])
    city.set_meshes(name, store)


def _read(reader: ModelReader, stored: StoredFile, city: City, placement: Placement) -> ModelParts:
    """The reader's parts; its errors become one InvalidInputError naming the file."""
    try:
        parts = reader(stored.data, stored.name, city, placement)
    except (CancelledError, InvalidInputError):
        raise
    except TwinError as error:
        raise refuse(
            "model_unreadable",
            f"{stored.name} cannot be placed: {error}",
            file=stored.name,
            error=str(error),
        ) from None
    for issue in parts.issues:
        if issue.severity != Severity.INFO:
            logger.warning("%s: %s %s (%s)", stored.name, issue.code, issue.message, issue.feature)
    return parts


def _model_ids(layers: dict[str, pd.DataFrame], meshes: dict[str, MeshStore]) -> np.ndarray:
    """Every id of the model's rows and mesh objects, once."""
    own = [frame["id"].astype(str).to_numpy() for frame in layers.values()]
    own += [store.object_ids for store in meshes.values()]
    return np.unique(np.concatenate(own)).astype(str)


def _prefixed(frame: pd.DataFrame, prefix: str, own: np.ndarray) -> pd.DataFrame:
    """The rows with ``prefix`` before the model's ids ``own``, in every id column naming
    one (a storey's ``parent_id`` names its building)."""
    if not prefix:
        return frame
    out = frame.copy()
    for column in ID_COLUMNS:
        if column in out:
            values = out[column]
            named = values.notna() & values.astype(str).isin(own)
            out[column] = values.where(~named, prefix + values.astype(str))
    return out


def _placed_store(store: MeshStore, prefix: str, ground_m: float) -> MeshStore:
    """The store with prefixed object ids, raised by ``ground_m`` (0 or NaN: left as it is)."""
    ids = np.char.add(prefix, store.object_ids.astype(str)) if prefix else store.object_ids
    ox, oy, oz = store.origin
    lift = ground_m if np.isfinite(ground_m) else 0.0
    return dataclasses.replace(store, object_ids=ids, origin=(ox, oy, oz + lift))


def _building_rows(
    city: City,
    buildings: pd.DataFrame,
    edit: PlaceModel,
    ground_m: float,
    assumptions: Assumptions,
) -> pd.DataFrame:
    """The model's buildings as new buildings of the scenario (parent, altitude, people)."""
    rows = buildings.copy()
    rows["source"] = SOURCE
    rows["height_source"] = "ifc"
    rows["parent_id"] = [_parent_of(city, shape) for shape in rows.geometry]
    base = pd.to_numeric(rows["base_elevation_m"], errors="coerce").to_numpy(dtype="float64")
    rows["base_elevation_m"] = base + ground_m  # NaN ground (no terrain): altitude unknown
    if edit.name:
        numbered = [f"{edit.name} {k}" for k in range(1, len(rows) + 1)]
        rows["name"] = numbered if len(rows) > 1 else [edit.name]
    floors = floors_of(rows, assumptions)
    housing_m2 = gross_floor_area_m2(rows, floors) * residential_shares(rows, floors)
    dwellings = dwellings_for(housing_m2, assumptions)
    persons = assumptions.value("people.persons_per_household")
    rows["dwellings"] = dwellings
    rows["households"] = dwellings.astype("float64")
    rows["inhabitants"] = dwellings * persons
    return rows
