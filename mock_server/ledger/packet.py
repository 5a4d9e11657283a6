"""Bank reconciliation status (R7) and the financial packet."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mock_server.ledger.reports import (
    BalanceSheet, ProfitAndLoss, TrialBalance, balance_sheet, check_window, normal,
    profit_and_loss, trial_balance,
)

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks


@dataclass(frozen=True, slots=True)
class ReconciliationStatusRow:
    bank_account_id: str
    account_id: str
    name: str
    book_balance_cents: int          # = reconciled_balance_cents + unreconciled_cents
    reconciled_balance_cents: int
    unreconciled_count: int
    unreconciled_cents: int
    last_reconciled_date: dt.date | None


@dataclass(frozen=True, slots=True)
class BankReconciliationStatus:
    company_id: str
    as_of: dt.date
    accounts: tuple[ReconciliationStatusRow, ...]
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class FinancialPacket:
    company_id: str
    start_date: dt.date
    end_date: dt.date
    generated_at: dt.datetime
    profit_and_loss: ProfitAndLoss
    balance_sheet: BalanceSheet
    trial_balance: TrialBalance
    bank_reconciliation_status: BankReconciliationStatus
    currency: str = "USD"


def _status_row(books: CompanyBooks, bank_account_id: str, as_of: dt.date,
                rows_by_bank: dict[str, list]) -> ReconciliationStatusRow:
    bank_account = books.bank_accounts[bank_account_id]
    account = books.accounts[bank_account.account_id]
    statement_dates = {r.id: r.statement_date for r in books.reconciliations.values()
                       if r.bank_account_id == bank_account_id}
    reconciled_cents = unreconciled_cents = unreconciled_count = 0
    for row in rows_by_bank.get(bank_account_id, []):
        if row.status == "excluded" or row.date > as_of:
            continue
        cents = normal(account, row.signed_cents)
        statement_date = statement_dates.get(row.reconciliation_id or "")
        if row.status == "reconciled" and statement_date and statement_date <= as_of:
            reconciled_cents += cents
        else:
            unreconciled_cents += cents
            unreconciled_count += 1
    last = max((d for d in statement_dates.values() if d <= as_of), default=None)
    book_cents = books.account_balance_cents(account.id, as_of)
    assert book_cents == reconciled_cents + unreconciled_cents, (bank_account_id, "register")
    return ReconciliationStatusRow(bank_account_id, account.id, bank_account.name, book_cents,
                                   reconciled_cents, unreconciled_count, unreconciled_cents, last)


def bank_reconciliation_status(books: CompanyBooks, as_of: dt.date) -> BankReconciliationStatus:
    rows_by_bank: dict[str, list] = {}
    for row in books.bank_transactions.values():
        rows_by_bank.setdefault(row.bank_account_id, []).append(row)
    rows = tuple(_status_row(books, bank_account_id, as_of, rows_by_bank)
                 for bank_account_id in books.bank_accounts)
    return BankReconciliationStatus(books.company.id, as_of, rows)


def financial_packet(books: CompanyBooks, start: dt.date, end: dt.date,
                     now: dt.datetime) -> FinancialPacket:
    check_window(start, end)
    return FinancialPacket(books.company.id, start, end, now, profit_and_loss(books, start, end),
                           balance_sheet(books, end), trial_balance(books, end),
                           bank_reconciliation_status(books, end))
