"""Faults in the R9 edges; each breaks one check's rule and leaves the rest alone."""
from __future__ import annotations

import json
import secrets
from datetime import date, timedelta

from faults.proxy import Forward, Request, Response, get_json
from faults.transforms import error_code, is_posting
from faults.transforms_bank import bank_transaction_row
from faults.transforms_tenancy import is_legacy

BANK_ACTIONS = ("exclude", "match", "reclassify", "reconcile", "split")
DATED_REPORTS = ("/profit-and-loss", "/general-ledger", "/trial-balance", "/balance-sheet")
ACCOUNTS_PREFIX = "/api/v1/accounts/"
DELETED_KEPT_MAX = 1_000
FEED_HEALTH_PATH = "/api/v1/bank-feeds/health"


def last_segments(request: Request, count: int) -> list[str]:
    return request.path.rstrip("/").split("/")[-count:]


def bank_action(request: Request) -> str | None:
    """`exclude`, `reconcile`, ... for POST /bank-transactions/{id}/<action>; else None."""
    parts = request.path.rstrip("/").split("/")
    if request.method == "POST" and len(parts) >= 3 and parts[-3] == "bank-transactions" and parts[-1] in BANK_ACTIONS:
        return parts[-1]
    return None


async def refused_posting_leaves_entry(request: Request, forward: Forward) -> Response:
    """R9: an unbalanced journal entry is refused (422), yet a balanced copy of it is posted behind the reply."""
    response = await forward(request)
    body = request.json()
    if not (is_posting(request) and error_code(response) == "UNBALANCED_ENTRY" and isinstance(body, dict)):
        return response
    lines = [line for line in body.get("lines") or [] if isinstance(line, dict)]
    debits = sum(line.get("debitCents", 0) for line in lines if type(line.get("debitCents")) is int)
    credit = next((line for line in lines if "creditCents" in line), None)
    if credit is not None and debits > 0:
        fixed = [line for line in lines if "debitCents" in line] + [{**credit, "creditCents": debits}]
        ghost = request.with_header("idempotency-key", f"ghost-{secrets.token_hex(8)}")
        await forward(ghost.with_body(json.dumps({**body, "lines": fixed}).encode()))
    return response


def shifted(query: str, name: str, days: int) -> str:
    parts = []
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == name and value:
            try:
                value = (date.fromisoformat(value) + timedelta(days=days)).isoformat()
            except ValueError:
                pass
        parts.append(f"{key}={value}" if _ else part)
    return "&".join(parts)


async def report_window_excludes_end(request: Request, forward: Forward) -> Response:
    """R9: a report's endDate (and asOf) is taken as exclusive: the window stops the day before."""
    if request.method == "GET" and request.path.rstrip("/").endswith(DATED_REPORTS):
        query = request.scope.get("query_string", b"").decode()
        query = shifted(shifted(query, "endDate", -1), "asOf", -1)
        request = Request({**request.scope, "query_string": query.encode()}, request.body)
    return await forward(request)


def deleted_account_still_readable():
    """R9: a deleted account is still answered by GET /accounts/{id}, as it was before the delete."""
    deleted: dict[str, dict] = {}

    async def transform(request: Request, forward: Forward) -> Response:
        return await answer_deleted(request, forward, deleted)
    return transform


async def answer_deleted(request: Request, forward: Forward, deleted: dict[str, dict]) -> Response:
    account_path = request.path.startswith(ACCOUNTS_PREFIX) and request.path.count("/") == 4
    if request.method == "DELETE" and account_path:
        status, before = await get_json(request, forward, request.path)
        response = await forward(request)
        if response.status == 204 and status == 200 and len(deleted) < DELETED_KEPT_MAX:
            deleted[request.path] = before
        return response
    response = await forward(request)
    if request.method == "GET" and account_path and response.status == 404 and request.path in deleted:
        kept = Response(200, [(k, v) for k, v in response.headers if k.lower() != b"content-length"])
        kept.set_json(deleted[request.path])
        return kept
    return response


def claimed_success(request: Request, response: Response | None, status: str) -> Response:
    """200 with the transaction's id and `status`, as if the action had been done."""
    headers = response.headers if response else [(b"content-type", b"application/json")]
    claimed = Response(200, [(k, v) for k, v in headers if k.lower() != b"content-length"])
    claimed.set_json({"id": last_segments(request, 2)[0], "status": status})
    return claimed


async def reconciled_action_claims_success(request: Request, forward: Forward) -> Response:
    """R9: an action on a reconciled transaction answers 200, changing nothing."""
    response = await forward(request)
    if bank_action(request) and error_code(response) == "INVALID_STATE":
        return claimed_success(request, response, "reconciled")
    return response


async def row_status(request: Request, forward: Forward, row_id: str) -> str | None:
    """The status of bank transaction `row_id` as the app lists it; None when it has no such row."""
    row = await bank_transaction_row(request, forward, row_id)
    return None if row is None else row.get("status")


async def claim_instead(request: Request, forward: Forward, action: str, status: str) -> Response:
    """Claim `action` done on an open row of the app's without doing it; every other request goes on."""
    if bank_action(request) == action and await row_status(request, forward, last_segments(request, 2)[0]) in (
            "unreviewed", "categorized", "matched"):
        return claimed_success(request, None, status)
    return await forward(request)


async def exclude_keeps_books(request: Request, forward: Forward) -> Response:
    """R9: exclude answers success without taking the transaction out of the books."""
    return await claim_instead(request, forward, "exclude", "excluded")


async def reclassify_changes_nothing(request: Request, forward: Forward) -> Response:
    """R9: reclassify answers success and leaves the category line where it was."""
    return await claim_instead(request, forward, "reclassify", "categorized")


async def trailing_slash_stripped(request: Request, forward: Forward) -> Response:
    """R9: `/entries/{id}/` is served as `/entries/{id}`: a path that names no resource answers one."""
    if is_legacy(request) and request.path.endswith("/") and len(request.path) > 1:
        path = request.path.rstrip("/")
        request = Request({**request.scope, "path": path, "raw_path": path.encode()}, request.body)
    return await forward(request)


async def undeclared_status_sent(request: Request, forward: Forward) -> Response:
    """R9: the bank-feed health answers 202, a status the contract does not declare for it."""
    response = await forward(request)
    if request.method == "GET" and request.path.rstrip("/") == FEED_HEALTH_PATH and response.status == 200:
        response.status = 202
    return response


async def undeclared_header_sent(request: Request, forward: Forward) -> Response:
    """R9: every answer carries a header the contract never declares."""
    response = await forward(request)
    response.set_header("x-ledger-shard", "shard-7")
    return response
