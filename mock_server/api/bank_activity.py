"""Tag `bank`: bank accounts, their Plaid-fed transactions, connected feeds and feed health."""

from mock_server.api.http import books_for_header, listing, write_books
from mock_server.ledger import requests as parse
from mock_server.ledger.list_filters import bank_transaction_filter


async def list_bank_accounts(service, limit=50, cursor=None):
    books = books_for_header(service)
    return listing(service, books.list_bank_accounts(), limit, cursor,
                   service.shapes.bank_account_for(books)), 200


async def create_bank_account(service, body):
    books = books_for_header(service)
    data = parse.bank_account_from_json(body)
    return await write_books(service, "create_bank_account", books,
                             lambda now: books.create_bank_account(data, now),
                             service.shapes.bank_account_for(books), 201, body)


async def list_bank_account_transactions(service, bank_account_id, limit=50, cursor=None, **filters):
    books = books_for_header(service)
    books.get_bank_account(bank_account_id)          # 404 when it is not this company's
    transactions = books.list_bank_transactions(bank_account_id=bank_account_id)
    return listing(service, transactions, limit, cursor, None, bank_transaction_filter(**filters)), 200


async def list_bank_transactions(service, limit=50, cursor=None, **filters):
    books = books_for_header(service)
    return listing(service, books.list_bank_transactions(), limit, cursor, None,
                   bank_transaction_filter(**filters)), 200


async def list_bank_feeds(service, limit=50, cursor=None):
    return listing(service, books_for_header(service).list_feeds(), limit, cursor), 200


async def get_bank_feed_health(service):
    return {"data": service.shapes.value(books_for_header(service).feed_health())}, 200
