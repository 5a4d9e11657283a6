"""Crafted breaks of lists, credentials, tenancy, bank figures and webhooks."""
from __future__ import annotations

import re
import secrets
from typing import Callable

import httpx

from faults.transforms_access import PAGE_LIMIT_MAX, PAGE_LIMIT_MIN
from tests.checks.harness import Craft, Send, answer, body_of, with_header, with_params

KNOWN: dict[str, str] = {}       # ids of the fixtures the tests run on: token, other token, organizations


def is_list_page(request: httpx.Request, response: httpx.Response) -> bool:
    body = body_of(response)
    return request.method == "GET" and response.status_code == 200 and isinstance(body, dict) \
        and "nextCursor" in body and isinstance(body.get("data"), list)


def item_repeated() -> Craft:
    last_by_cursor: dict[str, object] = {}

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if not is_list_page(request, response):
            return response
        body = body_of(response)
        cursor = request.url.params.get("cursor")
        if cursor in last_by_cursor and body["data"]:
            body["data"] = [last_by_cursor[cursor]] + body["data"][:-1]
        if body["nextCursor"] and body["data"]:
            last_by_cursor[body["nextCursor"]] = body["data"][-1]
        return answer(200, body, response)
    return craft


def skip_after_insert() -> Craft:
    """A page asked for after an item was made loses its first item, as an offset cursor would."""
    made = [0, 0]       # items made, items made when the last page was served

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if request.method == "POST" and response.status_code in (200, 201):
            made[0] += 1
        if not is_list_page(request, response):
            return response
        body = body_of(response)
        grew, made[1] = made[0] != made[1], made[0]
        if request.url.params.get("cursor") and grew and body["data"]:
            body["data"] = body["data"][1:]
            return answer(200, body, response)
        return response
    return craft


def limit_clamped() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        limit = request.url.params.get("limit", "")
        if request.method == "GET" and limit.isdigit() and not PAGE_LIMIT_MIN <= int(limit) <= PAGE_LIMIT_MAX:
            request = with_params(request, limit=str(min(max(int(limit), PAGE_LIMIT_MIN), PAGE_LIMIT_MAX)))
        return send(request)
    return craft


def dates_swapped() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        start, end = request.url.params.get("startDate"), request.url.params.get("endDate")
        if request.method == "GET" and start and end and start > end:
            request = with_params(request, startDate=end, endDate=start)
        return send(request)
    return craft


def is_api_key(request: httpx.Request) -> bool:
    return request.headers.get("authorization", "").startswith("Bearer dk_live_")


def with_api_key(change: Callable[[httpx.Request], httpx.Request | httpx.Response]) -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if not is_api_key(request):
            return send(request)
        changed = change(request)
        return changed if isinstance(changed, httpx.Response) else send(changed)
    return craft


def tenancy_leak(wanted: Callable[[httpx.Request], bool]) -> Craft:
    """A refused (403/404) request for which `wanted` holds answered 200 with data."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if response.status_code in (403, 404) and wanted(request):
            return answer(200, {"data": [], "nextCursor": None}, response)
        return response
    return craft


def bearer(request: httpx.Request) -> str:
    return request.headers.get("authorization", "").removeprefix("Bearer ")


def sibling_reached() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if request.headers.get("x-organization-id") == KNOWN["sibling_org"]:
            request = with_header(request, "x-organization-id", KNOWN["own_org"])
        return send(request)
    return craft


def book_balance_off(body: dict) -> None:
    for row in body.get("accounts") or []:
        if isinstance(row.get("bookBalanceCents"), int):
            row["bookBalanceCents"] += 1


def secret_listed(body: dict) -> None:
    for row in body.get("data") or []:
        row["secret"] = "whsec_" + "0" * 32


def webhooks_route(method: str, status: int):
    return lambda request, response: request.method == method and request.url.path.rstrip("/") == "/api/v1/webhooks" \
        and response.status_code == status


def secret_replaced(body: dict) -> None:
    body["secret"] = "whsec_" + secrets.token_hex(16)


COMPANY_PATH = re.compile(r"^/api/v1/companies/([^/]+)")


def company_in_path(request: httpx.Request) -> str | None:
    found = COMPANY_PATH.match(request.url.path)
    return found.group(1) if found else None
