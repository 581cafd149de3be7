"""Connections to the real server: an idle keep-alive connection is closed after KEEP_ALIVE_SECONDS,
and past MAX_CONNECTIONS open connections a worker answers 503. Raw sockets, so that nothing pools,
retries or reconnects behind the test's back."""

import socket
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from urllib.parse import urlsplit

from tests.conftest import running_server

GUARD_SECONDS = 30  # a guard for a hung test, not a speed target


@contextmanager
def connection(base: str, timeout: float = GUARD_SECONDS) -> Iterator[socket.socket]:
    """A raw TCP connection to the server at `base`."""
    address = urlsplit(base)
    with closing(socket.create_connection((address.hostname, address.port), timeout=timeout)) as sock:
        yield sock


def ask(sock: socket.socket, path: str) -> int:
    """Send one keep-alive GET on `sock`, read its whole answer, and return the status code."""
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += receive(sock)
    head, body = answer.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":")[1]) for line in lines if line.lower().startswith("content-length:"))
    while len(body) < length:
        body += receive(sock)
    return int(lines[0].split()[1])


def receive(sock: socket.socket) -> bytes:
    """The next bytes the server sends; fails the test if it closed the connection instead."""
    chunk = sock.recv(65536)
    assert chunk, "the server closed the connection in the middle of an answer"
    return chunk


def test_an_idle_keep_alive_connection_is_closed_after_the_setting(database_url: str) -> None:
    # Uvicorn's default is 5 s: a server that ignored the 1 s setting would outlast the 4 s wait below.
    with running_server(database_url, KEEP_ALIVE_SECONDS="1") as base, connection(base, timeout=4) as sock:
        assert ask(sock, "/health") == 200
        assert ask(sock, "/health") == 200  # the connection was kept for a second request
        asked = time.monotonic()
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):  # the answer, then the end of the stream: closed by the server
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert time.monotonic() - asked >= 0.99  # idle for the setting after the answer, not cut at once


def test_past_max_connections_a_request_is_refused_with_503(database_url: str) -> None:
    with running_server(database_url, MAX_CONNECTIONS="2", KEEP_ALIVE_SECONDS="60") as base:
        with connection(base) as idle:
            assert ask(idle, "/health") == 200  # accepted and kept open: one of the two
            with connection(base) as second:
                assert ask(second, "/health") == 503
        assert eventually_answers(base) == 200  # the idle one closed: room again


def eventually_answers(base: str) -> int:
    """The status of /health on a new connection, asked until the server has seen earlier ones close."""
    for _ in range(100):
        with connection(base) as sock:
            status = ask(sock, "/health")
        if status != 503:
            return status
        time.sleep(0.1)
    return 503
