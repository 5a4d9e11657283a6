"""The tests stay on loopback: while installed, a DNS lookup of, or a connection to, any host
other than the loopback names and addresses is refused (OSError) and recorded.

Installed for the whole run by tests/conftest.py; each test fails if it made an attempt.
It patches the Python-level `socket.getaddrinfo` and `socket.socket.connect`, which the
asyncio event loop, httpx and the standard library go through (uvloop does not: servers
that must be watched run on the asyncio loop, see tests/e2e/live_server.py).
"""
from __future__ import annotations

import socket
import threading

LOOPBACK = frozenset({None, "", "127.0.0.1", "localhost", "::1", "0.0.0.0", "::"})

_attempts: list[str] = []
_lock = threading.Lock()
_originals: dict[str, object] = {}


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return host in LOOPBACK or (isinstance(host, str) and host.startswith("127."))


def _refuse(what: str, host: object) -> None:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    with _lock:
        _attempts.append(f"{what} {host!r}")
    raise OSError(f"loopback guard: {what} of {host!r} refused (tests stay on 127.0.0.1)")


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host):
        _refuse("lookup", host)
    return _originals["getaddrinfo"](host, *args, **kwargs)


def _address_host(address: object) -> object:
    return address[0] if isinstance(address, tuple) and address else None


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(_address_host(address)):
        _refuse("connection", _address_host(address))
    return _originals["connect"](self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(_address_host(address)):
        _refuse("connection", _address_host(address))
    return _originals["connect_ex"](self, address)


def install() -> None:
    if _originals:
        return
    _originals.update(getaddrinfo=socket.getaddrinfo, connect=socket.socket.connect,
                      connect_ex=socket.socket.connect_ex)
    socket.getaddrinfo = _guarded_getaddrinfo
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex


def uninstall() -> None:
    if not _originals:
        return
    socket.getaddrinfo = _originals["getaddrinfo"]
    socket.socket.connect = _originals["connect"]
    socket.socket.connect_ex = _originals["connect_ex"]
    _originals.clear()


def taken() -> list[str]:
    """The attempts recorded since the last call, and forget them."""
    with _lock:
        found = list(_attempts)
        _attempts.clear()
    return found
