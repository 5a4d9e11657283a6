"""Bills and invoices. Creating one posts its entry: a bill debits its expense account
and credits accounts payable; an invoice debits accounts receivable and credits its
income account. Payments and bank matches lower the open balance; voids restore it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from mock_server.ledger.entries import check_account_usable
from mock_server.ledger.errors import InvalidField, Unprocessable
from mock_server.ledger.inputs import DocumentInput, EntryInput, LineInput
from mock_server.ledger.money import parse_cents
from mock_server.ledger.records import Document, Source
from mock_server.ledger.requests import parse_text

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks

DOCUMENT_TYPES = ("invoice", "bill")
Allocation = tuple[str, str, int]       # (document_type, document_id, amount_cents)
ACCOUNT_TYPES_BY_DOCUMENT = {"bill": ("expense", "asset"), "invoice": ("income",)}


def control_account_id(books: CompanyBooks, subtype: str) -> str:
    """The company's first open accounts-receivable / accounts-payable account."""
    for account in books.accounts.values():
        if account.subtype == subtype and not account.archived:
            return account.id
    raise Unprocessable(f"The company has no {subtype.replace('_', ' ')} account; create one "
                        f"with subtype {subtype!r} first.")


def documents_of(books: CompanyBooks, document_type: str) -> dict:
    return books.bills if document_type == "bill" else books.invoices


def create_document(books: CompanyBooks, kind: str, data: DocumentInput, now: dt.datetime,
                    document_id: str | None = None) -> Document:
    total_cents = parse_cents(data.total_cents, "totalCents")
    parse_text(data.number, "number", 200)
    parse_text(data.contact_name, "contactName", 200)
    if data.due_date < data.date:
        raise InvalidField("dueDate", "must be on or after date")
    check_account_usable(data.account_id, books.accounts, "accountId")
    account = books.accounts[data.account_id]
    if account.type not in ACCOUNT_TYPES_BY_DOCUMENT[kind] or account.bank_account_id:
        raise Unprocessable(f"A {kind}'s account must be of type "
                            f"{' or '.join(ACCOUNT_TYPES_BY_DOCUMENT[kind])}, not bank-linked.",
                            "accountId",
                            "wrong account type")
    control_id = control_account_id(books, "accounts_payable" if kind == "bill"
                                    else "accounts_receivable")
    document_id = document_id or books.new_id(kind if kind == "bill" else "inv")
    if document_id in books.bills or document_id in books.invoices:
        raise Unprocessable(f"Id {document_id!r} is taken.", "id", "duplicate id")
    debit_id, credit_id = ((data.account_id, control_id) if kind == "bill"
                           else (control_id, data.account_id))
    entry_input = EntryInput(data.date, f"{kind.title()} {data.number} - {data.contact_name}", (
        LineInput(debit_id, debit_cents=total_cents), LineInput(credit_id, credit_cents=total_cents)),
        reference=data.number)
    # Guards done; from here nothing can fail.
    entry = books.new_entry(entry_input, Source(kind, document_id), now)
    books.commit_posted(entry, now)
    document = Document(document_id, books.company.id, data.number, data.contact_name,
                        data.date, data.due_date, total_cents, total_cents, data.account_id,
                        entry.id, now, books.next_seq(), kind)
    documents_of(books, kind)[document_id] = document
    return document


def check_allocations(books: CompanyBooks, allocations: Sequence[Allocation],
                      field: str = "allocations", id_field: str = "documentId",
                      returned: Sequence[Allocation] = ()) -> None:
    """Each document exists and the sum allocated to it is <= its open balance (422).

    `returned` are allocations the same write gives back first (a re-match).
    """
    wanted: dict[tuple[str, str], int] = {}
    for document_type, document_id, amount_cents in returned:
        key = (document_type, document_id)
        wanted[key] = wanted.get(key, 0) - amount_cents
    for index, (document_type, document_id, amount_cents) in enumerate(allocations):
        parse_cents(amount_cents, f"{field}[{index}].amountCents")
        if document_type not in DOCUMENT_TYPES:
            raise InvalidField(f"{field}[{index}].documentType", "must be invoice or bill")
        document = documents_of(books, document_type).get(document_id)
        if document is None:
            raise Unprocessable(f"No {document_type} {document_id!r} in this company.",
                                f"{field}[{index}].{id_field}", f"unknown {document_type}")
        key = (document_type, document_id)
        wanted[key] = wanted.get(key, 0) + amount_cents
        if wanted[key] > document.open_balance_cents:
            raise Unprocessable(
                f"{document_type.title()} {document_id!r} has {document.open_balance_cents} cents "
                f"open; allocate no more than that.", f"{field}[{index}].amountCents",
                "exceeds open balance")


def apply_allocations(books: CompanyBooks, allocations: Sequence[Allocation], sign: int) -> None:
    """Lower (sign -1) or restore (sign +1) open balances. Checked before; asserts bounds."""
    for document_type, document_id, amount_cents in allocations:
        table = documents_of(books, document_type)
        document = table[document_id]
        open_cents = document.open_balance_cents + sign * amount_cents
        assert 0 <= open_cents <= document.total_cents, (document_id, open_cents)
        table[document_id] = replace(document, open_balance_cents=open_cents)
