"""Tag `reports`: the legacy organization-header report routes, and the report shapes
the company-path report routes share."""

from mock_server.api import shapes
from mock_server.api.http import as_of_date, books_for_header, date_window, now


def trial_balance(books, as_of) -> dict:
    return shapes.record_json(books.trial_balance(as_of_date(books, as_of)))


def balance_sheet(books, as_of) -> dict:
    return shapes.record_json(books.balance_sheet(as_of_date(books, as_of)))


def profit_and_loss(books, start_date, end_date) -> dict:
    return shapes.record_json(books.profit_and_loss(*date_window(books, start_date, end_date)))


def general_ledger(books, start_date, end_date, account_id=None) -> dict:
    start, end = date_window(books, start_date, end_date)
    return shapes.record_json(books.general_ledger(start, end, account_id=account_id))


def bank_reconciliation_status(books, as_of) -> dict:
    return shapes.record_json(books.bank_reconciliation_status(as_of_date(books, as_of)))


def financial_packet(books, start_date, end_date) -> dict:
    start, end = date_window(books, start_date, end_date)
    return shapes.record_json(books.financial_packet(start, end, now()))


async def get_financial_packet(start_date=None, end_date=None):
    return financial_packet(books_for_header(), start_date, end_date), 200


async def get_trial_balance(as_of=None):
    return trial_balance(books_for_header(), as_of), 200


async def get_balance_sheet(as_of=None):
    return balance_sheet(books_for_header(), as_of), 200


async def get_profit_and_loss(start_date=None, end_date=None):
    return profit_and_loss(books_for_header(), start_date, end_date), 200


async def get_general_ledger(start_date=None, end_date=None, account_id=None):
    return general_ledger(books_for_header(), start_date, end_date, account_id), 200


async def get_bank_reconciliation_status(as_of=None):
    return bank_reconciliation_status(books_for_header(), as_of), 200
