"""Faults in allocations, bank balances and refused postings; each breaks one rule and leaves the rest alone."""
from __future__ import annotations

import json
from urllib.parse import quote

from faults.proxy import Forward, Request, Response, get_json
from faults.transforms import error_code, replay_by_key

PAGES_MAX = 50
FAR_FUTURE = "9999-12-31"


async def bank_transaction_row(request: Request, forward: Forward, row_id: str) -> dict | None:
    """Bank transaction `row_id` as the app lists it; None when it has no such row."""
    cursor = None
    for _ in range(PAGES_MAX):
        query = "limit=200" + (f"&cursor={quote(cursor)}" if cursor else "")
        status, page = await get_json(request, forward, "/api/v1/bank-transactions", query)
        if status != 200 or not isinstance(page, dict):
            return None
        found = next((row for row in page.get("data") or [] if row.get("id") == row_id), None)
        if found is not None:
            return found
        cursor = page.get("nextCursor")
        if not cursor:
            return None
    return None


async def bank_transaction_amount(request: Request, forward: Forward, row_id: str) -> int | None:
    row = await bank_transaction_row(request, forward, row_id)
    return None if row is None else row.get("amountCents")


async def split_remainder_absorbed(request: Request, forward: Forward) -> Response:
    """R1: a split that does not add up is "fixed" by giving the last document the remainder."""
    body = request.json()
    if request.method != "POST" or not request.path.rstrip("/").endswith("/split") or not isinstance(body, dict):
        return await forward(request)
    allocations = body.get("allocations")
    if not isinstance(allocations, list) or not allocations or not all(
            isinstance(a, dict) and type(a.get("amountCents")) is int for a in allocations):
        return await forward(request)
    amount = await bank_transaction_amount(request, forward, request.path.rstrip("/").split("/")[-2])
    remainder = (amount or 0) - sum(a["amountCents"] for a in allocations[:-1])
    if remainder > 0:
        allocations[-1]["amountCents"] = remainder
        request = request.with_body(json.dumps(body).encode())
    return await forward(request)


async def book_balance_ignores_as_of(request: Request, forward: Forward) -> Response:
    """R3: the reconciliation status gives every bank account's balance from all dates, whatever asOf says."""
    response = await forward(request)
    body = response.json()
    if request.method != "GET" or not request.path.endswith("/bank-reconciliation-status") \
            or response.status != 200 or not isinstance(body, dict):
        return response
    status, far = await get_json(request, forward, request.path, f"asOf={FAR_FUTURE}")
    if status != 200 or not isinstance(far, dict):
        return response
    books = {row.get("bankAccountId"): row.get("bookBalanceCents") for row in far.get("accounts") or []}
    for row in body.get("accounts") or []:
        row["bookBalanceCents"] = books.get(row.get("bankAccountId"), row.get("bookBalanceCents"))
    response.set_json(body)
    return response


def refused_request_keeps_key():
    """R2: a refused posting's answer is stored under its key and replayed for the next use of the key."""
    refusals: dict[tuple, Response] = {}

    async def transform(request: Request, forward: Forward) -> Response:
        return await replay_by_key(refusals, request, forward, lambda response: 400 <= response.status < 500
                                   and not str(error_code(response) or "").startswith("IDEMPOTENCY_KEY"))
    return transform


async def entry_read_without_lines(request: Request, forward: Forward) -> Response:
    """OAS: reading one journal entry leaves out its lines (a relation not loaded), against its schema."""
    response = await forward(request)
    body = response.json()
    if request.method == "GET" and request.path.startswith("/api/v1/entries/") and response.status == 200 \
            and isinstance(body, dict):
        body.pop("lines", None)
        response.set_json(body)
    return response
