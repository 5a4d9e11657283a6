"""What the suite puts into each stateful step: its tenant, its own accounts, and only ids it has seen made."""
from __future__ import annotations

from typing import Any

from conformance.books import missing_document_id, posting_for
from conformance.contract.schema import drop_framing_headers
from conformance.contract_map import Contract, Operation
from conformance.http import new_idempotency_key
from conformance.suite import Suite
from conformance.world import needs_organization

UNKNOWN_ID = "conformance_unknown_id"       # any path id the run did not see made: answered 404
ID_FIELDS = ("id", "journalEntryId")


class SeenIds:
    """Ids of resources made during the stateful run, read from 2xx answers."""

    def __init__(self) -> None:
        self.values: set[str] = set()

    def add_from(self, status: int, body: Any) -> None:
        if 200 <= status < 300 and isinstance(body, dict):
            self.values.update(body[name] for name in ID_FIELDS if isinstance(body.get(name), str))


def drawn_amount(effect: dict, body: dict) -> int | None:
    """The amount of a drawn posting body (its first line's, for lines), if it is a usable one."""
    if "lines" in effect:
        lines = body.get(effect["lines"]["items"])
        first = lines[0] if isinstance(lines, list) and lines and isinstance(lines[0], dict) else {}
        amount = first.get(effect["lines"]["debit"]) or first.get(effect["lines"]["credit"])
    else:
        amount = body.get(effect["amount"])
    return amount if type(amount) is int and amount >= 1 else None


def own_posting_fields(suite: Suite, op: Operation, effect: dict, body: dict) -> dict:
    """The account fields (or the lines) of a drawn posting body, on the suite's own accounts, from x-posting;
    the drawn allocations name documents that do not exist."""
    amount = drawn_amount(effect, body)
    if amount is None:
        return {}
    if "lines" in effect:
        items = effect["lines"]["items"]
        return {items: posting_for(suite, op, amount).body[items]}
    allocations, missing = effect.get("allocations"), missing_document_id(op)   # drawn ids may be real examples
    own = posting_for(suite, op, amount, document_id=missing).body
    fields = {effect[side]["account"]: own[effect[side]["account"]] for side in ("debit", "credit")
              if "account" in effect[side]}
    if allocations and isinstance(body.get(allocations["items"]), list):
        fields[allocations["items"]] = [{**item, allocations["document"]: missing}
                                        if isinstance(item, dict) and allocations["document"] in item else item
                                        for item in body[allocations["items"]]]
    return fields


def own_accounts_in(suite: Suite, op: Operation, body: Any) -> Any:
    """The drawn body, naming the suite's own accounts where it names accounts (drawn ids do not exist)."""
    if not isinstance(body, dict):
        return body
    changed = dict(body)
    effect = Contract.posting_effect(op)
    if effect is not None:
        changed.update(own_posting_fields(suite, op, effect, body))
    elif isinstance(changed.get("accountId"), str):
        changed.pop("accountId")             # a new bank account then gets a chart account of its own
    return changed


def prepare_case(suite: Suite, case, op: Operation, seen: SeenIds) -> None:
    """The company under test, its organization, fresh idempotency keys, the suite's own data only."""
    drop_framing_headers(case)
    for name, value in list((case.path_parameters or {}).items()):
        if name == "companyId":
            case.path_parameters[name] = suite.world.company_id
        elif value not in seen.values:
            case.path_parameters[name] = UNKNOWN_ID
    if case.headers is not None:
        for name in list(case.headers):
            if name.lower() == "idempotency-key":
                case.headers[name] = new_idempotency_key()
            elif name.lower() == "x-organization-id":
                del case.headers[name]
        if needs_organization(suite.contract, op):
            case.headers["x-organization-id"] = suite.world.organization_id
    if isinstance(case.query, dict):
        case.query.pop("cursor", None)      # a cursor the API did not issue is 400 by contract
        start, end = case.query.get("startDate"), case.query.get("endDate")
        if isinstance(start, str) and isinstance(end, str) and start > end:     # start after end is 400 too
            case.query["startDate"], case.query["endDate"] = end, start
    if case.body is not None:
        case.body = own_accounts_in(suite, op, case.body)
