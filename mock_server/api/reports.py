"""Tag `reports`: the legacy organization-header report routes, and the report shapes
the company-path report routes share."""

from mock_server.api.http import as_of_date, books_for_header, date_window


def trial_balance(service, books, as_of) -> dict:
    return service.shapes.record(books.trial_balance(as_of_date(service, books, as_of)))


def balance_sheet(service, books, as_of) -> dict:
    return service.shapes.record(books.balance_sheet(as_of_date(service, books, as_of)))


def profit_and_loss(service, books, start_date, end_date) -> dict:
    return service.shapes.record(books.profit_and_loss(*date_window(service, books, start_date, end_date)))


def general_ledger(service, books, start_date, end_date, account_id=None) -> dict:
    start, end = date_window(service, books, start_date, end_date)
    return service.shapes.record(books.general_ledger(start, end, account_id=account_id))


def bank_reconciliation_status(service, books, as_of) -> dict:
    return service.shapes.record(books.bank_reconciliation_status(as_of_date(service, books, as_of)))


def financial_packet(service, books, start_date, end_date) -> dict:
    start, end = date_window(service, books, start_date, end_date)
    return service.shapes.record(books.financial_packet(start, end, service.now(books)))


async def get_financial_packet(service, start_date=None, end_date=None):
    return financial_packet(service, books_for_header(service), start_date, end_date), 200


async def get_trial_balance(service, as_of=None):
    return trial_balance(service, books_for_header(service), as_of), 200


async def get_balance_sheet(service, as_of=None):
    return balance_sheet(service, books_for_header(service), as_of), 200


async def get_profit_and_loss(service, start_date=None, end_date=None):
    return profit_and_loss(service, books_for_header(service), start_date, end_date), 200


async def get_general_ledger(service, start_date=None, end_date=None, account_id=None):
    return general_ledger(service, books_for_header(service), start_date, end_date, account_id), 200


async def get_bank_reconciliation_status(service, as_of=None):
    return bank_reconciliation_status(service, books_for_header(service), as_of), 200
