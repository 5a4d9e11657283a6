"""Valid postings on the suite's own accounts, and reading the books back through the reports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

from conformance.bank import open_document
from conformance.contract_map import Contract, Operation
from conformance.failures import LedgerChanged, LedgerMismatch, SetupFailed, Skip
from conformance.http import Exchange, new_idempotency_key
from conformance.suite import Suite


# A side of a posting that takes any account gets the suite's own expense (debit) or income (credit)
# account; a side limited to some account types gets the first own account of those types not yet used.
OPEN_SIDE_ROLE = {"debit": "expense", "credit": "income"}
MISSING_DOCUMENT_SUFFIX = "_conformance_missing"     # bill_conformance_missing: an id no document has


@dataclass(frozen=True, slots=True)
class Posting:
    body: dict
    deltas: dict[str, int]       # account id -> debits minus credits this posting adds


def posting_effect(op: Operation) -> dict:
    """The entry `op` makes, from the contract's `x-posting` (see its description)."""
    effect = Contract.posting_effect(op)
    if effect is None:
        raise Skip(f"the contract states no x-posting effect for {op.label}: no valid posting known")
    return effect


def posting_kind(op: Operation) -> str | None:
    effect = Contract.posting_effect(op)
    return effect["kind"] if effect else None


def needs_documents(op: Operation) -> bool:
    """Whether the posting pays documents (bills); False where the contract states no effect."""
    effect = Contract.posting_effect(op)
    return effect is not None and "allocations" in effect


def kinds_without_documents(suite: Suite) -> list[str]:
    """Posting kinds of the contract that pay no documents, each once, in the contract's order."""
    kinds: list[str] = []
    for op in suite.posting_operations:
        kind = posting_kind(op)
        if kind and kind not in kinds and not needs_documents(op):
            kinds.append(kind)
    return kinds


def side_accounts(suite: Suite, effect: dict) -> dict[str, str]:
    """side -> one of the suite's own accounts; the credit side chooses first, the two always differ."""
    world, chosen = suite.world, {}
    for side in ("credit", "debit"):
        if "lines" not in effect and "account" not in effect[side]:
            continue                               # the company's own account of a subtype (payables)
        types = effect.get(side, {}).get("accountTypes")
        if types:
            roles = [role for role, account_id in world.accounts.items()
                     if world.account_types.get(account_id) in types]
        else:
            roles = [OPEN_SIDE_ROLE[side]]
        account_id = next((world.accounts[role] for role in roles if world.accounts[role] not in chosen.values()), None)
        if account_id is None:
            raise Skip(f"none of the suite's own accounts fits the {side} side {effect.get(side)}")
        chosen[side] = account_id
    return chosen


def base_body(suite: Suite, op: Operation, description: str) -> dict:
    """The accounting date in every date field, and the description where the body has one."""
    properties = suite.contract.request_properties(op)
    body = {name: suite.world.day.isoformat() for name, schema in properties.items() if schema.get("format") == "date"}
    if "description" in properties:
        body["description"] = description
    return body


def posting_for(suite: Suite, op: Operation, amount_cents: int, *, description: str = "conformance",
                document_id: str | None = None) -> Posting:
    """A valid posting of `amount_cents` on the suite's own accounts, built from the operation's x-posting.
    A posting that pays documents pays `document_id`, or a fresh open one made through the sandbox's control."""
    effect = posting_effect(op)
    body, accounts = base_body(suite, op, description), side_accounts(suite, effect)
    if "lines" in effect:
        lines = effect["lines"]
        body[lines["items"]] = [{lines["account"]: accounts["debit"], lines["debit"]: amount_cents},
                                {lines["account"]: accounts["credit"], lines["credit"]: amount_cents}]
        return Posting(body, {accounts["debit"]: amount_cents, accounts["credit"]: -amount_cents})
    body[effect["amount"]] = amount_cents
    deltas = {}
    for side, sign in (("debit", 1), ("credit", -1)):
        field = effect[side].get("account")
        if field is not None:
            body[field] = accounts[side]
            deltas[accounts[side]] = sign * amount_cents
    if "allocations" in effect:
        allocations = effect["allocations"]
        paid = document_id or open_document(suite, allocations["documentType"] + "s", amount_cents)
        body[allocations["items"]] = [{allocations["document"]: paid, allocations["amount"]: amount_cents}]
    return Posting(body, deltas)


def missing_document_id(op: Operation) -> str | None:
    """An id no document has, of the kind `op` pays (bill_conformance_missing); None if it pays none."""
    allocations = posting_effect(op).get("allocations")
    return allocations["documentType"] + MISSING_DOCUMENT_SUFFIX if allocations else None


def shaped_body(suite: Suite, op: Operation, amount_cents: int) -> dict:
    """A body of the right shape for any posting kind; one paying documents names a document that does not exist."""
    return posting_for(suite, op, amount_cents, document_id=missing_document_id(op)).body


def amount_paths(body: object, prefix: tuple = ()) -> Iterator[tuple]:
    """Paths to every integer *Cents value in a request body."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key.endswith("Cents") and type(value) is int:
                yield prefix + (key,)
            yield from amount_paths(value, prefix + (key,))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from amount_paths(value, prefix + (index,))


def post(suite: Suite, op: Operation, body: object, key: str | None = None, **kwargs) -> Exchange:
    headers = dict(kwargs.pop("headers", {}))
    headers["Idempotency-Key"] = key or new_idempotency_key()
    return suite.call(op, json_body=body, headers=headers, **kwargs)


def trial_balance(suite: Suite, as_of: date | None = None) -> Exchange:
    op = suite.op("GET", "/reports/trial-balance")
    found = suite.call(op, params={"asOf": (as_of or suite.world.day).isoformat()})
    if found.status != 200 or not isinstance(found.json, dict) or not isinstance(found.json.get("rows"), list):
        raise SetupFailed("the trial balance could not be read", found)
    return found


def own_balances(suite: Suite) -> dict[str, int]:
    """Debits minus credits of each of the suite's own accounts, from the trial balance."""
    rows = {row.get("accountId"): row for row in trial_balance(suite).json["rows"] if isinstance(row, dict)}
    balances = {}
    for account_id in suite.world.accounts.values():
        row = rows.get(account_id, {})
        balances[account_id] = _int(row.get("debitCents", 0)) - _int(row.get("creditCents", 0))
    return balances


def _int(value: object) -> int:
    return value if type(value) is int else 0


def expect_unchanged(suite: Suite, before: dict[str, int], exchange: Exchange, what: str) -> None:
    after = own_balances(suite)
    if after != before:
        changed = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
        raise LedgerChanged(f"{what}, yet the trial balance moved: {changed}", exchange)


def expect_deltas(suite: Suite, before: dict[str, int], deltas: dict[str, int], exchange: Exchange,
                  what: str) -> None:
    after = own_balances(suite)
    expected = {k: before.get(k, 0) + deltas.get(k, 0) for k in after}
    if after != expected:
        seen = {k: after[k] - before.get(k, 0) for k in after}
        raise LedgerMismatch(f"{what}: expected trial-balance changes {deltas}, saw {seen}", exchange)
