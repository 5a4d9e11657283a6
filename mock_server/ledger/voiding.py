"""Voiding a posted entry: it leaves every report, its bank rows leave the register
(status excluded) and the documents it paid or matched get their open balance back.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from mock_server.ledger.documents import Allocation, apply_allocations
from mock_server.ledger.entries import check_can_void
from mock_server.ledger.errors import InvalidState
from mock_server.ledger.records import BankTransaction, EntryStatus, JournalEntry

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks


def void_entry(books: CompanyBooks, entry_id: str, now: dt.datetime) -> JournalEntry:
    entry = books.get_entry(entry_id)
    check_can_void(entry)
    if entry.source.type in ("bill", "invoice"):
        raise InvalidState(entry.id, f"the entry of {entry.source.type} {entry.source.id}",
                           "void", "Bills and invoices stay on the books.")
    rows = [books.bank_transactions[i] for i in books.btx_ids_by_entry.get(entry.id, [])]
    for row in rows:
        if row.status == "reconciled":
            raise InvalidState(entry.id, f"backing reconciled bank transaction {row.id}", "void")
    # Guards done; from here nothing can fail.
    return commit_void(books, entry, rows, now)


def commit_void(books: CompanyBooks, entry: JournalEntry, rows: list[BankTransaction],
                now: dt.datetime) -> JournalEntry:
    allocations: list[Allocation] = [("bill", bill_id, cents) for bill_id, cents
                                     in books.payment_allocations.pop(entry.id, ())]
    allocations += [(m.document_type, m.document_id, m.amount_cents)
                    for row in rows for m in row.matches]
    apply_allocations(books, allocations, +1)
    books.balances.remove_entry(entry)
    voided = replace(entry, status=EntryStatus.VOIDED, voided_at=now, updated_at=now)
    books.store_entry(voided)
    books.emit("journal_entry.voided", voided, now)
    for row in rows:
        excluded = replace(row, status="excluded", excluded_at=now, updated_at=now, matches=())
        books.store_bank_transaction(excluded)
        books.emit("bank_transaction.updated", excluded, now)
    return voided
