"""The transport under the client: keep-alive connections are reused while the server keeps them open, and
one the server closed while it was idle is not (its next request goes on a new connection); the same over TLS.
The client keeps no cookie a server sets."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from scm_access.http import ApiClient, ApiUnavailable, HttpSettings, RetryPolicy
from scm_access.http.transport import ConnectionTransport, CookielessClient, default_authorities

ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: session=from-the-server; Path=/\r\n"
    b"Content-Length: 2\r\n\r\n{}"
)


class Listener:
    """A socket on 127.0.0.1 that serves each connection on a thread of its own (:meth:`serve`), counting them.
    A subclass sets what its :meth:`serve` reads before calling this constructor: the first connection may
    come at once."""

    def __init__(self, scheme: str = "http") -> None:
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"{scheme}://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()

    def serve(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        # Shut down first: closing alone does not wake the thread waiting in accept().
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()


def read_head(connection: socket.socket) -> tuple[bytes, bytes] | None:
    """A request's head and what came after it, or None when the client hung up first."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        received += chunk
    head, rest = received.split(b"\r\n\r\n", 1)
    return head, rest


class Server(Listener):
    """Answers every request with ``{}`` (and a cookie) on plain sockets or over TLS, counting connections and
    keeping each request's head; with ``close_after_answer`` it closes each connection after its first answer,
    without saying so in the answer (as a server whose idle timeout ran out does)."""

    def __init__(self, close_after_answer: bool, tls: ssl.SSLContext | None = None) -> None:
        self.close_after_answer = close_after_answer
        self.tls = tls
        self.heads: list[bytes] = []
        super().__init__("https" if tls else "http")

    def serve(self, connection: socket.socket) -> None:
        if self.tls is not None:
            try:
                connection = self.tls.wrap_socket(connection, server_side=True)
            except (OSError, ssl.SSLError):
                return
        with connection:
            received = b""
            while True:
                try:
                    chunk = connection.recv(65536)
                except (OSError, ssl.SSLError):
                    return
                if not chunk:
                    return
                received += chunk
                while b"\r\n\r\n" in received:
                    head, received = received.split(b"\r\n\r\n", 1)
                    self.heads.append(head)
                    connection.sendall(ANSWER)
                    if self.close_after_answer:
                        return


@pytest.fixture
def serve() -> Iterator[type[Server]]:
    started: list[Server] = []

    def start(close_after_answer: bool, tls: ssl.SSLContext | None = None) -> Server:
        server = Server(close_after_answer, tls)
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


def test_a_cookie_an_answer_sets_is_not_sent_with_the_next_request(serve):
    server = serve(close_after_answer=False)
    two_requests_one_after_the_other(server.url)
    assert len(server.heads) == 2
    assert b"cookie:" not in server.heads[1].lower()


def test_the_client_refuses_to_be_given_cookies():
    with pytest.raises(TypeError):
        CookielessClient().cookies = {"session": "x"}


def test_a_port_nobody_listens_on_is_a_failed_connection():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()

    async def go() -> None:
        settings = HttpSettings(timeout=5.0, max_concurrency=1, retry=RetryPolicy(attempts=1))
        async with ApiClient(settings) as http:
            await http.get(f"http://127.0.0.1:{port}/x")

    with pytest.raises(ApiUnavailable, match="connection failed"):
        asyncio.run(go())


# -- TLS ----------------------------------------------------------------------------------------------------


def self_signed(folder: Path, name: str, alternative: x509.GeneralName) -> tuple[Path, Path]:
    """A self-signed certificate for ``name`` and its key, as PEM files in ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([alternative]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    address = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    return self_signed(tmp_path_factory.mktemp("tls"), "127.0.0.1", address)


def two_requests_over_tls(url: str, trusted: Path) -> list[int]:
    async def go() -> list[int]:
        context = ssl.create_default_context(cafile=str(trusted))
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        transport = ConnectionTransport(ssl_context=context, limits=limits)
        async with CookielessClient(transport=transport, timeout=5.0) as client:
            first = await client.get(f"{url}/first")
            await asyncio.sleep(0.1)
            second = await client.get(f"{url}/second")
        return [first.status_code, second.status_code]

    return asyncio.run(go())


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def test_over_tls_a_connection_the_server_keeps_open_carries_the_next_request(serve, certificate):
    server = serve(close_after_answer=False, tls=server_context(certificate))
    assert two_requests_over_tls(server.url, certificate[0]) == [200, 200]
    assert server.connections == 1


def test_over_tls_a_connection_the_server_closed_while_idle_is_not_used_again(serve, certificate):
    server = serve(close_after_answer=True, tls=server_context(certificate))
    assert two_requests_over_tls(server.url, certificate[0]) == [200, 200]
    assert server.connections == 2


def test_over_tls_a_server_whose_certificate_is_not_trusted_is_refused(serve, certificate):
    server = serve(close_after_answer=False, tls=server_context(certificate))

    async def go() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        transport = ConnectionTransport(ssl_context=ssl.create_default_context(), limits=limits)
        async with CookielessClient(transport=transport, timeout=5.0) as client:
            await client.get(f"{server.url}/first")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(go())


# -- what the client needs of the transport --------------------------------------------------------------


class RawServer(Listener):
    """Answers each connection's first request with ``reply`` (bytes, sent as they are), counting connections
    and keeping each request's head; ``hold`` seconds before answering."""

    def __init__(self, reply: bytes, hold: float = 0.0) -> None:
        self.reply = reply
        self.hold = hold
        self.heads: list[bytes] = []
        super().__init__()

    def serve(self, connection: socket.socket) -> None:
        with connection:
            request = read_head(connection)
            if request is None:
                return
            self.heads.append(request[0])
            threading.Event().wait(self.hold)
            try:
                connection.sendall(self.reply)
            except OSError:
                return


@pytest.fixture
def raw_server() -> Iterator[type[RawServer]]:
    started: list[RawServer] = []

    def start(reply: bytes, hold: float = 0.0) -> RawServer:
        server = RawServer(reply, hold)
        started.append(server)
        return server

    yield start  # type: ignore[misc]
    for server in started:
        server.close()


def send(url: str, *, trace=None, read_timeout: float = 5.0) -> httpx.Response:
    async def go() -> httpx.Response:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        transport = ConnectionTransport(ssl_context=ssl.create_default_context(), limits=limits)
        async with CookielessClient(transport=transport, timeout=read_timeout) as client:
            extensions = {} if trace is None else {"trace": trace}
            request = client.build_request("GET", f"{url}/x", extensions=extensions)
            response = await client.send(request)
            return response

    return asyncio.run(go())


class Refused(Exception):
    pass


def test_the_trace_hears_of_the_head_before_it_is_written_and_can_stop_it(raw_server):
    server = raw_server(ANSWER)
    heard: list[str] = []

    async def trace(event: str, info: dict) -> None:
        heard.append(event)
        assert isinstance(info["request"], httpx.Request)
        raise Refused()

    with pytest.raises(Refused):
        send(server.url, trace=trace)
    assert heard == ["http11.send_request_headers.started"]
    assert server.heads == []


def test_a_trace_that_lets_the_request_go_leaves_it_as_it_was(raw_server):
    server = raw_server(ANSWER)

    async def trace(event: str, info: dict) -> None:
        return None

    assert send(server.url, trace=trace).json() == {}
    assert server.heads[0].startswith(b"GET /x HTTP/1.1")


def test_an_answer_that_is_not_http_is_a_protocol_error_that_repeats_none_of_it(raw_server):
    server = raw_server(b"NOT-HTTP secret-looking-text\r\n\r\n")
    with pytest.raises(httpx.RemoteProtocolError) as raised:
        send(server.url)
    assert "secret-looking-text" not in str(raised.value)


def test_a_server_that_hangs_up_mid_answer_is_a_read_error(raw_server):
    server = raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\"")
    with pytest.raises(httpx.TransportError):
        send(server.url)


def test_an_answer_slower_than_the_read_timeout_is_a_read_timeout(raw_server):
    server = raw_server(ANSWER, hold=1.0)
    with pytest.raises(httpx.ReadTimeout):
        send(server.url, read_timeout=0.2)


def test_a_compressed_answer_is_left_for_httpx_to_decode():
    import gzip

    body = gzip.compress(b'{"packed": true}')
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    server = RawServer(reply)
    try:
        assert send(server.url).json() == {"packed": True}
    finally:
        server.close()


def test_by_default_a_certificate_the_system_does_not_trust_is_refused(serve, certificate):
    server = serve(close_after_answer=False, tls=server_context(certificate))

    async def go() -> None:
        settings = HttpSettings(timeout=5.0, max_concurrency=1, retry=RetryPolicy(attempts=1))
        async with ApiClient(settings) as http:
            await http.get(f"{server.url}/first")

    with pytest.raises(ApiUnavailable, match="connection failed"):
        asyncio.run(go())
    assert server.heads == []


def test_the_systems_authorities_are_used_where_python_finds_them(monkeypatch, tmp_path):
    bundle = tmp_path / "cert.pem"
    bundle.write_text("")
    found = ssl.DefaultVerifyPaths(str(bundle), None, "SSL_CERT_FILE", str(bundle), "SSL_CERT_DIR", "/absent")
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: found)
    assert default_authorities() is True


def test_certifis_bundle_is_used_where_python_finds_no_system_store(monkeypatch):
    nowhere = ssl.DefaultVerifyPaths(None, None, "SSL_CERT_FILE", "/absent/cert.pem", "SSL_CERT_DIR", "/absent/certs")
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: nowhere)
    chosen = default_authorities()
    assert isinstance(chosen, ssl.SSLContext) and chosen.cert_store_stats()["x509_ca"] > 100


def test_a_reason_phrase_that_is_not_ascii_is_kept_as_a_status_not_an_error(raw_server):
    server = raw_server(b"HTTP/1.1 404 Non trouv\xe9 \xe2\x9c\x93\r\nContent-Length: 2\r\n\r\n{}")
    response = send(server.url)
    assert response.status_code == 404 and response.json() == {}


def test_a_connection_that_breaks_is_sent_on_once_by_the_transport_the_client_retries_by_its_own_policy(raw_server):
    # aiohttp would send the request again on its own; the client's retry policy and budget decide instead.
    assert "_retry_connection" in aiohttp.ClientSession.ATTRS
    server = raw_server(b"")  # reads the request, then hangs up without a word

    async def go() -> None:
        settings = HttpSettings(timeout=5.0, max_concurrency=1, retry=RetryPolicy(attempts=1))
        async with ApiClient(settings) as http:
            await http.get(f"{server.url}/x")

    with pytest.raises(ApiUnavailable):
        asyncio.run(go())
    assert len(server.heads) == 1


def test_an_answer_reaches_the_client_64_kib_at_most_at_a_time():
    # httpx decompresses each piece whole before the client's size cap sees it: a compressed answer grows
    # at most a piece's worth past the cap, so the pieces stay as small as httpcore's reads were.
    body = bytes(range(256)) * 4096  # 1 MiB
    server = RawServer(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    pieces: list[int] = []

    async def go() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with CookielessClient(transport=ConnectionTransport(limits=limits), timeout=5.0) as client:
            await asyncio.sleep(0)
            async with client.stream("GET", f"{server.url}/x") as response:
                await asyncio.sleep(0.2)  # the whole answer has arrived and waits in aiohttp's buffer
                async for piece in response.aiter_raw():
                    pieces.append(len(piece))

    try:
        asyncio.run(go())
    finally:
        server.close()
    assert sum(pieces) == len(body) and max(pieces) <= 64 * 1024


def test_a_post_without_a_body_carries_no_content_type_of_the_transports_own(raw_server):
    server = raw_server(ANSWER)

    async def go() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with CookielessClient(transport=ConnectionTransport(limits=limits), timeout=5.0) as client:
            await client.post(f"{server.url}/x")

    asyncio.run(go())
    assert b"content-type" not in server.heads[0].lower()


def test_finding_a_host_that_never_resolves_is_a_connect_timeout(monkeypatch):
    # The connect timeout covers the name lookup too, not only opening the socket.
    async def go() -> None:
        loop = asyncio.get_running_loop()

        async def never(*args, **kwargs):
            await asyncio.sleep(30)

        monkeypatch.setattr(loop, "getaddrinfo", never)
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with CookielessClient(transport=ConnectionTransport(limits=limits), timeout=0.2) as client:
            await client.get("https://unresolvable.example/x")

    started = time.monotonic()
    with pytest.raises(httpx.ConnectTimeout):
        asyncio.run(go())
    assert time.monotonic() - started < 5


# -- a proxy named in the environment ------------------------------------------------------------------------


class TunnellingProxy(Listener):
    """An HTTP proxy that only tunnels (``CONNECT``), to 127.0.0.1 whatever host is asked for; keeps each
    CONNECT line and every byte the client sent through the tunnel."""

    def __init__(self) -> None:
        self.connects: list[str] = []
        self.carried = bytearray()
        super().__init__()

    def serve(self, connection: socket.socket) -> None:
        request = read_head(connection)
        if request is None:
            return
        line = request[0].split(b"\r\n", 1)[0].decode()
        self.connects.append(line)
        port = int(line.split(" ")[1].rsplit(":", 1)[1])
        upstream = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pipe(source: socket.socket, sink: socket.socket, keep: bool) -> None:
            try:
                while chunk := source.recv(65536):
                    if keep:
                        self.carried.extend(chunk)
                    sink.sendall(chunk)
            except OSError:
                pass

        threading.Thread(target=pipe, args=(upstream, connection, False), daemon=True).start()
        pipe(connection, upstream, True)


@pytest.fixture
def proxy(monkeypatch) -> Iterator[TunnellingProxy]:
    started = TunnellingProxy()
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", started.url)
    yield started
    started.close()


@pytest.fixture(scope="module")
def named_certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for the name ``scm-access.test`` (reached only through the proxy)."""
    return self_signed(tmp_path_factory.mktemp("named-tls"), "scm-access.test", x509.DNSName("scm-access.test"))


def get_with_token(url: str, trusted: Path) -> int:
    async def go() -> int:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        transport = ConnectionTransport(limits=limits, ssl_context=ssl.create_default_context(cafile=str(trusted)))
        async with CookielessClient(transport=transport, timeout=5.0) as client:
            response = await client.get(url, headers={"Authorization": "token tunnel-canary-1234"})
            return response.status_code

    return asyncio.run(go())


def test_an_https_request_goes_through_the_environments_proxy_in_a_tunnel(serve, named_certificate, proxy):
    server = serve(close_after_answer=False, tls=server_context(named_certificate))
    port = server.url.rsplit(":", 1)[1]
    assert get_with_token(f"https://scm-access.test:{port}/x", named_certificate[0]) == 200
    assert proxy.connects == [f"CONNECT scm-access.test:{port} HTTP/1.1"]
    assert b"tunnel-canary" not in bytes(proxy.carried)  # the proxy carried TLS, never the credential


def test_a_host_no_proxy_names_is_reached_directly(serve, named_certificate, proxy, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "example.org,scm-access.test")
    server = serve(close_after_answer=False, tls=server_context(named_certificate))
    with pytest.raises(httpx.ConnectError):  # directly, the name resolves nowhere
        get_with_token(f"https://scm-access.test:{server.url.rsplit(':', 1)[1]}/x", named_certificate[0])
    assert proxy.connects == []


def test_a_loopback_address_is_never_reached_through_the_proxy(serve, certificate, proxy):
    server = serve(close_after_answer=False, tls=server_context(certificate))
    assert get_with_token(f"{server.url}/x", certificate[0]) == 200
    assert proxy.connects == []
