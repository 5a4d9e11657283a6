"""Posting resources (R3): each makes one posted, balanced entry. A bank-linked account
among its lines also gets a bank transaction (sourceType "posting"), listed in the receipt.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from mock_server.ledger.documents import apply_allocations, check_allocations, control_account_id
from mock_server.ledger.entries import check_account_usable, check_entry_input, check_postable
from mock_server.ledger.errors import InvalidField, Unprocessable
from mock_server.ledger import requests
from mock_server.ledger.inputs import (
    BillPaymentInput, CategorizedInput, EntryInput, LineInput, TransferInput,
)
from mock_server.ledger.money import parse_cents
from mock_server.ledger.records import BALANCE_SHEET_TYPES, PostingReceipt, Source
from mock_server.ledger.requests import ALLOCATIONS_MAX, NAME_CHARS_MAX, parse_text

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks


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


@dataclass(frozen=True, slots=True)
class CategorizedSide:
    """How a purchase or a deposit moves money between its account and its category."""

    kind: str                   # purchase | deposit
    account_field: str          # the JSON field naming the balance-sheet account
    account_debited: bool       # deposit: the account is debited; purchase: credited
    description_default: str


PURCHASE = CategorizedSide("purchase", "sourceAccountId", False, "Purchase")
DEPOSIT = CategorizedSide("deposit", "destinationAccountId", True, "Deposit")


def post_categorized(side: CategorizedSide, books: CompanyBooks, data: CategorizedInput,
                     now: dt.datetime) -> PostingReceipt:
    """Purchase: debit the category, credit the source. Deposit: debit the destination,
    credit the category. The account must be a balance-sheet account."""
    amount = parse_cents(data.amount_cents, "amountCents")
    description, reference = _texts(data.description, data.reference,
                                    data.contact_name or side.description_default)
    _balance_sheet_account(books, data.account_id, side.account_field)
    check_account_usable(data.category_account_id, books.accounts, "categoryAccountId")
    debit_id, credit_id = ((data.account_id, data.category_account_id) if side.account_debited
                           else (data.category_account_id, data.account_id))
    lines = (LineInput(debit_id, debit_cents=amount), LineInput(credit_id, credit_cents=amount))
    entry = EntryInput(data.date, description, lines, reference)
    return _commit(books, side.kind, entry, now, data.contact_name)[0]


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


@dataclass(frozen=True, slots=True)
class PostingKind:
    """One posting resource (R3). `name` is at once its idempotency route (R2), its
    receipt's `type` and its entry's `source.type`."""

    name: str                   # bill_payment
    segment: str                # bill-payments: the last segment of both route forms
    parse: Callable[[object], object]                                   # JSON -> input
    post: Callable[[CompanyBooks, object, dt.datetime], PostingReceipt]  # input -> receipt

    @property
    def receipt_type(self) -> str:
        return self.name

    @property
    def source_type(self) -> str:
        return self.name


# The posting kinds, declared once: the ledger, the handlers (api/postings.py: the legacy
# `create_<name>` and company-path `create_company_<name>` operations) and the tests read it.
POSTING_KINDS: tuple[PostingKind, ...] = (
    PostingKind("purchase", "purchases", requests.purchase_from_json, partial(post_categorized, PURCHASE)),
    PostingKind("deposit", "deposits", requests.deposit_from_json, partial(post_categorized, DEPOSIT)),
    PostingKind("transfer", "transfers", requests.transfer_from_json, post_transfer),
    PostingKind("bill_payment", "bill-payments", requests.bill_payment_from_json, post_bill_payment),
    PostingKind("journal_entry", "journal-entries", requests.entry_from_json, post_journal_entry),
)
POSTING_KIND_BY_NAME: dict[str, PostingKind] = {kind.name: kind for kind in POSTING_KINDS}
