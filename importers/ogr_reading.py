"""Reading one vector layer with pyogrio, whatever the file holds.

GDAL's own refusals (``DataSourceError``) are left to the caller, which knows what to say; what
a damaged file makes the layers below GDAL raise becomes one :class:`InvalidInputError` or
:class:`CrsError`: a geometry GEOS cannot build (a ring that does not close), a coordinate
system pyogrio cannot write out (a damaged ``.prj``). Text that is not valid in the encoding
it was read with (a dBase file mixing encodings) is kept, with replacement characters (�) for
the bytes that do not decode, instead of failing later wherever it is used.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely
from pyproj.exceptions import CRSError

from twin.errors import CrsError, InvalidInputError, plain_message

logger = logging.getLogger(__name__)


def read_vector(path: Path | str, *, name: str, **options: Any) -> gpd.GeoDataFrame:
    """``pyogrio.read_dataframe(path, use_arrow=True, **options)``, made safe.

    Raises:
        pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError: GDAL cannot read it.
        InvalidInputError: a geometry cannot be built.
        CrsError: the file's coordinate system cannot be read.
    """
    try:
        frame = pyogrio.read_dataframe(path, use_arrow=True, **options)
    except shapely.errors.GEOSException as exc:
        raise InvalidInputError(
            f"{name} holds a geometry that cannot be read ({plain_message(exc)}); repair the "
            "file (in QGIS: Vector ▸ Geometry Tools ▸ Fix Geometries) or export it again.",
            code="geometry_unreadable",
            values={"file": name, "detail": plain_message(exc)},
        ) from exc
    except (UnboundLocalError, CRSError) as exc:  # UnboundLocalError: pyogrio 0.13's get_crs
        raise CrsError(
            f"the coordinate system of {name} cannot be read (its .prj may be damaged); "
            "replace the .prj, or delete it and give the system with --crs.",
            code="crs_damaged",
            values={"file": name},
        ) from exc
    except (ValueError, UnicodeDecodeError, OSError) as exc:  # a date out of range, a name
        # that does not decode, a page SQLite finds malformed while Arrow streams the layer
        raise InvalidInputError(
            f"{name} holds a value that cannot be read ({plain_message(exc)}); the file is "
            "damaged: export it again.",
            code="value_unreadable",
            values={"file": name, "detail": plain_message(exc)},
        ) from exc
    return repair_text(distinct_names(frame, name), name)


def distinct_names(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Columns repeating a name (a damaged dBase header) renamed ``NAME_2``, ``NAME_3`` ..."""
    if not frame.columns.duplicated().any():
        return frame
    seen: dict[str, int] = {}
    names = []
    for column in map(str, frame.columns):
        seen[column] = seen.get(column, 0) + 1
        names.append(column if seen[column] == 1 else f"{column}_{seen[column]}")
    logger.warning("%s: repeated column names renamed: %s", name, names)
    frame.columns = names
    return frame


def repair_text(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Text columns whose bytes are not valid UTF-8 decoded with replacement characters."""
    for position in range(frame.shape[1]):  # by position: a damaged file may repeat a name
        values = frame.iloc[:, position]
        chunks = getattr(values.array, "_pa_array", None)
        if not isinstance(chunks, pa.ChunkedArray):
            continue
        if not (pa.types.is_string(chunks.type) or pa.types.is_large_string(chunks.type)):
            continue
        try:
            chunks.validate(full=True)
        except pa.ArrowInvalid:
            raw = chunks.cast(pa.large_binary()).to_pylist()
            text = [None if v is None else v.decode("utf-8", errors="replace") for v in raw]
            frame.isetitem(position, pd.Series(text, index=frame.index, dtype=values.dtype))
            logger.warning(
                "%s: column %s has text that does not decode; kept with �", name, values.name
            )
    return frame
