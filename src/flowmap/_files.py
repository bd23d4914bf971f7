"""Writing files safely: a private temporary file in the target folder, then one rename.

A reader never sees a half-written file, a planted symbolic link is never followed, and
nothing is left behind when writing fails (full disk, no permission, interrupted).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from flowmap.errors import FlowmapError

LARGE_FILE_BYTES = 25 * 1024 * 1024
"""Exports above this size get a warning before they are written."""


def check_target(path: Path | str) -> Path:
    """Return ``path`` if a file can be written there: its folder exists and it is not a
    folder or a special file itself.

    Raises
    ------
    FlowmapError
        Naming the problem: a folder, a missing folder, a device or pipe.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.name in ("", ".", ".."):
        raise FlowmapError(f"cannot write {str(path)!r}: give a file name, not a folder")
    if not parent.is_dir():
        raise FlowmapError(f"cannot write {str(path)!r}: the folder {str(parent)!r} does not exist")
    try:
        info = path.lstat()
    except FileNotFoundError:
        return path
    if stat.S_ISDIR(info.st_mode):
        raise FlowmapError(f"cannot write {str(path)!r}: it is a folder; give a file name")
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise FlowmapError(f"cannot write {str(path)!r}: it is not a regular file")
    return path


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path.

    The data goes to a new file made by :func:`tempfile.mkstemp` (``O_EXCL``, mode 0600,
    an unpredictable name) in the same folder, is flushed to disk, gets the usual
    permissions and replaces ``path`` in one rename. A symbolic link at ``path`` is
    replaced, never followed. On any error the temporary file is removed.

    Raises
    ------
    FlowmapError
        If the target is a folder or its folder is missing, the disk is full, or the
        folder cannot be written.
    """
    path = check_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FlowmapError(_reason(path, exc)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise FlowmapError(_reason(path, exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def write_text(path: Path | str, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`write_bytes`)."""
    return write_bytes(path, text.encode("utf-8"))


def _reason(path: Path, exc: OSError) -> str:
    """Return a one-line explanation of a failed write, without a traceback."""
    if exc.errno == errno.ENOSPC:
        return f"cannot write {str(path)!r}: the disk is full (nothing was written)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {str(path)!r}: no permission to write in that folder"
    if exc.errno == errno.EISDIR:
        return f"cannot write {str(path)!r}: it is a folder; give a file name"
    return f"cannot write {str(path)!r}: {exc.strerror or type(exc).__name__}"
