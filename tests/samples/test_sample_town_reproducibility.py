"""The generator is deterministic and the committed sample data is its untouched output."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio

from samples.town.__main__ import main
from samples.town.generate import FILES, generate_sample_town

COMMITTED = Path(__file__).resolve().parents[2] / "samples" / "data"


def _ifc_data(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("DATA;") :]


def _assert_same_content(fresh: Path, committed: Path) -> None:
    """Compare two generated files by content, tolerating container-level differences."""
    suffix = fresh.suffix
    if suffix == ".json":
        assert json.loads(fresh.read_text("utf-8")) == json.loads(committed.read_text("utf-8"))
    elif suffix == ".gpkg":
        layers = [name for name, _ in pyogrio.list_layers(fresh)]
        assert layers == [name for name, _ in pyogrio.list_layers(committed)]
        for layer in layers:
            a = gpd.read_file(fresh, layer=layer)
            b = gpd.read_file(committed, layer=layer)
            pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
            assert a.geometry.geom_equals_exact(b.geometry, tolerance=1e-6).all(), layer
            assert a.crs == b.crs
    elif suffix == ".tif":
        with rasterio.open(fresh) as a, rasterio.open(committed) as b:
            assert a.profile == b.profile
            assert np.array_equal(a.read(1), b.read(1))
    elif suffix == ".zip":
        with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(committed) as b:
            assert a.namelist() == b.namelist()
            for name in a.namelist():
                assert a.read(name) == b.read(name), name
    elif suffix == ".ifc":
        assert _ifc_data(fresh) == _ifc_data(committed)
    else:
        raise AssertionError(f"unexpected file {fresh}")


def test_generating_twice_gives_byte_identical_files(town: dict[str, Path], tmp_path: Path) -> None:
    again = generate_sample_town(tmp_path / "again")
    for key, path in town.items():
        assert path.read_bytes() == again[key].read_bytes(), key


def test_another_seed_gives_another_town(town: dict[str, Path], tmp_path: Path) -> None:
    other = generate_sample_town(tmp_path / "other", seed=7)
    assert other["bdtopo"].read_bytes() != town["bdtopo"].read_bytes()
    assert other["parcelles_12990"].read_bytes() != town["parcelles_12990"].read_bytes()


def test_committed_sample_data_matches_a_fresh_generation(town: dict[str, Path]) -> None:
    names = {p.name for p in COMMITTED.iterdir()}
    assert set(FILES.values()) <= names
    for path in town.values():
        try:
            _assert_same_content(path, COMMITTED / path.name)
        except AssertionError as error:
            raise AssertionError(
                f"samples/data/{path.name} is not the generator's output; "
                "regenerate it with `uv run python -m samples.town samples/data`"
            ) from error


def test_the_command_line_writes_the_files_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "cli")]) == 0
    printed = capsys.readouterr().out
    for name in FILES.values():
        assert (tmp_path / "cli" / name).exists()
        assert name in printed
