"""Camera placements and the scale bar's round lengths."""

from __future__ import annotations

import numpy as np
import pytest

from gui.camera import aspect_factor, frame_camera, side_camera, top_camera
from gui.scale_bar import length_label, nice_length
from gui.scene import town_frame

FRAME = (np.array([100.0, 200.0, 50.0]), 400.0)


def test_the_top_view_looks_straight_down_with_north_up() -> None:
    position, focal, up = top_camera(FRAME)
    assert position[:2] == focal[:2]
    assert position[2] > focal[2]
    assert up == (0.0, 1.0, 0.0)


@pytest.mark.parametrize(
    ("side", "axis", "sign"), [("north", 1, 1), ("south", 1, -1), ("east", 0, 1), ("west", 0, -1)]
)
def test_side_views_stand_on_their_side_of_the_town(side: str, axis: int, sign: int) -> None:
    position, focal, up = side_camera(FRAME, side)
    assert sign * (position[axis] - focal[axis]) > 0
    assert up == (0.0, 0.0, 1.0)


def test_side_views_look_from_above_the_hills_around() -> None:
    position, _, _ = side_camera(FRAME, "south", ground_top=300.0)
    assert position[2] > 300.0


def test_a_narrow_view_stands_farther_back() -> None:
    wide, _, _ = frame_camera(FRAME, aspect=1.6)
    narrow, _, _ = frame_camera(FRAME, aspect=0.8)
    assert np.linalg.norm(np.subtract(narrow, FRAME[0])) > np.linalg.norm(
        np.subtract(wide, FRAME[0])
    )
    assert aspect_factor(2.5) == 1.0


def test_the_frame_is_the_built_up_core_not_the_outlying_farms() -> None:
    rng = np.random.default_rng(1)
    town = rng.normal([0.0, 0.0, 10.0], [100.0, 100.0, 3.0], size=(5000, 3))
    farms = np.array([[5000.0, 5000.0, 0.0], [-4000.0, 6000.0, 0.0]])
    centre, span = town_frame(np.vstack([town, farms]))
    assert np.hypot(*centre[:2]) < 20
    assert 200 <= span < 500


def test_the_scale_bar_uses_round_lengths() -> None:
    assert [nice_length(v) for v in (0.7, 3.2, 137.0, 260.0, 999.0)] == [0.5, 2, 100, 200, 500]
    assert length_label(2000.0) == "2 km"
    assert length_label(50.0) == "50 m"
    with pytest.raises(ValueError, match="positive"):
        nice_length(0.0)
