"""R4 Errors: one shape, codes that match statuses, retryable exactly where it should be, request ids."""
from __future__ import annotations

from typing import Callable

from conformance.books import amount_paths, post, posting_for, shaped_body
from conformance.contract_map import Operation
from conformance.expect import expect_status
from conformance.failures import MissingHeader, WrongErrorShape, WrongStatus
from conformance.http import Exchange, new_idempotency_key
from conformance.registry import rule_check
from conformance.suite import Suite

STATUS_BY_CODE = {
    "VALIDATION_ERROR": 400, "IDEMPOTENCY_KEY_REQUIRED": 400, "UNAUTHORIZED": 401, "FORBIDDEN": 403,
    "NOT_FOUND": 404, "METHOD_NOT_ALLOWED": 405, "INVALID_STATE": 409, "ACCOUNT_IN_USE": 409,
    "IDEMPOTENCY_KEY_IN_USE": 409, "PAYLOAD_TOO_LARGE": 413, "UNSUPPORTED_MEDIA_TYPE": 415,
    "IDEMPOTENCY_KEY_REUSED": 422, "UNBALANCED_ENTRY": 422, "UNPROCESSABLE": 422, "RATE_LIMITED": 429,
    "INTERNAL_ERROR": 500, "SERVICE_UNAVAILABLE": 503,
}
RETRYABLE_CODES = frozenset({"IDEMPOTENCY_KEY_IN_USE", "RATE_LIMITED", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE"})
LEAK_MARKERS = ("Traceback (most recent call last)", "<html", "<!DOCTYPE", 'File "/')
BODY_SIZE_OVER_LIMIT = 1024 * 1024 + 1


def check_structured_error(exchange: Exchange, *, legacy_allowed: bool) -> None:
    """One error response against R4: shape, code/status pair, retryable, requestId, media type."""
    if not exchange.content_type.split(";")[0].strip().lower() == "application/json":
        raise WrongErrorShape(f"error Content-Type is {exchange.content_type!r}, not application/json", exchange)
    if any(marker in exchange.text for marker in LEAK_MARKERS):
        raise WrongErrorShape("error body carries HTML or a stack trace", exchange)
    body = exchange.json
    if legacy_allowed and isinstance(body, dict) and isinstance(body.get("error"), str):
        return
    error = exchange.error()
    if error is None or not isinstance(error.get("message"), str) or not isinstance(error.get("retryable"), bool):
        raise WrongErrorShape("not {error: {code, message, retryable, requestId}}", exchange)
    code = error.get("code")
    expected_status = STATUS_BY_CODE.get(code)
    if expected_status is not None and expected_status != exchange.status:
        raise WrongStatus(f"code {code} goes with {expected_status}, sent with {exchange.status}", exchange)
    if expected_status is None and not (400 <= exchange.status < 600):
        raise WrongStatus(f"unknown error code {code!r} with status {exchange.status}", exchange)
    retryable = code in RETRYABLE_CODES or exchange.status == 429 or exchange.status >= 500
    if error["retryable"] is not retryable:
        raise WrongErrorShape(f"retryable is {error['retryable']} for {exchange.status} {code}", exchange)
    check_request_id(exchange, error.get("requestId"))
    details = error.get("details")
    if details is not None and not (isinstance(details, list) and all(
            isinstance(d, dict) and isinstance(d.get("field"), str) and isinstance(d.get("issue"), str)
            for d in details)):
        raise WrongErrorShape("details must be a list of {field, issue}", exchange)


def check_request_id(exchange: Exchange, body_request_id: object) -> None:
    header = exchange.request_id
    if not header:
        raise MissingHeader("response without X-Request-Id", exchange)
    if body_request_id != header or not str(header).startswith("req_"):
        raise MissingHeader(f"requestId {body_request_id!r} != X-Request-Id {header!r} (must start req_)", exchange)


def is_legacy(suite: Suite, exchange: Exchange) -> bool:
    return suite.contract.legacy_error_allowed(exchange.method, exchange.path, exchange.status)


def error_samples(suite: Suite) -> list[tuple[str, Callable[[], Exchange], set[int]]]:
    """Requests that must fail, and the statuses the contract allows for each."""
    posting = suite.posting_operations
    journal = suite.op("POST", "/journal-entries")
    body = posting_for(suite, journal, 100).body
    accounts = suite.op("GET", "/accounts")
    samples = [
        ("no credential", lambda: suite.call(accounts, token=None), {401}),
        ("unknown company", lambda: suite.api.request("GET", "/api/v1/companies/cmp_conformance_missing"),
         {403, 404}),
        ("limit 0", lambda: suite.call(accounts, params={"limit": 0}), {400}),
        ("no key", lambda: suite.call(journal, json_body=body), {400}),
        ("malformed JSON", lambda: suite.call(journal, content=b'{"date": ', headers=key_header()), {400}),
        ("JSON array body", lambda: suite.call(journal, content=b"[]", headers=key_header()), {400}),
        ("unbalanced", lambda: post(suite, journal, unbalanced(body)), {422}),
        ("text/plain body", lambda: suite.call(journal, content=b"hello", headers={
            **key_header(), "Content-Type": "text/plain"}), {400, 415}),
        ("body over 1 MiB", lambda: suite.call(journal, content=b" " * BODY_SIZE_OVER_LIMIT + b"{}",
                                               headers=key_header()), {413}),
        ("forced 503", lambda: suite.call(accounts, headers={"Prefer": "code=503"}), {200, 503}),
        ("forced key in use", lambda: post(suite, journal, body, headers={"Prefer": "idempotency=in_use"}),
         {201, 409}),
    ]
    for op in posting:
        samples.append((f"bad amount on {op.label}", lambda op=op: bad_amount(suite, op), {400}))
    return samples


def key_header() -> dict[str, str]:
    return {"Idempotency-Key": new_idempotency_key()}


def unbalanced(body: dict) -> dict:
    lines = [dict(line) for line in body["lines"]]
    lines[0]["debitCents"] += 1
    return {**body, "lines": lines}


def bad_amount(suite: Suite, op: Operation) -> Exchange:
    """The posting with its first amount sent as the string "12.50"."""
    body = shaped_body(suite, op, 100)
    *parents, last = next(amount_paths(body))
    node = body
    for part in parents:
        node = node[part]
    node[last] = "12.50"
    return post(suite, op, body)


@rule_check()
def check_errors_follow_the_shape(suite: Suite) -> None:
    for what, send, statuses in error_samples(suite):
        exchange = send()
        expect_status(exchange, statuses, what)
        if exchange.status >= 400:
            check_structured_error(exchange, legacy_allowed=is_legacy(suite, exchange))


@rule_check()
def check_bad_input_is_never_a_server_error(suite: Suite) -> None:
    journal = suite.op("POST", "/journal-entries")
    report = suite.op("GET", "/reports/trial-balance")
    accounts = suite.op("GET", "/accounts")
    sends = [
        lambda: suite.call(journal, content=b"\xff\xfe not json", headers=key_header()),
        lambda: suite.call(journal, json_body={"date": "2026-13-45", "lines": "x"}, headers=key_header()),
        lambda: suite.call(journal, json_body={"lines": [{"accountId": {}, "debitCents": []}] * 2},
                           headers=key_header()),
        lambda: suite.call(report, params={"asOf": "yesterday"}),
        lambda: suite.call(accounts, params={"limit": "abc"}),
    ]
    for send in sends:
        exchange = send()
        if exchange.status >= 500 or exchange.status < 400:
            raise WrongStatus(f"bad input answered {exchange.status}, expected a 4xx", exchange)
        check_structured_error(exchange, legacy_allowed=is_legacy(suite, exchange))


@rule_check()
def check_every_response_has_request_id(suite: Suite) -> None:
    if not suite.api.history:
        suite.call(suite.op("GET", "/accounts"))
    for exchange in list(suite.api.history):
        if not exchange.request_id or not exchange.request_id.startswith("req_"):
            raise MissingHeader(f"X-Request-Id is {exchange.request_id!r}, expected req_...", exchange)
        if exchange.status >= 400 and exchange.error() is not None:
            check_request_id(exchange, exchange.error().get("requestId"))
