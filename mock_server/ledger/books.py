"""CompanyBooks: one company's books, the store every operation goes through.

Every write method runs all its guards first and writes last, so a refused request
leaves no trace (R9). Invariants are asserted where they are made: an entry that does
not balance is never posted. Actions live in small modules (accounts, entries,
postings, documents, bank, reports); this class keeps the state and the primitive
writes they share.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TypeVar
from zoneinfo import ZoneInfo

from mock_server.ledger import accounts as account_rules
from mock_server.ledger import entries as entry_rules
from mock_server.ledger import voiding
from mock_server.ledger.bank import add_register_rows
from mock_server.ledger.balances import BalanceIndex
from mock_server.ledger.books_api import BooksApi
from mock_server.ledger.creation_order import CreationOrder
from mock_server.ledger.errors import AccountInUse, NotFound
from mock_server.ledger.ids import IdMaker, RandomIds
from mock_server.ledger.journal_lines import JournalLinesView
from mock_server.ledger.inputs import AccountInput, AccountPatch, EntryInput, LineInput
from mock_server.ledger.records import (
    Account, BankAccount, BankFeed, BankTransaction, Company, CompanyJournalLine,
    Document, DomainEvent, EntryStatus, JournalEntry, JournalLine, Reconciliation, Source,
)

T = TypeVar("T")
VALUES_SHARED_MAX = 100_000


class CompanyBooks(BooksApi):
    def __init__(self, company: Company, ids: IdMaker | None = None) -> None:
        self.company = company
        self.ids: IdMaker = ids or RandomIds()
        self.seqs: Iterator[int] = itertools.count(1)   # creation order of this company's records (R6)
        self.accounts: dict[str, Account] = {}
        self.entries: dict[str, JournalEntry] = {}
        self.bills: dict[str, Document] = {}
        self.invoices: dict[str, Document] = {}
        self.bank_accounts: dict[str, BankAccount] = {}
        self.bank_transactions: dict[str, BankTransaction] = {}
        self.feeds: dict[str, BankFeed] = {}
        self.reconciliations: dict[str, Reconciliation] = {}
        self.balances = BalanceIndex()
        self.used_account_ids: set[str] = set()       # referenced by any entry line, ever
        self.btx_ids_by_entry: dict[str, list[str]] = {}
        self.payment_allocations: dict[str, tuple[tuple[str, int], ...]] = {}
        self.values_shared: dict = {}                 # equal dates and sources, one object each
        self._events: list[DomainEvent] = []
        self._journal_lines: JournalLinesView | None = None   # cache, dropped on any entry write
        self._entry_order: CreationOrder[JournalEntry] | None = None          # caches, kept in step
        self._transaction_order: CreationOrder[BankTransaction] | None = None

    # -- primitives shared by the action modules ------------------------------------------
    def next_seq(self) -> int:
        return next(self.seqs)

    def new_id(self, prefix: str) -> str:
        new = self.ids(prefix)
        assert new not in self.entries and new not in self.bank_transactions, new
        return new

    def emit(self, kind: str, data: JournalEntry | BankTransaction, now: dt.datetime) -> None:
        self._events.append(DomainEvent(kind, self.company.id, data, now))

    def drain_events(self) -> list[DomainEvent]:
        """Events since the last drain, in order; the HTTP layer sends them after the commit."""
        events, self._events = self._events, []
        return events

    def make_lines(self, lines: Sequence[LineInput]) -> tuple[JournalLine, ...]:
        return tuple(JournalLine(self.new_id("jl"), line.account_id, line.debit_cents,
                                 line.credit_cents, line.description, self.next_seq())
                     for line in lines)

    def new_entry(self, data: EntryInput, source: Source, now: dt.datetime,
                  entry_id: str | None = None) -> JournalEntry:
        """A draft record (not stored)."""
        return JournalEntry(entry_id or self.new_id("je"), self.company.id, self.shared(data.date),
                            data.description, data.reference, EntryStatus.DRAFT,
                            self.make_lines(data.lines), self.shared(source), now, now,
                            seq=self.next_seq())

    def shared(self, value: T) -> T:
        """One object per distinct date or source, however many entries carry it."""
        if len(self.values_shared) >= VALUES_SHARED_MAX:
            self.values_shared.clear()
        return self.values_shared.setdefault(value, value)

    def store_entry(self, entry: JournalEntry) -> None:
        if self._entry_order is not None:
            self._entry_order.put(entry, replacing=entry.id in self.entries)
        self.entries[entry.id] = entry
        self._journal_lines = None
        self.used_account_ids.update(entry.lines.accounts)

    def commit_posted(self, draft: JournalEntry, now: dt.datetime,
                      merchant_name: str | None = None) -> list[str]:
        """Post a checked draft: store, index, event, bank-register rows. Cannot fail."""
        entry = replace(draft, status=EntryStatus.POSTED, posted_at=now, updated_at=now)
        assert entry.is_balanced, f"unbalanced entry {entry.id} reached posting"
        assert len(set(entry.lines.accounts)) >= 2, entry.id
        self.store_entry(entry)
        self.balances.add_entry(entry)
        self.emit("journal_entry.posted", entry, now)
        if entry.source.type == "bank_feed":
            return []
        return add_register_rows(self, entry, now, merchant_name)

    def replace_lines(self, entry: JournalEntry, lines: tuple[JournalLine, ...],
                      now: dt.datetime) -> JournalEntry:
        """Swap a posted entry's lines (bank actions' editable line), keeping the index true."""
        assert entry.status is EntryStatus.POSTED
        updated = replace(entry, lines=lines, updated_at=now)
        assert updated.is_balanced, entry.id
        self.balances.remove_entry(entry)
        self.store_entry(updated)
        self.balances.add_entry(updated)
        return updated

    # -- reads ------------------------------------------------------------------------------
    def today(self, now: dt.datetime) -> dt.date:
        """`now` as a calendar date in the company's time zone (R9)."""
        return now.astimezone(ZoneInfo(self.company.timezone)).date()

    def get_account(self, account_id: str) -> Account:
        return _get(self.accounts, account_id, "account")

    def list_accounts(self) -> list[Account]:
        return list(self.accounts.values())

    def account_balance_cents(self, account_id: str, as_of: dt.date | None = None) -> int:
        """Signed in the account's normal direction (debit-normal: debits - credits)."""
        account = self.get_account(account_id)
        net = self.balances.net_debit_through(account.id, as_of or dt.date.max)
        return net if account.normal_balance == "debit" else -net

    def get_entry(self, entry_id: str) -> JournalEntry:
        return _get(self.entries, entry_id, "journal entry")

    def store_bank_transaction(self, row: BankTransaction) -> None:
        if self._transaction_order is not None:
            self._transaction_order.put(row, replacing=row.id in self.bank_transactions)
        self.bank_transactions[row.id] = row

    def list_entries(self) -> Sequence[JournalEntry]:
        """Every entry in creation order (read-only; kept in step with each entry written)."""
        if self._entry_order is None:
            self._entry_order = CreationOrder(self.entries.values())
        return self._entry_order.view()

    def list_journal_lines(self) -> Sequence[CompanyJournalLine]:
        """Every line in creation order; built once per state of the entries (read-only)."""
        if self._journal_lines is None:
            self._journal_lines = JournalLinesView(self.entries.values())
        return self._journal_lines

    def get_bill(self, bill_id: str) -> Document:
        return _get(self.bills, bill_id, "bill")

    def list_bills(self) -> list[Document]:
        return list(self.bills.values())

    def get_invoice(self, invoice_id: str) -> Document:
        return _get(self.invoices, invoice_id, "invoice")

    def list_invoices(self) -> list[Document]:
        return list(self.invoices.values())

    def get_bank_account(self, bank_account_id: str) -> BankAccount:
        return _get(self.bank_accounts, bank_account_id, "bank account")

    def list_bank_accounts(self) -> list[BankAccount]:
        return list(self.bank_accounts.values())

    def bank_account_balance_cents(self, bank_account_id: str) -> int:
        return self.account_balance_cents(self.get_bank_account(bank_account_id).account_id)

    def get_bank_transaction(self, bank_transaction_id: str) -> BankTransaction:
        return _get(self.bank_transactions, bank_transaction_id, "bank transaction")

    def list_bank_transactions(self, bank_account_id: str | None = None) -> Sequence[BankTransaction]:
        if bank_account_id is None:
            if self._transaction_order is None:
                self._transaction_order = CreationOrder(self.bank_transactions.values())
            return self._transaction_order.view()
        self.get_bank_account(bank_account_id)
        return [t for t in self.bank_transactions.values() if t.bank_account_id == bank_account_id]

    def get_feed(self, feed_id: str) -> BankFeed:
        return _get(self.feeds, feed_id, "bank feed")

    def list_feeds(self) -> list[BankFeed]:
        return list(self.feeds.values())

    def get_reconciliation(self, reconciliation_id: str) -> Reconciliation:
        return _get(self.reconciliations, reconciliation_id, "reconciliation")

    def list_reconciliations(self) -> list[Reconciliation]:
        return list(self.reconciliations.values())

    # -- accounts ----------------------------------------------------------------------------
    def create_account(self, data: AccountInput, now: dt.datetime,
                       account_id: str | None = None) -> Account:
        account = account_rules.new_account(data, self.accounts, account_id or self.new_id("acc"),
                                            self.company.id, now, self.next_seq())
        assert account.id not in self.accounts, account.id
        self.accounts[account.id] = account
        return account

    def update_account(self, account_id: str, patch: AccountPatch, now: dt.datetime) -> Account:
        account = self.get_account(account_id)
        updated = account_rules.patched_account(account, patch, self.accounts,
                                                self.has_activity(account_id), now)
        self.accounts[account_id] = updated
        return updated

    def has_activity(self, account_id: str) -> bool:
        account = self.get_account(account_id)
        return account_id in self.used_account_ids or account.bank_account_id is not None

    def delete_account(self, account_id: str) -> None:
        if self.has_activity(account_id):
            raise AccountInUse(account_id, "delete")
        del self.accounts[account_id]

    # -- entries -----------------------------------------------------------------------------
    def create_draft(self, data: EntryInput, now: dt.datetime, source: Source | None = None,
                     entry_id: str | None = None) -> JournalEntry:
        """A draft (may be unbalanced). Lines: 2..500, one positive side each, known accounts."""
        entry_rules.check_entry_input(data, self.accounts)
        entry = self.new_entry(data, source or Source("manual"), now, entry_id)
        self.store_entry(entry)
        return entry

    def post_entry(self, entry_id: str, now: dt.datetime) -> JournalEntry:
        entry = self.get_entry(entry_id)
        entry_rules.check_can_post(entry)
        entry_rules.check_accounts_usable([line.account_id for line in entry.lines],
                                          self.accounts, "lines")
        entry_rules.check_postable(entry.lines, entry.id)
        self.commit_posted(entry, now)
        return self.entries[entry_id]

    def void_entry(self, entry_id: str, now: dt.datetime) -> JournalEntry:
        return voiding.void_entry(self, entry_id, now)


def _get(table: dict, key: str, resource: str):
    found = table.get(key) if type(key) is str else None
    if found is None:
        raise NotFound(resource, str(key))
    return found
