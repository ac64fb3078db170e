"""The ``twin`` command: the one composition root of urban-twin.

It wires importers, scenarios, samples and the app together, importing them lazily inside the
subcommands (twin/ imports nothing above it anywhere else). User errors end with exit status 2
and one line on stderr saying what went wrong and what to do; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from twin import __version__
from twin.city import City, parse_crs
from twin.cli_feedback import ProgressBar
from twin.errors import InvalidInputError, ProjectError, TwinError
from twin.project import load_project, project_path, save_project
from twin.summary import project_summary, summary_lines

logger = logging.getLogger("twin")

USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="twin",
        description="urban-twin: a digital twin of French towns, from the territory to the room.",
    )
    parser.add_argument("--version", action="version", version=f"urban-twin {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is being done")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="create an empty project")
    new.add_argument("project", type=Path, help="the project file (NAME.twin.gpkg)")
    new.add_argument("--crs", default="EPSG:2154", help="project CRS, in metres (EPSG:2154)")
    new.add_argument("--name", default="", help="the project's name (default: the file name)")
    new.add_argument("--force", action="store_true", help="replace an existing project")

    imp = commands.add_parser("import", help="bring files into a project")
    imp.add_argument("project", type=Path)
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE")
    imp.add_argument(
        "--as",
        dest="kind",
        default="",
        metavar="KIND",
        help="what the files hold, when their content does not say (e.g. buildings)",
    )
    imp.add_argument("--crs", default="", help="CRS of files that do not declare one")
    imp.add_argument("--layer", default="", help="which layer of a multi-layer file to read")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="TARGET=SOURCE",
        help="take a column of the twin from a column of the file (repeatable)",
    )
    imp.add_argument("--mapping", type=Path, help="a TOML mapping file (see docs/mapping.md)")
    imp.add_argument(
        "--storey-height",
        type=float,
        default=3.0,
        metavar="METRES",
        help="storey height used to turn floors into heights (default 3 m)",
    )
    imp.add_argument(
        "--at",
        default="",
        metavar="X,Y[,Z]",
        help="where to place a model without georeferencing (project CRS, metres)",
    )
    imp.add_argument(
        "--rotation",
        type=float,
        default=0.0,
        metavar="DEG",
        help="rotation of such a model, degrees counter-clockwise (with --at)",
    )
    imp.add_argument(
        "--furniture", action="store_true", help="also read furniture and equipment (IFC)"
    )

    info = commands.add_parser("info", help="describe a project")
    info.add_argument("project", type=Path)
    info.add_argument("--json", action="store_true", help="print JSON instead of text")

    gui = commands.add_parser("gui", help="open the desktop app")
    gui.add_argument("project", type=Path, nargs="?", help="the project to open (optional)")
    gui.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="save a picture of the window once drawn, then exit (needs a display, e.g. Xvfb)",
    )

    demo = commands.add_parser("demo", help="build the sample town and open it")
    demo.add_argument(
        "--headless",
        type=Path,
        metavar="OUTDIR",
        help="write the sample project and its summary to OUTDIR; no display needed",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handlers = {"new": _new, "import": _import, "info": _info, "gui": _gui, "demo": _demo}
    try:
        return handlers[args.command](args)
    except TwinError as exc:
        if args.debug:
            raise
        print(f"twin: error: {exc}", file=sys.stderr)
        return USER_ERROR
    except BrokenPipeError:  # `twin info ... | head`: the reader left, nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        if args.debug:
            raise
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"twin: error: {exc.strerror or exc}{where}; check the path and rights.",
            file=sys.stderr,
        )
        return USER_ERROR
    except KeyboardInterrupt:
        print("twin: interrupted; the project was not changed.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: still one line, the project left as it was
        if args.debug:
            raise
        print(
            f"twin: internal error ({type(exc).__name__}: {exc}); the project was not changed. "
            "Run the command again with --debug and report what it prints.",
            file=sys.stderr,
        )
        return 1


# -- subcommands --------------------------------------------------------------------------------
def _new(args: argparse.Namespace) -> int:
    path = project_path(args.project)
    if path.exists() and not args.force:
        raise ProjectError(f"{path} already exists; open it, or add --force to replace it.")
    city = City(parse_crs(args.crs), name=args.name or path.name.removesuffix(".twin.gpkg"))
    save_project(city, path)
    print(f"created {path} ({city.crs.name})")
    return 0


def _import(args: argparse.Namespace) -> int:
    from importers.base import ImportOptions
    from importers.mapping import options_from_mapping_file, parse_map_flags
    from importers.merge import check_result, merge_result
    from importers.registry import read_file

    path = project_path(args.project)
    city = load_project(path)
    options = ImportOptions(
        kind=args.kind,
        source_crs=parse_source_crs(args.crs) if args.crs else None,
        source_layer=args.layer,
        mapping=parse_map_flags(args.map),
        storey_height_m=_storey_height(args.storey_height),
        placement_xyz=parse_placement(args.at) if args.at else None,
        rotation_deg=args.rotation,
        include_furniture=args.furniture,
    )
    if args.mapping is not None:
        options = options_from_mapping_file(args.mapping, options)
    results = []
    for file in args.files:  # read everything first: one bad file leaves the project untouched
        bar = ProgressBar(f"reading {file.name}")
        try:
            results.append(read_file(file, target_crs=city.crs, options=options, feedback=bar))
        finally:
            bar.finish()
    for result in results:  # refuse empty or misplaced files before the City changes at all
        check_result(city, result)
    for result in results:
        report = merge_result(city, result)
        print("\n".join(result.summary_lines() + report.lines()))
    save_project(city, path, feedback=ProgressBar("saving"))
    print(f"saved {path}")
    return 0


def _info(args: argparse.Namespace) -> int:
    path = project_path(args.project)
    city = load_project(path)
    summary = project_summary(city, path)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(summary)))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from samples.build import build_sample_project, default_demo_folder

    outdir: Path = args.headless or default_demo_folder()
    path = build_sample_project(outdir, feedback=ProgressBar("building the sample town"))
    city = load_project(path)
    summary = project_summary(city, path)
    if args.headless:
        from twin.snapshot import render_snapshot

        (outdir / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        render_snapshot(city, outdir / "valmont.png")
    print("\n".join(summary_lines(summary)))
    if args.headless:
        return 0
    from gui.app import run_app

    return run_app(path)


def _gui(args: argparse.Namespace) -> int:
    from gui.app import run_app

    return run_app(args.project, screenshot=args.screenshot)


# -- argument helpers -------------------------------------------------------------------------
def _storey_height(value: float) -> float:
    if not 2.0 <= value <= 10.0:
        raise InvalidInputError(
            f"--storey-height {value:g}: a storey is between 2 and 10 m high; 3 m is typical."
        )
    return value


def parse_placement(text: str) -> tuple[float, float, float]:
    """``X,Y`` or ``X,Y,Z`` in metres (project CRS); without Z, the ground comes from the
    terrain when the project has one (NaN here).

    >>> parse_placement("668000,6357000,402")
    (668000.0, 6357000.0, 402.0)
    >>> parse_placement("668000,6357000")[2]
    nan
    """
    parts = [part.strip() for part in text.split(",")]
    try:
        values = [float(part) for part in parts]
    except ValueError:
        values = []
    if len(values) not in (2, 3):
        raise InvalidInputError(
            f"--at {text}: write the place as X,Y or X,Y,Z in metres of the project's CRS, "
            "e.g. --at 668120,6357240,402."
        )
    return (values[0], values[1], values[2] if len(values) == 3 else float("nan"))


def parse_source_crs(text: str) -> Any:
    """A source CRS may be geographic (degrees), unlike a project CRS."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    from twin.errors import CrsError

    try:
        return CRS.from_user_input(f"EPSG:{text}" if text.strip().isdigit() else text)
    except CRSError as exc:
        raise CrsError(
            f"unknown coordinate reference system '{text}'; give an EPSG code such as EPSG:2154."
        ) from exc


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
