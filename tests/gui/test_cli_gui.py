"""`twin gui PROJECT --screenshot FILE.png` draws the window once; errors are one clear line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage

from twin.cli import main


def pixels(path: Path) -> np.ndarray:
    """(height, width, 3) uint8 RGB of a PNG, read with Qt."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * image.height())
    return raw.reshape(image.height(), stride)[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3
    )


def test_the_screenshot_shows_the_whole_window_with_the_town_drawn(
    qapp: Any, sample_project: Path, tmp_path: Path, screenshots_dir: Path
) -> None:
    out = tmp_path / "gui.png"
    assert main(["gui", str(sample_project), "--screenshot", str(out)]) == 0
    picture = pixels(out)
    assert picture.shape == (1000, 1600, 3)
    centre = picture[300:800, 500:1100].reshape(-1, 3)  # the 3D view
    colours = np.unique(centre, axis=0)
    assert len(colours) > 200  # buildings, parcels, roads and shaded terrain, not a flat fill
    use_tan = np.all(np.abs(centre.astype(int) - [0xE8, 0xC0, 0x7D]) < 40, axis=1)
    assert use_tan.mean() > 0.01  # residential roofs and walls are visible
    shutil.copyfile(out, screenshots_dir / "sample-town.png")


def test_the_screenshot_of_a_selection_fills_the_inspector(
    shown: Any, qtbot: Any, screenshots_dir: Path
) -> None:
    city = shown.document.city
    public = city.layer("buildings")
    building = str(public.loc[public["use"] == "public", "id"].iloc[0])
    shown.hierarchy.search_box.setText(building[:18])
    shown.hierarchy.find(building)
    shown.view.render_now()
    qtbot.wait(50)
    path = screenshots_dir / "sample-town-selected.png"
    assert shown.grab().save(str(path))
    assert shown.inspector.value_of("Usage") == "Équipement public"


def test_a_missing_project_ends_with_one_line_and_status_2(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["gui", str(tmp_path / "absent.twin.gpkg"), "--screenshot", "x.png"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("twin: error: project ")
    assert "not found" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_without_a_display_the_app_says_so_instead_of_aborting(
    sample_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["gui", str(sample_project)]) == 2
    err = capsys.readouterr().err
    assert "no display" in err
    assert "xvfb-run" in err


def test_demo_opens_the_app_on_the_sample_project(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[Path] = []
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(
        "gui.app.run_app", lambda project=None, screenshot=None: opened.append(project) or 0
    )
    assert main(["demo"]) == 0
    assert opened == [tmp_path / "urban-twin" / "demo" / "valmont.twin.gpkg"]
    assert "valmont.twin.gpkg" in capsys.readouterr().out
