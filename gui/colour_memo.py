"""Colourings kept by the data they were made from, so that colouring the buildings again after
an edit that left the column alone costs nothing (no Qt).

A City's frames are replaced, never changed in place, and an edit's new frame shares the
columns it did not touch with the old one (pandas copy-on-write). So the addresses of a
column's buffers say whether its values are the ones a colouring was made from, without
reading them. Each entry keeps the columns and arrays its key was taken from: their buffers
stay alive and cannot be reused for other values while the key can still be met, and pandas
copies a kept column before anything writes into it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")
Token = tuple[Hashable, ...]


def column_token(series: pd.Series) -> Token | None:
    """What identifies ``series``' values: its dtype, length and the addresses of its buffers
    (numpy, masked or Arrow-backed); None when they cannot be told (nothing is kept then).

    Example:
        >>> column = pd.Series([1.0, 2.0])
        >>> column_token(column) == column_token(column.copy())
        False
    """
    array = series.array
    parts: list[Hashable] = []
    for name in ("_ndarray", "_data", "_mask", "_pa_array"):
        buffer = getattr(array, name, None)
        if isinstance(buffer, np.ndarray):
            parts.append(array_token(buffer))
        elif buffer is not None and hasattr(buffer, "chunks"):  # a pyarrow ChunkedArray
            parts.append(
                tuple(
                    (
                        chunk.offset,
                        len(chunk),
                        tuple(b.address if b else 0 for b in chunk.buffers()),
                    )
                    for chunk in buffer.chunks
                )
            )
    return (str(series.dtype), len(series), *parts) if parts else None


def _chunk_token(chunk: Any) -> Token:
    """A pyarrow chunk's offset, length and buffer addresses."""
    addresses = tuple(buffer.address if buffer else 0 for buffer in chunk.buffers())
    return (chunk.offset, len(chunk), addresses)


def array_token(array: np.ndarray) -> Token:
    """The address, shape, strides and dtype of a numpy array's data."""
    return (array.__array_interface__["data"][0], array.shape, array.strides, array.dtype.str)


class Memo(Generic[T]):
    """The last ``size`` results by key, each with the objects its key was taken from."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[T, Any]] = OrderedDict()

    def get(self, key: Hashable | None, make: Callable[[], T], keep: Any = None) -> T:
        """The result kept under ``key``, else ``make()`` kept with ``keep`` (a None key:
        made every time)."""
        if key is None:
            return make()
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found[0]
        value = make()
        self._items[key] = (value, keep)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every result."""
        self._items.clear()


class ObjectIds:
    """One token per list of object ids, the same for equal lists: a view rebuilt after an edit
    draws new arrays of the same ids, which must meet the colourings made for the old ones."""

    def __init__(self) -> None:
        self._last: tuple[np.ndarray, Token] | None = None

    def token(self, object_ids: Any) -> tuple[Token, np.ndarray]:
        """The token of ``object_ids`` and the array to keep with it."""
        ids = np.asarray(object_ids)
        last = self._last
        if last is not None and (
            ids is last[0] or (ids.shape == last[0].shape and np.array_equal(ids, last[0]))
        ):
            return last[1], last[0]
        token = ("ids", *array_token(ids))
        self._last = (ids, token)
        return token, ids
