"""Command line: ``python -m samples.town OUTDIR [--seed N]``."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from samples.town.generate import generate_sample_town


def main(argv: list[str] | None = None) -> int:
    """Generate the sample town into the folder given on the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m samples.town",
        description="Generate the fictional sample town of Valmont-sur-Aveyron.",
    )
    parser.add_argument("outdir", type=Path, help="folder to write the files into")
    parser.add_argument("--seed", type=int, default=2154, help="random seed (default 2154)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pyogrio").setLevel(logging.WARNING)
    paths = generate_sample_town(args.outdir, seed=args.seed)
    for key, path in paths.items():
        print(f"{key:16s} {path}  ({path.stat().st_size:,} bytes)")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
