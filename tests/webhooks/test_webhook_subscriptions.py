from __future__ import annotations

import datetime as dt

import pytest

from mock_server.webhooks.errors import InvalidField, LimitReached, NotFound
from mock_server.webhooks.events import EVENT_TYPES, WebhookEvent, new_event
from mock_server.webhooks.subscriptions import WEBHOOKS_PER_COMPANY_MAX, WebhookRegistry

URL = "https://partner.example/hooks"


def test_create_returns_an_active_subscription_with_a_secret() -> None:
    registry = WebhookRegistry()
    created = registry.create("cmp_a", URL, ["journal_entry.posted", "journal_entry.posted"],
                              "books")
    assert created.id.startswith("wh_") and len(created.id) == 3 + 24
    assert created.secret.startswith("whsec_")
    assert created.status == "active" and created.events == ("journal_entry.posted",)
    assert registry.list("cmp_a") == [created] and registry.list("cmp_b") == []


@pytest.mark.parametrize("url", [
    "ftp://partner.example/x", "javascript:alert(1)", "file:///etc/passwd", "", None, 42,
    "https://", "http://exa mple.com/", "https://host:99999/", "partner.example/hooks",
    "https://x/" + "a" * 3000, "https://\u00cf", "https://partner.example/caf\u00e9", "https://x/%zz",
    "https://x/<script>",
])
def test_urls_other_than_http_or_https_are_validation_errors(url: object) -> None:
    with pytest.raises(InvalidField) as raised:
        WebhookRegistry().create("cmp_a", url, ["journal_entry.posted"])
    assert raised.value.kind == "VALIDATION_ERROR" and raised.value.field == "url"


@pytest.mark.parametrize("url", ["https://partner.example/caf%C3%A9?a=1&b=%20#frag",
                                 "http://127.0.0.1:8765/callback", "https://[::1]:443/x"])
def test_urls_in_rfc_3986_characters_are_taken(url: str) -> None:
    assert WebhookRegistry().create("cmp_a", url, ["journal_entry.posted"]).url == url


@pytest.mark.parametrize("events", [[], None, "journal_entry.posted", ["entry.created"],
                                    ["journal_entry.posted", 7]])
def test_events_must_be_a_non_empty_list_of_known_types(events: object) -> None:
    with pytest.raises(InvalidField) as raised:
        WebhookRegistry().create("cmp_a", URL, events)
    assert raised.value.field == "events"


def test_a_subscription_is_found_only_under_its_company() -> None:
    registry = WebhookRegistry()
    created = registry.create("cmp_a", URL, list(EVENT_TYPES))
    assert registry.get("cmp_a", created.id) == created
    with pytest.raises(NotFound):
        registry.get("cmp_b", created.id)


def test_matching_skips_disabled_and_uninterested_subscriptions() -> None:
    registry = WebhookRegistry()
    posted = registry.create("cmp_a", URL, ["journal_entry.posted"])
    voided = registry.create("cmp_a", URL, ["journal_entry.voided"])
    registry.create("cmp_b", URL, ["journal_entry.posted"])
    assert registry.matching("cmp_a", "journal_entry.posted") == [posted]
    registry.set_status("cmp_a", voided.id, "disabled")
    assert registry.matching("cmp_a", "journal_entry.voided") == []


def test_subscriptions_per_company_are_capped() -> None:
    registry = WebhookRegistry()
    for _ in range(WEBHOOKS_PER_COMPANY_MAX):
        registry.create("cmp_a", URL, ["webhook.test"])
    with pytest.raises(LimitReached):
        registry.create("cmp_a", URL, ["webhook.test"])


def test_event_payload_shape() -> None:
    moment = dt.datetime(2026, 6, 8, 12, 0, 0, 123456, tzinfo=dt.timezone.utc)
    event = new_event("journal_entry.posted", "cmp_a", {"id": "je_1"}, moment)
    assert isinstance(event, WebhookEvent) and event.id.startswith("evt_")
    assert event.to_payload() == {"id": event.id, "type": "journal_entry.posted",
                                  "createdAt": "2026-06-08T12:00:00Z",   # whole seconds, as every time
                                  "companyId": "cmp_a", "data": {"id": "je_1"}}
