"""Project files that cannot be opened: each command says so in one line, and never changes them.

A project written by a newer version, a GeoPackage that is not a project, random bytes, a
truncated copy, damaged urban-twin tables: ``twin info``, ``twin import``, ``twin gui
--screenshot`` and ``twin scenario list`` all refuse them with status 2.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.robustness.bad_files import SAMPLES
from tests.robustness.conftest import assert_refused_cleanly, run_twin


def _sql(*statements: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with sqlite3.connect(path) as db:
            for statement in statements:
                db.execute(statement)
        db.close()

    return damage


def _replace_with(data: Callable[[Path], bytes]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.write_bytes(data(path))

    return damage


def _folder_instead(path: Path) -> None:
    path.unlink()
    path.mkdir()


DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "written by a newer version": (
        _sql("UPDATE twin_metadata SET value = '99' WHERE key = 'schema_version'"),
        "update urban-twin",
    ),
    "a GeoPackage that is not a project": (
        _replace_with(lambda _: (SAMPLES / "bdtopo.gpkg").read_bytes()),
        "not an urban-twin project",
    ),
    "random bytes": (
        _replace_with(lambda _: np.random.default_rng(5).bytes(50_000)),
        "not an urban-twin project",
    ),
    "an empty file": (_replace_with(lambda _: b""), "not an urban-twin project"),
    "cut at half": (
        _replace_with(lambda p: p.read_bytes()[: p.stat().st_size // 2]),
        "damaged",
    ),
    "cut at 90 percent": (
        _replace_with(lambda p: p.read_bytes()[: p.stat().st_size * 9 // 10]),
        "damaged",
    ),
    "damaged metadata": (
        _sql("UPDATE twin_metadata SET value = '{pas du json' WHERE key = 'origin'"),
        "damaged",
    ),
    "without its CRS": (_sql("DELETE FROM twin_metadata WHERE key = 'crs'"), "CRS"),
    "an unknown CRS": (
        _sql("UPDATE twin_metadata SET value = '\"PROJCS[n''importe quoi]\"' WHERE key = 'crs'"),
        "damaged",
    ),
    "a layer table missing": (_sql("DROP TABLE communes"), "damaged"),
    "a damaged layer spec": (
        _sql("UPDATE twin_layers SET spec = '{\"name\": 3}' WHERE name = 'communes'"),
        "damaged",
    ),
    "a damaged mesh": (
        _sql(
            "INSERT INTO twin_meshes (name, origin, object_ids, vertices, faces, vertex_offsets, "
            "face_offsets) VALUES ('ifc', '[0, 0, 0]', '[\"a\"]', x'0102', x'03', x'', x'')"
        ),
        "damaged",
    ),
    "a damaged terrain": (
        _sql("UPDATE gpkg_tile_matrix SET tile_width = 0"),
        "damaged",
    ),
    "a folder": (_folder_instead, "is a folder"),
}
COMMANDS: dict[str, Callable[[Path, Path], list[str | Path]]] = {
    "info": lambda project, _: ["info", project],
    "info --json": lambda project, _: ["info", project, "--json"],
    "import": lambda project, _: ["import", project, SAMPLES / "communes.json"],
    "gui --screenshot": lambda project, tmp: ["gui", project, "--screenshot", tmp / "shot.png"],
    "scenario list": lambda project, _: ["scenario", "list", project],
}


@pytest.fixture(scope="module")
def sound_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with communes and the sample terrain, to be damaged in copies."""
    import io
    from contextlib import redirect_stdout

    from twin.cli import main

    folder = tmp_path_factory.mktemp("sound")
    with redirect_stdout(io.StringIO()):
        assert main(["new", str(folder / "ville")]) == 0
        project = folder / "ville.twin.gpkg"
        files = [SAMPLES / "communes.json", SAMPLES / "mnt_25m.tif"]
        assert main(["import", str(project), *map(str, files)]) == 0
    return project


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_project_that_cannot_be_opened_is_refused_in_one_line_and_left_as_it_is(
    damage: str,
    command: str,
    sound_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = tmp_path / "ville.twin.gpkg"
    shutil.copyfile(sound_project, project)
    make_bad, says = DAMAGES[damage]
    make_bad(project)
    before = project.read_bytes() if project.is_file() else None
    outcome = run_twin(capsys, *COMMANDS[command](project, tmp_path))
    assert_refused_cleanly(outcome, "ville.twin.gpkg", *((says,) if says else ()))
    assert (project.read_bytes() if project.is_file() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ville.twin.gpkg"]
