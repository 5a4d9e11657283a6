"""Posting resources (R3): each makes one posted, balanced entry. A bank-linked account
among its lines also gets a bank transaction (sourceType "posting"), listed in the receipt.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from mock_server.ledger.documents import apply_allocations, check_allocations, control_account_id
from mock_server.ledger.entries import check_account_usable, check_entry_input, check_postable
from mock_server.ledger.errors import InvalidField, Unprocessable
from mock_server.ledger.inputs import (
    BillPaymentInput, DepositInput, EntryInput, LineInput, PurchaseInput, TransferInput,
)
from mock_server.ledger.money import parse_cents
from mock_server.ledger.records import BALANCE_SHEET_TYPES, PostingReceipt, Source
from mock_server.ledger.requests import ALLOCATIONS_MAX, NAME_CHARS_MAX, parse_text

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks

POSTING_KINDS = ("purchase", "deposit", "transfer", "bill_payment", "journal_entry")


def _balance_sheet_account(books: CompanyBooks, account_id: str, field: str) -> None:
    account = check_account_usable(account_id, books.accounts, field)
    if account.type not in BALANCE_SHEET_TYPES:
        raise Unprocessable(f"{field} must name a balance-sheet account (asset, liability or "
                            f"equity); {account_id!r} is {account.type}.", field,
                            "not a balance-sheet account")


def _texts(description: str | None, reference: str | None, default: str) -> tuple[str, str | None]:
    if reference is not None:
        parse_text(reference, "reference", NAME_CHARS_MAX)
    if description is None:
        return default, reference
    return parse_text(description, "description", allow_empty=True), reference


def _commit(books: CompanyBooks, kind: str, data: EntryInput, now: dt.datetime,
            merchant_name: str | None = None) -> tuple[PostingReceipt, str]:
    check_postable(data.lines)
    # Guards done; from here nothing can fail.
    entry = books.new_entry(data, Source(kind), now)
    bank_transaction_ids = books.commit_posted(entry, now, merchant_name)
    return PostingReceipt(entry.id, tuple(bank_transaction_ids), now, kind), entry.id


def post_purchase(books: CompanyBooks, data: PurchaseInput, now: dt.datetime) -> PostingReceipt:
    """Debit the category, credit the source."""
    amount = parse_cents(data.amount_cents, "amountCents")
    description, reference = _texts(data.description, data.reference,
                                    data.contact_name or "Purchase")
    _balance_sheet_account(books, data.source_account_id, "sourceAccountId")
    check_account_usable(data.category_account_id, books.accounts, "categoryAccountId")
    lines = (LineInput(data.category_account_id, debit_cents=amount),
             LineInput(data.source_account_id, credit_cents=amount))
    entry = EntryInput(data.date, description, lines, reference)
    return _commit(books, "purchase", entry, now, data.contact_name)[0]


def post_deposit(books: CompanyBooks, data: DepositInput, now: dt.datetime) -> PostingReceipt:
    """Debit the destination, credit the category."""
    amount = parse_cents(data.amount_cents, "amountCents")
    description, reference = _texts(data.description, data.reference,
                                    data.contact_name or "Deposit")
    _balance_sheet_account(books, data.destination_account_id, "destinationAccountId")
    check_account_usable(data.category_account_id, books.accounts, "categoryAccountId")
    lines = (LineInput(data.destination_account_id, debit_cents=amount),
             LineInput(data.category_account_id, credit_cents=amount))
    entry = EntryInput(data.date, description, lines, reference)
    return _commit(books, "deposit", entry, now, data.contact_name)[0]


def post_transfer(books: CompanyBooks, data: TransferInput, now: dt.datetime) -> PostingReceipt:
    """Debit `to`, credit `from`; both balance-sheet accounts and different (422)."""
    amount = parse_cents(data.amount_cents, "amountCents")
    description, reference = _texts(data.description, data.reference, "Transfer")
    _balance_sheet_account(books, data.from_account_id, "fromAccountId")
    _balance_sheet_account(books, data.to_account_id, "toAccountId")
    if data.from_account_id == data.to_account_id:
        raise Unprocessable("A transfer needs two different accounts.", "toAccountId",
                            "same as fromAccountId")
    lines = (LineInput(data.to_account_id, debit_cents=amount),
             LineInput(data.from_account_id, credit_cents=amount))
    return _commit(books, "transfer", EntryInput(data.date, description, lines, reference), now)[0]


def post_bill_payment(books: CompanyBooks, data: BillPaymentInput,
                      now: dt.datetime) -> PostingReceipt:
    """Debit accounts payable, credit the source; allocations sum exactly, each <= open."""
    amount = parse_cents(data.amount_cents, "amountCents")
    description, reference = _texts(data.description, data.reference, "Bill payment")
    if not 1 <= len(data.allocations) <= ALLOCATIONS_MAX:
        raise InvalidField("allocations", f"must hold 1..{ALLOCATIONS_MAX} allocations")
    allocations = [("bill", a.bill_id, parse_cents(a.amount_cents, f"allocations[{n}].amountCents"))
                   for n, a in enumerate(data.allocations)]
    if sum(cents for _, _, cents in allocations) != amount:
        raise Unprocessable("Allocations must add up to amountCents exactly.", "allocations",
                            "sum differs from amountCents")
    check_allocations(books, allocations, id_field="billId")
    _balance_sheet_account(books, data.source_account_id, "sourceAccountId")
    payable_id = control_account_id(books, "accounts_payable")
    lines = (LineInput(payable_id, debit_cents=amount),
             LineInput(data.source_account_id, credit_cents=amount))
    entry = EntryInput(data.date, description, lines, reference)
    receipt, entry_id = _commit(books, "bill_payment", entry, now)
    apply_allocations(books, allocations, -1)
    books.payment_allocations[entry_id] = tuple((bill_id, c) for _, bill_id, c in allocations)
    return receipt


def post_journal_entry(books: CompanyBooks, data: EntryInput, now: dt.datetime) -> PostingReceipt:
    """A posted entry from lines; it must balance (422 UNBALANCED_ENTRY)."""
    check_entry_input(data, books.accounts)
    return _commit(books, "journal_entry", data, now)[0]


POSTING_FUNCTIONS = {
    "purchase": post_purchase, "deposit": post_deposit, "transfer": post_transfer,
    "bill_payment": post_bill_payment, "journal_entry": post_journal_entry,
}
