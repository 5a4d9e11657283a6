"""Tag `sandbox`: trigger any webhook event type in one company (like `stripe trigger`).

POST /api/v1/sandbox/companies/{companyId}/events makes the real change behind the type
(mock_server/ledger/triggers.py) through the one write path, so every subscription of the
company listening for the type receives it through the outbox, as after a partner's request.
"""

from __future__ import annotations

from mock_server.api.http import books_for_path
from mock_server.service import Write


async def trigger_sandbox_event(service, company_id, body):
    books = books_for_path(service, company_id)
    event_type = body["type"]           # the contract's enum: every webhook event type
    now = service.now(books)
    done = await service.write(Write("trigger_sandbox_event", books.company.id, body, 201),
                               lambda: service.trigger_event(books, event_type, now), triggered_json)
    return done.answer, done.status


def triggered_json(result) -> dict:
    made, event = result
    return {"event": event.to_payload(), "journalEntryIds": list(made.journal_entry_ids),
            "bankTransactionIds": list(made.bank_transaction_ids)}
