"""Run a heavy reading function in a short-lived child process with a memory and a time limit.

Whatever a child allocates goes back to the system when it exits, so a hostile or merely
large upload cannot grow a long-running server (the app) for good: only the result, pickled,
comes back. The child's address space is limited (``RLIMIT_AS``) to what it had at its start
plus ``memory`` bytes, and it is killed after ``seconds``; either ends as one
:class:`~flowmap.core.errors.FlowmapError` that names the file and the limit. A ``FlowmapError``
raised in the child reaches the caller with its type, message and languages intact.

Children are forked from a *fork server* (:mod:`multiprocessing`'s ``forkserver``) that has
imported pandas and the readers once, so a child starts in about 25 ms instead of the 1.5 s
a fresh interpreter takes to import them, and a threaded server is never forked itself.
At most :data:`MAX_CHILDREN` children run at once; other callers wait their turn.

The library never imports Streamlit; the app calls :func:`run` for every upload it parses.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import multiprocessing
import multiprocessing.context
import os
import resource
import signal
import threading
import traceback
from collections.abc import Callable
from multiprocessing import forkserver, popen_forkserver, spawn
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from typing import Any, TypeVar

from flowmap.core._escape import printable
from flowmap.core.errors import FlowmapError
from flowmap.text.i18n import Count, msg

__all__ = [
    "MAX_CHILDREN",
    "MEMORY_LIMIT",
    "NICE",
    "PRELOAD",
    "SERVER_ENV",
    "TIME_LIMIT",
    "WorkerError",
    "run",
    "start",
    "trim",
]

T = TypeVar("T")

_MIB = 1024 * 1024
MEMORY_LIMIT = 640 * _MIB
"""Address space a child may take beyond what it holds when it starts (the fork server's
imports): reading the largest table the app takes (1,000,000 rows, or a 1,000 × 1,000
matrix) needs under 300 MB of it."""
TIME_LIMIT = 30.0
"""Seconds a child may run before it is killed."""
NICE = 10
"""How much lower a child's scheduling priority is than the server's."""
MAX_CHILDREN = 2
"""Children running at once (one per core of the server); other callers wait."""
PRELOAD = (
    "pandas",
    "geopandas",
    "flowmap.io.userdata",
    "flowmap.app.userview",
    "flowmap.io.geoio",
    "flowmap.batken.districts",
    "flowmap.app._preload",
)
"""Modules the fork server imports once, so that children start with them loaded
(:mod:`flowmap.app._preload` also fills the readers' caches).

As with every ``multiprocessing`` start method but ``fork``, a child first runs the program's
main script again when the program was started as a file (``streamlit run`` through the
``streamlit`` script: 1.2 s to import Streamlit), not when it was started as a module
(``python -m streamlit run``, as ``make run`` does)."""

SERVER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2"}
"""The fork server's environment (unless already set): pyarrow's allocator otherwise
reserves 1 GB of address space at its start, and glibc 64 MB per thread, which would leave
a child's address-space limit no room (the limit counts reserved space too)."""

_log = logging.getLogger("flowmap.app.worker")
_lock = threading.Lock()
_slots = threading.BoundedSemaphore(MAX_CHILDREN)
_context: ForkServerContext | None = None


class WorkerError(RuntimeError):
    """A child failed with an exception that is not a :class:`FlowmapError` (a bug): the
    message carries the child's traceback, for the server's log."""


class _Popen(popen_forkserver.Popen):
    """The fork server's way of starting a child, without running the main script again.

    ``multiprocessing`` makes a child import the parent's ``__main__`` first (so that
    functions defined there can be unpickled). Inside Streamlit, ``__main__`` is the app's
    own script while it runs: every child would run the whole app before reading the
    upload. The functions run here live in modules, so the child skips that step: while
    :class:`multiprocessing.popen_forkserver.Popen` launches it, the preparation data it
    sends leave out the main module (under a lock, since two uploads may start at once).
    """

    def _launch(self, process_obj: Any) -> None:
        with _launching:
            prepare = spawn.get_preparation_data

            def without_main(name: str) -> dict[str, Any]:
                data: dict[str, Any] = prepare(name)
                data.pop("init_main_from_name", None)
                data.pop("init_main_from_path", None)
                return data

            spawn.get_preparation_data = without_main
            try:
                super()._launch(process_obj)  # type: ignore[misc]
            finally:
                spawn.get_preparation_data = prepare


_launching = threading.Lock()


class _Process(multiprocessing.context.ForkServerProcess):
    """A fork-server child that does not import the parent's main script (see
    :class:`_Popen`)."""

    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:  # noqa: N802 (the name multiprocessing calls)
        return _Popen(process_obj)


def _ctx() -> ForkServerContext:
    """Return the fork-server context, configured once, its server started."""
    global _context
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(PRELOAD))
            # Given to the fork server only (the environment is put back at once).
            saved = {name: os.environ.get(name) for name in SERVER_ENV}
            try:
                for name, value in SERVER_ENV.items():
                    os.environ.setdefault(name, value)
                forkserver.ensure_running()
            finally:
                for name, old in saved.items():
                    if old is None:
                        os.environ.pop(name, None)
            _context = context
        return _context


def start() -> None:
    """Start the fork server now (it imports pandas and the readers: about 5 s, in its own
    process) rather than at the first upload; a server calls this once when it starts."""
    _ctx()


def _address_space() -> int:
    """Return the size of this process's address space, in bytes (0 if unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def trim() -> None:
    """Give the heap's free memory back to the system (glibc's ``malloc_trim``; nothing
    elsewhere): the pickled arguments and result of a child were freed (or a server's closed
    sessions, see ``app.py``), but the allocator would otherwise keep their pages for later."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _pack(exc: BaseException) -> tuple[type[BaseException], tuple[Any, ...], dict[str, Any]]:
    """Return an exception as its class, ``args`` and attributes: an exception whose
    ``__init__`` takes other arguments than its ``args`` (``DataValidationError``) is then
    rebuilt exactly, without calling ``__init__``."""
    return type(exc), exc.args, dict(vars(exc))


def _unpack(packed: tuple[type[BaseException], tuple[Any, ...], dict[str, Any]]) -> BaseException:
    """Rebuild an exception packed by :func:`_pack`."""
    cls, args, state = packed
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


def _out_of_memory(exc: BaseException) -> bool:
    """Return whether ``exc`` is, or was caused by, a :class:`MemoryError` (a reader may turn
    a failed allocation into its own error)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, MemoryError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _child(
    conn: Connection,
    memory: int,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """The child's body: limit the address space, run ``func``, send back what happened."""
    limit = _address_space() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.nice(NICE)  # the server that waits for it answers its users first
    payload: tuple[str, Any]
    try:
        payload = ("ok", func(*args, **kwargs))
    except BaseException as exc:
        if _out_of_memory(exc):
            payload = ("memory", None)
        elif isinstance(exc, FlowmapError):
            payload = ("error", _pack(exc))
        else:
            payload = ("bug", "".join(traceback.format_exception(exc)))
    try:
        conn.send(payload)
    except MemoryError:  # the result was too large to pickle within the limit
        conn.send(("memory", None))
    except Exception as exc:  # an error or a result that cannot be pickled
        conn.send(("bug", "".join(traceback.format_exception(exc))))
    finally:
        conn.close()


def run(
    func: Callable[..., T],
    /,
    *args: Any,
    name: str,
    memory: int | None = None,
    seconds: float | None = None,
    **kwargs: Any,
) -> T:
    """Return ``func(*args, **kwargs)`` computed in a child process within the limits.

    Parameters
    ----------
    func
        A module-level function (it is pickled by name), whose arguments and result can be
        pickled.
    *args, **kwargs
        Its arguments.
    name
        The file being read, as the user named it (said in the limits' messages).
    memory
        Bytes the child may allocate beyond what it holds at its start
        (:data:`MEMORY_LIMIT` by default).
    seconds
        Seconds the child may run before it is killed (:data:`TIME_LIMIT` by default).

    Returns
    -------
    T
        What ``func`` returned.

    Raises
    ------
    FlowmapError
        The one ``func`` raised (same class, message and languages); or, when the child
        needed more memory than ``memory``, took longer than ``seconds`` or died, one that
        says so and names ``name``.
    WorkerError
        When ``func`` raised any other exception (its traceback is in the message).
    """
    memory = MEMORY_LIMIT if memory is None else memory
    seconds = TIME_LIMIT if seconds is None else seconds
    context = _ctx()
    file = printable(name, 80)
    mb = Count(round(memory / _MIB))
    with _slots:
        receiver, sender = context.Pipe(duplex=False)
        child = _Process(target=_child, args=(sender, memory, func, args, kwargs), daemon=True)
        try:
            child.start()
        except BaseException:
            receiver.close()
            sender.close()
            raise
        try:
            sender.close()
            if not receiver.poll(seconds):
                child.kill()
                raise FlowmapError(
                    msg("user.worker.time", file=file, seconds=Count(max(1, math.ceil(seconds))))
                )
            try:
                kind, value = receiver.recv()
            except EOFError:  # the child died without a word
                child.join()
                code = child.exitcode
                _log.warning("reading %s: the worker ended with code %s", file, code)
                if code == -signal.SIGKILL:  # the system's out-of-memory killer
                    raise FlowmapError(msg("user.worker.memory", file=file, mb=mb)) from None
                raise FlowmapError(msg("user.worker.died", file=file, mb=mb)) from None
        finally:
            receiver.close()
            child.join(5)
            if child.exitcode is None:
                child.kill()
                child.join()
            child.close()
            trim()
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "memory":
        raise FlowmapError(msg("user.worker.memory", file=file, mb=mb))
    if kind == "error":
        raise _unpack(value)
    raise WorkerError(f"reading {file} failed in the worker:\n{value}")
