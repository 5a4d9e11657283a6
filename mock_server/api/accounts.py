"""Tag `accounts`: the chart of accounts (legacy organization-header routes)."""

from mock_server.api.http import books_for_header, listing, write_books
from mock_server.ledger import requests as parse


async def list_accounts(service, limit=50, cursor=None):
    books = books_for_header(service)
    return listing(service, books.list_accounts(), limit, cursor, service.shapes.account_for(books)), 200


async def create_account(service, body):
    books = books_for_header(service)
    data = parse.account_from_json(body)
    return await write_books(service, "create_account", books,
                             lambda now: books.create_account(data, now),
                             service.shapes.account_for(books), 201, body)


async def get_account(service, account_id):
    books = books_for_header(service)
    return service.shapes.account_for(books)(books.get_account(account_id)), 200


async def update_account(service, account_id, body):
    books = books_for_header(service)
    patch = parse.account_patch_from_json(body)
    return await write_books(service, "update_account", books,
                             lambda now: books.update_account(account_id, patch, now),
                             service.shapes.account_for(books), 200, body)


async def delete_account(service, account_id):
    books = books_for_header(service)
    await write_books(service, "delete_account", books,
                      lambda now: books.delete_account(account_id), None, 204, account_id)
    return None, 204
