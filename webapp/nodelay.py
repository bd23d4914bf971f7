"""Small writes sent at once: Nagle's algorithm turned off on the server's listening socket.

Streamlit binds the server's socket itself (``socket.socket(family=...)``, protocol 0), and
Python's asyncio turns Nagle's algorithm off (``TCP_NODELAY``) only on accepted sockets that
say they are TCP (protocol 6): so on Linux, on a kept-alive connection, every response
after the first (its headers, then its body: two small writes) waited for the browser's
delayed acknowledgement, 40 ms. A first visit fetches about a hundred of Streamlit's
scripts over six connections: about 0.7 s of waiting. The same holds for uvicorn's own
pre-bound sockets (uvicorn issue 3149).

Linux gives an accepted socket the listening socket's ``TCP_NODELAY``: :func:`no_delay`
sets it on the listening socket, found among this process's open files, before the server
accepts its first connection (``server.py``'s lifespan).
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

FD_FOLDERS = (Path("/proc/self/fd"), Path("/dev/fd"))
"""Where a process lists its open files (Linux; other Unix systems)."""


def _open_files() -> list[int]:
    """This process's open file descriptors (none where the system does not list them)."""
    for folder in FD_FOLDERS:
        with contextlib.suppress(OSError):
            return sorted(int(name) for name in os.listdir(folder) if name.isdigit())
    return []


def _listening(sock: socket.socket, port: int | None) -> bool:
    """Whether ``sock`` is a TCP socket listening on ``port`` (any port: None)."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
        return False
    if not sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
        return False
    return port is None or sock.getsockname()[1] == port


def no_delay(port: int | None = None) -> int:
    """Turn Nagle's algorithm off on this process's TCP sockets listening on ``port`` (on
    any port: None); return how many were set. Each socket is reached through a duplicate
    of its descriptor, closed again: the socket itself stays open, as it was."""
    done = 0
    for fd in _open_files():
        try:
            copy = os.dup(fd)
        except OSError:  # closed since it was listed (the listing's own descriptor)
            continue
        try:
            sock = socket.socket(fileno=copy)
        except OSError:  # not a socket
            os.close(copy)
            continue
        with sock:
            try:
                if _listening(sock, port):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    done += 1
            except OSError:
                continue
    return done


__all__ = ["no_delay"]
