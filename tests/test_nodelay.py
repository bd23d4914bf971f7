"""Nagle's algorithm off on the server's listening socket (:mod:`webapp.nodelay`): the
socket on the server's port gets ``TCP_NODELAY``, and so does every connection it accepts;
other sockets and files are left as they were, and stay open."""

from __future__ import annotations

import asyncio
import importlib
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config

from webapp import warm
from webapp.nodelay import no_delay

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="Linux lists a process's files in /proc"
)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP socket listening on 127.0.0.1, made as Streamlit makes its own (protocol 0)."""
    sock = socket.socket(socket.AF_INET)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    with sock:
        yield sock


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def accepted(sock: socket.socket) -> socket.socket:
    """A connection ``sock`` accepts (its client closed)."""
    with socket.create_connection(sock.getsockname()):
        conn, _ = sock.accept()
    return conn


def test_the_listener_on_the_port_and_its_connections_send_at_once(
    listener: socket.socket, tmp_path: Path
) -> None:
    assert nodelay(listener) == 0
    with accepted(listener) as before:
        assert nodelay(before) == 0  # asyncio would leave it so: protocol 0
    other = socket.socket(socket.AF_INET)
    other.bind(("127.0.0.1", 0))
    other.listen()
    with other, (tmp_path / "a.txt").open("w") as file:
        assert no_delay(listener.getsockname()[1]) == 1
        assert nodelay(listener) == 1
        assert nodelay(other) == 0  # another port: left as it was
        with accepted(listener) as after:
            assert nodelay(after) == 1
        file.write("still open")  # every descriptor looked at stays open
    assert (tmp_path / "a.txt").read_text() == "still open"
    assert listener.fileno() >= 0
    assert listener.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1


def test_any_port_and_none_listening(listener: socket.socket) -> None:
    with socket.socket(socket.AF_INET) as idle:  # not listening: left alone
        idle.bind(("127.0.0.1", 0))
        assert no_delay(None) >= 1
        assert nodelay(listener) == 1
        assert nodelay(idle) == 0
    free = listener.getsockname()[1]
    listener.close()
    assert no_delay(free) == 0


def test_the_servers_lifespan_sets_it_before_the_first_connection(
    listener: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``server.py``'s lifespan, which runs before the server accepts connections, sets it
    on the socket of the server's port (here a stand-in; the warm-up is left out)."""
    server = importlib.import_module("server")
    monkeypatch.setattr(warm, "warm", lambda: 0.0)
    port = config.get_option("server.port")
    config.set_option("server.port", listener.getsockname()[1])
    try:

        async def start() -> None:
            async with server.lifespan(server.app):
                assert nodelay(listener) == 1

        asyncio.run(start())
    finally:
        config.set_option("server.port", port)
    with accepted(listener) as conn:
        assert nodelay(conn) == 1
