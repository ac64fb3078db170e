"""The command line's feedback: a one-line progress bar on stderr."""

from __future__ import annotations

import sys
from typing import TextIO

from twin.feedback import Feedback

_WIDTH = 30


class ProgressBar(Feedback):
    """Draws ``label [#####.....]  45%`` on one line of a terminal; silent when not a terminal."""

    def __init__(self, label: str = "", stream: TextIO | None = None) -> None:
        super().__init__()
        self.label = label
        self._stream = stream or sys.stderr
        self._shown = -1
        self._active = self._stream.isatty()

    def on_progress(self, fraction: float) -> None:
        """Redraw the bar when the whole percentage changes."""
        percent = int(fraction * 100)
        if not self._active or percent == self._shown:
            return
        self._shown = percent
        filled = int(_WIDTH * fraction)
        bar = "#" * filled + "." * (_WIDTH - filled)
        self._stream.write(f"\r{self.label} [{bar}] {percent:3d}%")
        if percent >= 100:
            self._stream.write("\n")
        self._stream.flush()

    def finish(self) -> None:
        """End the bar's line if it was drawn and not completed."""
        if self._active and 0 <= self._shown < 100:
            self._stream.write("\n")
            self._stream.flush()
