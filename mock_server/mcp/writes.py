"""The MCP tools' writes as recorded operations (no MCP SDK here: they are recorded at app creation,
before the SDK loads, so that `serve --state` journals them and a restart replays them).

Each takes the caller as an argument, not from the MCP SDK's request context, so a replay (which has
no MCP request) runs it the same way. Without durable state they are the functions themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from mock_server.api.http import write_books
from mock_server.api.postings import post_once
from mock_server.ledger import POSTING_KINDS
from mock_server.ledger import requests as parse
from mock_server.recording import recorded

JOURNAL_ENTRY = next(kind for kind in POSTING_KINDS if kind.name == "journal_entry")


async def post_journal_entry(service, *, caller, company_id: str, body: dict, idempotency_key: str) -> dict:
    books = service.books_for_company(caller, company_id)          # NOT_FOUND: another firm's
    done = await post_once(service, JOURNAL_ENTRY, books, body, idempotency_key)
    return {**done.answer, "replayed": done.replayed}


async def reclassify_bank_transaction(service, *, caller, company_id: str, bank_transaction_id: str,
                                      body: dict) -> dict:
    books = service.books_for_company(caller, company_id)
    change = parse.reclassify_from_json(body)
    answer, _ = await write_books(service, "reclassify_bank_transaction", books,
                                  lambda now: books.reclassify(bank_transaction_id, change, now),
                                  service.shapes.record, 200, body)
    return answer


@dataclass(frozen=True)
class McpWrites:
    post_journal_entry: Callable
    reclassify_bank_transaction: Callable


def recorded_writes(service) -> McpWrites:
    """The writes, recorded under `mcp.<tool>` when `service` keeps durable state (call after the app's
    recorder is attached)."""
    return McpWrites(recorded(service, "mcp.post_journal_entry", post_journal_entry),
                     recorded(service, "mcp.reclassify_bank_transaction", reclassify_bank_transaction))
