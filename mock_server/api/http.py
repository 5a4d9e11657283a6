"""What every handler shares: the caller's books, pages, date windows, and writes.

Handlers get the sandbox service as their first argument (from the dispatcher); the
request context gives only per-request facts (caller, headers, a forced delay).
"""

from __future__ import annotations

import datetime as dt

from mock_server import context
from mock_server.ledger import InvalidField, page
from mock_server.ledger.list_filters import NO_FILTER, ListFilter, filtered
from mock_server.service import Write

ORGANIZATION_HEADER = "x-organization-id"


def request() -> context.RequestContext:
    return context.current()


def books_for_path(service, company_id: str):
    """The company named in the path, if the caller may see it (else 404 NOT_FOUND)."""
    return service.books_for_company(context.current().caller, company_id)


def books_for_header(service):
    """The company of the `x-organization-id` header (legacy routes)."""
    req = context.current()
    return service.books_for_organization(req.caller, req.header(ORGANIZATION_HEADER))


def listing(service, items, limit: int, cursor: str | None, to_json=None,
            wanted: ListFilter = NO_FILTER) -> dict:
    """One page of the `items` that `wanted` keeps; its cursors bound to these filters too."""
    path, reach = list_scope()
    scope = (f"{path}?{wanted.scope}" if wanted.scope else path, reach)
    chunk, next_cursor = page(filtered(items, wanted), limit, cursor, scope, service.cursor_secret)
    return service.shapes.page(chunk, next_cursor, to_json)


async def write_books(service, name: str, books, apply, answer, status: int = 200, payload=None):
    """Run `apply(now)` on `books` through the service's one write path: (JSON, status)."""
    now = service.now(books)
    done = await service.write(Write(name, books.company.id, payload, status),
                               lambda: apply(now), answer)
    return done.answer, done.status


def list_scope() -> tuple[str, str]:
    """What a list's cursors are bound to: the list (its path, which names the company on
    company-path routes) and the company of a legacy route (`x-organization-id`) as the
    caller reaches it (its firm, or its organizations)."""
    req = context.current()
    caller = req.caller
    reach = "" if caller is None else caller.firm_id or ",".join(sorted(caller.organization_ids))
    return req.path, f"{req.header(ORGANIZATION_HEADER) or ''}|{reach}"


def parse_date(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidField(field, "must be a calendar date YYYY-MM-DD") from None


def date_window(service, books, start_date: str | None, end_date: str | None) -> tuple[dt.date, dt.date]:
    """Both ends inclusive; end defaults to today, start to January 1 of end's year (R3, R9)."""
    end = parse_date(end_date, "endDate") or books.today(service.now(books))
    start = parse_date(start_date, "startDate") or dt.date(end.year, 1, 1)
    if start > end:
        raise InvalidField("startDate", "must not be after endDate")
    return start, end


def as_of_date(service, books, as_of: str | None) -> dt.date:
    return parse_date(as_of, "asOf") or books.today(service.now(books))
