"""The error tree of urban-twin.

Every error a user can meet derives from :class:`TwinError`. Specific errors also inherit the
builtin they resemble (the rasterio habit), so callers may catch either ``TwinError`` or, say,
``FileNotFoundError``. Each message says what went wrong, where, and what to do about it: the
CLI prints it on one line and the app shows it in a dialog, without a traceback.

Problems with single features inside a file (one invalid polygon, one broken wall) are not
errors: they become :class:`twin.issues.Issue` records in the import report.
"""

from __future__ import annotations

import re


class TwinError(Exception):
    """Root of every error urban-twin raises on purpose.

    The message is meant for a planner, not a programmer: what happened, where, what to do.
    """


class ProjectError(TwinError):
    """A project file cannot be created, read or written."""


class NotAProjectError(ProjectError, ValueError):
    """The file exists but is not an urban-twin project (``*.twin.gpkg``)."""


class ProjectVersionError(ProjectError, ValueError):
    """The project was written by a newer version of urban-twin."""


class ProjectNotFoundError(ProjectError, FileNotFoundError):
    """The project file does not exist."""


class InputFileNotFoundError(TwinError, FileNotFoundError):
    """A file given to an importer does not exist."""


class UnsupportedFormatError(TwinError, ValueError):
    """No importer recognises the file's content."""


class InvalidInputError(TwinError, ValueError):
    """An input file is recognised but its content cannot be used."""


class CrsError(TwinError, ValueError):
    """A coordinate reference system is unknown, missing or not usable (not in metres)."""


class SpecError(TwinError, ValueError):
    """Data does not match the layer specification it is declared to follow."""


class HierarchyError(TwinError, ValueError):
    """Ids or parent links of the territory → room hierarchy are inconsistent."""


class UnknownLayerError(TwinError, KeyError):
    """A layer name was asked for that the city does not have."""

    def __str__(self) -> str:  # KeyError would quote the message; show it plainly.
        return str(self.args[0]) if self.args else ""


class CancelledError(TwinError):
    """The user cancelled a long operation; nothing was changed."""


#: "IllegalArgumentException: ..." as GEOS words it: the class name is no help to a user.
_LIBRARY_PREFIX = re.compile(r"^\w+(?:Exception|Error):\s*")


def plain_message(exc: BaseException) -> str:
    """The first line of a library's message, without its exception class name.

    Example:
        >>> plain_message(ValueError("IllegalArgumentException: ring not closed\\nat 3"))
        'ring not closed'
    """
    first = (str(exc).splitlines() or [""])[0]
    return _LIBRARY_PREFIX.sub("", first).strip() or "no detail"


def one_line(text: str) -> str:
    """``text`` with its line breaks (and the blanks around them) turned into single spaces.

    A value quoted in a message may hold line breaks (a damaged id swallowing the next lines);
    the CLI prints every error on one line.

    Example:
        >>> one_line("duplicate id 'a\\n  b'\\n")
        "duplicate id 'a b'"
    """
    return " ".join(part.strip() for part in text.splitlines() if part.strip())
