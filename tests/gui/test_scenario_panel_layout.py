"""The scenarios dock beside the inspector and the storeys dock, at 1600 × 1000 and 1280 × 800,
in French and English, and narrowed: nothing in it overlaps or is cut (its content scrolls
instead, the dock narrows no further than its buttons), the
list shows five scenarios and the edits list four lines at 1600 × 1000, a long description
scrolls in a box of a few lines, and the commands of the "Plus" menu are the window's."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget

from gui.i18n import translator
from gui.scenario_panel import DESCRIPTION_LINES, EDIT_LINES, LIST_ROWS, MORE_ACTIONS, ScenarioPanel

RIGHT_DOCKS = ("scenarios.dock", "dock.inspector", "drill.dock")


@pytest.fixture
def app(shown: Any) -> Iterator[Any]:
    """The window on screen, its scenario dialogs failing the test."""

    def unexpected(text: str) -> None:
        raise AssertionError(f"unexpected error dialog: {text}")

    shown.scenarios.commands.show_error = unexpected
    yield shown
    translator().set_language("fr")


def open_right_docks(window: Any, qtbot: Any, width: int, height: int) -> None:
    """At this window size, show the third place in the town hall (the sample scenario with
    the longest description) and select the town hall: the storeys dock opens under the
    scenarios and the inspector."""
    window.resize(width, height)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (width, height))
    panel = window.scenarios.panel
    third_place = next(name for name in panel.names() if name.startswith("Tiers-lieu"))
    panel.tree.setCurrentItem(panel.item_of(third_place))
    assert window.view.wait_for_scene()
    hall = str(window.document.city.layer("buildings").query("source == 'ifc'")["id"].iloc[0])
    window.select_object(hall)
    qtbot.wait(50)
    assert all(window.docks[key].isVisible() for key in RIGHT_DOCKS)
    areas = {window.dockWidgetArea(window.docks[key]) for key in RIGHT_DOCKS}
    assert areas == {Qt.DockWidgetArea.RightDockWidgetArea}


def panel_parts(panel: ScenarioPanel) -> dict[str, QWidget]:
    """The panel's pieces shown, by name."""
    parts: dict[str, QWidget] = {
        "tree": panel.tree,
        "description": panel.description_box,
        "edits_title": panel.edits_title,
        "edits": panel.edits,
        "marks": panel.marks,
        "more": panel.more,
    }
    parts.update({f"button {key}": button for key, button in panel.buttons.items()})
    return {name: widget for name, widget in parts.items() if not widget.isHidden()}


def overlapping(panel: ScenarioPanel) -> list[str]:
    """Pairs of pieces whose rectangles (in the panel's coordinates) intersect."""
    rects = {
        name: QRect(widget.mapTo(panel, QPoint(0, 0)), widget.size())
        for name, widget in panel_parts(panel).items()
    }
    assert all(not rect.isEmpty() for rect in rects.values()), rects
    pairs = combinations(rects.items(), 2)
    return [f"{a} / {b}" for (a, one), (b, other) in pairs if one.intersects(other)]


def squeezed(panel: ScenarioPanel) -> list[str]:
    """Pieces given less than they need, as Qt reckons it (the minimum height set, else the
    minimum size hint): the content must scroll instead."""
    return [
        name
        for name, widget in panel_parts(panel).items()
        if widget.height() < (widget.minimumHeight() or widget.minimumSizeHint().height())
    ]


def visible_rows(panel: ScenarioPanel) -> int:
    """Rows of the scenarios list wholly inside its viewport, and inside the dock's view."""
    viewport = panel.tree.viewport()
    shown = panel.scroll_area.viewport()
    count = 0
    for name in panel.names():
        rect = panel.tree.visualItemRect(panel.item_of(name))
        top_left = viewport.mapTo(shown, rect.topLeft())
        in_dock = shown.rect().contains(QRect(top_left, rect.size()))
        count += viewport.rect().contains(rect) and in_dock
    return count


def edit_lines_shown(panel: ScenarioPanel) -> float:
    """Lines of text the edits list's viewport holds."""
    return panel.edits.viewport().height() / panel.edits.fontMetrics().lineSpacing()


def test_at_1600_by_1000_the_list_shows_five_scenarios_and_four_lines_of_edits(
    app: Any, qtbot: Any, screenshots_dir: Path
) -> None:
    open_right_docks(app, qtbot, 1600, 1000)
    panel = app.scenarios.panel

    assert overlapping(panel) == [] and squeezed(panel) == []
    assert visible_rows(panel) >= LIST_ROWS == 5
    assert edit_lines_shown(panel) >= EDIT_LINES == 4
    assert not panel.scroll_area.verticalScrollBar().isVisible()  # the whole panel shows
    # the long description: three lines, the rest scrolls in its box
    line = panel.description.fontMetrics().lineSpacing()
    box = panel.description_box
    assert box.height() <= DESCRIPTION_LINES * line + 4
    assert panel.description.height() > box.height() and box.verticalScrollBar().isVisible()
    # the storeys dock keeps room for its lists, the inspector its title and a few rows
    assert app.docks["drill.dock"].height() >= app.docks["drill.dock"].minimumSizeHint().height()
    assert app.docks["dock.inspector"].height() >= 120
    app.view.render_now()
    assert app.grab().save(str(screenshots_dir / "scenario_dock_1600x1000.png"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_at_1280_by_800_nothing_overlaps_and_the_panel_scrolls(
    app: Any, qtbot: Any, screenshots_dir: Path, language: str
) -> None:
    translator().set_language(language)
    open_right_docks(app, qtbot, 1280, 800)
    panel = app.scenarios.panel

    assert overlapping(panel) == [] and squeezed(panel) == []
    assert visible_rows(panel) >= LIST_ROWS  # the list and its buttons, the rest a scroll away
    shown = panel.scroll_area.viewport()
    for button in [*panel.buttons.values(), panel.more]:
        if button not in (panel.buttons["edit.undo"], panel.buttons["edit.redo"]):
            bottom = button.mapTo(shown, QPoint(0, button.height() - 1)).y()
            assert bottom < shown.height(), button.text()
    content = panel.scroll_area.widget()
    assert content.height() >= content.minimumSizeHint().height()
    assert panel.scroll_area.verticalScrollBar().maximum() > 0
    app.view.render_now()
    assert app.grab().save(str(screenshots_dir / f"scenario_dock_1280x800_{language}.png"))


def test_the_dock_narrows_no_further_than_its_row_of_buttons(
    app: Any, qtbot: Any, screenshots_dir: Path
) -> None:
    open_right_docks(app, qtbot, 1600, 1000)
    dock, panel = app.docks["scenarios.dock"], app.scenarios.panel
    wide = panel.width()
    app.resizeDocks([dock], [120], Qt.Orientation.Horizontal)
    qtbot.wait(50)

    assert panel.width() < wide and overlapping(panel) == [] and squeezed(panel) == []
    buttons = [*panel.buttons.values(), panel.more]
    assert all(button.width() >= button.minimumSizeHint().width() for button in buttons)
    shown = panel.scroll_area.viewport()
    for name, widget in panel_parts(panel).items():  # nothing cut at the right
        right = widget.mapTo(shown, QPoint(widget.width() - 1, 0)).x()
        assert right < shown.width(), name
    assert app.grab().save(str(screenshots_dir / "scenario_dock_narrow.png"))


def test_the_plus_menu_holds_delete_import_and_export_and_they_work(
    app: Any, qtbot: Any, tmp_path: Path
) -> None:
    open_right_docks(app, qtbot, 1600, 1000)
    panel, commands = app.scenarios.panel, app.scenarios.commands
    menu = panel.more.menu()
    assert menu.actions() == [app.action_set[action_id] for action_id in MORE_ACTIONS]
    assert panel.more.text() == "Plus ▾" and panel.more.toolTip()
    assert all(action.isEnabled() for action in menu.actions())  # a scenario is shown

    shown = app.scenarios.shown_name
    commands.ask_save_path = lambda suggested: str(tmp_path / suggested)
    menu.actions()[MORE_ACTIONS.index("scenario.export")].trigger()
    assert len(list(tmp_path.glob("*.toml"))) == 1
    commands.confirm = lambda _title, _text: True
    menu.actions()[MORE_ACTIONS.index("scenario.delete")].trigger()
    assert shown not in app.document.city.scenarios and shown not in panel.names()
    translator().set_language("en")
    assert panel.more.text() == "More ▾"
