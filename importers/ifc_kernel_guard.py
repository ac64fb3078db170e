"""Tessellation in a forked child process, so that a crash of the geometry kernel costs nothing.

IfcOpenShell's geometry kernel is C++: a damaged model (two entities with the same ``#id``,
one replacing a point by a room) can make it crash with a segmentation fault, which no Python
``except`` catches. In the CLI that would end ``twin import`` without a word; in the app it
would close the window with the user's unsaved work. So, where the system can ``fork``
(Linux, macOS), the iterator runs in a child process that inherits the model already parsed
(nothing is read twice) and sends back its progress and the meshes; the parent turns a child
that died into one :class:`InvalidInputError`, and kills it when the user cancels. Where it
cannot (Windows), the iterator runs in the process itself, as before.

The meshes come in batches (:func:`importers.ifc_geometry.tessellate`), so that the parent
works on each one (placing, outlines ...) while the child makes the next: the child appends
each packed batch to an anonymous file (``memfd``, else an unlinked temporary file) and sends
only its place through the pipe, so it never waits for a parent busy elsewhere (a pipe holds
64 KiB). The parent reads a batch once its ``meanwhile`` work is done.

The child leaves with ``os._exit`` (multiprocessing's fork start; right after its last batch
when all went well), so none of the parent's exit handlers, Qt objects or open files are run or
flushed twice.
"""

from __future__ import annotations

import faulthandler
import gc
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol, TypeVar

import ifcopenshell

from importers.ifc_geometry import Tessellation, tessellate, unpack_batch
from twin.errors import InvalidInputError
from twin.feedback import Feedback

logger = logging.getLogger(__name__)

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
        self._sent = -1.0

    def on_progress(self, fraction: float) -> None:
        if fraction != self._sent:  # the iterator counts in whole percents
            self._sent = fraction
            self._connection.send(("progress", fraction))


def _child(
    model: ifcopenshell.file, classes: list[str], connection: Connection, spool: int
) -> None:
    faulthandler.disable()  # a crash here is expected and reported by the parent, not dumped
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's: it kills the child
    end = 0

    def send(blob: bytes, last: bool) -> None:
        nonlocal end
        view = memoryview(blob)
        while view:  # a write may be partial
            written = os.pwrite(spool, view, end)
            view, end = view[written:], end + written
        connection.send(("batch", (end - len(blob), len(blob))))
        if last:  # leave at once: freeing the kernel's caches (10-20 ms) is the system's job
            connection.send(("done", None))
            connection.close()
            os._exit(0)

    try:
        tessellate(model, classes, _ToParent(connection), send)
    except Exception as exc:
        connection.send(("error", exc))
    connection.close()


class BatchSink(Protocol):
    """What takes the batches of meshes."""

    def add(self, batch: Tessellation) -> None:
        """Take one batch (batches come in iterator order)."""


S = TypeVar("S", bound=BatchSink)


def tessellate_isolated(
    model: ifcopenshell.file,
    classes: list[str],
    feedback: Feedback,
    name: str,
    meanwhile: Callable[[], S],
) -> S:
    """:func:`importers.ifc_geometry.tessellate`, in a child process where possible.

    ``meanwhile`` is the parent's work that needs no meshes (the spatial tree, property sets):
    it runs while the child tessellates (before it, without a child) and returns what takes
    the meshes: each batch goes to its ``add``, in the parent, as it comes. Returns it once
    the last batch is in.

    Raises:
        InvalidInputError: the geometry kernel crashed on the model (the child died).
        CancelledError: the user cancelled (the child is killed).
    """
    if not can_isolate():
        sink = meanwhile()
        tessellate(model, classes, feedback, lambda blob, _: sink.add(unpack_batch(blob)))
        return sink
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    spool = _spool()
    child = context.Process(target=_child, args=(model, classes, sender, spool), daemon=True)
    gc.freeze()  # the child's collections then leave the parent's objects (and pages) alone
    try:
        child.start()
    finally:
        gc.unfreeze()
    sender.close()  # the child holds the only writing end: EOF when it dies
    try:
        sink = meanwhile()
        _receive(receiver, child, feedback, name, lambda at: sink.add(_read(spool, *at)))
        return sink
    finally:
        receiver.close()
        os.close(spool)
        if child.is_alive():  # cancelled, or the parent failed: no orphan keeps computing
            child.kill()
        child.join()


def _spool() -> int:
    """A file descriptor of an anonymous file, in memory where the system allows it."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("twin-ifc-meshes")
    handle, path = tempfile.mkstemp(prefix="twin-ifc-meshes-")
    Path(path).unlink()
    return handle


def _read(spool: int, offset: int, size: int) -> Tessellation:
    parts = []
    while size:
        part = os.pread(spool, size, offset)
        if not part:
            raise EOFError("a batch of meshes is missing from the spool")
        parts.append(part)
        offset, size = offset + len(part), size - len(part)
    return unpack_batch(parts[0] if len(parts) == 1 else b"".join(parts))


def _receive(
    receiver: Connection,
    child: multiprocessing.process.BaseProcess,
    feedback: Feedback,
    name: str,
    on_batch: Callable[[tuple[int, int]], None],
) -> None:
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
        elif kind == "batch":
            on_batch(payload)
        elif kind == "error":
            raise payload
        else:
            return


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
