"""Bank transaction actions (R7): reclassify, match, split, reconcile, exclude.

Reclassify, match and split change only the backing entry's editable line(s) (the
lines not on the bank's GL account). They do so by an explicit replace of those lines
in the posted entry (same entry id, same bank line), which updates the balance index
in the same step. They apply to feed transactions; a transaction made by a posting
follows its entry (void the entry and post again). Reconciled or excluded
transactions refuse every action: 409 INVALID_STATE.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from mock_server.ledger.documents import (
    Allocation, apply_allocations, check_allocations, control_account_id,
)
from mock_server.ledger.entries import check_account_usable
from mock_server.ledger.errors import InvalidField, InvalidState, Unprocessable
from mock_server.ledger.inputs import DocumentAllocation, LineInput, ReclassifyInput
from mock_server.ledger.records import BankMatch, BankTransaction, Reconciliation
from mock_server.ledger.requests import ALLOCATIONS_MAX, NAME_CHARS_MAX, parse_text
from mock_server.ledger.voiding import commit_void

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks

DOCUMENT_BY_DIRECTION = {"inflow": "invoice", "outflow": "bill"}


def _open_row(books: CompanyBooks, row_id: str, action: str, editable: bool) -> BankTransaction:
    row = books.get_bank_transaction(row_id)
    if row.status in ("reconciled", "excluded"):
        raise InvalidState(row.id, row.status, action)
    if editable and row.source_type != "plaid_bank_feed":
        raise InvalidState(row.id, "made by a posting", action,
                           "Void its journal entry and post a corrected one instead.")
    return row


def _rewrite(books: CompanyBooks, row: BankTransaction, category_lines: Sequence[LineInput],
             now: dt.datetime, **changes: object) -> BankTransaction:
    """Replace the editable lines of `row`'s entry and update the row (write only)."""
    entry = books.entries[row.journal_entry_id or ""]
    bank_account_id = books.bank_accounts[row.bank_account_id].account_id
    bank_lines = tuple(line for line in entry.lines if line.account_id == bank_account_id)
    assert len(bank_lines) == 1, entry.id
    new_lines = books.make_lines(category_lines)
    books.replace_lines(entry, (*bank_lines, *new_lines), now)
    apply_allocations(books, [(m.document_type, m.document_id, m.amount_cents)
                              for m in row.matches], +1)
    updated = replace(row, updated_at=now, **changes)
    books.store_bank_transaction(updated)
    books.emit("bank_transaction.updated", updated, now)
    return updated


def _category_line(row: BankTransaction, account_id: str, amount_cents: int) -> LineInput:
    """Inflow: the category is credited; outflow: debited."""
    if row.direction == "inflow":
        return LineInput(account_id, credit_cents=amount_cents)
    return LineInput(account_id, debit_cents=amount_cents)


def reclassify(books: CompanyBooks, row_id: str, data: ReclassifyInput,
               now: dt.datetime) -> BankTransaction:
    row = _open_row(books, row_id, "reclassify", editable=True)
    account = check_account_usable(data.account_id, books.accounts, "accountId")
    if data.account_id == books.bank_accounts[row.bank_account_id].account_id:
        raise Unprocessable("The category cannot be the bank account itself.", "accountId",
                            "is the bank account")
    if account.bank_account_id is not None:     # its register would miss the money (R3)
        raise Unprocessable("The category cannot be another bank account: its register would not "
                            "show the money. Post a transfer between the two instead.", "accountId",
                            "is a bank account")
    for field, value in (("contactName", data.contact_name), ("taxCode", data.tax_code),
                         ("reason", data.reason)):
        if value is not None:
            parse_text(value, field, NAME_CHARS_MAX, allow_empty=True)
    line = _category_line(row, data.account_id, row.amount_cents)
    return _rewrite(books, row, [line], now, status="categorized",
                    category_account_id=data.account_id, matches=())


def match(books: CompanyBooks, row_id: str, document_type: str, document_id: str,
          now: dt.datetime) -> BankTransaction:
    """Deposit -> invoice, withdrawal -> bill, for the transaction's whole amount."""
    row = books.get_bank_transaction(row_id)
    allocation = DocumentAllocation(document_type, document_id, row.amount_cents)
    return _allocate(books, row_id, [allocation], now, "match", "")


def split(books: CompanyBooks, row_id: str, allocations: Sequence[DocumentAllocation],
          now: dt.datetime) -> BankTransaction:
    row = _open_row(books, row_id, "split", editable=True)
    if not 2 <= len(allocations) <= ALLOCATIONS_MAX:
        raise InvalidField("allocations", f"must hold 2..{ALLOCATIONS_MAX} allocations")
    if sum(a.amount_cents for a in allocations if type(a.amount_cents) is int) != row.amount_cents:
        raise Unprocessable(f"Allocations must add up to the transaction's {row.amount_cents} "
                            "cents exactly.", "allocations", "sum differs from amountCents")
    return _allocate(books, row_id, allocations, now, "split", "allocations")


def _allocate(books: CompanyBooks, row_id: str, allocations: Sequence[DocumentAllocation],
              now: dt.datetime, action: str, field: str) -> BankTransaction:
    row = _open_row(books, row_id, action, editable=True)
    wanted = DOCUMENT_BY_DIRECTION[row.direction]
    for index, allocation in enumerate(allocations):
        if allocation.document_type != wanted:
            where = f"{field}[{index}].documentType" if field else "documentType"
            raise Unprocessable(f"An {row.direction} can only be matched to a {wanted}.",
                                where, f"must be {wanted}")
    triples: list[Allocation] = [(a.document_type, a.document_id, a.amount_cents)
                                 for a in allocations]
    returned = [(m.document_type, m.document_id, m.amount_cents) for m in row.matches]
    check_allocations(books, triples, field or "match", returned=returned)
    control_id = control_account_id(books, "accounts_receivable" if wanted == "invoice"
                                    else "accounts_payable")
    # Guards done; from here nothing can fail.
    lines = [_category_line(row, control_id, cents) for _, _, cents in triples]
    updated = _rewrite(books, row, lines, now, status="matched", category_account_id=control_id,
                       matches=tuple(BankMatch(*t) for t in triples))
    apply_allocations(books, triples, -1)
    return updated


def reconcile(books: CompanyBooks, row_id: str, statement_date: dt.date | None,
              now: dt.datetime) -> BankTransaction:
    """Group into the Reconciliation of (bank account, statement date; default today)."""
    row = _open_row(books, row_id, "reconcile", editable=False)
    statement_date = statement_date or books.today(now)
    if statement_date < row.date:
        raise Unprocessable("statementDate is before the transaction's date.", "statementDate",
                            "before the transaction date")
    # Guards done; from here nothing can fail.
    found = next((r for r in books.reconciliations.values()
                  if r.bank_account_id == row.bank_account_id
                  and r.statement_date == statement_date), None)
    if found is None:
        found = Reconciliation(books.new_id("rec"), books.company.id, row.bank_account_id,
                               statement_date, 0, 0, now, seq=books.next_seq())
    books.reconciliations[found.id] = replace(
        found, transaction_count=found.transaction_count + 1,
        reconciled_cents=found.reconciled_cents + row.signed_cents)
    updated = replace(row, status="reconciled", reconciliation_id=found.id, reconciled_at=now,
                      updated_at=now)
    books.store_bank_transaction(updated)
    books.emit("bank_transaction.updated", updated, now)
    return updated


def exclude(books: CompanyBooks, row_id: str, now: dt.datetime) -> BankTransaction:
    """Take the transaction out of the books: its backing entry is voided."""
    row = _open_row(books, row_id, "exclude", editable=False)
    entry = books.entries[row.journal_entry_id or ""]
    rows = [books.bank_transactions[i] for i in books.btx_ids_by_entry.get(entry.id, [])]
    for sibling in rows:
        if sibling.status == "reconciled":
            raise InvalidState(row.id, f"tied to reconciled bank transaction {sibling.id}",
                               "exclude")
    # Guards done; from here nothing can fail.
    commit_void(books, entry, rows, now)
    return books.bank_transactions[row.id]
