"""Feedback carries progress, messages and cancel into long jobs."""

from __future__ import annotations

import io

import pytest

from twin.cli_feedback import ProgressBar
from twin.errors import CancelledError
from twin.feedback import CallbackFeedback, Feedback


def test_steps_map_sub_progress_onto_their_share_of_the_bar() -> None:
    seen: list[float] = []
    feedback = CallbackFeedback(on_progress=seen.append)
    with feedback.step(0.0, 0.5):
        feedback.set_progress(0.5)
    with feedback.step(0.5, 1.0), feedback.step(0.0, 0.5):
        feedback.set_progress(1.0)
    assert seen == [0.25, 0.5, 0.75, 0.75, 1.0]


def test_progress_never_goes_backwards() -> None:
    feedback = Feedback()
    feedback.set_progress(0.6)
    feedback.set_progress(0.2)
    assert feedback.progress == 0.6


def test_a_cancelled_job_stops_at_its_next_check() -> None:
    feedback = Feedback()
    feedback.raise_if_cancelled()
    feedback.cancel()
    with pytest.raises(CancelledError, match="nothing was changed"):
        feedback.raise_if_cancelled()


def test_messages_reach_the_front_end() -> None:
    lines: list[str] = []
    CallbackFeedback(on_log=lines.append).log("12 buildings without height")
    assert lines == ["12 buildings without height"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_and_stays_silent_in_a_pipe() -> None:
    terminal = _Terminal()
    bar = ProgressBar("saving", stream=terminal)
    bar.set_progress(0.5)
    bar.set_progress(1.0)
    assert "saving [###############...............]  50%" in terminal.getvalue()
    assert terminal.getvalue().endswith("100%\n")
    pipe = io.StringIO()
    ProgressBar("saving", stream=pipe).set_progress(0.5)
    assert pipe.getvalue() == ""
