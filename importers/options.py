"""Import options from what a user typed: shared by ``twin import`` and the app's options dialog.

Both build :class:`~importers.base.ImportOptions` through :func:`build_import_options`, so a
choice means the same thing on the command line and in the app. A bad value raises
:class:`OptionError`, which names the option (``option``) so the app can show its own line
next to the field, while the CLI prints the message as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pyproj import CRS
from pyproj.exceptions import CRSError

from importers.base import ImportOptions
from importers.mapping import options_from_mapping_file, parse_map_flags
from twin.errors import InvalidInputError

#: A storey is between these heights (metres); 3 m is typical.
STOREY_HEIGHT_RANGE_M = (2.0, 10.0)


class OptionError(InvalidInputError):
    """An import option has a value that cannot be used.

    Attributes:
        option: which option: ``"crs"``, ``"map"``, ``"mapping"``, ``"storey_height"``, ``"at"``.
        value: the value as the user gave it.
    """

    def __init__(self, message: str, *, option: str, value: str) -> None:
        super().__init__(message)
        self.option = option
        self.value = value


def build_import_options(
    *,
    kind: str = "",
    crs: str = "",
    layer: str = "",
    map_pairs: Sequence[str] = (),
    mapping_file: Path | None = None,
    storey_height_m: float = 3.0,
    at: str = "",
    rotation_deg: float = 0.0,
    furniture: bool = False,
    day: str = "",
) -> ImportOptions:
    """The options of an import, from the values of ``twin import``'s flags.

    A mapping file's entries fill what the other values leave empty (as ``--mapping`` does).

    Example:
        >>> options = build_import_options(kind="buildings", crs="2154", map_pairs=["height_m=H"])
        >>> options.kind, options.source_crs.to_epsg(), dict(options.mapping)
        ('buildings', 2154, {'height_m': 'H'})

    Raises:
        OptionError: a value is unusable (unknown CRS, a pair not written TARGET=SOURCE, a
            missing or invalid mapping file, a storey height outside 2-10 m, a bad ``--at``,
            a day that is not YYYY-MM-DD).
    """
    try:
        mapping = parse_map_flags(map_pairs)
    except InvalidInputError as exc:
        raise OptionError(str(exc), option="map", value=", ".join(map_pairs)) from exc
    options = ImportOptions(
        kind=kind.strip(),
        source_crs=parse_source_crs(crs) if crs.strip() else None,
        source_layer=layer,
        mapping=mapping,
        storey_height_m=check_storey_height(storey_height_m),
        placement_xyz=parse_placement(at) if at.strip() else None,
        rotation_deg=rotation_deg,
        include_furniture=furniture,
        service_date=check_day(day),
    )
    if mapping_file is not None:
        try:
            options = options_from_mapping_file(Path(mapping_file), options)
        except InvalidInputError as exc:
            raise OptionError(str(exc), option="mapping", value=str(mapping_file)) from exc
    return options


def check_storey_height(value: float) -> float:
    """``value`` when it is a plausible storey height (2 to 10 m).

    Raises:
        OptionError: outside that range.
    """
    low, high = STOREY_HEIGHT_RANGE_M
    if not low <= value <= high:
        raise OptionError(
            f"--storey-height {value:g}: a storey is between {low:g} and {high:g} m high; "
            "give a height in that range (3 m is typical).",
            option="storey_height",
            value=f"{value:g}",
        )
    return value


def parse_placement(text: str) -> tuple[float, float, float]:
    """``X,Y`` or ``X,Y,Z`` in metres (project CRS); without Z, the ground comes from the
    terrain when the project has one (NaN here).

    >>> parse_placement("668000,6357000,402")
    (668000.0, 6357000.0, 402.0)
    >>> parse_placement("668000,6357000")[2]
    nan

    Raises:
        OptionError: not two or three numbers.
    """
    parts = [part.strip() for part in text.split(",")]
    try:
        values = [float(part) for part in parts]
    except ValueError:
        values = []
    if len(values) not in (2, 3):
        raise OptionError(
            f"--at {text}: write the place as X,Y or X,Y,Z in metres of the project's CRS, "
            "e.g. --at 668120,6357240,402.",
            option="at",
            value=text,
        )
    return (values[0], values[1], values[2] if len(values) == 3 else float("nan"))


def parse_source_crs(text: str) -> CRS:
    """A file's CRS as ``EPSG:2154``, ``2154`` or WKT; unlike a project CRS it may be
    geographic (degrees).

    >>> parse_source_crs("4326").name
    'WGS 84'

    Raises:
        OptionError: pyproj does not know it.
    """
    text = text.strip()
    try:
        return CRS.from_user_input(f"EPSG:{text}" if text.isdigit() else text)
    except CRSError as exc:
        raise OptionError(
            f"unknown coordinate reference system '{text}'; give an EPSG code such as EPSG:2154.",
            option="crs",
            value=text,
        ) from exc


def check_day(text: str) -> str:
    """A service day written YYYY-MM-DD (``--day``), or "" for the feed's default day.

    Example:
        >>> check_day(" 2024-03-12 "), check_day("")
        ('2024-03-12', '')

    Raises:
        OptionError: the text is not such a date.
    """
    text = text.strip()
    if not text:
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise OptionError(
            f"--day '{text}' is not a date; write it YYYY-MM-DD, e.g. 2024-03-12.",
            option="day",
            value=text,
        ) from None
