"""Tag `sandbox`: controls of the sandbox itself, never part of the partner surface.

Reset to the fixtures, load a fixture file, simulate a Plaid feed sync, break a feed,
make bills and invoices, set forced faults, sign in a browser session, send a test
webhook and read the delivery log; the firm's clock (sandbox_clock.py) and triggered events
(sandbox_events.py) live in their own modules, their handlers named here.
"""

from __future__ import annotations

import datetime as dt

from mock_server.api.webhooks import Numbered
from mock_server.api.http import books_for_path, listing, request, write_books
from mock_server.api.sandbox_clock import get_sandbox_clock, set_sandbox_clock  # noqa: F401
from mock_server.api.sandbox_events import trigger_sandbox_event  # noqa: F401
from mock_server.auth.session import SESSION_COOKIE
from mock_server.error_kinds import ErrorKind
from mock_server.feed_simulator import made_up_rows
from mock_server.fixture_upload import checked_upload
from mock_server.ledger import requests as parse
from mock_server.ledger.errors import FixtureError, LedgerError
from mock_server.service import DELAY_MS_MAX, Fault, SandboxFault, Write
from mock_server.webhooks.events import new_event

SYNC_ROWS_MADE_UP_DEFAULT = 5
UNPARSABLE_PREFIX = "fixture: cannot parse"
FEED_ERROR_CODE_BY_STATUS = {"login_required": "ITEM_LOGIN_REQUIRED", "error": "INSTITUTION_DOWN"}
FEED_ERROR_MESSAGE_BY_STATUS = {
    "login_required": "The bank needs the user to sign in again.",
    "error": "The bank is not answering; the next sync will try again.",
}


async def reset_sandbox(service):
    firm_id = service.firm_of(request().caller)      # None: the admin key, every firm
    await service.write(Write("reset_sandbox", None, {"firmId": firm_id}), lambda: service.reset(firm_id))
    return service.summary_json(firm_id), 200


async def load_sandbox_fixtures(service, body):
    firm_id = service.firm_of(request().caller)
    try:
        body = checked_upload(body)         # an upload's limits, before anything is built
        await service.write(Write("load_sandbox_fixtures", None, {"firmId": firm_id, "fixtures": body}),
                            lambda: service.load_text(body, firm_id))
    except FixtureError as error:
        raise fixture_refusal(error) from None
    return service.summary_json(firm_id), 200


class FixtureRefused(LedgerError):
    """A fixture file that was not loaded: 400 when it does not parse, else 422."""

    def __init__(self, kind: ErrorKind, message: str, details: list[tuple[str, str]]) -> None:
        super().__init__(message, details)
        self.kind = kind


def fixture_refusal(error: FixtureError) -> FixtureRefused:
    details = [_fixture_detail(issue) for issue in error.issues]
    unparsable = any(issue.startswith(UNPARSABLE_PREFIX) for issue in error.issues)
    more = f" ({len(details) - 1} more issue(s) in details)" if len(details) > 1 else ""
    message = (f"The fixture file was not loaded and the data is unchanged: "
               f"{details[0][0]}: {details[0][1]}{more}.")
    return FixtureRefused(ErrorKind.VALIDATION_ERROR if unparsable else ErrorKind.UNPROCESSABLE,
                          message, details)


def _fixture_detail(issue: str) -> tuple[str, str]:
    """"companies[cmp_x].entries[je_1]: posted entry does not balance" -> (where, what)."""
    where, _, what = issue.partition(": ")
    return (where, " ".join(what.split())[:300]) if what else ("fixture", issue[:300])


async def sync_sandbox_bank_account(service, bank_account_id, body=None):
    books = service.books_for_bank_account(request().caller, bank_account_id)
    body = body if isinstance(body, dict) else {}
    if body.get("rows") is not None:
        rows = parse.feed_rows_from_json(body["rows"])
    else:
        seed = f"{bank_account_id}:{len(books.list_bank_transactions(bank_account_id=bank_account_id))}"
        rows = made_up_rows(body.get("count", SYNC_ROWS_MADE_UP_DEFAULT), books.today(service.now(books)), seed)
    return await write_books(
        service, "sync_sandbox_bank_account", books,
        lambda now: books.record_feed_rows(bank_account_id, rows, now),
        lambda transactions: {"bankTransactions": [service.shapes.record(t) for t in transactions]},
        201, body)


async def fail_sandbox_bank_feed(service, feed_id, body=None):
    books = service.books_for_feed(request().caller, feed_id)
    body = body if isinstance(body, dict) else {}
    status = body.get("status", "login_required")
    code = body.get("code") or FEED_ERROR_CODE_BY_STATUS[status]
    message = body.get("message", FEED_ERROR_MESSAGE_BY_STATUS[status])
    return await write_books(service, "fail_sandbox_bank_feed", books,
                             lambda now: books.fail_feed(feed_id, now, code, message, status),
                             service.shapes.record, 200, body)


async def get_sandbox_faults(service):
    """The caller's firm's forced fault (the admin key: every firm's)."""
    return _faults_json(service.faults.current(service.firm_of(request().caller))), 200


async def set_sandbox_faults(service, body):
    fault = Fault(status=body.get("status"), delay_ms=min(body.get("delayMs", 0), DELAY_MS_MAX),
                  idempotency_in_use=bool(body.get("idempotencyInUse", False)))
    firm_id = service.firm_of(request().caller)
    done = await service.write(Write("set_sandbox_faults", None, {**body, "firmId": firm_id}),
                               lambda: service.faults.set(fault, body.get("remaining"), firm_id),
                               _faults_json)
    return done.answer, 200


async def clear_sandbox_faults(service):
    firm_id = service.firm_of(request().caller)
    await service.write(Write("clear_sandbox_faults", None, {"firmId": firm_id}),
                        lambda: service.faults.clear(firm_id))
    return None, 204


def _faults_json(current: SandboxFault | None) -> dict:
    if current is None:
        return {"status": None, "delayMs": 0, "idempotencyInUse": False, "remaining": None}
    return {"status": current.fault.status, "delayMs": current.fault.delay_ms,
            "idempotencyInUse": current.fault.idempotency_in_use, "remaining": current.remaining}


async def list_sandbox_bills(service, company_id, limit=50, cursor=None):
    books = books_for_path(service, company_id)
    return listing(service, books.list_bills(), limit, cursor, service.shapes.document), 200


async def create_sandbox_bill(service, company_id, body):
    return await _create_document(service, "bill", company_id, body)


async def list_sandbox_invoices(service, company_id, limit=50, cursor=None):
    books = books_for_path(service, company_id)
    return listing(service, books.list_invoices(), limit, cursor, service.shapes.document), 200


async def create_sandbox_invoice(service, company_id, body):
    return await _create_document(service, "invoice", company_id, body)


async def _create_document(service, document_type: str, company_id: str, body):
    books = books_for_path(service, company_id)
    data = parse.document_from_json(body)
    return await write_books(service, f"create_sandbox_{document_type}", books,
                             lambda now: books.create_document(document_type, data, now),
                             service.shapes.document, 201, body)


async def create_sandbox_session(service, body=None):
    email = body.get("email") if isinstance(body, dict) else None
    done = await service.write(Write("create_sandbox_session", None, {"email": email}),
                               lambda: service.sign_in(email))
    session, user = done.answer
    cookie = f"{SESSION_COOKIE}={session.id}; Path=/; HttpOnly; SameSite=Lax"
    expires_at = dt.datetime.fromtimestamp(session.expires_at_s, dt.timezone.utc)
    return {"sessionId": session.id, "email": user.email,
            "organizationIds": sorted(user.organization_ids),
            "expiresAt": service.shapes.value(expires_at)}, 201, {"Set-Cookie": cookie}


async def send_sandbox_webhook_test(service, webhook_id):
    subscription = service.webhook_for_caller(request().caller, webhook_id)

    def send():
        event = new_event("webhook.test", subscription.company_id,
                          {"webhookId": subscription.id, "message": "Test event from the LedgerHQ sandbox."},
                          service.now(service.data.companies.get(subscription.company_id)))
        service.owe(event, webhook_id=subscription.id)
        return event.to_payload()

    done = await service.write(Write("send_sandbox_webhook_test", subscription.company_id, webhook_id), send)
    return done.answer, 201


async def list_sandbox_webhook_deliveries(service, webhook_id, limit=50, cursor=None):
    subscription = service.webhook_for_caller(request().caller, webhook_id)
    deliveries = service.deliveries.deliveries(subscription.id)
    numbered = [Numbered(seq, item) for seq, item in enumerate(deliveries, start=1)]
    return listing(service, numbered, limit, cursor, lambda n: delivery_json(service, n.item)), 200


def delivery_json(service, delivery) -> dict:
    moment = service.shapes.value(delivery.delivered_at)
    return {
        "id": delivery.id, "webhookId": delivery.webhook_id, "eventId": delivery.event_id,
        "eventType": delivery.event_type, "attempt": delivery.attempt,
        "status": "succeeded" if delivery.succeeded else "failed",
        "responseStatus": delivery.status_code, "error": delivery.error,
        "createdAt": moment, "completedAt": moment,
        "nextAttemptAt": service.shapes.value(delivery.next_retry_at),
    }
