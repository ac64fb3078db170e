"""The interactive 3D view of the HTML report: both states as vtk.js scenes, opened from the
file itself, with no server and no install.

The scenes are VTK render windows serialised by trame-vtk's serialisers (the format of
pyvista's ``export_html``, called here directly: ``export_html`` would start a trame server
just to run them) and shown by trame-vtk's offline vtk.js viewer (``static_viewer.html``, about
1 MB, no external script). The viewer is written into the report once, as JSON text; a few
lines of script give each of the two ``<iframe>``s a copy with its scene, so the page stays one
file. The ground is decimated (:data:`TERRAIN_VERTICES`) to keep the file light; both scenes
start from the still views' camera.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import zipfile
from dataclasses import dataclass
from importlib import resources
from typing import Any

from scenarios.report.views import BuildingChanges, StudyCities, plotter_of
from twin.snapshot import Camera

logger = logging.getLogger(__name__)

TERRAIN_VERTICES = 12_000
SCENE_SIZE_PX = (800, 500)


@dataclass(frozen=True)
class InteractiveViews:
    """What the template needs: the viewer page as JSON text and each scene's data (base64
    of the zipped vtk.js scene), before and after."""

    viewer_json: str
    before_base64: str
    after_base64: str

    @property
    def size_bytes(self) -> int:
        """What the view adds to the report."""
        return len(self.viewer_json) + len(self.before_base64) + len(self.after_base64)


def interactive_views(
    cities: StudyCities, changes: BuildingChanges, camera: Camera | None
) -> InteractiveViews:
    """Serialise both states (highlights as in the still views) for the offline viewer."""
    scenes = []
    for city, highlight in (
        (cities.before, changes.highlight_before),
        (cities.after, changes.highlight_after),
    ):
        with plotter_of(
            city, SCENE_SIZE_PX, highlight, camera, terrain_max_vertices=TERRAIN_VERTICES
        ) as plotter:
            plotter.render()
            scenes.append(base64.b64encode(vtkjs_scene(plotter)).decode("ascii"))
    views = InteractiveViews(viewer_json(), scenes[0], scenes[1])
    logger.info("interactive 3D view: %.1f MB", views.size_bytes / 1e6)
    return views


def vtkjs_scene(plotter: Any) -> bytes:
    """The plotter's render window as a zipped vtk.js scene (``index.json``: scene + arrays),
    what trame-vtk's ``viewport.geometry.view.get.export`` returns, made without a server."""
    from trame_vtk.modules.vtk.serializers import (
        SynchronizationContext,
        extract_array_hash,
        initialize_serializers,
        reference_id,
        serialize,
    )

    initialize_serializers()
    context = SynchronizationContext()
    window = plotter.render_window
    camera = window.GetRenderers().GetFirstRenderer().GetActiveCamera()
    scene = serialize(None, window, reference_id(window), context, 1)
    scene["extra"] = {
        "vtkRefId": reference_id(window),
        "centerOfRotation": camera.GetFocalPoint(),
        "camera": reference_id(camera),
    }
    arrays = {
        entry["hash"]: {**entry, "content": context.get_cached_data_array(entry["hash"], False)}
        for entry in extract_array_hash(scene)
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.json", json.dumps({"hashes": arrays, "scene": scene}))
    return buffer.getvalue()


def viewer_json() -> str:
    """trame-vtk's offline vtk.js viewer page as a JSON string safe inside ``<script>``."""
    page = resources.files("trame_vtk.tools").joinpath("static_viewer.html").read_text("utf-8")
    return json.dumps(page).replace("<", "\\u003c").replace(">", "\\u003e")
