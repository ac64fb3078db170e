"""The tables of a GTFS feed read as text columns through pyarrow.csv.

Every column is read as text (ids such as ``007`` keep their zeros) and typed afterwards by the
code that uses it. Column names are trimmed (``" agency_name"`` is ``agency_name``), a UTF-8
byte-order mark is skipped, quoted fields may hold commas, columns nobody asked for are not
converted, and blank fields are missing values. A file that is not UTF-8 is read again as
Windows-1252 and reported; lines with more or fewer fields than the header are read by a slower
reader and reported.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

from importers.gtfs_files import FeedFiles, header
from twin.errors import InvalidInputError
from twin.issues import Issue, Severity

logger = logging.getLogger(__name__)

_BLOCK_BYTES = 1 << 22


def read_table(files: FeedFiles, name: str, columns: Sequence[str]) -> pa.Table | None:
    """The named columns of one file as text (absent columns left out), or None without the file.

    Names are trimmed; only ``columns`` are converted.
    """
    if not files.has(name):
        return None
    convert = _convert_options(files, name, columns, pa.string())
    if convert is None:
        return pa.table({})
    try:
        table = _read(files, name, convert, encoding="utf8")
    except pa.ArrowInvalid as exc:
        if _ragged(exc):
            return read_leniently(files, name, columns, pa.string())
        if "UTF8" not in str(exc).upper():
            raise _csv_error(files, name, exc) from exc
        files.issues.append(
            Issue(
                Severity.WARNING,
                "not_utf8",
                f"{name} is not UTF-8 (GTFS requires it); read as Windows-1252",
                files.label,
            )
        )
        try:
            table = _read(files, name, convert, encoding="cp1252")
        except UnicodeDecodeError as exc:  # bytes Windows-1252 leaves undefined (0x81, 0x9d ...)
            raise InvalidInputError(
                f"{files.label}: {name} is neither UTF-8 nor Windows-1252 text; save it as "
                "UTF-8 (GTFS requires it) and import the feed again.",
                code="gtfs_encoding",
                values={"file": files.label, "member": name},
            ) from exc
        except pa.ArrowInvalid as exc:
            raise _csv_error(files, name, exc) from exc
    return table.rename_columns([column.strip() for column in table.column_names])


def read_batches(files: FeedFiles, name: str, columns: Sequence[str]) -> Iterator[pa.RecordBatch]:
    """The named columns of a big file as bytes, block by block, while the next block is read.

    Bytes, not text: no UTF-8 check on millions of rows; ids are decoded once per distinct
    value by the caller. Nothing is yielded for a file without rows.

    Raises:
        RaggedRowsError: a line has more or fewer fields than the header; read the file again
            with :func:`read_leniently`.
    """
    convert = _convert_options(files, name, columns, pa.binary())
    if convert is None:
        return
    options = pcsv.ReadOptions(block_size=_BLOCK_BYTES)
    with files.open(name) as stream:
        try:
            reader = pcsv.open_csv(stream, read_options=options, convert_options=convert)
            for batch in reader:
                yield batch.rename_columns([column.strip() for column in batch.schema.names])
        except pa.ArrowInvalid as exc:
            if "empty" in str(exc).lower():
                return
            if _ragged(exc):
                raise RaggedRowsError(name) from exc
            raise _csv_error(files, name, exc) from exc


class RaggedRowsError(Exception):
    """Arrow met a line with a different number of fields than the header."""


def read_leniently(
    files: FeedFiles, name: str, columns: Sequence[str], kind: pa.DataType
) -> pa.Table:
    """Read a file whose lines do not all have the header's number of fields (slow, in Python).

    Short lines get blanks; long lines lose their extra fields. Reported once per file.
    """
    cut: list[int] = []

    def truncate(fields: list[str]) -> list[str]:
        cut.append(1)
        return fields[:width]

    width = len(header(files, name))
    with files.open(name) as stream:
        frame = pd.read_csv(
            stream,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            engine="python",
            on_bad_lines=truncate,
            encoding="utf-8-sig",
            encoding_errors="replace",
        )
    frame = frame.rename(columns=lambda column: str(column).strip())
    wanted = [column for column in columns if column in frame.columns]
    files.issues.append(
        Issue(
            Severity.WARNING,
            "ragged_rows",
            f"{name}: lines with fewer or more fields than the header (short ones padded "
            f"with blanks, {len(cut)} long one(s) cut); read with a slower reader",
            files.label,
        )
    )
    arrays = [  # from_pandas: blanks (NaN in a str column) become nulls
        pa.array(frame[column].tolist(), pa.string(), from_pandas=True).cast(kind)
        for column in wanted
    ]
    return pa.table(arrays, names=wanted)


def _convert_options(
    files: FeedFiles, name: str, columns: Sequence[str], kind: pa.DataType
) -> pcsv.ConvertOptions | None:
    """Read ``columns`` (matched on trimmed names) as ``kind``; None when none is there."""
    raw = {column.strip(): column for column in header(files, name)}
    if not raw:
        files.issues.append(Issue(Severity.WARNING, "empty_file", f"{name} is empty", files.label))
        return None
    wanted = [raw[column] for column in columns if column in raw]
    if not wanted:  # include_columns=[] would mean every column
        return None
    return pcsv.ConvertOptions(
        column_types={column: kind for column in wanted},
        include_columns=wanted,
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )


def _ragged(exc: Exception) -> bool:
    """True for Arrow's "Expected N columns, got M" parse error."""
    return "expected" in str(exc).lower() and "columns" in str(exc).lower()


def _csv_error(files: FeedFiles, name: str, exc: Exception) -> InvalidInputError:
    return InvalidInputError(
        f"{files.label}: {name} cannot be read as CSV ({str(exc).splitlines()[0]}); "
        "check the file (a stray quote, or a line with more fields than the header).",
        code="gtfs_csv_unreadable",
        values={"file": files.label, "member": name, "detail": str(exc).splitlines()[0]},
    )


def _read(files: FeedFiles, name: str, convert: pcsv.ConvertOptions, encoding: str) -> pa.Table:
    options = pcsv.ReadOptions(block_size=_BLOCK_BYTES, encoding=encoding)
    with files.open(name) as stream:
        return pcsv.read_csv(stream, read_options=options, convert_options=convert)


def read_frame(files: FeedFiles, name: str, columns: Sequence[str]) -> pd.DataFrame | None:
    """A small file as a DataFrame of text columns (every asked column present, blank → NA)."""
    table = read_table(files, name, columns)
    if table is None:
        return None
    frame = table.to_pandas()
    for column in columns:
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="str")
        else:
            frame[column] = frame[column].astype("str").str.strip().replace("", pd.NA)
    return frame[list(columns)]
