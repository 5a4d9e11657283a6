"""R3 Balance: double entry holds in every report, refusals post nothing, the entry lifecycle is strict."""
from __future__ import annotations

from conformance.books import expect_unchanged, kinds_without_documents, own_balances, post
from conformance.contract_map import Operation
from conformance.expect import expect_error, expect_status, json_object
from conformance.failures import LedgerMismatch, Skip
from conformance.registry import rule_check
from conformance.rules.balance_model import (create_draft, entry_call, lines_for, post_kind, start_model,
                                             verify_books)
from conformance.suite import Suite

@rule_check()
def check_reports_agree_after_postings(suite: Suite) -> None:
    model = start_model(suite)
    verify_books(suite, model)
    for index, kind in enumerate(kinds_without_documents(suite)):
        _, deltas = post_kind(suite, kind, 3100 + index)
        model.apply(deltas)
    verify_books(suite, model)


@rule_check()
def check_unbalanced_entry_refused(suite: Suite) -> None:
    op = suite.op("POST", "/journal-entries")
    accounts = suite.world.accounts
    body = {"date": suite.world.day.isoformat(), "description": "unbalanced",
            "lines": lines_for(accounts["expense"], accounts["cash_a"], 1000, 999)}
    before = own_balances(suite)
    sent = post(suite, op, body)
    expect_error(sent, 422, {"UNBALANCED_ENTRY"}, "debits 1000 != credits 999")
    expect_unchanged(suite, before, sent, "the unbalanced entry was refused")


@rule_check()
def check_unbalanced_draft_cannot_post(suite: Suite) -> None:
    accounts = suite.world.accounts
    before = own_balances(suite)
    draft = create_draft(suite, lines_for(accounts["expense"], accounts["cash_a"], 500, 400))
    expect_status(draft, {200, 201}, "an unbalanced draft may be saved")
    entry_id = json_object(draft, "draft").get("id")
    posted = entry_call(suite, "POST", "post", entry_id)
    expect_error(posted, 422, {"UNBALANCED_ENTRY"}, "posting an unbalanced draft")
    status = json_object(entry_call(suite, "GET", "", entry_id), "entry").get("status")
    if status != "draft":
        raise LedgerMismatch(f"a refused post left the entry {status}, not draft", posted)
    expect_unchanged(suite, before, posted, "the unbalanced draft did not post")


@rule_check()
def check_entry_lifecycle(suite: Suite) -> None:
    accounts = suite.world.accounts
    model = start_model(suite)
    draft = create_draft(suite, lines_for(accounts["expense"], accounts["cash_a"], 700, 700))
    expect_status(draft, {200, 201}, "a balanced draft")
    entry_id = json_object(draft, "draft").get("id")
    expect_error(entry_call(suite, "POST", "void", entry_id), 409, {"INVALID_STATE"}, "voiding a draft")
    verify_books(suite, model)                                  # drafts count nowhere
    expect_status(entry_call(suite, "POST", "post", entry_id), {200, 201}, "posting a balanced draft")
    model.apply({accounts["expense"]: 700, accounts["cash_a"]: -700})
    verify_books(suite, model)
    expect_error(entry_call(suite, "POST", "post", entry_id), 409, {"INVALID_STATE"}, "posting a posted entry")
    expect_status(entry_call(suite, "POST", "void", entry_id), {200, 201}, "voiding a posted entry")
    model.apply({accounts["expense"]: 700, accounts["cash_a"]: -700}, factor=-1)
    verify_books(suite, model)
    expect_error(entry_call(suite, "POST", "void", entry_id), 409, {"INVALID_STATE"}, "voiding a voided entry")
    expect_error(entry_call(suite, "POST", "post", entry_id), 409, {"INVALID_STATE"}, "posting a voided entry")


@rule_check()
def check_void_removes_posting(suite: Suite) -> None:
    model = start_model(suite)
    kinds = kinds_without_documents(suite)
    if not kinds:
        raise Skip("the contract has no posting kind that pays no documents")
    receipt, deltas = post_kind(suite, kinds[0], 3300)
    model.apply(deltas)
    verify_books(suite, model)
    voided = entry_call(suite, "POST", "void", json_object(receipt, "receipt").get("journalEntryId"))
    expect_status(voided, {200, 201}, f"voiding a posted {kinds[0]}")
    status = json_object(voided, "voided entry").get("status")
    if status != "voided":
        raise LedgerMismatch(f"the void answered status {status!r}", voided)
    model.apply(deltas, factor=-1)
    verify_books(suite, model)


@rule_check()
def check_transfer_between_same_account_refused(suite: Suite) -> None:
    op = suite.op("POST", "/transfers")
    cash = suite.world.accounts["cash_a"]
    before = own_balances(suite)
    sent = post(suite, op, {"date": suite.world.day.isoformat(), "fromAccountId": cash, "toAccountId": cash,
                            "amountCents": 100})
    expect_error(sent, 422, {"UNPROCESSABLE"}, "a transfer to the same account")
    expect_unchanged(suite, before, sent, "the transfer was refused")


@rule_check()
def check_transfer_needs_balance_sheet_accounts(suite: Suite) -> None:
    op = suite.op("POST", "/transfers")
    accounts = suite.world.accounts
    before = own_balances(suite)
    sent = post(suite, op, {"date": suite.world.day.isoformat(), "fromAccountId": accounts["cash_a"],
                            "toAccountId": accounts["expense"], "amountCents": 100})
    expect_error(sent, 422, {"UNPROCESSABLE"}, "a transfer to an expense account")
    expect_unchanged(suite, before, sent, "the transfer was refused")


@rule_check()
def check_single_account_entry_refused(suite: Suite) -> None:
    op = suite.op("POST", "/journal-entries")
    cash = suite.world.accounts["cash_a"]
    before = own_balances(suite)
    sent = post(suite, op, {"date": suite.world.day.isoformat(), "description": "one account",
                            "lines": lines_for(cash, cash, 100, 100)})
    expect_error(sent, 422, {"UNPROCESSABLE"}, "an entry whose lines touch one account only")
    expect_unchanged(suite, before, sent, "the entry was refused")


def dated_reports(suite: Suite) -> list[Operation]:
    """Reports over a date window; a list's date filters are the lists rule's (R6)."""
    lists = {op.label for op in suite.list_operations}
    return [op for op in suite.contract.partner_operations() if op.method == "GET" and op.label not in lists
            and {"startDate", "endDate"} <= set(suite.contract.query_params(op))]


@rule_check(targets=dated_reports)
def check_start_after_end_refused(suite: Suite, op: Operation) -> None:
    day = suite.world.day
    sent = suite.call(op, params={"startDate": day.isoformat(), "endDate": day.replace(day=1).isoformat()
                                  if day.day > 1 else "2000-01-01"})
    expect_error(sent, 400, {"VALIDATION_ERROR"}, "startDate after endDate")
