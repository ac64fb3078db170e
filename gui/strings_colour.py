"""User-facing strings of the app's colour part, French and English (merged by gui.strings)."""

from __future__ import annotations

FR: dict[str, str] = {}

EN: dict[str, str] = {}
