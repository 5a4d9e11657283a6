"""Reports (R3). Only posted entries count; drafts and voided entries count nowhere;
date windows are inclusive. Figures come from the balance index (prefix sums), so a
report costs O(accounts x log days) plus the lines it lists, never a rescan of all lines.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mock_server.ledger.errors import InvalidField
from mock_server.ledger.records import Account

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks


@dataclass(frozen=True, slots=True)
class TrialBalanceRow:
    account_id: str
    code: str
    name: str
    type: str
    debit_cents: int
    credit_cents: int


@dataclass(frozen=True, slots=True)
class TrialBalance:
    company_id: str
    as_of: dt.date
    rows: tuple[TrialBalanceRow, ...]
    total_debit_cents: int
    total_credit_cents: int
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class SectionRow:
    account_id: str
    code: str
    name: str
    balance_cents: int


@dataclass(frozen=True, slots=True)
class Section:
    accounts: tuple[SectionRow, ...]
    total_cents: int


@dataclass(frozen=True, slots=True)
class BalanceSheet:
    company_id: str
    as_of: dt.date
    assets: Section
    liabilities: Section
    equity: Section
    earnings_to_date_cents: int
    total_assets_cents: int
    total_liabilities_cents: int
    total_equity_cents: int                    # includes earnings_to_date_cents
    total_liabilities_and_equity_cents: int
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class ProfitAndLoss:
    company_id: str
    start_date: dt.date
    end_date: dt.date
    income: Section
    expenses: Section
    net_income_cents: int
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class LedgerLine:
    entry_id: str
    line_id: str
    date: dt.date
    description: str
    debit_cents: int
    credit_cents: int
    balance_cents: int                         # running, in the account's normal direction


@dataclass(frozen=True, slots=True)
class LedgerAccount:
    account_id: str
    code: str
    name: str
    type: str
    opening_balance_cents: int
    debit_cents: int
    credit_cents: int
    closing_balance_cents: int
    lines: tuple[LedgerLine, ...]


@dataclass(frozen=True, slots=True)
class GeneralLedger:
    company_id: str
    start_date: dt.date
    end_date: dt.date
    accounts: tuple[LedgerAccount, ...]
    currency: str = "USD"


def check_window(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise InvalidField("startDate", "must be on or before endDate")


def normal(account: Account, net_debit_cents: int) -> int:
    return net_debit_cents if account.normal_balance == "debit" else -net_debit_cents


def _report_accounts(books: CompanyBooks) -> list[Account]:
    return sorted(books.accounts.values(), key=lambda a: (a.code, a.seq))


def trial_balance(books: CompanyBooks, as_of: dt.date) -> TrialBalance:
    rows = []
    for account in _report_accounts(books):
        net = books.balances.net_debit_through(account.id, as_of)
        if net:
            rows.append(TrialBalanceRow(account.id, account.code, account.name, account.type,
                                        max(net, 0), max(-net, 0)))
    debit_cents = sum(row.debit_cents for row in rows)
    credit_cents = sum(row.credit_cents for row in rows)
    assert debit_cents == credit_cents, "trial balance does not net to zero"
    return TrialBalance(books.company.id, as_of, tuple(rows), debit_cents, credit_cents)


def _section(books: CompanyBooks, account_type: str, start: dt.date, end: dt.date) -> Section:
    rows = []
    for account in _report_accounts(books):
        if account.type != account_type:
            continue
        debits, credits = books.balances.totals_between(account.id, start, end)
        balance_cents = normal(account, debits - credits)
        if balance_cents or not account.archived:
            rows.append(SectionRow(account.id, account.code, account.name, balance_cents))
    return Section(tuple(rows), sum(row.balance_cents for row in rows))


def earnings_cents(books: CompanyBooks, start: dt.date, end: dt.date) -> int:
    """Income minus expenses over start..end."""
    income = _section(books, "income", start, end).total_cents
    return income - _section(books, "expense", start, end).total_cents


def balance_sheet(books: CompanyBooks, as_of: dt.date) -> BalanceSheet:
    assets = _section(books, "asset", dt.date.min, as_of)
    liabilities = _section(books, "liability", dt.date.min, as_of)
    equity = _section(books, "equity", dt.date.min, as_of)
    earnings = earnings_cents(books, dt.date.min, as_of)
    total_equity = equity.total_cents + earnings
    assert assets.total_cents == liabilities.total_cents + total_equity, "balance sheet off"
    return BalanceSheet(books.company.id, as_of, assets, liabilities, equity, earnings,
                        assets.total_cents, liabilities.total_cents, total_equity,
                        liabilities.total_cents + total_equity)


def profit_and_loss(books: CompanyBooks, start: dt.date, end: dt.date) -> ProfitAndLoss:
    check_window(start, end)
    income = _section(books, "income", start, end)
    expenses = _section(books, "expense", start, end)
    return ProfitAndLoss(books.company.id, start, end, income, expenses,
                         income.total_cents - expenses.total_cents)


def _ledger_account(books: CompanyBooks, account: Account, start: dt.date,
                    end: dt.date) -> LedgerAccount:
    opening = 0
    if start > dt.date.min:
        opening = normal(account, books.balances.net_debit_through(account.id,
                                                                   start - dt.timedelta(1)))
    debits, credits = books.balances.totals_between(account.id, start, end)
    balance, lines = opening, []
    for entry, line in books.balances.lines_between(account.id, start, end):
        balance += normal(account, line.debit_cents - line.credit_cents)
        lines.append(LedgerLine(entry.id, line.id, entry.date, line.description or entry.description,
                                line.debit_cents, line.credit_cents, balance))
    closing = opening + normal(account, debits - credits)
    assert balance == closing, account.id
    return LedgerAccount(account.id, account.code, account.name, account.type, opening,
                         debits, credits, closing, tuple(lines))


def general_ledger(books: CompanyBooks, start: dt.date, end: dt.date,
                   account_id: str | None = None) -> GeneralLedger:
    check_window(start, end)
    chosen = [books.get_account(account_id)] if account_id else _report_accounts(books)
    accounts = [_ledger_account(books, account, start, end) for account in chosen]
    if account_id is None:
        accounts = [a for a in accounts if a.opening_balance_cents or a.lines]
    return GeneralLedger(books.company.id, start, end, tuple(accounts))
