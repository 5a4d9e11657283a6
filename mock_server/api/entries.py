"""Tag `entries`: journal entries through their lifecycle draft -> posted -> voided."""

from mock_server.api.http import books_for_header, listing, write_books
from mock_server.ledger import requests as parse
from mock_server.ledger.list_filters import entry_filter


async def list_entries(service, limit=50, cursor=None, **filters):
    books = books_for_header(service)
    return listing(service, books.list_entries(), limit, cursor, service.shapes.entry,
                   entry_filter(**filters)), 200


async def create_entry(service, body):
    books = books_for_header(service)
    data = parse.entry_from_json(body)
    return await write_books(service, "create_entry", books,
                             lambda now: books.create_draft(data, now), service.shapes.entry, 201, body)


async def get_entry(service, entry_id):
    return service.shapes.entry(books_for_header(service).get_entry(entry_id)), 200


async def post_entry(service, entry_id, body=None):
    books = books_for_header(service)
    return await write_books(service, "post_entry", books,
                             lambda now: books.post_entry(entry_id, now), service.shapes.entry, 200, entry_id)


async def void_entry(service, entry_id, body=None):
    books = books_for_header(service)
    return await write_books(service, "void_entry", books,
                             lambda now: books.void_entry(entry_id, now), service.shapes.entry, 200, entry_id)
