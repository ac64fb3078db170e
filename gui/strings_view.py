"""User-facing strings of the 3D view's background work, French and English (merged by
gui.strings)."""

from __future__ import annotations

FR: dict[str, str] = {
    "view.building": "Construction de la vue 3D…",
    "view.build_failed": "La vue 3D n'a pas pu être mise à jour ({error}) ; "
    "modifiez de nouveau ou rouvrez le projet.",
}

EN: dict[str, str] = {
    "view.building": "Building the 3D view…",
    "view.build_failed": "The 3D view could not be updated ({error}); "
    "edit again or reopen the project.",
}
