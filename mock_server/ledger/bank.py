"""Bank accounts, feeds and the bank register (R7).

Every bank transaction that is not excluded is backed by a posted entry with one line
on the bank's GL account and the "editable" line(s) on its category.

Feed rows (`record_feed_rows`) land in suspense by this rule: an inflow is credited to
the company's uncategorized income account (type income, subtype suspense), an outflow is
debited to its uncategorized expense account (type expense, subtype suspense); either is
created on first use. Inflow means money into the account: a debit on its GL account.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mock_server.ledger.entries import check_account_usable, lines_net_by_account
from mock_server.ledger.errors import InvalidField, Unprocessable
from mock_server.ledger.inputs import AccountInput, BankAccountInput, EntryInput, FeedRow, LineInput
from mock_server.ledger.money import parse_cents
from mock_server.ledger.records import (
    BankAccount, BankFeed, BankTransaction, FeedError, JournalEntry, Source,
)
from mock_server.ledger.requests import NAME_CHARS_MAX, parse_text

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks

BANK_ACCOUNT_TYPES = {"checking": ("asset", "bank"), "savings": ("asset", "bank"),
                      "credit_card": ("liability", "credit_card")}
SUSPENSE = {"inflow": ("income", "Uncategorized Income", 4900),
            "outflow": ("expense", "Uncategorized Expense", 6900)}
FEED_ROWS_MAX = 500


def add_register_rows(books: CompanyBooks, entry: JournalEntry, now: dt.datetime,
                      merchant_name: str | None) -> list[str]:
    """One bank transaction per bank-linked account the posted entry moves (write only)."""
    net_by_account = lines_net_by_account(entry.lines)
    made: list[str] = []
    for account_id, net_cents in net_by_account.items():
        bank_account_id = books.accounts[account_id].bank_account_id
        if bank_account_id is None or net_cents == 0:
            continue
        others = [other for other in net_by_account if other != account_id]
        row = BankTransaction(
            books.new_id("btx"), books.company.id, bank_account_id, entry.date, abs(net_cents),
            "inflow" if net_cents > 0 else "outflow", entry.description, merchant_name,
            "posting", "categorized", others[0] if len(others) == 1 else None, entry.id, (),
            now, now, seq=books.next_seq())
        store_row(books, row, now)
        made.append(row.id)
    return made


def store_row(books: CompanyBooks, row: BankTransaction, now: dt.datetime) -> None:
    books.store_bank_transaction(row)
    books.btx_ids_by_entry.setdefault(row.journal_entry_id or "", []).append(row.id)
    books.emit("bank_transaction.created", row, now)


def _free_code(books: CompanyBooks, start: int) -> str:
    taken = {account.code for account in books.accounts.values()}
    code = start
    while str(code) in taken:
        code += 1
    return str(code)


def create_bank_account(books: CompanyBooks, data: BankAccountInput, now: dt.datetime,
                        bank_account_id: str | None = None,
                        feed_id: str | None = None) -> BankAccount:
    if data.type not in BANK_ACCOUNT_TYPES:
        raise InvalidField("type", "must be checking, savings or credit_card")
    name = parse_text(data.name, "name", NAME_CHARS_MAX)
    mask = None if data.mask is None else parse_text(data.mask, "mask", 8)
    institution = (None if data.institution_name is None
                   else parse_text(data.institution_name, "institutionName", NAME_CHARS_MAX))
    account_type, subtype = BANK_ACCOUNT_TYPES[data.type]
    if data.account_id is not None:
        account = check_account_usable(data.account_id, books.accounts, "accountId")
        if account.type != account_type or account.bank_account_id is not None:
            raise Unprocessable(f"accountId must name an unlinked {account_type} account for a "
                                f"{data.type} bank account.", "accountId", "cannot link")
        if account.id in books.used_account_ids:     # its balance would be outside the register (R3)
            raise Unprocessable("accountId must name an account without journal lines: a bank account's "
                                "balance is its register's.", "accountId", "has activity")
    if feed_id is not None:
        books.get_feed(feed_id)
    # Guards done; from here nothing can fail.
    bank_account_id = bank_account_id or books.new_id("ba")
    account_id = data.account_id or books.create_account(AccountInput(
        _free_code(books, 1000 if account_type == "asset" else 2000), name, account_type,
        subtype), now).id
    books.accounts[account_id] = replace(books.accounts[account_id],
                                         bank_account_id=bank_account_id, updated_at=now)
    bank_account = BankAccount(bank_account_id, books.company.id, account_id, name, data.type,
                               mask, institution, feed_id, now, books.next_seq())
    books.bank_accounts[bank_account_id] = bank_account
    if feed_id is not None:
        feed = books.feeds[feed_id]
        books.feeds[feed_id] = replace(feed, bank_account_ids=(*feed.bank_account_ids,
                                                               bank_account_id))
    return bank_account


def create_feed(books: CompanyBooks, institution_name: str, now: dt.datetime,
                feed_id: str | None = None, status: str = "healthy",
                last_synced_at: dt.datetime | None = None) -> BankFeed:
    feed = BankFeed(feed_id or books.new_id("feed"), books.company.id, institution_name, status,
                    last_synced_at, (), None, seq=books.next_seq())
    books.feeds[feed.id] = feed
    return feed


def fail_feed(books: CompanyBooks, feed_id: str, now: dt.datetime, code: str = "ITEM_LOGIN_REQUIRED",
              message: str = "The institution needs the user to sign in again.",
              status: str | None = None) -> BankFeed:
    """Status `status` (login_required | error; default from `code`) until the next sync."""
    feed = books.get_feed(feed_id)
    status = status or ("login_required" if code == "ITEM_LOGIN_REQUIRED" else "error")
    failed = replace(feed, status=status, last_error=FeedError(code, message))
    books.feeds[feed_id] = failed
    return failed


def _check_rows(rows: Sequence[FeedRow]) -> None:
    if not 1 <= len(rows) <= FEED_ROWS_MAX:
        raise InvalidField("rows", f"must hold 1..{FEED_ROWS_MAX} rows")
    for index, row in enumerate(rows):
        parse_cents(row.amount_cents, f"rows[{index}].amountCents")
        if row.direction not in SUSPENSE:
            raise InvalidField(f"rows[{index}].direction", "must be inflow or outflow")
        if not isinstance(row.date, dt.date):
            raise InvalidField(f"rows[{index}].date", "must be a calendar date")
        parse_text(row.description, f"rows[{index}].description", allow_empty=True)


def suspense_account_id(books: CompanyBooks, direction: str, now: dt.datetime) -> str:
    account_type, name, code = SUSPENSE[direction]
    for account in books.accounts.values():
        if account.type == account_type and account.subtype == "suspense" and not account.archived:
            return account.id
    return books.create_account(AccountInput(_free_code(books, code), name, account_type,
                                             "suspense"), now).id


def record_feed_rows(books: CompanyBooks, bank_account_id: str, rows: Sequence[FeedRow],
                     now: dt.datetime, row_ids: Sequence[str] | None = None) -> list[BankTransaction]:
    """Rows from the (simulated) Plaid feed: unreviewed transactions backed by suspense entries."""
    bank_account = books.get_bank_account(bank_account_id)
    _check_rows(rows)
    assert row_ids is None or len(row_ids) == len(rows)
    # Guards done; from here nothing can fail.
    made = [_record_row(books, bank_account, row, now, row_ids[n] if row_ids else None)
            for n, row in enumerate(rows)]
    if bank_account.feed_id is not None:
        feed = books.feeds[bank_account.feed_id]
        books.feeds[feed.id] = replace(feed, status="healthy", last_synced_at=now, last_error=None)
    return made


def _record_row(books: CompanyBooks, bank_account: BankAccount, row: FeedRow,
                now: dt.datetime, row_id: str | None) -> BankTransaction:
    row_id = row_id or books.new_id("btx")
    suspense_id = suspense_account_id(books, row.direction, now)
    bank_line = LineInput(bank_account.account_id, debit_cents=row.amount_cents)
    category_line = LineInput(suspense_id, credit_cents=row.amount_cents)
    if row.direction == "outflow":
        bank_line = LineInput(bank_account.account_id, credit_cents=row.amount_cents)
        category_line = LineInput(suspense_id, debit_cents=row.amount_cents)
    entry = books.new_entry(EntryInput(row.date, row.description, (bank_line, category_line)),
                            Source("bank_feed", row_id), now)
    books.commit_posted(entry, now)
    transaction = BankTransaction(
        row_id, books.company.id, bank_account.id, row.date, row.amount_cents, row.direction,
        row.description, row.merchant_name, "plaid_bank_feed", "unreviewed", suspense_id,
        entry.id, (), now, now, seq=books.next_seq())
    store_row(books, transaction, now)
    return transaction


@dataclass(frozen=True, slots=True)
class FeedAccountHealth:
    bank_account_id: str
    status: str
    last_transaction_date: dt.date | None
    transaction_count: int


@dataclass(frozen=True, slots=True)
class FeedHealth:
    feed_id: str
    status: str
    last_synced_at: dt.datetime | None
    last_error: FeedError | None
    accounts: tuple[FeedAccountHealth, ...]


def feed_health(books: CompanyBooks) -> list[FeedHealth]:
    report = []
    for feed in books.feeds.values():
        accounts = []
        for bank_account_id in feed.bank_account_ids:
            rows = [t for t in books.bank_transactions.values()
                    if t.bank_account_id == bank_account_id and t.source_type == "plaid_bank_feed"]
            accounts.append(FeedAccountHealth(bank_account_id, feed.status,
                                              max((t.date for t in rows), default=None), len(rows)))
        report.append(FeedHealth(feed.id, feed.status, feed.last_synced_at, feed.last_error,
                                 tuple(accounts)))
    return report
