"""Tag `companies`: the partner company-path routes (reads and company reports)."""

from mock_server.api import reports, shapes
from mock_server.api.http import books_for_path, listing, request


async def list_companies(limit=50, cursor=None):
    req = request()
    companies = [books.company for books in req.state.visible_books(req.caller)]
    return listing(companies, limit, cursor, shapes.company_json), 200


async def get_company(company_id):
    return shapes.company_json(books_for_path(company_id).company), 200


async def list_company_accounts(company_id, limit=50, cursor=None):
    books = books_for_path(company_id)
    return listing(books.list_accounts(), limit, cursor, shapes.account_json_for(books)), 200


async def list_company_journal_entries(company_id, limit=50, cursor=None):
    books = books_for_path(company_id)
    return listing(books.list_entries(), limit, cursor, shapes.entry_json), 200


async def list_company_journal_lines(company_id, limit=50, cursor=None):
    books = books_for_path(company_id)
    return listing(books.list_journal_lines(), limit, cursor), 200


async def list_company_bank_accounts(company_id, limit=50, cursor=None):
    books = books_for_path(company_id)
    return listing(books.list_bank_accounts(), limit, cursor, shapes.bank_account_json_for(books)), 200


async def list_company_bank_transactions(company_id, limit=50, cursor=None):
    books = books_for_path(company_id)
    return listing(books.list_bank_transactions(), limit, cursor), 200


async def list_company_reconciliations(company_id, limit=50, cursor=None):
    books = books_for_path(company_id)
    return listing(books.list_reconciliations(), limit, cursor), 200


async def get_company_profit_and_loss(company_id, start_date=None, end_date=None):
    return reports.profit_and_loss(books_for_path(company_id), start_date, end_date), 200


async def get_company_balance_sheet(company_id, as_of=None):
    return reports.balance_sheet(books_for_path(company_id), as_of), 200


async def get_company_trial_balance(company_id, as_of=None):
    return reports.trial_balance(books_for_path(company_id), as_of), 200


async def get_company_general_ledger(company_id, start_date=None, end_date=None, account_id=None):
    return reports.general_ledger(books_for_path(company_id), start_date, end_date, account_id), 200
