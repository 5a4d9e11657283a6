"""Tag `bankActions`: reclassify, match, split, reconcile and exclude a bank transaction (R7)."""

from mock_server.api import shapes
from mock_server.api.http import books_for_header, now, request
from mock_server.ledger import requests as parse


def _done(books, transaction):
    request().state.publish_events(books)
    return shapes.record_json(transaction), 200


async def reclassify_bank_transaction(bank_transaction_id, body):
    books = books_for_header()
    change = parse.reclassify_from_json(body)
    return _done(books, books.reclassify(bank_transaction_id, change, now()))


async def match_bank_transaction(bank_transaction_id, body):
    books = books_for_header()
    target = parse.match_from_json(body)
    return _done(books, books.match(bank_transaction_id, target.document_type, target.document_id, now()))


async def split_bank_transaction(bank_transaction_id, body):
    books = books_for_header()
    allocations = parse.split_from_json(body)
    return _done(books, books.split(bank_transaction_id, allocations, now()))


async def reconcile_bank_transaction(bank_transaction_id, body=None):
    books = books_for_header()
    statement_date = parse.statement_date_from_json(body or {})
    return _done(books, books.reconcile(bank_transaction_id, statement_date, now()))


async def exclude_bank_transaction(bank_transaction_id, body=None):
    books = books_for_header()
    return _done(books, books.exclude(bank_transaction_id, now()))
