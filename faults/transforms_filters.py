"""Faults in list filters (R6): a filter ignored, an end date taken as exclusive, a bad value answered, a
cursor that outlives its filters."""
from __future__ import annotations

import datetime as dt

from faults.proxy import Forward, Request, Response

FILTERED_LISTS = ("bank-transactions", "transactions", "journal-entries", "entries")
FILTER_NAMES = ("status", "bankAccountId", "startDate", "endDate", "updatedSince")
EMPTY_PAGE = {"data": [], "nextCursor": None}


def is_filtered_list(request: Request) -> bool:
    return request.method == "GET" and request.path.rstrip("/").rsplit("/", 1)[-1] in FILTERED_LISTS


def without(request: Request, name: str) -> Request:
    return request.with_query({key: value for key, value in request.query.items() if key != name})


async def status_filter_ignored(request: Request, forward: Forward) -> Response:
    """R6: `status` is ignored: a list asked for one status lists every status."""
    if is_filtered_list(request) and "status" in request.query:
        request = without(request, "status")
    return await forward(request)


async def end_date_exclusive(request: Request, forward: Forward) -> Response:
    """R6: `endDate` is taken as exclusive: items dated endDate are left out of the list."""
    end = request.query.get("endDate", "")
    if is_filtered_list(request) and end:
        try:
            day_before = dt.date.fromisoformat(end) - dt.timedelta(days=1)
        except ValueError:
            return await forward(request)
        request = request.with_query({**request.query, "endDate": day_before.isoformat()})
    return await forward(request)


async def updated_since_ignored(request: Request, forward: Forward) -> Response:
    """R6: `updatedSince` is ignored: an incremental sync gets the whole list every time."""
    if is_filtered_list(request) and "updatedSince" in request.query:
        request = without(request, "updatedSince")
    return await forward(request)


async def bad_filter_value_answered(request: Request, forward: Forward) -> Response:
    """R6: a filter value the server cannot read is answered with an empty page instead of 400."""
    response = await forward(request)
    if is_filtered_list(request) and response.status == 400 and set(FILTER_NAMES) & set(request.query):
        response.status = 200
        response.set_json(dict(EMPTY_PAGE))
    return response


def cursor_outlives_its_filters():
    """R6: a cursor sent with other filters than it was issued with is served with the filters it was
    issued with (the request's are dropped silently) instead of refused."""
    issued_with: dict[str, dict[str, str]] = {}

    def filters(request: Request) -> dict[str, str]:
        return {name: value for name, value in request.query.items() if name in FILTER_NAMES}

    async def transform(request: Request, forward: Forward) -> Response:
        if not is_filtered_list(request):
            return await forward(request)
        cursor = request.query.get("cursor")
        if cursor in issued_with and issued_with[cursor] != filters(request):
            rest = {k: v for k, v in request.query.items() if k not in FILTER_NAMES}
            request = request.with_query({**rest, **issued_with[cursor]})
        response = await forward(request)
        body = response.json()
        if response.status == 200 and isinstance(body, dict) and isinstance(body.get("nextCursor"), str):
            issued_with[body["nextCursor"]] = filters(request)
        return response
    return transform
