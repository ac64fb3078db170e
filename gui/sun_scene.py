"""The sun in the 3D view: a directional light from its position, the buildings' shadows as a
dark overlay on the ground, and the sunlight study's coloured ground and facade points.

The view's own layers are left alone: these are extra actors on its plotter (named
``sun:*``), in the City's local coordinates like the rest of the scene. With the sun off, the
view gets pyvista's light kit back.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pyvista as pv

from gui.sun_clock import SunState, light_position
from gui.view3d import View3D

logger = logging.getLogger(__name__)

SHADOWS = "sun:shadows"
GROUND_HOURS = "sun:ground_hours"
FACADE_HOURS = "sun:facade_hours"
SHADOW_COLOUR = "#1c2240"
SHADOW_OPACITY = 0.5
FACADE_POINT_PX = 7
#: Light of the sun high in the sky, and at the horizon (warmer).
WHITE = np.array([1.0, 0.98, 0.94])
LOW_SUN = np.array([1.0, 0.78, 0.55])
SUN_INTENSITY = 1.0
SKY_INTENSITY = 0.45
"""A light from straight above: the sky's light, so that shaded roofs and ground are not black."""
FILL_INTENSITY = 0.15
"""A weak light from the camera: walls turned away from the sun stay readable."""


class SunScene:
    """The sun's light and the sun overlays of one :class:`~gui.view3d.View3D`."""

    def __init__(self, view: View3D) -> None:
        self.view = view
        self.sun_light: Any = None
        self._actors: dict[str, Any] = {}

    # -- light ------------------------------------------------------------------------------
    def set_sun(self, state: SunState | None) -> None:
        """Light the scene from ``state``'s sun (with a sky and a weak camera light); None
        gives the view its usual light kit back."""
        plotter = self.view.plotter
        if state is None:
            if self.sun_light is not None:
                plotter.enable_lightkit()
                self.sun_light = None
                self.view.request_render()
            return
        if self.sun_light is None:
            plotter.remove_all_lights()
            sky = pv.Light(position=(0.0, 0.0, 1.0), focal_point=(0.0, 0.0, 0.0))
            sky.intensity = SKY_INTENSITY
            fill = pv.Light(light_type="headlight")
            fill.intensity = FILL_INTENSITY
            self.sun_light = pv.Light(light_type="scene light", positional=False)
            for light in (self.sun_light, sky, fill):
                plotter.add_light(light)
        elevation = max(state.elevation_deg, 0.0)
        self.sun_light.focal_point = (0.0, 0.0, 0.0)
        self.sun_light.position = tuple(light_position(np.zeros(3), state).tolist())
        warmth = min(elevation / 20.0, 1.0)  # a low sun is warmer (its light crosses more air)
        self.sun_light.diffuse_color = tuple((LOW_SUN + (WHITE - LOW_SUN) * warmth).tolist())
        self.sun_light.intensity = SUN_INTENSITY if state.is_up else 0.0
        self.view.request_render()

    def light_direction(self) -> np.ndarray | None:
        """Unit vector from the scene towards the sun light (None with the sun off)."""
        if self.sun_light is None:
            return None
        vector = np.subtract(self.sun_light.position, self.sun_light.focal_point)
        return np.asarray(vector / np.linalg.norm(vector), dtype="float64")

    # -- overlays -----------------------------------------------------------------------------
    def set_shadows(self, polydata: Any) -> None:
        """Draw the shaded ground (a PolyData of quads), or remove it (None)."""
        self._set(SHADOWS, polydata, color=SHADOW_COLOUR, opacity=SHADOW_OPACITY, lighting=False)

    def set_ground_hours(self, polydata: Any) -> None:
        """Draw the study's ground cells coloured by hours of sun (``rgb`` cell data)."""
        self._set(GROUND_HOURS, polydata, scalars="rgb", rgb=True, lighting=False)

    def set_facade_hours(self, polydata: Any) -> None:
        """Draw the study's facade points coloured by hours of sun (``rgb`` point data)."""
        self._set(
            FACADE_HOURS,
            polydata,
            scalars="rgb",
            rgb=True,
            point_size=FACADE_POINT_PX,
            render_points_as_spheres=True,
        )

    def has(self, key: str) -> bool:
        """Whether the overlay ``key`` (:data:`SHADOWS` …) is drawn."""
        return key in self._actors

    def actor(self, key: str) -> Any:
        """The actor of an overlay, or None."""
        return self._actors.get(key)

    def clear(self) -> None:
        """Remove every overlay (a new City is shown)."""
        for key in list(self._actors):
            self._set(key, None)

    def _set(self, key: str, polydata: Any, **style: Any) -> None:
        plotter = self.view.plotter
        if key in self._actors:
            plotter.remove_actor(self._actors.pop(key), render=False)
        if polydata is not None and polydata.n_points:
            actor = plotter.add_mesh(
                polydata,
                name=key,
                render=False,
                reset_camera=False,
                show_scalar_bar=False,
                pickable=False,
                **style,
            )
            if key != FACADE_HOURS:  # drawn on the ground: never hide behind the terrain
                actor.GetMapper().SetResolveCoincidentTopologyToPolygonOffset()
            self._actors[key] = actor
        self.view.request_render()
