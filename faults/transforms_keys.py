"""Faults in idempotency keys (R2) and money amounts (R1); each breaks one rule and leaves the rest alone."""
from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
from typing import Any

from faults.proxy import Forward, Request, Response
from faults.transforms import is_posting, map_cents

KEY_CHARS_MAX = 255
RACE_WINDOW_S = 0.06            # how long the first of concurrent duplicates is held before it posts
AMOUNT_CENTS_MAX = 1_000_000_000_000


def posting_kind(request: Request) -> str:
    return request.path.rstrip("/").rsplit("/", 1)[-1]


def with_key(request: Request, key: str) -> Request:
    return request.with_header("idempotency-key", key)


async def key_scoped_per_route(request: Request, forward: Forward) -> Response:
    """R2: keys are remembered per posting kind, so a key reused on another kind posts again."""
    key = request.header("idempotency-key")
    if is_posting(request) and key:
        request = with_key(request, f"{posting_kind(request)}-{key}")
    return await forward(request)


async def key_scoped_per_path_form(request: Request, forward: Forward) -> Response:
    """R2: keys under /companies/{id}/... are kept apart from the same route's legacy form."""
    key = request.header("idempotency-key")
    if is_posting(request) and key and request.path.startswith("/api/v1/companies/"):
        request = with_key(request, f"company-{key}")
    return await forward(request)


def is_malformed(key: str) -> bool:
    return len(key) > KEY_CHARS_MAX or any(not 0x21 <= ord(char) <= 0x7E for char in key)


async def malformed_key_accepted(request: Request, forward: Forward) -> Response:
    """R2: a key too long or with invisible characters is hashed into a valid one instead of refused."""
    key = request.header("idempotency-key")
    if is_posting(request) and key and is_malformed(key):
        request = with_key(request, f"hashed-{hashlib.sha256(key.encode()).hexdigest()[:32]}")
    return await forward(request)


def concurrent_duplicates_post_twice():
    """R2: no guard for a key in flight: a duplicate sent while the first is still posting posts again."""
    in_flight: set[tuple] = set()

    async def transform(request: Request, forward: Forward) -> Response:
        key = request.header("idempotency-key")
        if not is_posting(request) or not key:
            return await forward(request)
        scope = (request.header("authorization"), request.header("x-organization-id"), key)
        if scope in in_flight:
            return await forward(with_key(request, f"race-{secrets.token_hex(8)}"))
        in_flight.add(scope)
        try:
            await asyncio.sleep(RACE_WINDOW_S)
            return await forward(request)
        finally:
            in_flight.discard(scope)
    return transform


def rewrite_amounts(request: Request, change) -> Request:
    body = request.json() if is_posting(request) else None
    if body is None:
        return request
    return request.with_body(json.dumps(map_cents(body, change)).encode())


async def bound_amount_refused(request: Request, forward: Forward) -> Response:
    """R1: the upper bound is off by one: an amount of exactly 10^12 cents is refused."""
    return await forward(rewrite_amounts(request, lambda v: v + 1 if v == AMOUNT_CENTS_MAX and type(v) is int
                                         else v))


def dollars_as_cents(value: Any) -> Any:
    if type(value) is float and value == value and abs(value) != float("inf") and value == int(value):
        return int(value) * 100
    return value


async def whole_float_read_as_dollars(request: Request, forward: Forward) -> Response:
    """R1: an amount sent as 1250.0 is read as dollars and booked as 125000 cents."""
    return await forward(rewrite_amounts(request, dollars_as_cents))


async def bill_payment_amount_follows_allocations(request: Request, forward: Forward) -> Response:
    """R1: a bill payment whose allocations do not add up is booked at the allocations' sum."""
    body = request.json()
    if is_posting(request) and posting_kind(request) == "bill-payments" and isinstance(body, dict):
        allocations = body.get("allocations")
        amounts = [a.get("amountCents") for a in allocations if isinstance(a, dict)] \
            if isinstance(allocations, list) else []
        if amounts and all(type(a) is int for a in amounts) and type(body.get("amountCents")) is int:
            body["amountCents"] = sum(amounts)
            request = request.with_body(json.dumps(body).encode())
    return await forward(request)
