"""Tag `entries`: journal entries through their lifecycle draft -> posted -> voided."""

from mock_server.api import shapes
from mock_server.api.http import books_for_header, listing, now, request
from mock_server.ledger import requests as parse


async def list_entries(limit=50, cursor=None):
    books = books_for_header()
    return listing(books.list_entries(), limit, cursor, shapes.entry_json), 200


async def create_entry(body):
    books = books_for_header()
    entry = books.create_draft(parse.entry_from_json(body), now())
    return shapes.entry_json(entry), 201


async def get_entry(entry_id):
    return shapes.entry_json(books_for_header().get_entry(entry_id)), 200


async def post_entry(entry_id, body=None):
    books = books_for_header()
    entry = books.post_entry(entry_id, now())
    request().state.publish_events(books)
    return shapes.entry_json(entry), 200


async def void_entry(entry_id, body=None):
    books = books_for_header()
    entry = books.void_entry(entry_id, now())
    request().state.publish_events(books)
    return shapes.entry_json(entry), 200
