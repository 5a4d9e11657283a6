"""The webhook hosts allow-list reads the host as the sending client does."""
from __future__ import annotations

import pytest

from mock_server.webhooks.hosts import LOOPBACK_HOSTS, WebhookHosts

LOOPBACK = WebhookHosts.of(LOOPBACK_HOSTS)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://LOCALHOST/x", "http://[::1]:8/x"])
def test_loopback_urls_are_allowed(url: str) -> None:
    assert LOOPBACK.refusal(url) is None


@pytest.mark.parametrize("url", [
    "https://hooks.acme-bookkeeping.example/ledgerhq", "http://127.0.0.1@evil.example/",
    "http://evil.example#@127.0.0.1/", "http://127.0.0.1.evil.example/", "not a url", "http://[::1/x",
])
def test_other_hosts_are_refused_with_the_reason(url: str) -> None:
    assert LOOPBACK.refusal(url).startswith("not attempted: host ")


def test_any_host_by_default_or_with_a_star() -> None:
    assert WebhookHosts.of(None).refusal("https://hooks.acme-bookkeeping.example/x") is None
    assert WebhookHosts.of("*").refusal("https://hooks.acme-bookkeeping.example/x") is None
    assert WebhookHosts.of(" a.example , b.example ").refusal("https://B.example/x") is None
