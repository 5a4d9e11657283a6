"""R9 edges in the bank register (R7): a reconciled transaction refuses every action and nothing moves; an
excluded one leaves the books; an action that answers success shows in the books read back."""
from __future__ import annotations

from conformance.bank import land_feed_rows, feed_row, open_document, own_bank_account, register_row
from conformance.expect import expect_status, json_object
from conformance.failures import LedgerChanged, LedgerMismatch, WrongStatus
from conformance.registry import rule_check
from conformance.rules.edges_books import trial_rows
from conformance.suite import Suite

AMOUNT_CENTS = 6400


def own_books(suite: Suite) -> dict[str, int]:
    """The trial-balance row of the suite's own register's ledger account: no other client posts to it, so
    it holds still while other pipelines work on the same company (the category accounts do not)."""
    account = own_bank_account(suite)["accountId"]
    return {account: trial_rows(suite).get(account, 0)}


def landed_outflow(suite: Suite) -> dict:
    """One fresh feed outflow on the suite's own register (its row)."""
    bank = own_bank_account(suite)
    return land_feed_rows(suite, bank["id"], [feed_row(suite.world.day, AMOUNT_CENTS, "outflow")])[0]


def action(suite: Suite, name: str, row_id: str, body: dict):
    op = suite.op("POST", f"/bank-transactions/{{}}/{name}")
    return suite.call(op, path_values={"bankTransactionId": row_id}, json_body=body)


def action_bodies(suite: Suite) -> dict[str, dict]:
    half = AMOUNT_CENTS // 2
    bills = [open_document(suite, "bills", half) for _ in range(2)]
    return {"reclassify": {"accountId": suite.world.accounts["expense"], "reason": "conformance"},
            "match": {"documentType": "bill", "documentId": bills[0]},
            "split": {"allocations": [{"documentType": "bill", "documentId": bill, "amountCents": half}
                                      for bill in bills]},
            "exclude": {"reason": "conformance"},
            "reconcile": {}}


@rule_check()
def check_reconciled_transaction_refuses_every_action(suite: Suite) -> None:
    row, bodies = landed_outflow(suite), action_bodies(suite)
    expect_status(action(suite, "reconcile", row["id"], {}), {200}, "reconciling a fresh feed transaction")
    bank_id = own_bank_account(suite)["id"]
    before_row, before_books = register_row(suite, bank_id, row), own_books(suite)
    for name, body in bodies.items():
        answer = action(suite, name, row["id"], body)
        if answer.status != 409 or answer.error_code != "INVALID_STATE":
            raise WrongStatus(f"{name} of reconciled transaction {row['id']}: expected 409 INVALID_STATE, got "
                              f"{answer.status} {answer.error_code}", answer)
    after_row = register_row(suite, bank_id, row)
    if after_row != before_row or own_books(suite) != before_books:
        raise LedgerChanged(f"refused actions on reconciled transaction {row['id']} changed the books or its row",
                            suite.api.history[-1])


@rule_check()
def check_excluded_transaction_leaves_the_books(suite: Suite) -> None:
    before = own_books(suite)
    row = landed_outflow(suite)
    if own_books(suite) == before:
        raise LedgerMismatch(f"feed transaction {row['id']} landed, yet its register's account did not move",
                             suite.api.history[-1])
    excluded = action(suite, "exclude", row["id"], {"reason": "conformance"})
    expect_status(excluded, {200}, "excluding a feed transaction")
    after = own_books(suite)
    if after != before:
        moved = {k: after.get(k, 0) - before.get(k, 0) for k in set(after) | set(before)
                 if after.get(k, 0) != before.get(k, 0)}
        raise LedgerChanged(f"excluded transaction {row['id']} is still in the books: {moved}", excluded)
    status = register_row(suite, own_bank_account(suite)["id"], row).get("status")
    if status != "excluded":
        raise LedgerMismatch(f"excluded transaction {row['id']} reads back as {status!r}", excluded)


@rule_check()
def check_bank_actions_change_the_books(suite: Suite) -> None:
    row, expense = landed_outflow(suite), suite.world.accounts["expense"]
    before = trial_rows(suite).get(expense, 0)
    answer = action(suite, "reclassify", row["id"], {"accountId": expense, "reason": "conformance"})
    expect_status(answer, {200}, "reclassifying a feed transaction")
    moved = trial_rows(suite).get(expense, 0) - before
    if moved != AMOUNT_CENTS:
        raise LedgerMismatch(f"reclassify of {row['id']} onto {expense} answered {answer.status}, yet that account "
                             f"moved by {moved}, not {AMOUNT_CENTS}", answer)
    answer = action(suite, "reconcile", row["id"], {})
    expect_status(answer, {200}, "reconciling a feed transaction")
    status = register_row(suite, own_bank_account(suite)["id"], row).get("status")
    if status != "reconciled" or json_object(answer, "reconciled transaction").get("status") != "reconciled":
        raise LedgerMismatch(f"reconcile of {row['id']} answered {answer.status}, yet it reads back as {status!r}",
                             answer)
