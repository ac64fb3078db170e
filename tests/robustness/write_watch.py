"""Watching where a command writes: a private home, and strace over every file system call.

:class:`Sandbox` gives a child process its own HOME, XDG folders, TMPDIR and working folder,
all under one temporary folder. :meth:`Sandbox.run` runs a command there under
``strace -f`` (when strace is installed and allowed) and returns every path the command or
its threads and children created, opened for writing, renamed, linked, truncated or removed,
whether it succeeded or not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: System calls that change the file system (or open a file to change it).
WRITING_CALLS = (
    "open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,"
    "link,linkat,symlink,symlinkat,truncate,chdir,fchdir"
)
_CALL = re.compile(r"^\d+\s+(?P<name>\w+)\((?P<args>.*)$")
_QUOTED = re.compile(r'(?:(?P<dirfd>AT_FDCWD|\d+)(?:<(?P<dir>[^>]*)>)?,\s*)?"(?P<path>[^"]*)"')
_FAILED = re.compile(r"\)\s+= -1 ")
_WRITE_FLAGS = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND")


def strace_works() -> bool:
    """Whether strace is installed and may trace a child here (ptrace can be forbidden)."""
    if shutil.which("strace") is None:
        return False
    done = subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, "true"], check=False)
    return done.returncode == 0


@dataclass
class Sandbox:
    """A private HOME (with XDG data, config and cache folders), TMPDIR and working folder."""

    root: Path
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.home = self.root / "home"
        self.data = self.home / ".local" / "share"
        self.config = self.home / ".config"
        self.cache = self.home / ".cache"
        self.tmp = self.root / "tmp"
        self.runtime = self.root / "run"
        self.cwd = self.root / "cwd"
        for folder in (self.data, self.config, self.cache, self.tmp, self.runtime, self.cwd):
            folder.mkdir(parents=True, exist_ok=True)
        self.runtime.chmod(0o700)
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "DISPLAY", "LANG", "CI")}
        self.env = {
            **keep,
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.data),
            "XDG_CONFIG_HOME": str(self.config),
            "XDG_CACHE_HOME": str(self.cache),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "TMPDIR": str(self.tmp),
            "PYTHONPATH": str(REPO),
            "PYTHONDONTWRITEBYTECODE": "1",  # Python's own caches are not the app's doing
            "QT_QPA_PLATFORM": "xcb",
        }

    @property
    def library_folders(self) -> list[Path]:
        """Where libraries keep their caches (matplotlib's font list, Mesa's shaders, Qt's)
        and the empty configuration folder matplotlib makes when imported."""
        return [self.cache, self.config / "matplotlib"]

    @property
    def app_folders(self) -> list[Path]:
        """Where the app itself may write: its data and settings folders, its runtime folder."""
        return [self.data / "urban-twin", self.config / "urban-twin", self.runtime]

    @property
    def app_data(self) -> Path:
        """Where the app keeps its data (QStandardPaths AppDataLocation): recovery files."""
        return self.data / "urban-twin" / "urban-twin"

    @property
    def app_settings(self) -> Path:
        """The app's settings file (QSettings, native format on Linux)."""
        return self.config / "urban-twin" / "urban-twin.conf"

    def command(self, *argv: str | Path, log: Path | None) -> list[str]:
        """``argv`` run by this environment's Python, under strace writing to ``log``."""
        python = [sys.executable, *map(str, argv)]
        if log is None:
            return python
        trace = ["strace", "-f", "-qq", "-y", "-e", f"trace={WRITING_CALLS}", "-o", str(log)]
        return [*trace, *python]

    def run(self, *argv: str | Path, log: Path | None, timeout_s: float = 300) -> str:
        """Run ``python ARGV`` here (traced when ``log`` is given); its stdout.

        Raises:
            AssertionError: the command failed.
        """
        done = subprocess.run(
            self.command(*argv, log=log),
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        assert done.returncode == 0, f"{argv}: status {done.returncode}\n{done.stderr[-3000:]}"
        return done.stdout


def written_paths(log: Path, cwd: Path) -> set[Path]:
    """Every path a traced process changed (relative ones resolved against ``cwd``).

    Raises:
        AssertionError: the process changed its working folder (relative paths would be lost).
    """
    found: set[Path] = set()
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _CALL.match(line)
        if match is None:
            continue  # "<... resumed>", signals, exits
        name, args = match["name"], match["args"]
        if _FAILED.search(args):
            continue
        if name in ("chdir", "fchdir"):
            raise AssertionError(f"the command changed its working folder: {line}")
        if name in ("open", "openat") and not _WRITE_FLAGS.search(args):
            continue
        paths = list(_QUOTED.finditer(args))
        if "link" in name:  # link(old, new), symlink(target, new): only ``new`` is written
            paths = paths[-1:]
        for quoted in paths:
            path = Path(quoted["path"])
            base = Path(quoted["dir"]) if quoted["dir"] else cwd
            found.add(path if path.is_absolute() else base / path)
    return {Path(os.path.normpath(path)) for path in found}


def outside(paths: set[Path], allowed: list[Path]) -> list[str]:
    """The paths under none of the ``allowed`` folders (``/dev/null`` is always allowed)."""
    roots = [Path(os.path.normpath(folder)) for folder in allowed]
    return sorted(
        str(path)
        for path in paths
        if str(path) != os.devnull and not any(path.is_relative_to(root) for root in roots)
    )


def files_under(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time (ns)."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
