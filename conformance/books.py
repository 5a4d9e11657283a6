"""Valid postings on the suite's own accounts, and reading the books back through the reports."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from conformance.contract_map import Operation
from conformance.failures import LedgerChanged, LedgerMismatch, SetupFailed, Skip
from conformance.http import Exchange, new_idempotency_key
from conformance.suite import Suite


@dataclass(frozen=True, slots=True)
class Posting:
    body: dict
    deltas: dict[str, int]       # account id -> debits minus credits this posting adds


def posting_for(suite: Suite, op: Operation, amount_cents: int, *, description: str = "conformance") -> Posting:
    """A valid body for a posting route, known by its kind (the last segment of its path)."""
    accounts, day = suite.world.accounts, suite.world.day.isoformat()
    cash_a, cash_b, expense, income = accounts["cash_a"], accounts["cash_b"], accounts["expense"], accounts["income"]
    if op.kind == "purchases":
        body = {"date": day, "sourceAccountId": cash_a, "categoryAccountId": expense, "amountCents": amount_cents}
        deltas = {expense: amount_cents, cash_a: -amount_cents}
    elif op.kind == "deposits":
        body = {"date": day, "destinationAccountId": cash_a, "categoryAccountId": income, "amountCents": amount_cents}
        deltas = {cash_a: amount_cents, income: -amount_cents}
    elif op.kind == "transfers":
        body = {"date": day, "fromAccountId": cash_a, "toAccountId": cash_b, "amountCents": amount_cents}
        deltas = {cash_b: amount_cents, cash_a: -amount_cents}
    elif op.kind == "bill-payments":
        bill_id = open_bill(suite, amount_cents)
        body = {"date": day, "sourceAccountId": cash_a, "amountCents": amount_cents,
                "allocations": [{"billId": bill_id, "amountCents": amount_cents}]}
        deltas = {cash_a: -amount_cents}           # the debit goes to the company's payables account
    elif op.kind == "journal-entries":
        body = {"date": day, "lines": [{"accountId": expense, "debitCents": amount_cents},
                                       {"accountId": cash_a, "creditCents": amount_cents}]}
        deltas = {expense: amount_cents, cash_a: -amount_cents}
    else:
        raise Skip(f"no valid body known for posting kind '{op.kind}' ({op.label}) without documents")
    body["description"] = description
    return Posting(body, deltas)


def open_bill(suite: Suite, total_cents: int) -> str:
    """A fresh open bill; the partner API cannot make one, so this needs the sandbox's bill control."""
    op = suite.contract.find("POST", "/sandbox/companies/{}/bills", controls=True)
    if op is None:
        raise Skip("no way to create a bill through the contract: bill payments are not posted")
    body = {"number": f"CONF-{secrets.token_hex(6)}", "contactName": f"Conformance {suite.world.run_tag}",
            "date": suite.world.day.isoformat(),
            "totalCents": total_cents, "accountId": suite.world.accounts["expense"]}
    made = suite.call(op, json_body=body)
    bill_id = made.json.get("id") if isinstance(made.json, dict) else None
    if made.status != 201 or not bill_id:
        raise Skip(f"this implementation offers no bill control (status {made.status}): bill payments not posted")
    return bill_id


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


PLACEHOLDER_BILL_ID = "bill_conformance_missing"


def shaped_body(suite: Suite, op: Operation, amount_cents: int) -> dict:
    """A body of the right shape for any posting kind; a bill payment names no real bill."""
    if op.kind == "bill-payments":
        return {"date": suite.world.day.isoformat(), "sourceAccountId": suite.world.accounts["cash_a"],
                "amountCents": amount_cents, "description": "conformance",
                "allocations": [{"billId": PLACEHOLDER_BILL_ID, "amountCents": amount_cents}]}
    return posting_for(suite, op, amount_cents).body
