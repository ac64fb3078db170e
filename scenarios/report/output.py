"""Writing a study to ``FILE.html`` (self-contained, with the interactive 3D view) or
``FILE.pdf`` (A4, WeasyPrint), atomically: the bytes go to a temporary file beside the target,
are flushed, then renamed over it, so a study is never half-written.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import time
from pathlib import Path

from scenarios.edits.refusals import refuse
from scenarios.report.document import study_html
from scenarios.report.typography import check_lang
from scenarios.report.views import StudyCities
from scenarios.study.model import Study
from twin.atomic_files import fsync, fsync_dir, probe_writable
from twin.errors import UnsupportedFormatError

logger = logging.getLogger(__name__)

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


def output_format(path: Path) -> str:
    """``"html"`` or ``"pdf"``, from the file's suffix.

    Raises:
        UnsupportedFormatError: another suffix.

    Example:
        >>> output_format(Path("etude.PDF"))
        'pdf'
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormatError(
            f"cannot write a study to {path}: name it FILE.html (web page with interactive 3D) "
            "or FILE.pdf (A4 document)."
        )
    return fmt


def check_output(path: Path) -> None:
    """Refuse, before any work, a path the study cannot be written to.

    Raises:
        InvalidInputError: the folder is missing, not a folder, or read-only (a file cannot
            be created there), or the path is a folder.
    """
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise refuse(
            "output_is_folder",
            f"cannot write the study to {path}: it is a folder; add a file name.",
            path=str(path),
        )
    if folder.exists() and not folder.is_dir():
        raise refuse(
            "output_parent_file",
            f"cannot write the study to {path}: {folder} is a file, not a folder; choose "
            "another path.",
            path=str(path),
            folder=str(folder),
        )
    if not folder.is_dir():
        raise refuse(
            "output_folder_missing",
            f"cannot write the study to {path}: the folder {folder} does not exist; create it "
            "or choose another path.",
            path=str(path),
            folder=str(folder),
        )
    read_only = refuse(
        "output_read_only",
        f"cannot write the study to {path}: the folder {folder} is read-only; choose another path.",
        path=str(path),
        folder=str(folder),
    )
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise read_only
    try:  # rights are not everything (root, read-only mounts, /sys): try a file there
        probe_writable(folder / f".{path.name}.probe-{os.getpid()}")
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise read_only from None
        raise refuse(
            "output_unwritable",
            f"cannot write the study to {path}: {error.strerror or error}; check the folder "
            "and the free space, and try again.",
            path=str(path),
            reason=str(error.strerror or error),
        ) from None


def write_study(
    study: Study, path: Path, *, lang: str = "fr", cities: StudyCities | None = None
) -> Path:
    """Render ``study`` in ``lang`` to ``path`` (``.html`` or ``.pdf``) and return the path.

    Raises:
        UnsupportedFormatError: another suffix.
        InvalidInputError: an unknown language, or a path that cannot be written (nothing is
            left behind).
    """
    fmt = output_format(path)
    check_lang(lang)
    check_output(path)
    started = time.perf_counter()
    if fmt == "html":
        data = study_html(study, lang, cities=cities, target="screen").encode("utf-8")
    else:
        data = pdf_bytes(study_html(study, lang, cities=cities, target="print"))
    write_atomically(path, data)
    logger.info(
        "study written to %s (%.1f MB, %.1f s)",
        path,
        len(data) / 1e6,
        time.perf_counter() - started,
    )
    return path


def pdf_bytes(html: str) -> bytes:
    """The A4 PDF of a print page (WeasyPrint: Pango and fonts from the system)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unsupported CSS: not the user's
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data: bytes = HTML(string=html).write_pdf()
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a flushed temporary file renamed over it.

    Raises:
        InvalidInputError: the OS refused (full disk, read-only folder …); no file is left.
    """
    temporary = path.with_name(f".{path.name}.writing-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        fsync(temporary)
        temporary.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise refuse(
            "output_unwritable",
            f"cannot write the study to {path}: {error.strerror or error}; check the folder "
            "and the free space, and try again.",
            path=str(path),
            reason=str(error.strerror or error),
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    fsync_dir(path.parent)
