"""Serving the app with uvicorn: the port is bound first (a busy port is one sentence, not a
traceback), `announce` runs only once the server accepts connections, and Ctrl+C stops it
quietly."""

from __future__ import annotations

import errno
import socket
from typing import Callable

import uvicorn


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port); SystemExit with one sentence when it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror:
        raise SystemExit(f"ledgerhq-sandbox: cannot listen on {host}: no such local address; "
                         "pass --host 127.0.0.1 (or 0.0.0.0 for every interface).") from None
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise SystemExit(f"ledgerhq-sandbox: port {port} on {host} is already in use: stop what is "
                             "serving there, or pass --port with a free port.") from None
        raise SystemExit(f"ledgerhq-sandbox: cannot listen on {host}:{port}: {error.strerror}.") from None
    return listener


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, calling `announce()` once it listens (after the app's start-up)."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            self.announce()


def serve_app(app, host: str, port: int, log_level: str, announce: Callable[[], None]) -> None:
    listener = listening_socket(host, port)
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on")
    try:
        AnnouncingServer(config, announce).run(sockets=[listener])
    except KeyboardInterrupt:           # Ctrl+C is how a foreground sandbox stops: no traceback
        pass
