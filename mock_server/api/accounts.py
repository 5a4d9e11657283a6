"""Tag `accounts`: the chart of accounts (legacy organization-header routes)."""

from mock_server.api import shapes
from mock_server.api.http import books_for_header, listing, now
from mock_server.ledger import requests as parse


async def list_accounts(limit=50, cursor=None):
    books = books_for_header()
    return listing(books.list_accounts(), limit, cursor, shapes.account_json_for(books)), 200


async def create_account(body):
    books = books_for_header()
    account = books.create_account(parse.account_from_json(body), now())
    return shapes.account_json_for(books)(account), 201


async def get_account(account_id):
    books = books_for_header()
    return shapes.account_json_for(books)(books.get_account(account_id)), 200


async def update_account(account_id, body):
    books = books_for_header()
    account = books.update_account(account_id, parse.account_patch_from_json(body), now())
    return shapes.account_json_for(books)(account), 200


async def delete_account(account_id):
    books_for_header().delete_account(account_id)
    return None, 204
