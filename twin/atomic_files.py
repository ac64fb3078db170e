"""Writing files so that a crash never leaves a half-written one: fsync, clean-up of
temporary files left by dead processes, and plain-words messages for OS errors."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
from pathlib import Path

from twin.errors import ProjectError

logger = logging.getLogger(__name__)


def fsync(path: Path) -> None:
    """Flush a file's bytes to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename) to the disk, where the file system allows it."""
    with contextlib.suppress(OSError):  # not every file system lets a folder be fsynced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_saves(folder: Path, name: str) -> None:
    """Remove temporary files left by saves of this project whose process has died."""
    for stale in folder.glob(f".{name}.saving-*.gpkg"):
        pid_text = stale.name.rsplit("-", 1)[-1].removesuffix(".gpkg")
        if pid_text.isdigit() and not process_alive(int(pid_text)):
            logger.info("removing %s, left by an interrupted save", stale)
            remove_quietly(stale)


def process_alive(pid: int) -> bool:
    """True when a process with this id runs (or exists but is not ours)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_quietly(path: Path) -> None:
    """Remove a SQLite file and its journal files, ignoring those that are not there.

    Also quiet where nothing can be removed (a read-only file system answers EROFS even for a
    file that does not exist): the error that brought us here is the one to report.
    """
    for candidate in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            logger.debug("could not remove %s: %s", candidate, exc)


def os_error_text(exc: OSError, path: Path) -> str:
    """One line for the user about a failed save: full disk, read-only folder, or else."""
    return str(save_error(exc, path))


def save_error(exc: OSError, path: Path) -> ProjectError:
    """The error to raise for a failed save (:func:`os_error_text`'s line), with its code
    (``save_disk_full``, ``save_read_only``, ``save_os_error``) for the app's language."""
    if exc.errno == errno.ENOSPC:
        return ProjectError(
            f"cannot save {path}: the disk is full; free some space and save again.",
            code="save_disk_full",
            values={"file": str(path)},
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ProjectError(
            f"cannot save {path}: the folder is read-only; save it somewhere else.",
            code="save_read_only",
            values={"file": str(path)},
        )
    return ProjectError(
        f"cannot save {path}: {exc.strerror or exc}; check the folder and save again.",
        code="save_os_error",
        values={"file": str(path), "detail": str(exc.strerror or exc)},
    )


#: Free space below which a failed write is put down to a full disk (bytes).
LOW_SPACE_BYTES = 4 * 1024**2


def probe_writable(tmp: Path) -> None:
    """Create and remove ``tmp``, so a read-only folder fails before GDAL or SQLite tries.

    Raises:
        OSError: the folder refuses a new file (read-only, no rights, full).
    """
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    os.close(fd)
    tmp.unlink()


def storage_error_text(exc: Exception, path: Path) -> str | None:
    """One line for the user when a library (GDAL, SQLite) failed to write ``path`` because
    the folder is read-only or the disk is full; None when neither explains the failure."""
    error = storage_save_error(exc, path)
    return str(error) if error is not None else None


def storage_save_error(exc: Exception, path: Path) -> ProjectError | None:
    """The error to raise when a library (GDAL, SQLite) failed to write ``path`` because the
    folder is read-only or the disk is full (:func:`save_error`); None when neither explains
    the failure.

    These libraries report such failures as text, not as an ``OSError``: the folder itself is
    looked at (its rights, its free space) to tell which.
    """
    folder = path.parent if str(path.parent) else Path()
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    lowered = detail.lower()
    if not os.access(folder, os.W_OK) or "readonly" in lowered or "read-only" in lowered:
        return save_error(OSError(errno.EROFS, detail), path)
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = LOW_SPACE_BYTES
    if "disk is full" in lowered or "no space" in lowered or free < LOW_SPACE_BYTES:
        return save_error(OSError(errno.ENOSPC, detail), path)
    return None
