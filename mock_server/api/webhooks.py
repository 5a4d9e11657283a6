"""Tag `webhooks`: subscriptions of the caller's company (R8)."""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.api import shapes
from mock_server.api.http import books_for_header, listing, now, request


@dataclass(frozen=True, slots=True)
class Numbered:
    """A registry item with the creation number that cursor pagination needs."""
    seq: int
    item: object


def webhook_json(subscription, with_secret: bool = False) -> dict:
    body = shapes.record_json(subscription)
    body.pop("companyId", None)
    if not with_secret:
        body.pop("secret", None)
    return body


async def list_webhooks(limit=50, cursor=None):
    books = books_for_header()
    subscriptions = request().state.webhooks.registry.list(books.company.id)
    numbered = [Numbered(seq, item) for seq, item in enumerate(subscriptions, start=1)]
    return listing(numbered, limit, cursor, lambda n: webhook_json(n.item)), 200


async def create_webhook(body):
    books = books_for_header()
    subscription = request().state.webhooks.registry.create(
        books.company.id, body.get("url"), body.get("events"), body.get("description"), now())
    return webhook_json(subscription, with_secret=True), 201
