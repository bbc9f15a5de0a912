"""Bounds on what a client may send before its request reaches the app, on the real
`feedback serve` (app/http/protocol.py): header bytes, header fields, and the time to
send them. Raw sockets, because HTTP clients refuse to send what these tests send."""

import asyncio
import json
import select
import socket
import time
from collections.abc import Awaitable, Callable, Iterator

import pytest
from sqlalchemy.engine import URL

from tests.served import Served, serve

LIMITS = {
    "FEEDBACK_MAX_HEADER_BYTES": "8192",
    "FEEDBACK_MAX_HEADER_FIELDS": "20",
    "FEEDBACK_HEADER_TIMEOUT_SECONDS": "1",
}


@pytest.fixture(scope="module")
def service(fresh_database: Callable[[], Awaitable[URL]]) -> Iterator[Served]:
    async def make() -> URL:
        return await fresh_database()

    url = asyncio.run(make())
    with serve(url, env=LIMITS) as served:
        yield served


def connect(service: Served) -> socket.socket:
    host, port = service.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 answer with a content-length: (status, headers, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    while len(body) < int(headers.get("content-length", "0")):
        chunk = sock.recv(65536)
        assert chunk
        body += chunk
    return status, headers, body


def closed_by_server(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def request(
    path: str, headers: list[tuple[str, str]], method: str = "GET", body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: test", *(f"{k}: {v}" for k, v in headers)]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def assert_problem(answer: tuple[int, dict[str, str], bytes], status: int) -> dict[str, object]:
    got, headers, body = answer
    assert got == status, (got, body)
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    problem: dict[str, object] = json.loads(body)
    assert problem["status"] == status
    assert problem["detail"]
    return problem


def test_headers_under_the_bound_pass_on_one_connection_again_and_again(service: Served) -> None:
    """Each request on a kept-alive connection has its own count: three requests whose
    header fields together exceed the bound all pass."""
    with connect(service) as sock:
        for _ in range(3):
            sock.sendall(request("/healthz", [("X-Padding", "p" * 6000)]))
            status, _, _ = read_answer(sock)
            assert status == 200


def test_a_huge_header_is_refused_before_it_is_read(service: Served) -> None:
    """A 200 MB header was read in full before; now the answer comes after the bound
    (plus at most a read buffer) and the connection is closed, the rest unsent."""
    with connect(service) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Huge: ")
        sent = 0
        refused = None
        sock.settimeout(5)
        try:
            while sent < 64 * 2**20:
                sock.sendall(b"h" * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError):
            refused = sent
        assert refused is not None, "the server read 64 MiB of one header"
        assert refused < 8 * 2**20, refused
    with connect(service) as sock:  # and it still serves
        sock.sendall(request("/healthz", []))
        assert read_answer(sock)[0] == 200


def test_the_answer_to_a_header_past_the_bound_is_a_431_problem(service: Served) -> None:
    with connect(service) as sock:
        sock.sendall(request("/healthz", [("X-Padding", "p" * 9000)]))
        problem = assert_problem(read_answer(sock), 431)
        assert "8192 bytes" in str(problem["detail"])
        assert closed_by_server(sock)


def test_too_many_header_fields_is_a_431(service: Served) -> None:
    with connect(service) as sock:
        sock.sendall(request("/healthz", [(f"X-F{i}", "1") for i in range(25)]))
        problem = assert_problem(read_answer(sock), 431)
        assert "20 header fields" in str(problem["detail"])


def test_a_large_body_does_not_count_as_header(service: Served) -> None:
    """The body arrives in the same reads as the head; only the head is bounded by
    these settings (the route bounds the body: here 401, no key)."""
    body = json.dumps({"events": [{"comment": "x" * 200_000}]}).encode()
    with connect(service) as sock:
        sock.sendall(
            request("/v1/feedback/batch", [("Content-Type", "application/json")], "POST", body)
        )
        assert read_answer(sock)[0] == 401


@pytest.mark.parametrize("first", [b"", b"GET /healthz HTTP/1.1\r\nHost: te"])
def test_a_client_too_slow_with_its_header_gets_a_408(service: Served, first: bytes) -> None:
    """Silent after connecting, or trickling: 408 after the timeout, connection closed."""
    with connect(service) as sock:
        started = time.monotonic()
        sock.sendall(first)
        problem = assert_problem(read_answer(sock), 408)
        took = time.monotonic() - started
        assert "1 seconds" in str(problem["detail"])
        assert 0.9 <= took < 5, took
        assert closed_by_server(sock)


def test_a_slow_but_steady_client_is_timed_from_its_first_byte(service: Served) -> None:
    """Bytes that keep arriving do not extend the deadline."""
    with connect(service) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        for i in range(40):  # a header field every 0.1 s, never the end of the head
            if select.select([sock], [], [], 0.1)[0]:
                break
            sock.sendall(f"X-{i}: 1\r\n".encode())
        assert_problem(read_answer(sock), 408)
        assert 0.9 <= time.monotonic() - started < 2.5


def test_a_whole_request_in_one_read_counts_only_its_head(service: Served) -> None:
    """Head and a body larger than the head's bound, arriving together (one read on
    loopback), twice on one connection: the body is the route's business (401 here)."""
    body = json.dumps({"events": [{"comment": "x" * 20_000}]}).encode()
    one = request("/v1/feedback/batch", [("Content-Type", "application/json")], "POST", body)
    with connect(service) as sock:
        for _ in range(2):
            sock.sendall(one)
            assert read_answer(sock)[0] == 401
