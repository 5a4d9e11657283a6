"""Webhook subscriptions, one registry per company (R8). The signing secret (`whsec_...`)
is returned by `create` and shown to the partner once; the delivery worker reads it here."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, replace
from typing import Iterable
import re
from urllib.parse import urlsplit

from mock_server.clock import wall_clock
from mock_server.webhooks.errors import InvalidField, LimitReached, NotFound
from mock_server.webhooks.events import EVENT_TYPES

WEBHOOK_PREFIX = "wh_"
SECRET_PREFIX = "whsec_"
STATUSES = ("active", "disabled")
URL_LENGTH_MAX = 2048
# RFC 3986: an URI holds ASCII letters, digits, `-._~:/?#[]@!$&'()*+,;=` and `%` + two hex digits only
# (an IRI such as `https://\u00cf` is not an URI: the contract's `format: uri` and pattern refuse it).
URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
DESCRIPTION_LENGTH_MAX = 500
WEBHOOKS_PER_COMPANY_MAX = 20


@dataclass(frozen=True, slots=True)
class WebhookSubscription:
    id: str                     # wh_ + 24 hex
    company_id: str
    url: str                    # http or https
    events: tuple[str, ...]     # known event types, no duplicates, in the order given
    description: str | None
    status: str                 # active | disabled
    secret: str                 # whsec_...; in the create response only
    created_at: dt.datetime

    def wants(self, event_type: str) -> bool:
        return self.status == "active" and event_type in self.events


def checked_url(url: object) -> str:
    if not isinstance(url, str) or not url.strip():
        raise InvalidField("url", "is required: an http or https URL")
    if len(url) > URL_LENGTH_MAX or any(char.isspace() for char in url):
        raise InvalidField("url", f"must be an URL of at most {URL_LENGTH_MAX} characters, "
                           "without spaces")
    if not URI_CHARACTERS.fullmatch(url):
        raise InvalidField("url", "must be an URI (RFC 3986): ASCII only, other characters percent-encoded")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port   # raises ValueError when out of range
    except ValueError:
        raise InvalidField("url", "is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidField("url", "must use http or https")
    if not host:
        raise InvalidField("url", "must name a host")
    return url


def checked_events(events: object) -> tuple[str, ...]:
    if not isinstance(events, (list, tuple)) or not events:
        raise InvalidField("events", "must be a non-empty list of event types")
    unknown = [str(name)[:64] for name in events if name not in EVENT_TYPES]
    if unknown:
        raise InvalidField("events", f"has unknown type(s) {unknown[:5]}; known: "
                           + ", ".join(EVENT_TYPES))
    return tuple(dict.fromkeys(events))


def checked_description(description: object) -> str | None:
    if description is None:
        return None
    if not isinstance(description, str) or len(description) > DESCRIPTION_LENGTH_MAX:
        raise InvalidField("description", f"must be a string of at most "
                           f"{DESCRIPTION_LENGTH_MAX} characters")
    return description


class WebhookRegistry:
    """Subscriptions by company, in creation order. At most WEBHOOKS_PER_COMPANY_MAX each."""

    def __init__(self) -> None:
        self._by_company: dict[str, dict[str, WebhookSubscription]] = {}

    def create(self, company_id: str, url: object, events: object,
               description: object = None, now: dt.datetime | None = None) -> WebhookSubscription:
        """Validate, then store an active subscription with a new secret."""
        subscription = WebhookSubscription(
            id=WEBHOOK_PREFIX + secrets.token_hex(12),
            company_id=company_id,
            url=checked_url(url),
            events=checked_events(events),
            description=checked_description(description),
            status="active",
            secret=SECRET_PREFIX + secrets.token_hex(24),
            created_at=now or wall_clock(),
        )
        company = self._by_company.setdefault(company_id, {})
        if len(company) >= WEBHOOKS_PER_COMPANY_MAX:
            raise LimitReached(WEBHOOKS_PER_COMPANY_MAX)
        company[subscription.id] = subscription
        return subscription

    def list(self, company_id: str) -> list[WebhookSubscription]:
        return list(self._by_company.get(company_id, {}).values())

    def get(self, company_id: str, webhook_id: str) -> WebhookSubscription:
        """Found only under its own company (R9 hierarchy)."""
        found = self._by_company.get(company_id, {}).get(webhook_id)
        if found is None:
            raise NotFound(str(webhook_id))
        return found

    def find(self, webhook_id: str) -> WebhookSubscription | None:
        """Any company's subscription by id (for the delivery worker and sandbox controls)."""
        for company in self._by_company.values():
            if webhook_id in company:
                return company[webhook_id]
        return None

    def set_status(self, company_id: str, webhook_id: str, status: str) -> WebhookSubscription:
        if status not in STATUSES:
            raise InvalidField("status", "must be active or disabled")
        updated = replace(self.get(company_id, webhook_id), status=status)
        self._by_company[company_id][webhook_id] = updated
        return updated

    def delete(self, company_id: str, webhook_id: str) -> None:
        self.get(company_id, webhook_id)
        del self._by_company[company_id][webhook_id]

    def clear(self) -> None:
        """Drop every subscription (sandbox reset or fixture load); pending retries stop."""
        self._by_company.clear()

    def matching(self, company_id: str, event_type: str) -> list[WebhookSubscription]:
        """Active subscriptions of the company that want this event type."""
        return [sub for sub in self.list(company_id) if sub.wants(event_type)]

    def load(self, subscriptions: Iterable[WebhookSubscription]) -> None:
        """Add ready-made subscriptions (fixtures); the per-company limit still applies."""
        for subscription in subscriptions:
            company = self._by_company.setdefault(subscription.company_id, {})
            if len(company) >= WEBHOOKS_PER_COMPANY_MAX:
                raise LimitReached(WEBHOOKS_PER_COMPANY_MAX)
            company[subscription.id] = subscription
