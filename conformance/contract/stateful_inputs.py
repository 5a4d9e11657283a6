"""What the suite puts into each stateful step: its tenant, its own accounts, and only ids it has seen made."""
from __future__ import annotations

from typing import Any

from conformance.http import new_idempotency_key
from conformance.suite import Suite

# Body fields naming an account, and which of the suite's own accounts they get.
ACCOUNT_ROLE_BY_FIELD = {
    "sourceAccountId": "cash_a", "destinationAccountId": "cash_a", "fromAccountId": "cash_a",
    "toAccountId": "cash_b", "categoryAccountId": "expense",
}
UNKNOWN_ID = "conformance_unknown_id"       # any path id the run did not see made: answered 404
UNKNOWN_BILL_ID = "bill_conformance_missing"  # drawn bill ids may be a contract example that exists
ID_FIELDS = ("id", "journalEntryId")


class SeenIds:
    """Ids of resources made during the stateful run, read from 2xx answers."""

    def __init__(self) -> None:
        self.values: set[str] = set()

    def add_from(self, status: int, body: Any) -> None:
        if 200 <= status < 300 and isinstance(body, dict):
            self.values.update(body[name] for name in ID_FIELDS if isinstance(body.get(name), str))


def own_account_lines(suite: Suite, lines: list) -> list | None:
    """A balanced pair of lines on the suite's own accounts, sized like the first drawn line."""
    first = lines[0] if lines and isinstance(lines[0], dict) else {}
    amount = first.get("debitCents") or first.get("creditCents")
    if type(amount) is not int or amount < 1:
        return None
    accounts = suite.world.accounts
    return [{"accountId": accounts["expense"], "debitCents": amount},
            {"accountId": accounts["cash_a"], "creditCents": amount}]


def own_accounts_in(suite: Suite, body: Any) -> Any:
    """The drawn body, naming the suite's own accounts where it names accounts (drawn ids do not exist)."""
    if not isinstance(body, dict):
        return body
    changed = dict(body)
    for name, role in ACCOUNT_ROLE_BY_FIELD.items():
        if isinstance(changed.get(name), str):
            changed[name] = suite.world.accounts[role]
    if isinstance(changed.get("accountId"), str):
        changed.pop("accountId")             # a new bank account then gets a chart account of its own
    if isinstance(changed.get("lines"), list):
        changed["lines"] = own_account_lines(suite, changed["lines"]) or changed["lines"]
    if isinstance(changed.get("allocations"), list):
        changed["allocations"] = [{**item, "billId": UNKNOWN_BILL_ID} if isinstance(item, dict) and "billId" in item
                                  else item for item in changed["allocations"]]
    return changed


def prepare_case(suite: Suite, case, seen: SeenIds, needs_organization: bool) -> None:
    """The company under test, its organization, fresh idempotency keys, the suite's own data only."""
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
        if needs_organization:
            case.headers["x-organization-id"] = suite.world.organization_id
    if isinstance(case.query, dict):
        case.query.pop("cursor", None)      # a cursor the API did not issue is 400 by contract
    if case.body is not None:
        case.body = own_accounts_in(suite, case.body)
