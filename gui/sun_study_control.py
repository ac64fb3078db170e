"""The winter-solstice sunlight study in the window: run in the background with progress and
Cancel, then shown: neighbours coloured by the hours of sun they lose (worst facade point),
the project's buildings in purple, the ground around the project and its facades coloured by
hours of direct sun, two legends and a summary in the sun dock.

The study belongs to the City it was computed on: after an edit, another scenario shown or
an import, its colours and points are taken away and the panel asks to run it again.
"""

from __future__ import annotations

import logging
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui.colouring import Colouring, LegendEntry
from gui.i18n import format_number, tr
from gui.sun_jobs import JobOutcome, LatestRunner
from gui.sun_panel import SunPanel
from gui.sun_scene import SunScene
from gui.sun_study import (
    HOURS_BOUNDS_H,
    HOURS_COLOURS,
    LOST_BOUNDS_H,
    MAX_PROJECT_BUILDINGS,
    PROJECT_COLOUR,
    SunStudy,
    facade_polydata,
    ground_polydata,
    hours_class,
    lost_class,
    lost_colour_table,
    neighbour_colours,
    pick_project,
    solstice_study,
)
from scenarios.sunlight_hours import DEFAULT_NEIGHBOUR_RADIUS_M
from twin.city import City
from twin.feedback import Feedback

if TYPE_CHECKING:
    from gui.main_window import MainWindow

logger = logging.getLogger(__name__)

STUDIED_LAYER = "buildings"


class SunStudyControl(QObject):
    """Runs and shows the sunlight study of the project.

    Signals:
        finished(shown): a study ended; True when its result is shown.
        message(text): a line for the status bar.
    """

    finished = Signal(bool)
    message = Signal(str)

    def __init__(
        self, window: MainWindow, panel: SunPanel, scene: SunScene, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.panel = panel
        self.scene = scene
        self.result: SunStudy | None = None
        self.classes: np.ndarray | None = None  # each drawn building's class (-2: not studied)
        self._runner = LatestRunner("sun-study", self)
        self._runner.progress.connect(lambda f: panel.progress.setValue(int(1000 * f)))
        self._runner.finished.connect(self._on_finished)
        panel.study_requested.connect(self.run)
        panel.study_cancelled.connect(self.cancel)
        panel.study_cleared.connect(self.clear)
        panel.summary.setText(tr("sun.study.hint"))

    @property
    def running(self) -> bool:
        """Whether a study is being computed."""
        return self._runner.busy

    def run(self) -> bool:
        """Study the project of the City shown in the background; False (and why, in the
        panel) when there is no project."""
        city, baseline = self.window.shown_city(), self.window.document.city
        if city is None or self.running:
            return False
        project = pick_project(
            city, baseline, self.window.selected_id, self.window.scenarios.has_scenario()
        )
        refusal = ""
        if project is None:
            refusal = tr("sun.study.hint")
        elif len(project.ids) > MAX_PROJECT_BUILDINGS:
            refusal = tr("sun.study.too_many", count=len(project.ids), most=MAX_PROJECT_BUILDINGS)
        if project is None or refusal:
            self.panel.project_label.setText("")
            self.panel.summary.setText(refusal)
            self.message.emit(refusal)
            return False
        copy = city.copy(share_layers=True)
        before = baseline.copy(share_layers=True) if baseline is not None else None

        def work(feedback: Feedback) -> SunStudy:
            return solstice_study(copy, project, before, feedback=feedback)

        key = "scenario" if project.source == "scenario" else "selection"
        self.panel.project_label.setText(
            tr(
                f"sun.study.project.{key}",
                count=len(project.ids),
                name=self.window.scenarios.shown_name,
            )
        )
        self.panel.summary.setText(tr("sun.study.running", count=len(project.ids)))
        self.panel.set_study_running(True)
        self._runner.request(project, work)
        self._update_actions()
        return True

    def cancel(self) -> None:
        """Stop the study being computed (nothing is shown)."""
        self._runner.cancel()

    def wait(self, timeout_ms: int = 120_000) -> bool:
        """Wait until the study ends and is shown (tests); runs the event loop."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self._runner.busy and clock.elapsed() < timeout_ms:
            self._runner.wait(5)
            QCoreApplication.processEvents()
        return not self._runner.busy

    def clear(self) -> None:
        """Take the study off the view (the buildings get their colours back)."""
        had = self.result is not None
        self.forget()
        self.panel.summary.setText(tr("sun.study.hint"))
        self.panel.project_label.setText("")
        if had:
            self.window._colour_buildings()

    def forget(self) -> None:
        """Drop the study without recolouring (the view is rebuilt anyway)."""
        self.result = None
        self.classes = None
        self.scene.set_ground_hours(None)
        self.scene.set_facade_hours(None)
        self.panel.set_legends(None, None)
        self.panel.set_study_shown(False)

    def check_current(self) -> None:
        """Take a study of another state of the project off the view."""
        if self.result is not None and not self._is_current(self.window.shown_city()):
            self.forget()
            self.panel.summary.setText(tr("sun.study.stale"))
            self.window._colour_buildings()

    def recolour(self) -> None:
        """Put the study's colours over the buildings' (called right after they are coloured
        by the layers panel and the scenario marks)."""
        if self.result is None:
            return
        if not self._is_current(self.window.shown_city()):
            self.check_current()
            return
        layer = self.window.view.layers.get(STUDIED_LAYER)
        if layer is None:
            return
        rgb, self.classes = neighbour_colours(self.result, layer.object_ids, layer.base_rgb)
        self.window.view.set_object_colours(STUDIED_LAYER, rgb)

    def shutdown(self) -> None:
        """Stop the study (the window closes)."""
        self._runner.cancel()
        self._runner.wait(10_000)

    # -- internals ------------------------------------------------------------------------------
    def _is_current(self, city: City | None) -> bool:
        return (
            self.result is not None
            and city is not None
            and STUDIED_LAYER in city
            and city.layer(STUDIED_LAYER) is self.result.buildings
        )

    def _on_finished(self, outcome: JobOutcome) -> None:
        self.panel.set_study_running(False)
        self._update_actions()
        if outcome.cancelled:
            self.panel.summary.setText(tr("sun.study.cancelled"))
            self.message.emit(tr("sun.study.cancelled"))
            self.finished.emit(False)
            return
        if outcome.error:
            self.panel.summary.setText(tr("sun.study.error", error=outcome.error))
            self.message.emit(tr("sun.study.error", error=outcome.error))
            self.finished.emit(False)
            return
        study: SunStudy = outcome.result
        city = self.window.shown_city()
        if city is None or city.layer(STUDIED_LAYER) is not study.buildings:
            self.panel.summary.setText(tr("sun.study.stale"))
            self.finished.emit(False)
            return
        self.forget()
        self.result = study
        origin = city.ensure_origin()
        self.scene.set_ground_hours(ground_polydata(study, origin, city.rasters.get("terrain")))
        self.scene.set_facade_hours(facade_polydata(study, origin))
        self.panel.set_legends(lost_legend(study), hours_legend(study))
        self.panel.set_study_shown(True)
        self._show_summary(study)
        self.window._colour_buildings()  # plain colours, then recolour() puts the study's on
        self.finished.emit(True)

    def _show_summary(self, study: SunStudy) -> None:
        figures = study.figures()

        def hours(value: float) -> str:
            return "—" if not np.isfinite(value) else format_number(value, 1)

        self.panel.summary.setText(
            tr(
                "sun.study.summary",
                neighbours=format_number(figures["neighbours"], 0),
                radius=format_number(DEFAULT_NEIGHBOUR_RADIUS_M, 0),
                affected=format_number(figures["affected"], 0),
                max_lost=hours(figures["max_lost_hours"]),
                max_mean=hours(figures["max_mean_lost_hours"]),
                facade_hours=hours(figures["facade_hours"]),
                ground_hours=hours(figures["ground_hours"]),
                seconds=format_number(study.seconds, 1),
            )
        )
        self.message.emit(
            tr(
                "sun.study.done",
                affected=format_number(figures["affected"], 0),
                max_lost=hours(figures["max_lost_hours"]),
            )
        )

    def _update_actions(self) -> None:
        actions = getattr(self.window, "action_set", None)
        if actions is not None:
            actions.update_enabled()


def lost_legend(study: SunStudy) -> Colouring:
    """The neighbours' legend: gained, no loss, the loss classes, the project (with counts)."""
    classes = lost_class(study.neighbours["max_lost_hours"].to_numpy())
    colours = lost_colour_table()
    bounds = [format_number(b, 1) for b in LOST_BOUNDS_H]
    labels = [
        tr("sun.class.gained"),
        tr("sun.class.none"),
        tr("sun.class.upto", high=bounds[0]),
        *(tr("sun.class.range", low=a, high=b) for a, b in pairwise(bounds)),
        tr("sun.class.over", low=bounds[-1]),
    ]
    entries = [
        LegendEntry(label, colour, int((classes == index - 1).sum()))
        for index, (label, colour) in enumerate(zip(labels, colours, strict=True))
        if index > 0 or (classes == -1).any()
    ]
    entries.append(LegendEntry(tr("sun.class.project"), PROJECT_COLOUR, len(study.project.ids)))
    return _colouring("sun_lost_hours", tr("sun.legend.lost"), entries)


def hours_legend(study: SunStudy) -> Colouring | None:
    """The ground and facade points' legend (counts of points per class)."""
    hours = np.concatenate(
        [study.ground["sun_hours"].to_numpy(), study.facades["sun_hours"].to_numpy()]
    )
    if not len(hours):
        return None
    classes = hours_class(hours)
    bounds = [format_number(b, 0) for b in HOURS_BOUNDS_H]
    labels = [
        tr("sun.class.under", high=bounds[0]),
        *(tr("sun.class.range", low=a, high=b) for a, b in pairwise(bounds)),
        tr("sun.class.from", low=bounds[-1]),
    ]
    entries = [
        LegendEntry(label, colour, int((classes == index).sum()))
        for index, (label, colour) in enumerate(zip(labels, HOURS_COLOURS, strict=True))
    ]
    return _colouring("sun_hours", tr("sun.legend.hours"), entries)


def _colouring(column: str, title: str, entries: list[LegendEntry]) -> Colouring:
    return Colouring(column, title, "", tuple(entries), np.empty((0, 3), dtype=np.uint8))
