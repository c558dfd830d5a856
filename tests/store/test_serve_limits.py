"""`serve` sheds slow clients: drip-fed headers, idle connections and floods are closed, others served."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from pipelines.serve import server_config

HEADER_TIMEOUT = 1.0
WRITE_TIMEOUT = 1.0
MAX_CONNECTIONS = 4
BIG = 48 * 1024 * 1024  # far more than the kernel's socket buffers hold on loopback
WAIT = 6.0  # how long a test waits for the server to close a connection (the bug: never)


@pytest.fixture(scope="module")
def address(tmp_path_factory):
    exports = tmp_path_factory.mktemp("exports")
    (exports / "manifest.json").write_text('{"generated_at": null, "tables": []}')
    with open(exports / "claims-dataset.zip", "wb") as fh:
        fh.truncate(BIG)  # a large download (sparse: costs no disk)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(server_config(exports, "127.0.0.1", port, header_timeout=HEADER_TIMEOUT, keep_alive=1.0,
                                      max_connections=MAX_CONNECTIONS, write_timeout=WRITE_TIMEOUT,
                                      log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield ("127.0.0.1", port)
    srv.should_exit = True
    thread.join(timeout=10)
    assert not thread.is_alive()


def connect(address) -> socket.socket:
    sock = socket.create_connection(address, timeout=WAIT)
    return sock


def closed_within(sock: socket.socket, seconds: float, drip: bytes = b"") -> tuple[bool, bytes]:
    """Send `drip` one byte at a time (0.2 s apart) until the server closes; (closed?, what it sent)."""
    got = b""
    end = time.time() + seconds
    i = 0
    while time.time() < end:
        if i < len(drip):
            try:
                sock.sendall(drip[i:i + 1])
            except OSError:
                return True, got
            i += 1
        sock.settimeout(0.2)
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        except OSError:
            return True, got
        if not chunk:
            return True, got
        got += chunk
    return False, got


def request(address, path: str = "/") -> bytes:
    with connect(address) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_drip_fed_headers_are_cut_off(address):
    socks = [connect(address) for _ in range(MAX_CONNECTIONS)]
    try:
        drip = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
        results = [closed_within(s, WAIT, drip) for s in socks[:1]]  # one drips while the others wait idle
        results += [closed_within(s, 1.0) for s in socks[1:]]
    finally:
        for s in socks:
            s.close()
    assert all(closed for closed, _ in results)
    assert results[0][1].startswith(b"HTTP/1.1 408")


def test_idle_connection_is_closed(address):
    with connect(address) as sock:
        started = time.time()
        closed, _ = closed_within(sock, WAIT)
    assert closed and time.time() - started < HEADER_TIMEOUT + 3


def test_slow_second_request_on_a_kept_alive_connection_is_cut_off(address):
    with connect(address) as sock:
        sock.sendall(b"GET /manifest.json HTTP/1.1\r\nHost: x\r\n\r\n")
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        closed, got = closed_within(sock, WAIT, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"b" * 200)
    assert closed


def test_connections_over_the_cap_are_closed_at_once_and_others_still_served(address):
    held = [connect(address) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.2)
        extra = connect(address)
        started = time.time()
        closed, _ = closed_within(extra, HEADER_TIMEOUT / 2)
        extra.close()
        assert closed and time.time() - started < HEADER_TIMEOUT / 2
    finally:
        for s in held:
            s.close()
    time.sleep(0.3)
    assert request(address, "/manifest.json").startswith(b"HTTP/1.1 200")


def test_normal_requests_are_unaffected(address):
    assert request(address).startswith(b"HTTP/1.1 200")
    assert b'"tables"' in request(address, "/manifest.json")


def received_until_closed(sock: socket.socket, seconds: float) -> tuple[bool, int]:
    """Read everything until the server closes (or `seconds` pass); (closed?, bytes received)."""
    sock.settimeout(seconds)
    n, end = 0, time.time() + seconds
    while time.time() < end:
        try:
            chunk = sock.recv(1 << 20)
        except TimeoutError:
            return False, n
        except OSError:  # reset: the server aborted the connection
            return True, n
        if not chunk:
            return True, n
        n += len(chunk)
    return False, n


def test_a_client_that_stops_reading_a_large_response_is_dropped(address):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: a small window
    sock.connect(address)
    with sock:
        sock.sendall(b"GET /claims-dataset.zip HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(WRITE_TIMEOUT + 2)  # takes nothing: the server's buffers fill and its writes pause
        closed, n = received_until_closed(sock, WAIT)
    assert closed and n < BIG  # given up on, not kept waiting (the bug: served in full once read again)


def test_a_client_that_reads_gets_the_whole_large_response(address):
    with connect(address) as sock:
        sock.sendall(b"GET /claims-dataset.zip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        closed, n = received_until_closed(sock, 60)
    assert closed and n > BIG
