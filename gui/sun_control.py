"""The sun of a window: the "Soleil" dock, the light of the 3D view and the buildings' shadows.

Off by default. Turned on (View ▸ Soleil et ombres, Ctrl+Shift+O, or the dock's check box),
the view is lit by a directional light from pvlib's sun position at the chosen local date and
time over the town, and the shadows of the City shown (the current situation or a scenario)
are computed off the GUI thread (:mod:`gui.sun_shadows`, a few tenths of a second) and drawn as
a dark overlay on the ground. Moving the time slider moves the light at once; the shadows
follow, the requests made while one is computed being replaced by the last. The sunlight study
of the project is :mod:`gui.sun_study_control`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from gui.actions import ActionSpec
from gui.i18n import format_number, tr, translator
from gui.sun_clock import (
    SunPlace,
    SunState,
    clamp_minutes,
    daylight_minutes,
    local_time,
    quick_date,
    sun_at,
)
from gui.sun_jobs import JobOutcome, LatestRunner
from gui.sun_panel import SunPanel
from gui.sun_scene import SunScene
from gui.sun_shadows import ShadowCaster
from gui.sun_study_control import SunStudyControl
from scenarios.sun import TIMEZONE
from twin.city import City
from twin.errors import TwinError

if TYPE_CHECKING:
    from gui.main_window import MainWindow

logger = logging.getLogger(__name__)

SHADOW_SOURCES = ("buildings", "terrain")


class SunControl(QObject):
    """The sun panel, the view's sun light and shadows, and the sunlight study.

    Signals:
        shadows_ready(): new shadows are drawn (or removed).
        message(text): a line for the status bar.
    """

    shadows_ready = Signal()
    message = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = SunPanel()
        self.scene = SunScene(window.view)
        self.study = SunStudyControl(window, self.panel, self.scene, self)
        self.place: SunPlace | None = None
        self.state: SunState | None = None
        self.enabled = False
        self.overlay: Any = None  # the last ShadowOverlay drawn
        self._caster: tuple[object, object, ShadowCaster] | None = None
        self._daylight: tuple[object, tuple[int, int]] | None = None  # (place and day, minutes)
        self._shadows = LatestRunner("sun-shadows", self)
        self._shadows.finished.connect(self._on_shadows)
        now = dt.datetime.now(dt.UTC).astimezone(_paris())
        self._day = now.date()
        self._minutes = now.hour * 60 + now.minute
        self.panel.toggle.toggled.connect(self.set_enabled)
        self.panel.date_chosen.connect(self.set_day)
        self.panel.quick_date.connect(lambda kind: self.set_day(quick_date(kind, self._day.year)))
        self.panel.minutes_chosen.connect(self.set_minutes)
        window.document.city_replaced.connect(self._on_city_replaced)
        window.scenarios.shown_changed.connect(self._on_shown_changed)
        window.view.layer_rebuilt.connect(self._on_layer_rebuilt)
        translator().language_changed.connect(self._on_language_changed)
        self._on_city_replaced()

    # -- commands -------------------------------------------------------------------------------
    def set_enabled(self, enabled: bool) -> None:
        """Turn the sun light and the shadows on or off."""
        enabled = bool(enabled) and self.place is not None
        if self.panel.toggle.isChecked() != enabled:
            self.panel.toggle.blockSignals(True)
            self.panel.toggle.setChecked(enabled)
            self.panel.toggle.blockSignals(False)
        if enabled == self.enabled:
            return
        self.enabled = enabled
        if enabled:
            dock = getattr(self.window, "docks", {}).get("sun.dock")
            if dock is not None and dock.isHidden():
                dock.show()
                dock.raise_()
            self.scene.set_sun(self.state)
            self.refresh_shadows()
        else:
            self._shadows.cancel()
            self.scene.set_sun(None)
            self.scene.set_shadows(None)
            self.overlay = None
            self.panel.shadow_label.setText(tr("sun.shadows.off"))
            self.shadows_ready.emit()
        self._update_actions()

    def toggle(self) -> None:
        """The action: sun on if off, off if on."""
        self.set_enabled(not self.enabled)

    def set_day(self, day: dt.date) -> None:
        """Show the sun of ``day`` (the time kept within its daylight)."""
        self._day = day
        self._update_sun()

    def set_minutes(self, minutes: int) -> None:
        """Show the sun ``minutes`` after local midnight of the day chosen."""
        self._minutes = int(minutes)
        self._update_sun()

    def set_time(self, day: dt.date, minutes: int) -> None:
        """Show the sun on ``day`` at ``minutes`` after local midnight (tests, scripts)."""
        self._day, self._minutes = day, int(minutes)
        self._update_sun()

    def refresh_shadows(self) -> None:
        """Compute the shadows of the City shown for the sun now, in the background."""
        city = self.window.shown_city()
        if not self.enabled or city is None or self.state is None:
            return
        caster = self._cached_caster(city)
        azimuth, elevation = self.state.azimuth_deg, self.state.elevation_deg
        key = (self._source_key(city), azimuth, elevation)
        copy = city.copy(share_layers=True)

        def work(_feedback: object) -> tuple[ShadowCaster, Any, Any]:
            built = caster if caster is not None else ShadowCaster(copy)
            overlay = built.overlay(azimuth, elevation)
            return built, overlay, overlay.polydata()

        self.panel.shadow_label.setText(tr("sun.shadows.computing"))
        self._shadows.request(key, work)

    def wait_for_shadows(self, timeout_ms: int = 60_000) -> bool:
        """Wait until the shadows asked for are drawn (tests); runs the event loop."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self._shadows.busy and clock.elapsed() < timeout_ms:
            self._shadows.wait(5)
            QCoreApplication.processEvents()
        return not self._shadows.busy

    def action_specs(self) -> list[ActionSpec]:
        """View ▸ Soleil et ombres (Ctrl+Shift+O, checkable) and the sunlight study
        (Ctrl+Shift+H)."""

        def has_city() -> bool:
            return self.window.document.city is not None and self.place is not None

        return [
            ActionSpec(
                "sun.toggle",
                "action.sun.toggle",
                self.toggle,
                "Ctrl+Shift+O",
                "tip.sun.toggle",
                has_city,
                checked_when=lambda: self.enabled,
            ),
            ActionSpec(
                "sun.study",
                "action.sun.study",
                self.study.run,
                "Ctrl+Shift+H",
                "tip.sun.study",
                lambda: has_city() and not self.study.running,
            ),
        ]

    def shutdown(self) -> None:
        """Stop the background work (the window closes)."""
        self._shadows.cancel()
        self.study.shutdown()
        self._shadows.wait(10_000)

    # -- internals ------------------------------------------------------------------------------
    def _update_sun(self) -> None:
        if self.place is None:
            self.state = None
            self._show_state()
            return
        if self._daylight is None or self._daylight[0] != (self.place, self._day):
            self._daylight = ((self.place, self._day), daylight_minutes(self.place, self._day))
        daylight = self._daylight[1]
        self._minutes = clamp_minutes(self._minutes, daylight)
        self.panel.set_day(self._day, daylight, self._minutes)
        self.state = sun_at(self.place, local_time(self._day, self._minutes))
        self._show_state()
        if self.enabled:
            self.scene.set_sun(self.state)
            self.refresh_shadows()

    def _show_state(self) -> None:
        state = self.state
        if state is None:
            self.panel.position_label.setText(tr("sun.no_place"))
            return
        if not state.is_up:
            self.panel.position_label.setText(tr("sun.below"))
            return
        direction = tr(f"sun.dir.{round(state.azimuth_deg / 45.0) % 8}")
        self.panel.position_label.setText(
            tr(
                "sun.position",
                azimuth=format_number(state.azimuth_deg, 1),
                direction=direction,
                elevation=format_number(state.elevation_deg, 1),
            )
        )
        if not self.enabled:
            self.panel.shadow_label.setText(tr("sun.shadows.off"))

    def _on_shadows(self, outcome: JobOutcome) -> None:
        if outcome.cancelled or not self.enabled:
            return
        if outcome.error:
            self.panel.shadow_label.setText(tr("sun.shadows.error", error=outcome.error))
            return
        caster, overlay, polydata = outcome.result
        city = self.window.shown_city()
        source_key, _azimuth, _elevation = outcome.key
        if city is None or source_key != self._source_key(city):
            self.refresh_shadows()  # the City changed meanwhile
            return
        self._caster = (*self._source_key(city), caster)
        self.overlay = overlay
        self.scene.set_shadows(polydata)
        if overlay.shaded_cells:
            area = overlay.shaded_cells * overlay.cell_m**2
            self.panel.shadow_label.setText(
                tr(
                    "sun.shadows.done",
                    area=format_number(round(area, -1), 0),
                    cell=format_number(overlay.cell_m, 1),
                    seconds=format_number(overlay.seconds, 2),
                )
            )
        else:
            self.panel.shadow_label.setText(tr("sun.shadows.none"))
        self.shadows_ready.emit()

    def _cached_caster(self, city: City) -> ShadowCaster | None:
        if self._caster is None or tuple(self._caster[:2]) != self._source_key(city):
            return None
        return self._caster[2]

    @staticmethod
    def _source_key(city: City) -> tuple[object, object]:
        """What the shadows depend on, by identity (frames and rasters are replaced, never
        modified in place)."""
        buildings = city.layer("buildings") if "buildings" in city else None
        return (id(buildings), id(city.rasters.get("terrain")))

    def _on_city_replaced(self) -> None:
        self._caster = None
        self.scene.clear()
        self.overlay = None
        city = self.window.document.city
        try:
            self.place = SunPlace.of(city) if city is not None else None
        except TwinError:
            self.place = None
        if self.place is None:
            self.set_enabled(False)
        else:
            self.scene.set_sun(self.state if self.enabled else None)
        self.study.forget()
        self._update_sun()
        self._update_actions()

    def _on_language_changed(self, _language: str) -> None:
        self._show_state()

    def _on_shown_changed(self) -> None:
        self.refresh_shadows()
        self.study.check_current()

    def _on_layer_rebuilt(self, name: str) -> None:
        if name in SHADOW_SOURCES:
            self.refresh_shadows()

    def _update_actions(self) -> None:
        actions = getattr(self.window, "action_set", None)
        if actions is not None:
            actions.update_enabled()


def _paris() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(TIMEZONE)
