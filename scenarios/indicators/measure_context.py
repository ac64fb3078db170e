"""What a measure group's function sees: its layer's rows, other measures, the assumptions.

A group declared ``rowwise`` (each row's values depend only on that row) may be called on a
few rows only, after an edit of those rows: :attr:`MeasureContext.rows` then holds their
positions, :attr:`MeasureContext.frame` only those rows, and :meth:`MeasureContext.measure`
and :meth:`MeasureContext.take` give other values for the same rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from scenarios.assumptions import Assumptions
    from scenarios.indicators.plans import MeasureGroup
    from scenarios.indicators.workspace import Workspace


class MeasureContext:
    """The inputs of one call of a measure group.

    Attributes:
        workspace: the workspace computing (its City is ``workspace.city``).
        group: the group computed.
        rows: positions of the rows computed in the layer, or None for all of them.
        frame: those rows of the group's layer (an empty frame when the City has no such layer).
    """

    def __init__(
        self, workspace: Workspace, group: MeasureGroup, rows: np.ndarray | None = None
    ) -> None:
        self.workspace = workspace
        self.group = group
        self.rows = rows
        self._whole = workspace.frame(group.layer)
        self._frame: pd.DataFrame | None = None

    @property
    def frame(self) -> pd.DataFrame:
        """The computed rows of the group's layer (taken when first asked: the methods below
        take only the columns they read, much cheaper for a few rows of a wide layer)."""
        if self._frame is None:
            self._frame = self._whole if self.rows is None else self._whole.iloc[self.rows]
        return self._frame

    @property
    def n(self) -> int:
        """Number of rows computed."""
        return len(self._whole) if self.rows is None else len(self.rows)

    def _column(self, column: str) -> pd.Series | pd.api.extensions.ExtensionArray:
        """The computed rows of a column: the Series, or for some rows their values alone
        (:func:`rows_of`: much cheaper than ``Series.iloc``)."""
        values = self._whole[column]
        return values if self.rows is None else rows_of(values, self.rows)

    @property
    def assumptions(self) -> Assumptions:
        """The assumptions in force."""
        return self.workspace.assumptions

    def take(self, values: np.ndarray) -> np.ndarray:
        """The computed rows of an array aligned with the whole layer."""
        return values if self.rows is None else values[self.rows]

    def measure(self, name: str) -> np.ndarray:
        """Another measure of the same layer, for the computed rows (computed if needed)."""
        return self.take(self.workspace.measure(name))

    @property
    def baseline(self) -> Workspace:
        """The workspace of the baseline City (this workspace when the City is its own)."""
        return self.workspace.baseline

    def numbers(self, column: str) -> np.ndarray:
        """A column as float64, NaN where missing (all NaN when the column is absent)."""
        if column not in self._whole.columns:
            return np.full(self.n, np.nan)
        values = pd.to_numeric(pd.Series(self._column(column), copy=False), errors="coerce")
        return values.to_numpy(dtype="float64", na_value=np.nan)

    def categories(self, column: str) -> tuple[np.ndarray, list[str]]:
        """A text column as integer codes into its distinct values (-1: missing or empty).

        Cheap for 100 000 rows of a few distinct values (no string per row is made).
        """
        if column not in self._whole.columns:
            return np.full(self.n, -1, dtype=np.int64), []
        codes, uniques = pd.factorize(self._column(column))
        texts = [str(u) for u in uniques]
        codes = np.asarray(codes, dtype=np.int64)
        if "" in texts:
            codes = np.where(codes == texts.index(""), -1, codes)
        return codes, texts

    def texts(self, column: str) -> pd.Series:
        """A column as strings (missing values stay missing); empty strings count as missing."""
        codes, texts = self.categories(column)
        values = np.array([*texts, None], dtype=object)[codes]
        return pd.Series(values, dtype=object)

    def geometry(self) -> np.ndarray:
        """The geometries (None where missing)."""
        whole = self._whole
        if isinstance(whole, gpd.GeoDataFrame) and whole.active_geometry_name:
            return self._column(whole.active_geometry_name).to_numpy()
        return np.full(self.n, None, dtype=object)


_FEW_ROWS = 32


def rows_of(column: pd.Series, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Some rows of a column, as an array of the column's dtype.

    A few rows of Arrow text are read one by one: after rows were appended, such a column is
    made of many chunks, and taking from it costs a quarter of a millisecond, where reading a
    value costs a few microseconds.

    Example:
        >>> rows_of(pd.Series(["a", "b", "c"], dtype="str"), np.array([2, 0])).tolist()
        ['c', 'a']
    """
    array = column.array
    if len(rows) <= _FEW_ROWS and isinstance(array, pd.arrays.ArrowExtensionArray):
        return pd.array([array[int(row)] for row in rows], dtype=array.dtype)
    return array.take(rows)
