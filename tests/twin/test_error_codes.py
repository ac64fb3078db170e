"""Coded errors: a TwinError may carry a registered code and the values of its message, for the
app to say it in its language; its English line (what the CLI prints) is unchanged, it survives
pickling (errors cross from child processes), and every raise site of the importers and the
project file names a registered code with exactly its values."""

from __future__ import annotations

import errno
import pickle
from pathlib import Path

import pytest

from importers.merge import MergeError
from scenarios.edits.refusals import REFUSALS, Refusal, refusal_of, refuse
from tests.twin.error_sites import coded_sites, string_constants
from twin.atomic_files import os_error_text, save_error, storage_save_error
from twin.errors import (
    ERROR_CODES,
    FILE_ERRORS,
    CrsError,
    InputFileNotFoundError,
    InvalidInputError,
    ProjectNotFoundError,
    ProjectVersionError,
    TwinError,
    UnknownLayerError,
    error_code,
    register_codes,
)


def test_an_error_without_a_code_is_raised_and_printed_as_before() -> None:
    error = InvalidInputError("a.gpkg is damaged; export it again.")
    assert str(error) == "a.gpkg is damaged; export it again."
    assert error.code is None and dict(error.values) == {} and error_code(error) is None
    assert refusal_of(error) is None


def test_a_coded_error_keeps_its_english_line_and_carries_its_code_and_values() -> None:
    error = CrsError(
        "a.shp does not say which coordinate system it uses; give it with --crs.",
        code="crs_missing",
        values={"file": "a.shp"},
    )
    assert str(error) == "a.shp does not say which coordinate system it uses; give it with --crs."
    assert error_code(error) == ("crs_missing", {"file": "a.shp"})
    assert refusal_of(error) == Refusal("crs_missing", {"file": "a.shp"})
    assert isinstance(error, ValueError)  # the builtin it resembles, as before


def test_an_unknown_code_or_other_values_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="takes"):
        InvalidInputError("x", code="no_such_code", values={})
    with pytest.raises(ValueError, match=r"takes \['file'\], not \['name'\]"):
        InvalidInputError("x", code="file_empty", values={"name": "a.gpkg"})
    with pytest.raises(ValueError, match="takes"):
        InvalidInputError("x", values={"file": "a.gpkg"})  # values without a code


def test_a_code_cannot_be_registered_twice_with_other_values() -> None:
    register_codes({"file_empty": frozenset({"file"})})  # the same again: nothing happens
    with pytest.raises(ValueError, match="registered twice"):
        register_codes({"file_empty": frozenset({"file", "size"})})
    assert ERROR_CODES["file_empty"] == frozenset({"file"})


def test_file_errors_and_refusals_share_one_table_without_a_clash() -> None:
    assert not set(FILE_ERRORS) & set(REFUSALS)
    assert ERROR_CODES.keys() >= FILE_ERRORS.keys() | REFUSALS.keys()


@pytest.mark.parametrize(
    "error",
    [
        InvalidInputError(
            "a.zip would decompress to 2 GB.",
            code="zip_bomb",
            values={"file": "a.zip", "expanded_mb": 2048.0, "packed_mb": 0.5, "ratio": 4096},
        ),
        ProjectNotFoundError(
            "project p.twin.gpkg not found.",
            code="project_not_found",
            values={"file": "p.twin.gpkg"},
        ),
        ProjectVersionError(
            "p was written by a newer urban-twin.",
            code="project_newer",
            values={"file": "p", "version": 9, "supported": 3},
        ),
        InputFileNotFoundError("a.gpkg not found."),
        UnknownLayerError("no layer 'roads'"),
        MergeError(
            "a.gpkg could not be merged: bad.",
            source="a.gpkg",
            code="merge_failed",
            values={"file": "a.gpkg", "cause": InvalidInputError("bad.")},
        ),
        refuse("id_taken", "id 'B1' is taken.", layer="buildings", id="B1"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_coded_error_survives_a_pickle_round_trip(error: TwinError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
    assert again.args == error.args
    assert again.code == error.code and set(again.values) == set(error.values)
    assert {k: v for k, v in again.values.items() if k != "cause"} == {
        k: v for k, v in error.values.items() if k != "cause"
    }
    assert getattr(again, "source", None) == getattr(error, "source", None)
    assert refusal_of(again) == refusal_of(error) or "cause" in error.values


def test_a_wrapped_cause_keeps_its_code_through_pickling() -> None:
    cause = CrsError("a.shp has no CRS.", code="crs_missing", values={"file": "a.shp"})
    error = MergeError(
        "a.shp could not be merged: a.shp has no CRS.",
        source="a.shp",
        code="merge_failed",
        values={"file": "a.shp", "cause": cause},
    )
    again = pickle.loads(pickle.dumps(error))
    assert error_code(again.values["cause"]) == ("crs_missing", {"file": "a.shp"})


def test_a_failed_save_says_the_same_line_with_its_code(tmp_path: Path) -> None:
    path = tmp_path / "ville.twin.gpkg"
    full = save_error(OSError(errno.ENOSPC, "No space left on device"), path)
    assert str(full) == os_error_text(OSError(errno.ENOSPC, "x"), path)
    assert str(full) == f"cannot save {path}: the disk is full; free some space and save again."
    assert error_code(full) == ("save_disk_full", {"file": str(path)})
    locked = save_error(OSError(errno.EROFS, "Read-only file system"), path)
    assert error_code(locked) == ("save_read_only", {"file": str(path)})
    other = save_error(OSError(errno.EIO, "Input/output error"), path)
    assert error_code(other) == (
        "save_os_error",
        {"file": str(path), "detail": "Input/output error"},
    )
    said = storage_save_error(RuntimeError("sqlite3_step() failed: database or disk is full"), path)
    assert said is not None and said.code == "save_disk_full"
    assert storage_save_error(RuntimeError("a bug of ours"), path) is None


def test_every_coded_raise_site_names_a_registered_code_with_exactly_its_values() -> None:
    sites = coded_sites()
    assert len(sites) >= 100  # the importers' and the project file's raise sites
    for site in sites:
        if site.code is None:  # chosen by a variable: checked when raised
            continue
        assert site.code in FILE_ERRORS, site
        assert site.names == FILE_ERRORS[site.code], site


def test_every_file_error_code_is_raised_somewhere() -> None:
    assert set(FILE_ERRORS) <= string_constants()
