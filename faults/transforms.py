"""One rewrite per fault; each breaks one rule of the contract and leaves the rest alone."""
from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone
from typing import Any, Callable

from faults.proxy import Forward, Request, Response

POSTING_KINDS = frozenset({"purchases", "deposits", "transfers", "bill-payments", "journal-entries"})


def is_posting(request: Request) -> bool:
    return request.method == "POST" and request.path.rstrip("/").rsplit("/", 1)[-1] in POSTING_KINDS


def map_cents(node: Any, change) -> Any:
    if isinstance(node, dict):
        return {k: change(v) if k.endswith("Cents") else map_cents(v, change) for k, v in node.items()}
    if isinstance(node, list):
        return [map_cents(v, change) for v in node]
    return node


async def money_as_floats(request: Request, forward: Forward) -> Response:
    """R1: every money value of a response is written as a float (1250.0)."""
    response = await forward(request)
    body = response.json()
    if body is not None:
        response.set_json(map_cents(body, lambda v: float(v) if type(v) is int else v))
    return response


def coerce_amount(value: Any) -> Any:
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


async def bad_money_accepted(request: Request, forward: Forward) -> Response:
    """R1: a bad amount is coerced before posting (12.5 -> 12, "1250" -> 1250) instead of refused."""
    body = request.json() if is_posting(request) else None
    if body is not None:
        request = request.with_body(json.dumps(map_cents(body, coerce_amount)).encode())
    return await forward(request)


async def idempotency_key_ignored(request: Request, forward: Forward) -> Response:
    """R2: every request gets a fresh key, so a replay posts again."""
    if request.header("idempotency-key"):
        request = request.with_header("idempotency-key", f"fresh-{secrets.token_hex(8)}")
    return await forward(request)


async def replay_by_key(store: dict[tuple, Response], request: Request, forward: Forward,
                        keep: Callable[[Response], bool]) -> Response:
    """Answer a posting from `store` when its key was seen; else forward it and store the
    answer under its key when `keep(answer)`."""
    key = request.header("idempotency-key")
    if not is_posting(request) or not key:
        return await forward(request)
    scope = (request.header("authorization"), request.header("x-organization-id"), key)
    if scope in store:
        stored = store[scope]
        replay = Response(stored.status, list(stored.headers), stored.body)
        replay.set_header("idempotent-replayed", "true")
        return replay
    response = await forward(request)
    if keep(response):
        store[scope] = response
    return response


def key_replayed_whatever_body():
    """R2: any later request with a key gets the first answer, whatever its body."""
    replays: dict[tuple, Response] = {}

    async def transform(request: Request, forward: Forward) -> Response:
        return await replay_by_key(replays, request, forward, lambda response: 200 <= response.status < 300)
    return transform


async def missing_key_accepted(request: Request, forward: Forward) -> Response:
    """R2: a posting without Idempotency-Key is given one instead of refused."""
    if is_posting(request) and not request.header("idempotency-key"):
        request = request.with_header("idempotency-key", f"added-{secrets.token_hex(8)}")
    return await forward(request)


def error_code(response: Response) -> str | None:
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def fake_receipt(response: Response) -> Response:
    """A refused posting turned into a 201 receipt of an entry that does not exist."""
    response.status = 201
    response.set_json({"journalEntryId": f"je_{secrets.token_hex(12)}", "bankTransactionIds": [],
                       "status": "posted", "createdAt": datetime.now(timezone.utc).isoformat(),
                       "type": "journal_entry"})
    response.set_header("idempotent-replayed", "false")
    return response


async def unbalanced_lines_accepted(request: Request, forward: Forward) -> Response:
    """R3: 422 UNBALANCED_ENTRY is answered with a made-up 201 receipt."""
    response = await forward(request)
    if response.status == 422 and error_code(response) == "UNBALANCED_ENTRY":
        return fake_receipt(response)
    return response


async def report_one_cent_off(request: Request, forward: Forward) -> Response:
    """R3: the trial balance puts two accounts a cent off, still balanced."""
    response = await forward(request)
    body = response.json()
    if request.path.endswith("/trial-balance") and response.status == 200 and isinstance(body, dict):
        rows = body.get("rows", [])
        debit = next((r for r in rows if r.get("debitCents")), None)
        credit = next((r for r in rows if r.get("creditCents")), None)
        if debit and credit:      # still balanced, but two accounts are a cent off
            debit["debitCents"] += 1
            credit["creditCents"] += 1
            body["totalDebitCents"] += 1
            body["totalCreditCents"] += 1
            response.set_json(body)
    return response


async def void_changes_nothing(request: Request, forward: Forward) -> Response:
    """R3: a void answers the entry as voided and leaves it posted."""
    if request.method != "POST" or not request.path.rstrip("/").endswith("/void"):
        return await forward(request)
    entry_path = request.path.rstrip("/")[: -len("/void")]
    looked_up = await forward(Request({**request.scope, "method": "GET", "path": entry_path,
                                       "raw_path": entry_path.encode()}, b"").with_body(b""))
    entry = looked_up.json()
    if looked_up.status != 200 or not isinstance(entry, dict) or entry.get("status") != "posted":
        return await forward(request)
    entry.update(status="voided", voidedAt=datetime.now(timezone.utc).isoformat())
    looked_up.set_json(entry)
    return looked_up


async def legacy_error_on_posting_route(request: Request, forward: Forward) -> Response:
    """R4: a posting route answers the legacy `{"error": "Message"}` shape."""
    response = await forward(request)
    body = response.json()
    if is_posting(request) and response.status >= 400 and isinstance(body, dict):
        error = body.get("error")
        response.set_json({"error": error.get("message", "Error") if isinstance(error, dict) else "Error"})
    return response


async def request_id_missing_or_mismatched(request: Request, forward: Forward) -> Response:
    """R4: no X-Request-Id on a success; on an error, one other than the body's requestId."""
    response = await forward(request)
    if response.status < 400:
        response.set_header("x-request-id", None)
    else:
        response.set_header("x-request-id", f"req_{secrets.token_hex(12)}")
    return response


async def status_400_422_swapped(request: Request, forward: Forward) -> Response:
    """R4: 400 and 422 are swapped."""
    response = await forward(request)
    response.status = {400: 422, 422: 400}.get(response.status, response.status)
    return response


async def server_error_on_bad_input(request: Request, forward: Forward) -> Response:
    """R4: a 400 answer becomes a 500."""
    response = await forward(request)
    if response.status == 400:
        body = response.json()
        request_id = response.header("x-request-id")
        response.status = 500
        response.set_json({"error": {"code": "INTERNAL_ERROR", "message": "Internal error.", "retryable": True,
                                     "requestId": request_id}} if isinstance(body, dict) else body)
    return response


def auth_ignored(valid_token: str):
    """R5: the valid token is put in when the credential is absent or bad."""
    async def transform(request: Request, forward: Forward) -> Response:
        if request.header("authorization") != f"Bearer {valid_token}" and not request.header("cookie"):
            request = request.with_header("authorization", f"Bearer {valid_token}")
        return await forward(request)
    return transform


def item_repeated_across_pages():
    """R6: each page after the first repeats the last item of the page before."""
    last_item_by_cursor: dict[str, Any] = {}

    async def transform(request: Request, forward: Forward) -> Response:
        response = await forward(request)
        body = response.json()
        if request.method != "GET" or response.status != 200 or not isinstance(body, dict) \
                or "nextCursor" not in body:
            return response
        data = body.get("data") or []
        cursor = request.query.get("cursor")
        if cursor in last_item_by_cursor and data:
            data.insert(0, last_item_by_cursor[cursor])
            data.pop()
        if body.get("nextCursor") and data:
            last_item_by_cursor[body["nextCursor"]] = data[-1]
        response.set_json(body)
        return response
    return transform
