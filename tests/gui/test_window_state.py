"""Window layout kept between sessions, View ▸ Reset the layout, shortcuts and tooltips."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from gui.i18n import LANGUAGES, translator
from gui.main_window import MainWindow
from gui.strings import TABLES
from gui.window_state import STATE_KEY

Area = Qt.DockWidgetArea
Key = Qt.Key
#: Keys that type a character with AltGr on a French AZERTY keyboard under Windows, where
#: Ctrl+Alt is AltGr: the digits and what their keys type unshifted (é " ' ( - è _ ç à, for
#: ~ # { [ | ` \\ ^ @), then ) = e $ (for ] } € ¤). No shortcut may be Ctrl+Alt+one of them.
ALTGR_KEYS = {
    *(getattr(Key, f"Key_{digit}") for digit in range(10)),
    Key.Key_Eacute,
    Key.Key_QuoteDbl,
    Key.Key_Apostrophe,
    Key.Key_ParenLeft,
    Key.Key_Minus,
    Key.Key_Egrave,
    Key.Key_Underscore,
    Key.Key_Ccedilla,
    Key.Key_Agrave,
    Key.Key_ParenRight,
    Key.Key_Equal,
    Key.Key_E,
    Key.Key_Dollar,
}


def types_with_altgr(sequence: QKeySequence) -> bool:
    """Whether a shortcut is Ctrl+Alt+<a key AZERTY types a character with, under AltGr>."""
    if sequence.isEmpty():
        return False
    combination = sequence[0]
    ctrl_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    return combination.keyboardModifiers() == ctrl_alt and combination.key() in ALTGR_KEYS


def open_window(qtbot: Any, settings: Any, tmp_path: Path) -> MainWindow:
    """A shown window without a project, autosaving into the test's folder."""
    window = MainWindow(settings, recovery_dir=tmp_path / "recovery")
    qtbot.addWidget(
        window,
        before_close_func=lambda w: setattr(
            w.files, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard
        ),
    )
    window.show()
    qtbot.waitExposed(window)
    return window


def menu_actions(menu: QMenu) -> Iterator[QAction]:
    """Every command of a menu and its submenus (not separators, not submenu entries)."""
    for action in menu.actions():
        if action.menu() is not None:
            yield from menu_actions(action.menu())
        elif not action.isSeparator():
            yield action


def user_actions(window: MainWindow) -> list[QAction]:
    """The commands the user can reach: menu bar and toolbar."""
    found: list[QAction] = []
    for top in window.menuBar().actions():
        if top.menu() is not None:
            found.extend(menu_actions(top.menu()))
    found.extend(a for a in window.toolbar.actions() if not a.isSeparator())
    return list(dict.fromkeys(found))


def test_the_dock_layout_and_size_persist_across_two_windows_sharing_settings(
    qtbot: Any, settings: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, settings, tmp_path)
    assert first.dockWidgetArea(first.docks["dock.inspector"]) == Area.RightDockWidgetArea
    first.addDockWidget(Area.LeftDockWidgetArea, first.docks["dock.inspector"])
    first.docks["dock.layers"].hide()
    first.resize(1200, 800)
    qtbot.waitUntil(lambda: first.size() == QSize(1200, 800))
    assert first.close()

    second = open_window(qtbot, settings, tmp_path)
    assert second.dockWidgetArea(second.docks["dock.inspector"]) == Area.LeftDockWidgetArea
    assert second.docks["dock.layers"].isHidden()
    assert not second.docks["dock.layers"].toggleViewAction().isChecked()
    assert second.size() == QSize(1200, 800)


def test_resetting_the_layout_puts_the_docks_back_and_forgets_the_saved_one(
    qtbot: Any, settings: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, settings, tmp_path)
    first.addDockWidget(Area.BottomDockWidgetArea, first.docks["dock.hierarchy"])
    first.docks["dock.inspector"].hide()
    assert first.close()
    window = open_window(qtbot, settings, tmp_path)
    assert window.dockWidgetArea(window.docks["dock.hierarchy"]) == Area.BottomDockWidgetArea
    reset = window.action_set["view.reset_layout"]
    assert reset in window.menus["menu.view"].actions()

    reset.trigger()

    assert window.dockWidgetArea(window.docks["dock.hierarchy"]) == Area.LeftDockWidgetArea
    assert window.dockWidgetArea(window.docks["dock.inspector"]) == Area.RightDockWidgetArea
    assert window.docks["dock.inspector"].isVisible()
    assert window.size() == QSize(1600, 1000)
    assert not settings.contains(STATE_KEY)


def test_the_reset_action_reads_in_french_and_english(
    qtbot: Any, settings: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, settings, tmp_path)
    reset = window.action_set["view.reset_layout"]
    assert reset.text() == "&Réinitialiser la disposition"
    translator().set_language("en")
    assert reset.text() == "&Reset the layout"


def test_every_command_in_the_menus_and_toolbar_has_a_tooltip_in_both_languages(
    qtbot: Any, settings: Any, tmp_path: Path, sample_project: Path
) -> None:
    window = open_window(qtbot, settings, tmp_path)
    assert window.files.open(sample_project)  # the recent-files submenu has an entry
    for spec in window.action_set.specs.values():
        assert spec.tip_key is not None, f"{spec.id} has no tooltip"
        for language in LANGUAGES:
            assert spec.tip_key in TABLES[language], f"{spec.tip_key} missing in {language}"
    for language in LANGUAGES:
        translator().set_language(language)
        for action in user_actions(window):
            label = action.text().replace("&", "").rstrip(".…")
            tip = action.toolTip()
            assert tip and tip.rstrip(".…") != label, f"no tooltip for '{action.text()}'"
            assert "session." not in tip and "tip." not in tip, f"untranslated tip: {tip}"


def test_the_common_commands_have_their_standard_shortcuts(
    qtbot: Any, settings: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, settings, tmp_path)
    portable = QKeySequence.SequenceFormat.PortableText
    shortcuts = {
        name: window.action_set[name].shortcut().toString(portable)
        for name in ("file.open", "file.save", "file.save_as", "file.quit", "file.import")
    }
    assert shortcuts == {
        "file.open": QKeySequence(QKeySequence.StandardKey.Open).toString(portable),
        "file.save": QKeySequence(QKeySequence.StandardKey.Save).toString(portable),
        "file.save_as": "Ctrl+Shift+S",
        "file.quit": "Ctrl+Q",
        "file.import": "Ctrl+I",
    }
    assert window.action_set["view.reset"].toolTip().endswith("(Ctrl+0)")  # shown in the tip


def test_no_two_actions_share_a_shortcut(qtbot: Any, settings: Any, tmp_path: Path) -> None:
    window = open_window(qtbot, settings, tmp_path)
    portable = QKeySequence.SequenceFormat.PortableText
    keys = Counter(
        sequence.toString(portable)
        for action in window.findChildren(QAction)
        for sequence in action.shortcuts()
        if not sequence.isEmpty()
    )
    assert len(keys) >= 10
    assert [key for key, count in keys.items() if count > 1] == []
    altgr = [key for key in keys if types_with_altgr(QKeySequence.fromString(key, portable))]
    assert altgr == []  # AltGr+key types @ # { [ € … on AZERTY keyboards


def test_ctrl_alt_shortcuts_that_type_azerty_characters_are_recognised() -> None:
    clashing = ["Ctrl+Alt+E", "Ctrl+Alt+0", "Ctrl+Alt+4", "Ctrl+Alt+É", "Ctrl+Alt+)", "Ctrl+Alt+="]
    assert all(types_with_altgr(QKeySequence(text)) for text in clashing)
    free = ["Ctrl+Alt+B", "Ctrl+Alt+X", "Ctrl+E", "Ctrl+Shift+4", "Alt+E", ""]
    assert not any(types_with_altgr(QKeySequence(text)) for text in free)


def test_docks_toggles_panels_and_status_bar_have_tooltips_in_both_languages(
    qtbot: Any, settings: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, settings, tmp_path)
    widgets = [
        window.hierarchy.view,
        window.layers_panel,
        window.inspector,
        window.status_crs,
        window.status_xyz,
        window.imports.cancel_button,
    ]
    tips: dict[str, list[str]] = {}
    for language in LANGUAGES:
        translator().set_language(language)
        tips[language] = [w.toolTip() for w in widgets] + [
            dock.toggleViewAction().toolTip() for dock in window.docks.values()
        ]
        assert all(tips[language]), tips[language]
        assert not any("session." in tip for tip in tips[language])
    assert tips["fr"] != tips["en"]
    translator().set_language("fr")
    toggle = window.docks["dock.hierarchy"].toggleViewAction()
    assert toggle.toolTip() == "Afficher ou masquer le panneau « Hiérarchie »"


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    translator().set_language("fr")
    yield
    translator().set_language("fr")
