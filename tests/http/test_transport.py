"""The transport under the client: keep-alive connections are reused while the server keeps them open, and
one the server closed while it was idle is not (its next request goes on a new connection)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.http.transport import is_readable

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


class Server:
    """Answers every request with ``{}`` on plain sockets, counting connections; with ``close_after_answer``
    it closes each connection after its first answer, without saying so in the answer (as a server whose
    idle timeout ran out does)."""

    def __init__(self, close_after_answer: bool) -> None:
        self.close_after_answer = close_after_answer
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            received = b""
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                received += chunk
                while b"\r\n\r\n" in received:
                    _, received = received.split(b"\r\n\r\n", 1)
                    connection.sendall(ANSWER)
                    if self.close_after_answer:
                        return

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def serve() -> Iterator[type[Server]]:
    started: list[Server] = []

    def start(close_after_answer: bool) -> Server:
        server = Server(close_after_answer)
        started.append(server)
        return server

    yield start  # type: ignore[misc]
    for server in started:
        server.close()


def two_requests_one_after_the_other(url: str) -> list[int]:
    """Status of each; no retry, so a request sent on a dead connection would fail."""

    async def go() -> list[int]:
        settings = HttpSettings(timeout=5.0, max_concurrency=1, retry=RetryPolicy(attempts=1))
        async with ApiClient(settings) as http:
            first = await http.get(f"{url}/first")
            await asyncio.sleep(0.1)  # the server's end of the connection arrives meanwhile, when it closes it
            second = await http.get(f"{url}/second")
        return [first.status_code, second.status_code]

    return asyncio.run(go())


def test_a_connection_the_server_keeps_open_carries_the_next_request(serve):
    server = serve(close_after_answer=False)
    assert two_requests_one_after_the_other(server.url) == [200, 200]
    assert server.connections == 1


def test_a_connection_the_server_closed_while_idle_is_not_used_again(serve):
    server = serve(close_after_answer=True)
    assert two_requests_one_after_the_other(server.url) == [200, 200]
    assert server.connections == 2


def test_a_socket_with_nothing_to_read_is_not_readable():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not is_readable(ours)


def test_a_socket_with_an_answer_waiting_is_readable():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(b"x")
        time.sleep(0.01)
        assert is_readable(ours)


def test_a_socket_whose_other_end_closed_is_readable():
    ours, theirs = socket.socketpair()
    with ours:
        theirs.close()
        assert is_readable(ours)


def test_a_socket_that_is_gone_counts_as_readable():
    ours, theirs = socket.socketpair()
    theirs.close()
    ours.close()
    assert is_readable(ours) and is_readable(None)
