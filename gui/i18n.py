"""A small translation layer: every user-facing string of the app goes through :func:`tr`.

Strings are looked up by key in dict tables (:mod:`gui.strings`), French by default and English
on request. Switching language at run time emits :attr:`Translator.language_changed`; each
widget connects its ``retranslate()`` to it, so the whole window follows without a restart.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal

from gui.strings import TABLES
from twin.levels import Level

logger = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


class Translator(QObject):
    """Holds the current language and tells widgets when it changes."""

    language_changed = Signal(str)

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        super().__init__()
        self._language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    @property
    def language(self) -> str:
        """The current language code (``"fr"`` or ``"en"``)."""
        return self._language

    def set_language(self, language: str) -> None:
        """Switch language and emit :attr:`language_changed` (no-op if unchanged).

        Raises:
            ValueError: the language is not one of :data:`LANGUAGES`.
        """
        if language not in LANGUAGES:
            raise ValueError(f"unknown language '{language}'; use one of {LANGUAGES}")
        if language == self._language:
            return
        self._language = language
        logger.debug("language set to %s", language)
        install_qt_translations(language)
        self.language_changed.emit(language)

    def tr(self, key: str, **values: Any) -> str:
        """The text of ``key`` in the current language, formatted with ``values``.

        A key missing from the current table falls back to French, then to the key itself
        (visible, so a forgotten string is noticed rather than hidden).
        """
        table = (
            TABLES[self._language] if key in TABLES[self._language] else TABLES[DEFAULT_LANGUAGE]
        )
        text = table.get(key, key)
        return text.format(**values) if values else text


_translator: Translator | None = None


def translator() -> Translator:
    """The application's translator (created on first use)."""
    global _translator  # one translator per process, like the QApplication
    if _translator is None:
        _translator = Translator()
    return _translator


def tr(key: str, **values: Any) -> str:
    """Translate ``key`` with the application's translator.

    Example:
        >>> tr("menu.file")
        '&Fichier'
    """
    return translator().tr(key, **values)


def level_label(level: Level) -> str:
    """The translated name of a hierarchy level.

    Example:
        >>> level_label(Level.BUILDING)
        'Bâtiment'
    """
    return tr(f"level.{level.name.lower()}")


def has_key(key: str) -> bool:
    """Whether ``key`` has a French text (used for optional labels, e.g. column names)."""
    return key in TABLES[DEFAULT_LANGUAGE]


def format_number(value: float, decimals: int = 2) -> str:
    """A number for display: French decimal comma and thin spaces in French, plain in English.

    Trailing zeros are dropped; integers show no decimals.

    Example:
        >>> format_number(6.80), format_number(12.0)
        ('6,8', '12')
    """
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if translator().language == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


_qt_translator: QTranslator | None = None


def install_qt_translations(language: str) -> bool:
    """Translate Qt's own texts (dialog buttons such as « Afficher les détails… ») into
    ``language`` with the ``qtbase`` catalogue shipped with Qt; English needs none.

    Returns whether a catalogue is installed (False without a QCoreApplication or catalogue).
    """
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language == "en":
        return False
    translator_ = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator_.load(f"qtbase_{language}", folder):
        logger.info(
            "no Qt catalogue qtbase_%s in %s: Qt's own buttons stay English", language, folder
        )
        return False
    app.installTranslator(translator_)
    _qt_translator = translator_
    return True
