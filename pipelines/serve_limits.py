"""The HTTP protocol `serve` uses: uvicorn's h11 protocol with header and write timeouts and a
connection cap.

uvicorn closes idle kept-alive connections (`timeout_keep_alive`) and answers 503 over
`limit_concurrency`, but it waits forever for the headers of a request: five clients sending one
byte every few seconds hold five connections open indefinitely. This subclass starts a timer
whenever it waits for a request's headers (on connecting, and when data for a next request
arrives) and closes the connection with 408 when they are not complete in time; connections over
the cap are closed as they arrive.

It also waits forever for a client that stops reading a response: once the socket's buffers are
full the transport pauses writing, and the response (a 100 MB zip, say) waits, holding its
connection and file, until the client reads again. A timer runs while writing is paused; a client
that has not drained the transport's buffer (asyncio's 64 KB high-water mark) to its low-water mark
within `write_timeout` seconds is dropped (the connection aborted, so the waiting response ends).
A slow but reading client resumes writing in time and is served in full.
Only the protocol's public callbacks are extended.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

_TIMEOUT_RESPONSE = b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"


def guarded_protocol(header_timeout: float, max_connections: int, write_timeout: float | None = None
                     ) -> type[asyncio.Protocol]:
    """An H11Protocol class that sheds clients slower than `header_timeout` to send their headers or
    `write_timeout` to take the response, and beyond `max_connections`."""

    class GuardedH11(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None
        _write_timer: asyncio.TimerHandle | None = None
        _waiting_after = None  # the request cycle that was current when the wait for headers began

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                transport.close()
                return
            self._wait_for_headers()

        def data_received(self, data: bytes) -> None:
            if self._header_timer is None and (self.cycle is None or self.cycle.response_complete):
                self._wait_for_headers()  # bytes of a next request on a kept-alive connection
            super().data_received(data)
            if self._header_timer is not None and self.cycle is not self._waiting_after:
                self._stop_waiting()  # the headers are complete: a new request cycle started

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_waiting()
            self._stop_write_timer()
            super().connection_lost(exc)

        def pause_writing(self) -> None:
            super().pause_writing()
            if write_timeout is not None and self._write_timer is None:
                self._write_timer = self.loop.call_later(write_timeout, self._reader_gone)

        def resume_writing(self) -> None:
            self._stop_write_timer()
            super().resume_writing()

        def _stop_write_timer(self) -> None:
            if self._write_timer is not None:
                self._write_timer.cancel()
                self._write_timer = None

        def _reader_gone(self) -> None:
            self._write_timer = None
            self.transport.abort()  # buffered bytes dropped: the client took none of them in time

        def _wait_for_headers(self) -> None:
            self._waiting_after = self.cycle
            self._header_timer = self.loop.call_later(header_timeout, self._headers_too_slow)

        def _stop_waiting(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if not self.transport.is_closing():
                self.transport.write(_TIMEOUT_RESPONSE)
                self.transport.close()

    return GuardedH11
