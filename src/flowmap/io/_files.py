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

from flowmap.core.errors import FlowmapError
from flowmap.text.deferred import Megabytes as Megabytes  # where the readers import it
from flowmap.text.i18n import Message, msg

LARGE_FILE_BYTES = 25 * 1024 * 1024
"""Exports above this size get a warning before they are written."""


def check_target(path: Path | str) -> Path:
    """Return ``path`` if a file can be written there: its folder exists and it is not a
    folder or a special file itself.

    Raises
    ------
    FlowmapError
        Naming the problem: a folder, a missing folder, a device or pipe, a name with a
        NUL character, a name or path longer than the system allows.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    shown = _shown(path)
    if path.name in ("", ".", ".."):
        raise FlowmapError(msg("geo.write.no_name", path=shown))
    if "\0" in str(path):
        raise FlowmapError(msg("geo.write.bad_name", path=shown))
    if len(os.fsencode(path.name)) > _name_max(parent):
        raise FlowmapError(msg("geo.write.too_long", path=shown))
    try:
        parent_ok = parent.is_dir()
        info = path.lstat() if parent_ok else None
    except FileNotFoundError:
        return path
    except (OSError, ValueError) as exc:
        raise FlowmapError(_reason(path, exc)) from None
    if info is None:
        raise FlowmapError(msg("geo.write.no_folder", path=shown, folder=_shown(parent)))
    if stat.S_ISDIR(info.st_mode):
        raise FlowmapError(msg("geo.write.is_folder", path=shown))
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise FlowmapError(msg("geo.write.not_regular", path=shown))
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
        # 40 characters of the name (160 bytes at most) keep the temporary name under the
        # file system's 255-byte limit.
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


def _name_max(folder: Path) -> int:
    """Return the longest file name (in bytes) the file system of ``folder`` allows."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


def _shown(path: Path) -> str:
    """Return a path quoted for a message, cut to 120 characters (a 4,000-character name
    would bury the line)."""
    text = str(path)
    return repr(text if len(text) <= 120 else text[:119] + "…")


def _reason(path: Path, exc: OSError | ValueError) -> Message:
    """Return a one-line explanation of a failed write, without a traceback."""
    shown = _shown(path)
    if isinstance(exc, ValueError):  # "embedded null byte" and the like
        return msg("geo.write.bad_name", path=shown)
    if exc.errno == errno.ENAMETOOLONG:
        return msg("geo.write.too_long", path=shown)
    if exc.errno == errno.ENOSPC:
        return msg("geo.write.disk_full", path=shown)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return msg("geo.write.permission", path=shown)
    if exc.errno == errno.EISDIR:
        return msg("geo.write.is_folder", path=shown)
    return msg("geo.write.other", path=shown, reason=exc.strerror or type(exc).__name__)
