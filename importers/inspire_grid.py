"""INSPIRE grid cell identifiers (``CRS3035RES200mN2387600E3728800``) and their squares.

INSEE names every cell of its gridded data (Filosofi) after the INSPIRE *Geographical Grid
Systems* specification: the CRS (EPSG:3035, ETRS89-LAEA, in mainland France), the cell size,
then the northing and easting **of the cell's lower-left (south-west) corner** in metres. INSEE
assigns a dwelling to a cell by taking the integer part of its LAEA coordinates divided by the
cell size, which is the same corner. The older INSPIRE form ``200mN23876E37288`` (no CRS, the
coordinates divided by 10^n where n is the number of zeros of the size in metres) is read too.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

#: The CRS of identifiers that do not name one (INSPIRE's ETRS89-LAEA).
DEFAULT_GRID_EPSG = 3035

_FULL = r"^CRS(?P<epsg>\d{4,5})RES(?P<size>\d+)(?P<unit>m|km)N(?P<north>\d+)E(?P<east>\d+)$"
_LEGACY = r"^(?P<size>\d+)(?P<unit>m|km)N(?P<north>\d+)E(?P<east>\d+)$"


def parse_cell_ids(ids: pd.Series) -> pd.DataFrame:
    """Split cell identifiers into EPSG code, cell size and lower-left corner (metres).

    Returns a frame aligned on ``ids`` with float columns ``epsg``, ``size_m``, ``east_m``,
    ``north_m``; all NaN where an id is missing or not a grid cell identifier (also when it
    names a CRS that PROJ does not know as projected).

    >>> ids = ["CRS3035RES200mN2387600E3728800", "1kmN2387E3728", "x", "CRS9035RES200mN1E1"]
    >>> parse_cell_ids(pd.Series(ids))
         epsg  size_m     east_m    north_m
    0  3035.0   200.0  3728800.0  2387600.0
    1  3035.0  1000.0  3728000.0  2387000.0
    2     NaN     NaN        NaN        NaN
    3     NaN     NaN        NaN        NaN
    """
    text = ids.astype("string").str.strip().str.replace(" ", "", regex=False)
    full = text.str.extract(_FULL)
    legacy = text.str.extract(_LEGACY)
    is_legacy = (full["size"].isna() & legacy["size"].notna()).to_numpy(dtype=bool)

    def number(name: str) -> np.ndarray:
        values = full[name].fillna(legacy[name]) if name in legacy else full[name]
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)

    in_km = full["unit"].fillna(legacy["unit"]).eq("km").fillna(False).to_numpy(dtype=bool)
    size_m = number("size") * np.where(in_km, 1000.0, 1.0)
    # Legacy ids drop the zeros of the cell size from the coordinates (1km: 10^3, 200m: 10^2).
    scale = np.where(is_legacy, 10.0 ** _trailing_zeros(size_m), 1.0)
    epsg = np.where(is_legacy, float(DEFAULT_GRID_EPSG), number("epsg"))
    valid = np.isfinite(epsg) & (np.nan_to_num(size_m) > 0)
    for code in np.unique(epsg[valid]):  # a damaged id may name a CRS that does not exist
        if not _is_projected_epsg(int(code)):
            valid &= epsg != code
    columns = {
        "epsg": epsg,
        "size_m": size_m,
        "east_m": number("east") * scale,
        "north_m": number("north") * scale,
    }
    return pd.DataFrame(
        {name: np.where(valid, values, np.nan) for name, values in columns.items()},
        index=ids.index,
    )


@functools.cache
def _is_projected_epsg(code: int) -> bool:
    """Whether EPSG:``code`` is a projected CRS PROJ knows (grid cells are squares in metres)."""
    try:
        return bool(CRS.from_epsg(code).is_projected)
    except CRSError:
        return False


def _trailing_zeros(sizes: np.ndarray) -> np.ndarray:
    """How many zeros end each whole number (200 → 2, 1000 → 3); 0 for NaN."""
    out = np.zeros(len(sizes))
    values = np.nan_to_num(sizes, nan=1.0).astype(np.int64)
    for _ in range(12):
        ends = (values % 10 == 0) & (values > 0)
        if not ends.any():
            break
        out[ends] += 1
        values = np.where(ends, values // 10, values)
    return out


def cell_squares(parsed: pd.DataFrame) -> np.ndarray:
    """The square of each parsed cell in its own grid CRS (None where unparsed).

    >>> square = cell_squares(parse_cell_ids(pd.Series(["CRS3035RES200mN2387600E3728800"])))[0]
    >>> square.bounds
    (3728800.0, 2387600.0, 3729000.0, 2387800.0)
    """
    east, north, size = (parsed[c].to_numpy() for c in ("east_m", "north_m", "size_m"))
    ok = np.isfinite(east) & np.isfinite(north) & np.isfinite(size)
    out = np.full(len(parsed), None, dtype=object)
    out[ok] = shapely.box(east[ok], north[ok], east[ok] + size[ok], north[ok] + size[ok])
    return out


def cell_ids_of_squares(
    squares_laea: np.ndarray, sizes_m: tuple[int, ...] = (200, 1000)
) -> list[str | None]:
    """INSEE identifiers of squares given in EPSG:3035 (None where a shape is not a grid cell).

    The size is the nearest of ``sizes_m`` to the square root of the area; the corner is the
    lower-left one, rounded to that size.

    >>> cell_ids_of_squares(np.array([shapely.box(3728800.01, 2387600, 3729000, 2387800.02)]))
    ['CRS3035RES200mN2387600E3728800']
    """
    area = shapely.area(squares_laea)
    bounds = shapely.bounds(squares_laea)
    choices = np.asarray(sizes_m, dtype="float64")
    side = np.sqrt(np.nan_to_num(area))
    size = choices[np.argmin(np.abs(side[:, None] - choices[None, :]), axis=1)]
    box_area = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
    square = np.isfinite(box_area) & (np.abs(area - size**2) < 0.05 * size**2)
    square &= np.abs(box_area - area) < 0.05 * size**2
    east = np.round(bounds[:, 0] / size) * size
    north = np.round(bounds[:, 1] / size) * size
    text = (
        f"CRS{DEFAULT_GRID_EPSG}RES"
        + pd.Series(size.astype(np.int64)).astype(str)
        + "mN"
        + pd.Series(np.nan_to_num(north).astype(np.int64)).astype(str)
        + "E"
        + pd.Series(np.nan_to_num(east).astype(np.int64)).astype(str)
    )
    return text.where(square, None).tolist()
