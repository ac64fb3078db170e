"""Camera placements of the 3D view, from the town's frame (centre, span): plain numpy, no Qt.

Each function returns ``(position, focal_point, up)`` in the scene's coordinates (metres
relative to the City's origin, z up, y north).
"""

from __future__ import annotations

import numpy as np

Frame = tuple[np.ndarray, float]
Placement = tuple[
    tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]
]

#: Distance of the side and top views, in spans: the town fills the ~30° view angle.
VIEW_DISTANCE_SPANS = 2.0
#: The width/height ratio the distances are tuned for (the 1600 x 1000 snapshot).
REFERENCE_ASPECT = 1.6
#: How far above the centre (or the hills around) a side view's eye is, in spans.
SIDE_LIFT_SPANS = 0.15
#: Where a side view looks from, as a horizontal unit vector from the centre.
SIDES: dict[str, tuple[float, float]] = {
    "north": (0.0, 1.0),
    "south": (0.0, -1.0),
    "east": (1.0, 0.0),
    "west": (-1.0, 0.0),
}


def aspect_factor(aspect: float) -> float:
    """How much farther to stand in a view narrower than :data:`REFERENCE_ASPECT`.

    A narrow view sees less of the town's width at the same distance; stepping back by the
    full ratio would leave much empty sky, so the factor grows a little slower than the ratio.

    Example:
        >>> aspect_factor(1.6), aspect_factor(3.0), round(aspect_factor(0.8), 2)
        (1.0, 1.0, 1.68)
    """
    if aspect <= 0:
        return 1.0
    return max(1.0, REFERENCE_ASPECT / aspect) ** 0.75


def frame_camera(frame: Frame, aspect: float = REFERENCE_ASPECT) -> Placement:
    """The overview: from the south-south-east and above, like the offscreen snapshot.

    Example:
        >>> position, focal, up = frame_camera((np.zeros(3), 100.0))
        >>> [round(v, 6) for v in position], up
        ([50.0, -130.0, 110.0], (0.0, 0.0, 1.0))
    """
    centre, span = frame
    span *= aspect_factor(aspect)
    position = (centre[0] + 0.5 * span, centre[1] - 1.3 * span, centre[2] + 1.1 * span)
    return _placement(position, centre, (0.0, 0.0, 1.0))


def top_camera(frame: Frame, aspect: float = REFERENCE_ASPECT) -> Placement:
    """Straight down on the centre, north at the top of the screen."""
    centre, span = frame
    span *= aspect_factor(aspect)
    position = (centre[0], centre[1], centre[2] + VIEW_DISTANCE_SPANS * span)
    return _placement(position, centre, (0.0, 1.0, 0.0))


def side_camera(
    frame: Frame, side: str, ground_top: float = -np.inf, aspect: float = REFERENCE_ASPECT
) -> Placement:
    """From ``side`` (``north``, ``south``, ``east``, ``west``) towards the centre, nearly level.

    The eye is a little above the town centre and above ``ground_top`` (the highest terrain
    around, metres in the scene's z), so a hill between the eye and the town does not hide it.

    Raises:
        ValueError: an unknown side.
    """
    if side not in SIDES:
        raise ValueError(f"unknown side '{side}'; use one of {', '.join(SIDES)}")
    centre, span = frame
    dx, dy = SIDES[side]
    distance = VIEW_DISTANCE_SPANS * span * aspect_factor(aspect)
    eye_z = max(float(centre[2]), ground_top) + SIDE_LIFT_SPANS * span
    position = (centre[0] + dx * distance, centre[1] + dy * distance, eye_z)
    return _placement(position, centre, (0.0, 0.0, 1.0))


def _placement(
    position: tuple[float, float, float], centre: np.ndarray, up: tuple[float, float, float]
) -> Placement:
    focal = (float(centre[0]), float(centre[1]), float(centre[2]))
    return (tuple(float(v) for v in position), focal, up)  # type: ignore[return-value]
