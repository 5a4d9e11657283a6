"""Crafted breaks of postings, entries, keys, money and errors: small changes to one request or response."""
from __future__ import annotations

import secrets
import threading
import time
from typing import Callable

import httpx

from tests.checks.harness import Craft, Send, answer, body_of, error_code, with_body, with_header

POSTING_KINDS = ("purchases", "deposits", "transfers", "bill-payments", "journal-entries")
AMOUNT_CENTS_MAX = 1_000_000_000_000


def kind(request: httpx.Request) -> str:
    return request.url.path.rstrip("/").rsplit("/", 1)[-1]


def is_posting(request: httpx.Request, *kinds: str) -> bool:
    return request.method == "POST" and kind(request) in (kinds or POSTING_KINDS)


def key_of(request: httpx.Request) -> str | None:
    return request.headers.get("idempotency-key")


def receipt(like: httpx.Response) -> httpx.Response:
    return answer(201, {"journalEntryId": f"je_{secrets.token_hex(12)}", "bankTransactionIds": [],
                        "status": "posted", "createdAt": "2026-01-01T00:00:00Z", "type": "journal_entry"}, like)


def refusal_accepted(kinds: tuple[str, ...], status: int, codes: set[str]) -> Craft:
    """A posting refused with `status` and one of `codes` answered with a receipt instead."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if is_posting(request, *kinds) and response.status_code == status and error_code(response) in codes:
            return receipt(response)
        return response
    return craft


def rekeyed(change: Callable[[httpx.Request, str], str | None]) -> Craft:
    """The Idempotency-Key of a posting replaced by `change(request, key)` before it is answered."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        key = key_of(request)
        if is_posting(request) and key:
            request = with_header(request, "Idempotency-Key", change(request, key))
        return send(request)
    return craft


def entry_action(request: httpx.Request, action: str) -> bool:
    parts = request.url.path.rstrip("/").split("/")
    return request.method == "POST" and len(parts) >= 3 and parts[-1] == action and parts[-3] == "entries"


def void_answered_not_done() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if entry_action(request, "void"):
            return answer(200, {"id": request.url.path.split("/")[-2], "status": "voided"})
        return send(request)
    return craft


def entry_state_ignored() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if (entry_action(request, "void") or entry_action(request, "post")) and response.status_code == 409:
            return answer(200, {"id": request.url.path.split("/")[-2], "status": "posted"}, response)
        return response
    return craft


def draft_posted_on_save() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        body = body_of(response)
        if request.method == "POST" and kind(request) == "entries" and isinstance(body, dict) \
                and body.get("status") == "draft":
            send(httpx.Request("POST", request.url.join(f"{request.url.path}/{body['id']}/post"),
                               headers=request.headers, json={}))
        return response
    return craft


def map_cents(node, change):
    if isinstance(node, dict):
        return {k: change(v) if k.endswith("Cents") else map_cents(v, change) for k, v in node.items()}
    if isinstance(node, list):
        return [map_cents(v, change) for v in node]
    return node


def amounts_changed(change) -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        body = body_of(request) if is_posting(request) else None
        return send(with_body(request, map_cents(body, change)) if body is not None else request)
    return craft


def response_changed(wanted: Callable[[httpx.Request, httpx.Response], bool], change) -> Craft:
    """A JSON response for which `wanted` holds, rewritten by `change(body)` (which may edit it in place)."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        body = body_of(response)
        if body is None or not wanted(request, response):
            return response
        changed = change(body)
        return answer(response.status_code, body if changed is None else changed, response)
    return craft


def one_cent_off(body: dict) -> None:
    rows = body.get("rows") or []
    debit = next((r for r in rows if r.get("debitCents")), None)
    credit = next((r for r in rows if r.get("creditCents")), None)
    if debit and credit:
        debit["debitCents"] += 1
        credit["creditCents"] += 1
        body["totalDebitCents"] += 1
        body["totalCreditCents"] += 1


def no_retryable(body: dict) -> None:
    if isinstance(body.get("error"), dict):
        body["error"].pop("retryable", None)


def bad_input_is_500() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if response.status_code != 400:
            return response
        return answer(500, {"error": {"code": "INTERNAL_ERROR", "message": "Internal error.", "retryable": True,
                                      "requestId": response.headers.get("x-request-id")}}, response)
    return craft


def no_request_id() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if response.status_code < 400:
            response.headers.pop("x-request-id", None)
        return response
    return craft


def refusal_remembered() -> Craft:
    """A posting refused with 400 has its answer stored under its key and replayed on the key's next use."""
    refused: dict[str, httpx.Response] = {}

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        key = key_of(request)
        if is_posting(request) and key in refused:
            return refused[key]
        response = send(request)
        if is_posting(request) and key and response.status_code == 400:
            refused[key] = response
        return response
    return craft


def no_guard_in_flight() -> Craft:
    in_flight: set[str] = set()
    lock = threading.Lock()

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        key = key_of(request)
        if not is_posting(request) or not key:
            return send(request)
        with lock:
            racing = key in in_flight
            in_flight.add(key)
        if racing:
            return send(with_header(request, "Idempotency-Key", f"race-{secrets.token_hex(8)}"))
        time.sleep(0.05)
        try:
            return send(request)
        finally:
            with lock:
                in_flight.discard(key)
    return craft


def bill_amount_from_allocations() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        body = body_of(request)
        if is_posting(request, "bill-payments") and isinstance(body, dict) and body.get("allocations"):
            body["amountCents"] = sum(a["amountCents"] for a in body["allocations"])
            request = with_body(request, body)
        return send(request)
    return craft


def inexact_split_done() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if request.method == "POST" and kind(request) in ("split", "match") and response.status_code in (400, 422):
            return answer(200, {"id": request.url.path.split("/")[-2], "status": "matched"}, response)
        return response
    return craft


def answered_instead(wanted: Callable[[httpx.Request, httpx.Response], bool], body: dict) -> Craft:
    """A response for which `wanted` holds replaced by 200 and `body`."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        return answer(200, body, response) if wanted(request, response) else response
    return craft


def key_added() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if is_posting(request) and not key_of(request):
            request = with_header(request, "Idempotency-Key", f"added-{secrets.token_hex(8)}")
        return send(request)
    return craft


def whole_float(value):
    return int(value) * 100 if type(value) is float and value == int(value) else value
