"""R2 Idempotency: replays answer the stored receipt and post nothing; reuse, absence and races refused."""
from __future__ import annotations

import threading

from conformance.books import (expect_deltas, expect_unchanged, needs_documents, own_balances, post, posting_for,
                               posting_kind, shaped_body)
from conformance.contract_map import Operation
from conformance.expect import expect_error, expect_header, expect_status
from conformance.failures import LedgerMismatch, ReplayDiffers, Skip, WrongStatus
from conformance.http import Exchange, new_idempotency_key
from conformance.registry import rule_check
from conformance.suite import Suite

CONCURRENT_WAIT_S = 60
MALFORMED_KEYS = ("k" * 256, "bad key")      # 256 chars; a space is not visible ASCII


def posting_routes(suite: Suite) -> list[Operation]:
    return suite.posting_operations


def company_posting_routes(suite: Suite) -> list[Operation]:
    return [op for op in suite.posting_operations if op.is_company_path]


def receipt_id(exchange: Exchange) -> str | None:
    body = exchange.json
    return body.get("journalEntryId") if isinstance(body, dict) else None


def first_posting(suite: Suite, op: Operation, amount: int, key: str):
    posting = posting_for(suite, op, amount)
    before = own_balances(suite)
    first = post(suite, op, posting.body, key)
    expect_status(first, {201}, "a valid posting")
    if not receipt_id(first):
        raise WrongStatus("the posting receipt has no journalEntryId", first)
    return posting, before, first


@rule_check(targets=posting_routes)
def check_replay_posts_once(suite: Suite, op: Operation) -> None:
    key = new_idempotency_key()
    posting, before, first = first_posting(suite, op, 2101, key)
    expect_header(first, "Idempotent-Replayed", "false", "first response")
    reordered = dict(reversed(list(posting.body.items())))          # key order does not matter
    again = post(suite, op, reordered, key)
    if (again.status, again.json) != (first.status, first.json):
        raise ReplayDiffers(f"replay answered {again.status} {again.text[:200]}, first was {first.status} "
                            f"{first.text[:200]}", again)
    expect_header(again, "Idempotent-Replayed", "true", "replayed response")
    expect_deltas(suite, before, posting.deltas, again, "one posting replayed once")


@rule_check(targets=posting_routes)
def check_reuse_with_other_body_refused(suite: Suite, op: Operation) -> None:
    key = new_idempotency_key()
    posting, before, first = first_posting(suite, op, 2102, key)
    reused = post(suite, op, {**posting.body, "description": "another body"}, key)
    expect_error(reused, 422, {"IDEMPOTENCY_KEY_REUSED"}, "same key, another body")
    expect_deltas(suite, before, posting.deltas, reused, "only the first body posted")


@rule_check(targets=posting_routes)
def check_reuse_on_other_route_refused(suite: Suite, op: Operation) -> None:
    others = [o for o in posting_routes(suite) if posting_kind(o) != posting_kind(op) and not needs_documents(o)]
    if not others:
        raise Skip("only one posting kind in the contract")
    key = new_idempotency_key()
    posting, before, first = first_posting(suite, op, 2104, key)
    other_op = others[0]
    reused = post(suite, other_op, posting_for(suite, other_op, 2104).body, key)
    expect_error(reused, 422, {"IDEMPOTENCY_KEY_REUSED"}, f"same key on {other_op.label}")
    expect_deltas(suite, before, posting.deltas, reused, "only the first route posted")


@rule_check(targets=posting_routes)
def check_missing_key_refused(suite: Suite, op: Operation) -> None:
    body = shaped_body(suite, op, 2105)
    before = own_balances(suite)
    sent = suite.call(op, json_body=body)
    expect_error(sent, 400, {"IDEMPOTENCY_KEY_REQUIRED"}, "no Idempotency-Key header")
    expect_unchanged(suite, before, sent, "the request without a key was refused")


@rule_check(targets=posting_routes)
def check_malformed_key_refused(suite: Suite, op: Operation) -> None:
    body = shaped_body(suite, op, 2106)
    before = own_balances(suite)
    sent = None
    for key in MALFORMED_KEYS:
        sent = post(suite, op, body, key)
        expect_error(sent, 400, {"VALIDATION_ERROR"}, f"malformed Idempotency-Key {key[:20]!r}")
    expect_unchanged(suite, before, sent, "malformed keys were refused")


@rule_check(targets=posting_routes)
def check_rejected_request_leaves_key_unused(suite: Suite, op: Operation) -> None:
    key = new_idempotency_key()
    posting = posting_for(suite, op, 2107)
    refused = post(suite, op, {**posting.body, "date": "not-a-date"}, key)
    expect_error(refused, 400, {"VALIDATION_ERROR"}, "a body with an invalid date")
    before = own_balances(suite)
    sent = post(suite, op, posting.body, key)
    expect_status(sent, {201}, "the key of a refused request is still unused")
    expect_header(sent, "Idempotent-Replayed", "false", "first successful use of the key")
    expect_deltas(suite, before, posting.deltas, sent, "the valid request posted")


@rule_check(targets=company_posting_routes)
def check_key_scope_spans_path_forms(suite: Suite, op: Operation) -> None:
    twin = next((o for o in posting_routes(suite) if posting_kind(o) == posting_kind(op)
                 and o.is_company_path != op.is_company_path), None)
    if twin is None:
        raise Skip(f"no other path form of {op.label} in the contract")
    key = new_idempotency_key()
    posting, before, first = first_posting(suite, op, 2108, key)
    again = post(suite, twin, posting.body, key)
    if (again.status, again.json) != (first.status, first.json):
        raise ReplayDiffers(f"the same key and body on {twin.label} did not replay the receipt", again)
    expect_deltas(suite, before, posting.deltas, again, "one posting across both path forms")


def send_concurrently(suite: Suite, op: Operation, body: dict, key: str, count: int) -> list[Exchange]:
    barrier = threading.Barrier(count)
    results: list[Exchange | BaseException] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            barrier.wait(timeout=CONCURRENT_WAIT_S)
            result: Exchange | BaseException = post(suite, op, body, key)
        except BaseException as error:      # reported below, never lost
            result = error
        with lock:
            results.append(result)

    threads = [threading.Thread(target=send, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=CONCURRENT_WAIT_S)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


@rule_check(targets=company_posting_routes)
def check_concurrent_requests_post_once(suite: Suite, op: Operation) -> None:
    key = new_idempotency_key()
    posting = posting_for(suite, op, 2109)
    before = own_balances(suite)
    results = send_concurrently(suite, op, posting.body, key, suite.profile.concurrent_requests)
    receipts = [r for r in results if r.status == 201]
    for result in results:
        if result.status == 409:
            expect_error(result, 409, {"IDEMPOTENCY_KEY_IN_USE"}, "a concurrent duplicate")
            if (result.error() or {}).get("retryable") is not True:
                raise WrongStatus("IDEMPOTENCY_KEY_IN_USE must say retryable: true", result)
        else:
            expect_status(result, {201, 409}, "a concurrent duplicate is the receipt or 409")
    if len({r.text for r in receipts}) > 1 or len({receipt_id(r) for r in receipts}) > 1:
        raise ReplayDiffers("concurrent identical requests got different receipts", receipts[-1])
    final = post(suite, op, posting.body, key)
    expect_status(final, {201}, "after the race, the key replays its receipt")
    if receipts and receipt_id(final) != receipt_id(receipts[0]):
        raise ReplayDiffers("the replay after the race names another entry", final)
    expect_deltas(suite, before, posting.deltas, final, f"{len(results)} concurrent identical requests")
    if not receipts and final.headers.get("Idempotent-Replayed", "").lower() != "true":
        raise LedgerMismatch("no concurrent request got the receipt, yet a later one was not a replay", final)
