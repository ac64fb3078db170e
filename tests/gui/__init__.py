"""Tests of the desktop app (gui/)."""
