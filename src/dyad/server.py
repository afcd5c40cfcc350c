"""The HTTP server `dyad serve` runs the API in: uvicorn's h11 protocol with two guards.

* **A header deadline**: a connection that has not sent a complete request head within
  ``header_timeout`` seconds of opening (or of its previous response) is closed, so clients that
  open connections and never finish their headers cannot hold them forever.
* **A cap on open connections** (``max_connections``): a connection past the cap is answered
  with a 503 (``{"error": …}``, ``Retry-After``) and closed as soon as it opens.

Malformed requests get uvicorn's 400, as JSON (``{"error": …}``) like every other error of the API.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0  # seconds to send a complete request head
MAX_CONNECTIONS = 100  # connections open at once
KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open


class GuardedH11Protocol(H11Protocol):
    """h11 with a deadline for the request head and JSON 400s."""

    header_timeout: float = HEADER_TIMEOUT
    max_connections: int = MAX_CONNECTIONS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        if len(self.connections) > self.max_connections:
            body = json.dumps({"error": f"too many connections (limit {self.max_connections}); "
                                        "try again in a moment"}).encode()
            transport.write(b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
                            b"retry-after: 1\r\nconnection: close\r\ncontent-length: "
                            + str(len(body)).encode() + b"\r\n\r\n" + body)
            transport.close()
            return
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_head_timer", None) is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # a request head arrived: it is being answered

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and (self.cycle is None or self.cycle.response_complete):
            self._arm()  # the next request's head has the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"error": f"invalid HTTP request: {msg}"}).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]
        try:
            for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                          h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
        except h11.LocalProtocolError:  # a response had already started: nothing more can be said
            pass
        self.transport.close()


def config(app: Any, host: str = "127.0.0.1", port: int = 8000, header_timeout: float = HEADER_TIMEOUT,
           max_connections: int = MAX_CONNECTIONS, log_level: str = "warning") -> uvicorn.Config:
    """A uvicorn config serving `app` with the guards."""
    protocol = type("DyadH11Protocol", (GuardedH11Protocol,),
                    {"header_timeout": header_timeout, "max_connections": max_connections})
    return uvicorn.Config(app, host=host, port=port, http=protocol, log_level=log_level,
                          timeout_keep_alive=KEEP_ALIVE)


def run(app: Any, **kwargs: Any) -> None:
    """Serve `app` until interrupted (see :func:`config` for the options)."""
    uvicorn.Server(config(app, **kwargs)).run()
