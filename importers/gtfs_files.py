"""Where the files of a GTFS feed are: a zip (on disk or in memory) or a folder.

Files may sit in one sub-folder of the zip (``export/gtfs/stops.txt``); macOS ``__MACOSX``
entries are ignored. A zip is read from its bytes, which are also what the project stores.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from importers.archive_guard import ZIP_READ_ERRORS, check_zip
from twin.errors import InvalidInputError, TwinError
from twin.issues import Issue

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
REQUIRED_FILES = ("stops.txt", "stop_times.txt", "trips.txt")
#: Files of the GTFS reference; a zip or folder with three of them is taken for a (broken) feed.
GTFS_FILES = (
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "stop_times.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "shapes.txt",
    "feed_info.txt",
    "frequencies.txt",
    "transfers.txt",
)
_HEADER_BYTES = 1 << 16


@dataclass
class FeedFiles:
    """Where the files of one feed are: members of a zip (read from bytes) or a folder's files.

    Attributes:
        label: the name shown in messages (the zip or folder name).
        members: lower-case file name → member name in the zip, or path in the folder.
        data: the zip's bytes, or None for a folder.
        issues: problems met while reading (a file that is not UTF-8 ...).
    """

    label: str
    members: dict[str, str]
    data: bytes | None = None
    issues: list[Issue] = field(default_factory=list)

    def has(self, name: str) -> bool:
        """True when the feed holds the file ``name`` (e.g. ``"shapes.txt"``)."""
        return name in self.members

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        """A binary stream over one file of the feed."""
        member = self.members[name]
        if self.data is None:
            with Path(member).open("rb") as stream:
                yield stream
        else:
            try:
                archive = zipfile.ZipFile(io.BytesIO(self.data))
                packed = archive.open(member)
            except ZIP_READ_ERRORS as exc:  # a cut directory, an unknown compression method
                raise self._damaged(member, exc) from exc
            try:
                with archive, packed:
                    yield packed  # type: ignore[misc]
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:  # a CRC or inflate error
                raise self._damaged(member, exc) from exc

    def _damaged(self, member: str, exc: BaseException) -> InvalidInputError:
        return InvalidInputError(
            f"{self.label}: {member} is damaged inside the zip ({exc}); download the feed again.",
            code="gtfs_member_damaged",
            values={"file": self.label, "member": member, "detail": str(exc)},
        )


def feed_members(path: Path) -> dict[str, str]:
    """The GTFS files in a zip or folder: lower-case base name → member name (or file path).

    Files in one sub-folder of a zip count (some operators zip the folder); macOS
    ``__MACOSX`` entries do not. Empty when ``path`` is neither a zip nor a folder.
    """
    if path.is_dir():
        return {p.name.lower(): str(p) for p in sorted(path.iterdir()) if p.is_file()}
    if not path.is_file():
        return {}
    with path.open("rb") as stream:
        if stream.read(4) not in ZIP_MAGIC:
            return {}
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except ZIP_READ_ERRORS:
        return {}
    return members_of(names)


def members_of(names: Sequence[str]) -> dict[str, str]:
    """Lower-case base name → member, for the zip entries in the folder holding ``stops.txt``."""
    entries = [n for n in names if not n.endswith("/") and "__MACOSX" not in n]
    folders = {n.rpartition("/")[0] for n in entries if n.rpartition("/")[2].lower() in GTFS_FILES}
    if not folders:
        return {}
    folder = min(folders, key=lambda f: (f.count("/"), f))  # the shallowest one
    return {
        n.rpartition("/")[2].lower(): n
        for n in entries
        if n.rpartition("/")[0] == folder and n.rpartition("/")[2]
    }


def open_feed(path: Path) -> FeedFiles:
    """The files of the feed at ``path`` (a zip or a folder).

    Raises:
        InvalidInputError: the zip cannot be read, or a required file is missing.
    """
    if path.is_file():
        return zipped_feed(path.read_bytes(), path.name)
    return require_files(FeedFiles(label=path.name, members=feed_members(path)))


def zipped_feed(data: bytes, label: str) -> FeedFiles:
    """The files of a zipped feed held in memory (read from disk, or stored in a project).

    Raises:
        InvalidInputError: the bytes are not a zip, the zip is unsafe (``../`` paths, a zip
            bomb: :mod:`importers.archive_guard`), or a required file is missing.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, label, "export the whole feed again from its publisher")
            members = members_of(archive.namelist())
    except TwinError:  # an unsafe zip, refused by check_zip: its own message
        raise
    except ZIP_READ_ERRORS as exc:
        raise InvalidInputError(
            f"{label} is not a readable zip file ({exc}); download the feed again.",
            code="zip_damaged",
            values={"file": label, "detail": str(exc)},
        ) from exc
    return require_files(FeedFiles(label=label, members=members, data=data))


def require_files(files: FeedFiles) -> FeedFiles:
    """``files`` itself, once checked to hold the files GTFS requires.

    Raises:
        InvalidInputError: naming the missing files and what was found.
    """
    missing = [name for name in REQUIRED_FILES if name not in files.members]
    if missing:
        found = ", ".join(sorted(files.members)) or "no GTFS file"
        raise InvalidInputError(
            f"{files.label} is not a complete GTFS feed: {' and '.join(missing)} missing "
            f"(found {found}); export the whole feed again from its publisher.",
            code="gtfs_files_missing",
            values={"file": files.label, "missing": missing, "found": sorted(files.members)},
        )
    return files


def header(files: FeedFiles, name: str) -> list[str]:
    """The raw column names of one file (first line, BOM removed)."""
    with files.open(name) as stream:
        first = stream.read(_HEADER_BYTES)
    text = first.decode("utf-8-sig", errors="replace").splitlines()
    return next(csv.reader(text[:1]), []) if text else []


def folder_as_zip(path: Path, members: dict[str, str]) -> bytes:
    """A folder feed's .txt files zipped in memory, to be stored in the project."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, member in sorted(members.items()):
            if name.endswith(".txt"):
                out.write(member, arcname=name)
    return buffer.getvalue()
