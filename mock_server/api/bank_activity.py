"""Tag `bank`: bank accounts, their Plaid-fed transactions, connected feeds and feed health."""

from mock_server.api import shapes
from mock_server.api.http import books_for_header, listing, now
from mock_server.ledger import requests as parse


async def list_bank_accounts(limit=50, cursor=None):
    books = books_for_header()
    return listing(books.list_bank_accounts(), limit, cursor, shapes.bank_account_json_for(books)), 200


async def create_bank_account(body):
    books = books_for_header()
    bank_account = books.create_bank_account(parse.bank_account_from_json(body), now())
    return shapes.bank_account_json_for(books)(bank_account), 201


async def list_bank_account_transactions(bank_account_id, limit=50, cursor=None):
    books = books_for_header()
    books.get_bank_account(bank_account_id)          # 404 when it is not this company's
    transactions = books.list_bank_transactions(bank_account_id=bank_account_id)
    return listing(transactions, limit, cursor), 200


async def list_bank_transactions(limit=50, cursor=None):
    books = books_for_header()
    return listing(books.list_bank_transactions(), limit, cursor), 200


async def list_bank_feeds(limit=50, cursor=None):
    return listing(books_for_header().list_feeds(), limit, cursor), 200


async def get_bank_feed_health():
    return {"data": shapes.json_value(books_for_header().feed_health())}, 200


