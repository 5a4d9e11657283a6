"""Which hosts webhook deliveries may go to: the sandbox's allow-list (`--webhook-hosts`).

Any host by default for `serve`; the project's tests run with LOOPBACK_HOSTS only. A delivery
to a host outside the list is never attempted (no lookup, no connection): it is logged as
failed with the reason. The host is read with the parser of the client that would send.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import httpx

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
HOSTS_SHOWN_MAX = 5


@dataclass(frozen=True, slots=True)
class WebhookHosts:
    allowed: frozenset[str] | None = None        # None: any host

    @classmethod
    def of(cls, hosts: Iterable[str] | None) -> "WebhookHosts":
        if hosts is None:
            return cls(None)
        if isinstance(hosts, str):
            hosts = hosts.split(",")
        allowed = frozenset(host.strip().strip("[]").lower() for host in hosts if host.strip())
        return cls(None if "*" in allowed else allowed)

    def refusal(self, url: str) -> str | None:
        """Why a delivery to `url` is not attempted, or None when it may be."""
        if self.allowed is None:
            return None
        try:
            host = httpx.URL(url).host.lower()
        except (httpx.InvalidURL, TypeError, ValueError):
            host = ""
        if host in self.allowed:
            return None
        shown = ", ".join(sorted(self.allowed)[:HOSTS_SHOWN_MAX])
        return (f"not attempted: host {host[:100]!r} is outside the sandbox's webhook hosts "
                f"({shown}; set with --webhook-hosts)")


ANY_HOST = WebhookHosts(None)
