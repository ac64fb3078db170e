"""User-facing strings of the import options dialog, French and English (see gui.strings)."""

from __future__ import annotations

FR: dict[str, str] = {}

EN: dict[str, str] = {}
