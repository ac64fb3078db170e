"""The fuzzer's child process: reads one input after another and says how each ended.

Run as ``python -m tests.fuzz.worker``. It imports every importer, prints ``ready``, then reads
lines ``TARGET<TAB>PATH`` on stdin and answers each with one JSON line on stdout:
``{"outcome": "ok" | "clean" | "unclear" | "other", "type": ..., "message": ..., "where": ...}``.

- ``ok``: the file was read (an importer's result is then merged into an empty City, as
  ``twin import`` does into a new project).
- ``clean``: a :class:`~twin.errors.TwinError` whose message is one line without a Python
  exception name, as the CLI prints it.
- ``unclear``: a TwinError with an empty or several-line message, or one naming a Python
  exception (``ValueError``) the user cannot act on.
- ``other``: any other exception: a bug.

A hang or a crash (a signal) is seen by the parent (:mod:`tests.fuzz.runner`), which kills and
restarts this process. Libraries writing on stdout are sent to stderr so they cannot break the
protocol; memory is capped (``TWIN_FUZZ_MEMORY_MB``, default 4096) so a file asking for
terabytes ends as a MemoryError here rather than with the machine swapping.
"""

from __future__ import annotations

import json
import logging
import os
import re
import resource
import sys
import traceback
import warnings
from pathlib import Path
from typing import Any

from importers.base import ImportOptions
from importers.merge import MergeError, merge_results
from importers.registry import importers, read_file
from twin.city import City
from twin.errors import TwinError
from twin.project import load_project

REPO = Path(__file__).resolve().parents[2]
#: Python exception names leaking into a message (as tests/robustness/conftest.py checks).
PYTHON_ERROR = re.compile(r"\b[A-Z]\w*(?:Error|Exception)\b|Traceback")
#: How each target is read: ``project`` by the loader, the others by the registry with that
#: importer forced (``--as NAME``); the generic importer through a column mapping; ``auto`` as
#: ``twin import FILE`` does without ``--as``, every importer's sniffer trying the file.
OPTIONS: dict[str, ImportOptions] = {
    **{module.NAME: ImportOptions(kind=module.NAME) for module in importers()},
    "vector": ImportOptions(kind="buildings", mapping={"height_m": "hauteur"}),
    "auto": ImportOptions(),
}
TARGETS = ("project", *OPTIONS)


def run_one(target: str, path: Path) -> dict[str, Any]:
    """Read ``path`` as ``target`` and describe how it ended."""
    try:
        if target == "project":
            load_project(path)
        else:
            result = read_file(path, target_crs="EPSG:2154", options=OPTIONS[target])
            merge_results(City("EPSG:2154"), [result])
    except MergeError as exc:  # a merge turns a bug into a MergeError: look at its cause
        cause = exc.__cause__
        if cause is not None and not isinstance(cause, TwinError | MemoryError):
            return _describe("other", cause, "MergeError from ")
        return _describe(_cleanliness(exc), exc)
    except TwinError as exc:
        return _describe(_cleanliness(exc), exc)
    except Exception as exc:  # what the fuzzer is here to find
        return _describe("other", exc)
    return {"outcome": "ok", "type": "", "message": "", "where": ""}


def _cleanliness(exc: TwinError) -> str:
    """``clean`` for one line without Python exception names, else ``unclear``."""
    message = str(exc)
    clear = message.strip() and "\n" not in message and not PYTHON_ERROR.search(message)
    return "clean" if clear else "unclear"


def _describe(outcome: str, exc: BaseException, prefix: str = "") -> dict[str, Any]:
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.startswith(str(REPO)) and "/.venv/" not in frame.filename
    ]
    where = f"{Path(frames[-1].filename).relative_to(REPO)}:{frames[-1].lineno}" if frames else ""
    return {
        "outcome": outcome,
        "type": prefix + type(exc).__name__,
        "message": str(exc)[:400],
        "where": where,
    }


def main() -> None:
    """Answer inputs until stdin closes."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # a library printing on stdout must not break the protocol
    sys.stdout = sys.stderr
    limit = int(os.environ.get("TWIN_FUZZ_MEMORY_MB", "4096")) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    protocol.write("ready\n")
    for line in sys.stdin:
        target, path = line.rstrip("\n").split("\t", 1)
        protocol.write(json.dumps(run_one(target, Path(path))) + "\n")


if __name__ == "__main__":
    main()
