"""In the app, an import whose merge fails half-way leaves the open project unchanged, not dirty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import box

import importers.merge
from gui.main_window import MainWindow
from importers.base import ImportOptions

IMPORT_TIMEOUT_MS = 120_000


def test_a_merge_failing_half_way_leaves_the_open_project_unchanged_and_not_dirty(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = window.document.city
    minx, miny, maxx, maxy = city.extent()
    x, y = (minx + maxx) / 2, (miny + maxy) / 2
    source = tmp_path / "nouveaux_batiments.geojson"
    gpd.GeoDataFrame(
        {"id": ["neuf1", "neuf2"], "height_m": [9.0, 12.0]},
        geometry=[box(x, y, x + 12, y + 10), box(x + 30, y, x + 42, y + 10)],
        crs=city.crs,
    ).to_file(source, driver="GeoJSON")
    frames = {name: city.layer(name) for name in city.layer_names}
    provenance = list(city.provenance)
    rasters, meshes, origin = dict(city.rasters), dict(city.meshes), city.origin
    changes: list[str] = []
    window.document.city_changed.connect(lambda layer, _ids, _columns: changes.append(layer))

    def out_of_memory(_city: Any) -> tuple[int, int]:
        raise MemoryError

    # After the buildings were appended, the provenance kept and the parents linked:
    monkeypatch.setattr(importers.merge, "sample_base_elevations", out_of_memory)
    errors: list[str] = []
    window.imports.show_error = errors.append
    window.imports.show_report = lambda *_args: pytest.fail("no report for a failed import")
    with qtbot.waitSignal(window.imports.finished, timeout=IMPORT_TIMEOUT_MS) as done:
        assert window.imports.import_files([source], ImportOptions(kind="buildings"))
    assert done.args == [False]
    assert len(errors) == 1
    assert errors[0].startswith("Impossible d'importer « nouveaux_batiments.geojson »")
    assert "Mémoire insuffisante pour ajouter « nouveaux_batiments.geojson »" in errors[0]
    assert window.document.city is city and not window.document.dirty
    assert "modifications non enregistrées" not in window.windowTitle()
    assert changes == []
    assert city.layer_names == list(frames)
    assert all(city.layer(name) is frame for name, frame in frames.items())  # same objects
    assert "neuf1" not in set(city.layer("buildings")["id"])
    assert city.provenance == provenance and city.origin == origin
    assert city.rasters == rasters and city.meshes == meshes
