"""Tag `bankActions`: reclassify, match, split, reconcile and exclude a bank transaction (R7)."""

from mock_server.api.http import books_for_header, write_books
from mock_server.ledger import requests as parse


async def _act(service, name: str, books, body, apply):
    return await write_books(service, name, books, apply, service.shapes.record, 200, body)


async def reclassify_bank_transaction(service, bank_transaction_id, body):
    books = books_for_header(service)
    change = parse.reclassify_from_json(body)
    return await _act(service, "reclassify_bank_transaction", books, body,
                      lambda now: books.reclassify(bank_transaction_id, change, now))


async def match_bank_transaction(service, bank_transaction_id, body):
    books = books_for_header(service)
    target = parse.match_from_json(body)
    return await _act(service, "match_bank_transaction", books, body, lambda now: books.match(
        bank_transaction_id, target.document_type, target.document_id, now))


async def split_bank_transaction(service, bank_transaction_id, body):
    books = books_for_header(service)
    allocations = parse.split_from_json(body)
    return await _act(service, "split_bank_transaction", books, body,
                      lambda now: books.split(bank_transaction_id, allocations, now))


async def reconcile_bank_transaction(service, bank_transaction_id, body=None):
    books = books_for_header(service)
    statement_date = parse.statement_date_from_json(body or {})
    return await _act(service, "reconcile_bank_transaction", books, body,
                      lambda now: books.reconcile(bank_transaction_id, statement_date, now))


async def exclude_bank_transaction(service, bank_transaction_id, body=None):
    books = books_for_header(service)
    return await _act(service, "exclude_bank_transaction", books, body,
                      lambda now: books.exclude(bank_transaction_id, now))
