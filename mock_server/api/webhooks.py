"""Tag `webhooks`: subscriptions of the caller's company (R8)."""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.api.http import books_for_header, listing, write_books


@dataclass(frozen=True, slots=True)
class Numbered:
    """A registry item with the creation number that cursor pagination needs."""
    seq: int
    item: object


def webhook_json(service, subscription, with_secret: bool = False) -> dict:
    body = service.shapes.record(subscription)
    body.pop("companyId", None)
    if not with_secret:
        body.pop("secret", None)
    return body


async def list_webhooks(service, limit=50, cursor=None):
    books = books_for_header(service)
    subscriptions = service.webhooks.list(books.company.id)
    numbered = [Numbered(seq, item) for seq, item in enumerate(subscriptions, start=1)]
    return listing(service, numbered, limit, cursor, lambda n: webhook_json(service, n.item)), 200


async def create_webhook(service, body):
    books = books_for_header(service)
    return await write_books(
        service, "create_webhook", books,
        lambda now: service.webhooks.create(books.company.id, body.get("url"), body.get("events"),
                                            body.get("description"), now),
        lambda subscription: webhook_json(service, subscription, with_secret=True), 201, body)


async def delete_webhook(service, webhook_id):
    """Only a subscription of the organization's company; pending retries to it stop."""
    books = books_for_header(service)
    await write_books(service, "delete_webhook", books,
                      lambda now: service.webhooks.delete(books.company.id, webhook_id), None, 204, webhook_id)
    return None, 204
