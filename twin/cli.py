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

from twin import __version__
from twin.city import City, parse_crs
from twin.cli_feedback import ProgressBar
from twin.errors import ProjectError, TwinError, one_line
from twin.project import load_project, project_path, save_project
from twin.summary import project_summary, summary_lines

logger = logging.getLogger("twin")

USER_ERROR = 2
#: Loggers of libraries (GDAL through rasterio and pyogrio, Python warnings): quiet unless -v.
_LIBRARY_LOGGERS = ("py.warnings", "rasterio", "pyogrio", "fiona")


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
    imp.add_argument(
        "--day",
        default="",
        metavar="YYYY-MM-DD",
        help="the day transit service is counted on (GTFS; default: the busiest Tuesday)",
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
    _add_scenario_parser(commands)
    _add_indicators_parser(commands)
    _add_assumptions_parser(commands)
    _add_study_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.captureWarnings(True)  # library warnings become log records, shown with -v
    if not (args.debug or args.verbose):  # GDAL's chatter would add lines to a one-line error
        for name in _LIBRARY_LOGGERS:
            logging.getLogger(name).setLevel(logging.ERROR)
    handlers = {"new": _new, "import": _import, "info": _info, "gui": _gui, "demo": _demo}
    handlers["scenario"] = _scenario
    handlers["indicators"] = _indicators
    handlers["assumptions"] = _assumptions
    handlers["study"] = _study
    try:
        return handlers[args.command](args)
    except TwinError as exc:
        if args.debug:
            raise
        print(f"twin: error: {one_line(str(exc))}", file=sys.stderr)
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
    from importers.merge import check_result, merge_results
    from importers.options import build_import_options
    from importers.registry import read_file

    path = project_path(args.project)
    city = load_project(path)
    options = build_import_options(  # the same helper builds the app's options
        kind=args.kind,
        crs=args.crs,
        layer=args.layer,
        map_pairs=args.map,
        mapping_file=args.mapping,
        storey_height_m=args.storey_height,
        at=args.at,
        rotation_deg=args.rotation,
        furniture=args.furniture,
        day=args.day,
    )
    results = []
    for file in args.files:  # read everything first: one bad file leaves the project untouched
        bar = ProgressBar(f"reading {file.name}")
        try:
            results.append(read_file(file, target_crs=city.crs, options=options, feedback=bar))
        finally:
            bar.finish()
    for result in results:  # refuse empty or misplaced files before the City changes at all
        check_result(city, result)
    # All or nothing: if one merge fails half-way, the City is put back and nothing is saved.
    for result, report in zip(results, merge_results(city, results), strict=True):
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


def _add_scenario_parser(commands: argparse._SubParsersAction) -> None:
    scenario = commands.add_parser(
        "scenario", help="list, show, apply, export or import scenarios; add model files"
    )
    actions = scenario.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the project's scenarios")
    listing.add_argument("project", type=Path)
    show = actions.add_parser("show", help="a scenario's base, description and edits")
    show.add_argument("project", type=Path)
    show.add_argument("name", help="the scenario's name (quote it if it has spaces)")
    apply = actions.add_parser("apply", help="write the project with a scenario applied")
    apply.add_argument("project", type=Path)
    apply.add_argument("name")
    apply.add_argument(
        "--save-as",
        type=Path,
        metavar="OUT",
        help="the new project file (default: PROJECT-<scenario>.twin.gpkg beside it)",
    )
    apply.add_argument("--force", action="store_true", help="replace OUT if it exists")
    export = actions.add_parser("export", help="write a scenario to a TOML file")
    export.add_argument("project", type=Path)
    export.add_argument("name")
    export.add_argument("file", type=Path, metavar="FILE.toml")
    imp = actions.add_parser("import", help="add a scenario from a TOML file to the project")
    imp.add_argument("project", type=Path)
    imp.add_argument("file", type=Path, metavar="FILE.toml")
    imp.add_argument("--replace", action="store_true", help="replace a scenario of that name")
    add_file = actions.add_parser(
        "add-file", help="store a building model (IFC) in the project for place_model edits"
    )
    add_file.add_argument("project", type=Path)
    add_file.add_argument("file", type=Path, metavar="FILE.ifc")
    add_file.add_argument(
        "--replace", action="store_true", help="replace a stored file of that name"
    )


def register_model_readers() -> None:
    """Wire the IFC importer into the scenarios' ``place_model`` edit (they never import
    each other); without ifcopenshell the edit says the IFC reader is unavailable. The app
    calls it too (gui/app.py)."""
    from scenarios.edits.model_readers import register_model_reader

    try:
        from importers.ifc_model import SUFFIXES, read_model
    except ImportError as exc:  # pragma: no cover - ifcopenshell is a dependency
        logger.debug("no IFC reader for placed models: %s", exc)
        return
    register_model_reader(SUFFIXES, read_model)


def _scenario(args: argparse.Namespace) -> int:
    from scenarios import commands

    register_model_readers()
    path = project_path(args.project)
    if args.action == "list":
        lines = commands.list_lines(load_project(path), path)
    elif args.action == "show":
        lines = commands.show_lines(load_project(path), args.name, path)
    elif args.action == "apply":
        bar = ProgressBar("saving")
        try:
            lines = commands.apply_command(
                path, args.name, args.save_as, force=args.force, feedback=bar
            )
        finally:
            bar.finish()
    elif args.action == "export":
        lines = commands.export_command(path, args.name, args.file)
    elif args.action == "add-file":
        from importers.ifc_model import model_file

        lines = commands.add_file_command(path, model_file(args.file), replace=args.replace)
    else:
        lines = commands.import_command(path, args.file, replace=args.replace)
    print("\n".join(lines))
    return 0


def _add_indicators_parser(commands: argparse._SubParsersAction) -> None:
    ind = commands.add_parser(
        "indicators", help="indicators of the baseline and scenarios, side by side"
    )
    ind.add_argument("project", type=Path)
    ind.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="also compute this scenario and its differences to the baseline (repeatable)",
    )
    ind.add_argument(
        "--level", default="commune", help="territory, commune, district, parcel, building ..."
    )
    output = ind.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")
    ind.add_argument(
        "--indicator",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only indicators whose name, measure or group matches (floor_area*, land)",
    )
    ind.add_argument("--french", action="store_true", help="French numbers (1 234,5; CSV with ;)")
    ind.add_argument("--assumptions", type=Path, metavar="FILE.toml", help="override assumptions")
    ind.add_argument("--list", action="store_true", help="list the level's indicators and units")


def _add_assumptions_parser(commands: argparse._SubParsersAction) -> None:
    ass = commands.add_parser(
        "assumptions", help="list the assumptions a project uses; set or reset its own values"
    )
    ass.add_argument("project", type=Path)
    ass.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="use this value in the project (e.g. fibre.trench_eur_per_m=85); repeatable",
    )
    ass.add_argument("--file", type=Path, metavar="FILE.toml", help="set the values of a file")
    ass.add_argument(
        "--reset", action="append", default=[], metavar="KEY", help="back to the default value"
    )
    ass.add_argument("--reset-all", action="store_true", help="forget every local value")
    ass.add_argument("--json", action="store_true", help="print JSON")


def _assumptions(args: argparse.Namespace) -> int:
    from scenarios.assumption_command import assumptions_command

    print(
        assumptions_command(
            project_path(args.project),
            set_pairs=args.set,
            from_file=args.file,
            reset=args.reset,
            reset_all=args.reset_all,
            as_json=args.json,
        )
    )
    return 0


def _indicators(args: argparse.Namespace) -> int:
    from scenarios.indicators.command import indicators_command

    register_model_readers()
    print(
        indicators_command(
            project_path(args.project),
            scenarios=args.scenario,
            level=args.level,
            output="json" if args.json else "csv" if args.csv else "text",
            patterns=args.indicator,
            french=args.french,
            assumptions_file=args.assumptions,
            list_only=args.list,
        )
    )
    return 0


def _add_study_parser(commands: argparse._SubParsersAction) -> None:
    study = commands.add_parser(
        "study", help="write the digital-impact study of a scenario (HTML or PDF)"
    )
    study.add_argument("project", type=Path)
    study.add_argument("--scenario", required=True, metavar="NAME", help="the scenario studied")
    study.add_argument(
        "--compare", default="baseline", metavar="OTHER", help="compare with (default: baseline)"
    )
    study.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE.html|FILE.pdf",
        help="the report: a web page with an interactive 3D view, or an A4 PDF",
    )
    study.add_argument("--lang", default="fr", metavar="fr|en", help="language (default: fr)")
    study.add_argument("--assumptions", type=Path, metavar="FILE.toml", help="override assumptions")


def _study(args: argparse.Namespace) -> int:
    from scenarios.report.command import study_command

    register_model_readers()
    lines = study_command(
        project_path(args.project),
        args.scenario,
        args.output,
        compare=args.compare,
        lang=args.lang,
        assumptions_file=args.assumptions,
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
