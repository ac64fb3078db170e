"""The fuzz job: the project loader and every importer fed mutated and made-up files.

Kept out of the default run (marker ``fuzz``). Run it with::

    .venv/bin/python -m pytest -m fuzz tests/fuzz -p no:cacheprovider -s

``TWIN_FUZZ_SECONDS`` (default 60) is shared among the targets (the loader, each importer
forced as with ``--as NAME``, and ``auto``: without ``--as``, every sniffer trying the file);
``TWIN_FUZZ_INPUT_TIMEOUT`` (default 30 s) is how long one input may take before it counts as
a hang. Each input is read in a worker process
(:mod:`tests.fuzz.worker`), killed and restarted on a hang or a crash. Every failure (an error
that is not a one-line TwinError, a hang, a crash) fails the test; its input is kept in
``build/fuzz-failures/TARGET/`` (or ``TWIN_FUZZ_FAILURES``) to reproduce it with
``twin import PROJECT FILE --as TARGET``. The figures are printed per target.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, Verbosity, given, settings

from tests.fuzz.mutations import fuzz_inputs
from tests.fuzz.runner import FAILURES, Figures, Worker
from tests.fuzz.seeds import FuzzInput, Seed, seeds_by_target
from tests.fuzz.worker import REPO, TARGETS

pytestmark = pytest.mark.fuzz

TOTAL_S = float(os.environ.get("TWIN_FUZZ_SECONDS", "60"))
INPUT_TIMEOUT_S = float(os.environ.get("TWIN_FUZZ_INPUT_TIMEOUT", "30"))
KEEP = Path(os.environ.get("TWIN_FUZZ_FAILURES", REPO / "build" / "fuzz-failures"))


class TimeUp(BaseException):
    """The target's share of the time is spent (a BaseException: hypothesis lets it through)."""


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    started = Worker(tmp_path_factory.mktemp("fuzz") / "worker-stderr.txt")
    yield started
    started.close()


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[Seed]]:
    return seeds_by_target()


def _keep(folder: Path, target: str, number: int) -> Path:
    """Copy a failing input out of the temporary folder, to reproduce it later."""
    kept = KEEP / target / f"{time.strftime('%Y%m%d-%H%M%S')}-{number}"
    shutil.copytree(folder, kept)
    return kept


@pytest.mark.timeout(TOTAL_S / len(TARGETS) + 2 * INPUT_TIMEOUT_S + 300)
@pytest.mark.parametrize("target", TARGETS)
def test_every_failure_on_fuzzed_input_is_one_clear_error(
    target: str,
    worker: Worker,
    seeds: dict[str, list[Seed]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = Figures(target)
    deadline = time.monotonic() + TOTAL_S / len(TARGETS)
    numbers = itertools.count()

    @settings(
        max_examples=10**9,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzz_inputs(target, seeds[target]))
    def one(data: FuzzInput) -> None:
        if time.monotonic() >= deadline:
            raise TimeUp
        number = next(numbers)
        folder = tmp_path / str(number)
        outcome = worker.run(target, data.write(folder), INPUT_TIMEOUT_S)
        failed = outcome["outcome"] in FAILURES
        figures.add(outcome, data.description, _keep(folder, target, number) if failed else None)
        shutil.rmtree(folder)

    with pytest.raises(TimeUp):
        one()
    with capsys.disabled():
        print("\n" + "\n".join([figures.line(), *figures.failure_lines()]))
    assert figures.tried > 0
    if figures.failures:
        pytest.fail("\n".join([figures.line(), *figures.failure_lines()]), pytrace=False)
