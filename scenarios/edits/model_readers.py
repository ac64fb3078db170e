"""Model readers: how a ``place_model`` edit turns a stored file into rows and meshes.

scenarios/ never imports importers/ (the two are independent, an import-linter contract), yet
placing an IFC model needs the IFC importer. So the reading is injected: the composition roots
(``twin/cli.py`` before the scenario, indicators and study commands, ``gui/app.py`` when the
app starts) register a reader per file suffix with :func:`register_model_reader`, and the edit
looks it up with :func:`model_reader_for`. A reader returns :class:`ModelParts`; the
importers' ``ImportResult`` has that shape, so ``importers.ifc_model.read_model`` returns one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import NamedTuple, Protocol

import pandas as pd

from scenarios.edits.refusals import refuse
from twin.city import City
from twin.issues import Issue
from twin.mesh import MeshStore


class Placement(NamedTuple):
    """Where a model's local origin lands, in the project CRS (m), and its turn.

    Attributes:
        x, y: the origin's easting and northing.
        z: the altitude of the model's zero (m).
        rotation_deg: counter-clockwise from grid east to the model's x axis.
    """

    x: float
    y: float
    z: float
    rotation_deg: float


class ModelParts(Protocol):
    """What a reader returns: layers (buildings, storeys, spaces, ifc_elements) in the
    project CRS, mesh sets by name (``"ifc"``) with object ids the rows' ids, and issues."""

    @property
    def layers(self) -> Mapping[str, pd.DataFrame]:
        """Rows by layer name."""
        ...

    @property
    def meshes(self) -> Mapping[str, MeshStore]:
        """Detailed meshes by mesh-set name."""
        ...

    @property
    def issues(self) -> Sequence[Issue]:
        """Problems met while reading (per feature)."""
        ...


#: ``reader(data, name, city, placement)``: the file's bytes and name, the City (for its CRS),
#: where to put the model. Raises a :class:`~twin.errors.TwinError` for a bad file.
ModelReader = Callable[[bytes, str, City, Placement], ModelParts]

#: Registered readers by lowercase file suffix (``".ifc"``, ``".ifczip"``).
MODEL_READERS: dict[str, ModelReader] = {}


def register_model_reader(suffixes: Iterable[str], reader: ModelReader) -> None:
    """Use ``reader`` for stored files with one of ``suffixes`` (a composition root calls it).

    Example:
        >>> register_model_reader([".demo"], lambda data, name, city, placement: None)
        >>> ".demo" in MODEL_READERS
        True
        >>> del MODEL_READERS[".demo"]
    """
    for suffix in suffixes:
        MODEL_READERS[suffix.lower()] = reader


def model_reader_for(file_name: str) -> ModelReader:
    """The reader registered for ``file_name``'s suffix.

    Raises:
        InvalidInputError: no reader for that suffix (none registered: the program running the
            edit did not wire the IFC reader in).
    """
    suffix = PurePath(file_name).suffix.lower()
    reader = MODEL_READERS.get(suffix)
    if reader is not None:
        return reader
    if not MODEL_READERS:
        raise refuse(
            "reader_unavailable",
            f"cannot place {file_name}: the IFC reader is unavailable in this program (no model "
            "reader is registered); run the scenario with `twin` or the app, which provide it.",
            file=file_name,
        )
    known = ", ".join(sorted(MODEL_READERS))
    raise refuse(
        "reader_unknown",
        f"cannot place {file_name}: no model reader for '{suffix or 'files without a suffix'}' "
        f"files; store a model of a known kind ({known}).",
        file=file_name,
        suffix=suffix,
        known=sorted(MODEL_READERS),
    )
