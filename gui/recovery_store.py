"""The recovery folder: autosaved copies of open projects and the session markers that say
whether the app that wrote them ended cleanly.

Each project has a *key*: 16 hex digits of the SHA-256 of its resolved path, or ``untitled``
for a project not saved yet (``KEY-PID`` when another running app already holds the key).
For a key the folder holds ``KEY.twin.gpkg``, the autosaved City (written by
:func:`twin.project.save_project`, so atomically), and ``KEY.lock.json``, the session marker
(pid, project path, project name, start of the session). A clean exit or an explicit save
removes both; a pair whose pid is gone was left by a crash and is offered for recovery.
Files the user ignored, or that cannot be read, are moved to ``set-aside/`` and removed after
:data:`KEEP_SET_ASIDE_DAYS` days. Nothing here imports Qt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from twin.atomic_files import process_alive, remove_quietly

logger = logging.getLogger(__name__)

UNTITLED = "untitled"
RECOVERY_SUFFIX = ".twin.gpkg"
LOCK_SUFFIX = ".lock.json"
SET_ASIDE = "set-aside"
KEEP_SET_ASIDE_DAYS = 30


def recovery_key(project: Path | None) -> str:
    """The recovery key of a project file (``untitled`` for a project without a file).

    Example:
        >>> recovery_key(None), len(recovery_key(Path("/tmp/a.twin.gpkg")))
        ('untitled', 16)
    """
    if project is None:
        return UNTITLED
    text = str(Path(project).expanduser().resolve())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class SessionMarker:
    """Who autosaves a project: the process, the project's file and name, since when."""

    pid: int
    project_path: Path | None
    name: str
    started_at: str

    def to_json(self) -> str:
        """The marker as JSON text."""
        path = str(self.project_path) if self.project_path is not None else None
        fields = {"pid": self.pid, "project_path": path, "name": self.name}
        return json.dumps({**fields, "started_at": self.started_at}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SessionMarker:
        """Read a marker.

        Raises:
            ValueError: the text is not a marker (bad JSON, missing or wrong fields).
        """
        try:
            data = json.loads(text)
            path = data.get("project_path")
            return cls(
                pid=int(data["pid"]),
                project_path=Path(path) if path else None,
                name=str(data.get("name") or ""),
                started_at=str(data.get("started_at") or ""),
            )
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a session marker ({exc})") from exc


@dataclass(frozen=True)
class Recovery:
    """An autosaved copy left by a session that did not end cleanly.

    Attributes:
        key: the project's recovery key.
        file: the autosaved project file.
        marker: the session's marker; None when it is missing or unreadable.
        saved_at: when the copy was written (local time).
    """

    key: str
    file: Path
    marker: SessionMarker | None
    saved_at: datetime

    @property
    def project_path(self) -> Path | None:
        """The project the copy was made of (None for a project never saved)."""
        return self.marker.project_path if self.marker is not None else None

    @property
    def name(self) -> str:
        """The project's name, else its file name, else an empty string."""
        if self.marker is not None and self.marker.name:
            return self.marker.name
        path = self.project_path
        return path.name.removesuffix(RECOVERY_SUFFIX) if path is not None else ""


class RecoveryStore:
    """The recovery folder (created on first write)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def file_for(self, key: str) -> Path:
        """The autosaved project file of a key."""
        return self.directory / f"{key}{RECOVERY_SUFFIX}"

    def lock_for(self, key: str) -> Path:
        """The session marker of a key."""
        return self.directory / f"{key}{LOCK_SUFFIX}"

    def marker(self, key: str) -> SessionMarker | None:
        """The marker of a key; None when missing or unreadable."""
        try:
            return SessionMarker.from_json(self.lock_for(key).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return None

    def free_key(self, project: Path | None) -> str:
        """The key this process should autosave ``project`` under: its own key, unless another
        running app holds it (then ``KEY-PID``)."""
        key = recovery_key(project)
        holder = self.marker(key)
        if holder is None or holder.pid == os.getpid() or not process_alive(holder.pid):
            return key
        return f"{key}-{os.getpid()}"

    def claim(self, key: str, marker: SessionMarker) -> None:
        """Write the session marker of ``key`` (atomically).

        Raises:
            OSError: the folder cannot be created or written.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.lock_for(key)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(marker.to_json(), encoding="utf-8")
        tmp.replace(target)

    def release(self, key: str) -> None:
        """Remove the autosaved file and the marker of ``key`` (the session ended cleanly)."""
        remove_quietly(self.file_for(key))
        with contextlib.suppress(FileNotFoundError):
            self.lock_for(key).unlink()
        logger.debug("recovery files of %s removed", key)

    def crashed(self) -> list[Recovery]:
        """Autosaved copies whose session is gone (dead pid, or no readable marker), newest
        first. Copies held by another running app are left alone."""
        if not self.directory.is_dir():
            return []
        self.prune_set_aside()
        found: list[Recovery] = []
        for file in self.directory.glob(f"*{RECOVERY_SUFFIX}"):
            if file.name.startswith("."):  # a save in progress or left by a dead save
                continue
            key = file.name.removesuffix(RECOVERY_SUFFIX)
            marker = self.marker(key)
            if marker is not None and marker.pid != os.getpid() and process_alive(marker.pid):
                continue
            with contextlib.suppress(OSError):
                saved_at = datetime.fromtimestamp(file.stat().st_mtime)
                found.append(Recovery(key, file, marker, saved_at))
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    def set_aside(self, recovery: Recovery) -> Path:
        """Move a copy (and its marker) out of the way into ``set-aside/``; return its new path.

        Raises:
            OSError: the files cannot be moved.
        """
        folder = self.directory / SET_ASIDE
        folder.mkdir(parents=True, exist_ok=True)
        stamp = recovery.saved_at.strftime("%Y%m%d-%H%M%S")
        target = folder / f"{recovery.key}-{stamp}{RECOVERY_SUFFIX}"
        recovery.file.replace(target)
        lock = self.lock_for(recovery.key)
        if lock.exists():
            lock.replace(target.with_name(target.name.removesuffix(RECOVERY_SUFFIX) + LOCK_SUFFIX))
        logger.info("recovery file %s set aside as %s", recovery.file, target)
        return target

    def prune_set_aside(self, days: float = KEEP_SET_ASIDE_DAYS) -> None:
        """Remove set-aside files older than ``days``."""
        folder = self.directory / SET_ASIDE
        if not folder.is_dir():
            return
        limit = time.time() - days * 86400
        for old in folder.iterdir():
            with contextlib.suppress(OSError):
                if old.stat().st_mtime < limit:
                    old.unlink()
