"""Tag `postings`: purchases, deposits, transfers, bill payments and posted journal
entries, in the legacy and the company-path form, behind the idempotency store (R2).

Fingerprint, then replay or refuse; post; store the receipt; only then publish events.
A refused request leaves no trace and frees its key.
"""

from __future__ import annotations

import asyncio

from mock_server.api import shapes
from mock_server.api.http import books_for_header, books_for_path, now, request
from mock_server.ledger import POSTING_PARSERS

IDEMPOTENCY_HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"


async def post_with_idempotency(kind: str, books, body: dict):
    req = request()
    store = req.state.ledger.idempotency
    company_id = books.company.id
    key = req.header(IDEMPOTENCY_HEADER)
    stored = store.begin(company_id, key, kind, body, now())
    if stored is not None:
        return stored.body, stored.status, {REPLAYED_HEADER: "true"}
    try:
        if req.delay_ms:
            await asyncio.sleep(req.delay_ms / 1000)   # the key stays in flight meanwhile
        receipt = books.post(kind, POSTING_PARSERS[kind](body), now())
    except BaseException:
        store.abandon(company_id, key)
        raise
    payload = shapes.receipt_json(receipt)
    store.complete(company_id, key, 201, payload)
    req.state.publish_events(books)
    return payload, 201, {REPLAYED_HEADER: "false"}


async def create_purchase(body):
    return await post_with_idempotency("purchase", books_for_header(), body)


async def create_deposit(body):
    return await post_with_idempotency("deposit", books_for_header(), body)


async def create_transfer(body):
    return await post_with_idempotency("transfer", books_for_header(), body)


async def create_bill_payment(body):
    return await post_with_idempotency("bill_payment", books_for_header(), body)


async def create_journal_entry(body):
    return await post_with_idempotency("journal_entry", books_for_header(), body)


async def create_company_purchase(company_id, body):
    return await post_with_idempotency("purchase", books_for_path(company_id), body)


async def create_company_deposit(company_id, body):
    return await post_with_idempotency("deposit", books_for_path(company_id), body)


async def create_company_transfer(company_id, body):
    return await post_with_idempotency("transfer", books_for_path(company_id), body)


async def create_company_bill_payment(company_id, body):
    return await post_with_idempotency("bill_payment", books_for_path(company_id), body)


async def create_company_journal_entry(company_id, body):
    return await post_with_idempotency("journal_entry", books_for_path(company_id), body)
