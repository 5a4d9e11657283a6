"""The change behind each webhook event type, made on demand (the sandbox's trigger control,
like `stripe trigger`): a posting, a void, a synced bank row, a reclassified row.

Each change finds what it needs first (an expense and an equity account, a bank account)
and raises Unprocessable before anything is written; from there it cannot fail. Its events
are the books' own (`books.drain_events()`), as any other write's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import datetime as dt
from typing import TYPE_CHECKING

from mock_server.ledger.errors import Unprocessable
from mock_server.ledger.inputs import EntryInput, FeedRow, LineInput, ReclassifyInput

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks

ENTRY_AMOUNT_CENTS = 1000
FEED_ROW_AMOUNT_CENTS = 1250
DESCRIPTION = "Sandbox trigger"


@dataclass(frozen=True, slots=True)
class Triggered:
    journal_entry_ids: tuple[str, ...] = ()
    bank_transaction_ids: tuple[str, ...] = ()


def first_account_id(books: CompanyBooks, account_type: str, event_type: str) -> str:
    for account in books.list_accounts():
        if account.type == account_type and not account.archived and not account.is_bank_account:
            return account.id
    raise Unprocessable(f"Company {books.company.id!r} has no active {account_type} account, which "
                        f"{event_type} needs: create one first.", "type", f"no {account_type} account")


def first_bank_account_id(books: CompanyBooks, event_type: str) -> str:
    bank_accounts = books.list_bank_accounts()
    if not bank_accounts:
        raise Unprocessable(f"Company {books.company.id!r} has no bank account, which {event_type} "
                            "needs: create one first.", "type", "no bank account")
    return bank_accounts[0].id


def post_entry(books: CompanyBooks, now: dt.datetime, event_type: str) -> str:
    expense_id = first_account_id(books, "expense", event_type)
    equity_id = first_account_id(books, "equity", event_type)
    lines = (LineInput(expense_id, debit_cents=ENTRY_AMOUNT_CENTS),
             LineInput(equity_id, credit_cents=ENTRY_AMOUNT_CENTS))
    data = EntryInput(books.today(now), f"{DESCRIPTION}: {event_type}", lines)
    return books.post("journal_entry", data, now).journal_entry_id


def entry_posted(books: CompanyBooks, now: dt.datetime) -> Triggered:
    return Triggered((post_entry(books, now, "journal_entry.posted"),))


def entry_voided(books: CompanyBooks, now: dt.datetime) -> Triggered:
    entry_id = post_entry(books, now, "journal_entry.voided")
    books.void_entry(entry_id, now)
    return Triggered((entry_id,))


def sync_row(books: CompanyBooks, now: dt.datetime, event_type: str):
    bank_account_id = first_bank_account_id(books, event_type)
    row = FeedRow(books.today(now), FEED_ROW_AMOUNT_CENTS, "outflow", f"{DESCRIPTION}: {event_type}",
                  "LedgerHQ Sandbox")
    return books.record_feed_rows(bank_account_id, [row], now)[0]


def row_created(books: CompanyBooks, now: dt.datetime) -> Triggered:
    row = sync_row(books, now, "bank_transaction.created")
    return Triggered((row.journal_entry_id,), (row.id,))


def row_updated(books: CompanyBooks, now: dt.datetime) -> Triggered:
    expense_id = first_account_id(books, "expense", "bank_transaction.updated")
    row = sync_row(books, now, "bank_transaction.updated")
    books.reclassify(row.id, ReclassifyInput(expense_id, reason=DESCRIPTION), now)
    return Triggered((row.journal_entry_id,), (row.id,))


def nothing(books: CompanyBooks, now: dt.datetime) -> Triggered:
    """webhook.test: no change in the books (the service sends the test event)."""
    return Triggered()


CHANGE_BY_EVENT_TYPE: dict[str, Callable[[CompanyBooks, dt.datetime], Triggered]] = {
    "journal_entry.posted": entry_posted,
    "journal_entry.voided": entry_voided,
    "bank_transaction.created": row_created,
    "bank_transaction.updated": row_updated,
    "webhook.test": nothing,
}


def make_change(books: CompanyBooks, event_type: str, now: dt.datetime) -> Triggered:
    return CHANGE_BY_EVENT_TYPE[event_type](books, now)
