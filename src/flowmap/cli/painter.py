"""An image export drawn by a second process while the command reads the data (issue 20: a
Batken PNG in 1.5 s).

Importing matplotlib and loading its fonts takes about as long as importing pandas, reading
the embedded data and building the map's page spec. On a machine with two cores, ``flowmap
export --out map.png`` (or ``.svg``, ``.pdf``) therefore forks before either is imported
(:func:`start`): the child imports the drawing code, loads the fonts and the offline
basemap's paths (:func:`flowmap.render.image.prepare`; drawing needs no pandas: the modules
it reaches import it on first use, :mod:`flowmap.core.lazy`) while the command imports
pandas, reads the data and builds the spec; the command then hands the spec over through a
pipe (:func:`paint`), and the child draws it and writes the file. The image is the same,
byte for byte: the same function draws it from the same spec.

Only the installed ``flowmap`` command forks (:func:`flowmap.cli.entry` calls
:func:`enable`): a program or a test that runs :func:`flowmap.cli.main` in its own process
is never forked, and draws its images itself.

Whenever the child cannot draw (it failed or died, or it was never started: not the
installed command, not Linux, one core or a busy machine, threads already running,
matplotlib already imported),
:func:`paint` says so and the command draws in its own process, as it always did, with the
same messages on any error.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

OK = b"ok"
"""The child's answer when it wrote the image."""


@dataclass(frozen=True)
class _Child:
    """The drawing process: its id, the pipe its job goes down and the pipe it answers on."""

    pid: int
    jobs: int
    answers: int


_CHILD: list[_Child] = []
"""The drawing process of this run, while it waits for its job (one at most)."""

_ENABLED: list[bool] = []
"""Set by :func:`enable`: this process is the installed command's, and may fork."""


def enable() -> None:
    """Let this process fork a drawing process (the installed command's own process only:
    :func:`flowmap.cli.entry`)."""
    _ENABLED[:] = [True]


def useful() -> bool:
    """Whether a drawing process can speed this run up, and can be forked safely: in the
    installed command's process (:func:`enable`), on Linux
    (``fork`` without ``exec`` is safe there), with a core to spare (:func:`spare_core`),
    before any thread has started (a fork copies no other thread, nor the locks they hold)
    and before matplotlib is imported (else nothing is left to do in parallel)."""
    return (
        bool(_ENABLED)
        and sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and "matplotlib" not in sys.modules
        and not _CHILD
        and spare_core()
    )


def spare_core() -> bool:
    """Whether this run likely has a second core to itself: two cores or more, and the
    last minute's load average below their number. On a busy machine the two processes
    would only share the same cores, and the modules both import would cost time twice."""
    cores = len(os.sched_getaffinity(0))
    return cores > 1 and os.getloadavg()[0] < cores


def start() -> None:
    """Fork the drawing process when it is :func:`useful`; else do nothing."""
    if not useful():
        return
    jobs_in, jobs_out = os.pipe()
    answers_in, answers_out = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: draw one image, then leave without running the parent's exit
        status = 1
        try:
            os.close(jobs_out)
            os.close(answers_in)
            status = _serve(jobs_in, answers_out)
        finally:
            os._exit(status)
    os.close(jobs_in)
    os.close(answers_out)
    _CHILD.append(_Child(pid, jobs_out, answers_in))


def _serve(jobs: int, answers: int) -> int:
    """The child's work: prepare the drawing, read the job (spec, path, format, size) and
    draw it; answer :data:`OK` when the file is written. Any failure is the parent's to
    meet again, drawing in its own process: the child only says it did not draw."""
    try:
        from flowmap.render import image  # lazy on purpose: only the drawing process

        image.prepare()
        # What prepare made lives until the child leaves: out of the collector's reach,
        # the spec's objects no longer make it walk matplotlib's (0.05 s of a Batken PNG).
        gc.freeze()
        job = _read(jobs)
        if not job:  # the command stopped before it had a map to draw
            return 0
        spec, path, kind, size = pickle.loads(job)  # noqa: S301  # from our own parent
        image.render_image(spec, path, format=kind, size=size)
    except BaseException:  # Ctrl-C included: the parent decides
        return 1
    os.write(answers, OK)
    return 0


def _read(fd: int) -> bytes:
    """Everything written to the pipe ``fd`` until its writer closes it."""
    parts = []
    while chunk := os.read(fd, 1 << 20):
        parts.append(chunk)
    return b"".join(parts)


def paint(spec: object, path: Path, kind: str, size: str) -> bool:
    """Have the drawing process draw ``spec`` to ``path`` as ``kind`` on a page of ``size``
    (:func:`flowmap.render.image.render_image`'s arguments); return whether it wrote the
    file (False: no drawing process, or it could not draw: draw it here)."""
    if not _CHILD:
        return False
    child = _CHILD.pop()
    answer = b""
    try:
        try:
            job = pickle.dumps((spec, str(path), kind, size), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a spec that does not pickle is drawn here
            job = b""
        try:
            view = memoryview(job)
            while view:
                view = view[os.write(child.jobs, view) :]
        finally:
            os.close(child.jobs)  # the end of the job (none: the child leaves)
        answer = _read(child.answers)
    except OSError:  # the child died: its end of the pipe is gone
        pass
    finally:
        os.close(child.answers)
        _wait(child.pid)
    return answer == OK


def stop() -> None:
    """End the drawing process if it still waits for a job (the command failed or drew no
    image): it is this run's own child, ended by its id."""
    while _CHILD:
        _end(_CHILD.pop())


def _end(child: _Child) -> None:
    """Close this side's pipes to ``child``, end it and wait for it (no zombie left)."""
    os.close(child.jobs)
    os.close(child.answers)
    with contextlib.suppress(ProcessLookupError):
        os.kill(child.pid, signal.SIGKILL)
    _wait(child.pid)


def _wait(pid: int) -> None:
    """Wait for the child ``pid`` to end (reaped: no zombie left)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


__all__ = ["OK", "enable", "paint", "spare_core", "start", "stop", "useful"]
