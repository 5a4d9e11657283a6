"""R1 Money: integer cents only, every bad amount refused with VALIDATION_ERROR, nothing posted."""
from __future__ import annotations

import json
from typing import Any, Iterator

from conformance.books import (amount_paths, expect_deltas, expect_unchanged, needs_documents, own_balances, post,
                               posting_effect, posting_for, shaped_body)
from conformance.contract_map import Operation
from conformance.expect import expect_error, expect_status
from conformance.failures import ContractBreach, MoneyNotInteger, Skip
from conformance.http import Exchange, new_idempotency_key
from conformance.registry import rule_check
from conformance.suite import Suite

AMOUNT_CENTS_MAX = 1_000_000_000_000
# Raw JSON text of each amount R1 refuses; 1e400 cannot be written by a JSON encoder.
BAD_AMOUNTS_JSON = ("12.5", '"1250"', "true", "null", "0", "-1", str(AMOUNT_CENTS_MAX + 1), "1e400")
SENTINEL = "__conformance_money__"
JSON_DEPTH_MAX = 64


def posting_routes(suite: Suite) -> list[Operation]:
    return suite.posting_operations


def with_raw_value(body: dict, path: tuple, raw: str) -> bytes:
    copy = json.loads(json.dumps(body))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = SENTINEL
    return json.dumps(copy).replace(f'"{SENTINEL}"', raw).encode()


def bad_money(value: Any, nullable: bool) -> bool:
    if value is None:
        return not nullable
    return type(value) is not int


def find_bad_money(node: Any, nullable_fields: dict[str, bool], where: str = "$", depth: int = 0) -> str | None:
    if depth > JSON_DEPTH_MAX:
        return None
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        here = f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]"
        if isinstance(key, str) and key.endswith("Cents") and bad_money(value, nullable_fields.get(key, False)):
            return f"{here} = {json.dumps(value)}"
        found = find_bad_money(value, nullable_fields, here, depth + 1)
        if found:
            return found
    return None


def scan_exchanges(suite: Suite, exchanges: list[Exchange]) -> None:
    nullable = suite.contract.money_fields()
    for exchange in exchanges:
        if not 200 <= exchange.status < 300 or not exchange.is_json:
            continue
        found = find_bad_money(exchange.json, nullable)
        if found:
            raise MoneyNotInteger(f"money value is not an integer count of cents: {found}", exchange)


@rule_check()
def check_contract_money_fields_are_integers(suite: Suite) -> None:
    for name, schema in suite.contract.walk_properties(suite.contract.document):
        resolved = suite.contract.resolve(schema)
        if name.endswith("Cents") and "type" in resolved and resolved["type"] != "integer":
            raise ContractBreach(f"contract property {name} has type {resolved['type']}, not integer")


def readable_get_operations(suite: Suite, entry_id: str | None) -> Iterator[tuple[Operation, dict]]:
    known = {"accounts": suite.world.accounts["cash_a"], "entries": entry_id, "journal-entries": entry_id}
    for op in suite.contract.partner_operations():
        if op.method != "GET" or suite.contract.is_public(op):
            continue
        values, segments = {}, op.path.split("/")
        for name in op.path_params:
            before = segments[segments.index("{" + name + "}") - 1]
            values[name] = suite.world.company_id if name == "companyId" else known.get(before)
        if all(values.values()):
            yield op, values


@rule_check()
def check_response_money_is_integer(suite: Suite) -> None:
    op = suite.op("POST", "/journal-entries")
    receipt = post(suite, op, posting_for(suite, op, 1250).body)
    entry_id = (receipt.json or {}).get("journalEntryId") if isinstance(receipt.json, dict) else None
    seen = [receipt]
    for read, values in readable_get_operations(suite, entry_id):
        seen.append(suite.call(read, path_values=values))
    scan_exchanges(suite, seen + list(suite.api.history))


@rule_check(targets=posting_routes)
def check_bad_money_refused(suite: Suite, op: Operation) -> None:
    body = shaped_body(suite, op, 1250)
    paths = list(amount_paths(body))
    paths = paths if suite.profile.all_money_fields else paths[:1]
    before = own_balances(suite)
    last = None
    for path in paths:
        for raw in BAD_AMOUNTS_JSON:
            last = suite.call(op, content=with_raw_value(body, path, raw),
                              headers={"Idempotency-Key": new_idempotency_key()})
            expect_error(last, 400, {"VALIDATION_ERROR"}, f"{'.'.join(map(str, path))} = {raw}")
    expect_unchanged(suite, before, last, "every bad amount was refused")


@rule_check(targets=posting_routes)
def check_bound_amounts_accepted(suite: Suite, op: Operation) -> None:
    for amount in (1, AMOUNT_CENTS_MAX):
        posting = posting_for(suite, op, amount)
        before = own_balances(suite)
        receipt = post(suite, op, posting.body)
        expect_status(receipt, {201}, f"amount {amount} is within 1..{AMOUNT_CENTS_MAX}")
        expect_deltas(suite, before, posting.deltas, receipt, f"posting {amount} cents")


@rule_check(targets=posting_routes)
def check_whole_float_either_way(suite: Suite, op: Operation) -> None:
    """1250.0 may be taken as 1250 or refused with 400, never booked as anything else."""
    posting = posting_for(suite, op, 1250)
    path = next(amount_paths(posting.body), None)
    if path is None:
        raise Skip(f"no money field in the body of {op.label}")
    before = own_balances(suite)
    sent = suite.call(op, content=with_raw_value(posting.body, path, "1250.0"),
                      headers={"Idempotency-Key": new_idempotency_key()})
    expect_status(sent, {201, 400}, "1250.0 is accepted as 1250 or refused")
    if sent.status == 400:
        expect_error(sent, 400, {"VALIDATION_ERROR"}, "1250.0 refused")
        expect_unchanged(suite, before, sent, "1250.0 was refused")
    else:
        expect_deltas(suite, before, posting.deltas, sent, "1250.0 accepted")


def document_paying_routes(suite: Suite) -> list[Operation]:
    return [op for op in suite.posting_operations if op.is_company_path and needs_documents(op)]


@rule_check(targets=document_paying_routes)
def check_allocations_add_up_exactly(suite: Suite, op: Operation) -> None:
    """Allocations must sum to the amount and stay within each document's open balance (R1, R3)."""
    effect = posting_effect(op)
    amount_field, allocations = effect["amount"], effect["allocations"]
    posting = posting_for(suite, op, 1000)                  # a fresh document of 1000 cents
    document_id = posting.body[allocations["items"]][0][allocations["document"]]
    before = own_balances(suite)
    for amount, allocated, what in ((1000, 999, "allocations short of the amount"),
                                    (999, 1000, "allocations over the amount"),
                                    (1001, 1001, "an allocation over the document's open balance")):
        body = {**posting.body, amount_field: amount,
                allocations["items"]: [{allocations["document"]: document_id, allocations["amount"]: allocated}]}
        refused = post(suite, op, body)
        expect_error(refused, 422, {"UNPROCESSABLE"}, what)
    expect_unchanged(suite, before, refused, "every inexact allocation was refused")
    paid = post(suite, op, posting.body)
    expect_status(paid, {201}, "allocations that add up exactly")
    expect_deltas(suite, before, posting.deltas, paid, "an exact bill payment")
