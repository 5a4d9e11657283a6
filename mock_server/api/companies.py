"""Tag `companies`: the partner company-path routes (reads and company reports)."""

from mock_server.api import reports
from mock_server.api.http import books_for_path, listing, request
from mock_server.ledger.list_filters import bank_transaction_filter, entry_filter


async def list_companies(service, limit=50, cursor=None):
    companies = [books.company for books in service.visible_books(request().caller)]
    return listing(service, companies, limit, cursor), 200


async def get_company(service, company_id):
    return service.shapes.record(books_for_path(service, company_id).company), 200


async def list_company_accounts(service, company_id, limit=50, cursor=None):
    books = books_for_path(service, company_id)
    return listing(service, books.list_accounts(), limit, cursor, service.shapes.account_for(books)), 200


async def list_company_journal_entries(service, company_id, limit=50, cursor=None, **filters):
    books = books_for_path(service, company_id)
    return listing(service, books.list_entries(), limit, cursor, service.shapes.entry,
                   entry_filter(**filters)), 200


async def list_company_journal_lines(service, company_id, limit=50, cursor=None):
    books = books_for_path(service, company_id)
    return listing(service, books.list_journal_lines(), limit, cursor), 200


async def list_company_bank_accounts(service, company_id, limit=50, cursor=None):
    books = books_for_path(service, company_id)
    return listing(service, books.list_bank_accounts(), limit, cursor,
                   service.shapes.bank_account_for(books)), 200


async def list_company_bank_transactions(service, company_id, limit=50, cursor=None, **filters):
    books = books_for_path(service, company_id)
    return listing(service, books.list_bank_transactions(), limit, cursor, None,
                   bank_transaction_filter(**filters)), 200


async def list_company_reconciliations(service, company_id, limit=50, cursor=None):
    books = books_for_path(service, company_id)
    return listing(service, books.list_reconciliations(), limit, cursor), 200


async def get_company_profit_and_loss(service, company_id, start_date=None, end_date=None):
    return reports.profit_and_loss(service, books_for_path(service, company_id), start_date, end_date), 200


async def get_company_balance_sheet(service, company_id, as_of=None):
    return reports.balance_sheet(service, books_for_path(service, company_id), as_of), 200


async def get_company_trial_balance(service, company_id, as_of=None):
    return reports.trial_balance(service, books_for_path(service, company_id), as_of), 200


async def get_company_general_ledger(service, company_id, start_date=None, end_date=None,
                                     account_id=None):
    books = books_for_path(service, company_id)
    return reports.general_ledger(service, books, start_date, end_date, account_id), 200
