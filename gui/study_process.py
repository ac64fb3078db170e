"""The digital-impact study written by a child process of the app (no Qt here).

``python -m gui.study_process SOURCE --scenario NAME --compare OTHER --lang fr -o FILE``
does what ``twin study`` does (:mod:`scenarios.report.command`: compute, both states, write
atomically) and reports each stage on stdout as one JSON line: ``{"stage": "compute"}``,
``{"stage": "views"}``, ``{"stage": "write"}``, then ``{"done": FILE, "seconds": s}``, or
``{"error": "one line"}`` with exit status 2. ``SOURCE`` is a project file, or the open City as
the app handed it over: its CRS and :meth:`~twin.city.City.snapshot` pickled to a
``.city-state`` file in a private temporary folder (:func:`write_city_state`), so the study
sees the unsaved edits; pickling takes milliseconds in the app where saving a GeoPackage held
the GIL for 100 ms per layer.

Why a process: producing a study in a thread of the app froze the window for 100 to 700 ms at
a time (measured): the interpreter's garbage collector, WeasyPrint's layout and regular
expressions over megabytes of HTML hold the GIL. A process shares no GIL, and Cancel ends it
at once.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
import time
from pathlib import Path

from scenarios.assumptions import project_assumptions
from scenarios.edits.refusals import refusal_of
from scenarios.report.command import compute, study_cities
from scenarios.report.output import write_study
from scenarios.scenario import BASELINE
from twin.city import City
from twin.errors import TwinError
from twin.project import load_project

logger = logging.getLogger(__name__)

STAGES = ("compute", "views", "write")
STATE_SUFFIX = ".city-state"


def write_city_state(city: City, path: Path) -> Path:
    """Hand ``city`` over to the child: its CRS and snapshot, pickled to ``path`` (a file in a
    private temporary folder: only this app's child reads it)."""
    with path.open("wb") as stream:
        pickle.dump((city.crs.to_wkt(), city.snapshot()), stream, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def read_city(source: Path) -> City:
    """The City of a project file, or of a state written by :func:`write_city_state`."""
    if source.suffix != STATE_SUFFIX:
        return load_project(source)
    with source.open("rb") as stream:
        crs_wkt, state = pickle.load(stream)  # our own file (see above)
    city = City(crs_wkt, name=state.name)
    city.restore(state)
    return city


def report(**fields: object) -> None:
    """One JSON line on stdout, flushed (the app reads them as they come)."""
    sys.stdout.write(json.dumps(fields, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def write_study_file(
    source: Path, scenario: str, output: Path, *, compare: str = BASELINE, lang: str = "fr"
) -> float:
    """Compute the study of ``scenario`` against ``compare`` from ``source`` (see
    :func:`read_city`) and write it to ``output``, reporting the stages; the seconds taken."""
    from twin.cli import register_model_readers

    started = time.perf_counter()
    register_model_readers()  # a scenario may place a stored IFC model
    baseline = read_city(source)
    assumptions = project_assumptions(baseline)
    report(stage="compute")
    study = compute(baseline, scenario, compare, assumptions)
    report(stage="views")
    cities = study_cities(baseline, scenario, compare, assumptions)
    report(stage="write")
    write_study(study, output, lang=lang, cities=cities)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """The child's entry point; 0 when the file is written, 2 on a refused input."""
    parser = argparse.ArgumentParser(prog="python -m gui.study_process")
    parser.add_argument("source", type=Path)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--compare", default=BASELINE)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        seconds = write_study_file(
            args.source, args.scenario, args.output, compare=args.compare, lang=args.lang
        )
    except TwinError as error:
        refusal = refusal_of(error)  # for the app to say it in its language
        if refusal is not None:
            report(error=str(error), code=refusal.code, values=dict(refusal.values))
        else:
            report(error=str(error))
        return 2
    report(done=str(args.output), seconds=round(seconds, 2))
    return 0


if __name__ == "__main__":  # pragma: no cover - run by the app as a child process
    sys.exit(main())
