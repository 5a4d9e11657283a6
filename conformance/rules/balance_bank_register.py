"""R3 a bank account's balance equals its register, each figure compared as of the same date.

currentBalanceCents is the linked account's balance from all posted entries (any date); the reconciliation
status gives bookBalanceCents as of `asOf`; the register is the bank account's transactions that are not
excluded, inflows positive, turned to the account's normal direction (a card's balance is what is owed)."""
from __future__ import annotations

from datetime import date, timedelta

from conformance.bank import own_bank_account, read_all, register_rows
from conformance.books import post
from conformance.expect import expect_status, json_object
from conformance.failures import ReportsDisagree
from conformance.registry import rule_check
from conformance.suite import Suite

FUTURE_DAYS = 3          # one deposit dated after the report date, so "as of" has something to leave out
READS_MAX = 2            # read again once, in case other activity in the company raced the reads
CREDIT_NORMAL_TYPES = frozenset({"credit_card"})


def register_cents(rows: list[dict], sign: int, through: date | None = None) -> int:
    total = 0
    for row in rows:
        if row.get("status") == "excluded" or (through and str(row.get("date")) > through.isoformat()):
            continue
        amount = row.get("amountCents") if type(row.get("amountCents")) is int else 0
        total += amount if row.get("direction") == "inflow" else -amount
    return sign * total


def normal_sign(suite: Suite, bank_account: dict) -> int:
    account = suite.call(suite.op("GET", "/accounts/{}"), path_values={"accountId": bank_account["accountId"]})
    normal = account.json.get("normalBalance") if account.status == 200 and isinstance(account.json, dict) else None
    if normal in ("debit", "credit"):
        return 1 if normal == "debit" else -1
    return -1 if bank_account.get("type") in CREDIT_NORMAL_TYPES else 1


def book_balances(suite: Suite, as_of: date) -> dict[str, int]:
    report = suite.call(suite.op("GET", "/reports/bank-reconciliation-status"), params={"asOf": as_of.isoformat()})
    expect_status(report, {200}, f"bank reconciliation status as of {as_of}")
    rows = json_object(report, "bank reconciliation status").get("accounts") or []
    return {row.get("bankAccountId"): row.get("bookBalanceCents") for row in rows if isinstance(row, dict)}


def disagreements(suite: Suite, bank_account: dict) -> list[str]:
    """Every way this bank account's figures differ from its register (empty when they agree)."""
    rows, sign, day = register_rows(suite, bank_account["id"]), normal_sign(suite, bank_account), suite.world.day
    latest = max([day] + [date.fromisoformat(str(r["date"])) for r in rows if isinstance(r.get("date"), str)])
    current = next((b.get("currentBalanceCents") for b in read_all(suite, "GET", "/bank-accounts")
                    if b.get("id") == bank_account["id"]), None)
    found = {
        "currentBalanceCents (all dates)": (current, register_cents(rows, sign)),
        f"bookBalanceCents as of {latest} (the last dated row)": (
            book_balances(suite, latest).get(bank_account["id"]), register_cents(rows, sign)),
        f"bookBalanceCents as of {day}": (book_balances(suite, day).get(bank_account["id"]),
                                          register_cents(rows, sign, through=day)),
    }
    return [f"{name} is {seen}, its register says {want}" for name, (seen, want) in found.items() if seen != want]


def post_to_register(suite: Suite, bank_account: dict) -> None:
    """A deposit on the report date and one after it, both landing on the suite's own register."""
    op = suite.op("POST", "/deposits")
    for amount_cents, day in ((5100, suite.world.day), (700, suite.world.day + timedelta(days=FUTURE_DAYS))):
        body = {"date": day.isoformat(), "destinationAccountId": bank_account["accountId"],
                "categoryAccountId": suite.world.accounts["income"], "amountCents": amount_cents,
                "description": "conformance register"}
        expect_status(post(suite, op, body), {201}, "a deposit to the suite's own bank account")


@rule_check()
def check_bank_balance_equals_register(suite: Suite) -> None:
    own = own_bank_account(suite)
    post_to_register(suite, own)
    for bank_account in read_all(suite, "GET", "/bank-accounts"):
        for _ in range(READS_MAX):
            found = disagreements(suite, bank_account)
            if not found:
                break
        else:
            raise ReportsDisagree(f"bank account {bank_account.get('id')}: " + "; ".join(found), suite.api.history[-1])
