"""What every handler shares: the request's context, time, the caller's books, pages."""

from __future__ import annotations

import datetime as dt

from mock_server import context
from mock_server.api import shapes
from mock_server.ledger import InvalidField, page

ORGANIZATION_HEADER = "x-organization-id"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def now_rfc3339() -> str:
    return shapes.json_value(now())


def request() -> context.RequestContext:
    return context.current()


def books_for_path(company_id: str):
    """The company named in the path, if the caller may see it (else 404 NOT_FOUND)."""
    req = context.current()
    return req.state.books_for_company(req.caller, company_id)


def books_for_header():
    """The company of the `x-organization-id` header (legacy routes)."""
    req = context.current()
    return req.state.books_for_organization(req.caller, req.header(ORGANIZATION_HEADER))


def listing(items, limit: int, cursor: str | None, to_json=shapes.record_json) -> dict:
    chunk, next_cursor = page(items, limit, cursor)
    return shapes.page_json(chunk, next_cursor, to_json)


def parse_date(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidField(field, "must be a calendar date YYYY-MM-DD") from None


def date_window(books, start_date: str | None, end_date: str | None) -> tuple[dt.date, dt.date]:
    """Both ends inclusive; end defaults to today, start to January 1 of end's year (R3, R9)."""
    end = parse_date(end_date, "endDate") or books.today(now())
    start = parse_date(start_date, "startDate") or dt.date(end.year, 1, 1)
    if start > end:
        raise InvalidField("startDate", "must not be after endDate")
    return start, end


def as_of_date(books, as_of: str | None) -> dt.date:
    return parse_date(as_of, "asOf") or books.today(now())
