"""Tag `postings`: purchases, deposits, transfers, bill payments and posted journal
entries, in the legacy and the company-path form, behind the idempotency store (R2).

The handlers are made from the one table of posting kinds (ledger POSTING_KINDS): for a
kind `name`, `create_<name>` (legacy, `x-organization-id`) and `create_company_<name>`
(company path); their names are the contract's operationIds. Idempotency, commit and
events are the service's write path.
"""

from __future__ import annotations

from mock_server.api.http import books_for_header, books_for_path, request
from mock_server.ledger import POSTING_KINDS, PostingKind
from mock_server.service import Write

IDEMPOTENCY_HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
POSTED_STATUS = 201
REPLAYED = {REPLAYED_HEADER: "true"}
FIRST = {REPLAYED_HEADER: "false"}


async def post(service, kind: PostingKind, books, body: dict):
    req = request()
    done = await post_once(service, kind, books, body, req.header(IDEMPOTENCY_HEADER), req.delay_ms)
    return done.answer, done.status, REPLAYED if done.replayed else FIRST


async def post_once(service, kind: PostingKind, books, body: dict, key: str | None, delay_ms: int = 0):
    """One posting through the service's write path (REST and the MCP tools): a Committed."""
    write = Write(kind.name, books.company.id, body, POSTED_STATUS, idempotency_key=key,
                  delay_ms=delay_ms)
    return await service.write(
        write, lambda: books.post(kind.name, kind.parse(body), service.now(books)),   # after the delay
        service.shapes.record)


def _legacy_handler(kind: PostingKind):
    async def handler(service, body):
        return await post(service, kind, books_for_header(service), body)
    handler.__name__ = handler.__qualname__ = f"create_{kind.name}"
    return handler


def _company_handler(kind: PostingKind):
    async def handler(service, company_id, body):
        return await post(service, kind, books_for_path(service, company_id), body)
    handler.__name__ = handler.__qualname__ = f"create_company_{kind.name}"
    return handler


HANDLERS = {handler.__name__: handler for kind in POSTING_KINDS
            for handler in (_legacy_handler(kind), _company_handler(kind))}
globals().update(HANDLERS)      # create_purchase, create_company_purchase, ... (the resolver's names)
