"""Tessellation in a forked child process, so that a crash of the geometry kernel costs nothing.

IfcOpenShell's geometry kernel is C++: a damaged model (two entities with the same ``#id``,
one replacing a point by a room) can make it crash with a segmentation fault, which no Python
``except`` catches. In the CLI that would end ``twin import`` without a word; in the app it
would close the window with the user's unsaved work. So, where the system can ``fork``
(Linux, macOS), the iterator runs in a child process that inherits the model already parsed
(nothing is read twice) and sends back its progress and the meshes; the parent turns a child
that died into one :class:`InvalidInputError`, and kills it when the user cancels. Where it
cannot (Windows), the iterator runs in the process itself, as before.

The child leaves with ``os._exit`` (multiprocessing's fork start), so none of the parent's
exit handlers, Qt objects or open files are run or flushed twice.
"""

from __future__ import annotations

import faulthandler
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

import ifcopenshell

from importers.ifc_geometry import Tessellation, tessellate
from twin.errors import InvalidInputError
from twin.feedback import Feedback

logger = logging.getLogger(__name__)

T = TypeVar("T")

_POLL_S = 0.1
#: Set to "0" to tessellate in the process itself (debugging the kernel with gdb, say).
ISOLATE_VARIABLE = "TWIN_IFC_ISOLATE"


def can_isolate() -> bool:
    """Whether tessellation runs in a child process here (``fork`` exists and is not off)."""
    return (
        os.environ.get(ISOLATE_VARIABLE, "1") != "0"
        and "fork" in multiprocessing.get_all_start_methods()
        and sys.platform != "win32"
    )


class _ToParent(Feedback):
    """The child's feedback: progress goes to the parent (the parent decides on cancelling)."""

    def __init__(self, connection: Connection) -> None:
        super().__init__()
        self._connection = connection

    def on_progress(self, fraction: float) -> None:
        self._connection.send(("progress", fraction))


def _child(model: ifcopenshell.file, classes: list[str], connection: Connection) -> None:
    faulthandler.disable()  # a crash here is expected and reported by the parent, not dumped
    try:
        result = tessellate(model, classes, _ToParent(connection))
    except Exception as exc:
        connection.send(("error", exc))
    else:
        connection.send(("done", result))
    connection.close()


def tessellate_isolated(
    model: ifcopenshell.file,
    classes: list[str],
    feedback: Feedback,
    name: str,
    meanwhile: Callable[[], T],
) -> tuple[Tessellation, T]:
    """:func:`importers.ifc_geometry.tessellate`, in a child process where possible.

    ``meanwhile`` is work of the parent that does not need the meshes (reading property sets):
    it runs while the child tessellates (before it, without a child); its result is returned
    with the meshes.

    Raises:
        InvalidInputError: the geometry kernel crashed on the model (the child died).
        CancelledError: the user cancelled (the child is killed).
    """
    if not can_isolate():
        done = meanwhile()
        return tessellate(model, classes, feedback), done
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(model, classes, sender), daemon=True)
    child.start()
    sender.close()  # the child holds the only writing end: EOF when it dies
    try:
        done = meanwhile()
        return _receive(receiver, child, feedback, name), done
    finally:
        receiver.close()
        if child.is_alive():  # cancelled, or the parent failed: no orphan keeps computing
            child.kill()
        child.join()


def _receive(
    receiver: Connection, child: multiprocessing.process.BaseProcess, feedback: Feedback, name: str
) -> Tessellation:
    while True:
        feedback.raise_if_cancelled()
        if not receiver.poll(_POLL_S):
            continue
        try:
            kind, payload = receiver.recv()
        except EOFError:  # the child died before sending its result
            child.join()
            raise _crashed(name, child.exitcode) from None
        if kind == "progress":
            feedback.set_progress(payload)
        elif kind == "error":
            raise payload
        else:
            return payload  # type: ignore[no-any-return]


def _crashed(name: str, exitcode: int | None) -> InvalidInputError:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit status {exitcode}"
    logger.info("the geometry kernel died on %s (%s)", name, how)
    return InvalidInputError(
        f"{name}: IfcOpenShell's geometry kernel crashed on one of its elements ({how}); the "
        "file is damaged (two entities with the same #id, a reference to the wrong kind of "
        "entity ...): check it with an IFC validator (ifcopenshell.validate, or "
        "validate.buildingsmart.org) and export it again. Nothing was imported.",
        code="ifc_kernel_crashed",
        values={"file": name, "how": how},
    )
