"""Crafted breaks of list filters (R6): a filtered page short of an item, an end date taken as exclusive, a
filter dropped on the way, a bad filter value answered, a cursor taken with other filters."""
from __future__ import annotations

import datetime as dt

import httpx

from tests.checks.crafts_access import is_list_page
from tests.checks.harness import Craft, Send, answer, body_of, with_params

EQUALS_FILTERS = ("status", "bankAccountId")
FILTERS = ("status", "bankAccountId", "startDate", "endDate", "updatedSince")


def without_param(request: httpx.Request, name: str) -> httpx.Request:
    return httpx.Request(request.method, request.url.copy_remove_param(name), headers=request.headers,
                         content=request.content)


def filtered_page_short() -> Craft:
    """A page filtered by an equals filter loses its last item."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if is_list_page(request, response) and set(EQUALS_FILTERS) & set(request.url.params):
            body = body_of(response)
            body["data"] = body["data"][:-1]
            return answer(200, body, response)
        return response
    return craft


def end_date_exclusive() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        end = request.url.params.get("endDate", "")
        if request.method == "GET" and len(end) == 10 and end[:4].isdigit():
            try:
                request = with_params(request, endDate=(dt.date.fromisoformat(end) - dt.timedelta(days=1)).isoformat())
            except ValueError:
                pass
        return send(request)
    return craft


def updated_since_dropped() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if request.method == "GET" and "updatedSince" in request.url.params:
            request = without_param(request, "updatedSince")
        return send(request)
    return craft


def bad_filter_answered() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if request.method == "GET" and response.status_code == 400 and set(FILTERS) & set(request.url.params):
            return answer(200, {"data": [], "nextCursor": None}, response)
        return response
    return craft


def cursor_unbound() -> Craft:
    """A cursor refused (400) is answered with an empty last page instead."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if request.method == "GET" and response.status_code == 400 and "cursor" in request.url.params:
            return answer(200, {"data": [], "nextCursor": None}, response)
        return response
    return craft


CRAFTS_LISTS = {
    "check_equals_filters_match": filtered_page_short,
    "check_date_filters_match": end_date_exclusive,
    "check_updated_since_filter_matches": updated_since_dropped,
    "check_bad_filter_values_refused": bad_filter_answered,
    "check_cursor_keeps_its_filters": cursor_unbound,
}
